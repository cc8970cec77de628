//! Tests of the record (round trip, damaged records), the comparison (table of
//! cases, batch boundaries against a plain reference, code tables, filters) and the
//! CSV reader of sets without a record.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::csv_set::{CsvReport, record_from_csvs};
use super::record::{self, Counts, Decoded, Entries, Mask};
use super::*;

/// (id, company, account manager, [(subscription, [(target, verdict)])]).
type Customer<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Vec<(&'a str, Vec<(&'a str, Mask)>)>,
);

fn entries(customers: &[Customer<'_>]) -> (Vec<u8>, Counts) {
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for (id, company, manager, subscriptions) in customers {
        record::push_customer(&mut out, id, company, manager);
        counts.customers += 1;
        for (subscription, pairs) in subscriptions {
            record::push_subscription(&mut out, subscription);
            counts.subscriptions += 1;
            for (target, mask) in pairs {
                record::push_pair(&mut out, target, *mask);
                counts.pairs += 1;
            }
        }
    }
    (out, counts)
}

fn record_bytes(codes: &[String], customers: &[Customer<'_>]) -> Vec<u8> {
    let (body, counts) = entries(customers);
    let mut bytes = record::header(codes);
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&record::end(&counts));
    bytes
}

fn parsed(customers: &[Customer<'_>]) -> Record {
    Record::parse(record_bytes(&record::registry_codes(), customers)).expect("a valid record")
}

/// Rows as `a,b,…` strings (no quoting: the test values hold no comma).
#[derive(Default)]
struct Table {
    rows: Vec<String>,
    row: Vec<String>,
}

impl RowSink for Table {
    fn text(&mut self, value: &str) {
        self.row.push(value.to_owned());
    }
    fn number(&mut self, value: u64) {
        self.row.push(value.to_string());
    }
    fn token(&mut self, value: &str) {
        self.row.push(value.to_owned());
    }
    fn end_row(&mut self) {
        self.rows.push(self.row.join(","));
        self.row.clear();
    }
}

fn compare(old: &[Customer<'_>], new: &[Customer<'_>]) -> (Vec<String>, ChangeCounts) {
    let codes = record::registry_codes();
    let comparison = Comparison::new(&codes, &codes, None, None);
    let mut table = Table::default();
    let mut counts = ChangeCounts::default();
    comparison.compare(&entries(old).0, &entries(new).0, &mut table, &mut counts);
    (table.rows, counts)
}

const STATUS: Mask = 1; // SubscriptionStatusNotActive
const NO_ADMIN: Mask = 1 << 2; // DelegatedAdminPermissionsDisabled
const CONFLICT: Mask = 1 << 5; // ConflictingServiceTypes

#[test]
fn codes_are_the_registry_in_rule_order() {
    let codes = record::registry_codes();
    assert_eq!(codes[0], "SubscriptionStatusNotActive");
    assert_eq!(codes[2], "DelegatedAdminPermissionsDisabled");
    assert_eq!(codes[5], "ConflictingServiceTypes");
    assert_eq!(codes.len(), 7);
}

#[test]
fn a_record_round_trips() {
    let long = "x".repeat(300);
    let customers: Vec<Customer<'_>> = vec![
        (
            "a1",
            "Müller, \"Söhne\"\nGmbH",
            "",
            vec![("s1", vec![("o365-e5", STATUS), ("o365-e3", 0)])],
        ),
        (
            "B2",
            &long,
            "Jörg Brandt",
            vec![
                ("s2", vec![("t", NO_ADMIN | CONFLICT)]),
                ("S3", vec![("t", 0)]),
            ],
        ),
    ];
    let record = parsed(&customers);
    assert_eq!(record.len(), 2);
    assert_eq!(record.codes, record::registry_codes());
    let mut read = Entries::new(record.all_entries());
    let mut decoded = Decoded::default();
    assert!(read.next_customer(&mut decoded).expect("entry"));
    assert_eq!(
        (decoded.id, decoded.company_name, decoded.account_manager),
        ("a1", "Müller, \"Söhne\"\nGmbH", "")
    );
    // Pairs come back sorted by target.
    assert_eq!(decoded.pairs, [("o365-e3", 0), ("o365-e5", STATUS)]);
    assert!(read.next_customer(&mut decoded).expect("entry"));
    assert_eq!(decoded.company_name, long);
    let subscriptions: Vec<&str> = decoded.subscriptions.iter().map(|s| s.0).collect();
    assert_eq!(subscriptions, ["s2", "S3"]);
    assert_eq!(decoded.pairs, [("t", NO_ADMIN | CONFLICT), ("t", 0)]);
    assert!(!read.next_customer(&mut decoded).expect("end"));
    assert_eq!(record.lower_bound("A1"), 0);
    assert_eq!(record.lower_bound("b"), 1);
    assert_eq!(record.lower_bound("c"), 2);
}

#[test]
fn damaged_or_foreign_records_are_refused() {
    let codes = record::registry_codes();
    let good = |customers: &[Customer<'_>]| record_bytes(&codes, customers);
    let one: Vec<Customer<'_>> = vec![("c1", "x", "", vec![("s1", vec![("t", 0)])])];
    let valid = good(&one);
    let mut version_2 = valid.clone();
    version_2[8] = 2;
    let mut counted_wrong = record::header(&codes);
    counted_wrong.extend_from_slice(&entries(&one).0);
    counted_wrong.extend_from_slice(&record::end(&Counts::default()));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "not a decision record"),
        (
            "a CSV file",
            b"customer_id,company_name\n".to_vec(),
            "not a decision record",
        ),
        (
            "another version",
            version_2,
            "record version 2, this program reads version 1",
        ),
        (
            "last byte cut",
            valid[..valid.len() - 1].to_vec(),
            "cut short",
        ),
        (
            "end entry cut",
            valid[..valid.len() - 4].to_vec(),
            "no end entry",
        ),
        (
            "cut in a string",
            valid[..valid.len() - 7].to_vec(),
            "cut short",
        ),
        ("counts", counted_wrong, "the end entry counts"),
        (
            "trailing bytes",
            [valid.clone(), vec![0]].concat(),
            "bytes after the end entry",
        ),
        (
            "customers out of order",
            good(&[
                ("c2", "x", "", vec![("s1", vec![("t", 0)])]),
                ("C1", "x", "", vec![("s2", vec![("t", 0)])]),
            ]),
            "customer \"C1\" out of order",
        ),
        (
            "a customer twice",
            good(&[
                ("c1", "x", "", vec![("s1", vec![("t", 0)])]),
                ("C1", "x", "", vec![("s2", vec![("t", 0)])]),
            ]),
            "customer \"C1\" out of order",
        ),
        (
            "subscriptions out of order",
            good(&[(
                "c1",
                "x",
                "",
                vec![("s2", vec![("t", 0)]), ("s1", vec![("t", 0)])],
            )]),
            "subscription \"s1\" out of order",
        ),
        (
            "a target twice",
            good(&[("c1", "x", "", vec![("s1", vec![("t", 0), ("t", STATUS)])])]),
            "names target \"t\" twice",
        ),
        (
            "a code the table lacks",
            good(&[("c1", "x", "", vec![("s1", vec![("t", 1 << 7)])])]),
            "names codes the table lacks",
        ),
        (
            "a customer without pairs",
            good(&[("c1", "x", "", vec![])]),
            "customer \"c1\" without pairs",
        ),
    ];
    for (name, bytes, expected) in cases {
        let problem = Record::parse(bytes).expect_err(name);
        assert!(
            problem.message.contains(expected),
            "{name}: {problem} lacks {expected:?}"
        );
    }
}

