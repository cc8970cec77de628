//! `--catalog DIR`: a custom catalog replacing the built-in one, and the ways a
//! catalog can be unusable.

use std::fs;

use crate::harness::*;

const CASE: &str = "custom_catalog";

/// Suite A → Suite B, where B lacks A's `Files`: users with Files enabled lose it
/// (ServicesDropped), a user who had it disabled does not appear.
#[test]
fn custom_catalog_with_a_path_that_drops_a_service() {
    let ws = Workspace::from_case(CASE);
    ws.run_with_catalog(&[]).assert_code(0);
    assert_reports_match(&ws, CASE);

    let reassignments = csv_rows(&ws.report(REASSIGNMENTS));
    assert!(
        !reassignments
            .iter()
            .any(|r| r[6] == "vera.lenz@cc01.example"),
        "vera had Files disabled: nothing changes for her"
    );

    let summary = ws.summary();
    assert_eq!(
        summary["catalog"].as_str(),
        Some(ws.catalog().display().to_string().as_str())
    );
    assert_eq!(
        subscription_counts(&summary),
        SubscriptionCounts {
            total: 3,
            evaluated: 2,
            eligible: 1,
            blocked: 1,
            not_upgradable: 0,
            other_channel: 1,
        }
    );
    assert_eq!(number(&summary, "/upgrade_pairs/eligible"), 1);
    assert_eq!(number(&summary, "/upgrade_pairs/blocked"), 1);
    assert_eq!(
        number(
            &summary,
            "/blocked_by_reason/InsufficientGranularAdminPermissions"
        ),
        1
    );
    assert_eq!(
        counts(&summary, "/reassignments/by_reason"),
        named(&[
            ("DisabledServicesReset", 1),
            ("ServicesDropped", 3),
            ("ConflictingLicense", 1),
        ])
    );
}

/// With a custom catalog, names only the built-in catalog knows are unknown: an
/// offer becomes an unknown offer, a service name is a row error.
#[test]
fn custom_catalog_replaces_the_builtin_vocabulary() {
    let ws = Workspace::from_case(CASE);
    let mut subscriptions = read_text(&ws.input().join(SUBSCRIPTIONS));
    subscriptions.push_str("cs-04,cc-01,Office 365 E3,active,5,this_partner\n");
    ws.write_input(SUBSCRIPTIONS, &subscriptions);
    let mut licenses = read_text(&ws.input().join(LICENSES));
    licenses.push_str("cc-01,yves.roth@cc01.example,Suite A,Exchange\n");
    ws.write_input(LICENSES, &licenses);

    let run = ws.run_with_catalog(&["--max-errors", "1"]);
    run.assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0][0], LICENSES);
    assert_eq!(rejects[0][1], "7");
    assert_eq!(
        rejects[0][2],
        "disabled_services: unknown service \"Exchange\" (the catalog knows Mail, Files, Chat, Video, Analytics)"
    );
    assert_eq!(
        rejects[0][3],
        "cc-01,yves.roth@cc01.example,Suite A,Exchange"
    );
    let summary = ws.summary();
    assert_eq!(
        counts(&summary, "/unknown_offers"),
        named(&[("Office 365 E3", 1)])
    );
    let counts = subscription_counts(&summary);
    assert_eq!((counts.total, counts.not_upgradable), (4, 1));
    // The reports are otherwise those of the unchanged case.
    for file in [ELIGIBLE, BLOCKED, REASSIGNMENTS] {
        assert_text_eq(&ws.report(file), &expected(CASE, file), file);
    }
}

/// The custom case's catalog with one of its files replaced.
fn catalog_with(file: &str, content: &str) -> Workspace {
    let ws = Workspace::from_case(CASE);
    fs::write(ws.catalog().join(file), content).expect("write catalog file");
    ws
}

fn catalog_args(ws: &Workspace) -> Vec<String> {
    vec!["--catalog".to_owned(), ws.catalog().display().to_string()]
}

fn fails(ws: &Workspace, code: i32) -> Outcome {
    let args = catalog_args(ws);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_fails_writing_nothing(ws, &args, code)
}

#[test]
fn catalog_without_upgrade_paths_is_exit_66() {
    let ws = Workspace::from_case(CASE);
    fs::remove_file(ws.catalog().join("upgrade_paths.csv")).expect("remove");
    let run = fails(&ws, 66);
    let prefix = format!(
        "catalog: {}: cannot read: ",
        ws.catalog().join("upgrade_paths.csv").display()
    );
    assert_eq!(run.stderr_lines().len(), 1, "stderr: {}", run.stderr);
    run.assert_stderr_line_starting(&prefix);
}

#[test]
fn catalog_folder_that_does_not_exist_is_exit_66() {
    let ws = Workspace::from_case(CASE);
    fs::remove_dir_all(ws.catalog()).expect("remove");
    let run = fails(&ws, 66);
    run.assert_stderr_line_starting(&format!(
        "catalog: {}: cannot read: ",
        ws.catalog().join("offers.csv").display()
    ));
}

