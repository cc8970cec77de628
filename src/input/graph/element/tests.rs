//! How one relationship element maps onto row values and element problems.

use crate::input::graph::{GraphRelationship, parse_relationships};

/// What one element should give; unset fields are absent or empty.
#[derive(Default)]
struct Want {
    customer: Option<&'static str>,
    status: Option<&'static str>,
    id: Option<&'static str>,
    name: Option<&'static str>,
    start: Option<&'static str>,
    end: Option<&'static str>,
    roles: &'static [&'static str],
    problems: &'static [&'static str],
}

/// The only element of a bare array holding `element`.
fn row(element: &str) -> GraphRelationship {
    let json = format!("[{element}]");
    let export = parse_relationships(json.as_bytes(), "admin_relationships.json")
        .unwrap_or_else(|error| panic!("{element}: {error}"));
    assert_eq!(export.relationships.len(), 1, "{element}");
    export.relationships.into_iter().next().unwrap()
}

fn check(element: &str, want: &Want) {
    let got = row(element);
    let owned = |value: Option<&str>| value.map(str::to_owned);
    assert_eq!(got.position, "[0]", "{element}");
    assert_eq!(got.customer_id, owned(want.customer), "customer: {element}");
    assert_eq!(got.status, owned(want.status), "status: {element}");
    assert_eq!(got.relationship_id, owned(want.id), "id: {element}");
    assert_eq!(got.display_name, owned(want.name), "displayName: {element}");
    assert_eq!(got.start_date, owned(want.start), "start: {element}");
    assert_eq!(got.end_date, owned(want.end), "end: {element}");
    assert_eq!(got.roles, want.roles, "roles: {element}");
    let problems: Vec<String> = got.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems, want.problems, "problems: {element}");
}

#[test]
fn members_map_onto_row_values() {
    let cases: &[(&str, Want)] = &[
        (
            r#"{"id":"r1","displayName":"Contoso GDAP","status":"active",
                "customer":{"tenantId":"t1","displayName":"Contoso"},
                "activatedDateTime":"2026-01-15T10:00:00Z","endDateTime":"2026-07-14T23:30:00-05:00",
                "accessDetails":{"unifiedRoles":[{"roleDefinitionId":"g1"},{"roleDefinitionId":"g2"}]},
                "duration":"P730D","autoExtendDuration":"P180D","unknown":{"deep":[1,{"x":null}]}}"#,
            Want {
                customer: Some("t1"),
                status: Some("active"),
                id: Some("r1"),
                name: Some("Contoso GDAP"),
                start: Some("2026-01-15"),
                end: Some("2026-07-14"),
                roles: &["g1", "g2"],
                ..Want::default()
            },
        ),
        (
            r#"{"status":"created","customer":{"tenantId":"t1"},
                "activatedDateTime":null,"endDateTime":null,"accessDetails":null}"#,
            Want {
                customer: Some("t1"),
                status: Some("created"),
                ..Want::default()
            },
        ),
        (
            r#"{"status":"approvalPending"}"#,
            Want {
                status: Some("approvalPending"),
                ..Want::default()
            },
        ),
        (
            r#"{"customer":{"displayName":"Contoso"},"accessDetails":{}}"#,
            Want::default(),
        ),
        (
            r#"{"customer":null,"status":null,"id":null,"displayName":null,
                "accessDetails":{"unifiedRoles":null}}"#,
            Want::default(),
        ),
        (
            r#"{"activatedDateTime":"2026-01-15T23:30:00-05:00","endDateTime":"2026-12-31"}"#,
            Want {
                start: Some("2026-01-15"),
                end: Some("2026-12-31"),
                ..Want::default()
            },
        ),
        (
            r#"{"activatedDateTime":"2026-01-15T10:00:00.1234567+14:00","endDateTime":"soon"}"#,
            Want {
                start: Some("2026-01-15"),
                end: Some("soon"),
                ..Want::default()
            },
        ),
        (
            r#"{"displayName":"M\u00fcller \"GDAP\" \/ Teams","accessDetails":{"unifiedRoles":[]}}"#,
            Want {
                name: Some("Müller \"GDAP\" / Teams"),
                ..Want::default()
            },
        ),
        (
            r#"{"Id":"r1","DisplayName":"SDK","Status":"active","Customer":{"TenantId":"t1"},
                "ActivatedDateTime":"2026-01-15T10:00:00+01:00","EndDateTime":null,
                "AccessDetails":{"UnifiedRoles":[{"RoleDefinitionId":"g1","AdditionalProperties":{}}]}}"#,
            Want {
                customer: Some("t1"),
                status: Some("active"),
                id: Some("r1"),
                name: Some("SDK"),
                start: Some("2026-01-15"),
                roles: &["g1"],
                ..Want::default()
            },
        ),
    ];
    for (element, want) in cases {
        check(element, want);
    }
}

