//! English: the language of the reports unless `--lang` says otherwise.

mod actions;
mod explain;
mod workbook;

use std::fmt::Write;

pub use workbook::WORKBOOK;

use super::services::push_services;
use super::{
    Context, Inactive, LIST_CAP, Lang, RunLine, Texts, grouped, push_all, push_capped, push_joined,
};
use crate::catalog::{OfferIdx, RoleIdx, ServiceSet};
use crate::decision::{ActionTally, Failure, ReassignmentFinding, ReassignmentReason, UpgradeType};
use crate::model::{Channel, KnownValues, Relationship, SubscriptionStatus};
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
                    1 => "; 1 rejected row in rejects.csv".to_owned(),
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
        match rejected_rows {
            1 => "warning: 1 input row rejected; see rejects.csv".to_owned(),
            n => format!("warning: {n} input rows rejected; see rejects.csv"),
        }
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
        push_services(out, Lang::En, self.catalog.vocabulary(), set);
    }

    /// `role Exchange Administrator` or `roles Exchange Administrator, Teams Administrator`.
    fn roles(&self, out: &mut String, roles: &[RoleIdx]) {
        out.push_str(if roles.len() == 1 { "role " } else { "roles " });
        self.role_names(out, roles);
    }

    fn role_names(&self, out: &mut String, roles: &[RoleIdx]) {
        self.cx.push_role_names(out, roles);
    }

    fn offer_name(&self, out: &mut String, offer: OfferIdx) {
        self.cx.push_offer_name(out, offer);
    }

    /// `SUB-1 (Power BI Pro, sold by another partner)`, `SUB-2 (Office 365 E3, suspended, sold by us)`.
    fn subscription(&self, out: &mut String, position: usize) {
        let s = &self.customer.subscriptions[position];
        push_all(out, [&s.id, " ("]);
        match s.offer {
            Some(offer) => out.push_str(&self.catalog.offer(offer).name),
            None => out.push_str(&s.offer_text),
        }
        // Active is the usual state; only another one is worth the words.
        if s.status != SubscriptionStatus::Active {
            push_all(out, [", ", s.status.as_str()]);
        }
        push_all(out, [", ", channel(s.channel), ")"]);
    }

    fn failure(&self, out: &mut String, failure: &Failure, target: OfferIdx) {
        match failure {
            Failure::StatusNotActive(SubscriptionStatus::Suspended) => out.push_str(
                "the subscription is suspended and only an active one can be upgraded; partner: reactivate it in Partner Center",
            ),
            Failure::StatusNotActive(status) => push_all(
                out,
                [
                    "the subscription is ",
                    status.as_str(),
                    " and cannot be brought back, so it cannot be upgraded",
                ],
            ),
            Failure::NotProvisioned => out.push_str(
                "the subscription is still being provisioned (pending); wait until Partner Center shows it active",
            ),
            Failure::NoActiveAdminRelationship => {
                self.no_active_relationship(out);
                out.push_str("; partner: request a GDAP relationship, which the customer's Global Administrator approves");
            }
            Failure::MissingAdminServices {
                missing,
                missing_right,
            } => {
                if !missing.is_empty() {
                    out.push_str("the active GDAP relationships (");
                    self.active_relationships(out);
                    out.push_str(") do not cover ");
                    self.services(out, missing);
                    out.push_str(", needed by ");
                    self.offer_name(out, target);
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
                }
                // One request for everything missing: one new relationship will do.
                let mut roles = roles_for_services(self.catalog, missing);
                roles.extend(missing_right.and_then(|right| role_for_right(self.catalog, right)));
                if !missing.is_empty() || !roles.is_empty() {
                    out.push_str("; partner: ");
                    self.request_roles(out, &roles);
                }
            }
            Failure::TargetAlreadyOwned { held } => {
                out.push_str("the customer already holds ");
                self.offer_name(out, target);
                out.push_str(": ");
                push_capped(
                    out,
                    self.evidence.held(*held),
                    "; ",
                    self.cap,
                    |out, &position| self.subscription(out, position),
                    |out, rest| Self::more(out, rest, "subscriptions"),
                );
            }
            Failure::ConflictingServices { conflicts: list } => {
                let conflicts = self.evidence.conflicts(*list);
                out.push_str("services that ");
                self.offer_name(out, target);
                out.push_str(" would add are already held by ");
                push_capped(
                    out,
                    conflicts,
                    "; ",
                    self.cap,
                    |out, conflict| self.subscription(out, conflict.subscription),
                    |out, rest| Self::more(out, rest, "subscriptions"),
                );
                out.push_str(": ");
                self.services(out, self.evidence.conflicting_services(*list));
            }
            Failure::QuantityExceedsLimit { quantity, limit } => {
                let _ = write!(out, "{quantity} seats exceed the {limit}-seat limit of ");
                self.offer_name(out, target);
                let _ = write!(out, "; partner: reduce the seats to {limit}");
            }
        }
    }

    /// What the partner requests for missing services or rights: a GDAP
    /// relationship's roles cannot change once it is active, so role-based
    /// relationships need a new one; one that names services is extended.
    fn request_roles(&self, out: &mut String, roles: &[RoleIdx]) {
        if self.role_based() && !roles.is_empty() {
            out.push_str("request a new GDAP relationship with the ");
            self.roles(out, roles);
            out.push_str(" (the roles of an active one cannot change)");
        } else {
            out.push_str("extend the relationship to cover them");
            if !roles.is_empty() {
                out.push_str(" (GDAP ");
                self.roles(out, roles);
                out.push(')');
            }
        }
    }

    /// `no delegated-admin (GDAP) relationship is active on 2026-11-24 (GDAP-7 expired; …)`.
    fn no_active_relationship(&self, out: &mut String) {
        let _ = write!(
            out,
            "no delegated-admin (GDAP) relationship is active on {} (",
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

    /// The relationships active on the as-of date, by name.
    fn active_relationships(&self, out: &mut String) {
        push_capped(
            out,
            &self.cx.active_relationships(),
            ", ",
            self.cap,
            |out, r| relationship_name(out, r),
            |out, rest| Self::more(out, rest, "relationships"),
        );
    }

    /// Why a relationship does not count on the as-of date: `GDAP-7 expired`,
    /// `GDAP-8 "Standard" ended 2025-06-30`, `GDAP-9 starts 2027-01-01`.
    fn inactive_relationship(&self, out: &mut String, relationship: &Relationship) {
        relationship_name(out, relationship);
        let _ = match self.inactive(relationship) {
            Inactive::Status(status) => write!(out, " {}", status.as_str()),
            Inactive::Starts(start) => write!(out, " starts {start}"),
            Inactive::Ended(end) => write!(out, " ended {end}"),
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
        let (is, it) = if finding.services.len() == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        match finding.reason {
            ReassignmentReason::DisabledServicesReset => {
                self.services(out, &finding.services);
                push_all(out, [" ", is, " switched off in the user's "]);
                self.offer_name(out, source);
                out.push_str(" license and the upgrade to ");
                self.offer_name(out, target);
                push_all(
                    out,
                    [
                        " switches ",
                        it,
                        " on; admin: switch ",
                        it,
                        " off again after the upgrade",
                    ],
                );
            }
            ReassignmentReason::ServicesDropped => {
                self.services(out, &finding.services);
                push_all(out, [" ", is, " in use with "]);
                self.offer_name(out, source);
                out.push_str(" but not part of ");
                self.offer_name(out, target);
                push_all(
                    out,
                    [
                        "; the user loses ",
                        it,
                        " unless the admin assigns a license that includes ",
                        it,
                    ],
                );
            }
            ReassignmentReason::ConflictingLicense => {
                out.push_str("the user also holds ");
                push_joined(out, &finding.conflicting_offers, ", ", |out, &offer| {
                    self.offer_name(out, offer)
                });
                out.push_str(", which already provides ");
                self.services(out, &finding.services);
                out.push_str(" that ");
                self.offer_name(out, target);
                out.push_str(" adds; admin: remove the duplicate license after the upgrade");
            }
        }
    }
}

/// How reports name the channel a subscription was bought through.
fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::ThisPartner => "sold by us",
        Channel::OtherPartner => "sold by another partner",
        Channel::Direct => "bought directly from Microsoft",
    }
}

/// A relationship as details name it: `GDAP-7 "Standard access"`, its display
/// name alone when it has no id.
fn relationship_name(out: &mut String, relationship: &Relationship) {
    let (id, name) = (&*relationship.id, &*relationship.display_name);
    match (id.is_empty(), name.is_empty() || name == id) {
        (true, true) => out.push_str("a relationship without id"),
        (true, false) => push_all(out, ["\"", name, "\""]),
        (false, true) => out.push_str(id),
        (false, false) => push_all(out, [id, " \"", name, "\""]),
    }
}
