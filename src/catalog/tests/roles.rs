//! GDAP roles: the built-in table and resolution by name, id and alias.

use super::*;

/// The role's services, sorted by name and `;`-joined; `*` for all.
fn role_services(catalog: &Catalog, role: RoleIdx) -> String {
    match &catalog.role(role).services {
        RoleServices::All => "*".to_owned(),
        RoleServices::Set(set) => {
            let joined = names(catalog, set);
            let mut names: Vec<&str> = joined.split(';').collect();
            names.sort_unstable();
            names.join(";")
        }
    }
}

#[test]
fn roles_resolve_by_name_id_and_alias_ignoring_case() {
    let catalog = builtin();
    let cases: &[(&str, Option<(&str, RoleKeyKind)>)] = &[
        (
            "Exchange Administrator",
            Some(("Exchange Administrator", RoleKeyKind::Name)),
        ),
        (
            "  exchange   ADMINISTRATOR ",
            Some(("Exchange Administrator", RoleKeyKind::Name)),
        ),
        (
            "29232cdf-9323-42fd-ade2-1d097af3e4de",
            Some(("Exchange Administrator", RoleKeyKind::Id)),
        ),
        (
            "29232CDF-9323-42FD-ADE2-1D097AF3E4DE",
            Some(("Exchange Administrator", RoleKeyKind::Id)),
        ),
        (
            "Exchange Service Administrator",
            Some(("Exchange Administrator", RoleKeyKind::Alias)),
        ),
        (
            "sharepoint service administrator",
            Some(("SharePoint Administrator", RoleKeyKind::Alias)),
        ),
        (
            "Teams Service Administrator",
            Some(("Teams Administrator", RoleKeyKind::Alias)),
        ),
        (
            "Power BI Administrator",
            Some(("Fabric Administrator", RoleKeyKind::Alias)),
        ),
        (
            "Global\u{a0}Administrator",
            Some(("Global Administrator", RoleKeyKind::Name)),
        ),
        (
            "9360feb5-f418-4baa-8175-e2a00bac4301",
            Some(("Directory Writers", RoleKeyKind::Id)),
        ),
        ("Custom Helpdesk Role", None),
        ("Office 365 E3", None),
    ];
    for (value, expected) in cases {
        let got = catalog
            .resolve_role_key(value)
            .map(|key| (catalog.role(key.role).name.to_string(), key.kind));
        let expected = expected.map(|(name, kind)| (name.to_owned(), kind));
        assert_eq!(got, expected, "{value:?}");
        let mut scratch = String::from("left over");
        assert_eq!(
            catalog.resolve_role_with(value, &mut scratch),
            catalog.resolve_role(value)
        );
    }
}

#[test]
fn builtin_roles_grant_what_the_contract_says() {
    let catalog = builtin();
    assert_eq!(catalog.roles().count(), 25);
    let cases = [
        ("Global Administrator", "*", UpgradeRight::LicenseTransfer),
        ("Directory Writers", "", UpgradeRight::LicenseTransfer),
        ("Directory Readers", "", UpgradeRight::UpgradeOnly),
        ("Global Reader", "", UpgradeRight::UpgradeOnly),
        (
            "Exchange Administrator",
            "Bookings;Exchange",
            UpgradeRight::None,
        ),
        (
            "SharePoint Administrator",
            "OfficeWeb;OneDrive;SharePoint;Stream",
            UpgradeRight::None,
        ),
        (
            "Teams Administrator",
            "AudioConferencing;PhoneSystem;Planner;Teams",
            UpgradeRight::None,
        ),
        (
            "Security Administrator",
            "DefenderO365;EntraIDP1",
            UpgradeRight::None,
        ),
        (
            "Compliance Administrator",
            "InformationProtection",
            UpgradeRight::None,
        ),
        ("Intune Administrator", "Intune", UpgradeRight::None),
        ("License Administrator", "", UpgradeRight::None),
        ("Reports Reader", "", UpgradeRight::None),
    ];
    for (name, services, upgrade) in cases {
        let role = catalog.resolve_role(name).expect(name);
        assert_eq!(role_services(&catalog, role), services, "{name}");
        assert_eq!(catalog.role(role).upgrade, upgrade, "{name}");
    }
    let first: Vec<&str> = catalog.roles().take(4).map(|(_, r)| &*r.name).collect();
    assert_eq!(
        first,
        [
            "Global Administrator",
            "Directory Writers",
            "Directory Readers",
            "Global Reader"
        ],
        "roles() keeps roles.csv order"
    );
    assert!(UpgradeRight::LicenseTransfer > UpgradeRight::UpgradeOnly);
    assert!(UpgradeRight::UpgradeOnly > UpgradeRight::None);
}

#[test]
fn a_custom_roles_file_is_read_case_insensitively() {
    let catalog = custom(
        "a,Alpha,,,,Mail;Files,\n",
        "",
        None,
        None,
        Some("Boss,id-1,*,LICENSE_TRANSFER,Chief\nMailer,,mail; FILES ,Upgrade_Only,\n"),
    )
    .unwrap();
    let boss = catalog.resolve_role("chief").unwrap();
    assert_eq!(catalog.role(boss).upgrade, UpgradeRight::LicenseTransfer);
    assert_eq!(catalog.role(boss).services, RoleServices::All);
    let mailer = catalog.resolve_role("MAILER").unwrap();
    assert_eq!(role_services(&catalog, mailer), "Files;Mail");
    assert_eq!(catalog.role(mailer).upgrade, UpgradeRight::UpgradeOnly);
    assert_eq!(&*catalog.role(mailer).id, "");
}
