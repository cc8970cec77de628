//! `catalog lookup`: what a value resolves to, and suggestions for unknown values.

use super::*;

#[test]
fn lookups_tell_entry_role_and_key() {
    let catalog = builtin();
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        ("Microsoft 365 E3", Some("SPE_E3"), None),
        ("SPE_E3", Some("SPE_E3"), None),
        ("05e9a617-0261-4cee-bb44-138d3ef5d965", Some("SPE_E3"), None),
        (
            "Microsoft 365 Business Standard",
            Some("o365-business-premium"),
            None,
        ),
        ("O365_BUSINESS_PREMIUM", Some("o365-business-premium"), None),
        (
            "Exchange Service Administrator",
            None,
            Some("Exchange Administrator"),
        ),
        ("Microsoft 365 E7", None, None),
    ];
    for (value, entry, role) in cases {
        let lookup = catalog.lookup(value);
        let got_entry = lookup
            .entry
            .map(|key| catalog.offer(key.entry).id.to_string());
        let got_role = lookup
            .role
            .map(|key| catalog.role(key.role).name.to_string());
        assert_eq!(got_entry.as_deref(), *entry, "{value}");
        assert_eq!(got_role.as_deref(), *role, "{value}");
        assert_eq!(lookup.found(), entry.is_some() || role.is_some());
        assert_eq!(lookup.suggestions.is_empty(), lookup.found());
    }
}

#[test]
fn unknown_values_get_the_closest_known_names() {
    let catalog = builtin();
    let suggested = |value: &str| -> Vec<(String, usize)> {
        let lookup = catalog.lookup(value);
        assert!(!lookup.found(), "{value}");
        lookup
            .suggestions
            .iter()
            .map(|s| (s.name.clone(), s.distance))
            .collect()
    };
    let e7 = suggested("Microsoft 365 E7");
    assert!(e7.len() <= 5 && e7.len() >= 3, "{e7:?}");
    assert!(e7.iter().all(|(_, distance)| *distance <= 2), "{e7:?}");
    assert_eq!(e7[0], ("Microsoft 365 E3".to_owned(), 1));
    assert_eq!(e7[1], ("Microsoft 365 E5".to_owned(), 1));
    let sorted = e7.windows(2).all(|pair| pair[0].1 <= pair[1].1);
    assert!(sorted, "closest first: {e7:?}");
    let exchange = suggested("Exchange Administrato");
    assert_eq!(exchange[0], ("Exchange Administrator".to_owned(), 1));
    assert!(suggested("qqqqqqqqqqqqqqqq").is_empty());
}

#[test]
fn lookup_text_for_a_product_an_offer_a_role_and_an_unknown_value() {
    let catalog = builtin();
    let text = |value: &str| catalog.lookup(value).to_string();
    assert_eq!(
        text("spe_e3"),
        "\"spe_e3\" resolves to product SPE_E3 \"Microsoft 365 E3\"\n\
         \x20 matched:       its product String_Id\n\
         \x20 GUID:          05e9a617-0261-4cee-bb44-138d3ef5d965\n\
         \x20 services:      OfficeApps, OneDrive, OfficeWeb, Exchange, SharePoint, Teams, Yammer, \
         Planner, Bookings, Stream, InformationProtection, Intune, EntraIDP1\n\
         \x20 upgrade path:  none (a product that is no offer is never upgraded; it counts as a \
         held subscription or another license)\n"
    );
    assert_eq!(
        text("f245ecc8-75af-4f8e-b61f-27d8114de5f3"),
        "\"f245ecc8-75af-4f8e-b61f-27d8114de5f3\" resolves to offer o365-business-premium \
         \"Office 365 Business Premium\"\n\
         \x20 matched:       the GUID of product O365_BUSINESS_PREMIUM \"Microsoft 365 Business \
         Standard\" (GUID f245ecc8-75af-4f8e-b61f-27d8114de5f3), which is this offer\n\
         \x20 SKU:           O365_BUSINESS_PREMIUM\n\
         \x20 aliases:       Microsoft 365 Business Standard\n\
         \x20 services:      OfficeApps, OneDrive, OfficeWeb, Exchange, SharePoint, Teams, Yammer, \
         Planner, Bookings, Stream\n\
         \x20 upgrade path:  o365-e3 (Office 365 Enterprise E3), o365-e5 (Office 365 Enterprise E5)\n\
         \x20 seat limit:    300\n"
    );
    assert_eq!(
        text("power bi administrator"),
        "\"power bi administrator\" resolves to role \"Fabric Administrator\"\n\
         \x20 matched:       a former name (alias)\n\
         \x20 role id:       a9ea8996-122f-4c74-9520-8edcd192826c\n\
         \x20 aliases:       Power BI Administrator\n\
         \x20 services:      PowerBI\n\
         \x20 upgrade right: none\n"
    );
    assert_eq!(
        text("Exchange Administrato"),
        "\"Exchange Administrato\" is unknown: no offer, product or role of the catalog is known \
         by it\n\
         \x20 closest known names: \"Exchange Administrator\" (role), \"License Administrator\" \
         (role), \"Intune Administrator\" (role), \"Billing Administrator\" (role)\n"
    );
    assert_eq!(
        text("qqqqqqqqqqqqqqqq"),
        "\"qqqqqqqqqqqqqqqq\" is unknown: no offer, product or role of the catalog is known by it\n\
         \x20 no known name is close to it\n"
    );
}
