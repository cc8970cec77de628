//! `catalog export DIR` and `catalog lookup VALUE [--catalog DIR]`, and a run with
//! GDAP roles in `admin_relationships.csv`.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use crate::harness::*;

const CATALOG_FILES: [&str; 5] = [
    "offers.csv",
    "upgrade_paths.csv",
    "products.csv",
    "service_plans.csv",
    "roles.csv",
];

fn catalog_command(args: &[&str]) -> Outcome {
    let mut cmd = Command::cargo_bin("upgrade-recon").expect("binary upgrade-recon");
    outcome(cmd.arg("catalog").args(args))
}

fn export(dir: &Path) -> Outcome {
    catalog_command(&["export", dir.to_str().expect("utf-8 path")])
}

fn lookup(value: &str) -> Outcome {
    catalog_command(&["lookup", value])
}

#[test]
fn export_writes_the_builtin_files_byte_for_byte() {
    let ws = Workspace::empty();
    let dir = ws.path().join("new").join("catalog");
    let run = export(&dir);
    run.assert_code(0);
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "upgrade-recon: wrote the built-in catalog's 5 files to {}",
            dir.display()
        )]
    );
    let mut written: Vec<String> = fs::read_dir(&dir)
        .expect("read export")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    written.sort();
    let mut expected = CATALOG_FILES.map(str::to_owned).to_vec();
    expected.sort();
    assert_eq!(written, expected);
    for name in CATALOG_FILES {
        let builtin = fs::read(repo_path("src/catalog/default").join(name)).expect("read");
        assert!(
            fs::read(dir.join(name)).expect("read export") == builtin,
            "{name} differs from src/catalog/default/{name}"
        );
    }
    let products = fs::read(dir.join("products.csv")).expect("read");
    let microsoft = repo_path("src/catalog/default/products.csv");
    assert!(products.starts_with(b"\xEF\xBB\xBFProduct_Display_Name,"));
    assert_eq!(
        products.len() as u64,
        microsoft.metadata().expect("stat").len()
    );

    // Exporting again replaces the files.
    fs::write(dir.join("roles.csv"), "edited").expect("edit");
    export(&dir).assert_code(0);
    assert_eq!(
        fs::read(dir.join("roles.csv")).expect("read"),
        fs::read(repo_path("src/catalog/default/roles.csv")).expect("read")
    );
}

#[test]
fn export_to_a_folder_that_cannot_be_made_is_exit_74() {
    let ws = Workspace::empty();
    let file = ws.path().join("a-file");
    fs::write(&file, "not a folder").expect("write");
    let run = export(&file.join("catalog"));
    run.assert_code(74);
    run.assert_stderr_line_starting(&format!(
        "upgrade-recon: {}: cannot write: ",
        file.join("catalog").display()
    ));
}

#[test]
fn a_run_with_the_exported_catalog_equals_one_with_the_builtin() {
    let ws = Workspace::sample();
    ws.run(&[]).assert_code(0);
    export(&ws.catalog()).assert_code(0);
    let custom_out = ws.path().join("out-custom");
    let catalog = ws.catalog();
    let args = ["--catalog", catalog.to_str().expect("utf-8 path")];
    ws.run_with_out(&custom_out, &args).assert_code(0);
    for file in REPORT_CSVS {
        let custom = read_text(&custom_out.join(file));
        assert_text_eq(&custom, &ws.report(file), file);
    }
    let mut builtin = ws.summary();
    let mut custom = summary_in(&custom_out);
    assert_eq!(builtin["catalog"], "built-in");
    assert_eq!(custom["catalog"].as_str(), catalog.to_str());
    builtin["catalog"].take();
    custom["catalog"].take();
    assert_eq!(custom, builtin);
}

/// The first line of a lookup's output.
fn first_line(run: &Outcome) -> &str {
    run.stdout.lines().next().unwrap_or_default()
}