#[test]
fn changes_between_two_sides() {
    type Case<'a> = (&'a str, Vec<Customer<'a>>, Vec<Customer<'a>>, Vec<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        ("both empty", vec![], vec![], vec![]),
        (
            "a first comparison with an empty set",
            vec![],
            vec![(
                "c1",
                "Neu",
                "Ann",
                vec![("s1", vec![("e5", STATUS), ("e3", 0)])],
            )],
            vec![
                "c1,Neu,s1,e3,added,,eligible,Ann",
                "c1,Neu,s1,e5,added,,SubscriptionStatusNotActive,Ann",
            ],
        ),
        (
            "everything removed keeps the old names",
            vec![(
                "c1",
                "Alt",
                "Bob",
                vec![("s1", vec![("e3", NO_ADMIN | CONFLICT)])],
            )],
            vec![],
            vec![
                "c1,Alt,s1,e3,removed,DelegatedAdminPermissionsDisabled;ConflictingServiceTypes,,Bob",
            ],
        ),
        (
            "verdicts change, the same stays silent",
            vec![(
                "c1",
                "Alt",
                "Bob",
                vec![("s1", vec![("a", 0), ("b", STATUS), ("c", STATUS), ("d", 0)])],
            )],
            vec![(
                "c1",
                "Neu",
                "Ann",
                vec![(
                    "s1",
                    vec![("a", STATUS), ("b", 0), ("c", NO_ADMIN), ("d", 0)],
                )],
            )],
            vec![
                "c1,Neu,s1,a,newly_blocked,eligible,SubscriptionStatusNotActive,Ann",
                "c1,Neu,s1,b,newly_eligible,SubscriptionStatusNotActive,eligible,Ann",
                "c1,Neu,s1,c,reasons_changed,SubscriptionStatusNotActive,DelegatedAdminPermissionsDisabled,Ann",
            ],
        ),
        (
            "subscriptions and targets on one side only, in report order",
            vec![(
                "c1",
                "Alt",
                "Bob",
                vec![("s1", vec![("a", 0)]), ("s3", vec![("x", 0), ("z", 0)])],
            )],
            vec![(
                "c1",
                "Neu",
                "Ann",
                vec![("S2", vec![("b", 0)]), ("s3", vec![("z", 0), ("y", 0)])],
            )],
            vec![
                "c1,Alt,s1,a,removed,eligible,,Bob",
                "c1,Neu,S2,b,added,,eligible,Ann",
                "c1,Alt,s3,x,removed,eligible,,Bob",
                "c1,Neu,s3,y,added,,eligible,Ann",
            ],
        ),
        (
            "ids compare case-insensitively and neutralised",
            vec![
                ("C1", "x", "", vec![("S1", vec![("t", 0)])]),
                ("=c2", "x", "", vec![("-s", vec![("t", 0)])]),
            ],
            vec![
                ("c1", "x", "", vec![("s1", vec![("t", 0)])]),
                ("'=c2", "x", "", vec![("'-s", vec![("t", 0)])]),
            ],
            vec![],
        ),
        (
            "customers interleave",
            vec![
                ("a", "A", "", vec![("s", vec![("t", 0)])]),
                ("c", "C", "", vec![("s", vec![("t", 0)])]),
            ],
            vec![
                ("b", "B", "", vec![("s", vec![("t", 0)])]),
                ("c", "C", "", vec![("s", vec![("t", STATUS)])]),
                ("d", "D", "", vec![("s", vec![("t", 0)])]),
            ],
            vec![
                "a,A,s,t,removed,eligible,,",
                "b,B,s,t,added,,eligible,",
                "c,C,s,t,newly_blocked,eligible,SubscriptionStatusNotActive,",
                "d,D,s,t,added,,eligible,",
            ],
        ),
    ];
    for (name, old, new, expected) in cases {
        let (rows, counts) = compare(&old, &new);
        assert_eq!(rows, expected, "{name}");
        assert_eq!(counts.total() as usize, expected.len(), "{name}");
    }
}

