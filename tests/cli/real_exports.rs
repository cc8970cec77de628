//! Real exports: the sample data set as German Excel, UTF-16 and Partner Center
//! write it (`fixtures/excel-de`, `fixtures/utf16`, `fixtures/partner-center`,
//! made by `scripts/make-export-fixtures.py`) must give byte-identical decisions,
//! and `summary.json` must say which encoding, delimiter and headers were used.
//! Then the errors real files run into: ambiguous headers, a forced wrong
//! encoding or delimiter, bad dates, ragged rows, bad `--column` values, and line
//! numbers across CRLF and quoted line breaks in a Windows-1252 file.
//!
//! Tests marked `#[ignore]` show behaviour that contradicts the issue text (or the
//! encoding module's own contract); the reason says what is wrong.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use encoding_rs::WINDOWS_1252;

use crate::harness::*;

/// The reports that carry decisions; they must not depend on how input is written.
const DECISIONS: [&str; 3] = [ELIGIBLE, BLOCKED, REASSIGNMENTS];

/// Data rows of the sample's files, in `INPUT_FILES` order.
const SAMPLE_ROWS: [u64; 4] = [50, 125, 55, 430];

/// The decision reports of a run on `fixtures/sample`, made once per test binary.
fn sample_decisions() -> &'static [String; 3] {
    static REPORTS: OnceLock<[String; 3]> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let ws = Workspace::sample();
        ws.run(&[]).assert_code(0);
        DECISIONS.map(|file| ws.report(file))
    })
}

/// A workspace holding `fixtures/<set>`.
fn export(set: &str) -> Workspace {
    Workspace::from_dir(&repo_path(&format!("fixtures/{set}")))
}

/// The reports in `out` hold exactly the sample's decisions (byte for byte) and
/// no rejected row.
fn assert_sample_decisions(out: &Path, what: &str) {
    for (file, expected) in DECISIONS.iter().zip(sample_decisions()) {
        let actual = read_text(&out.join(file));
        assert_text_eq(&actual, expected, &format!("{what}: {file}"));
    }
    assert_eq!(read_text(&out.join(REJECTS)), REJECTS_HEADER, "{what}");
}

/// Per input file: (encoding, delimiter, "field=Header|…" for every field found).
type Detected<'a> = [(&'a str, &'a str, &'a str); 4];

/// `summary.json`'s `inputs` say what `detected` says, with the sample's row counts.
fn assert_inputs(summary: &serde_json::Value, detected: &Detected<'_>) {
    let inputs = summary["inputs"].as_array().expect("inputs array");
    assert_eq!(inputs.len(), 4, "{summary}");
    for (i, (encoding, delimiter, columns)) in detected.iter().enumerate() {
        let input = &inputs[i];
        let file = INPUT_FILES[i];
        assert_eq!(input["file"], file);
        assert_eq!(input["encoding"], *encoding, "{file}");
        assert_eq!(input["delimiter"], *delimiter, "{file}");
        assert_eq!(input["rows"], SAMPLE_ROWS[i], "{file}");
        assert_eq!(input["rejected"], 0, "{file}");
        let expected: serde_json::Map<String, serde_json::Value> = columns
            .split('|')
            .map(|pair| pair.split_once('=').expect("field=Header"))
            .map(|(field, header)| (field.to_owned(), header.into()))
            .collect();
        assert_eq!(
            input["columns"],
            serde_json::Value::Object(expected),
            "{file}"
        );
    }
}

const EXCEL_DE_COLUMNS: [&str; 4] = [
    "customer_id=Microsoft ID|company_name=Company name|domain=Primary domain name|country=Country/Region|account_manager=Account manager",
    "subscription_id=Subscription ID|customer_id=Microsoft ID|offer=Offer name|status=Status|quantity=Licenses|channel=Channel",
    "relationship_id=Relationship ID|customer_id=Customer tenant ID|status=Status|services=Services|roles=Microsoft Entra roles|start_date=Start date|end_date=End date",
    "customer_id=Microsoft ID|user_principal_name=User principal name|offer=Product name|disabled_services=Disabled plans",
];

