//! Tests of the catalog: the built-in one against the contract, resolution by every
//! key kind and precedence, derivation of product services, custom catalogs.

use super::*;

fn builtin() -> Catalog {
    Catalog::builtin().expect("the built-in catalog is valid")
}

fn id(catalog: &Catalog, value: &str) -> Option<String> {
    catalog
        .resolve(value)
        .map(|o| catalog.offer(o).id.to_string())
}

#[test]
fn builtin_catalog_matches_the_contract() {
    let catalog = builtin();
    assert_eq!(catalog.offer_count(), 18);
    assert_eq!(catalog.vocabulary().len(), 17);
    let path = |from: &str| -> Vec<String> {
        let from = catalog.resolve(from).unwrap();
        catalog
            .upgrade_path(from)
            .iter()
            .map(|o| catalog.offer(*o).id.to_string())
            .collect()
    };
    assert_eq!(
        path("o365-business"),
        [
            "o365-business-premium",
            "o365-proplus",
            "o365-e3",
            "o365-e5"
        ]
    );
    assert_eq!(path("o365-business-premium"), ["o365-e3", "o365-e5"]);
    assert_eq!(
        path("o365-business-essentials"),
        ["o365-business-premium", "o365-e1", "o365-e3", "o365-e5"]
    );
    assert_eq!(
        path("o365-business-essentials-india"),
        [
            "o365-business-premium-india",
            "o365-e1",
            "o365-e3",
            "o365-e5"
        ]
    );
    assert!(path("m365-business-premium").is_empty());
    let e5 = catalog.offer(catalog.resolve("o365-e5").unwrap());
    let e3 = catalog.offer(catalog.resolve("o365-e3").unwrap());
    assert!(e5.services.is_superset_of(&e3.services));
    assert_eq!(e5.services.minus(&e3.services).len(), 4);
}

#[test]
fn resolves_ids_names_former_names_and_skus() {
    let catalog = builtin();
    let cases = [
        ("o365-e3", Some("o365-e3")),
        ("Office 365 E3", Some("o365-e3")),
        ("ENTERPRISEPACK", Some("o365-e3")),
        ("enterprisepack", Some("o365-e3")),
        ("  Office   365  Enterprise E3 ", Some("o365-e3")),
        (
            "Microsoft 365 Business Basic",
            Some("o365-business-essentials"),
        ),
        (
            "Office 365 Advanced Threat Protection",
            Some("defender-o365-plan1"),
        ),
        (
            "Microsoft 365 Business Basic India",
            Some("o365-business-essentials-india"),
        ),
        ("Azure plan", None),
    ];
    for (value, expected) in cases {
        assert_eq!(id(&catalog, value).as_deref(), expected, "{value}");
    }
}

#[test]
fn rename_trap() {
    let catalog = builtin();
    assert_eq!(
        id(&catalog, "Microsoft 365 Business Standard").as_deref(),
        Some("o365-business-premium")
    );
    assert_eq!(
        id(&catalog, "Office 365 Business Premium").as_deref(),
        Some("o365-business-premium")
    );
    assert_eq!(
        id(&catalog, "O365_BUSINESS_PREMIUM").as_deref(),
        Some("o365-business-premium")
    );
    assert_eq!(
        id(&catalog, "Microsoft 365 Business Premium").as_deref(),
        Some("m365-business-premium")
    );
    assert_eq!(
        id(&catalog, "SPB").as_deref(),
        Some("m365-business-premium")
    );
}

#[test]
fn india_offers_never_upgrade_to_global_business_premium() {
    let catalog = builtin();
    let global_bp = catalog.resolve("o365-business-premium").unwrap();
    for from in [
        "o365-business-india",
        "o365-business-essentials-india",
        "o365-business-premium-india",
    ] {
        let from = catalog.resolve(from).unwrap();
        assert!(!catalog.upgrade_path(from).contains(&global_bp));
    }
}

#[test]
fn lookup_key_normalises() {
    let cases = [
        ("  Office\t365   E3 ", "office 365 e3"),
        ("ÄRGER Plan", "ärger plan"),
        // The no-break space (Excel, Microsoft's list) and other Unicode white space.
        ("Microsoft\u{a0}365\u{a0}\u{a0}E3", "microsoft 365 e3"),
        (
            "O365_w/o\u{a0}Teams\u{2003}Bundle_M3",
            "o365_w/o teams bundle_m3",
        ),
        ("\u{b}\r\nSPE_E3\u{c}", "spe_e3"),
        ("", ""),
    ];
    let mut scratch = String::from("left over");
    for (value, key) in cases {
        assert_eq!(lookup_key(value), key, "{value:?}");
        lookup_key_into(value, &mut scratch);
        assert_eq!(scratch, key, "{value:?}");
    }
}

#[test]
fn the_fingerprint_follows_every_file() {
    let builtin = builtin().fingerprint();
    assert_eq!(builtin.len(), 64);
    assert!(
        builtin
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let dir = tempfile::tempdir().unwrap();
    let written = export_builtin(dir.path()).unwrap();
    assert_eq!(written.len(), FILE_NAMES.len());
    let exported = Catalog::from_dir(dir.path()).unwrap();
    assert_eq!(
        exported.fingerprint(),
        builtin,
        "the same bytes, the same fingerprint"
    );
    assert_eq!(
        exported.entry_count(),
        Catalog::builtin().unwrap().entry_count()
    );

    let roles = dir.path().join("roles.csv");
    let mut edited = std::fs::read_to_string(&roles).unwrap();
    edited.push_str("Custom Role,,,none,\n");
    std::fs::write(&roles, edited).unwrap();
    let with_edit = Catalog::from_dir(dir.path()).unwrap().fingerprint();
    std::fs::remove_file(&roles).unwrap();
    let without_roles = Catalog::from_dir(dir.path()).unwrap().fingerprint();
    std::fs::write(&roles, "").unwrap();
    let empty_roles = CatalogFiles::from_dir(dir.path()).unwrap().fingerprint();
    let all = [&builtin, &with_edit, &without_roles, &empty_roles];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

mod custom;
mod lookup;
mod resolution;
mod roles;

/// Microsoft's header of `products.csv`.
const PRODUCTS_HEADER: &str = "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\n";
const OFFERS_HEADER: &str = "offer_id,name,sku,region,max_quantity,services,aliases\n";

/// A catalog of the given file bodies (header added; `None`: the file is absent).
fn custom(
    offers: &str,
    paths: &str,
    products: Option<&str>,
    plans: Option<&str>,
    roles: Option<&str>,
) -> Result<Catalog, CatalogError> {
    let offers = format!("{OFFERS_HEADER}{offers}");
    let paths = format!("from_offer,to_offer\n{paths}");
    let products = products.map(|body| format!("{PRODUCTS_HEADER}{body}"));
    let plans = plans.map(|body| format!("service,service_plans\n{body}"));
    let roles = roles.map(|body| format!("role,role_id,services,upgrade,aliases\n{body}"));
    Catalog::from_files(CatalogFiles::in_memory([
        Some(&offers),
        Some(&paths),
        products.as_deref(),
        plans.as_deref(),
        roles.as_deref(),
    ]))
}

/// The names of `set`, `;`-joined in vocabulary order.
fn names(catalog: &Catalog, set: &ServiceSet) -> String {
    catalog.vocabulary().join(set, ";")
}

/// The services of the entry `value` resolves to, sorted by name.
fn sorted_services(catalog: &Catalog, value: &str) -> Vec<String> {
    let entry = catalog.resolve(value).expect(value);
    let mut services: Vec<String> = names(catalog, &catalog.offer(entry).services)
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    services.sort();
    services
}