#[test]
fn lookup_resolves_microsoft_365_e3_by_name_id_and_guid_to_one_product() {
    for value in [
        "Microsoft 365 E3",
        "SPE_E3",
        "05e9a617-0261-4cee-bb44-138d3ef5d965",
    ] {
        let run = lookup(value);
        run.assert_code(0);
        assert_eq!(
            first_line(&run),
            format!("\"{value}\" resolves to product SPE_E3 \"Microsoft 365 E3\"")
        );
        assert!(
            run.stdout.contains(
                "\n  services:      OfficeApps, OneDrive, OfficeWeb, Exchange, SharePoint, Teams, \
                 Yammer, Planner, Bookings, Stream, InformationProtection, Intune, EntraIDP1\n"
            ),
            "{}",
            run.stdout
        );
        assert_eq!(run.stderr, "");
    }
}

#[test]
fn lookup_tells_which_key_matched() {
    let cases = [
        (
            "Microsoft 365 Business Standard",
            "offer o365-business-premium \"Office 365 Business Premium\"",
            "an offer alias",
        ),
        (
            "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
            "offer o365-business-premium \"Office 365 Business Premium\"",
            "the GUID of product O365_BUSINESS_PREMIUM \"Microsoft 365 Business Standard\" \
             (GUID f245ecc8-75af-4f8e-b61f-27d8114de5f3), which is this offer",
        ),
        (
            "o365-e3",
            "offer o365-e3 \"Office 365 Enterprise E3\"",
            "its offer id",
        ),
        (
            "SPB",
            "offer m365-business-premium \"Microsoft 365 Business Premium\"",
            "its offer SKU",
        ),
        (
            "Visio Plan 2",
            "product VISIO_PLAN2_DEPT \"Visio Plan 2\"",
            "its product display name",
        ),
        (
            "Exchange Service Administrator",
            "role \"Exchange Administrator\"",
            "a former name (alias)",
        ),
        (
            "62E90394-69F5-4237-9190-012177145E10",
            "role \"Global Administrator\"",
            "its role id (roleDefinitionId)",
        ),
    ];
    for (value, what, matched) in cases {
        let run = lookup(value);
        run.assert_code(0);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines[0], format!("\"{value}\" resolves to {what}"));
        assert_eq!(lines[1], format!("  matched:       {matched}"));
    }
    let run = lookup("O365_BUSINESS_PREMIUM");
    assert!(
        run.stdout
            .contains("\n  upgrade path:  o365-e3 (Office 365 Enterprise E3), o365-e5 (Office 365 Enterprise E5)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_value_is_exit_1_with_the_closest_names() {
    let run = lookup("Microsoft 365 E7");
    run.assert_code(1);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "\"Microsoft 365 E7\" is unknown: no offer, product or role of the catalog is known by it",
            "  closest known names: \"Microsoft 365 E3\" (product SPE_E3), \"Microsoft 365 E5\" \
             (product SPE_E5), \"Microsoft 365 A1\" (product M365EDU_A1), \"Microsoft 365 F1\" \
             (product M365_F1), \"Microsoft 365 F3\" (product SPE_F1)",
        ]
    );
}

#[test]
fn lookup_in_a_custom_catalog_knows_only_its_files() {
    let ws = Workspace::from_case("custom_catalog");
    let catalog = ws.catalog();
    let catalog = catalog.to_str().expect("utf-8 path");
    let run = catalog_command(&["lookup", "suite alpha", "--catalog", catalog]);
    run.assert_code(0);
    assert_eq!(
        first_line(&run),
        "\"suite alpha\" resolves to offer suite-a \"Suite A\""
    );
    // No products.csv and no roles.csv: Microsoft's names and the roles are unknown.
    catalog_command(&["lookup", "Microsoft 365 E3", "--catalog", catalog]).assert_code(1);
    catalog_command(&["lookup", "Global Administrator", "--catalog", catalog]).assert_code(1);

    fs::write(
        ws.catalog().join("roles.csv"),
        "role,services,upgrade\nBoss,Mail,sometimes\n",
    )
    .expect("write");
    let run = catalog_command(&["lookup", "Boss", "--catalog", catalog]);
    run.assert_code(65);
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:2: upgrade: unknown value \"sometimes\" (expected one of none, \
             upgrade_only, license_transfer)",
            ws.catalog().join("roles.csv").display()
        )]
    );
    let missing = ws.path().join("no-such-catalog");
    let run = catalog_command(&["lookup", "x", "--catalog", missing.to_str().expect("utf-8")]);
    run.assert_code(66);
    run.assert_stderr_line_starting(&format!(
        "catalog: {}: cannot read: ",
        missing.join("offers.csv").display()
    ));
}

