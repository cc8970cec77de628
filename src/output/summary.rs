//! `summary.json`: the run's counts, for dashboards and for checking that every
//! subscription is accounted for exactly once.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::changes::{BaselineSummary, ChangeCounts};
use super::csv::CsvStyle;
use crate::decision::{
    BlockReason, CustomerDecisions, ReassignmentReason, SubscriptionDecision, Verdict,
};
use crate::input::InputFileReport;
use crate::model::{Channel, CustomerIdx, Dataset, Subscription};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub tool: Tool,
    pub started_at: String,
    pub finished_at: String,
    pub as_of: String,
    pub catalog: String,
    /// SHA-256 over the catalog's files: tells which catalog decided.
    pub catalog_fingerprint: String,
    pub customers: CustomerCounts,
    pub subscriptions: SubscriptionCounts,
    pub upgrade_pairs: PairCounts,
    /// Blocked pairs by their first failing code, every code listed in rule order.
    pub blocked_by_reason: Counts,
    pub reassignments: ReassignmentCounts,
    /// Subscriptions whose offer the catalog does not know, by the offer as written.
    pub unknown_offers: BTreeMap<String, u64>,
    /// License rows whose offer the catalog does not know (ignored by the rules).
    pub unknown_license_offers: BTreeMap<String, u64>,
    /// GDAP roles of accepted relationships the catalog does not know (they grant
    /// nothing), by the value as written.
    pub unknown_roles: BTreeMap<String, u64>,
    pub rejected_rows: u64,
    /// The report set `changes.csv` compares with.
    pub changes_baseline: BaselineSummary,
    /// Pairs in `changes.csv`, by kind of change.
    pub changes: ChangeCounts,
    /// CSV cells written with a leading `'` because they started like a formula,
    /// over every CSV report of the set.
    pub neutralized_cells: u64,
    /// The layout of the CSV reports (`--csv-style`).
    pub csv_style: &'static str,
    /// The language of `details` and of the workbook's words (`--lang`).
    pub lang: &'static str,
    pub inputs: Vec<InputSummary>,
    /// Every report file of the set but this one, by name, with its size and
    /// checksum (XXH3-64, hex).
    pub reports: Vec<ReportFile>,
    /// The customers a filtered run reports on (absent when not filtered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterSummary>,
}

/// One report file of the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportFile {
    pub file: String,
    pub bytes: u64,
    pub xxh3: String,
}

impl ReportFile {
    pub fn new(file: &str, digest: super::ReportDigest) -> ReportFile {
        ReportFile {
            file: file.to_owned(),
            bytes: digest.bytes,
            xxh3: format!("{:016x}", digest.xxh3),
        }
    }
}

/// What `--customer` and `--account-manager` selected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterSummary {
    pub customers: Vec<String>,
    pub account_managers: Vec<String>,
    pub selected_customers: u64,
}

