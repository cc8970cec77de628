//! English: the language of the reports unless `--lang` says otherwise.

mod explain;

use std::fmt::Write;

use super::{Context, LIST_CAP, RunLine, Texts, grouped, push_all, push_capped, push_joined};
use crate::catalog::{OfferIdx, RoleIdx, ServiceSet};
use crate::decision::{
    ActionKind, ActionTally, Failure, ReassignmentFinding, ReassignmentReason, Subject, UpgradeType,
};
use crate::model::{Channel, KnownValues, Relationship};
use crate::rules::{role_for_right, roles_for_services};

/// The English texts.
pub struct English;

impl Texts for English {
    fn blocked_details(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        failures: &[Failure],
        target: OfferIdx,
    ) {
        push_joined(out, failures, " | ", |out, failure| {
            Sentences::capped(cx).failure(out, failure, target)
        });
    }

    fn reassignment_details(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        finding: &ReassignmentFinding,
        source: OfferIdx,
        target: OfferIdx,
    ) {
        Sentences::capped(cx).reassignment(out, finding, source, target);
    }

    fn action_details(&self, out: &mut String, cx: &Context<'_>, tally: &ActionTally) {
        Sentences::capped(cx).action(out, tally);
    }

    fn run_line(&self, line: &RunLine) -> String {
        let head = format!("input {}, as of {}: ", line.input, line.as_of);
        let body = match &line.counts {
            Some(counts) => {
                let rejected = match counts.rejected_rows {
                    0 => String::new(),
                    n => format!("; {n} rejected rows in rejects.csv"),
                };
                format!(
                    "{} subscriptions, {} evaluated: {} eligible, {} blocked, {} not upgradable; \
                     {} upgrade pairs eligible, {} blocked; {} reassignments{rejected}; reports in {}",
                    counts.subscriptions,
                    counts.evaluated,
                    counts.eligible,
                    counts.blocked,
                    counts.not_upgradable,
                    counts.eligible_pairs,
                    counts.blocked_pairs,
                    counts.reassignments,
                    line.out,
                )
            }
            None => format!("failed, nothing written to {}", line.out),
        };
        format!(
            "{head}{body} ({:.2} s); exit {}",
            line.seconds, line.exit_code
        )
    }

    fn rejected_warning(&self, rejected_rows: u64) -> String {
        format!("warning: {rejected_rows} input rows rejected; see rejects.csv")
    }
}

/// The English sentences about one customer.
struct Sentences<'a> {
    cx: &'a Context<'a>,
    /// Items a list shows before "… and N more".
    cap: usize,
}

impl<'a> Sentences<'a> {
    /// Sentences for the reports: long lists cut.
    fn capped(cx: &'a Context<'a>) -> Sentences<'a> {
        Sentences { cx, cap: LIST_CAP }
    }

    /// Sentences for `explain`: every item.
    fn whole(cx: &'a Context<'a>) -> Sentences<'a> {
        Sentences {
            cx,
            cap: usize::MAX,
        }
    }

    /// `; … and 1,995 more <what>`.
    fn more(out: &mut String, rest: usize, what: &str) {
        push_all(out, ["; … and ", &grouped(rest, ','), " more ", what]);
    }
}

impl<'a> std::ops::Deref for Sentences<'a> {
    type Target = Context<'a>;

    fn deref(&self) -> &Context<'a> {
        self.cx
    }
}