#[test]
fn codes_of_another_table_are_translated_by_name() {
    let old_codes = vec![
        "ConflictingServiceTypes".to_owned(),
        "RetiredCode".to_owned(),
        "SubscriptionStatusNotActive".to_owned(),
    ];
    let new_codes = record::registry_codes();
    let comparison = Comparison::new(&old_codes, &new_codes, None, None);
    let old = entries(&[(
        "c",
        "x",
        "",
        vec![("s", vec![("a", 0b101), ("b", 0b010), ("c", 0b001)])],
    )]);
    let new = entries(&[(
        "c",
        "x",
        "",
        vec![(
            "s",
            vec![("a", STATUS | CONFLICT), ("b", CONFLICT), ("c", CONFLICT)],
        )],
    )]);
    let mut table = Table::default();
    let mut counts = ChangeCounts::default();
    comparison.compare(&old.0, &new.0, &mut table, &mut counts);
    assert_eq!(
        table.rows,
        ["c,x,s,b,reasons_changed,RetiredCode,ConflictingServiceTypes,"],
        "a: the same codes in another order; c: the same code"
    );
}

#[test]
fn a_customer_one_side_has_counts_only_when_the_other_side_selects_it() {
    let codes = record::registry_codes();
    let old = entries(&[
        ("c1", "x", "Ann", vec![("s", vec![("t", 0)])]),
        ("c2", "x", "Bob", vec![("s", vec![("t", 0)])]),
    ]);
    let new = entries(&[
        ("c3", "x", "Ann", vec![("s", vec![("t", 0)])]),
        ("c4", "x", "Bob", vec![("s", vec![("t", 0)])]),
    ]);
    let ann = Filter {
        account_managers: vec!["ann".to_owned()],
        ..Filter::default()
    };
    let c2 = Filter {
        customers: vec!["C2".to_owned()],
        ..Filter::default()
    };
    let cases: [(Option<&Filter>, Option<&Filter>, &[&str]); 4] = [
        (None, None, &["c1", "c2", "c3", "c4"]),
        (None, Some(&ann), &["c1", "c3", "c4"]),
        (Some(&ann), None, &["c1", "c2", "c3"]),
        (Some(&ann), Some(&c2), &["c2", "c3"]),
    ];
    for (old_filter, new_filter, expected) in cases {
        let comparison = Comparison::new(&codes, &codes, old_filter, new_filter);
        let mut table = Table::default();
        comparison.compare(&old.0, &new.0, &mut table, &mut ChangeCounts::default());
        let customers: Vec<&str> = table.rows.iter().map(|r| &r[..2]).collect();
        assert_eq!(customers, expected, "{old_filter:?} {new_filter:?}");
    }
}