#[test]
fn german_excel_export_gives_the_sample_decisions() {
    let ws = export("excel-de");
    let run = ws.run(&[]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    assert_sample_decisions(&ws.out(), "excel-de");
    // Only customers.csv has umlauts; the other files are ASCII, which is valid
    // UTF-8, and are reported as such.
    let [c, s, r, l] = EXCEL_DE_COLUMNS;
    assert_inputs(
        &ws.summary(),
        &[
            ("windows-1252", "semicolon", c),
            ("utf-8", "semicolon", s),
            ("utf-8", "semicolon", r),
            ("utf-8", "semicolon", l),
        ],
    );

    // Forcing what was detected changes nothing but the reported encoding.
    let forced = ws.path().join("forced");
    let args = ["--encoding", "cp1252", "--delimiter", ";"];
    ws.run_with_out(&forced, &args).assert_code(0);
    assert_sample_decisions(&forced, "excel-de, forced");
    let summary: serde_json::Value =
        serde_json::from_str(&read_text(&forced.join(SUMMARY))).expect("summary.json");
    let detected = EXCEL_DE_COLUMNS.map(|c| ("windows-1252", "semicolon", c));
    assert_inputs(&summary, &detected);
}

#[test]
fn utf16_export_gives_the_sample_decisions() {
    let ws = export("utf16");
    ws.run(&[]).assert_code(0);
    assert_sample_decisions(&ws.out(), "utf16");
    let columns = [
        "customer_id=Tenant ID|company_name=Customer name|domain=Default domain name|country=Country|account_manager=Account manager",
        "subscription_id=Subscription ID|customer_id=Tenant ID|offer=Product name|status=Subscription status|quantity=Seats|channel=Channel",
        "relationship_id=Relationship ID|customer_id=Tenant ID|status=Relationship status|services=Services|roles=unifiedRoles|start_date=Start date|end_date=endDateTime",
        "customer_id=Tenant ID|user_principal_name=UserPrincipalName|offer=License|disabled_services=Disabled service plans",
    ];
    assert_inputs(&ws.summary(), &columns.map(|c| ("utf-16le", "tab", c)));

    // Without byte-order marks, as some .NET and database tools write UTF-16.
    for file in INPUT_FILES {
        let path = ws.input().join(file);
        let bytes = fs::read(&path).expect("read export");
        let body = bytes.strip_prefix(b"\xFF\xFE").expect("a UTF-16 LE BOM");
        fs::write(&path, body).expect("write export");
    }
    ws.run(&[]).assert_code(0);
    assert_sample_decisions(&ws.out(), "utf16");
    assert_inputs(&ws.summary(), &columns.map(|c| ("utf-16le", "tab", c)));
}

#[test]
fn partner_center_export_gives_the_sample_decisions() {
    let ws = export("partner-center");
    ws.run(&[]).assert_code(0);
    assert_sample_decisions(&ws.out(), "partner-center");
    // Extra columns ("Notes", "Billing cycle", "Auto renew", …) are not mapped.
    let columns = [
        "customer_id=CustomerId|company_name=CompanyName|domain=DomainName|country=CustomerCountry|account_manager=AccountManager",
        "subscription_id=SubscriptionId|customer_id=CustomerId|offer=OfferName|status=Status|quantity=Quantity|channel=Channel",
        "relationship_id=RelationshipId|customer_id=CustomerId|status=Status|services=Services|roles=Roles|start_date=StartDate|end_date=EndDate",
        "customer_id=CustomerId|user_principal_name=UPN|offer=OfferName|disabled_services=DisabledServices",
    ];
    let summary = ws.summary();
    assert_inputs(&summary, &columns.map(|c| ("utf-8-bom", "comma", c)));
    // ... and listed, as written and in file order, for an operator looking for a
    // column that was spelt differently.
    let ignored: Vec<&serde_json::Value> = (summary["inputs"].as_array().expect("inputs"))
        .iter()
        .map(|input| &input["ignored_columns"])
        .collect();
    assert_eq!(
        ignored,
        [
            &serde_json::json!(["Notes", "Relationship to partner"]),
            &serde_json::json!(["Billing cycle", "Auto renew", "Notes"]),
            &serde_json::json!(["Notes"]),
            &serde_json::json!(["Last sign-in"]),
        ]
    );
}

/// The fixtures are written as the tools write them (so a regenerated set that
/// lost its point fails here, not silently).
#[test]
fn export_fixtures_have_the_real_world_traits() {
    let bytes = |set: &str, file: &str| {
        let path = repo_path(&format!("fixtures/{set}/{file}"));
        fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let has = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    for file in INPUT_FILES {
        // Every line ends in ";" and CRLF, and one empty line ends the file.
        let excel = bytes("excel-de", file);
        let lines: Vec<&[u8]> = excel.split(|b| *b == b'\n').collect();
        let (rows, end) = lines.split_at(lines.len() - 2);
        assert_eq!(
            end,
            [&b"\r"[..], b""],
            "excel-de/{file}: a trailing empty line"
        );
        assert!(
            rows.iter().all(|l| l.ends_with(b";\r")),
            "excel-de/{file}: ;CRLF"
        );
        let utf16 = bytes("utf16", file);
        assert!(utf16.starts_with(&[0xFF, 0xFE]) && utf16.ends_with(&[b'\r', 0, b'\n', 0]));
        assert!(bytes("partner-center", file).starts_with(b"\xEF\xBB\xBF"));
    }
    let customers = bytes("excel-de", CUSTOMERS);
    assert!(
        has(&customers, b";M\xFCller & S\xF6hne GmbH;"),
        "Windows-1252 umlauts"
    );
    let relationships = bytes("excel-de", RELATIONSHIPS);
    assert!(
        has(&relationships, b";01.03.2024;29.2.2028;\r\n"),
        "DD.MM.YYYY and D.M.YYYY"
    );
    let iso: Vec<u8> = "\t2024-03-01T00:00:00Z\t2028-02-29T08:15:00.1234567Z\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(
        has(&bytes("utf16", RELATIONSHIPS), &iso),
        "ISO 8601 date-times"
    );
    let notes = bytes("partner-center", CUSTOMERS);
    assert!(has(
        &notes,
        "\"Rückruf vereinbart\nTicket #4711\"".as_bytes()
    ));
    assert!(
        notes.split(|b| *b == b'\n').any(|line| line.len() > 5000),
        "a very long field"
    );
}

/// Rewrites a Windows-1252 input file of `ws`; `edit` gets its lines without CRLF.
fn edit_cp1252(ws: &Workspace, file: &str, edit: impl FnOnce(&mut Vec<String>)) {
    let path = ws.input().join(file);
    let bytes = fs::read(&path).expect("read input");
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
    edit(&mut lines);
    let text = lines.join("\r\n");
    let (bytes, _, unmappable) = WINDOWS_1252.encode(&text);
    assert!(!unmappable, "{file}: only Windows-1252 characters");
    fs::write(&path, bytes).expect("write input");
}

/// Fails with exit 65 and nothing written; stderr holds `lines` and then the
/// verdict on `rows` rejected rows as its last line.
fn assert_rejected(ws: &Workspace, extra: &[&str], lines: &[&str], rows: usize) {
    let run = assert_fails_writing_nothing(ws, extra, 65);
    for line in lines {
        run.assert_stderr_line(line);
    }
    let noun = if rows == 1 { "row" } else { "rows" };
    let verdict = format!("{rows} {noun} rejected, more than --max-errors 0; nothing written");
    assert_eq!(
        run.stderr_lines().last(),
        Some(&verdict.as_str()),
        "{}",
        run.stderr
    );
}

#[test]
fn two_offer_columns_are_ambiguous_until_one_is_chosen_with_column() {
    let ws = export("excel-de");
    // Excel's empty last column becomes "Offer ID", holding offer ids.
    edit_cp1252(&ws, SUBSCRIPTIONS, |lines| {
        for (i, line) in lines.iter_mut().enumerate().filter(|(_, l)| !l.is_empty()) {
            line.push_str(if i == 0 { "Offer ID" } else { "CFQ7TTC0LH18" });
        }
    });
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr,
        "subscriptions.csv:1: columns 3 \"Offer name\" and 7 \"Offer ID\" both map to \
         \"offer\"; choose one with --column subscriptions.offer=HEADER\n"
    );

    ws.run(&["--column", "subscriptions.offer=Offer name"])
        .assert_code(0);
    assert_sample_decisions(&ws.out(), "--column subscriptions.offer=Offer name");
    assert_eq!(ws.summary()["inputs"][1]["columns"]["offer"], "Offer name");
}

