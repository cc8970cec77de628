//! The decisions of a report set without a record (a v1 set, or one written before
//! the record existed), read from its `eligible_upgrades.csv` and
//! `blocked_upgrades.csv` and turned into record bytes.
//!
//! Both reports are sorted by customer and subscription; they are read together,
//! row by row, as one stream, so nothing but the record being built is held. Files
//! `summary.json` lists are checked against its size and checksum as they are read.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::SetError;
use super::neutral::{compare_keys, shown};
use super::record::{self, Counts, MAX_CODES, Mask};
use crate::output::{Digester, ReportDigest};

/// A report file to read, with the size and checksum `summary.json` lists for it.
pub struct CsvReport {
    pub path: PathBuf,
    pub expected: Option<(u64, u64)>,
}

/// Record bytes (header to end entry) holding the pairs of the two reports.
pub fn record_from_csvs(eligible: &CsvReport, blocked: &CsvReport) -> Result<Vec<u8>, SetError> {
    let mut eligible = Rows::open(eligible, false)?;
    let mut blocked = Rows::open(blocked, true)?;
    let mut codes = record::registry_codes();
    let mut entries = Vec::new();
    let mut counts = Counts::default();
    let mut customer = String::new();
    let mut subscription = String::new();
    eligible.advance()?;
    blocked.advance()?;
    loop {
        let from_blocked = match (eligible.has_row(), blocked.has_row()) {
            (false, false) => break,
            (true, false) => false,
            (false, true) => true,
            (true, true) => eligible.key_order(&blocked) == Ordering::Greater,
        };
        let rows = if from_blocked {
            &mut blocked
        } else {
            &mut eligible
        };
        let id = rows.field(rows.columns.customer_id);
        let new_customer = counts.customers == 0 || compare_keys(&customer, id).is_ne();
        if new_customer {
            if counts.customers > 0 && compare_keys(&customer, id).is_gt() {
                return Err(rows.out_of_order("customer", id));
            }
            counts.customers += 1;
            record::push_customer(
                &mut entries,
                id,
                rows.field(rows.columns.company_name),
                rows.columns
                    .account_manager
                    .map_or("", |column| rows.field(column)),
            );
            customer.clear();
            customer.push_str(id);
        }
        let id = rows.field(rows.columns.subscription_id);
        if new_customer || compare_keys(&subscription, id).is_ne() {
            if !new_customer && compare_keys(&subscription, id).is_gt() {
                return Err(rows.out_of_order("subscription", id));
            }
            counts.subscriptions += 1;
            record::push_subscription(&mut entries, id);
            subscription.clear();
            subscription.push_str(id);
        }
        let mask = match rows.columns.reason_codes {
            Some(column) => rows.mask(column, &mut codes)?,
            None => 0,
        };
        counts.pairs += 1;
        record::push_pair(&mut entries, rows.field(rows.columns.target_offer_id), mask);
        rows.advance()?;
    }
    eligible.finish()?;
    blocked.finish()?;
    let mut bytes = record::header(&codes);
    bytes.extend_from_slice(&entries);
    bytes.extend_from_slice(&record::end(&counts));
    Ok(bytes)
}

/// Counts and hashes every byte read from a file.
struct Hashing<R> {
    inner: R,
    digester: Digester,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.digester.update(&buf[..n]);
        Ok(n)
    }
}

/// Where the columns are in one report.
struct Columns {
    customer_id: usize,
    company_name: usize,
    subscription_id: usize,
    target_offer_id: usize,
    reason_codes: Option<usize>,
    account_manager: Option<usize>,
}

/// One report read row by row.
struct Rows {
    path: PathBuf,
    expected: Option<(u64, u64)>,
    reader: csv::Reader<BufReader<Hashing<File>>>,
    columns: Columns,
    row: csv::StringRecord,
    has_row: bool,
}

