//! The four CSV reports: their columns and one row per decision, in report order.

use chrono::NaiveDate;

use super::csv_out::CsvOut;
use super::details::DetailContext;
use crate::catalog::{Catalog, OfferIdx};
use crate::engine::{Evaluation, SubscriptionOutcome, Verdict};
use crate::input::RejectedRow;
use crate::model::{CustomerView, Dataset};

pub const ELIGIBLE_HEADER: [&str; 11] = [
    "customer_id",
    "company_name",
    "subscription_id",
    "offer_id",
    "offer",
    "target_offer_id",
    "target_offer",
    "quantity",
    "upgrade_type",
    "assigned_users",
    "users_needing_reassignment",
];

pub const BLOCKED_HEADER: [&str; 11] = [
    "customer_id",
    "company_name",
    "subscription_id",
    "offer_id",
    "offer",
    "target_offer_id",
    "target_offer",
    "quantity",
    "reason_code",
    "reason_codes",
    "details",
];

pub const REASSIGNMENTS_HEADER: [&str; 10] = [
    "customer_id",
    "company_name",
    "subscription_id",
    "offer_id",
    "target_offer_id",
    "target_offer",
    "user_principal_name",
    "reason_code",
    "services",
    "details",
];

pub const REJECTS_HEADER: [&str; 4] = ["file", "line", "error", "record"];

/// Everything a batch of decision rows is written from.
#[derive(Clone, Copy)]
pub struct ReportInput<'a> {
    pub catalog: &'a Catalog,
    pub dataset: &'a Dataset,
    pub evaluation: &'a Evaluation,
    pub as_of: NaiveDate,
}

/// The rows of the three decision reports for a run of customers, as CSV bytes.
#[derive(Debug, Default)]
pub struct DecisionRows {
    pub eligible: Vec<u8>,
    pub blocked: Vec<u8>,
    pub reassignments: Vec<u8>,
}

/// The header rows of the three decision reports.
pub fn decision_headers() -> DecisionRows {
    let mut writers = [Vec::new(), Vec::new(), Vec::new()].map(CsvOut::new);
    for (writer, header) in writers.iter_mut().zip([
        &ELIGIBLE_HEADER[..],
        &BLOCKED_HEADER[..],
        &REASSIGNMENTS_HEADER[..],
    ]) {
        writer.record(header);
    }
    into_rows(writers)
}

/// Formats the decision rows of customers `customers` (dataset positions), ordered
/// by customer, subscription, target (path order), user and reason.
/// `buffers` (emptied) are written into, so that a caller can reuse their memory.
pub fn decision_rows(
    input: ReportInput<'_>,
    customers: std::ops::Range<usize>,
    buffers: DecisionRows,
) -> DecisionRows {
    let DecisionRows {
        eligible,
        blocked,
        reassignments,
    } = buffers;
    let [mut eligible_rows, mut blocked_rows, mut reassignment_rows] =
        [eligible, blocked, reassignments].map(CsvOut::new);
    let mut scratch = Scratch::default();
    let offers = EncodedOffers::new(input.catalog);
    let mut lead = CsvOut::default();
    let mut offer_text = CsvOut::default();
    for index in customers {
        let customer = input
            .dataset
            .customer(crate::model::CustomerIdx(index as u32));
        let outcome = input.evaluation.outcome(index);
        for (position, (subscription, outcome)) in customer
            .subscriptions
            .iter()
            .zip(&outcome.subscriptions)
            .enumerate()
        {
            let (SubscriptionOutcome::Evaluated(pairs), Some(source)) =
                (outcome, subscription.offer)
            else {
                continue;
            };
            // customer_id, company_name, subscription_id, offer_id: the same on
            // every row of the subscription.
            lead.clear();
            lead.field(customer.customer.id());
            lead.field(customer.customer.company_name());
            lead.field(&*subscription.id);
            lead.encoded(offers.id(source));
            offer_text.clear();
            offer_text.field(&*subscription.offer_text);
            for pair in pairs {
                let rows = Rows {
                    input,
                    offers: &offers,
                    customer,
                    subscription_position: position,
                    lead: lead.as_bytes(),
                    offer_text: offer_text.as_bytes(),
                    source,
                    target: pair.target,
                };
                match &pair.verdict {
                    Verdict::Eligible(eligible) => {
                        rows.eligible(&mut eligible_rows, &mut scratch, eligible);
                        rows.reassignments(&mut reassignment_rows, &mut scratch, eligible);
                    }
                    Verdict::Blocked(failures) => {
                        rows.blocked(&mut blocked_rows, &mut scratch, failures)
                    }
                }
            }
        }
    }
    into_rows([eligible_rows, blocked_rows, reassignment_rows])
}

fn into_rows(writers: [CsvOut; 3]) -> DecisionRows {
    let [eligible, blocked, reassignments] = writers.map(CsvOut::into_bytes);
    DecisionRows {
        eligible,
        blocked,
        reassignments,
    }
}

