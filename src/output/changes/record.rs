//! `decisions.bin`, the compact record of a report set's decisions, written with
//! every run so that the next one can compare without reading the CSV reports back.
//!
//! Layout (integers are LEB128 varints, strings a varint length and UTF-8 bytes):
//! the magic `URDECREC`, a version byte, the code table (a count, then the reason
//! codes in bit order), then entries in report order — `C` customer id, company
//! name, account manager; `S` subscription id; `P` target offer id and verdict
//! (0 eligible, else a bit per failing code of the table) — and last `E` with the
//! numbers of customers, subscriptions and pairs. Only customers and subscriptions
//! with upgrade pairs are recorded. Values are stored raw (not neutralised).

use std::cmp::Ordering;
use std::ops::Range;

use super::neutral::{compare_key_bytes, compare_targets, shown_bytes};
use crate::catalog::Catalog;
use crate::decision::{BlockReason, CustomerDecisions, SubscriptionDecision, Verdict};
use crate::model::CustomerView;

pub const RECORD_FILE: &str = "decisions.bin";
const MAGIC: &[u8; 8] = b"URDECREC";
pub const VERSION: u8 = 1;
/// Codes a record's table may hold: a verdict is one `u32` of bits.
pub const MAX_CODES: usize = 32;

const CUSTOMER: u8 = b'C';
const SUBSCRIPTION: u8 = b'S';
const PAIR: u8 = b'P';
const END: u8 = b'E';

/// A pair's verdict: 0 when eligible, else one bit per failing code.
pub type Mask = u64;

/// The reason codes of this program, in bit (rule) order.
pub fn registry_codes() -> Vec<String> {
    BlockReason::ALL
        .iter()
        .map(|r| r.code().to_owned())
        .collect()
}

fn bit(reason: BlockReason) -> Mask {
    1 << (reason as u32)
}

/// What a record holds, counted as it is written and checked when it is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub customers: u64,
    pub subscriptions: u64,
    pub pairs: u64,
}

impl Counts {
    pub fn merge(&mut self, other: &Counts) {
        self.customers += other.customers;
        self.subscriptions += other.subscriptions;
        self.pairs += other.pairs;
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_str(out: &mut Vec<u8>, value: &str) {
    put_varint(out, value.len() as u64);
    out.extend_from_slice(value.as_bytes());
}

/// The magic, the version and the code table.
pub fn header(codes: &[String]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(VERSION);
    put_varint(&mut out, codes.len() as u64);
    for code in codes {
        put_str(&mut out, code);
    }
    out
}

pub fn push_customer(out: &mut Vec<u8>, id: &str, company_name: &str, account_manager: &str) {
    out.push(CUSTOMER);
    put_str(out, id);
    put_str(out, company_name);
    put_str(out, account_manager);
}

pub fn push_subscription(out: &mut Vec<u8>, id: &str) {
    out.push(SUBSCRIPTION);
    put_str(out, id);
}

pub fn push_pair(out: &mut Vec<u8>, target: &str, mask: Mask) {
    out.push(PAIR);
    put_str(out, target);
    put_varint(out, mask);
}

/// The last entry of a record.
pub fn end(counts: &Counts) -> Vec<u8> {
    let mut out = vec![END];
    for n in [counts.customers, counts.subscriptions, counts.pairs] {
        put_varint(&mut out, n);
    }
    out
}

/// Appends one customer's pairs (the rows of the eligible and blocked reports),
/// with the codes of [`registry_codes`].
pub fn encode_customer(
    out: &mut Vec<u8>,
    view: &CustomerView<'_>,
    decisions: &CustomerDecisions,
    catalog: &Catalog,
    counts: &mut Counts,
) {
    let customer = view.customer;
    let mut started = false;
    for (subscription, decision) in view.subscriptions.iter().zip(&decisions.subscriptions) {
        // The same pairs as the decision reports render.
        let (SubscriptionDecision::Evaluated(pairs), Some(_)) = (decision, subscription.offer)
        else {
            continue;
        };
        if pairs.is_empty() {
            continue;
        }
        if !started {
            started = true;
            counts.customers += 1;
            push_customer(
                out,
                customer.id(),
                customer.company_name(),
                customer.account_manager(),
            );
        }
        counts.subscriptions += 1;
        push_subscription(out, &subscription.id);
        for pair in pairs {
            let mask = match &pair.verdict {
                Verdict::Eligible(_) => 0,
                Verdict::Blocked(failures) => failures.iter().fold(0, |m, f| m | bit(f.reason())),
            };
            counts.pairs += 1;
            push_pair(out, &catalog.offer(pair.target).id, mask);
        }
    }
}

/// Why bytes are not a usable record, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.message)
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn problem(&self, message: impl Into<String>) -> Problem {
        Problem {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn varint(&mut self) -> Result<u64, Problem> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Err(self.problem("cut short"));
            };
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(self.problem("a number too long"))
    }

    /// A string's bytes, checked to be UTF-8 when `check` is set.
    fn text(&mut self, check: bool) -> Result<&'a [u8], Problem> {
        let len = self.varint()?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| self.pos.checked_add(len))
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.problem("cut short"))?;
        let text = &self.bytes[self.pos..end];
        if check && std::str::from_utf8(text).is_err() {
            return Err(self.problem("text that is not UTF-8"));
        }
        self.pos = end;
        Ok(text)
    }

    fn str(&mut self) -> Result<&'a str, Problem> {
        let text = self.text(false)?;
        std::str::from_utf8(text).map_err(|_| self.problem("text that is not UTF-8"))
    }
}

