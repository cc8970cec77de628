//! Custom catalogs: what a valid one gives, and every way one is rejected (file,
//! line and cause).

use super::*;

#[test]
fn a_valid_small_catalog() {
    let c = custom(
        "a,Alpha,A1,global,10,X;Y,Old Alpha\nb,Beta,,global,,X;Y;Z,\n",
        "a,b\n",
        None,
        None,
        None,
    )
    .unwrap();
    let a = c.resolve("old  alpha").unwrap();
    let b = c.resolve("BETA").unwrap();
    assert_eq!(c.upgrade_path(a), [b]);
    assert_eq!(c.offer(a).max_quantity, Some(10));
    assert_eq!(c.offer(b).max_quantity, None);
    assert_eq!(&*c.offer(a).aliases, [Box::from("Old Alpha")]);
    assert_eq!(c.roles().count(), 0, "no roles.csv: no role is known");
    assert_eq!(c.resolve_role("Global Administrator"), None);
}

#[test]
fn name_equal_to_alias_of_same_offer_is_fine() {
    let c = custom("a,Alpha,ALPHA,,,X,alpha;Alpha\n", "", None, None, None).unwrap();
    let key = c.resolve_key("ALPHA").unwrap();
    assert_eq!(key.kind, KeyKind::OfferName, "the first key kind is kept");
}

const OFFERS: &str = "a,Alpha,SKU_A,,,X;Y,\nb,Beta,,,,X;Y;Z,\n";
const PRODUCT: &str = "Product P,PROD_P,00000000-0000-0000-0000-000000000001,PLAN_X,1,Plan X\n";

/// (offers, paths, products, service plans, roles, the error after "catalog: ").
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

#[test]
fn rejected_catalogs_name_file_line_and_cause() {
    let cases: &[Case] = &[
        (
            "a,Alpha,,,,X,\n",
            "a,zzz\n",
            None,
            None,
            None,
            "upgrade_paths.csv:2: to_offer: unknown offer \"zzz\" (not in offers.csv)",
        ),
        (
            "a,Alpha,,,,X,\nb,Beta,,,,Y,alpha\n",
            "",
            None,
            None,
            None,
            "offers.csv:3: \"alpha\" names two offers: a and b",
        ),
        (
            "a,Alpha,,,,,\n",
            "",
            None,
            None,
            None,
            "offers.csv:2: offer \"a\" has an empty service list",
        ),
        (
            "a,Alpha,,,ten,X,\n",
            "",
            None,
            None,
            None,
            "offers.csv:2: max_quantity: \"ten\" is not a positive integer (leave it empty for \
             no limit)",
        ),
        (
            "a,Alpha,,,0,X,\n",
            "",
            None,
            None,
            None,
            "offers.csv:2: max_quantity: \"0\" is not a positive integer (leave it empty for \
             no limit)",
        ),
        (
            "a,Alpha,,,+5,X,\n",
            "",
            None,
            None,
            None,
            "offers.csv:2: max_quantity: \"+5\" is not a positive integer (leave it empty for \
             no limit)",
        ),
        (
            "a,Alpha,,,,X;*,\n",
            "",
            None,
            None,
            None,
            "offers.csv:2: services: \"*\" (all services) is allowed only in roles.csv and \
             admin_relationships.csv; list the offer's services",
        ),
        (
            "a,Alpha,,,,X,\n",
            "a,a\n",
            None,
            None,
            None,
            "upgrade_paths.csv:2: an offer cannot upgrade to itself: a",
        ),
        (
            "a,Alpha,,,,X,\nb,Beta,,,,Y,\n",
            "a,b\na,b\n",
            None,
            None,
            None,
            "upgrade_paths.csv:3: duplicate path a -> b",
        ),
        (
            OFFERS,
            "a,b\nprod_p,b\n",
            Some(PRODUCT),
            None,
            None,
            "upgrade_paths.csv:3: from_offer: \"prod_p\" is a product of products.csv, not an \
             offer (upgrade paths name offers of offers.csv)",
        ),
        (
            OFFERS,
            "",
            Some(PRODUCT),
            Some("X,PLAN_X\nMail,EXCHANGE_S_STANDARD\n"),
            None,
            "service_plans.csv:3: service: \"Mail\" is not a service of offers.csv (known: X, Y, Z)",
        ),
        (
            OFFERS,
            "",
            None,
            Some(",PLAN_X\n"),
            None,
            "service_plans.csv:2: service: missing required value",
        ),
        (
            OFFERS,
            "",
            Some("Product P,PROD_P,,PLAN_X,1,Plan X\n"),
            None,
            None,
            "products.csv:2: GUID: missing required value",
        ),
        (
            OFFERS,
            "",
            None,
            None,
            Some("Mail Admin,,X;Mail,none,\n"),
            "roles.csv:2: services: \"Mail\" is not a service of offers.csv (known: X, Y, Z)",
        ),
        (
            OFFERS,
            "",
            None,
            None,
            Some("Reader,,,none,\nWriter,,,upgrade_with_license_transfer,\n"),
            "roles.csv:3: upgrade: unknown value \"upgrade_with_license_transfer\" (expected one \
             of none, upgrade_only, license_transfer)",
        ),
        (
            OFFERS,
            "",
            None,
            None,
            Some("Reader,,,,\n"),
            "roles.csv:2: upgrade: unknown value \"\" (expected one of none, upgrade_only, \
             license_transfer)",
        ),
        (
            OFFERS,
            "",
            None,
            None,
            Some("Admin,,*;X,none,\n"),
            "roles.csv:2: services: \"*\" (all services) must stand alone, not beside service names",
        ),
        (
            OFFERS,
            "",
            None,
            None,
            Some("Admin,id-1,*,license_transfer,Boss\nHelper,id-2,X,none,BOSS\n"),
            "roles.csv:3: \"BOSS\" names two roles: Admin and Helper",
        ),
        (
            OFFERS,
            "",
            None,
            None,
            Some(",id-1,X,none,\n"),
            "roles.csv:2: role: missing required value",
        ),
    ];
    for (offers, paths, products, plans, roles, expected) in cases {
        let err = custom(offers, paths, *products, *plans, *roles)
            .unwrap_err()
            .to_string();
        assert_eq!(err, format!("catalog: {expected}"));
    }
}

