//! English sentences of `explain`'s text.

use std::fmt::Write;

use super::{English, Sentences, channel, relationship_name};
use crate::catalog::ServiceSet;
use crate::catalog::UpgradeRight;
use crate::decision::{Failure, PairDecision, Verdict};
use crate::model::{Coverage, KnownValues, Relationship};
use crate::rules::{AdminAccess, admin_access, relationship_grant};
use crate::text::{Context, ExplainTexts, IdKind, push_all, push_joined};

impl ExplainTexts for English {
    fn customer(&self, out: &mut String, cx: &Context<'_>) {
        let record = cx.customer.customer;
        push_all(
            out,
            ["Customer ", record.id(), " — ", record.company_name()],
        );
        if !record.account_manager().is_empty() {
            push_all(out, [" (account manager: ", record.account_manager(), ")"]);
        }
    }

    fn relationships_heading(&self, out: &mut String, cx: &Context<'_>) {
        let _ = write!(out, "Delegated-admin relationships on {}:", cx.as_of);
        if cx.customer.relationships.is_empty() {
            out.push_str(" none on record");
        }
    }

    fn relationship(&self, out: &mut String, cx: &Context<'_>, relationship: &Relationship) {
        let sentences = Sentences::whole(cx);
        relationship_name(out, relationship);
        push_all(out, [" ", relationship.status.as_str()]);
        match (relationship.start, relationship.end) {
            (None, None) => {}
            (start, end) => {
                let show =
                    |d: Option<chrono::NaiveDate>| d.map_or("…".to_owned(), |d| d.to_string());
                let _ = write!(out, " {} – {}", show(start), show(end));
            }
        }
        if !relationship.roles.is_empty() {
            out.push_str(" (roles: ");
            let roles: Vec<_> = relationship.roles.to_vec();
            sentences.role_names(out, &roles);
            out.push(')');
        }
        if relationship.is_active_on(cx.as_of) {
            let grant = relationship_grant(cx.catalog, relationship);
            out.push_str(": grants ");
            match &grant.services {
                Coverage::All => out.push_str("every service (*)"),
                Coverage::Services(set) if set.is_empty() => out.push_str("no service"),
                Coverage::Services(set) => sentences.services(out, set),
            }
            out.push_str(match grant.right {
                UpgradeRight::LicenseTransfer => "; allows upgrades with license transfer",
                UpgradeRight::UpgradeOnly => "; allows upgrades without license transfer only",
                UpgradeRight::None => "; allows no upgrade (no Directory Readers or Writers role)",
            });
        } else {
            out.push_str(": does not count (");
            sentences.inactive_relationship(out, relationship);
            out.push(')');
        }
    }

    fn subscription(&self, out: &mut String, cx: &Context<'_>, position: usize) {
        let s = &cx.customer.subscriptions[position];
        push_all(out, ["Subscription ", &s.id, ": ", &s.offer_text]);
        if let Some(offer) = s.offer {
            push_all(out, [" (", &cx.catalog.offer(offer).id, ")"]);
        }
        let seats = if s.quantity == 1 { "seat" } else { "seats" };
        let _ = write!(out, ", {}, {} {seats}, ", s.status.as_str(), s.quantity);
        out.push_str(channel(s.channel));
    }

    fn not_evaluated(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        position: usize,
        other_channel: bool,
    ) {
        let s = &cx.customer.subscriptions[position];
        if other_channel {
            out.push_str("not evaluated: only this partner's subscriptions are; it counts as context for the checks of the others");
            return;
        }
        match s.offer {
            None => push_all(
                out,
                [
                    "not upgradable: the catalog does not know the offer \"",
                    &s.offer_text,
                    "\" (try `upgrade-recon catalog lookup`)",
                ],
            ),
            Some(offer) => push_all(
                out,
                [
                    "not upgradable: ",
                    &cx.catalog.offer(offer).name,
                    " has no upgrade path (SubscriptionDoesNotHaveAnyUpgradePaths)",
                ],
            ),
        }
    }

