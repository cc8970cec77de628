//! German (`--lang de`): the words a German partner's account manager uses —
//! Abonnement, Upgrade, delegierte Administratorrechte, GDAP-Rolle.

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
use crate::model::{Channel, Relationship, RelationshipStatus, SubscriptionStatus};
use crate::rules::{role_for_right, roles_for_services};

/// The German texts.
pub struct German;

impl Texts for German {
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
        let head = format!("Eingabe {}, Stichtag {}: ", line.input, line.as_of);
        let body = match &line.counts {
            Some(counts) => {
                let rejected = match counts.rejected_rows {
                    0 => String::new(),
                    1 => "; 1 abgelehnte Zeile in rejects.csv".to_owned(),
                    n => format!("; {n} abgelehnte Zeilen in rejects.csv"),
                };
                format!(
                    "{} Abonnements, {} geprüft: {} Upgrade möglich, {} blockiert, {} ohne Upgrade-Pfad; \
                     {} Upgrade-Paare möglich, {} blockiert; {} Lizenzzuweisungen{rejected}; Berichte in {}",
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
            None => format!("fehlgeschlagen, nichts geschrieben nach {}", line.out),
        };
        let seconds = format!("{:.2}", line.seconds).replace('.', ",");
        format!("{head}{body} ({seconds} s); Exit-Code {}", line.exit_code)
    }

    fn rejected_warning(&self, rejected_rows: u64) -> String {
        match rejected_rows {
            1 => "Warnung: 1 Eingabezeile abgelehnt; siehe rejects.csv".to_owned(),
            n => format!("Warnung: {n} Eingabezeilen abgelehnt; siehe rejects.csv"),
        }
    }
}

/// The German sentences about one customer.
struct Sentences<'a> {
    cx: &'a Context<'a>,
    /// Items a list shows before "… und N weitere".
    cap: usize,
}

