//! How a `Licenses` value of an "Active users" export splits into products,
//! including Microsoft's names that hold a `+` themselves.

use crate::catalog::{Catalog, OfferIdx};

use crate::input::product_list::products;

/// The products of `value` as the built-in catalog resolves them: each product
/// as written, and the String_Id of its entry (`?` when unknown).
fn split(value: &str) -> Vec<(String, String)> {
    let catalog = Catalog::builtin().expect("the built-in catalog loads");
    products(value, |p| catalog.resolve(p))
        .into_iter()
        .map(|(offer, written)| (written.to_owned(), entry_id(&catalog, offer)))
        .collect()
}

fn entry_id(catalog: &Catalog, offer: Option<OfferIdx>) -> String {
    offer.map_or_else(|| "?".to_owned(), |o| catalog.offer(o).id.to_string())
}

#[test]
fn a_plus_inside_a_product_name_does_not_split_it() {
    let ems = "Enterprise Mobility + Security E3";
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("Microsoft 365 E3", &[("Microsoft 365 E3", "SPE_E3")]),
        (ems, &[(ems, "EMS")]),
        (
            "Microsoft 365 E3+Enterprise Mobility + Security E3",
            &[("Microsoft 365 E3", "SPE_E3"), (ems, "EMS")],
        ),
        (
            "Enterprise Mobility + Security E3+Microsoft 365 E3",
            &[(ems, "EMS"), ("Microsoft 365 E3", "SPE_E3")],
        ),
        (
            "Microsoft 365 E3+Enterprise Mobility + Security E3+Microsoft Teams Exploratory",
            &[
                ("Microsoft 365 E3", "SPE_E3"),
                (ems, "EMS"),
                ("Microsoft Teams Exploratory", "TEAMS_EXPLORATORY"),
            ],
        ),
        // The same name twice stays two products (the caller rejects the row).
        (
            "Enterprise Mobility + Security E3+Enterprise Mobility + Security E3",
            &[(ems, "EMS"), (ems, "EMS")],
        ),
        // Parts that together name nothing stay apart, known or not.
        ("Foo+Bar", &[("Foo", "?"), ("Bar", "?")]),
        (
            "Enterprise Mobility+Foo",
            &[("Enterprise Mobility", "?"), ("Foo", "?")],
        ),
        // Empty parts and `Unlicensed` give nothing, and are never joined.
        ("Unlicensed", &[]),
        ("", &[]),
        (
            "Microsoft 365 E3++ Microsoft 365 E3 ",
            &[
                ("Microsoft 365 E3", "SPE_E3"),
                ("Microsoft 365 E3", "SPE_E3"),
            ],
        ),
        ("+Enterprise Mobility + Security E3+", &[(ems, "EMS")]),
    ];
    for (value, expected) in cases {
        let expected: Vec<(String, String)> = (expected.iter())
            .map(|(written, id)| ((*written).to_owned(), (*id).to_owned()))
            .collect();
        assert_eq!(split(value), expected, "{value:?}");
    }
}
