//! Tests of the four files' header spellings, `--column` overrides and delimiter
//! detection under them.

use super::*;
use crate::csvio::{delimiter_name, describe_mapping, detect_delimiter};
use InputFile::*;

fn specs(file: InputFile) -> Vec<ColumnSpec> {
    let required: &[&str] = match file {
        Customers => &["customer_id", "company_name"],
        Subscriptions => &[
            "subscription_id",
            "customer_id",
            "offer",
            "status",
            "quantity",
        ],
        // `services` and `roles` are optional alone; one of them is required.
        Relationships => &["customer_id", "status"],
        Licenses => &["customer_id", "user_principal_name", "offer"],
        ActiveUsers => &["user_principal_name", "licenses"],
    };
    let spec = |f| ColumnSpec {
        name: f,
        required: required.contains(&f),
    };
    file.fields().map(spec).collect()
}

/// The accepted spellings of `field` in `file`, the canonical name first.
fn aliases(file: InputFile, field: &str) -> &'static [&'static str] {
    crate::csvio::aliases(file.table(), field)
}

fn parse_overrides(list: &str) -> Vec<ColumnOverride> {
    let specs = list.split('&').map(str::trim).filter(|s| !s.is_empty());
    specs.map(|s| s.parse().expect("valid override")).collect()
}

/// `file | header (comma-separated) | overrides (" & "-separated) | columns
/// per field in contract order ("-" = none), or the error message`.
const MAP_CASES: &[&str] = &[
    "customers | customer_id,company_name,domain,country,account_manager | | 0 1 2 3 4",
    "customers | Company name,Microsoft ID,Primary domain name,Country/Region | | 1 0 2 3 -",
    "customers | \u{FEFF}CUSTOMER-ID , Customer_Name,Notes,Account Manager | | 0 1 - - 3",
    "customers | CustomerId,CustomerName,DomainName,CustomerCountry | | 0 1 2 3 -",
    "customers | Tenant ID,Company name,Domain name,Primary domain | | error: columns 3 \"Domain name\" and 4 \"Primary domain\" both map to \"domain\"; choose one with --column customers.domain=HEADER",
    "customers | customer_id,Tenant ID | customers.company_name=Tenant ID | 0 1 - - -",
    "customers | Kundennummer,Firma | customers.customer_id=Kundennummer & customers.company_name=firma | 0 1 - - -",
    "customers | customer_id,Firma | subscriptions.offer=Firma | error: missing required column \"company_name\" (looked for: company_name, Company name, Customer name, CustomerName)",
    "subscriptions | Subscription ID,Customer ID,Offer name,Status,Licenses | | 0 1 2 3 4 -",
    "subscriptions | SubscriptionId,Tenant ID,Product,Status,Seats,Channel | | 0 1 2 3 4 5",
    "subscriptions | subscription_id,customer_id,offer,status | | error: missing required column \"quantity\" (looked for: quantity, Quantity, Licenses, Seats)",
    "subscriptions | Subscription ID,Customer ID,Offer name,Status,Offer ID,Quantity | | error: columns 3 \"Offer name\" and 5 \"Offer ID\" both map to \"offer\"; choose one with --column subscriptions.offer=HEADER",
    "subscriptions | Subscription ID,Customer ID,Offer name,Status,Offer ID,Quantity | subscriptions.offer=Offer ID | 0 1 4 3 5 -",
    "subscriptions | Subscription ID,Customer ID,Offer name,Status,Offer ID,Quantity | subscriptions.offer=x & subscriptions.offer=offerid | 0 1 4 3 5 -",
    "subscriptions | id,customer,Produktname,status,quantity,offer | subscriptions.subscription_id=id & subscriptions.customer_id=customer & subscriptions.offer=Produktname | 0 1 2 3 4 -",
    "subscriptions | subscription_id,customer_id,status,quantity | subscriptions.offer=Produkt | error: missing required column \"offer\" (looked for: Produkt)",
    "subscriptions | subscription_id,customer_id,offer,status,quantity,Status | | error: columns 4 \"status\" and 6 \"Status\" both map to \"status\"; choose one with --column subscriptions.status=HEADER",
    "admin_relationships | Customer tenant ID,Status,Services,Start date,Expiry,Relationship ID | | 0 1 2 - 3 4 5 -",
    "admin_relationships | Customer ID,Relationship status,Services,endDateTime,Roles | | 0 1 2 4 - 3 - -",
    "admin_relationships | Customer ID,Status,Roles | | 0 1 - 2 - - - -",
    "admin_relationships | customer_id,status,unifiedRoles,relationship_id | | 0 1 - 2 - - 3 -",
    "admin_relationships | customer_id,status,Entra roles,services | | 0 1 3 2 - - - -",
    "admin_relationships | customer_id,status,Start date | | error: missing required column \"services\" or \"roles\" (looked for: services, Services, roles, Roles, Entra roles, Microsoft Entra roles, Azure AD roles, GDAP roles, unifiedRoles, Role definitions)",
    "admin_relationships | status,Start date | | error: missing required column \"customer_id\" (looked for: customer_id, Customer ID, CustomerId, Microsoft ID, Tenant ID, Customer tenant ID)",
    "admin_relationships | customer_id,status,Roles,GDAP roles | | error: columns 3 \"Roles\" and 4 \"GDAP roles\" both map to \"roles\"; choose one with --column admin_relationships.roles=HEADER",
    "admin_relationships | customer_id,status,Rollen | admin_relationships.roles=Rollen | 0 1 - 2 - - - -",
    "license_assignments | User principal name,Licenses,Tenant ID | | 2 0 1 -",
    "license_assignments | UPN,Product,Customer ID,Disabled plans,Quantity | | 2 0 1 3",
    "license_assignments | UserPrincipalName,License,Licenses,customer_id | | error: columns 2 \"License\" and 3 \"Licenses\" both map to \"offer\"; choose one with --column license_assignments.offer=HEADER",
    "users | Display name,User principal name,First name,Licenses,Usage location | | 1 3",
    "users | UPN,Assigned licenses,Licenses | | error: columns 2 \"Assigned licenses\" and 3 \"Licenses\" both map to \"licenses\"; choose one with --column users.licenses=HEADER",
    "users | Benutzerprinzipalname,Lizenzen | users.user_principal_name=Benutzerprinzipalname & users.licenses=Lizenzen | 0 1",
];