impl Sentences<'_> {
    fn services(&self, out: &mut String, set: &ServiceSet) {
        self.catalog.vocabulary().write_joined(out, set, ", ");
    }

    /// Role names, by their canonical name.
    fn roles(&self, out: &mut String, roles: &[RoleIdx]) {
        push_joined(out, roles, ", ", |out, &role| {
            out.push_str(&self.catalog.role(role).name)
        });
    }

    fn offer_name(&self, offer: OfferIdx) -> &str {
        &self.catalog.offer(offer).name
    }

    /// `SUB-1 (Power BI Pro, active, direct)`.
    fn subscription(&self, out: &mut String, position: usize) {
        let s = &self.customer.subscriptions[position];
        let offer = s.offer.map_or(&*s.offer_text, |o| self.offer_name(o));
        let (status, channel) = (s.status.as_str(), s.channel.as_str());
        push_all(out, [&s.id, " (", offer, ", ", status, ", ", channel, ")"]);
    }

    /// A failure's clause with every subscription it names (for `explain`).
    fn failure_whole(&self, out: &mut String, failure: &Failure, target: OfferIdx) {
        self.failure(out, failure, target);
    }

    fn failure(&self, out: &mut String, failure: &Failure, target: OfferIdx) {
        let target_name = self.offer_name(target);
        match failure {
            Failure::StatusNotActive(status) => {
                out.push_str("subscription is ");
                out.push_str(status.as_str());
            }
            Failure::NotProvisioned => {
                out.push_str("subscription is pending (not yet provisioned)")
            }
            Failure::NoActiveAdminRelationship => {
                let _ = write!(
                    out,
                    "no delegated-admin relationship active on {} (",
                    self.as_of
                );
                if self.customer.relationships.is_empty() {
                    out.push_str("none on record");
                }
                push_capped(
                    out,
                    self.customer.relationships,
                    "; ",
                    self.cap,
                    |out, r| self.inactive_relationship(out, r),
                    |out, rest| Self::more(out, rest, "relationships"),
                );
                out.push(')');
            }
            Failure::MissingAdminServices {
                missing,
                missing_right,
            } => {
                if !missing.is_empty() {
                    out.push_str("active delegated-admin relationships do not cover ");
                    self.services(out, missing);
                    push_all(out, [" (needed by ", target_name, ")"]);
                    let roles = roles_for_services(self.catalog, missing);
                    if !roles.is_empty() {
                        out.push_str("; GDAP roles that grant them: ");
                        self.roles(out, &roles);
                    }
                }
                if let Some(upgrade_type) = missing_right {
                    if !missing.is_empty() {
                        out.push_str("; ");
                    }
                    out.push_str(match upgrade_type {
                        UpgradeType::UpgradeOnly => "no active GDAP role allows an upgrade",
                        UpgradeType::UpgradeWithLicenseTransfer => {
                            "no active GDAP role allows an upgrade with license transfer"
                        }
                    });
                    if let Some(role) = role_for_right(self.catalog, *upgrade_type) {
                        push_all(out, ["; request the role ", &self.catalog.role(role).name]);
                    }
                }
            }
            Failure::TargetAlreadyOwned { held } => {
                push_all(out, ["customer already holds ", target_name, ": "]);
                push_capped(
                    out,
                    self.evidence.held(*held),
                    "; ",
                    self.cap,
                    |out, &position| self.subscription(out, position),
                    |out, rest| Self::more(out, rest, "subscriptions"),
                );
            }
            Failure::ConflictingServices { conflicts } => {
                let conflicts = self.evidence.conflicts(*conflicts);
                push_all(
                    out,
                    [
                        "services that ",
                        target_name,
                        " would add are already held: ",
                    ],
                );
                push_capped(
                    out,
                    conflicts,
                    "; ",
                    self.cap,
                    |out, conflict| {
                        self.subscription(out, conflict.subscription);
                        out.push_str(" provides ");
                        self.services(out, &conflict.services);
                    },
                    |out, rest| Self::more(out, rest, "subscriptions"),
                );
            }
            Failure::QuantityExceedsLimit { quantity, limit } => {
                let _ = write!(
                    out,
                    "quantity {quantity} exceeds the {limit}-seat limit of {target_name}"
                );
            }
        }
    }

    /// Why a relationship does not count on the as-of date: `GDAP-7 expired`,
    /// `GDAP-8 ended 2025-06-30`, `GDAP-9 starts 2027-01-01`.
    fn inactive_relationship(&self, out: &mut String, relationship: &Relationship) {
        let id = if relationship.id.is_empty() {
            "relationship without id"
        } else {
            &relationship.id
        };
        let _ = match (relationship.start, relationship.end) {
            _ if !relationship.status.grants_access() => {
                write!(out, "{id} {}", relationship.status.as_str())
            }
            (Some(start), _) if start > self.as_of => write!(out, "{id} starts {start}"),
            (_, Some(end)) if end < self.as_of => write!(out, "{id} ended {end}"),
            _ => write!(out, "{id} {}", relationship.status.as_str()),
        };
    }

    /// The details of one reassignment row.
    fn reassignment(
        &self,
        out: &mut String,
        finding: &ReassignmentFinding,
        source: OfferIdx,
        target: OfferIdx,
    ) {
        let (source, target) = (self.offer_name(source), self.offer_name(target));
        let (is, it) = if finding.services.len() == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        match finding.reason {
            ReassignmentReason::DisabledServicesReset => {
                self.services(out, &finding.services);
                push_all(
                    out,
                    [
                        " ",
                        is,
                        " disabled in the user's ",
                        source,
                        " license; the upgrade to ",
                        target,
                        " switches ",
                        it,
                        " on, so disable ",
                        it,
                        " again",
                    ],
                );
            }
            ReassignmentReason::ServicesDropped => {
                self.services(out, &finding.services);
                push_all(
                    out,
                    [
                        " ",
                        is,
                        " enabled in ",
                        source,
                        " but not part of ",
                        target,
                        "; the user loses ",
                        it,
                    ],
                );
            }
            ReassignmentReason::ConflictingLicense => {
                out.push_str("also licensed for ");
                push_joined(out, &finding.conflicting_offers, ", ", |out, &offer| {
                    out.push_str(self.offer_name(offer))
                });
                out.push_str(", which already provides ");
                self.services(out, &finding.services);
                push_all(
                    out,
                    [" that ", target, " adds; remove the duplicate license"],
                );
            }
        }
    }

    /// What to do about one action of `actions.csv`.
    fn action(&self, out: &mut String, tally: &ActionTally) {
        let position = match tally.action.subject {
            Subject::Subscription(position) => Some(position),
            Subject::Customer => None,
        };
        let subscription = position.map(|p| &self.customer.subscriptions[p]);
        match (tally.action.kind, position, subscription) {
            (ActionKind::ReactivateSubscription, Some(p), _) => {
                out.push_str("Partner: reactivate subscription ");
                self.subscription(out, p);
                out.push_str(" in Partner Center; it is suspended, and a suspended subscription cannot be upgraded");
            }
            (ActionKind::AwaitProvisioning, Some(p), _) => {
                out.push_str("Wait until subscription ");
                self.subscription(out, p);
                out.push_str(" is provisioned (Partner Center shows it active), then order the upgrade; if it stays pending, open a Partner Center support request");
            }
            (ActionKind::EstablishAdminRelationship, _, _) => {
                let _ = write!(
                    out,
                    "No delegated-admin relationship is active on {} (",
                    self.as_of
                );
                if self.customer.relationships.is_empty() {
                    out.push_str("none on record");
                }
                push_capped(
                    out,
                    self.customer.relationships,
                    "; ",
                    self.cap,
                    |out, r| self.inactive_relationship(out, r),
                    |out, rest| Self::more(out, rest, "relationships"),
                );
                out.push_str("). Partner: request a GDAP relationship covering ");
                self.services(out, &tally.services);
                out.push_str("; the customer's Global Administrator must approve it");
            }
            (ActionKind::ExtendAdminRelationship, _, _) => {
                out.push_str("The active delegated-admin relationships (");
                let active: Vec<&Relationship> = self
                    .customer
                    .relationships
                    .iter()
                    .filter(|r| r.is_active_on(self.as_of))
                    .collect();
                push_joined(out, &active, ", ", |out, r| {
                    out.push_str(relationship_name(r))
                });
                out.push_str(") do not cover ");
                self.services(out, &tally.services);
                out.push_str(". Partner: extend the relationship to cover them (the customer's Global Administrator must approve)");
            }
            (ActionKind::CancelSubscription, Some(p), Some(s)) => {
                let who = match s.channel {
                    Channel::ThisPartner => "Partner: cancel subscription ",
                    Channel::OtherPartner => {
                        "Ask the customer to cancel, with the other partner who sold it, subscription "
                    }
                    Channel::Direct => {
                        "Ask the customer to cancel, in the Microsoft 365 admin center (bought directly from Microsoft), subscription "
                    }
                };
                out.push_str(who);
                self.subscription(out, p);
                out.push_str(if s.channel == Channel::ThisPartner {
                    " in Partner Center; it holds the target or services the upgrade would add"
                } else {
                    "; it holds the target or services the upgrade would add"
                });
            }
            (ActionKind::ReduceQuantity, Some(p), Some(s)) => {
                let (low, high) = tally.limits.unwrap_or((s.quantity, s.quantity));
                out.push_str("Partner: reduce subscription ");
                self.subscription(out, p);
                let _ = if low == high {
                    write!(
                        out,
                        " from {} to {low} seats (the target's seat limit)",
                        s.quantity
                    )
                } else {
                    write!(
                        out,
                        " from {} to at most {low} seats (to {high} for some targets only)",
                        s.quantity
                    )
                };
            }
            _ => {}
        }
    }
}

/// A relationship as details name it: its id, or that it has none.
fn relationship_name(relationship: &Relationship) -> &str {
    if relationship.id.is_empty() {
        "relationship without id"
    } else {
        &relationship.id
    }
}