/// One customer's entries, decoded; pairs sorted by target within each subscription.
/// Texts stay bytes: the merge compares them as bytes and converts only what it writes.
#[derive(Debug, Default)]
pub struct Decoded<'a> {
    pub id: &'a [u8],
    pub company_name: &'a [u8],
    pub account_manager: &'a [u8],
    /// Subscription ids with their pairs' range in `pairs`, in record order.
    pub subscriptions: Vec<(&'a [u8], Range<usize>)>,
    pub pairs: Vec<(&'a [u8], Mask)>,
}

/// Customer entries read one at a time (a record's, or one batch's).
pub struct Entries<'a> {
    cursor: Cursor<'a>,
    /// Check that texts are UTF-8 (when a record is parsed; entries read again
    /// after that, or written by this run, are known to be).
    check_text: bool,
}

impl<'a> Entries<'a> {
    pub fn new(bytes: &'a [u8]) -> Entries<'a> {
        Entries {
            cursor: Cursor { bytes, pos: 0 },
            check_text: false,
        }
    }

    /// Decodes the next customer into `into`; `Ok(false)` at the end of the
    /// entries (the bytes' end or the `E` entry).
    pub fn next_customer(&mut self, into: &mut Decoded<'a>) -> Result<bool, Problem> {
        let c = &mut self.cursor;
        match c.peek() {
            None | Some(END) => return Ok(false),
            Some(CUSTOMER) => c.pos += 1,
            Some(_) => return Err(c.problem("not a customer entry")),
        }
        let check = self.check_text;
        into.id = c.text(check)?;
        into.company_name = c.text(check)?;
        into.account_manager = c.text(check)?;
        into.subscriptions.clear();
        into.pairs.clear();
        loop {
            match c.peek() {
                Some(SUBSCRIPTION) => {
                    c.pos += 1;
                    let id = c.text(check)?;
                    let at = into.pairs.len();
                    into.subscriptions.push((id, at..at));
                }
                Some(PAIR) => {
                    c.pos += 1;
                    let target = c.text(check)?;
                    let mask = c.varint()?;
                    let Some((_, range)) = into.subscriptions.last_mut() else {
                        return Err(c.problem("a pair before any subscription"));
                    };
                    range.end += 1;
                    into.pairs.push((target, mask));
                }
                None | Some(CUSTOMER | END) => break,
                Some(_) => return Err(c.problem("not an entry")),
            }
        }
        let at = c.pos;
        let problem = |message: String| Problem {
            offset: at,
            message,
        };
        if into.subscriptions.is_empty() {
            return Err(problem(format!(
                "customer {} without pairs",
                shown_bytes(into.id)
            )));
        }
        let mut previous: Option<&[u8]> = None;
        for &(id, ref range) in &into.subscriptions {
            if range.is_empty() {
                return Err(problem(format!(
                    "subscription {} without pairs",
                    shown_bytes(id)
                )));
            }
            if previous.is_some_and(|p| compare_key_bytes(p, id) != Ordering::Less) {
                return Err(problem(format!(
                    "subscription {} out of order",
                    shown_bytes(id)
                )));
            }
            previous = Some(id);
            let pairs = &mut into.pairs[range.clone()];
            pairs.sort_unstable_by(|a, b| compare_targets(a.0, b.0));
            if let Some(w) = pairs
                .windows(2)
                .find(|w| compare_targets(w[0].0, w[1].0).is_eq())
            {
                return Err(problem(format!(
                    "subscription {} names target {} twice",
                    shown_bytes(id),
                    shown_bytes(w[0].0)
                )));
            }
        }
        Ok(true)
    }
}

/// A complete record, checked: its code table and its customers' positions.
#[derive(Debug)]
pub struct Record {
    pub codes: Vec<String>,
    bytes: Vec<u8>,
    /// Where each customer entry starts, in order; then where `E` starts.
    starts: Vec<usize>,
}

impl Record {
    /// Checks `bytes` from the magic to the `E` entry: structure, text, code bits,
    /// the order of customers and subscriptions, and the counts.
    pub fn parse(bytes: Vec<u8>) -> Result<Record, Problem> {
        let mut c = Cursor {
            bytes: &bytes,
            pos: 0,
        };
        if !bytes.starts_with(MAGIC) {
            return Err(c.problem("not a decision record of upgrade-recon"));
        }
        c.pos = MAGIC.len();
        match c.peek() {
            Some(VERSION) => c.pos += 1,
            Some(other) => {
                return Err(c.problem(format!(
                    "record version {other}, this program reads version {VERSION}"
                )));
            }
            None => return Err(c.problem("cut short")),
        }
        let count = c.varint()?;
        if count > MAX_CODES as u64 {
            return Err(c.problem(format!("{count} codes, at most {MAX_CODES}")));
        }
        let mut codes = Vec::new();
        for _ in 0..count {
            codes.push(c.str()?.to_owned());
        }
        let mut starts = Vec::new();
        let mut counts = Counts::default();
        let mut entries = Entries {
            cursor: Cursor {
                bytes: &bytes,
                pos: c.pos,
            },
            check_text: true,
        };
        let mut decoded = Decoded::default();
        let mut previous: &[u8] = &[];
        loop {
            let start = entries.cursor.pos;
            if !entries.next_customer(&mut decoded)? {
                break;
            }
            if !starts.is_empty() && compare_key_bytes(previous, decoded.id) != Ordering::Less {
                return Err(Problem {
                    offset: start,
                    message: format!("customer {} out of order", shown_bytes(decoded.id)),
                });
            }
            if let Some(&(_, mask)) = decoded.pairs.iter().find(|(_, m)| *m >> count != 0) {
                return Err(Problem {
                    offset: start,
                    message: format!("verdict {mask:#x} names codes the table lacks"),
                });
            }
            previous = decoded.id;
            starts.push(start);
            counts.customers += 1;
            counts.subscriptions += decoded.subscriptions.len() as u64;
            counts.pairs += decoded.pairs.len() as u64;
        }
        let mut c = entries.cursor;
        let end_at = c.pos;
        if c.peek() != Some(END) {
            return Err(c.problem("cut short (no end entry)"));
        }
        c.pos += 1;
        let written = Counts {
            customers: c.varint()?,
            subscriptions: c.varint()?,
            pairs: c.varint()?,
        };
        if written != counts {
            return Err(c.problem(format!(
                "the end entry counts {written:?}, the record holds {counts:?}"
            )));
        }
        if c.pos != bytes.len() {
            return Err(c.problem("bytes after the end entry"));
        }
        starts.push(end_at);
        Ok(Record {
            codes,
            bytes,
            starts,
        })
    }

