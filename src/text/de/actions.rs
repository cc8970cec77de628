//! German sentences of `actions.csv`: what to do, and who must act.

use std::fmt::Write;

use super::{Sentences, subscription_status};
use crate::decision::{ActionKind, ActionTally, Subject};
use crate::model::Channel;
use crate::rules::{role_for_right, roles_for_services};
use crate::text::{capitalized, push_all};

impl Sentences<'_> {
    pub(super) fn action(&self, out: &mut String, tally: &ActionTally) {
        let position = match tally.action.subject {
            Subject::Subscription(position) => Some(position),
            Subject::Customer => None,
        };
        let subscription = position.map(|p| &self.customer.subscriptions[p]);
        match (tally.action.kind, position, subscription) {
            (ActionKind::ReactivateSubscription, Some(p), Some(s)) => {
                out.push_str("Partner: Abonnement ");
                self.subscription(out, p);
                push_all(
                    out,
                    [
                        " im Partner Center reaktivieren; es ist ",
                        subscription_status(s.status),
                        ", und nur ein aktives Abonnement kann ein Upgrade erhalten",
                    ],
                );
            }
            (ActionKind::AwaitProvisioning, Some(p), _) => {
                out.push_str("Warten, bis das Abonnement ");
                self.subscription(out, p);
                out.push_str(" bereitgestellt ist (Partner Center zeigt es als aktiv), dann das Upgrade bestellen; bleibt es ausstehend, Partner: eine Supportanfrage im Partner Center stellen");
            }
            (ActionKind::EstablishAdminRelationship, _, _) => {
                let mut sentence = String::new();
                self.no_active_relationship(&mut sentence);
                capitalized(out, &sentence);
                let roles = roles_for_services(self.catalog, &tally.services);
                if roles.is_empty() {
                    out.push_str(". Partner: eine GDAP-Beziehung für ");
                    self.services(out, &tally.services);
                } else {
                    out.push_str(". Partner: eine GDAP-Beziehung mit ");
                    out.push_str(if roles.len() == 1 { "der " } else { "den " });
                    self.roles(out, &roles);
                }
                out.push_str(" anfordern");
                out.push_str("; der globale Administrator des Kunden muss sie genehmigen");
            }
            (ActionKind::ExtendAdminRelationship, _, _) => {
                out.push_str("Die aktiven GDAP-Beziehungen (");
                self.active_relationships(out);
                out.push(')');
                let mut roles = roles_for_services(self.catalog, &tally.services);
                if tally.services.is_empty() {
                    out.push_str(" erlauben das Upgrade nicht");
                } else if roles.is_empty() {
                    out.push_str(" decken ");
                    self.services(out, &tally.services);
                    out.push_str(" nicht ab");
                } else {
                    out.push_str(" decken die Dienste der Upgrades nicht ab");
                }
                roles.extend(
                    tally
                        .missing_right
                        .and_then(|upgrade_type| role_for_right(self.catalog, upgrade_type)),
                );
                out.push_str(". Partner: ");
                self.request_roles(out, &roles);
                out.push_str("; der globale Administrator des Kunden muss zustimmen");
            }
            (ActionKind::CancelSubscription, Some(p), Some(s)) => {
                out.push_str(match s.channel {
                    Channel::ThisPartner => "Partner: Abonnement ",
                    Channel::OtherPartner => {
                        "Kunde: den Partner, der es verkauft hat, bitten, das Abonnement "
                    }
                    Channel::Direct => "Kunde: im Microsoft 365 Admin Center das Abonnement ",
                });
                self.subscription(out, p);
                out.push_str(match s.channel {
                    Channel::ThisPartner => " im Partner Center kündigen",
                    Channel::OtherPartner => " zu kündigen",
                    Channel::Direct => " kündigen",
                });
                out.push_str(
                    "; es enthält bereits das Zielangebot oder Dienste, die das Upgrade hinzufügen würde",
                );
            }
            (ActionKind::ReduceQuantity, Some(p), Some(s)) => {
                let (low, high) = tally.limits.unwrap_or((s.quantity, s.quantity));
                out.push_str("Partner: Abonnement ");
                self.subscription(out, p);
                let _ = if low == high {
                    write!(
                        out,
                        " von {} auf {low} Lizenzen reduzieren (die Obergrenze des Zielangebots)",
                        s.quantity
                    )
                } else {
                    write!(
                        out,
                        " von {} auf höchstens {low} Lizenzen reduzieren ({high} genügen nur für manche Zielangebote)",
                        s.quantity
                    )
                };
            }
            _ => {}
        }
    }
}
