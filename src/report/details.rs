//! The `details` text of report rows: what a person needs to act on a decision.

use chrono::NaiveDate;

use crate::catalog::{Catalog, OfferIdx, ServiceSet};
use crate::model::{Coverage, CustomerView, KnownValues, Relationship};
use crate::rules::{Failure, ReassignmentFinding, ReassignmentReason};

/// Everything the texts refer to.
pub struct DetailContext<'a> {
    pub catalog: &'a Catalog,
    pub customer: CustomerView<'a>,
    pub as_of: NaiveDate,
}

impl DetailContext<'_> {
    fn services(&self, set: ServiceSet) -> String {
        self.catalog.vocabulary().join(set, ", ")
    }

    fn offer_name(&self, offer: OfferIdx) -> &str {
        &self.catalog.offer(offer).name
    }

    /// `SUB-1 (Power BI Pro, active, direct)`.
    fn subscription(&self, position: usize) -> String {
        let s = &self.customer.subscriptions[position];
        let offer = s.offer.map_or(&*s.offer_text, |o| self.offer_name(o));
        format!(
            "{} ({offer}, {}, {})",
            s.id,
            s.status.as_str(),
            s.channel.as_str()
        )
    }

    /// The details of a blocked pair: one clause per failure, in rule order.
    pub fn blocked(&self, failures: &[Failure], target: OfferIdx) -> String {
        let clauses: Vec<String> = failures.iter().map(|f| self.failure(f, target)).collect();
        clauses.join(" | ")
    }

    fn failure(&self, failure: &Failure, target: OfferIdx) -> String {
        let target_name = self.offer_name(target);
        match failure {
            Failure::StatusNotActive(status) => format!("subscription is {}", status.as_str()),
            Failure::NotProvisioned => "subscription is pending (not yet provisioned)".to_owned(),
            Failure::NoActiveAdminRelationship => {
                let known: Vec<String> = self
                    .customer
                    .relationships
                    .iter()
                    .map(|r| self.relationship(r))
                    .collect();
                let known = if known.is_empty() {
                    "none on record".to_owned()
                } else {
                    known.join("; ")
                };
                format!(
                    "no delegated-admin relationship active on {} ({known})",
                    self.as_of
                )
            }
            Failure::MissingAdminServices { missing } => format!(
                "active delegated-admin relationships do not cover {} (needed by {target_name})",
                self.services(*missing)
            ),
            Failure::TargetAlreadyOwned { subscriptions } => {
                let owned: Vec<String> = subscriptions
                    .iter()
                    .map(|&i| self.subscription(i))
                    .collect();
                format!("customer already holds {target_name}: {}", owned.join("; "))
            }
            Failure::ConflictingServices { conflicts } => {
                let items: Vec<String> = conflicts
                    .iter()
                    .map(|c| {
                        format!(
                            "{} provides {}",
                            self.subscription(c.subscription),
                            self.services(c.services)
                        )
                    })
                    .collect();
                format!(
                    "services that {target_name} would add are already held: {}",
                    items.join("; ")
                )
            }
            Failure::QuantityExceedsLimit { quantity, limit } => {
                format!("quantity {quantity} exceeds the {limit}-seat limit of {target_name}")
            }
        }
    }

    /// `GDAP-7 expired, 2024-01-01..2025-06-30`.
    fn relationship(&self, relationship: &Relationship) -> String {
        let id = if relationship.id.is_empty() {
            "relationship"
        } else {
            &relationship.id
        };
        let date = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
        let scope = match relationship.services {
            Coverage::All => "all services".to_owned(),
            Coverage::Services(set) => self.services(set),
        };
        format!(
            "{id} {}, {}..{}, {scope}",
            relationship.status.as_str(),
            date(relationship.start),
            date(relationship.end)
        )
    }

    /// The details of one reassignment row.
    pub fn reassignment(
        &self,
        finding: &ReassignmentFinding,
        source: OfferIdx,
        target: OfferIdx,
    ) -> String {
        let (source, target) = (self.offer_name(source), self.offer_name(target));
        let services = self.services(finding.services);
        match finding.reason {
            ReassignmentReason::DisabledServicesReset => format!(
                "{services} disabled in the {source} license; the transferred {target} license switches them on, so disable them again"
            ),
            ReassignmentReason::ServicesDropped => {
                format!(
                    "{services} enabled in {source} but not included in {target}; the user loses them"
                )
            }
            ReassignmentReason::ConflictingLicense => {
                let offers: Vec<&str> = finding
                    .conflicting_offers
                    .iter()
                    .map(|&o| self.offer_name(o))
                    .collect();
                format!(
                    "also licensed for {}, which already provides {services} that {target} adds; remove the duplicate license",
                    offers.join(", ")
                )
            }
        }
    }
}