/// Owned sides for the property test: customer → (subscription → (target → verdict)).
type Side = BTreeMap<String, BTreeMap<String, BTreeMap<String, Mask>>>;

fn side() -> impl Strategy<Value = Side> {
    let pairs = proptest::collection::btree_map("[a-c]", prop_oneof![Just(0), 1..4u64], 1..3);
    let subscriptions = proptest::collection::btree_map("[p-r]", pairs, 1..3);
    proptest::collection::btree_map("[a-f]", subscriptions, 0..6)
}

fn side_customers(side: &Side) -> Vec<Customer<'_>> {
    side.iter()
        .map(|(id, subscriptions)| {
            let subscriptions = subscriptions
                .iter()
                .map(|(s, pairs)| {
                    (
                        s.as_str(),
                        pairs.iter().map(|(t, m)| (t.as_str(), *m)).collect(),
                    )
                })
                .collect();
            (id.as_str(), "x", "", subscriptions)
        })
        .collect()
}

/// The comparison done the plain way: every pair of both sides in one map.
fn reference(old: &Side, new: &Side) -> Vec<String> {
    let flat = |side: &Side| -> BTreeMap<(String, String, String), Mask> {
        side.iter()
            .flat_map(|(c, subs)| {
                subs.iter().flat_map(move |(s, pairs)| {
                    pairs
                        .iter()
                        .map(move |(t, m)| ((c.clone(), s.clone(), t.clone()), *m))
                })
            })
            .collect()
    };
    let (old, new) = (flat(old), flat(new));
    let codes = record::registry_codes();
    let text = |mask: Mask| -> String {
        if mask == 0 {
            return "eligible".to_owned();
        }
        let names: Vec<&str> = (0..codes.len())
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| codes[i].as_str())
            .collect();
        names.join(";")
    };
    let keys: std::collections::BTreeSet<_> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let (change, previous, current) = match (old.get(key), new.get(key)) {
                (Some(&o), None) => ("removed", text(o), String::new()),
                (None, Some(&n)) => ("added", String::new(), text(n)),
                (Some(&o), Some(&n)) if o == n => return None,
                (Some(&0), Some(&n)) => ("newly_blocked", text(0), text(n)),
                (Some(&o), Some(&0)) => ("newly_eligible", text(o), text(0)),
                (Some(&o), Some(&n)) => ("reasons_changed", text(o), text(n)),
                (None, None) => return None,
            };
            Some(format!(
                "{},x,{},{},{change},{previous},{current},",
                key.0, key.1, key.2
            ))
        })
        .collect()
}