#[test]
fn catalog_path_to_an_unknown_offer_is_exit_65() {
    let ws = catalog_with(
        "upgrade_paths.csv",
        "from_offer,to_offer\nsuite-a,suite-b\nsuite-a,suite-z\n",
    );
    let run = fails(&ws, 65);
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:3: to_offer: unknown offer \"suite-z\" (not in offers.csv)",
            ws.catalog().join("upgrade_paths.csv").display()
        )]
    );
}

#[test]
fn catalog_key_naming_two_offers_is_exit_65() {
    // "Suite  alpha" (an alias of video-addon here) collapses to Suite A's alias.
    let ws = catalog_with(
        "offers.csv",
        "offer_id,name,sku,region,max_quantity,services,aliases\n\
         suite-a,Suite A,SUITE_A,global,,Mail;Files;Chat,Suite Alpha\n\
         suite-b,Suite B,SUITE_B,global,50,Mail;Chat;Video;Analytics,Suite Beta\n\
         video-addon,Video Add-on,VIDEO_ADDON,global,,Video,Suite  alpha\n",
    );
    let run = fails(&ws, 65);
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:4: \"Suite  alpha\" names two offers: suite-a and video-addon",
            ws.catalog().join("offers.csv").display()
        )]
    );
}

#[test]
fn catalog_offer_without_services_is_exit_65() {
    let ws = catalog_with(
        "offers.csv",
        "offer_id,name,sku,region,max_quantity,services,aliases\n\
         suite-a,Suite A,SUITE_A,global,,Mail;Files;Chat,Suite Alpha\n\
         suite-b,Suite B,SUITE_B,global,50, ; ,Suite Beta\n\
         video-addon,Video Add-on,VIDEO_ADDON,global,,Video,\n",
    );
    let run = fails(&ws, 65);
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:3: offer \"suite-b\" has an empty service list",
            ws.catalog().join("offers.csv").display()
        )]
    );
}

#[test]
fn catalog_missing_a_column_is_exit_65() {
    let ws = catalog_with(
        "offers.csv",
        "offer_id,name,max_quantity,aliases\nsuite-a,Suite A,,Suite Alpha\n",
    );
    let run = fails(&ws, 65);
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "catalog: {}:1: missing required column \"services\"",
            ws.catalog().join("offers.csv").display()
        )]
    );
}

/// A custom catalog may name far more than 32 services (there is no limit): an
/// upgrade adding services 50 to 99 is checked against relationships covering 0
/// to 79 and a held subscription providing 90 to 99.
#[test]
fn a_catalog_with_a_hundred_services_works() {
    let names = |range: std::ops::Range<usize>| {
        range
            .map(|i| format!("S{i:03}"))
            .collect::<Vec<_>>()
            .join(";")
    };
    let ws = Workspace::with_inputs(&[
        (
            CUSTOMERS,
            "customer_id,company_name\nc1,Viele Dienste GmbH\n",
        ),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity,channel\n\
             s1,c1,small,active,5,this_partner\n\
             s2,c1,extra,active,1,direct\n",
        ),
        (
            RELATIONSHIPS,
            &format!(
                "customer_id,status,services\nc1,active,\"{}\"\n",
                names(0..80)
            ),
        ),
        (
            LICENSES,
            "customer_id,user_principal_name,offer,disabled_services\n",
        ),
    ]);
    std::fs::create_dir(ws.catalog()).expect("catalog dir");
    let offers = format!(
        "offer_id,name,sku,region,max_quantity,services,aliases\n\
         small,Small,,,,\"{}\",\n\
         big,Big,,,,\"{}\",\n\
         extra,Extra,,,,\"{}\",\n",
        names(0..50),
        names(0..100),
        names(90..100)
    );
    std::fs::write(ws.catalog().join("offers.csv"), offers).expect("offers");
    std::fs::write(
        ws.catalog().join("upgrade_paths.csv"),
        "from_offer,to_offer\nsmall,big\n",
    )
    .expect("paths");
    ws.run_with_catalog(&[]).assert_code(0);
    let blocked = csv_rows(&ws.report(BLOCKED));
    assert_eq!(blocked.len(), 1, "{blocked:?}");
    assert_eq!(
        blocked[0][9],
        "InsufficientGranularAdminPermissions;ConflictingServiceTypes"
    );
    let details = &blocked[0][10];
    assert!(
        details.contains(&format!(
            "do not cover {}",
            names(80..100).replace(';', ", ")
        )),
        "{details}"
    );
    assert!(
        details.contains(&format!(
            "already held by s2 (Extra, bought directly from Microsoft): {}",
            names(90..100).replace(';', ", ")
        )),
        "{details}"
    );
}