impl<'a> Sentences<'a> {
    fn capped(cx: &'a Context<'a>) -> Sentences<'a> {
        Sentences { cx, cap: LIST_CAP }
    }

    fn whole(cx: &'a Context<'a>) -> Sentences<'a> {
        Sentences {
            cx,
            cap: usize::MAX,
        }
    }

    /// `; … und 1.995 weitere <what>`.
    fn more(out: &mut String, rest: usize, what: &str) {
        push_all(out, ["; … und ", &grouped(rest, '.'), " weitere ", what]);
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
        push_services(out, Lang::De, self.catalog.vocabulary(), set);
    }

    /// `GDAP-Rolle X` or `GDAP-Rollen X, Y`.
    fn roles(&self, out: &mut String, roles: &[RoleIdx]) {
        out.push_str(if roles.len() == 1 {
            "GDAP-Rolle "
        } else {
            "GDAP-Rollen "
        });
        self.role_names(out, roles);
    }

    fn role_names(&self, out: &mut String, roles: &[RoleIdx]) {
        self.cx.push_role_names(out, roles);
    }

    fn offer_name(&self, out: &mut String, offer: OfferIdx) {
        self.cx.push_offer_name(out, offer);
    }

    /// `SUB-1 (Power BI Pro, von einem anderen Partner verkauft)`; a status other than active is named.
    fn subscription(&self, out: &mut String, position: usize) {
        let s = &self.customer.subscriptions[position];
        push_all(out, [&s.id, " ("]);
        match s.offer {
            Some(offer) => out.push_str(&self.catalog.offer(offer).name),
            None => out.push_str(&s.offer_text),
        }
        if s.status != SubscriptionStatus::Active {
            push_all(out, [", ", subscription_status(s.status)]);
        }
        push_all(out, [", ", channel(s.channel), ")"]);
    }

    fn failure(&self, out: &mut String, failure: &Failure, target: OfferIdx) {
        match failure {
            Failure::StatusNotActive(SubscriptionStatus::Suspended) => out.push_str(
                "Das Abonnement ist angehalten; nur ein aktives Abonnement kann ein Upgrade erhalten. Partner: im Partner Center reaktivieren",
            ),
            Failure::StatusNotActive(status) => push_all(
                out,
                [
                    "Das Abonnement ist ",
                    subscription_status(*status),
                    " und lässt sich nicht wiederherstellen, also auch nicht upgraden",
                ],
            ),
            Failure::NotProvisioned => out.push_str(
                "Das Abonnement wird noch bereitgestellt (ausstehend); warten, bis Partner Center es als aktiv zeigt",
            ),
            Failure::NoActiveAdminRelationship => {
                self.no_active_relationship(out);
                out.push_str(". Partner: eine GDAP-Beziehung anfordern, die der globale Administrator des Kunden genehmigt");
            }
            Failure::MissingAdminServices {
                missing,
                missing_right,
            } => {
                if !missing.is_empty() {
                    out.push_str("Die aktiven GDAP-Beziehungen (");
                    self.active_relationships(out);
                    out.push_str(") decken ");
                    self.services(out, missing);
                    out.push_str(" nicht ab, die ");
                    self.offer_name(out, target);
                    out.push_str(" benötigt");
                }
                if let Some(upgrade_type) = missing_right {
                    if !missing.is_empty() {
                        out.push_str(". ");
                    }
                    out.push_str(match upgrade_type {
                        UpgradeType::UpgradeOnly => "Keine aktive GDAP-Rolle erlaubt ein Upgrade",
                        UpgradeType::UpgradeWithLicenseTransfer => {
                            "Keine aktive GDAP-Rolle erlaubt ein Upgrade mit Lizenzübertragung"
                        }
                    });
                }
                // One request for everything missing: one new relationship will do.
                let mut roles = roles_for_services(self.catalog, missing);
                roles.extend(missing_right.and_then(|right| role_for_right(self.catalog, right)));
                if !missing.is_empty() || !roles.is_empty() {
                    out.push_str(". Partner: ");
                    self.request_roles(out, &roles);
                }
            }
            Failure::TargetAlreadyOwned { held } => {
                out.push_str("Der Kunde besitzt bereits ");
                self.offer_name(out, target);
                out.push_str(": ");
                push_capped(
                    out,
                    self.evidence.held(*held),
                    "; ",
                    self.cap,
                    |out, &position| self.subscription(out, position),
                    |out, rest| Self::more(out, rest, "Abonnements"),
                );
            }
            Failure::ConflictingServices { conflicts: list } => {
                let conflicts = self.evidence.conflicts(*list);
                out.push_str("Dienste, die ");
                self.offer_name(out, target);
                out.push_str(" hinzufügen würde, sind bereits vorhanden in ");
                push_capped(
                    out,
                    conflicts,
                    "; ",
                    self.cap,
                    |out, conflict| self.subscription(out, conflict.subscription),
                    |out, rest| Self::more(out, rest, "Abonnements"),
                );
                out.push_str(": ");
                self.services(out, self.evidence.conflicting_services(*list));
            }
            Failure::QuantityExceedsLimit { quantity, limit } => {
                let _ = write!(
                    out,
                    "{quantity} Lizenzen überschreiten die Obergrenze von {limit} Lizenzen für "
                );
                self.offer_name(out, target);
                let _ = write!(out, ". Partner: auf {limit} Lizenzen reduzieren");
            }
        }
    }

    /// What the partner requests: a new relationship for role-based ones (their
    /// roles cannot change once active), else the relationship extended.
    fn request_roles(&self, out: &mut String, roles: &[RoleIdx]) {
        if self.role_based() && !roles.is_empty() {
            out.push_str("eine neue GDAP-Beziehung mit ");
            out.push_str(if roles.len() == 1 { "der " } else { "den " });
            self.roles(out, roles);
            out.push_str(
                " anfordern (die Rollen einer aktiven Beziehung lassen sich nicht ändern)",
            );
        } else {
            out.push_str("die Beziehung um diese Dienste erweitern");
            if !roles.is_empty() {
                out.push_str(" (");
                self.roles(out, roles);
                out.push(')');
            }
        }
    }

    /// `Keine GDAP-Beziehung (delegierte Administratorrechte) ist am 2026-11-24 aktiv (…)`.
    fn no_active_relationship(&self, out: &mut String) {
        let _ = write!(
            out,
            "Keine GDAP-Beziehung (delegierte Administratorrechte) ist am {} aktiv (",
            self.as_of
        );
        if self.customer.relationships.is_empty() {
            out.push_str("keine vorhanden");
        }
        push_capped(
            out,
            self.customer.relationships,
            "; ",
            self.cap,
            |out, r| self.inactive_relationship(out, r),
            |out, rest| Self::more(out, rest, "Beziehungen"),
        );
        out.push(')');
    }

    fn active_relationships(&self, out: &mut String) {
        push_capped(
            out,
            &self.cx.active_relationships(),
            ", ",
            self.cap,
            |out, r| relationship_name(out, r),
            |out, rest| Self::more(out, rest, "Beziehungen"),
        );
    }

    /// `GDAP-7 abgelaufen`, `GDAP-8 "Standard" endete am 2025-06-30`, `GDAP-9 beginnt am 2027-01-01`.
    fn inactive_relationship(&self, out: &mut String, relationship: &Relationship) {
        relationship_name(out, relationship);
        let _ = match self.inactive(relationship) {
            Inactive::Status(status) => write!(out, " {}", relationship_status(status)),
            Inactive::Starts(start) => write!(out, " beginnt am {start}"),
            Inactive::Ended(end) => write!(out, " endete am {end}"),
        };
    }

    fn reassignment(
        &self,
        out: &mut String,
        finding: &ReassignmentFinding,
        source: OfferIdx,
        target: OfferIdx,
    ) {
        let one = finding.services.len() == 1;
        match finding.reason {
            ReassignmentReason::DisabledServicesReset => {
                self.services(out, &finding.services);
                out.push_str(if one { " ist" } else { " sind" });
                out.push_str(" in der Lizenz ");
                self.offer_name(out, source);
                out.push_str(" des Benutzers ausgeschaltet; das Upgrade auf ");
                self.offer_name(out, target);
                out.push_str(if one {
                    " schaltet diesen Dienst ein. Administrator: nach dem Upgrade wieder ausschalten"
                } else {
                    " schaltet diese Dienste ein. Administrator: nach dem Upgrade wieder ausschalten"
                });
            }
            ReassignmentReason::ServicesDropped => {
                self.services(out, &finding.services);
                out.push_str(if one { " wird" } else { " werden" });
                out.push_str(" mit ");
                self.offer_name(out, source);
                out.push_str(" genutzt, ist aber nicht Teil von ");
                self.offer_name(out, target);
                out.push_str("; der Benutzer verliert den Zugriff, wenn der Administrator keine Lizenz zuweist, die ");
                out.push_str(if one {
                    "diesen Dienst"
                } else {
                    "diese Dienste"
                });
                out.push_str(" enthält");
            }
            ReassignmentReason::ConflictingLicense => {
                out.push_str("Der Benutzer hat außerdem ");
                push_joined(out, &finding.conflicting_offers, ", ", |out, &offer| {
                    self.offer_name(out, offer)
                });
                out.push_str(", das bereits ");
                self.services(out, &finding.services);
                out.push_str(" enthält, die ");
                self.offer_name(out, target);
                out.push_str(
                    " hinzufügt. Administrator: die doppelte Lizenz nach dem Upgrade entfernen",
                );
            }
        }
    }
}

