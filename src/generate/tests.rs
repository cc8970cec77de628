//! Tests of the generator: determinism, prefix stability, stats, the validity of every
//! row against the contract's vocabularies, and the field formatting helpers.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use tempfile::TempDir;

use super::format::{civil_from_days, push_date, push_u64};
use super::ids::guid;
use super::vocabulary::OFFERS;
use super::*;
use crate::catalog::Catalog;
use crate::model::{KnownValues, RelationshipStatus, SubscriptionStatus};

/// A fresh directory under the system temp dir, removed on drop.
fn temp_dir(label: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("upgrade-recon-generate-{label}-"))
        .tempdir()
        .unwrap()
}

const FILES: [&str; 4] = [
    CUSTOMERS_FILE,
    SUBSCRIPTIONS_FILE,
    RELATIONSHIPS_FILE,
    LICENSES_FILE,
];

fn run(customers: u64, seed: u64, out: &Path) -> GenerateStats {
    generate(&GenerateOptions {
        customers,
        seed,
        out: out.to_path_buf(),
    })
    .unwrap()
}

fn read_all(dir: &Path) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|f| fs::read(dir.join(f)).unwrap())
        .collect()
}

/// The catalog offer that `text` names in any of its forms, case-insensitively.
fn known_offer(text: &str) -> Option<&'static str> {
    OFFERS
        .iter()
        .find(|o| {
            [o.id, o.name, o.sku, o.alias]
                .iter()
                .any(|k| !k.is_empty() && k.eq_ignore_ascii_case(text))
        })
        .map(|o| o.id)
}

/// Splits one CSV line (no embedded line breaks) into unquoted fields.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) => quoted = true,
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', true) => quoted = false,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {line:?}");
    out
}

fn rows(dir: &Path, file: &str, header: &str) -> Vec<Vec<String>> {
    let text = String::from_utf8(fs::read(dir.join(file)).unwrap()).unwrap();
    assert!(text.ends_with('\n') && !text.contains('\r'));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(header));
    lines
        .map(|line| {
            let row = fields(line);
            assert_eq!(row.len(), header.split(',').count(), "{file}: {line}");
            row
        })
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let (a, b) = (temp_dir("a"), temp_dir("b"));
    let stats_a = run(1500, 42, a.path());
    let stats_b = run(1500, 42, b.path());
    assert_eq!(stats_a, stats_b);
    assert!(
        read_all(a.path()) == read_all(b.path()),
        "same (customers, seed) must give the same bytes"
    );
}

#[test]
fn different_seed_gives_different_bytes() {
    let (a, b) = (temp_dir("a"), temp_dir("b"));
    run(500, 1, a.path());
    run(500, 2, b.path());
    let (fa, fb) = (read_all(a.path()), read_all(b.path()));
    for (i, file) in FILES.iter().enumerate() {
        assert_ne!(fa[i], fb[i], "{file} should depend on the seed");
    }
}

#[test]
fn a_smaller_run_is_a_prefix_of_a_larger_one() {
    let (small, large) = (temp_dir("small"), temp_dir("large"));
    run(200, 9, small.path());
    run(400, 9, large.path());
    for (s, l) in read_all(small.path()).iter().zip(read_all(large.path())) {
        assert!(l.starts_with(s));
    }
}

#[test]
fn stats_match_the_files() {
    let dir = temp_dir("stats");
    let stats = run(2000, 7, dir.path());
    let files = read_all(dir.path());
    let lines: Vec<u64> = files
        .iter()
        .map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64 - 1)
        .collect();
    assert_eq!(
        lines,
        [
            stats.customers,
            stats.subscriptions,
            stats.relationships,
            stats.licenses
        ]
    );
    assert_eq!(stats.customers, 2000);
    assert_eq!(
        stats.bytes,
        files.iter().map(|f| f.len() as u64).sum::<u64>()
    );
    // Shape: ≈ 2.5 subscriptions, ≈ 1.2 relationships, ≈ 40 licenses per customer.
    assert!((4500..5600).contains(&stats.subscriptions), "{stats:?}");
    assert!((2000..2800).contains(&stats.relationships), "{stats:?}");
    assert!((65_000..95_000).contains(&stats.licenses), "{stats:?}");
}

#[test]
fn no_duplicate_subscription_ids() {
    let dir = temp_dir("ids");
    let stats = run(5000, 3, dir.path());
    let mut seen = HashSet::new();
    for row in rows(dir.path(), SUBSCRIPTIONS_FILE, SUBSCRIPTIONS_HEADER) {
        assert!(
            seen.insert(row[0].to_ascii_lowercase()),
            "duplicate subscription id {}",
            row[0]
        );
    }
    assert_eq!(seen.len() as u64, stats.subscriptions);
}

#[test]
fn empty_run_writes_headers_only() {
    let dir = temp_dir("empty");
    let stats = run(0, 1, &dir.path().join("nested/out"));
    assert_eq!(
        stats,
        GenerateStats {
            bytes: stats.bytes,
            ..GenerateStats::default()
        }
    );
    let text = fs::read_to_string(dir.path().join("nested/out").join(SUBSCRIPTIONS_FILE)).unwrap();
    assert_eq!(text, format!("{SUBSCRIPTIONS_HEADER}\n"));
}

/// The values an input file may hold for `T`, lower-cased.
fn spellings<T: KnownValues>() -> HashSet<String> {
    T::VALUES
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect()
}

