//! The export as a whole: shapes, encodings, truncation and file-level errors.

use super::text::excerpt;
use super::*;

const FILE: &str = "admin_relationships.json";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let units = std::iter::once(0xFEFF).chain(text.encode_utf16());
    units
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

fn rel(customer: &str) -> String {
    format!(r#"{{"id":"r-{customer}","status":"active","customer":{{"tenantId":"{customer}"}}}}"#)
}

/// `position=customer` for every row.
fn rows(export: &GraphExport) -> Vec<String> {
    let rows = export.relationships.iter().map(|row| {
        let customer = row.customer_id.as_deref().unwrap_or("-");
        format!("{}={customer}", row.position)
    });
    rows.collect()
}

/// Case name, file bytes, and the shape, encoding and `position=customer` rows read.
type ShapeCase = (
    &'static str,
    Vec<u8>,
    ExportShape,
    JsonEncoding,
    Vec<&'static str>,
);

#[test]
fn reads_every_shape_and_encoding() {
    use JsonEncoding::*;
    let page = format!(
        "{{\r\n  \"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#x\",\r\n  \
         \"value\": [{}, {}],\r\n  \"@odata.nextLink\": null\r\n}}\r\n",
        rel("c1"),
        rel("Müller")
    );
    let bare = format!("\n[{}, {}]", rel("c1"), rel("c2"));
    let pages = format!(
        r#"[{{"value":[{},{}],"@odata.nextLink":"https://graph.microsoft.com/next?$skiptoken=1"}},
            {{"value":[],"@odata.nextLink":"https://graph.microsoft.com/next?$skiptoken=2"}},
            {{"@odata.context":"x","value":[{}],"@odata.nextLink":""}}]"#,
        rel("c1"),
        rel("c2"),
        rel("c3")
    );
    let two_pages = format!(
        r#"[{{"value":[{}]}},{{"value":[{}]}}]"#,
        rel("c1"),
        rel("c2")
    );
    let page_rows = ["value[0]=c1", "value[1]=Müller"];
    let cases: Vec<ShapeCase> = vec![
        (
            "one page",
            page.clone().into_bytes(),
            ExportShape::Page,
            Utf8,
            page_rows.to_vec(),
        ),
        (
            "UTF-8 BOM",
            [b"\xEF\xBB\xBF", page.as_bytes()].concat(),
            ExportShape::Page,
            Utf8Bom,
            page_rows.to_vec(),
        ),
        (
            "UTF-16 LE",
            utf16(&page, false),
            ExportShape::Page,
            Utf16Le,
            page_rows.to_vec(),
        ),
        (
            "UTF-16 BE",
            utf16(&page, true),
            ExportShape::Page,
            Utf16Be,
            page_rows.to_vec(),
        ),
        (
            "bare array",
            bare.into_bytes(),
            ExportShape::Array,
            Utf8,
            vec!["[0]=c1", "[1]=c2"],
        ),
        (
            "pages, nextLink on all but the last",
            pages.into_bytes(),
            ExportShape::Pages { count: 3 },
            Utf8,
            vec!["[0].value[0]=c1", "[0].value[1]=c2", "[2].value[0]=c3"],
        ),
        (
            "pages without nextLink",
            two_pages.into_bytes(),
            ExportShape::Pages { count: 2 },
            Utf8,
            vec!["[0].value[0]=c1", "[1].value[0]=c2"],
        ),
        (
            "empty value",
            br#"{"value":[]}"#.to_vec(),
            ExportShape::Page,
            Utf8,
            vec![],
        ),
        (
            "empty array",
            b" [ ] ".to_vec(),
            ExportShape::Array,
            Utf8,
            vec![],
        ),
        (
            "UTF-16 LE empty array",
            utf16("[]", false),
            ExportShape::Array,
            Utf16Le,
            vec![],
        ),
        (
            "relationships with other shapes",
            format!(r#"[{}, 5, {{"id":"r"}}]"#, rel("c1")).into_bytes(),
            ExportShape::Array,
            Utf8,
            vec!["[0]=c1", "[1]=-", "[2]=-"],
        ),
    ];
    for (case, bytes, shape, encoding, want) in cases {
        let export = parse_relationships(&bytes, FILE).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(export.shape, shape, "{case}");
        assert_eq!(export.encoding, encoding, "{case}");
        assert_eq!(rows(&export), want, "{case}");
    }
}

#[test]
fn file_errors_name_the_file_and_say_what_is_wrong() {
    let long_link = format!(
        "https://graph.microsoft.com/v1.0/x?$skiptoken={}",
        "A".repeat(200)
    );
    let cut_link = excerpt(&long_link, 160);
    let odd_utf16 = [utf16("[]", false), vec![0x20]].concat();
    let lone_surrogate = [
        utf16("[\n\"", false),
        vec![0x00, 0xD8],
        utf16("\"]", false)[2..].to_vec(),
    ]
    .concat();
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "empty",
            b" \r\n".to_vec(),
            "the file is empty; expected Microsoft Graph's delegatedAdminRelationships response"
                .into(),
        ),
        (
            "only a BOM",
            b"\xEF\xBB\xBF".to_vec(),
            "the file is empty; expected Microsoft Graph's delegatedAdminRelationships response"
                .into(),
        ),
        (
            "malformed",
            b"{\n  \"value\": [\n    {\"id\": \"r1\",}\n  ]\n}".to_vec(),
            "line 3, column 17: malformed JSON: key must be a string".into(),
        ),
        (
            "malformed UTF-16",
            utf16("[\n  {\"id\": r1}\n]", true),
            "line 2, column 10: malformed JSON: expected value".into(),
        ),
        (
            "cut off",
            b"{\"value\": [{\"id\": \"r1\"}".to_vec(),
            "line 1, column 23: malformed JSON: EOF while parsing a list".into(),
        ),
        (
            "two values",
            b"{\"value\":[]}\n{\"value\":[]}".to_vec(),
            "line 2, column 1: malformed JSON: trailing characters (the file holds more than \
             one JSON value: save several pages as one JSON array of pages)"
                .into(),
        ),
        (
            "truncated single page",
            br#"{"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=abc"}"#.to_vec(),
            "the export is truncated: @odata.nextLink is \"https://graph.microsoft.com/v1.0/\
             tenantRelationships/delegatedAdminRelationships?$skiptoken=abc\", but that page is \
             not in the file; export every page (follow @odata.nextLink until a page has none)"
                .into(),
        ),
        (
            "truncated last page",
            format!(r#"[{{"value":[],"@odata.nextLink":"l1"}},{{"value":[],"@odata.nextLink":"{long_link}"}}]"#)
                .into_bytes(),
            format!(
                "the export is truncated: [1].@odata.nextLink is \"{cut_link}\", but that page \
                 is not in the file; export every page (follow @odata.nextLink until a page has none)"
            ),
        ),
        (
            "truncated, the link spelt as OData v3 writes it",
            br#"{"value":[],"odata.nextLink":"l2"}"#.to_vec(),
            "the export is truncated: @odata.nextLink is \"l2\", but that page is not in the \
             file; export every page (follow @odata.nextLink until a page has none)"
                .into(),
        ),
        (
            "truncated, the link in lower case",
            br#"{"value":[],"@odata.nextlink":"l3"}"#.to_vec(),
            "the export is truncated: @odata.nextLink is \"l3\", but that page is not in the \
             file; export every page (follow @odata.nextLink until a page has none)"
                .into(),
        ),
        (
            "nextLink not a string",
            br#"{"value":[],"@odata.nextLink":5}"#.to_vec(),
            "@odata.nextLink: expected a string or null, found a number (5)".into(),
        ),
        (
            "flattened value",
            br#"{"value":"System.Object[]"}"#.to_vec(),
            "value: expected an array, found a string (\"System.Object[]\"): the export was \
             flattened by ConvertTo-Json's default depth; export again with ConvertTo-Json -Depth 10"
                .into(),
        ),
        (
            "page value not an array",
            br#"[{"value":[]},{"value":3}]"#.to_vec(),
            "[1].value: expected an array, found a number (3)".into(),
        ),
        (
            "relationship among pages",
            br#"[{"value":[]},{"id":"r1"}]"#.to_vec(),
            "[1]: expected a page (an object with a `value` array) like the other elements, \
             found an object without `value`"
                .into(),
        ),
        (
            "number among pages",
            br#"[{"id":"r1","status":"active"},{"value":[]},7]"#.to_vec(),
            "[0]: expected a page (an object with a `value` array) like the other elements, \
             found an object without `value`"
                .into(),
        ),
        (
            "flattened page among pages",
            br#"[{"value":[]},"System.Collections.Hashtable"]"#.to_vec(),
            "[1]: expected an object, found a string (\"System.Collections.Hashtable\"): the \
             export was flattened by ConvertTo-Json's default depth; export again with \
             ConvertTo-Json -Depth 10"
                .into(),
        ),
        (
            "an object that is no page",
            br#"{"id":"r1","status":"active"}"#.to_vec(),
            "an object without a `value` array; expected Microsoft Graph's \
             delegatedAdminRelationships response (an object with a `value` array), an array of \
             relationships, or an array of such responses"
                .into(),
        ),
        (
            "a string",
            b"\"hello\"".to_vec(),
            "expected an object with a `value` array or an array at the top, found a string \
             (\"hello\"); expected Microsoft Graph's delegatedAdminRelationships response"
                .into(),
        ),
        (
            "not UTF-8",
            b"[\n\"M\xFCller\"]".to_vec(),
            "not valid UTF-8 at line 2 (byte 0xFC at byte offset 4); save the export as UTF-8, \
             or as UTF-16 with a byte order mark"
                .into(),
        ),
        (
            "not UTF-8 after a BOM",
            b"\xEF\xBB\xBF[\xFF]".to_vec(),
            "not valid UTF-8 at line 1 (byte 0xFF at byte offset 4); save the export as UTF-8, \
             or as UTF-16 with a byte order mark"
                .into(),
        ),
        (
            "UTF-16 without BOM",
            utf16("[]", false)[2..].to_vec(),
            "looks like UTF-16 without a byte order mark; save the export as UTF-8, or as \
             UTF-16 with a byte order mark"
                .into(),
        ),
        (
            "UTF-16 odd length",
            odd_utf16,
            "not valid utf-16le: the file has an odd number of bytes (7)".into(),
        ),
        (
            "UTF-16 unpaired surrogate",
            lone_surrogate,
            "not valid utf-16le: unpaired surrogate 0xD800 at line 2 (byte offset 8)".into(),
        ),
    ];
    for (case, bytes, want) in cases {
        let error = parse_relationships(&bytes, FILE).expect_err(case);
        assert_eq!(error.file, FILE, "{case}");
        assert_eq!(error.to_string(), format!("{FILE}: {want}"), "{case}");
    }
}

