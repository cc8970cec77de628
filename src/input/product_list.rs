//! The `Licenses` value of an "Active users" export: product display names
//! joined by `+`, or `Unlicensed`, where some of Microsoft's names hold a `+`.

use crate::catalog::OfferIdx;

/// The value of `Licenses` for a user without licenses.
const UNLICENSED: &str = "Unlicensed";

/// The products a `Licenses` value names, each with its offer (`None`: unknown),
/// without empty parts and `Unlicensed`. The export joins products with `+`, and
/// some of Microsoft's own names hold one ("Enterprise Mobility + Security E3"):
/// two neighbouring parts that together name a known product are that product.
pub(super) fn products(
    value: &str,
    mut resolve: impl FnMut(&str) -> Option<OfferIdx>,
) -> Vec<(Option<OfferIdx>, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, _) in value.match_indices('+') {
        parts.push(start..at);
        start = at + 1;
    }
    parts.push(start..value.len());
    let text = |range: std::ops::Range<usize>| value.get(range).map_or("", str::trim);
    let mut products = Vec::new();
    let mut i = 0;
    while let Some(part) = parts.get(i) {
        let product = text(part.clone());
        if let Some(next) = parts.get(i + 1) {
            let joined = text(part.start..next.end);
            let joinable = !product.is_empty() && !text(next.clone()).is_empty();
            if let Some(offer) = joinable.then(|| resolve(joined)).flatten() {
                products.push((Some(offer), joined));
                i += 2;
                continue;
            }
        }
        if !product.is_empty() && !product.eq_ignore_ascii_case(UNLICENSED) {
            products.push((resolve(product), product));
        }
        i += 1;
    }
    products
}