#[test]
fn forced_utf8_on_a_windows_1252_file_names_the_file_and_line() {
    let ws = export("excel-de");
    let run = assert_fails_writing_nothing(&ws, &["--encoding", "utf-8"], 65);
    // 0xFC is the "ü" of "Müller" on line 2.
    assert_eq!(
        run.stderr,
        "customers.csv: not valid UTF-8 at line 2 (byte 0xFC at byte offset 117); \
         save the file as UTF-8 or pass --encoding windows-1252\n"
    );
}

#[test]
fn a_date_in_no_accepted_format_is_a_row_error_naming_it() {
    let ws = export("excel-de");
    edit_cp1252(&ws, RELATIONSHIPS, |lines| {
        assert!(lines[1].ends_with(";01.03.2024;29.2.2028;"), "{}", lines[1]);
        lines[1] = lines[1].replace(";29.2.2028;", ";31/12/2026;");
    });
    let line = "admin_relationships.csv:2: end_date: invalid date \"31/12/2026\" (expected \
                YYYY-MM-DD, DD.MM.YYYY or an ISO 8601 date-time, a real calendar day)";
    assert_rejected(&ws, &[], &[line], 1);
}

#[test]
fn rows_with_too_few_or_too_many_fields_are_row_errors() {
    let ws = export("excel-de");
    edit_cp1252(&ws, SUBSCRIPTIONS, |lines| {
        let short: Vec<&str> = lines[3].split(';').take(4).collect();
        lines[3] = short.join(";"); // line 4: 4 of 7 fields
        lines[5].push_str(";extra"); // line 6: an 8th, non-empty field
        lines[7].push_str(";;;"); // line 8: empty extra fields, as Excel adds them
        // line 10: a value in the 7th column, whose header Excel left empty
        lines[9].push_str("Teams");
        let last_row = lines.len() - 2;
        lines.insert(last_row, ";;;;;;".into()); // a line of delimiters only: blank
    });
    let lines = [
        "subscriptions.csv:4: row has 4 fields, the header has 6",
        "subscriptions.csv:4: quantity: missing required value",
        "subscriptions.csv:6: row has 8 fields, the header has 7",
        "subscriptions.csv:10: row has a value in column 7, whose header is empty",
    ];
    assert_rejected(&ws, &[], &lines, 3);
}