    fn target(&self, out: &mut String, cx: &Context<'_>, pair: &PairDecision) {
        let target = cx.catalog.offer(pair.target);
        push_all(out, ["→ ", &target.name, " (", &target.id, "): "]);
        match &pair.verdict {
            Verdict::Eligible(eligible) => {
                let users = cx.evidence.reassignments(eligible.reassignments).len();
                let _ = write!(
                    out,
                    "ELIGIBLE, {}; {} {} the license, {} {} attention",
                    eligible.upgrade_type.code(),
                    eligible.assigned_users,
                    if eligible.assigned_users == 1 {
                        "user holds"
                    } else {
                        "users hold"
                    },
                    users,
                    if users == 1 { "needs" } else { "need" },
                );
            }
            Verdict::Blocked(failures) => {
                out.push_str("BLOCKED by ");
                push_joined(out, failures, ", ", |out, failure| {
                    out.push_str(failure.reason().code())
                });
            }
        }
    }

    fn check(
        &self,
        out: &mut String,
        cx: &Context<'_>,
        position: usize,
        pair: &PairDecision,
        check: u8,
        failure: Option<&Failure>,
    ) {
        let sentences = Sentences::whole(cx);
        if let Some(failure) = failure {
            sentences.failure(out, failure, pair.target);
            return;
        }
        let s = &cx.customer.subscriptions[position];
        let target = cx.catalog.offer(pair.target);
        let source_services = s
            .offer
            .map_or(ServiceSet::EMPTY, |o| cx.catalog.offer(o).services.clone());
        match check {
            1 => push_all(out, ["subscription is ", s.status.as_str()]),
            2 => {
                let active = cx
                    .customer
                    .relationships
                    .iter()
                    .filter(|r| r.is_active_on(cx.as_of))
                    .count();
                let _ = match active {
                    1 => write!(out, "1 relationship active on {}", cx.as_of),
                    n => write!(out, "{n} relationships active on {}", cx.as_of),
                };
            }
            3 => match admin_access(cx.catalog, cx.customer.relationships, cx.as_of) {
                AdminAccess::Granted(grant) if grant.services == Coverage::All => {
                    out.push_str("an active relationship covers every service (*)")
                }
                _ => {
                    out.push_str("the active relationships cover ");
                    sentences.services(out, &target.services);
                    push_all(out, [", every service of ", &target.name]);
                }
            },
            4 => push_all(
                out,
                ["the customer holds no ", &target.name, " subscription"],
            ),
            5 => {
                let additional = target.services.minus(&source_services);
                if additional.is_empty() {
                    push_all(
                        out,
                        [&target.name, " adds no service, so nothing can conflict"],
                    );
                } else {
                    out.push_str("no other held subscription provides ");
                    sentences.services(out, &additional);
                    push_all(out, [", which ", &target.name, " would add"]);
                }
            }
            6 => {
                let _ = match target.max_quantity {
                    Some(limit) => write!(out, "{} seats, within the limit of {limit}", s.quantity),
                    None => write!(
                        out,
                        "{} seats; {} has no seat limit",
                        s.quantity, target.name
                    ),
                };
            }
            _ => {}
        }
    }

    fn reassignments_heading(&self, out: &mut String) {
        out.push_str("accounts that need attention after the upgrade:");
    }

    fn not_applicable(&self, out: &mut String) {
        out.push_str("not checked: no relationship is active (see check 2)");
    }

    fn unknown_id(&self, out: &mut String, what: IdKind, id: &str, closest: &[&str]) {
        let what = match what {
            IdKind::Subscription => "subscription",
            IdKind::Customer => "customer",
        };
        let _ = write!(out, "upgrade-recon: no {what} with the id {id:?}");
        if !closest.is_empty() {
            push_all(out, ["; did you mean ", &closest.join(", "), "?"]);
        }
    }
}