impl Rows {
    fn open(report: &CsvReport, blocked: bool) -> Result<Rows, SetError> {
        let path = &report.path;
        let fail = |problem: String| SetError::new(path, problem);
        regular(path).map_err(fail)?;
        let file = File::open(path).map_err(|e| fail(io_problem(&e)))?;
        let mut buffered = BufReader::with_capacity(
            1 << 20,
            Hashing {
                inner: file,
                digester: Digester::default(),
            },
        );
        // Sets written for spreadsheets may start with a BOM and use semicolons.
        let start = buffered.fill_buf().map_err(|e| fail(io_problem(&e)))?;
        let bom = start.starts_with(b"\xEF\xBB\xBF");
        let first_line = start.split(|&b| b == b'\n').next().unwrap_or_default();
        let delimiter = if !first_line.contains(&b',') && first_line.contains(&b';') {
            b';'
        } else {
            b','
        };
        if bom {
            buffered.consume(3);
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(buffered);
        let headers = reader
            .headers()
            .map_err(|e| fail(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect::<Vec<_>>();
        let find = |name: &str| headers.iter().position(|h| h == name);
        let required = |name: &str| {
            find(name)
                .ok_or_else(|| fail(format!("no column {name}: not a report of upgrade-recon")))
        };
        let columns = Columns {
            customer_id: required("customer_id")?,
            company_name: required("company_name")?,
            subscription_id: required("subscription_id")?,
            target_offer_id: required("target_offer_id")?,
            reason_codes: if blocked {
                Some(required("reason_codes")?)
            } else {
                None
            },
            account_manager: find("account_manager"),
        };
        Ok(Rows {
            path: path.clone(),
            expected: report.expected,
            reader,
            columns,
            row: csv::StringRecord::new(),
            has_row: false,
        })
    }

    fn advance(&mut self) -> Result<(), SetError> {
        self.has_row = self
            .reader
            .read_record(&mut self.row)
            .map_err(|e| SetError::new(&self.path, e.to_string()))?;
        Ok(())
    }

    fn has_row(&self) -> bool {
        self.has_row
    }

    /// A field of the current row (the reader checked the row's width).
    fn field(&self, column: usize) -> &str {
        self.row.get(column).unwrap_or_default()
    }

    fn line(&self) -> u64 {
        self.row.position().map_or(0, |p| p.line())
    }

    /// How this row's (customer, subscription) orders against `other`'s.
    fn key_order(&self, other: &Rows) -> Ordering {
        let c = &self.columns;
        let o = &other.columns;
        compare_keys(self.field(c.customer_id), other.field(o.customer_id)).then_with(|| {
            compare_keys(
                self.field(c.subscription_id),
                other.field(o.subscription_id),
            )
        })
    }

    fn out_of_order(&self, what: &str, id: &str) -> SetError {
        SetError::new(
            &self.path,
            format!(
                "line {}: {what} {} out of order (reports are sorted by customer_id, subscription_id)",
                self.line(),
                shown(id)
            ),
        )
    }

    /// The verdict of a blocked row: the bits of its codes, new codes added to `codes`.
    fn mask(&self, column: usize, codes: &mut Vec<String>) -> Result<Mask, SetError> {
        let mut mask = 0;
        let text = self.field(column);
        for code in text.split(';').map(str::trim) {
            let at = match codes.iter().position(|known| known == code) {
                Some(at) => at,
                None if code.is_empty() || codes.len() == MAX_CODES => {
                    return Err(SetError::new(
                        &self.path,
                        format!(
                            "line {}: reason_codes {} unusable",
                            self.line(),
                            shown(text)
                        ),
                    ));
                }
                None => {
                    codes.push(code.to_owned());
                    codes.len() - 1
                }
            };
            mask |= 1 << at;
        }
        Ok(mask)
    }

    /// Checks the file against `summary.json` once read to its end.
    fn finish(self) -> Result<(), SetError> {
        let Some((bytes, xxh3)) = self.expected else {
            return Ok(());
        };
        let hashing = self.reader.into_inner().into_inner();
        if hashing.digester.digest() != (ReportDigest { bytes, xxh3 }) {
            return Err(SetError::new(
                &self.path,
                "differs from what summary.json lists (an incomplete or mixed set)".to_owned(),
            ));
        }
        Ok(())
    }
}

/// Reads `path` whole if it is a regular file (symlinks followed): a FIFO would
/// block the run, holding its lock, and a device such as `/dev/zero` never end.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    regular(path)?;
    std::fs::read(path).map_err(|e| io_problem(&e))
}

/// `Ok` when `path` is a regular file; see [`read_regular`].
pub fn regular(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err("not a regular file".to_owned()),
        Err(error) => Err(io_problem(&error)),
    }
}

/// An I/O error as a problem: "missing" for a file that is not there.
pub fn io_problem(error: &io::Error) -> String {
    if error.kind() == io::ErrorKind::NotFound {
        "missing".to_owned()
    } else {
        error.to_string()
    }
}

/// Whether `path` names anything (a file, a folder, a broken link).
pub fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}