#[test]
fn forcing_semicolon_on_a_comma_file_finds_no_required_column() {
    let ws = Workspace::sample();
    let run = assert_fails_writing_nothing(&ws, &["--delimiter", "semicolon"], 65);
    let ids = "customer_id, Customer ID, CustomerId, Microsoft ID, Tenant ID, Customer tenant ID";
    let expected = [
        format!("customers.csv:1: missing required column \"customer_id\" (looked for: {ids})"),
        "subscriptions.csv:1: missing required column \"subscription_id\" (looked for: \
         subscription_id, Subscription ID, SubscriptionId)"
            .to_owned(),
        format!(
            "admin_relationships.csv:1: missing required column \"customer_id\" (looked for: {ids})"
        ),
        format!(
            "license_assignments.csv:1: missing required column \"customer_id\" (looked for: {ids})"
        ),
    ];
    assert_eq!(run.stderr_lines(), expected);
}

#[test]
fn malformed_column_values_are_usage_errors() {
    let ws = export("excel-de");
    let cases = [
        (
            "subscriptions.offer",
            "expected FILE.FIELD=HEADER, e.g. subscriptions.offer=Produktname",
        ),
        (
            "offer=Offer name",
            "expected FILE.FIELD=HEADER, e.g. subscriptions.offer=Produktname",
        ),
        (
            "orders.offer=Offer name",
            "unknown file \"orders\" (expected customers, subscriptions, admin_relationships \
             or license_assignments)",
        ),
        (
            "subscriptions.seats=Licenses",
            "subscriptions.csv has no column \"seats\" (expected one of subscription_id, \
             customer_id, offer, status, quantity, channel)",
        ),
    ];
    for (value, message) in cases {
        let run = assert_fails_writing_nothing(&ws, &["--column", value], 2);
        run.assert_stderr_line(&format!(
            "error: invalid value '{value}' for '--column <FILE.FIELD=HEADER>': {message}"
        ));
    }
}