#[test]
fn a_run_accepts_role_only_relationships_and_never_rejects_an_unknown_role() {
    let inputs = |relationships: &str| {
        Workspace::with_inputs(&[
            (CUSTOMERS, "customer_id,company_name\nc1,Muster GmbH\n"),
            (
                SUBSCRIPTIONS,
                "subscription_id,customer_id,offer,status,quantity,channel\n\
                 s1,c1,Office 365 Business Premium,active,10,this_partner\n",
            ),
            (RELATIONSHIPS, relationships),
            (LICENSES, "customer_id,user_principal_name,offer\n"),
        ])
    };
    // Roles by name, by id and a custom role (counted, not rejected); a relationship
    // with services and no roles beside it.
    let ws = inputs(
        "customer_id,status,services,Entra roles\n\
         c1,active,,\"Exchange Administrator;88d8e3e3-8f55-4a1e-953a-9b9898b8876b;My Custom Role\"\n\
         c1,active,Teams,\n",
    );
    let run = ws.run(&[]);
    run.assert_code(0);
    assert_eq!(ws.report(REJECTS), REJECTS_HEADER);
    assert_eq!(
        ws.summary()["unknown_roles"],
        serde_json::json!({"My Custom Role": 1})
    );

    // A row with neither services nor roles is a row error.
    let ws = inputs("customer_id,status,services,roles\nc1,active,,\nc1,active,*,\n");
    let run = ws.run(&["--max-errors", "1"]);
    run.assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0][0], RELATIONSHIPS);
    assert_eq!(
        rejects[0][2],
        "services: missing required value (a relationship needs services, roles or both)"
    );
}

#[test]
fn a_relationship_header_without_services_or_roles_is_exit_65() {
    let ws = Workspace::sample();
    let relationships = read_text(&ws.input().join(RELATIONSHIPS));
    let header = relationships.lines().next().expect("header");
    let renamed = header
        .replacen("services", "scope", 1)
        .replacen("roles", "rights", 1);
    ws.write_input(RELATIONSHIPS, &relationships.replacen(header, &renamed, 1));
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    run.assert_stderr_line_starting(
        "admin_relationships.csv:1: missing required column \"services\" or \"roles\" (looked for: ",
    );
}

/// Issue 10's example: Microsoft 365 E3 (a product, not an offer) held from another
/// partner already provides InformationProtection, which E3 and E5 would add.
#[test]
fn a_product_held_elsewhere_conflicts_with_the_services_an_upgrade_adds() {
    let ws = Workspace::with_inputs(&[
        (CUSTOMERS, "customer_id,company_name\nc1,Muster GmbH\n"),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity,channel\n\
             s1,c1,Office 365 Business Premium,active,10,this_partner\n\
             s2,c1,Microsoft 365 E3,active,5,other_partner\n",
        ),
        (RELATIONSHIPS, "customer_id,status,services\nc1,active,*\n"),
        (LICENSES, "customer_id,user_principal_name,offer\n"),
    ]);
    ws.run(&[]).assert_code(0);
    let blocked = csv_rows(&ws.report(BLOCKED));
    let targets: Vec<(&str, &str)> = blocked
        .iter()
        .map(|row| (row[5].as_str(), row[8].as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            ("o365-e3", "ConflictingServiceTypes"),
            ("o365-e5", "ConflictingServiceTypes")
        ]
    );
    for row in &blocked {
        assert!(
            row[10].ends_with(
                "already held by s2 (Microsoft 365 E3, sold by another partner): Information Protection"
            ),
            "{}",
            row[10]
        );
    }
    assert!(counts(&ws.summary(), "/unknown_offers").is_empty());
}
