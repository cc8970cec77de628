//! `--lang de`: German details, run line, explain text and workbook words;
//! codes, CSV column names and rejects.csv stay English (contract §5).

use std::fs::File;
use std::io::BufReader;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::explain::assert_text_matches;
use crate::harness::*;

/// Columns whose text is written in the run's language.
const SENTENCE_COLUMNS: [&str; 1] = ["details"];

#[test]
fn details_are_german_and_everything_else_is_as_in_english() {
    let english = Workspace::sample();
    english.run(&[]).assert_code(0);
    let german = Workspace::sample();
    // Not --quiet: the run line is wanted.
    let run = outcome(
        german
            .bare_command(&german.out())
            .args(["--as-of", AS_OF, "--lang", "de"]),
    );
    run.assert_code(0);

    for report in [ELIGIBLE, BLOCKED, REASSIGNMENTS, OVERVIEW, ACTIONS, REJECTS] {
        let (en_text, de_text) = (english.report(report), german.report(report));
        let header = en_text.lines().next().unwrap_or_default();
        assert_eq!(
            de_text.lines().next(),
            Some(header),
            "{report}: the column names stay English"
        );
        let names: Vec<&str> = header.split(',').collect();
        let (en, de) = (csv_rows(&en_text), csv_rows(&de_text));
        assert_eq!(en.len(), de.len(), "{report}");
        for (en_row, de_row) in en.iter().zip(&de) {
            for ((name, en_cell), de_cell) in names.iter().zip(en_row).zip(de_row) {
                if SENTENCE_COLUMNS.contains(name) {
                    assert_ne!(en_cell, de_cell, "{report}: {name} is translated");
                } else {
                    assert_eq!(en_cell, de_cell, "{report}: {name} stays as it is");
                }
            }
        }
    }

    let blocked = german.report(BLOCKED);
    for phrase in [
        "Keine GDAP-Beziehung (delegierte Administratorrechte) ist am 2026-11-24 aktiv",
        "Partner: im Partner Center reaktivieren",
        "Lizenzen überschreiten die Obergrenze von 300 Lizenzen",
        "Der Kunde besitzt bereits",
        "von einem anderen Partner verkauft",
    ] {
        assert!(
            blocked.contains(phrase),
            "blocked_upgrades.csv lacks {phrase:?}"
        );
    }
    let reassignments = german.report(REASSIGNMENTS);
    assert!(
        reassignments.contains("Administrator: nach dem Upgrade wieder ausschalten"),
        "{reassignments}"
    );
    let actions = german.report(ACTIONS);
    assert!(actions.contains("Kunde: den Partner, der es verkauft hat, bitten"));

    let line = run.run_line.as_deref().expect("a run line");
    assert!(
        line.contains("Abonnements") && line.ends_with("Exit-Code 0"),
        "{line}"
    );
}

#[test]
fn the_workbook_has_german_sheet_names_and_headings() {
    let ws = Workspace::sample();
    ws.run(&["--lang", "de", "--xlsx"]).assert_code(0);
    let mut book: Xlsx<BufReader<File>> =
        open_workbook(ws.out().join("upgrade-recon.xlsx")).expect("workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Übersicht",
            "Abonnements",
            "Upgrade möglich",
            "Upgrade blockiert",
            "Lizenzen neu zuweisen",
            "Maßnahmen",
            "Abgelehnte Zeilen",
            "Änderungen",
        ]
    );
    let blocked = book.worksheet_range("Upgrade blockiert").expect("sheet");
    let header: Vec<String> = blocked
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|cell| cell.to_string())
        .collect();
    assert_eq!(header[0], "Kunden-ID");
    assert_eq!(header[8], "Grund (Code)");
    let codes: Vec<&Data> = blocked.rows().skip(1).map(|row| &row[8]).collect();
    assert!(
        codes.contains(&&Data::String("SubscriptionStatusNotActive".to_owned())),
        "codes stay English"
    );
    let summary = book.worksheet_range("Übersicht").expect("sheet");
    assert_eq!(
        summary.get_value((0, 0)),
        Some(&Data::String("Upgrade-Abgleich".to_owned()))
    );
}

#[test]
fn explain_in_german() {
    let ws = Workspace::sample();
    let de = ["--lang", "de"];
    assert_text_matches(
        &ws,
        "629716c2-e8d8-4ff2-bfc5-d3e9a123b5b4",
        "blocked.de",
        &de,
    );
    assert_text_matches(
        &ws,
        "e09d5376-82aa-4e6c-9e57-68b1233f2a95",
        "eligible.de",
        &de,
    );
    let run = ws.explain(&["--subscription", "nobody", "--lang", "de"]);
    run.assert_code(1);
    run.assert_stderr_line("upgrade-recon: kein Abonnement mit der ID \"nobody\"");
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let ws = Workspace::sample();
    ws.run(&["--lang", "fr"]).assert_code(2);
}