fn subscription_status(status: SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Active => "aktiv",
        SubscriptionStatus::Pending => "ausstehend",
        SubscriptionStatus::Suspended => "angehalten",
        SubscriptionStatus::Disabled => "deaktiviert",
        SubscriptionStatus::Expired => "abgelaufen",
        SubscriptionStatus::Deleted => "gelöscht",
        SubscriptionStatus::Cancelled => "gekündigt",
    }
}

fn relationship_status(status: RelationshipStatus) -> &'static str {
    match status {
        RelationshipStatus::Active => "aktiv",
        RelationshipStatus::Expiring => "läuft bald ab",
        RelationshipStatus::ApprovalPending => "wartet auf Genehmigung",
        RelationshipStatus::Approved => "genehmigt",
        RelationshipStatus::Activating => "wird aktiviert",
        RelationshipStatus::Created => "erstellt",
        RelationshipStatus::Expired => "abgelaufen",
        RelationshipStatus::Terminated => "beendet",
        RelationshipStatus::Terminating => "wird beendet",
        RelationshipStatus::TerminationRequested => "Beendigung angefordert",
    }
}

fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::ThisPartner => "von uns verkauft",
        Channel::OtherPartner => "von einem anderen Partner verkauft",
        Channel::Direct => "direkt bei Microsoft gekauft",
    }
}

/// `GDAP-7 "Standardzugriff"`; the display name alone when there is no id.
fn relationship_name(out: &mut String, relationship: &Relationship) {
    let (id, name) = (&*relationship.id, &*relationship.display_name);
    match (id.is_empty(), name.is_empty() || name == id) {
        (true, true) => out.push_str("eine Beziehung ohne ID"),
        (true, false) => push_all(out, ["„", name, "“"]),
        (false, true) => out.push_str(id),
        (false, false) => push_all(out, [id, " „", name, "“"]),
    }
}
