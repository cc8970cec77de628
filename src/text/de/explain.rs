//! German sentences of `explain`'s text.

use std::fmt::Write;

use super::{
    German, Sentences, channel, relationship_name, relationship_status, subscription_status,
};
use crate::catalog::{ServiceSet, UpgradeRight};
use crate::decision::{Failure, PairDecision, Verdict};
use crate::model::{Coverage, Relationship};
use crate::rules::{AdminAccess, admin_access, relationship_grant};
use crate::text::{Context, ExplainTexts, IdKind, push_all, push_joined};

impl ExplainTexts for German {
    fn customer(&self, out: &mut String, cx: &Context<'_>) {
        let record = cx.customer.customer;
        push_all(out, ["Kunde ", record.id(), " — ", record.company_name()]);
        if !record.account_manager().is_empty() {
            push_all(out, [" (Account Manager: ", record.account_manager(), ")"]);
        }
    }

    fn relationships_heading(&self, out: &mut String, cx: &Context<'_>) {
        let _ = write!(out, "GDAP-Beziehungen am {}:", cx.as_of);
        if cx.customer.relationships.is_empty() {
            out.push_str(" keine vorhanden");
        }
    }

    fn relationship(&self, out: &mut String, cx: &Context<'_>, relationship: &Relationship) {
        let sentences = Sentences::whole(cx);
        relationship_name(out, relationship);
        push_all(out, [" ", relationship_status(relationship.status)]);
        if relationship.start.is_some() || relationship.end.is_some() {
            let show = |d: Option<chrono::NaiveDate>| d.map_or("…".to_owned(), |d| d.to_string());
            let _ = write!(
                out,
                " {} – {}",
                show(relationship.start),
                show(relationship.end)
            );
        }
        if !relationship.roles.is_empty() {
            out.push_str(" (Rollen: ");
            sentences.role_names(out, &relationship.roles);
            out.push(')');
        }
        if relationship.is_active_on(cx.as_of) {
            let grant = relationship_grant(cx.catalog, relationship);
            out.push_str(": gewährt ");
            match &grant.services {
                Coverage::All => out.push_str("alle Dienste (*)"),
                Coverage::Services(set) if set.is_empty() => out.push_str("keinen Dienst"),
                Coverage::Services(set) => sentences.services(out, set),
            }
            out.push_str(match grant.right {
                UpgradeRight::LicenseTransfer => "; erlaubt Upgrades mit Lizenzübertragung",
                UpgradeRight::UpgradeOnly => "; erlaubt nur Upgrades ohne Lizenzübertragung",
                UpgradeRight::None => {
                    "; erlaubt kein Upgrade (keine Rolle Directory Readers oder Directory Writers)"
                }
            });
        } else {
            out.push_str(": zählt nicht (");
            sentences.inactive_relationship(out, relationship);
            out.push(')');
        }
    }

    fn subscription(&self, out: &mut String, cx: &Context<'_>, position: usize) {
        let s = &cx.customer.subscriptions[position];
        push_all(out, ["Abonnement ", &s.id, ": ", &s.offer_text]);
        if let Some(offer) = s.offer {
            push_all(out, [" (", &cx.catalog.offer(offer).id, ")"]);
        }
        let seats = if s.quantity == 1 {
            "Lizenz"
        } else {
            "Lizenzen"
        };
        let _ = write!(
            out,
            ", {}, {} {seats}, {}",
            subscription_status(s.status),
            s.quantity,
            channel(s.channel)
        );
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
            out.push_str("nicht geprüft: nur unsere eigenen Abonnements werden geprüft; es zählt bei den Prüfungen der anderen mit");
            return;
        }
        match s.offer {
            None => push_all(
                out,
                [
                    "kein Upgrade möglich: der Katalog kennt das Angebot „",
                    &s.offer_text,
                    "“ nicht (siehe `upgrade-recon catalog lookup`)",
                ],
            ),
            Some(offer) => push_all(
                out,
                [
                    "kein Upgrade möglich: ",
                    &cx.catalog.offer(offer).name,
                    " hat keinen Upgrade-Pfad (SubscriptionDoesNotHaveAnyUpgradePaths)",
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
                    "UPGRADE MÖGLICH, {}; {} {} die Lizenz, bei {} besteht Handlungsbedarf",
                    eligible.upgrade_type.code(),
                    eligible.assigned_users,
                    if eligible.assigned_users == 1 {
                        "Benutzer hat"
                    } else {
                        "Benutzer haben"
                    },
                    users,
                );
            }
            Verdict::Blocked(failures) => {
                out.push_str("BLOCKIERT durch ");
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
            1 => push_all(out, ["Abonnement ist ", subscription_status(s.status)]),
            2 => {
                let active = cx
                    .customer
                    .relationships
                    .iter()
                    .filter(|r| r.is_active_on(cx.as_of))
                    .count();
                let _ = match active {
                    1 => write!(out, "1 Beziehung am {} aktiv", cx.as_of),
                    n => write!(out, "{n} Beziehungen am {} aktiv", cx.as_of),
                };
            }
            3 => match admin_access(cx.catalog, cx.customer.relationships, cx.as_of) {
                AdminAccess::Granted(grant) if grant.services == Coverage::All => {
                    out.push_str("eine aktive Beziehung deckt alle Dienste ab (*)")
                }
                _ => {
                    out.push_str("die aktiven Beziehungen decken ");
                    sentences.services(out, &target.services);
                    push_all(out, [" ab, alle Dienste von ", &target.name]);
                }
            },
            4 => push_all(out, ["der Kunde hat kein Abonnement ", &target.name]),
            5 => {
                let additional = target.services.minus(&source_services);
                if additional.is_empty() {
                    push_all(
                        out,
                        [
                            &target.name,
                            " fügt keinen Dienst hinzu, also kann nichts kollidieren",
                        ],
                    );
                } else {
                    out.push_str("kein anderes Abonnement enthält ");
                    sentences.services(out, &additional);
                    push_all(out, [", die ", &target.name, " hinzufügen würde"]);
                }
            }
            6 => {
                let _ = match target.max_quantity {
                    Some(limit) => write!(
                        out,
                        "{} Lizenzen, innerhalb der Obergrenze von {limit}",
                        s.quantity
                    ),
                    None => write!(
                        out,
                        "{} Lizenzen; {} hat keine Obergrenze",
                        s.quantity, target.name
                    ),
                };
            }
            _ => {}
        }
    }

    fn reassignments_heading(&self, out: &mut String) {
        out.push_str("Konten mit Handlungsbedarf nach dem Upgrade:");
    }

    fn not_applicable(&self, out: &mut String) {
        out.push_str("nicht geprüft: keine Beziehung ist aktiv (siehe Prüfung 2)");
    }

    fn unknown_id(&self, out: &mut String, what: IdKind, id: &str, closest: &[&str]) {
        let what = match what {
            IdKind::Subscription => "kein Abonnement",
            IdKind::Customer => "kein Kunde",
        };
        let _ = write!(out, "upgrade-recon: {what} mit der ID {id:?}");
        if !closest.is_empty() {
            push_all(out, ["; meinten Sie ", &closest.join(", "), "?"]);
        }
    }
}
