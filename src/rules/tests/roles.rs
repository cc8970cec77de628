//! Check 3 with GDAP roles (contract §4, v2): the services roles cover, the
//! upgrade type role-only relationships allow, and the roles details name.

use super::*;
use crate::rules::{role_for_right, roles_for_services};

/// The failure of check 3 for Business Essentials → `target` with the customer's
/// relationships given as scopes (`roles:…` is role-only), and whether users hold
/// the source (license transfer).
fn check3(scopes: &[&'static str], target: &str, transfer: bool) -> Option<Failure> {
    let c = catalog();
    let mut customer =
        Customer1::default().sub("s1", "o365-business-essentials", Active, 10, ThisPartner);
    for scope in scopes {
        customer
            .relationships
            .push((RelationshipStatus::Active, scope, None, None));
    }
    let dataset = customer.dataset(&c);
    let access = admin_access(
        &c,
        dataset.customer(CustomerIdx(0)).relationships,
        day(AS_OF),
    );
    let upgrade_type = if transfer {
        UpgradeType::UpgradeWithLicenseTransfer
    } else {
        UpgradeType::UpgradeOnly
    };
    check_admin_access(&access, &c.offer(offer(&c, target)).services, upgrade_type)
}

fn role_names(c: &Catalog, roles: &[crate::catalog::RoleIdx]) -> Vec<String> {
    roles.iter().map(|&r| c.role(r).name.to_string()).collect()
}

#[test]
fn roles_cover_services_and_allow_upgrade_types() {
    /// (relationships, target, license transfer?, missing services, missing right)
    type Case = (
        &'static [&'static str],
        &'static str,
        bool,
        &'static str,
        Option<UpgradeType>,
    );
    let cases: [Case; 11] = [
        // Global Administrator alone allows everything.
        (&["roles:Global Administrator"], "o365-e5", true, "", None),
        (
            &["roles:62e90394-69f5-4237-9190-012177145e10"],
            "o365-business-premium",
            true,
            "",
            None,
        ),
        // Exchange Administrator covers Exchange and Bookings only, and no upgrade type.
        (
            &["roles:Exchange Administrator"],
            "o365-business-premium",
            false,
            "OfficeApps;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Stream",
            Some(UpgradeType::UpgradeOnly),
        ),
        // Directory Readers and workload roles that cover Business Premium: upgrade_only
        // passes, a license transfer needs Directory Writers.
        (
            &[
                "roles:Directory Readers;Exchange Administrator;SharePoint Administrator;Teams Administrator;Yammer Administrator;Office Apps Administrator",
            ],
            "o365-business-premium",
            false,
            "",
            None,
        ),
        (
            &[
                "roles:Directory Readers;Exchange Administrator;SharePoint Administrator;Teams Administrator;Yammer Administrator;Office Apps Administrator",
            ],
            "o365-business-premium",
            true,
            "",
            Some(UpgradeType::UpgradeWithLicenseTransfer),
        ),
        // Directory Writers allows both.
        (
            &[
                "roles:Directory Writers;Exchange Administrator;SharePoint Administrator;Teams Administrator;Yammer Administrator;Office Apps Administrator",
            ],
            "o365-business-premium",
            true,
            "",
            None,
        ),
        // A relationship with a services value allows both upgrade types, whatever the
        // roles of the others; the roles still add services.
        (
            &[
                "Exchange;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner",
                "roles:Office Apps Administrator;SharePoint Administrator",
            ],
            "o365-business-premium",
            true,
            "Bookings",
            None,
        ),
        // A former name, any case; roles by id.
        (
            &["roles:exchange SERVICE administrator;Directory Writers"],
            "o365-business-premium",
            true,
            "OfficeApps;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Stream",
            None,
        ),
        (
            &["roles:29232cdf-9323-42fd-ade2-1d097af3e4de;9360FEB5-F418-4BAA-8175-E2A00BAC4301"],
            "o365-business-premium",
            true,
            "OfficeApps;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Stream",
            None,
        ),
        // The Microsoft-led transition set: no workload role, so every service is missing.
        (
            &[
                "roles:Directory Readers;Directory Writers;License Administrator;User Administrator;Privileged Role Administrator;Privileged Authentication Administrator;Helpdesk Administrator;Service Support Administrator;Cloud Application Administrator;Application Administrator;Global Reader;Security Reader;Reports Reader",
            ],
            "o365-e1",
            true,
            "Exchange;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Bookings;Stream",
            None,
        ),
        // An unknown (custom) role grants nothing.
        (
            &["roles:Custom Helpdesk Tier 2"],
            "o365-e1",
            false,
            "Exchange;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Bookings;Stream",
            Some(UpgradeType::UpgradeOnly),
        ),
    ];
    let c = catalog();
    for (scopes, target, transfer, missing, right) in cases {
        let failure = check3(scopes, target, transfer);
        let expected = if missing.is_empty() && right.is_none() {
            None
        } else {
            Some(Failure::MissingAdminServices {
                missing: services(&c, missing),
                missing_right: right,
            })
        };
        assert_eq!(
            failure, expected,
            "{scopes:?} → {target}, transfer {transfer}"
        );
    }
}

