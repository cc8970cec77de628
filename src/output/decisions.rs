//! The three decision reports — eligible upgrades, blocked upgrades and
//! reassignments: their columns, and their rows rendered from decision records in
//! report order (customer, subscription, target in path order, user, reason).

use chrono::NaiveDate;

use super::rows::{Repeat, RowSink};
use crate::catalog::{Catalog, OfferIdx};
use crate::decision::{CustomerDecisions, EligibleUpgrade, Failure, SubscriptionDecision, Verdict};
use crate::model::{CustomerIdx, Dataset, Subscription};
use crate::text::{Context, Texts};

pub const ELIGIBLE_HEADER: [&str; 12] = [
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
    "account_manager",
];

pub const BLOCKED_HEADER: [&str; 12] = [
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
    "account_manager",
];

pub const REASSIGNMENTS_HEADER: [&str; 11] = [
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
    "account_manager",
];

/// Everything the rows of a batch of customers are rendered from.
#[derive(Clone, Copy)]
pub struct ReportInput<'a> {
    pub catalog: &'a Catalog,
    pub dataset: &'a Dataset,
    pub as_of: NaiveDate,
    pub texts: &'a dyn Texts,
}

impl<'a> ReportInput<'a> {
    /// What the texts about one customer's decisions refer to.
    pub fn context(&self, customer: CustomerIdx, decisions: &'a CustomerDecisions) -> Context<'a> {
        Context {
            catalog: self.catalog,
            customer: self.dataset.customer(customer),
            evidence: &decisions.evidence,
            as_of: self.as_of,
        }
    }
}

/// The sinks of the three decision reports.
pub struct DecisionSinks<'s, E, B, R> {
    pub eligible: &'s mut E,
    pub blocked: &'s mut B,
    pub reassignments: &'s mut R,
}

/// Renders the decision rows of one customer, in report order.
pub fn render_customer<E: RowSink, B: RowSink, R: RowSink>(
    cx: &Context<'_>,
    texts: &dyn Texts,
    decisions: &CustomerDecisions,
    sinks: &mut DecisionSinks<'_, E, B, R>,
    scratch: &mut String,
) {
    let customer = cx.customer;
    let subscriptions = customer.subscriptions.iter().zip(&decisions.subscriptions);
    for (position, (subscription, decision)) in subscriptions.enumerate() {
        let (SubscriptionDecision::Evaluated(pairs), Some(source)) = (decision, subscription.offer)
        else {
            continue;
        };
        for pair in pairs {
            let rows = PairRows {
                cx,
                texts,
                subscription,
                position: position as u32,
                source,
                target: pair.target,
            };
            match &pair.verdict {
                Verdict::Eligible(eligible) => {
                    rows.eligible(sinks.eligible, eligible);
                    rows.reassignments(sinks.reassignments, scratch, eligible);
                }
                Verdict::Blocked(failures) => rows.blocked(sinks.blocked, scratch, failures),
            }
        }
    }
}

/// The rows of one (subscription, target) pair.
struct PairRows<'a> {
    cx: &'a Context<'a>,
    texts: &'a dyn Texts,
    subscription: &'a Subscription,
    /// The subscription's position among its customer's.
    position: u32,
    source: OfferIdx,
    target: OfferIdx,
}

impl PairRows<'_> {
    /// customer_id, company_name, subscription_id, offer_id, and with
    /// `offer_text` the offer as written: the same on every row of the
    /// subscription (a report always asks for the same cells).
    fn leading(&self, sink: &mut impl RowSink, offer_text: bool) {
        let key = (u64::from(self.cx.customer.idx.0) << 32) | u64::from(self.position);
        sink.repeated(Repeat::Leading, key, &|sink| {
            let customer = self.cx.customer.customer;
            sink.text(customer.id());
            sink.text(customer.company_name());
            sink.text(&self.subscription.id);
            sink.text(&self.cx.catalog.offer(self.source).id);
            if offer_text {
                sink.text(&self.subscription.offer_text);
            }
        });
    }

    /// account_manager, and the row's end.
    fn trailing(&self, sink: &mut impl RowSink) {
        let customer = self.cx.customer;
        sink.repeated(Repeat::Trailing, u64::from(customer.idx.0), &|sink| {
            sink.text(customer.customer.account_manager());
        });
        sink.end_row();
    }

    /// target_offer_id, target_offer.
    fn target_offer(&self, sink: &mut impl RowSink) {
        let target = self.cx.catalog.offer(self.target);
        sink.repeated(Repeat::Offer, u64::from(self.target.0), &|sink| {
            sink.text(&target.id);
            sink.text(&target.name);
        });
    }

    /// The leading cells with the offer as written, target_offer_id,
    /// target_offer, quantity.
    fn offers_and_quantity(&self, sink: &mut impl RowSink) {
        self.leading(sink, true);
        self.target_offer(sink);
        sink.number(self.subscription.quantity);
    }

    fn eligible(&self, sink: &mut impl RowSink, eligible: &EligibleUpgrade) {
        self.offers_and_quantity(sink);
        sink.token(eligible.upgrade_type.code());
        sink.number(eligible.assigned_users as u64);
        let users = self.cx.evidence.reassignments(eligible.reassignments).len();
        sink.number(users as u64);
        self.trailing(sink);
    }

    fn blocked(&self, sink: &mut impl RowSink, scratch: &mut String, failures: &[Failure]) {
        self.offers_and_quantity(sink);
        sink.token(failures.first().map_or("", |f| f.reason().code()));
        scratch.clear();
        for (i, failure) in failures.iter().enumerate() {
            if i > 0 {
                scratch.push(';');
            }
            scratch.push_str(failure.reason().code());
        }
        sink.token(scratch);
        scratch.clear();
        self.texts
            .blocked_details(scratch, self.cx, failures, self.target);
        sink.text(scratch);
        self.trailing(sink);
    }

    fn reassignments(
        &self,
        sink: &mut impl RowSink,
        scratch: &mut String,
        eligible: &EligibleUpgrade,
    ) {
        let vocabulary = self.cx.catalog.vocabulary();
        let users = &self.cx.customer;
        let mut upn = String::new();
        for user in self.cx.evidence.reassignments(eligible.reassignments) {
            upn.clear();
            users.user_name(user.user).push_to(&mut upn);
            for finding in &user.findings {
                self.leading(sink, false);
                self.target_offer(sink);
                sink.text(&upn);
                sink.token(finding.reason.code());
                scratch.clear();
                vocabulary.write_joined(scratch, &finding.services, ";");
                sink.text(scratch);
                scratch.clear();
                self.texts.reassignment_details(
                    scratch,
                    self.cx,
                    finding,
                    self.source,
                    self.target,
                );
                sink.text(scratch);
                self.trailing(sink);
            }
        }
    }
}