/// license_assignments.csv of excel-de with a three-line quoted note (lines 3–5)
/// in Excel's unnamed last column, then a row without a user (line 6) and a
/// repeat of line 2 (line 7).
fn licenses_with_a_multi_line_note() -> Workspace {
    let ws = export("excel-de");
    edit_cp1252(&ws, LICENSES, |lines| {
        // Notes go into a column of their own (a value under Excel's unnamed last
        // column would reject the row).
        lines[0].push_str("Notiz");
        lines[2].push_str("\"Hinweis:\r\nLizenz für Jörg Müller\r\nprüfen\"");
        let (customer, rest) = lines[3].split_once(';').expect("fields");
        let (_user, rest) = rest.split_once(';').expect("fields");
        lines[3] = format!("{customer};;{rest}Vertretung für Müller");
        let repeat = lines[1].clone();
        lines.insert(4, repeat);
    });
    ws
}

#[test]
fn line_numbers_count_crlf_lines_and_quoted_line_breaks_in_windows_1252() {
    let ws = licenses_with_a_multi_line_note();
    let missing = "license_assignments.csv:6: user_principal_name: missing required value";
    let duplicate = "license_assignments.csv:7: user_principal_name: duplicate of the license \
                     on line 2 (same customer, user and offer)";
    assert_rejected(&ws, &[], &[missing, duplicate], 2);

    // Within --max-errors: rejects.csv has the lines and the rows as decoded text.
    ws.run(&["--max-errors", "2"]).assert_code(3);
    let row_6 = "fc4a23df-c32a-413c-8fb7-f8e51b624f4f;;Office 365 Business Essentials;\
                 \"\"Yammer;Planner\"\";Vertretung für Müller";
    let row_7 = "fc4a23df-c32a-413c-8fb7-f8e51b624f4f;Joerg.Mueller@mueller-soehne.de;\
                 Office 365 Business Essentials;;";
    assert_eq!(
        ws.report(REJECTS),
        format!(
            "{REJECTS_HEADER}license_assignments.csv,6,user_principal_name: missing required \
             value,\"{row_6}\"\nlicense_assignments.csv,7,\"user_principal_name: duplicate of \
             the license on line 2 (same customer, user and offer)\",{row_7}\n"
        )
    );

    // Forced UTF-8: the first invalid byte is on the quoted note's second line.
    let bytes = fs::read(ws.input().join(LICENSES)).expect("read licenses");
    let offset = bytes
        .iter()
        .position(|b| *b >= 0x80)
        .expect("a non-ASCII byte");
    let run = assert_fails_writing_nothing(&ws, &["--encoding", "utf-8"], 65);
    run.assert_stderr_line(&format!(
        "license_assignments.csv: not valid UTF-8 at line 4 (byte 0xFC at byte offset \
         {offset}); save the file as UTF-8 or pass --encoding windows-1252"
    ));
}