#[test]
fn reads_the_documented_graph_response() {
    let bytes = include_bytes!("../../../tests/data/graph/delegated_admin_relationships.json");
    let export = parse_relationships(bytes, FILE).unwrap();
    assert_eq!(export.shape, ExportShape::Page);
    assert_eq!(export.encoding, JsonEncoding::Utf8);
    let got: Vec<_> = export
        .relationships
        .iter()
        .map(|row| {
            assert!(
                row.problems.is_empty(),
                "{}: {:?}",
                row.position,
                row.problems
            );
            assert!(
                row.record.starts_with("{\"@odata.type\":"),
                "{}",
                row.record
            );
            (
                row.position.as_str(),
                row.customer_id.as_deref(),
                row.status.as_deref(),
                row.display_name.as_deref(),
                row.start_date.as_deref(),
                row.end_date.as_deref(),
                row.roles.len(),
            )
        })
        .collect();
    let want = vec![
        (
            "value[0]",
            Some("4c5ffc9a-5f3a-4c39-9b9a-2f5c3f4a1e2d"),
            Some("active"),
            Some("Contoso admin relationship"),
            Some("2022-02-10"),
            Some("2024-02-10"),
            2,
        ),
        (
            "value[1]",
            Some("7d1e4b6a-2c3f-4a5b-8c9d-0e1f2a3b4c5d"),
            Some("approvalPending"),
            Some("Fabrikam GDAP – Helpdesk"),
            None,
            None,
            3,
        ),
        (
            "value[2]",
            Some("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
            Some("terminated"),
            Some("Northwind full admin"),
            Some("2024-05-21"),
            Some("2025-11-30"),
            1,
        ),
    ];
    assert_eq!(got, want);
    let first = &export.relationships[0];
    assert_eq!(
        first.relationship_id.as_deref(),
        Some("5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836")
    );
    assert_eq!(
        first.roles,
        [
            "29232cdf-9323-42fd-ade2-1d097af3e4de",
            "3a2c62db-5318-420d-8d74-23affee5d9d5"
        ]
    );
    assert!(
        first.record.contains(r#""@odata.etag":"W/\"JyIw"#),
        "{}",
        first.record
    );
}

#[test]
fn columns_name_their_members() {
    let cases = [
        ("customer_id", Some("customer.tenantId")),
        ("Status", Some("status")),
        ("relationship_id", Some("id")),
        ("start_date", Some("activatedDateTime")),
        ("end_date", Some("endDateTime")),
        ("roles", Some("accessDetails.unifiedRoles")),
        ("services", None),
    ];
    for (column, want) in cases {
        assert_eq!(member_for_column(column), want, "{column}");
    }
}

#[test]
fn shapes_have_stable_names() {
    let cases = [
        (ExportShape::Page, "page"),
        (ExportShape::Array, "array"),
        (ExportShape::Pages { count: 2 }, "pages"),
    ];
    for (shape, want) in cases {
        assert_eq!(shape.name(), want);
    }
    assert_eq!(JsonEncoding::Utf16Le.to_string(), "utf-16le");
}

#[test]
fn excerpts_cut_and_escape() {
    let cases = [
        ("short", 80, "short"),
        ("abcdef", 3, "abc…"),
        ("äöü", 3, "äöü"),
        ("a\tb\r\n\u{7f}", 80, "a\\tb\\r\\n\\u{7f}"),
    ];
    for (value, max, want) in cases {
        assert_eq!(excerpt(value, max), want, "{value:?}");
    }
}
