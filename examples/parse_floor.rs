//! The end-to-end benchmark's "parse floor": the least time any run over an input
//! directory can take, because it must at least read and split every CSV record.
//!
//! Reads the four input files of the contract once each with the `csv` crate (a reused
//! `csv::ByteRecord` and a `read_byte_record` loop, no UTF-8 checks, no field
//! conversion), one thread per file, all four concurrently, then prints the record
//! count per file and, as the last line, `parse_floor_seconds=<f64>` (wall time from
//! opening the first file to the end of the slowest one).
//!
//! ```text
//! cargo run --release --example parse_floor -- bench-data/100000
//! ```
//!
//! `scripts/bench-e2e.sh` runs it several times and compares `upgrade-recon run` to its
//! median.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread;
use std::time::Instant;

const FILES: [&str; 4] = [
    "customers.csv",
    "subscriptions.csv",
    "admin_relationships.csv",
    "license_assignments.csv",
];

/// Counts the data records of one file (the header row is not counted).
fn count_records(path: &Path) -> Result<u64, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let mut record = csv::ByteRecord::new();
    let mut records = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => records += 1,
            Ok(false) => return Ok(records),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: parse_floor DIR   (DIR holds the four input CSV files)");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);

    let started = Instant::now();
    let results: Vec<Result<u64, String>> = thread::scope(|scope| {
        let workers: Vec<_> = FILES
            .iter()
            .map(|name| {
                let path = dir.join(name);
                scope.spawn(move || count_records(&path))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("reader thread panicked".to_string()))
            })
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();

    let mut failed = false;
    for (name, result) in FILES.iter().zip(&results) {
        match result {
            Ok(records) => println!("{name}: {records} records"),
            Err(error) => {
                eprintln!("parse_floor: {error}");
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::FAILURE;
    }
    println!("parse_floor_seconds={seconds:.6}");
    ExitCode::SUCCESS
}
