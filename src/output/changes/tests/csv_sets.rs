//! Sets without a record, read from their CSV reports.

use super::*;
use crate::output::changes::csv_set::{CsvReport, record_from_csvs};

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
