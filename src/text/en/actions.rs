//! English sentences of `actions.csv`: what to do, and who must act.

use std::fmt::Write;

use super::Sentences;
use crate::decision::{ActionKind, ActionTally, Subject};
use crate::model::{Channel, KnownValues};
use crate::rules::{role_for_right, roles_for_services};
use crate::text::{capitalized, push_all};

impl Sentences<'_> {
    /// What to do about one action of `actions.csv`.
    pub(super) fn action(&self, out: &mut String, tally: &ActionTally) {
        let position = match tally.action.subject {
            Subject::Subscription(position) => Some(position),
            Subject::Customer => None,
        };
        let subscription = position.map(|p| &self.customer.subscriptions[p]);
        match (tally.action.kind, position, subscription) {
            (ActionKind::ReactivateSubscription, Some(p), Some(s)) => {
                out.push_str("Partner: reactivate subscription ");
                self.subscription(out, p);
                push_all(
                    out,
                    [
                        " in Partner Center; it is ",
                        s.status.as_str(),
                        ", and only an active subscription can be upgraded",
                    ],
                );
            }
            (ActionKind::AwaitProvisioning, Some(p), _) => {
                out.push_str("Wait until subscription ");
                self.subscription(out, p);
                out.push_str(" is provisioned (Partner Center shows it active), then order the upgrade; if it stays pending, partner: open a Partner Center support request");
            }
            (ActionKind::EstablishAdminRelationship, _, _) => {
                let mut sentence = String::new();
                self.no_active_relationship(&mut sentence);
                capitalized(out, &sentence);
                // The roles are what the partner asks for; the services only
                // where no role grants them.
                let roles = roles_for_services(self.catalog, &tally.services);
                if roles.is_empty() {
                    out.push_str(". Partner: request a GDAP relationship covering ");
                    self.services(out, &tally.services);
                } else {
                    out.push_str(". Partner: request a GDAP relationship with the ");
                    self.roles(out, &roles);
                }
                out.push_str("; the customer's Global Administrator must approve it");
            }
            (ActionKind::ExtendAdminRelationship, _, _) => {
                out.push_str("The active GDAP relationships (");
                self.active_relationships(out);
                out.push(')');
                let mut roles = roles_for_services(self.catalog, &tally.services);
                if tally.services.is_empty() {
                    out.push_str(" do not allow the upgrade");
                } else if roles.is_empty() {
                    out.push_str(" do not cover ");
                    self.services(out, &tally.services);
                } else {
                    out.push_str(" do not cover the services the upgrades need");
                }
                roles.extend(
                    tally
                        .missing_right
                        .and_then(|upgrade_type| role_for_right(self.catalog, upgrade_type)),
                );
                out.push_str(". Partner: ");
                self.request_roles(out, &roles);
                out.push_str("; the customer's Global Administrator must approve it");
            }
            (ActionKind::CancelSubscription, Some(p), Some(s)) => {
                out.push_str(match s.channel {
                    Channel::ThisPartner => "Partner: cancel subscription ",
                    Channel::OtherPartner => {
                        "Customer: ask the partner who sold it to cancel subscription "
                    }
                    Channel::Direct => {
                        "Customer: cancel in the Microsoft 365 admin center subscription "
                    }
                });
                self.subscription(out, p);
                out.push_str(if s.channel == Channel::ThisPartner {
                    " in Partner Center; it already holds the target or services the upgrade would add"
                } else {
                    "; it already holds the target or services the upgrade would add"
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