/// The catalog's offer ids and names, CSV-encoded once per batch rather than on
/// every row they stand on.
struct EncodedOffers {
    /// Per offer (indexed by `OfferIdx`), its id and its name.
    fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl EncodedOffers {
    fn new(catalog: &Catalog) -> EncodedOffers {
        let encode = |text: &str| {
            let mut out = CsvOut::default();
            out.field(text);
            out.into_bytes()
        };
        EncodedOffers {
            fields: catalog
                .offers()
                .map(|(_, offer)| (encode(&offer.id), encode(&offer.name)))
                .collect(),
        }
    }

    fn id(&self, offer: OfferIdx) -> &[u8] {
        &self.fields[usize::from(offer.0)].0
    }

    fn name(&self, offer: OfferIdx) -> &[u8] {
        &self.fields[usize::from(offer.0)].1
    }
}

/// The rows of one (subscription, target) pair.
struct Rows<'a> {
    input: ReportInput<'a>,
    offers: &'a EncodedOffers,
    customer: CustomerView<'a>,
    subscription_position: usize,
    /// The leading fields, encoded.
    lead: &'a [u8],
    /// The subscription's offer as written, encoded.
    offer_text: &'a [u8],
    source: crate::catalog::OfferIdx,
    target: crate::catalog::OfferIdx,
}

/// Buffers reused from row to row while a batch is formatted.
#[derive(Default)]
struct Scratch {
    text: String,
    number: itoa::Buffer,
}

impl Rows<'_> {
    fn subscription(&self) -> &crate::model::Subscription {
        &self.customer.subscriptions[self.subscription_position]
    }

    /// customer_id, company_name, subscription_id, offer_id.
    fn leading(&self, writer: &mut CsvOut) {
        writer.encoded(self.lead);
    }

    /// offer (as written), target_offer_id, target_offer, quantity.
    fn offers_and_quantity(&self, writer: &mut CsvOut, scratch: &mut Scratch) {
        writer.encoded(self.offer_text);
        self.target_offer(writer);
        writer.plain(scratch.number.format(self.subscription().quantity));
    }

    /// target_offer_id, target_offer.
    fn target_offer(&self, writer: &mut CsvOut) {
        writer.encoded(self.offers.id(self.target));
        writer.encoded(self.offers.name(self.target));
    }

    fn eligible(
        &self,
        writer: &mut CsvOut,
        scratch: &mut Scratch,
        eligible: &crate::engine::EligibleUpgrade,
    ) {
        self.leading(writer);
        self.offers_and_quantity(writer, scratch);
        writer.plain(eligible.upgrade_type.code());
        writer.plain(scratch.number.format(eligible.assigned_users));
        writer.plain(scratch.number.format(eligible.reassignments.len()));
        writer.end_row();
    }

    fn blocked(
        &self,
        writer: &mut CsvOut,
        scratch: &mut Scratch,
        failures: &[crate::rules::Failure],
    ) {
        self.leading(writer);
        self.offers_and_quantity(writer, scratch);
        writer.plain(failures.first().map_or("", |f| f.reason().code()));
        scratch.text.clear();
        for (i, failure) in failures.iter().enumerate() {
            if i > 0 {
                scratch.text.push(';');
            }
            scratch.text.push_str(failure.reason().code());
        }
        writer.plain(&scratch.text);
        scratch.text.clear();
        self.details()
            .blocked(&mut scratch.text, failures, self.target);
        writer.field(&scratch.text);
        writer.end_row();
    }

    fn reassignments(
        &self,
        writer: &mut CsvOut,
        scratch: &mut Scratch,
        eligible: &crate::engine::EligibleUpgrade,
    ) {
        let catalog = self.input.catalog;
        let details = self.details();
        for user in &eligible.reassignments {
            let upn = self.input.dataset.user_name(user.user);
            for finding in &user.findings {
                self.leading(writer);
                self.target_offer(writer);
                writer.field(upn);
                writer.plain(finding.reason.code());
                scratch.text.clear();
                catalog
                    .vocabulary()
                    .write_joined(&mut scratch.text, finding.services, ";");
                writer.field(&scratch.text);
                scratch.text.clear();
                details.reassignment(&mut scratch.text, finding, self.source, self.target);
                writer.field(&scratch.text);
                writer.end_row();
            }
        }
    }

    fn details(&self) -> DetailContext<'_> {
        DetailContext {
            catalog: self.input.catalog,
            customer: self.customer,
            as_of: self.input.as_of,
        }
    }
}

/// `rejects.csv`: one row per rejected row, every problem in `error`.
pub fn rejects_csv(rejected: &[RejectedRow]) -> Vec<u8> {
    let mut out = CsvOut::default();
    out.record(REJECTS_HEADER);
    let mut line = itoa::Buffer::new();
    for row in rejected {
        out.record([
            row.file.as_str(),
            line.format(row.line),
            &row.joined_problems(),
            &row.record,
        ]);
    }
    out.into_bytes()
}