#[test]
fn files_without_their_required_columns_name_the_missing_one() {
    let files = |products: &str, plans: &str, roles: &str| {
        let offers = format!("{OFFERS_HEADER}{OFFERS}");
        Catalog::from_files(CatalogFiles::in_memory([
            Some(&offers),
            Some("from_offer,to_offer\n"),
            Some(products),
            Some(plans),
            Some(roles),
        ]))
        .unwrap_err()
        .to_string()
    };
    let plans = "service,service_plans\n";
    let roles = "role,role_id,services,upgrade,aliases\n";
    let cases = [
        (
            // Microsoft's header without GUID.
            files(
                "\u{feff}Product_Display_Name,String_Id,Service_Plan_Name,Service_Plan_Id,\
                 Service_Plans_Included_Friendly_Names\n",
                plans,
                roles,
            ),
            "catalog: products.csv:1: missing required column \"GUID\"",
        ),
        (
            files("offer_id,name,services\n", plans, roles),
            "catalog: products.csv:1: missing required column \"Product_Display_Name\"",
        ),
        (
            files(PRODUCTS_HEADER, "service,plans\n", roles),
            "catalog: service_plans.csv:1: missing required column \"service_plans\"",
        ),
        (
            files(PRODUCTS_HEADER, plans, "role,services,aliases\n"),
            "catalog: roles.csv:1: missing required column \"upgrade\"",
        ),
    ];
    for (got, expected) in cases {
        assert_eq!(got, expected);
    }
}

#[test]
fn microsofts_header_with_a_byte_order_mark_is_read() {
    let products = format!("\u{feff}{PRODUCTS_HEADER}{PRODUCT}");
    let offers = format!("{OFFERS_HEADER}{OFFERS}");
    let catalog = Catalog::from_files(CatalogFiles::in_memory([
        Some(&offers),
        Some("from_offer,to_offer\n"),
        Some(&products),
        Some("service,service_plans\nX,plan_x\n"),
        None,
    ]))
    .unwrap();
    let entry = catalog.resolve("PROD_P").unwrap();
    assert_eq!(names(&catalog, &catalog.offer(entry).services), "X");
}

/// Entries are numbered by a `u16`: the offers and products that are no offer may
/// number [`MAX_ENTRIES`]; the product after that is an error naming its line (so
/// every row before it, up to entry number `MAX_ENTRIES - 1`, was accepted).
#[test]
fn a_catalog_with_more_entries_than_fit_is_rejected() {
    let mut products = String::with_capacity(MAX_ENTRIES * 64);
    for i in 0..MAX_ENTRIES {
        products.push_str(&format!("P{i},P{i},{i:032x},PLAN,1,Plan\n"));
    }
    let err = custom("a,Alpha,,,,X,\n", "", Some(&products), None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "catalog: products.csv:{}: too many products: a catalog holds at most 65536 offers \
             and products together",
            MAX_ENTRIES + 1
        )
    );
}
