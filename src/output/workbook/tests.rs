//! The workbook writer with small limits, read back with calamine: sheets that
//! continue past the row limit, cells cut past the length limit, sheets of
//! reports that never came left out.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use super::*;
use crate::output::cells::CellRecorder;
use crate::output::rows::RowSink;
use crate::text::Lang;

const EN: &WorkbookWords = Lang::En.workbook_words();
use crate::output::{Counts, PairCounts, ReassignmentCounts, SubscriptionCounts};

const SMALL: Limits = Limits {
    rows_per_sheet: 4,
    cell_units: 40,
    sample_rows: 2,
};

fn summary() -> Summary {
    Summary {
        as_of: "2026-11-24".to_owned(),
        catalog: "built-in".to_owned(),
        subscriptions: SubscriptionCounts {
            total: 3,
            evaluated: 3,
            eligible: 1,
            blocked: 2,
            not_upgradable: 0,
            other_channel: 0,
        },
        upgrade_pairs: PairCounts {
            eligible: 1,
            blocked: 7,
        },
        blocked_by_reason: Counts(vec![
            ("SubscriptionStatusNotActive", 7),
            ("SubscriptionNotProvisioned", 0),
        ]),
        reassignments: ReassignmentCounts {
            total: 0,
            by_reason: Counts(vec![("DisabledServicesReset", 0)]),
        },
        unknown_offers: Default::default(),
        unknown_license_offers: Default::default(),
        rejected_rows: 0,
        neutralized_cells: 2,
        csv_style: "plain",
        inputs: Vec::new(),
        reports: Vec::new(),
        filter: None,
        ..Summary::default()
    }
}

/// Rows of (text, number) after a header `id,count`.
fn part(header: bool, rows: &[(&str, u64)]) -> Part {
    let mut cells = CellRecorder::default();
    if header {
        cells.text("id");
        cells.text("count");
        cells.end_row();
    }
    for (id, count) in rows {
        cells.text(id);
        cells.number(*count);
        cells.end_row();
    }
    Part::in_memory(crate::output::spill::RowBytes::into_bytes(cells))
}

fn write(
    dir: &Path,
    limits: Limits,
    reports: Vec<Vec<(&'static str, Part)>>,
) -> Xlsx<std::io::BufReader<std::fs::File>> {
    let path = dir.join(WORKBOOK_FILE);
    let mut writer =
        WorkbookWriter::start(dir, path.clone(), path.clone(), limits, EN).expect("thread");
    for batch in reports {
        writer.write(batch).expect("queued");
    }
    writer.finish(&summary()).expect("saved");
    open_workbook(&path).expect("a workbook calamine reads")
}

fn texts(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).expect("sheet");
    assert_eq!(range.start(), Some((0, 0)), "{sheet} starts at A1");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(value: &str) -> Data {
    Data::String(value.to_owned())
}

#[test]
fn a_sheet_past_the_row_limit_continues_with_the_header_repeated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<(String, u64)> = (0..7).map(|n| (format!("0004{n}"), n)).collect();
    let rows: Vec<(&str, u64)> = rows.iter().map(|(id, n)| (id.as_str(), *n)).collect();
    let mut book = write(
        dir.path(),
        SMALL,
        vec![
            vec![(BLOCKED_FILE, part(true, &rows[..1]))],
            vec![(BLOCKED_FILE, part(false, &rows[1..5]))],
            vec![(BLOCKED_FILE, part(false, &rows[5..]))],
        ],
    );
    assert_eq!(
        book.sheet_names(),
        ["Summary", "Blocked", "Blocked (2)", "Blocked (3)"],
        "sheets of reports that never came are left out"
    );
    let mut seen = Vec::new();
    for (sheet, data_rows) in [("Blocked", 3), ("Blocked (2)", 3), ("Blocked (3)", 1)] {
        let cells = texts(&mut book, sheet);
        assert_eq!(cells.len(), 1 + data_rows, "{sheet}");
        assert_eq!(cells[0], [text("id"), text("count")], "{sheet}: the header");
        seen.extend(cells[1..].iter().cloned());
    }
    let expected: Vec<Vec<Data>> = rows
        .iter()
        .map(|(id, n)| vec![text(id), Data::Float(*n as f64)])
        .collect();
    assert_eq!(seen, expected, "every row once, in order, ids as text");
}

#[test]
fn a_cell_past_the_length_limit_is_cut_with_a_marker() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "x".repeat(100);
    let mut book = write(
        dir.path(),
        SMALL,
        vec![vec![(
            ACTIONS_FILE,
            part(true, &[(&long, 1), ("short", 2)]),
        )]],
    );
    let cells = texts(&mut book, "Actions");
    let Data::String(cut_text) = &cells[1][0] else {
        panic!("text: {:?}", cells[1][0]);
    };
    assert_eq!(
        cut_text,
        &format!("{}… [cut: 100 characters]", "x".repeat(17))
    );
    assert_eq!(cut_text.encode_utf16().count(), 40);
    assert_eq!(cells[2][0], text("short"));
    // The Summary sheet shows the action list's first rows.
    let summary = texts(&mut book, EN.sheet(Sheet::Summary));
    assert!(
        summary
            .iter()
            .any(|row| row.first() == Some(&text("short")))
    );
}

#[test]
fn cuts_count_utf16_units_and_keep_whole_characters() {
    for (text, limit, expected) in [
        ("short", 40, "short".to_owned()),
        (&"ä".repeat(40)[..], 40, "ä".repeat(40)),
        (
            &"😀".repeat(30)[..],
            40,
            format!("{}… [cut: 30 characters]", "😀".repeat(9)),
        ),
        (
            &"a".repeat(45_000)[..],
            32_767,
            format!("{}… [cut: 45,000 characters]", "a".repeat(32_741)),
        ),
    ] {
        let cut = cut(text, limit, EN);
        assert_eq!(cut, expected, "{limit}");
        assert!(cut.encode_utf16().count() <= limit);
    }
}