    /// Customers in the record.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of customer `i` (checked when parsed).
    fn id(&self, i: usize) -> &[u8] {
        let mut c = Cursor {
            bytes: &self.bytes,
            pos: self.starts[i] + 1,
        };
        c.text(false).unwrap_or_default()
    }

    /// The first customer whose id is not before `id` ([`super::neutral::compare_keys`]).
    pub fn lower_bound(&self, id: &str) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if compare_key_bytes(self.id(mid), id.as_bytes()) == Ordering::Less {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// Splits the customers among batches of another stream in report order, given
    /// the first id of every batch but the first: each batch gets those that sort
    /// from its first id up to the next batch's, the first batch also those before,
    /// the last those after. Every customer falls in exactly one range.
    pub fn split<'i>(&self, later_firsts: impl Iterator<Item = &'i str>) -> Vec<Range<usize>> {
        let mut starts = vec![0];
        for id in later_firsts {
            let previous = starts.last().copied().unwrap_or(0);
            starts.push(self.lower_bound(id).max(previous));
        }
        starts.push(self.len());
        starts.windows(2).map(|w| w[0]..w[1]).collect()
    }

    /// The entries of customers `range`, to read with [`Entries`].
    pub fn entries(&self, range: Range<usize>) -> &[u8] {
        &self.bytes[self.starts[range.start]..self.starts[range.end]]
    }

    /// Every customer's entries.
    pub fn all_entries(&self) -> &[u8] {
        self.entries(0..self.len())
    }
}
