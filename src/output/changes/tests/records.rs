//! The record: round trip, and damaged or foreign bytes refused.

use super::*;
use crate::output::changes::record::{Decoded, Entries};

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
        (&b"a1"[..], "Müller, \"Söhne\"\nGmbH".as_bytes(), &b""[..])
    );
    // Pairs come back sorted by target.
    assert_eq!(
        decoded.pairs,
        [(&b"o365-e3"[..], 0), (&b"o365-e5"[..], STATUS)]
    );
    assert!(read.next_customer(&mut decoded).expect("entry"));
    assert_eq!(decoded.company_name, long.as_bytes());
    let subscriptions: Vec<&[u8]> = decoded.subscriptions.iter().map(|s| s.0).collect();
    assert_eq!(subscriptions, [b"s2", b"S3"]);
    assert_eq!(
        decoded.pairs,
        [(&b"t"[..], NO_ADMIN | CONFLICT), (&b"t"[..], 0)]
    );
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
    let mut not_utf8 = record::header(&codes);
    not_utf8.extend_from_slice(&[b'C', 1, 0xFF, 0, 0, b'S', 1, b's', b'P', 1, b't', 0]);
    not_utf8.extend_from_slice(&record::end(&Counts {
        customers: 1,
        subscriptions: 1,
        pairs: 1,
    }));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("text that is not UTF-8", not_utf8, "text that is not UTF-8"),
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