/// The program that wrote the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Tool {
        Tool {
            name: "upgrade-recon",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Accepted customers, and those a filter selected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CustomerCounts {
    pub total: u64,
    pub reported: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SubscriptionCounts {
    pub total: u64,
    pub evaluated: u64,
    pub eligible: u64,
    pub blocked: u64,
    pub not_upgradable: u64,
    pub other_channel: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PairCounts {
    pub eligible: u64,
    pub blocked: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReassignmentCounts {
    pub total: u64,
    pub by_reason: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    pub file: String,
    pub rows: u64,
    pub rejected: u64,
    pub sha256: String,
    pub encoding: String,
    pub delimiter: String,
    /// Field → the header it was read from (the member, for a Graph JSON export).
    pub columns: BTreeMap<String, String>,
    /// The headers of the columns that were not read: where to look when an
    /// optional column (`channel`, `end_date`, …) was spelt differently.
    pub ignored_columns: Vec<String>,
    /// For `users/`: customers with an active subscription of ours to upgrade
    /// but no export.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers_without_export: Option<u64>,
    /// For `admin_relationships.json`: the export's shape (`page`, `array`, `pages`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_shape: Option<String>,
}

/// Counts by code, serialised as a JSON object in a fixed (rule) order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(&'static str, u64)>);

impl Counts {
    fn zeroed(codes: impl Iterator<Item = &'static str>) -> Counts {
        Counts(codes.map(|code| (code, 0)).collect())
    }

    fn add(&mut self, code: &'static str) {
        // Codes come from the same constants: the pointer finds them without comparing text.
        let same = |known: &&str| std::ptr::eq(*known, code) || *known == code;
        if let Some(entry) = self.0.iter_mut().find(|(known, _)| same(known)) {
            entry.1 += 1;
        }
    }

    /// Adds counts of the same codes in the same order.
    fn merge(&mut self, other: &Counts) {
        for ((code, count), (other_code, other_count)) in self.0.iter_mut().zip(&other.0) {
            debug_assert_eq!(code, other_code);
            *count += other_count;
        }
    }

    pub fn get(&self, code: &str) -> u64 {
        self.0
            .iter()
            .find(|(known, _)| *known == code)
            .map_or(0, |e| e.1)
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (code, count) in &self.0 {
            map.serialize_entry(code, count)?;
        }
        map.end()
    }
}

/// The counts of evaluated outcomes, added up batch by batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCounts {
    subscriptions: SubscriptionCounts,
    pairs: PairCounts,
    blocked_by_reason: Counts,
    reassignments: ReassignmentCounts,
    /// License rows of unknown offers, indexed by `LicenseOffer::unknown_spelling`.
    unknown_license_rows: Vec<u64>,
}

impl Default for OutcomeCounts {
    fn default() -> OutcomeCounts {
        OutcomeCounts {
            subscriptions: SubscriptionCounts::default(),
            pairs: PairCounts::default(),
            blocked_by_reason: Counts::zeroed(BlockReason::ALL.iter().map(|r| r.code())),
            reassignments: ReassignmentCounts {
                total: 0,
                by_reason: Counts::zeroed(ReassignmentReason::ALL.iter().map(|r| r.code())),
            },
            unknown_license_rows: Vec::new(),
        }
    }
}

impl OutcomeCounts {
    /// Adds counts made elsewhere (of other customers).
    pub fn merge(&mut self, other: &OutcomeCounts) {
        let (mine, theirs) = (&mut self.subscriptions, &other.subscriptions);
        mine.total += theirs.total;
        mine.evaluated += theirs.evaluated;
        mine.eligible += theirs.eligible;
        mine.blocked += theirs.blocked;
        mine.not_upgradable += theirs.not_upgradable;
        mine.other_channel += theirs.other_channel;
        self.pairs.eligible += other.pairs.eligible;
        self.pairs.blocked += other.pairs.blocked;
        self.blocked_by_reason.merge(&other.blocked_by_reason);
        self.reassignments.total += other.reassignments.total;
        self.reassignments
            .by_reason
            .merge(&other.reassignments.by_reason);
        let theirs = &other.unknown_license_rows;
        if self.unknown_license_rows.len() < theirs.len() {
            self.unknown_license_rows.resize(theirs.len(), 0);
        }
        for (mine, theirs) in self.unknown_license_rows.iter_mut().zip(theirs) {
            *mine += theirs;
        }
    }

    /// Counts the license rows of unknown offers of `customer`; done right after
    /// the evaluation has read its rows.
    pub fn add_unknown_license_rows(&mut self, dataset: &Dataset, customer: CustomerIdx) {
        let licenses = dataset.customer(customer).licenses;
        for spelling in licenses.iter().filter_map(|l| l.offer.unknown_spelling()) {
            let spelling = spelling as usize;
            if spelling >= self.unknown_license_rows.len() {
                self.unknown_license_rows.resize(spelling + 1, 0);
            }
            self.unknown_license_rows[spelling] += 1;
        }
    }

    /// Counts the decisions of one customer.
    pub fn add(&mut self, customer: &CustomerDecisions) {
        let subscriptions = &mut self.subscriptions;
        for decision in &customer.subscriptions {
            let pairs = match decision {
                SubscriptionDecision::OtherChannel => continue,
                SubscriptionDecision::NotUpgradable => {
                    subscriptions.evaluated += 1;
                    subscriptions.not_upgradable += 1;
                    continue;
                }
                SubscriptionDecision::Evaluated(pairs) => pairs,
            };
            subscriptions.evaluated += 1;
            let mut any_eligible = false;
            for pair in pairs {
                match &pair.verdict {
                    Verdict::Eligible(eligible) => {
                        any_eligible = true;
                        self.pairs.eligible += 1;
                        let users = customer.evidence.reassignments(eligible.reassignments);
                        for finding in users.iter().flat_map(|u| &u.findings) {
                            self.reassignments.total += 1;
                            self.reassignments.by_reason.add(finding.reason.code());
                        }
                    }
                    Verdict::Blocked(failures) => {
                        self.pairs.blocked += 1;
                        if let Some(first) = failures.first() {
                            self.blocked_by_reason.add(first.reason().code());
                        }
                    }
                }
            }
            if any_eligible {
                subscriptions.eligible += 1;
            } else {
                subscriptions.blocked += 1;
            }
        }
    }
}

/// What the summary is computed from.
pub struct SummaryInput<'a> {
    /// When the run started, RFC 3339.
    pub started_at: String,
    pub as_of: NaiveDate,
    pub catalog: &'a str,
    pub catalog_fingerprint: String,
    pub dataset: &'a Dataset,
    pub outcomes: &'a OutcomeCounts,
    pub files: &'a [InputFileReport],
    /// Spellings of unknown license offers, indexed by `LicenseOffer::unknown_spelling`.
    pub unknown_license_offers: &'a [Box<str>],
    pub unknown_roles: &'a BTreeMap<String, u64>,
    pub rejected_rows: u64,
    /// The customers reported on, when filtered; every customer otherwise.
    pub selected: Option<&'a [CustomerIdx]>,
    pub filter: Option<FilterSummary>,
}

impl Summary {
    pub fn compute<'a>(input: &SummaryInput<'a>) -> Summary {
        let mut subscriptions = input.outcomes.subscriptions;
        let mut unknown_offers: BTreeMap<&str, u64> = BTreeMap::new();
        let all = || input.dataset.subscriptions.iter();
        let selected = |customers: &'a [CustomerIdx]| {
            customers
                .iter()
                .flat_map(|&c| input.dataset.customer(c).subscriptions.iter())
        };
        let subscriptions_of: Box<dyn Iterator<Item = &Subscription>> = match input.selected {
            None => Box::new(all()),
            Some(customers) => Box::new(selected(customers)),
        };
        for subscription in subscriptions_of {
            subscriptions.total += 1;
            if subscription.offer.is_none() {
                *unknown_offers.entry(&subscription.offer_text).or_insert(0) += 1;
            }
            if subscription.channel != Channel::ThisPartner {
                subscriptions.other_channel += 1;
            }
        }
        let total = input.dataset.customers.len() as u64;
        Summary {
            tool: Tool::default(),
            started_at: input.started_at.clone(),
            // Set when the set is complete ([`crate::output::ReportWriter::finish`]).
            finished_at: String::new(),
            as_of: input.as_of.to_string(),
            catalog: input.catalog.to_owned(),
            catalog_fingerprint: input.catalog_fingerprint.clone(),
            customers: CustomerCounts {
                total,
                reported: input.selected.map_or(total, |s| s.len() as u64),
            },
            subscriptions,
            upgrade_pairs: input.outcomes.pairs,
            blocked_by_reason: input.outcomes.blocked_by_reason.clone(),
            reassignments: input.outcomes.reassignments.clone(),
            unknown_offers: owned_keys(unknown_offers),
            unknown_license_offers: count_unknown_license_offers(input),
            unknown_roles: input.unknown_roles.clone(),
            rejected_rows: input.rejected_rows,
            changes_baseline: BaselineSummary::default(),
            changes: ChangeCounts::default(),
            neutralized_cells: 0,
            csv_style: CsvStyle::default().name(),
            lang: crate::text::Lang::default().code(),
            inputs: input
                .files
                .iter()
                .map(|f| InputSummary {
                    file: f.file.clone(),
                    rows: f.rows,
                    rejected: f.rejected,
                    sha256: f.sha256.clone(),
                    encoding: f.encoding.clone(),
                    delimiter: f.delimiter.clone(),
                    columns: f.columns.clone(),
                    ignored_columns: f.ignored_columns.clone(),
                    customers_without_export: f.customers_without_export,
                    json_shape: f.json_shape.clone(),
                })
                .collect(),
            reports: Vec::new(),
            filter: input.filter.clone(),
        }
    }
}

/// The unknown license offers' row counts by spelling as written.
fn count_unknown_license_offers(input: &SummaryInput<'_>) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    let rows = &input.outcomes.unknown_license_rows;
    for (spelling, &count) in input.unknown_license_offers.iter().zip(rows) {
        if count > 0 {
            *counts.entry(spelling).or_insert(0) += count;
        }
    }
    owned_keys(counts)
}

fn owned_keys(counts: BTreeMap<&str, u64>) -> BTreeMap<String, u64> {
    counts
        .into_iter()
        .map(|(key, count)| (key.to_owned(), count))
        .collect()
}