#[test]
fn roles_to_request_are_the_first_granting_each_missing_service() {
    let c = catalog();
    let cases = [
        (
            "OfficeApps;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Stream",
            vec![
                "SharePoint Administrator",
                "Teams Administrator",
                "Yammer Administrator",
                "Office Apps Administrator",
            ],
        ),
        ("Exchange;Bookings", vec!["Exchange Administrator"]),
        (
            "InformationProtection;EntraIDP1",
            vec!["Compliance Administrator", "Security Administrator"],
        ),
        ("", vec![]),
    ];
    for (missing, expected) in cases {
        let roles = roles_for_services(&c, &services(&c, missing));
        // Vocabulary order of the missing services decides the order of the roles.
        let mut got = role_names(&c, &roles);
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{missing}");
    }
    let writers = role_for_right(&c, UpgradeType::UpgradeWithLicenseTransfer).expect("a role");
    assert_eq!(&*c.role(writers).name, "Directory Writers");
    let readers = role_for_right(&c, UpgradeType::UpgradeOnly).expect("a role");
    assert_eq!(&*c.role(readers).name, "Directory Readers");
}

#[test]
fn whole_pairs_with_roles() {
    // Exchange Administrator only blocks an upgrade to Business Premium; Global
    // Administrator alone allows it.
    let exchange_only = Customer1 {
        relationships: vec![(
            RelationshipStatus::Active,
            "roles:Exchange Administrator",
            None,
            None,
        )],
        ..Customer1::default()
    }
    .sub("s1", "o365-business-essentials", Active, 10, ThisPartner);
    assert_eq!(
        exchange_only.reasons("s1", "o365-business-premium"),
        [BlockReason::InsufficientGranularAdminPermissions]
    );
    let global = Customer1 {
        relationships: vec![(
            RelationshipStatus::Active,
            "roles:Global Administrator",
            None,
            None,
        )],
        ..Customer1::default()
    }
    .sub("s1", "o365-business-essentials", Active, 10, ThisPartner)
    .license("a@x", "o365-business-essentials", "");
    assert!(global.reasons("s1", "o365-business-premium").is_empty());
    // Readers and workload roles: eligible without users, blocked with them.
    let readers = "roles:Directory Readers;Exchange Administrator;SharePoint Administrator;Teams Administrator;Yammer Administrator;Office Apps Administrator";
    let without_users = Customer1 {
        relationships: vec![(RelationshipStatus::Active, readers, None, None)],
        ..Customer1::default()
    }
    .sub("s1", "o365-business-essentials", Active, 10, ThisPartner);
    assert!(
        without_users
            .reasons("s1", "o365-business-premium")
            .is_empty()
    );
    let with_users = without_users.license("a@x", "o365-business-essentials", "");
    assert_eq!(
        with_users.reasons("s1", "o365-business-premium"),
        [BlockReason::InsufficientGranularAdminPermissions]
    );
}