#[test]
fn every_row_is_valid() {
    let dir = temp_dir("valid");
    run(3000, 42, dir.path());
    let lower = |s: &str| s.to_ascii_lowercase();
    // Checked against the product's own catalog and enums, not the generator's lists.
    let catalog = Catalog::builtin().unwrap();
    let vocabulary: HashSet<String> = catalog.vocabulary().names().map(lower).collect();
    let subscription_statuses = spellings::<SubscriptionStatus>();
    let relationship_statuses = spellings::<RelationshipStatus>();
    let date = |s: &str| -> Option<i64> {
        if s.is_empty() {
            return None;
        }
        let p: Vec<&str> = s.split('-').collect();
        assert!(
            p.len() == 3 && p[0].len() == 4 && p[1].len() == 2 && p[2].len() == 2,
            "{s}"
        );
        let (y, m, d) = (
            p[0].parse().unwrap(),
            p[1].parse().unwrap(),
            p[2].parse().unwrap(),
        );
        let days = days_from_civil(y, m, d);
        assert_eq!(civil_from_days(days), (y, m, d), "not a calendar day: {s}");
        Some(days)
    };

    let mut customers = HashSet::new();
    let mut comma_names = 0;
    for row in rows(dir.path(), CUSTOMERS_FILE, CUSTOMERS_HEADER) {
        assert!(
            customers.insert(lower(&row[0])),
            "duplicate customer {}",
            row[0]
        );
        assert!(!row[1].is_empty());
        comma_names += usize::from(row[1].contains(','));
    }
    assert!(comma_names > 100, "some company names must need quoting");

    let mut subscriptions = HashSet::new();
    let (mut unknown, mut other_channel, mut near_limit) = (0, 0, 0);
    let mut statuses = HashSet::new();
    for row in rows(dir.path(), SUBSCRIPTIONS_FILE, SUBSCRIPTIONS_HEADER) {
        assert!(
            subscriptions.insert(lower(&row[0])),
            "duplicate subscription {}",
            row[0]
        );
        assert!(customers.contains(&lower(&row[1])));
        unknown += usize::from(known_offer(&row[2]).is_none());
        let status = lower(&row[3]);
        assert!(subscription_statuses.contains(&status), "{status}");
        statuses.insert(status);
        let quantity: u64 = row[4].parse().unwrap();
        near_limit += usize::from((280..=350).contains(&quantity));
        assert!(["", "this_partner", "other_partner", "direct"].contains(&row[5].as_str()));
        other_channel += usize::from(row[5] == "other_partner" || row[5] == "direct");
    }
    let total = subscriptions.len();
    assert_eq!(statuses, subscription_statuses, "every status occurs");
    assert!(
        unknown * 100 > total && unknown * 100 < total * 6,
        "{unknown} of {total}"
    );
    assert!(other_channel * 100 > total * 10 && other_channel * 100 < total * 20);
    assert!(near_limit * 100 > total * 3);

    let mut relationship_ids = HashSet::new();
    let as_of = days_from_civil(2026, 11, 24);
    let (mut valid_now, mut future, mut past) = (0, 0, 0);
    for row in rows(dir.path(), RELATIONSHIPS_FILE, RELATIONSHIPS_HEADER) {
        if !row[0].is_empty() {
            assert!(relationship_ids.insert(lower(&row[0])));
        }
        assert!(customers.contains(&lower(&row[1])));
        assert!(
            relationship_statuses.contains(&lower(&row[2])),
            "{}",
            row[2]
        );
        assert!(!row[3].is_empty());
        if row[3] != "*" {
            for s in row[3].split(';') {
                assert!(vocabulary.contains(&lower(s)), "unknown service {s}");
            }
        }
        let (start, end) = (date(&row[4]), date(&row[5]));
        if let (Some(s), Some(e)) = (start, end) {
            assert!(s <= e, "start after end: {row:?}");
        }
        let on = start.is_none_or(|s| s <= as_of) && end.is_none_or(|e| as_of <= e);
        valid_now += usize::from(on);
        future += usize::from(start.is_some_and(|s| s > as_of));
        past += usize::from(end.is_some_and(|e| e < as_of));
    }
    assert!(valid_now > 0 && future > 0 && past > 0);

    let mut assignments = HashSet::new();
    let mut disabled = 0;
    let total = rows(dir.path(), LICENSES_FILE, LICENSES_HEADER)
        .into_iter()
        .inspect(|row| {
            assert!(customers.contains(&lower(&row[0])));
            assert!(
                row[1].starts_with('u') && row[1].contains("@c"),
                "{}",
                row[1]
            );
            // Offers resolve per catalog offer, so compare resolved keys.
            let key = known_offer(&row[2]).map_or(lower(&row[2]), str::to_string);
            assert!(
                assignments.insert((lower(&row[0]), lower(&row[1]), key)),
                "duplicate assignment {row:?}"
            );
            if !row[3].is_empty() {
                disabled += 1;
                for s in row[3].split(';') {
                    assert!(vocabulary.contains(&lower(s)), "unknown service {s}");
                }
            }
        })
        .count();
    assert!(
        disabled * 100 > total * 5 && disabled * 100 < total * 15,
        "{disabled} of {total}"
    );
}

#[test]
fn guids_and_dates_format() {
    let g = guid(0x0123_4567_89ab_cdef, u64::MAX);
    assert_eq!(&g, b"01234567-89ab-4cde-bfff-ffffffffffff");
    let mut buf = Vec::new();
    push_date(&mut buf, days_from_civil(2024, 2, 29));
    push_u64(&mut buf, 0);
    push_u64(&mut buf, u64::MAX);
    assert_eq!(buf, b"2024-02-29018446744073709551615");
    assert_eq!(days_from_civil(1970, 1, 1), 0);
}
