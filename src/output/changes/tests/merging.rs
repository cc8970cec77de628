//! The comparison: a table of cases, code tables, filters, and merging batch by
//! batch against a plain reference.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

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
