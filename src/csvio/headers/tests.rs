//! Tests of header matching with a caller's alias table, overrides and delimiter detection.

use super::*;

#[rustfmt::skip]
const ALIASES: AliasTable = &[
    ("id", &["id", "Customer ID", "Tenant ID"]),
    ("name", &["name", "Company name"]),
    ("domain", &["domain", "Domain name", "Primary domain"]),
];

/// `note` has no entry in the alias table: it is looked for by its name.
const SPECS: &[ColumnSpec] = &[
    ColumnSpec::required("id"),
    ColumnSpec::required("name"),
    ColumnSpec::optional("domain"),
    ColumnSpec::optional("note"),
];

fn rules<'a>(overrides: &[(&'a str, &'a str)]) -> HeaderRules<'a> {
    HeaderRules {
        specs: SPECS,
        aliases: ALIASES,
        overrides: overrides
            .iter()
            .map(|&(field, header)| HeaderOverride { field, header })
            .collect(),
        option_prefix: "things",
        one_of: &[],
    }
}

/// `header (comma-separated) | overrides (field=header, " & "-separated) |
/// columns per spec ("-" = none), or the error message`.
const MAP_CASES: &[&str] = &[
    "id,name,domain,note | | 0 1 2 3",
    "Company name,Tenant ID,NOTE | | 1 0 - 2",
    "\u{FEFF} customer-id ,COMPANY_NAME,x | | 0 1 - -",
    "id,name,Domain name,Primary domain | | error: columns 3 \"Domain name\" and 4 \"Primary domain\" both map to \"domain\"; choose one with --column things.domain=HEADER",
    "id,Tenant ID,name | | error: columns 1 \"id\" and 2 \"Tenant ID\" both map to \"id\"; choose one with --column things.id=HEADER",
    "id,Tenant ID,name | id=tenant id | 1 2 - -",
    "id,Tenant ID | name=Tenant ID | 0 1 - -",
    "Nr,Firma | id=Nr & name=firma | 0 1 - -",
    "Nr,Firma | id=x & id=nr & name=Firma | 0 1 - -",
    "id,domain | | error: missing required column \"name\" (looked for: name, Company name)",
    "id,Firma | name=Firmenname | error: missing required column \"name\" (looked for: Firmenname)",
];

#[test]
fn maps_headers_with_the_callers_aliases_and_overrides() {
    for case in MAP_CASES {
        let parts: Vec<&str> = case.split('|').map(str::trim).collect();
        let [header, overrides, want] = parts[..] else {
            panic!("bad case {case}");
        };
        let header: Vec<&str> = header.split(',').collect();
        let overrides: Vec<(&str, &str)> = overrides
            .split(" & ")
            .filter(|o| !o.is_empty())
            .map(|o| o.split_once('=').expect("field=header"))
            .collect();
        let got = describe_mapping(&header, &rules(&overrides));
        assert_eq!(got, want, "{case}");
    }
}

#[test]
fn lists_the_columns_no_field_is_read_from() {
    // header (comma-separated), overrides (field, header), the headers not read
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
    let cases: &[Case<'_>] = &[
        ("id,name,domain,note", &[], &[]),
        (
            "\u{FEFF}Tenant ID, sold_by ,Company name,,Region",
            &[],
            &["sold_by", "Region"],
        ),
        (
            "Nr,Firma,Land",
            &[("id", "Nr"), ("name", "Firma")],
            &["Land"],
        ),
        // A column an override takes is read, whatever its aliases.
        ("id,name,Primary domain", &[("note", "Primary domain")], &[]),
    ];
    for (header, overrides, want) in cases {
        let header: Vec<&str> = header.split(',').collect();
        let map = map_header(&header, &rules(overrides)).expect("the header maps");
        assert_eq!(map.ignored, *want, "{header:?}");
    }
}

#[test]
fn detects_delimiters() {
    let cases: &[(&str, Option<u8>)] = &[
        ("id,name\r\nc1;x,y", Some(b',')),
        ("\u{FEFF}Tenant ID;Company name;domain\r\n", Some(b';')),
        ("id\tname\n", Some(b'\t')),
        ("id;\"Company name, legal\";name\n", Some(b';')),
        ("\"id\",\"Company\nname\"\n", Some(b',')),
        ("id;name;domain\rx,y,z,w", Some(b';')),
        ("\"id,name\";x", None),
        ("id", None),
        ("", None),
    ];
    for (line, want) in cases {
        assert_eq!(
            detect_delimiter(line.as_bytes(), &rules(&[])),
            *want,
            "{line:?}"
        );
    }
    let overridden = rules(&[("id", "Nr"), ("name", "Firma")]);
    assert_eq!(detect_delimiter(b"Nr;Firma;Land", &overridden), Some(b';'));
    let quoted = split_header(b"a,\"b, \"\"c\"\"\",d\r\ne", b',');
    assert_eq!(quoted, ["a", "b, \"c\"", "d"]);
}

#[test]
fn parses_delimiters() {
    let cases = [
        ("comma", b','),
        (",", b','),
        ("Semicolon", b';'),
        (";", b';'),
        ("TAB", b'\t'),
        ("\\t", b'\t'),
        ("\t", b'\t'),
    ];
    for (name, byte) in cases {
        assert_eq!(parse_delimiter(name), Ok(byte), "{name:?}");
        assert_eq!(parse_delimiter(delimiter_name(byte)), Ok(byte));
    }
    for bad in ["pipe", "|", ""] {
        let message = format!("unknown delimiter \"{bad}\" (expected comma, semicolon or tab)");
        assert_eq!(parse_delimiter(bad), Err(message));
    }
    assert_eq!(delimiter_name(b'|'), "other");
}

#[test]
fn normalizes_headers() {
    let headers = [
        ("Customer ID", "customerid"),
        ("\u{FEFF} customer_id\t", "customerid"),
        ("Country/Region", "country/region"),
        ("Straße-Nr", "straßenr"),
        ("E\u{A0}Mail", "email"),
    ];
    for (header, want) in headers {
        assert_eq!(normalize(header), want, "{header:?}");
    }
    assert_eq!(aliases(ALIASES, "name"), ["name", "Company name"]);
    assert!(aliases(ALIASES, "note").is_empty());
}