/// Splits a case line at `|` into its trimmed parts.
fn parts<const N: usize>(case: &str) -> [&str; N] {
    let parts: Vec<&str> = case.split('|').map(str::trim).collect();
    parts
        .try_into()
        .unwrap_or_else(|_| panic!("bad case {case}"))
}

#[test]
fn maps_headers() {
    for case in MAP_CASES {
        let [file, header, overrides, want] = parts(case);
        let file = InputFile::from_prefix(file).expect("file");
        let header: Vec<&str> = header.split(',').collect();
        let (specs, overrides) = (specs(file), parse_overrides(overrides));
        let got = describe_mapping(&header, &file.rules(&specs, &overrides));
        assert_eq!(got, want, "{case}");
    }
}

#[test]
fn alias_table_is_consistent() {
    for file in [
        Customers,
        Subscriptions,
        Relationships,
        Licenses,
        ActiveUsers,
    ] {
        let mut seen: Vec<(String, &str)> = Vec::new();
        for field in file.fields() {
            assert_eq!(aliases(file, field).first(), Some(&field), "{file} {field}");
            for alias in aliases(file, field) {
                let key = normalize(alias);
                let clash = seen.iter().find(|(k, f)| *k == key && *f != field);
                assert!(
                    clash.is_none(),
                    "{file}: {alias} maps to {field} and {clash:?}"
                );
                seen.push((key, field));
            }
        }
        assert!(aliases(file, "quantity_x").is_empty());
    }
    assert!(aliases(Subscriptions, "quantity").contains(&"Licenses"));
    assert!(aliases(Licenses, "offer").contains(&"Licenses"));
    assert!(
        aliases(Subscriptions, "offer")
            .iter()
            .all(|a| *a != "Licenses")
    );
    assert!(
        aliases(Relationships, "services")
            .iter()
            .all(|a| normalize(a) != "roles")
    );
}

