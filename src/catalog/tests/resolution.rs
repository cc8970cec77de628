//! Resolution by every key kind, key precedence and collisions, and the services
//! products derive from their plans (contract §3).

use super::*;

fn kind_name(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::OfferId => "offer id",
        KeyKind::OfferName => "offer name",
        KeyKind::OfferSku => "offer sku",
        KeyKind::OfferAlias => "offer alias",
        KeyKind::ProductStringId(_) => "product string_id",
        KeyKind::ProductGuid(_) => "product guid",
        KeyKind::ProductName(_) => "product name",
    }
}

/// A value and what it resolves to: (entry id, key kind, the entry is an offer).
type Case = (&'static str, Option<(&'static str, &'static str, bool)>);

/// `value` → (entry id, key kind, entry is an offer).
fn resolved(catalog: &Catalog, value: &str) -> Option<(String, &'static str, bool)> {
    catalog.resolve_key(value).map(|key| {
        (
            catalog.offer(key.entry).id.to_string(),
            kind_name(key.kind),
            catalog.is_offer(key.entry),
        )
    })
}

#[test]
fn builtin_keys_of_every_kind() {
    let catalog = builtin();
    let cases: &[Case] = &[
        ("o365-e3", Some(("o365-e3", "offer id", true))),
        (
            "Office 365 Enterprise E3",
            Some(("o365-e3", "offer name", true)),
        ),
        ("ENTERPRISEPACK", Some(("o365-e3", "offer sku", true))),
        ("Office 365 E3", Some(("o365-e3", "offer alias", true))),
        // The GUID of ENTERPRISEPACK belongs to the offer whose SKU it is.
        (
            "6fd2c87f-b296-42f0-b197-1e91e994b900",
            Some(("o365-e3", "product guid", true)),
        ),
        (
            "F245ECC8-75AF-4F8E-B61F-27D8114DE5F3",
            Some(("o365-business-premium", "product guid", true)),
        ),
        (
            "Microsoft 365 Business Standard",
            Some(("o365-business-premium", "offer alias", true)),
        ),
        (
            "Microsoft 365 Business Premium",
            Some(("m365-business-premium", "offer name", true)),
        ),
        ("SPE_E3", Some(("SPE_E3", "product string_id", false))),
        (
            "05e9a617-0261-4cee-bb44-138d3ef5d965",
            Some(("SPE_E3", "product guid", false)),
        ),
        ("Microsoft 365 E3", Some(("SPE_E3", "product name", false))),
        (
            "  microsoft   365\te3 ",
            Some(("SPE_E3", "product name", false)),
        ),
        (
            "Microsoft\u{a0}365\u{a0}\u{a0}E3",
            Some(("SPE_E3", "product name", false)),
        ),
        // Microsoft writes this String_Id with no-break spaces.
        (
            "O365_w/o Teams Bundle_M3",
            Some((
                "O365_w/o\u{a0}Teams\u{a0}Bundle_M3",
                "product string_id",
                false,
            )),
        ),
        // A display name two products share: the first in the file.
        (
            "Visio Plan 2",
            Some(("VISIO_PLAN2_DEPT", "product name", false)),
        ),
        (
            "VISIOCLIENT",
            Some(("VISIOCLIENT", "product string_id", false)),
        ),
        (
            "Azure Information Protection Plan 1",
            Some(("RIGHTSMANAGEMENT", "product name", false)),
        ),
        // Shared with SMB_BUSINESS, and an alias of the offer: the offer wins.
        (
            "Microsoft 365 Apps for Business",
            Some(("o365-business", "offer alias", true)),
        ),
        (
            "SMB_BUSINESS",
            Some(("SMB_BUSINESS", "product string_id", false)),
        ),
        ("Azure plan", None),
        ("", None),
    ];
    for (value, expected) in cases {
        let expected = expected.map(|(id, kind, offer)| (id.to_owned(), kind, offer));
        assert_eq!(resolved(&catalog, value), expected, "{value:?}");
    }
}

#[test]
fn a_string_id_two_products_share_names_the_first() {
    let catalog = builtin();
    let name = |value: &str| {
        catalog
            .offer(catalog.resolve(value).unwrap())
            .name
            .to_string()
    };
    let first = "Skype for Business PSTN Calling Domestic Small";
    let second = "Skype for Business PSTN Domestic Calling (120 Minutes)";
    assert_eq!(name("MCOPSTN5"), first);
    assert_eq!(name("d43177b5-475b-4880-92d4-d54c27b5efbd"), first);
    assert_eq!(name("54a152dc-90de-4996-93d2-bc47e670fc06"), second);
    assert_eq!(name(second), second);
    let entries = catalog
        .offers()
        .filter(|(_, e)| &*e.id == "MCOPSTN5")
        .count();
    assert_eq!(entries, 2, "both products are entries, with the same id");
}

#[test]
fn builtin_catalog_holds_every_product_of_microsofts_list() {
    let catalog = builtin();
    assert_eq!(catalog.products().count(), 569);
    let offers = catalog
        .products()
        .filter(|(_, p)| catalog.is_offer(p.entry));
    assert_eq!(offers.count(), 15);
    assert_eq!(catalog.entry_count(), 18 + 569 - 15);
    assert!(catalog.entry_count() <= MAX_ENTRIES);
    for (idx, entry) in catalog.offers().skip(catalog.offer_count()) {
        assert!(catalog.upgrade_path(idx).is_empty(), "{}", entry.id);
        assert_eq!(entry.max_quantity, None);
        let EntryKind::Product(product) = catalog.kind(idx) else {
            panic!("{} is a product", entry.id);
        };
        assert_eq!(catalog.product(product).entry, idx);
    }
}

/// Contract §3: with the built-in `service_plans.csv`, every offer of `offers.csv`
/// that Microsoft's list contains derives exactly the services `offers.csv` gives it.
#[test]
fn every_offer_in_microsofts_list_derives_exactly_its_services() {
    let catalog = builtin();
    let mut matched: Vec<&str> = Vec::new();
    for (_, product) in catalog.products() {
        if !catalog.is_offer(product.entry) {
            continue;
        }
        let offer = catalog.offer(product.entry);
        assert_eq!(
            names(&catalog, &product.services),
            names(&catalog, &offer.services),
            "product {} ({}) derives other services than offer {}",
            product.string_id,
            product.name,
            offer.id
        );
        matched.push(&offer.id);
    }
    matched.sort_unstable();
    assert_eq!(
        matched,
        [
            "audio-conferencing",
            "defender-o365-plan1",
            "exchange-online-plan1",
            "exchange-online-plan2",
            "m365-business-premium",
            "o365-business",
            "o365-business-essentials",
            "o365-business-premium",
            "o365-e1",
            "o365-e3",
            "o365-e5",
            "o365-proplus",
            "power-bi-pro",
            "sharepoint-online-plan1",
            "teams-phone-standard",
        ],
        "the offers with a SKU are in Microsoft's list, the India offers are not"
    );
}

#[test]
fn microsoft_365_e3_derives_the_services_the_contract_lists() {
    let catalog = builtin();
    let mut expected = [
        "OfficeApps",
        "Exchange",
        "SharePoint",
        "OneDrive",
        "OfficeWeb",
        "Teams",
        "Yammer",
        "Planner",
        "Bookings",
        "Stream",
        "InformationProtection",
        "Intune",
        "EntraIDP1",
    ];
    expected.sort_unstable();
    for value in [
        "Microsoft 365 E3",
        "SPE_E3",
        "05e9a617-0261-4cee-bb44-138d3ef5d965",
    ] {
        assert_eq!(sorted_services(&catalog, value), expected, "{value}");
        assert_eq!(catalog.resolve(value), catalog.resolve("SPE_E3"));
    }
}

#[test]
fn government_plans_make_up_the_services_of_their_plain_plans() {
    let catalog = builtin();
    // Its Exchange, SharePoint, Teams … plans all end in _GOV.
    let mut expected = [
        "Exchange",
        "SharePoint",
        "OneDrive",
        "OfficeApps",
        "OfficeWeb",
        "Planner",
        "Bookings",
        "Stream",
        "InformationProtection",
        "PhoneSystem",
        "AudioConferencing",
        "DefenderO365",
        "Intune",
        "EntraIDP1",
    ];
    expected.sort_unstable();
    assert_eq!(sorted_services(&catalog, "Microsoft 365 GCC G5"), expected);
    assert!(sorted_services(&catalog, "Dynamics 365 Business Central Essentials").is_empty());
}

const PRECEDENCE_OFFERS: &str = "\
a,Alpha,SKU_A,global,10,X,Shared Name
b,Beta,00000000-0000-0000-0000-00000000000b,global,,X;Y,
";

const PRECEDENCE_PRODUCTS: &str = "\
Alpha Product,SKU_A,00000000-0000-0000-0000-00000000000a,PLAN_X,1,Plan X
Gamma,PROD_G,00000000-0000-0000-0000-000000000001,PLAN_Y_GOV,2,Plan Y (government)
Shared Name,PROD_S,00000000-0000-0000-0000-000000000002,PLAN_X,1,Plan X
Alpha Product,PROD_T,00000000-0000-0000-0000-000000000003,PLAN_X,1,Plan X
Gamma,PROD_D,00000000-0000-0000-0000-000000000004,plan_x,1,Plan X
PROD_Z,PROD_N,00000000-0000-0000-0000-000000000005,UNKNOWN_PLAN,9,Something else
Zed,PROD_Z,00000000-0000-0000-0000-000000000006,PLAN_Y,2,Plan Y
Beta Product,BETA_ID,00000000-0000-0000-0000-00000000000B,PLAN_Y,2,Plan Y
Gamma,PROD_G,00000000-0000-0000-0000-000000000001,PLAN_X,1,Plan X
";

#[test]
fn keys_of_lower_precedence_never_override_higher_ones() {
    let catalog = custom(
        PRECEDENCE_OFFERS,
        "a,b\n",
        Some(PRECEDENCE_PRODUCTS),
        Some("X,PLAN_X\nY,plan_y\n"),
        None,
    )
    .unwrap();
    let cases: &[Case] = &[
        ("SKU_A", Some(("a", "offer sku", true))),
        (
            "00000000-0000-0000-0000-00000000000a",
            Some(("a", "product guid", true)),
        ),
        // The display name of a product that is an offer resolves to that offer,
        // above another product's String_Id or display name.
        ("alpha product", Some(("a", "product name", true))),
        ("BETA_ID", Some(("b", "product string_id", true))),
        ("Beta Product", Some(("b", "product name", true))),
        // An offer's alias beats a product's display name.
        ("Shared Name", Some(("a", "offer alias", true))),
        ("PROD_S", Some(("PROD_S", "product string_id", false))),
        ("PROD_T", Some(("PROD_T", "product string_id", false))),
        // A display name two products share: the first product in the file.
        ("gamma", Some(("PROD_G", "product name", false))),
        ("PROD_D", Some(("PROD_D", "product string_id", false))),
        // A String_Id beats a display name, even one earlier in the file.
        ("PROD_Z", Some(("PROD_Z", "product string_id", false))),
        (
            "00000000-0000-0000-0000-000000000005",
            Some(("PROD_N", "product guid", false)),
        ),
        ("nothing", None),
    ];
    for (value, expected) in cases {
        let expected = expected.map(|(id, kind, offer)| (id.to_owned(), kind, offer));
        assert_eq!(resolved(&catalog, value), expected, "{value:?}");
    }
    assert_eq!(catalog.offer_count(), 2);
    assert_eq!(catalog.entry_count(), 2 + 6);
    let services = |value: &str| {
        names(
            &catalog,
            &catalog.offer(catalog.resolve(value).unwrap()).services,
        )
    };
    // Offers keep the services of offers.csv, whatever their products derive.
    assert_eq!(services("a"), "X");
    assert_eq!(services("b"), "X;Y");
    // Rows of one GUID join, wherever they stand; plans compare case-insensitively
    // and without a trailing _GOV.
    assert_eq!(services("PROD_G"), "X;Y");
    assert_eq!(services("PROD_D"), "X");
    assert_eq!(services("PROD_N"), "");
}

#[test]
fn without_service_plans_every_product_has_no_service() {
    let catalog = custom(PRECEDENCE_OFFERS, "", Some(PRECEDENCE_PRODUCTS), None, None).unwrap();
    for (_, product) in catalog.products() {
        assert!(product.services.is_empty(), "{}", product.string_id);
    }
    assert_eq!(
        names(
            &catalog,
            &catalog.offer(catalog.resolve("a").unwrap()).services
        ),
        "X"
    );
}

#[test]
fn without_products_only_offers_resolve() {
    let catalog = custom(PRECEDENCE_OFFERS, "", None, Some("X,PLAN_X\n"), None).unwrap();
    assert_eq!(catalog.entry_count(), 2);
    assert_eq!(catalog.products().count(), 0);
    assert_eq!(catalog.resolve("Alpha Product"), None);
    assert!(catalog.resolve("SKU_A").is_some());
}

#[test]
fn microsoft_names_are_given_where_the_offer_name_does_not_say_them() {
    let catalog = Catalog::builtin().unwrap();
    let by_id = |id: &str| {
        let offer = catalog.resolve(id).unwrap();
        catalog.microsoft_name(offer).map(str::to_owned)
    };
    let cases: &[(&str, Option<&str>)] = &[
        (
            "o365-business-premium",
            Some("Microsoft 365 Business Standard"),
        ),
        (
            "o365-business-essentials",
            Some("Microsoft 365 Business Basic"),
        ),
        ("o365-business", Some("Microsoft 365 Apps for Business")),
        // "Office 365 E3": every word is in "Office 365 Enterprise E3".
        ("o365-e3", None),
    ];
    for (id, expected) in cases {
        assert_eq!(by_id(id).as_deref(), *expected, "{id}");
    }
}