#[test]
fn wrong_and_flattened_members_are_problems() {
    let cases: &[(&str, Want)] = &[
        (
            r#"{"status":"active","accessDetails":{"unifiedRoles":"System.Object[]"}}"#,
            Want {
                status: Some("active"),
                problems: &[
                    "accessDetails.unifiedRoles: expected an array, found a string \
                    (\"System.Object[]\"): the export was flattened by ConvertTo-Json's default \
                    depth; export again with ConvertTo-Json -Depth 10",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"accessDetails":{"unifiedRoles":"@{roleDefinitionId=62e90394-69f5-4237-9190-012177145e10}"}}"#,
            Want {
                problems: &[
                    "accessDetails.unifiedRoles: expected an array, found a string \
                    (\"@{roleDefinitionId=62e90394-69f5-4237-9190-012177145e10}\"): the export \
                    was flattened by ConvertTo-Json's default depth; export again with \
                    ConvertTo-Json -Depth 10",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"accessDetails":"@{unifiedRoles=System.Object[]}","customer":"System.Collections.Hashtable"}"#,
            Want {
                problems: &[
                    "customer: expected an object, found a string \
                     (\"System.Collections.Hashtable\"): the export was flattened by \
                     ConvertTo-Json's default depth; export again with ConvertTo-Json -Depth 10",
                    "accessDetails: expected an object, found a string \
                     (\"@{unifiedRoles=System.Object[]}\"): the export was flattened by \
                     ConvertTo-Json's default depth; export again with ConvertTo-Json -Depth 10",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"customer":"@{tenantId=4c5ffc9a-5f3a-4c39-9b9a-2f5c3f4a1e2d; displayName=Contoso Ltd}"}"#,
            Want {
                problems: &["customer: expected an object, found a string \
                    (\"@{tenantId=4c5ffc9a-5f3a-4c39-9b9a-2f5c3f4a1e2d; displayName=Contoso Ltd}\"): \
                    the export was flattened by ConvertTo-Json's default depth; export again with \
                    ConvertTo-Json -Depth 10"],
                ..Want::default()
            },
        ),
        (
            r#"{"accessDetails":{"unifiedRoles":["System.Collections.Hashtable",
                "Microsoft.Graph.PowerShell.Models.MicrosoftGraphUnifiedRole"]}}"#,
            Want {
                problems: &[
                    "accessDetails.unifiedRoles[0]: expected an object, found a string \
                     (\"System.Collections.Hashtable\"): the export was flattened by \
                     ConvertTo-Json's default depth; export again with ConvertTo-Json -Depth 10",
                    "accessDetails.unifiedRoles[1]: expected an object, found a string \
                     (\"Microsoft.Graph.PowerShell.Models.MicrosoftGraphUnifiedRole\"): the \
                     export was flattened by ConvertTo-Json's default depth; export again with \
                     ConvertTo-Json -Depth 10",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"customer":{"tenantId":42},"status":true,"id":{"a": 1},"displayName":[],
                "activatedDateTime":20260115,"endDateTime":false,"accessDetails":{"unifiedRoles":3}}"#,
            Want {
                problems: &[
                    "customer.tenantId: expected a string, found a number (42)",
                    "status: expected a string, found a boolean (true)",
                    "id: expected a string, found an object ({\"a\":1})",
                    "displayName: expected a string, found an array ([])",
                    "activatedDateTime: expected a string, found a number (20260115)",
                    "endDateTime: expected a string, found a boolean (false)",
                    "accessDetails.unifiedRoles: expected an array, found a number (3)",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"customer":"Contoso","accessDetails":["x"]}"#,
            Want {
                problems: &[
                    "customer: expected an object, found a string (\"Contoso\")",
                    "accessDetails: expected an object, found an array ([\"x\"])",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"accessDetails":{"unifiedRoles":[{"roleDefinitionId":"g1"},{},{"roleDefinitionId":null},
                {"roleDefinitionId":"  "},{"roleDefinitionId":7},5,{"roleDefinitionId":"g2"}]}}"#,
            Want {
                roles: &["g1", "g2"],
                problems: &[
                    "accessDetails.unifiedRoles[1].roleDefinitionId: missing required value",
                    "accessDetails.unifiedRoles[2].roleDefinitionId: missing required value",
                    "accessDetails.unifiedRoles[3].roleDefinitionId: missing required value",
                    "accessDetails.unifiedRoles[4].roleDefinitionId: expected a string, \
                     found a number (7)",
                    "accessDetails.unifiedRoles[5]: expected an object, found a number (5)",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"status":"active","activatedDateTime":"\/Date(1736935200000)\/"}"#,
            Want {
                status: Some("active"),
                problems: &["activatedDateTime: expected an ISO 8601 date-time such as \
                    2026-01-15T10:00:00Z, found \"/Date(1736935200000)/\", the date form of \
                    Windows PowerShell's ConvertTo-Json; export with PowerShell 7, or save \
                    Graph's response as it came"],
                ..Want::default()
            },
        ),
        (
            r#"{"status":"active","endDateTime":" "}"#,
            Want {
                status: Some("active"),
                problems: &[
                    "endDateTime: expected an ISO 8601 date-time or null, found an \
                    empty string",
                ],
                ..Want::default()
            },
        ),
        (
            r#"{"status":"active","status":"expired"}"#,
            Want {
                problems: &["duplicate field `status`"],
                ..Want::default()
            },
        ),
        (
            "42",
            Want {
                problems: &["expected an object, found a number (42)"],
                ..Want::default()
            },
        ),
        (
            "null",
            Want {
                problems: &["expected an object, found null"],
                ..Want::default()
            },
        ),
        (
            r#""@{id=r1; status=active; customer=}""#,
            Want {
                problems: &[
                    "expected an object, found a string (\"@{id=r1; status=active; \
                    customer=}\"): the export was flattened by ConvertTo-Json's default depth; \
                    export again with ConvertTo-Json -Depth 10",
                ],
                ..Want::default()
            },
        ),
    ];
    for (element, want) in cases {
        check(element, want);
    }
}

#[test]
fn echoed_values_are_cut_and_escaped() {
    let long = "x".repeat(100);
    let cases = [
        (
            format!(r#"{{"customer":"{long}"}}"#),
            format!(
                "customer: expected an object, found a string (\"{}…\")",
                "x".repeat(80)
            ),
        ),
        (
            r#"{"customer":"line1\nline2\u001b[31m"}"#.to_owned(),
            r#"customer: expected an object, found a string ("line1\nline2\u{1b}[31m")"#.to_owned(),
        ),
        (
            format!(r#"{{"status":["{long}"]}}"#),
            format!(
                "status: expected a string, found an array ([\"{}…)",
                "x".repeat(78)
            ),
        ),
    ];
    for (element, want) in cases {
        let problems: Vec<String> = row(&element)
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems, [want], "{element}");
    }
}

#[test]
fn records_are_the_element_as_compact_json() {
    let cases = [
        (
            "{ \"id\" : \"r 1\",\n  \"x\": [1, 2,\t{\"a b\": \" \\\" \" } ] }",
            r#"{"id":"r 1","x":[1,2,{"a b":" \" "}]}"#,
        ),
        ("\n  42  ", "42"),
        (r#"{"s":"\\","t":" "}"#, r#"{"s":"\\","t":" "}"#),
        (
            r#"{"name":"Müller – „GDAP“"}"#,
            r#"{"name":"Müller – „GDAP“"}"#,
        ),
    ];
    for (element, want) in cases {
        assert_eq!(row(element).record, want, "{element}");
    }
}

#[test]
fn flattened_members_name_their_path_for_the_caller() {
    let got = row(r#"{"customer":"@{tenantId=t1}","accessDetails":{"unifiedRoles":[{}]}}"#);
    let cases = [
        ("customer.tenantId", true),
        ("customer", true),
        ("accessDetails.unifiedRoles", true),
        ("accessDetails", true),
        ("status", false),
        ("customerX", false),
        ("accessDetails.unifiedRolesX", false),
    ];
    for (member, want) in cases {
        assert_eq!(got.has_problem_at(member), want, "{member}");
    }
    assert!(
        row("5").has_problem_at("status"),
        "an element problem covers every member"
    );
    assert_eq!(got.locate("customer.tenantId"), "[0].customer.tenantId");
    assert_eq!(got.locate(""), "[0]");
}