/// `--column value | file | field | header`, or `value | error message`.
const OVERRIDE_CASES: &[&str] = &[
    "subscriptions.offer=Produktname | subscriptions.csv | offer | Produktname",
    "customers.csv.customer_id=Kundennummer | customers.csv | customer_id | Kundennummer",
    "licenses.User-Principal-Name = E-Mail | license_assignments.csv | user_principal_name | E-Mail",
    "relationships.end_date=Ende am 31.12. | admin_relationships.csv | end_date | Ende am 31.12.",
    "Admin_Relationships.CSV.status=a=b | admin_relationships.csv | status | a=b",
    "subscriptions.offer | expected FILE.FIELD=HEADER, e.g. subscriptions.offer=Produktname",
    "offer=Produkt | expected FILE.FIELD=HEADER, e.g. subscriptions.offer=Produktname",
    "orders.offer=x | unknown file \"orders\" (expected customers, subscriptions, admin_relationships or license_assignments)",
    "license_assignments.quantity=Anzahl | license_assignments.csv has no column \"quantity\" (expected one of customer_id, user_principal_name, offer, disabled_services)",
    "licenses.UPN=x | license_assignments.csv has no column \"UPN\" (expected one of customer_id, user_principal_name, offer, disabled_services)",
    "users.licenses=Lizenzen | users/*.csv | licenses | Lizenzen",
    "customers.country=  | the header after \"=\" is empty",
    "customers.country=__ | the header after \"=\" is empty",
];

#[test]
fn parses_overrides() {
    for case in OVERRIDE_CASES {
        let (spec, want) = case.split_once(" | ").expect("case");
        let got = match spec.parse::<ColumnOverride>() {
            Ok(o) => format!("{} | {} | {}", o.file, o.field, o.header),
            Err(error) => error.to_string(),
        };
        assert_eq!(got, want, "{case}");
    }
}

/// `file | first line(s) | overrides | expected delimiter name or "none"`.
const DELIMITER_CASES: &[&str] = &[
    "customers | customer_id,company_name\r\nc1;x,y | | comma",
    "customers | \u{FEFF}Microsoft ID;Company name;Country\r\n | | semicolon",
    "customers | customer_id\tcompany_name\n | | tab",
    "customers | customer_id;\"Company name, legal\";company_name\n | | semicolon",
    "customers | \"customer_id\",\"Company\nname\"\n | | comma",
    "customers | \"customer_id,company_name\";x | | none",
    "customers | customer_id;company_name,domain | | none",
    "customers | customer_id | | none",
    "customers |  | | none",
    "customers | Nr;Firma;Land | customers.customer_id=Nr & customers.company_name=Firma | semicolon",
    "subscriptions | Subscription ID;Customer ID;Offer name;Status;Licenses | | semicolon",
    "license_assignments | UPN\tLicenses\tTenant ID\r\n | | tab",
    "admin_relationships | customer_id;status;Roles\n | | semicolon",
    "admin_relationships | customer_id,status,Roles\n | | comma",
    "admin_relationships | customer_id;status;x,roles\n | | none",
    "admin_relationships | customer_id;status;start_date\n | | none",
];

#[test]
fn detects_delimiters() {
    for case in DELIMITER_CASES {
        let [file, line, overrides, want] = parts(case);
        let file = InputFile::from_prefix(file).expect("file");
        let specs = specs(file);
        let overrides = parse_overrides(overrides);
        let got = detect_delimiter(line.as_bytes(), &file.rules(&specs, &overrides));
        assert_eq!(got.map_or("none", delimiter_name), want, "{case:?}");
    }
}

#[test]
fn names_files() {
    let files = [
        ("customers", Some(Customers)),
        ("Customers.CSV", Some(Customers)),
        ("subscriptions.csv", Some(Subscriptions)),
        ("relationships", Some(Relationships)),
        ("admin_relationships", Some(Relationships)),
        ("licenses.csv", Some(Licenses)),
        ("license_assignments", Some(Licenses)),
        ("customer", None),
        ("customers.tsv", None),
        ("", None),
    ];
    for (name, want) in files {
        assert_eq!(InputFile::from_prefix(name), want, "{name}");
    }
    for file in [Customers, Subscriptions, Relationships, Licenses] {
        assert_eq!(InputFile::from_prefix(file.file_name()), Some(file));
        assert_eq!(format!("{}.csv", file.prefix()), file.to_string());
    }
}