proptest! {
    /// The run merges batch by batch, each batch with the old customers that sort
    /// among its own: the same rows as one merge, and as the plain comparison.
    #[test]
    fn merging_batch_by_batch_equals_the_plain_comparison(
        old in side(),
        new in side(),
        cuts in proptest::collection::btree_set(1usize..6, 0..4),
    ) {
        let expected = reference(&old, &new);
        let (old_customers, new_customers) = (side_customers(&old), side_customers(&new));
        let (whole, _) = compare(&old_customers, &new_customers);
        prop_assert_eq!(&whole, &expected);

        let record = parsed(&old_customers);
        let mut bounds: Vec<usize> = cuts.into_iter().filter(|&c| c < new_customers.len()).collect();
        bounds.insert(0, 0);
        bounds.push(new_customers.len());
        let batches: Vec<&[Customer<'_>]> =
            bounds.windows(2).map(|w| &new_customers[w[0]..w[1]]).collect();
        let ranges = record.split(batches.iter().skip(1).map(|b| b[0].0));
        prop_assert_eq!(ranges.len(), batches.len());
        let codes = record::registry_codes();
        let comparison = Comparison::new(&codes, &codes, None, None);
        let mut table = Table::default();
        let mut counts = ChangeCounts::default();
        for (batch, range) in batches.iter().zip(ranges) {
            comparison.compare(record.entries(range), &entries(batch).0, &mut table, &mut counts);
        }
        prop_assert_eq!(&table.rows, &expected);
        prop_assert_eq!(counts.total() as usize, expected.len());
    }
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> CsvReport {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    CsvReport {
        path,
        expected: None,
    }
}

#[test]
fn sets_without_a_record_are_read_from_their_csvs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = parsed(&[
        (
            "c1",
            "A, B",
            "",
            vec![("s1", vec![("e3", 0), ("e5", STATUS | CONFLICT)])],
        ),
        (
            "c2",
            "=x",
            "",
            vec![("s2", vec![("bp", NO_ADMIN)]), ("s3", vec![("e3", 0)])],
        ),
    ]);
    let v1_eligible = "customer_id,company_name,subscription_id,offer_id,offer,target_offer_id,target_offer,quantity,upgrade_type,assigned_users,users_needing_reassignment\n\
        c1,\"A, B\",s1,o,O,e3,E3,1,upgrade_only,0,0\n\
        c2,=x,s3,o,O,e3,E3,1,upgrade_only,0,0\n";
    let v1_blocked = "customer_id,company_name,subscription_id,offer_id,offer,target_offer_id,target_offer,quantity,reason_code,reason_codes,details\n\
        c1,\"A, B\",s1,o,O,e5,E5,1,SubscriptionStatusNotActive,SubscriptionStatusNotActive;ConflictingServiceTypes,d\n\
        c2,=x,s2,o,O,bp,BP,1,DelegatedAdminPermissionsDisabled,DelegatedAdminPermissionsDisabled,d\n";
    // The same set as a spreadsheet-styled v2 set would hold it: BOM, semicolons,
    // CRLF, neutralised values, account_manager last.
    let styled_eligible = "\u{feff}customer_id;company_name;subscription_id;offer_id;offer;target_offer_id;target_offer;quantity;upgrade_type;assigned_users;users_needing_reassignment;account_manager\r\n\
        c1;A, B;s1;o;O;e3;E3;1;upgrade_only;0;0;\r\n\
        c2;'=x;s3;o;O;e3;E3;1;upgrade_only;0;0;\r\n";
    let styled_blocked = "\u{feff}customer_id;company_name;subscription_id;offer_id;offer;target_offer_id;target_offer;quantity;reason_code;reason_codes;details;account_manager\r\n\
        c1;A, B;s1;o;O;e5;E5;1;SubscriptionStatusNotActive;\"SubscriptionStatusNotActive;ConflictingServiceTypes\";d;\r\n\
        c2;'=x;s2;o;O;bp;BP;1;DelegatedAdminPermissionsDisabled;DelegatedAdminPermissionsDisabled;d;\r\n";
    for (eligible, blocked) in [
        (v1_eligible.to_owned(), v1_blocked.to_owned()),
        (styled_eligible.to_owned(), styled_blocked.to_owned()),
    ] {
        let bytes = record_from_csvs(
            &write(dir.path(), "e.csv", &eligible),
            &write(dir.path(), "b.csv", &blocked),
        )
        .expect("readable");
        let record = Record::parse(bytes).expect("a valid record");
        let codes = record::registry_codes();
        let comparison = Comparison::new(&record.codes, &codes, None, None);
        let mut table = Table::default();
        let mut counts = ChangeCounts::default();
        comparison.compare(
            record.all_entries(),
            expected.all_entries(),
            &mut table,
            &mut counts,
        );
        assert_eq!(table.rows, Vec::<String>::new(), "{eligible}");
        assert_eq!(record.len(), 2);
    }
}

#[test]
fn unreadable_csv_sets_name_the_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let header = "customer_id,company_name,subscription_id,target_offer_id,reason_codes\n";
    let eligible_header = "customer_id,company_name,subscription_id,target_offer_id\n";
    let cases: [(&str, &str, &str); 4] = [
        (
            "c2,x,s1,t\nc1,x,s1,t\n",
            "",
            "e.csv: line 3: customer \"c1\" out of order",
        ),
        (
            "c1,x,s2,t\nc1,x,s1,t\n",
            "",
            "e.csv: line 3: subscription \"s1\" out of order",
        ),
        (
            "",
            "c1,x,s1,t,\n",
            "b.csv: line 2: reason_codes \"\" unusable",
        ),
        ("c1,x\n", "", "e.csv: CSV error"),
    ];
    for (eligible, blocked, expected) in cases {
        let error = record_from_csvs(
            &write(dir.path(), "e.csv", &format!("{eligible_header}{eligible}")),
            &write(dir.path(), "b.csv", &format!("{header}{blocked}")),
        )
        .expect_err(expected);
        assert!(
            error.to_string().contains(expected),
            "{error} lacks {expected}"
        );
    }
    let mut eligible = write(dir.path(), "e.csv", eligible_header);
    eligible.expected = Some((eligible_header.len() as u64, 1));
    let error =
        record_from_csvs(&eligible, &write(dir.path(), "b.csv", header)).expect_err("checksum");
    assert!(
        error
            .to_string()
            .contains("differs from what summary.json lists"),
        "{error}"
    );
    let missing = CsvReport {
        path: dir.path().join("none.csv"),
        expected: None,
    };
    let error =
        record_from_csvs(&missing, &write(dir.path(), "b.csv", header)).expect_err("missing");
    assert!(error.to_string().ends_with("none.csv: missing"), "{error}");
    let error = record_from_csvs(
        &write(dir.path(), "e.csv", "a,b\n"),
        &write(dir.path(), "b.csv", header),
    )
    .expect_err("foreign");
    assert!(
        error.to_string().contains("no column customer_id"),
        "{error}"
    );
}