/// Bytes of the sniffing prefix (`PREFIX_BYTES` in src/csvio/file.rs).
const SNIFF_PREFIX: usize = 1 << 20;

#[test]
fn utf16_surrogate_pair_across_the_sniffing_prefix_is_read() {
    let ws = export("utf16");
    let path = ws.input().join(CUSTOMERS);
    let units: Vec<u16> = fs::read(&path)
        .expect("read customers")
        .chunks_exact(2)
        .skip(1)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("UTF-16");
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
    lines[0].push_str("\tNotes");
    for line in lines.iter_mut().skip(2).filter(|l| !l.is_empty()) {
        line.push('\t');
    }
    // The note of line 2 puts 😀's high surrogate on the prefix's last two bytes.
    let units_before = lines[0].encode_utf16().count() + 2 + lines[1].encode_utf16().count() + 1;
    let pad = (SNIFF_PREFIX - 2 - 2 - 2 * units_before) / 2;
    lines[1] = format!("{}\t{}\u{1F600} ok", lines[1], "x".repeat(pad));
    let text = format!("\u{FEFF}{}", lines.join("\r\n"));
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(
        &bytes[SNIFF_PREFIX - 2..SNIFF_PREFIX + 2],
        [0x3D, 0xD8, 0x00, 0xDE]
    );
    fs::write(&path, bytes).expect("write customers");

    let run = ws.run(&[]);
    run.assert_code(0);
    assert_sample_decisions(&ws.out(), "utf16 with an emoji at 1 MiB");
}

#[test]
fn utf8_file_with_bom_and_a_stray_byte_is_an_encoding_error_naming_the_line() {
    let original = fs::read_to_string(repo_path("fixtures/partner-center/customers.csv"))
        .expect("read customers");
    // Line 2: "Müller & Söhne GmbH,,fc4a23df-…,DE,Reseller,…"; \u{1} marks the stray byte.
    let small = original.replacen("DE,Reseller", "DE,Re\u{1}eller", 1);
    let note = format!(",{},fc4a23df", "y".repeat(SNIFF_PREFIX + 50_000));
    let large = small.replacen(",,fc4a23df", &note, 1);
    let mut outcomes = Vec::new();
    let mut expected = Vec::new();
    for text in [small, large] {
        let ws = export("partner-center");
        let bytes: Vec<u8> = text
            .bytes()
            .map(|b| if b == 1 { 0xDF } else { b })
            .collect();
        let offset = bytes.iter().position(|b| *b == 0xDF).expect("stray byte");
        fs::write(ws.input().join(CUSTOMERS), &bytes).expect("write customers");
        let run = ws.run(&[]);
        outcomes.push((run.code, run.stderr));
        expected.push((
            65,
            format!(
                "customers.csv: not valid UTF-8 at line 2 (byte 0xDF at byte offset {offset}); \
                 save the file as UTF-8 or pass --encoding windows-1252\n"
            ),
        ));
    }
    assert_eq!(
        outcomes, expected,
        "small file, then one with the byte past 1 MiB"
    );
}

#[test]
fn header_errors_name_the_header_line_after_leading_blank_lines() {
    let ws = Workspace::sample();
    let customers = read_text(&ws.input().join(CUSTOMERS));
    let renamed = customers.replacen("company_name", "firm", 1);
    ws.write_input(CUSTOMERS, &format!("\r\n\r\n{renamed}"));
    let run = assert_fails_writing_nothing(&ws, &[], 65);
    assert_eq!(
        run.stderr,
        "customers.csv:3: missing required column \"company_name\" (looked for: company_name, \
         Company name, Customer name, CustomerName)\n"
    );
}
