//! `CsvOut` held to the csv crate, in every style, and the formula guard read back.

use super::*;
use crate::output::neutralize::{FORMULA_TRIGGERS, neutralize};
use proptest::prelude::*;

/// What the csv crate writes for `rows` in `style`, every cell neutralised first.
fn with_csv_crate(style: CsvStyle, rows: &[Vec<String>]) -> Vec<u8> {
    let terminator = match style.terminator() {
        b"\r\n" => csv::Terminator::CRLF,
        _ => csv::Terminator::Any(b'\n'),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(style.delimiter())
        .terminator(terminator)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralize(cell).into_owned()))
            .expect("in memory");
    }
    writer.into_inner().expect("in memory")
}

fn text(out: CsvOut) -> String {
    String::from_utf8(out.into_bytes()).expect("text")
}

#[test]
fn quotes_only_where_needed() {
    let mut out = CsvOut::new(b"old".to_vec());
    out.record(["a", "b,c", "say \"hi\"", "x\ny", "\r", ""]);
    out.record([""]);
    assert_eq!(out.neutralized(), 1, "the carriage return");
    assert_eq!(
        text(out),
        "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\"'\r\",\n\"\"\n"
    );
}

#[test]
fn each_style_has_its_delimiter_line_end_and_quotes() {
    for (style, expected) in [
        (CsvStyle::Plain, "id,\"a,b\",a;b,x;y,'=1+1,7\n\"\"\n"),
        (CsvStyle::Excel, "id,\"a,b\",a;b,x;y,'=1+1,7\r\n\"\"\r\n"),
        (
            CsvStyle::ExcelDe,
            "id;a,b;\"a;b\";\"x;y\";'=1+1;7\r\n\"\"\r\n",
        ),
    ] {
        let mut out = CsvOut::with_style(Vec::new(), style);
        RowSink::text(&mut out, "id");
        RowSink::text(&mut out, "a,b");
        RowSink::text(&mut out, "a;b");
        RowSink::token(&mut out, "x;y");
        RowSink::text(&mut out, "=1+1");
        RowSink::number(&mut out, 7);
        RowSink::end_row(&mut out);
        RowSink::end_row(&mut out);
        assert_eq!(out.neutralized(), 1, "{style}");
        assert_eq!(text(out), expected, "{style}");
    }
}

#[test]
fn clearing_the_bytes_keeps_the_count() {
    let mut out = CsvOut::default();
    out.record(["-1", "@x"]);
    out.clear_bytes();
    out.record(["+1"]);
    assert_eq!((out.as_bytes(), out.neutralized()), (&b"'+1\n"[..], 3));
    out.clear();
    assert_eq!(out.neutralized(), 0);
}

fn style() -> impl Strategy<Value = CsvStyle> {
    prop::sample::select(CsvStyle::ALL.to_vec())
}

fn rows() -> impl Strategy<Value = Vec<Vec<String>>> {
    proptest::collection::vec(
        // Short fields, and fields around the length where the search changes
        // method, with a byte to quote anywhere in them or none.
        proptest::collection::vec(
            prop_oneof![
                "[a\",\r\n\t ;ä'=+@-]{0,6}",
                "[a ]{50,70}[a\",\r\n;]?[a ]{0,10}",
                "[a\",\r\n;]?[a ]{55,70}",
            ],
            1..5,
        ),
        0..6,
    )
}

proptest! {
    #[test]
    fn writes_what_the_csv_crate_writes(style in style(), rows in rows()) {
        let mut out = CsvOut::with_style(Vec::new(), style);
        for row in &rows {
            out.record(row);
        }
        prop_assert_eq!(out.into_bytes(), with_csv_crate(style, &rows));

        // The same rows with their first two fields encoded apart, and the fields
        // that need neither guard nor quotes written as tokens.
        let mut out = CsvOut::with_style(Vec::new(), style);
        let mut lead = CsvOut::with_style(Vec::new(), style);
        for row in &rows {
            lead.clear();
            let split = row.len().min(2);
            for field in &row[..split] {
                lead.field(field);
            }
            if split > 0 {
                out.encoded(lead.as_bytes());
            }
            for field in &row[split..] {
                let bytes = field.as_bytes();
                if needs_neutralizing(bytes) || memchr::memchr3(b'"', b'\n', b'\r', bytes).is_some() {
                    out.field(field);
                } else {
                    out.token(field);
                }
            }
            out.end_row();
        }
        prop_assert_eq!(out.into_bytes(), with_csv_crate(style, &rows));
    }

    /// Rows whose leading and trailing cells go through `repeated`, keyed by the
    /// values they hold, read as the same bytes and count as the same guarded cells.
    #[test]
    fn repeated_cells_are_written_as_rendered(style in style(), rows in rows(), lead in 0usize..3) {
        let mut direct = CsvOut::with_style(Vec::new(), style);
        let mut repeated = CsvOut::with_style(Vec::new(), style);
        let key = |cells: &[String]| {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(cells)
        };
        // Every row twice, so that each key is met again.
        for row in rows.iter().flat_map(|row| [row, row]) {
            direct.record(row);
            let lead = lead.min(row.len());
            let trail = usize::from(row.len() > lead);
            let (leading, rest) = row.split_at(lead);
            let (middle, trailing) = rest.split_at(rest.len() - trail);
            fn cells(cells: &[String]) -> impl Fn(&mut dyn RowSink) + '_ {
                move |sink| cells.iter().for_each(|cell| sink.text(cell))
            }
            repeated.repeated(Repeat::Leading, key(leading), &cells(leading));
            for cell in middle {
                repeated.field(cell);
            }
            repeated.repeated(Repeat::Trailing, key(trailing), &cells(trailing));
            RowSink::end_row(&mut repeated);
        }
        prop_assert_eq!(repeated.neutralized(), direct.neutralized());
        prop_assert_eq!(repeated.into_bytes(), direct.into_bytes());
    }

    #[test]
    fn read_back_no_cell_starts_a_formula(style in style(), rows in rows()) {
        let mut out = CsvOut::with_style(Vec::new(), style);
        for row in &rows {
            out.record(row);
        }
        let triggered = rows.iter().flatten().filter(|c| needs_neutralizing(c.as_bytes())).count();
        prop_assert_eq!(out.neutralized(), triggered as u64);
        let bytes = out.into_bytes();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(style.delimiter())
            .from_reader(bytes.as_slice());
        let read: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("valid CSV");
        prop_assert_eq!(read.len(), rows.len());
        for (row, record) in rows.iter().zip(&read) {
            prop_assert_eq!(row.len(), record.len());
            for (cell, read) in row.iter().zip(record) {
                prop_assert!(
                    !read.bytes().next().is_some_and(|b| FORMULA_TRIGGERS.contains(&b)),
                    "{:?} read back as {:?}", cell, read
                );
                if needs_neutralizing(cell.as_bytes()) {
                    prop_assert_eq!(read, format!("'{cell}"));
                } else {
                    prop_assert_eq!(read, cell.as_str());
                }
            }
        }
    }
}
