//! The order of records in the dataset: by customer position, then by id as the
//! contract compares ids (ASCII case-insensitively).
//!
//! Records are sorted through small keys (customer, the id's first eight folded
//! bytes, file position) rather than moved and compared through their heap strings,
//! which on large inputs are cache misses; full ids are compared only on ties.

use std::cmp::Ordering;

use rayon::prelude::*;

/// Orders ids as the contract compares them, ASCII case-insensitively (then byte-wise,
/// so that the order is total).
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
        .then_with(|| a.cmp(b))
}

/// The first eight bytes of an id, ASCII lower-cased, as a number that orders like
/// them: two ids whose prefixes differ compare as their prefixes do.
fn id_prefix(id: &str) -> u64 {
    let mut prefix = [0u8; 8];
    let bytes = &id.as_bytes()[..id.len().min(8)];
    prefix[..bytes.len()].copy_from_slice(bytes);
    prefix.make_ascii_lowercase();
    u64::from_be_bytes(prefix)
}

/// The positions of `items` sorted by customer position, then id
/// ([`compare_ids`]), then `then`, in file order among items equal in all three.
pub fn by_customer_and_id<T: Sync>(
    items: &[T],
    customer: impl Fn(&T) -> u32 + Sync,
    id: impl Fn(&T) -> &str + Sync,
    then: impl Fn(&T, &T) -> Ordering + Sync,
) -> Vec<u32> {
    let mut keys: Vec<(u32, u64, u32)> = items
        .par_iter()
        .enumerate()
        .map(|(i, item)| (customer(item), id_prefix(id(item)), i as u32))
        .collect();
    keys.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| {
                let (x, y) = (&items[a.2 as usize], &items[b.2 as usize]);
                compare_ids(id(x), id(y)).then_with(|| then(x, y))
            })
            .then(a.2.cmp(&b.2))
    });
    keys.into_iter().map(|(_, _, i)| i).collect()
}

/// `items` put in `order` (positions into `items`, each once: position `i` of the
/// result holds `items[order[i]]`), in place: the vectors are hundreds of
/// thousands of records, and a second one would be fresh memory to fault in.
pub fn permute<T>(mut items: Vec<T>, order: &[u32]) -> Vec<T> {
    debug_assert_eq!(items.len(), order.len());
    let mut placed = vec![false; items.len()];
    // Each cycle of the permutation is rotated by swaps along it: a swap puts the
    // record a position takes into it and passes the displaced one on.
    for start in 0..items.len() {
        let mut position = start;
        while !placed[position] {
            placed[position] = true;
            let Some(&source) = order.get(position) else {
                break;
            };
            let source = source as usize;
            if source == start || placed.get(source).is_none_or(|&done| done) {
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const IDS: [&str; 10] = [
        "b",
        "A",
        "a",
        "B-1",
        "abcdefgh2",
        "ABCDEFGH1",
        "",
        "abcdefgh",
        "ä",
        "a\u{0}",
    ];

    #[test]
    fn ids_order_case_insensitively_then_bytewise() {
        let mut ids = IDS.to_vec();
        ids.sort_by(|a, b| compare_ids(a, b));
        assert_eq!(
            ids,
            [
                "",
                "A",
                "a",
                "a\u{0}",
                "abcdefgh",
                "ABCDEFGH1",
                "abcdefgh2",
                "b",
                "B-1",
                "ä"
            ]
        );
    }

    #[test]
    fn keyed_sort_matches_a_plain_sort() {
        let ids = IDS;
        let items: Vec<(u32, String, u32)> = (0..60)
            .map(|i| (i % 3, ids[(i * 7) as usize % ids.len()].to_owned(), i % 2))
            .collect();
        let mut expected: Vec<usize> = (0..items.len()).collect();
        expected.sort_by(|&a, &b| {
            let (x, y) = (&items[a], &items[b]);
            x.0.cmp(&y.0)
                .then_with(|| compare_ids(&x.1, &y.1))
                .then(x.2.cmp(&y.2))
                .then(a.cmp(&b))
        });
        let order = by_customer_and_id(&items, |x| x.0, |x| &x.1, |x, y| x.2.cmp(&y.2));
        let order: Vec<usize> = order.into_iter().map(|i| i as usize).collect();
        assert_eq!(order, expected);
        let three = items[..3].to_vec();
        let permuted = permute(three.clone(), &[2, 0, 1]);
        assert_eq!(
            permuted,
            [three[2].clone(), three[0].clone(), three[1].clone()]
        );
    }

    proptest! {
        #[test]
        fn permuting_in_place_takes_each_position_from_its_source(
            order in (0usize..200).prop_flat_map(|n| {
                Just((0..n as u32).collect::<Vec<u32>>()).prop_shuffle()
            })
        ) {
            let items: Vec<String> = (0..order.len()).map(|i| format!("r{i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| items[i as usize].clone()).collect();
            prop_assert_eq!(permute(items, &order), expected);
        }
    }
}
