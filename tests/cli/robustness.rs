//! Damaged exports never crash the job: whatever bytes a file holds, the run ends
//! with a documented exit code and an error message, never a panic.

use std::fs;

use proptest::prelude::*;

use crate::harness::*;

/// One edit of a file's bytes, at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Damage {
    Replace(f64, u8),
    Insert(f64, Vec<u8>),
    Cut(f64, usize),
    Truncate(f64),
}

fn damage() -> impl Strategy<Value = Damage> {
    let special = prop::sample::select(vec![
        b"\"".to_vec(),
        b"\"\"".to_vec(),
        b",".to_vec(),
        b";".to_vec(),
        b"\t".to_vec(),
        b"\r\n".to_vec(),
        b"\n".to_vec(),
        b"\xff".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xff\xfe".to_vec(),
        b"\x00".to_vec(),
    ]);
    prop_oneof![
        (0.0..1.0, any::<u8>()).prop_map(|(at, byte)| Damage::Replace(at, byte)),
        (0.0..1.0, special).prop_map(|(at, bytes)| Damage::Insert(at, bytes)),
        (0.0..1.0, 1..80usize).prop_map(|(at, len)| Damage::Cut(at, len)),
        (0.0..1.0).prop_map(Damage::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    let at = |fraction: f64| ((bytes.len() as f64) * fraction) as usize;
    match damage {
        Damage::Replace(f, byte) => {
            let i = at(*f);
            if let Some(slot) = bytes.get_mut(i) {
                *slot = *byte;
            }
        }
        Damage::Insert(f, inserted) => {
            let i = at(*f).min(bytes.len());
            bytes.splice(i..i, inserted.iter().copied());
        }
        Damage::Cut(f, len) => {
            let i = at(*f).min(bytes.len());
            bytes.drain(i..(i + len).min(bytes.len()));
        }
        Damage::Truncate(f) => {
            let i = at(*f);
            bytes.truncate(i);
        }
    }
}

const FILES: [&str; 4] = [
    "customers.csv",
    "subscriptions.csv",
    "admin_relationships.csv",
    "license_assignments.csv",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn damaged_exports_end_with_a_documented_exit_code(
        file in 0..FILES.len(),
        damages in prop::collection::vec(damage(), 1..12),
        max_errors in prop::sample::select(vec!["0", "3", "1000"]),
        threads in prop::sample::select(vec!["1", "2"]),
    ) {
        let ws = Workspace::sample();
        let path = ws.input().join(FILES[file]);
        let mut bytes = fs::read(&path).expect("read sample");
        for damage in &damages {
            apply(&mut bytes, damage);
        }
        fs::write(&path, &bytes).expect("write damaged file");
        let run = ws.run(&["--max-errors", max_errors, "--threads", threads]);
        prop_assert!(
            [0, 3, 65, 66].contains(&run.code),
            "exit {} for {:?}: {}", run.code, damages, run.stderr
        );
        prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        if run.code == 65 {
            prop_assert!(!run.stderr.trim().is_empty(), "exit 65 without a message");
        }
    }
}
