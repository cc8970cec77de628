//! `admin_relationships.json` (contract §2): Microsoft Graph's export of the GDAP
//! relationships stands instead of `admin_relationships.csv`, gives the decisions
//! of its CSV twin byte for byte, and each of its problems names the element and
//! member.

use std::fs;
use std::path::Path;

use crate::harness::*;

const JSON: &str = "admin_relationships.json";

/// A workspace holding every file of `fixtures/<name>` (the JSON export too).
fn fixture(name: &str) -> Workspace {
    let ws = Workspace::empty();
    let source = repo_path("fixtures").join(name);
    for entry in fs::read_dir(&source).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".csv") || name.ends_with(".json") {
            fs::copy(&path, ws.input().join(&name)).expect("copy");
        }
    }
    ws
}

/// The sample's other files with `relationships` as the JSON export.
fn with_json(relationships: &str) -> Workspace {
    let ws = fixture("graph-json");
    ws.write_input(JSON, relationships);
    ws
}

fn element(tenant: &str, roles: &str) -> String {
    format!(
        r#"{{"id": "r1", "displayName": "GDAP Test", "status": "active",
            "activatedDateTime": "2024-01-01T10:00:00Z", "endDateTime": null,
            "customer": {{"tenantId": {tenant}, "displayName": "x"}},
            "accessDetails": {{"unifiedRoles": {roles}}}}}"#
    )
}

const GLOBAL_ADMIN: &str = r#"[{"roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"}]"#;

#[test]
fn the_export_gives_the_decisions_of_its_csv_twin_in_utf8_and_utf16() {
    let twin = fixture("graph-csv");
    twin.run(&[]).assert_code(0);
    for name in ["graph-json", "graph-json-utf16"] {
        let ws = fixture(name);
        assert!(!ws.input().join(RELATIONSHIPS).exists());
        let run = ws.run(&[]);
        run.assert_code(0);
        for file in REPORT_CSVS {
            assert_text_eq(
                &ws.report(file),
                &twin.report(file),
                &format!("{name}: {file}"),
            );
        }
        let summary = ws.summary();
        let input = &summary["inputs"][2];
        assert_eq!(input["file"], JSON);
        assert_eq!(input["rows"], 55);
        assert_eq!(input["json_shape"], "pages");
        assert_eq!(
            input["encoding"],
            if name.ends_with("utf16") {
                "utf-16le"
            } else {
                "utf-8"
            }
        );
    }
}

#[test]
fn both_forms_of_the_relationships_are_an_error_naming_both() {
    let ws = fixture("graph-json");
    fs::copy(
        repo_path("fixtures/graph-csv").join(RELATIONSHIPS),
        ws.input().join(RELATIONSHIPS),
    )
    .expect("copy");
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    run.assert_stderr_line_starting(
        "admin_relationships.csv and admin_relationships.json are both in ",
    );
}

#[test]
fn a_truncated_or_malformed_export_stops_the_run() {
    let truncated = format!(
        r#"{{"value": [{}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=abc"}}"#,
        element(r#""fc4a23df-c32a-413c-8fb7-f8e51b624f4f""#, GLOBAL_ADMIN)
    );
    let run = assert_fails_writing_nothing(&with_json(&truncated), &[], 65);
    assert!(
        run.stderr.starts_with("admin_relationships.json: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("@odata.nextLink"), "{}", run.stderr);
    let run = assert_fails_writing_nothing(&with_json("{\"value\": [\n  {\"id\": }\n]}"), &[], 65);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
}

#[test]
fn element_problems_name_position_and_member_and_reach_rejects_csv() {
    let value = format!(
        "[{}, {}, {}]",
        element(r#""fc4a23df-c32a-413c-8fb7-f8e51b624f4f""#, GLOBAL_ADMIN),
        element("null", GLOBAL_ADMIN),
        element(
            r#""fc4a23df-c32a-413c-8fb7-f8e51b624f4f""#,
            r#""System.Object[]""#
        )
    );
    let ws = with_json(&format!(r#"{{"value": {value}}}"#));
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    run.assert_stderr_line(
        "admin_relationships.json: value[1].customer.tenantId: missing required value",
    );
    run.assert_stderr_line(
        "admin_relationships.json: value[2].accessDetails.unifiedRoles: expected an array, found a \
         string (\"System.Object[]\"): the export was flattened by ConvertTo-Json's default depth; \
         export again with ConvertTo-Json -Depth 10",
    );
    let run = ws.run(&["--max-errors", "2"]);
    run.assert_code(3);
    let rejects = csv_rows(&ws.report(REJECTS));
    let positions: Vec<(&str, &str)> = rejects
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(positions, [(JSON, "value[1]"), (JSON, "value[2]")]);
    let record: serde_json::Value = serde_json::from_str(&rejects[0][3]).expect("the element");
    assert_eq!(record["id"], "r1");
    assert!(!rejects[0][3].contains('\n'), "compact JSON");
}

/// The graph-json fixture's relationships are role-only: no services anywhere.
#[test]
fn the_fixture_relationships_are_role_only() {
    let text = fs::read_to_string(repo_path("fixtures/graph-json").join(JSON)).expect("json");
    assert!(!text.contains("\"services\""));
    assert!(Path::new(&repo_path("fixtures/graph-json-utf16").join(JSON)).exists());
}
