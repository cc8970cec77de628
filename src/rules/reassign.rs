//! Accounts that need license reassignment after an eligible upgrade (Partner
//! Center's step 4): which users hold the source offer and what the upgrade
//! would change for each of them.

use crate::catalog::{Catalog, OfferIdx, ServiceSet};
use crate::decision::{ReassignmentFinding, ReassignmentReason, UserReassignment};
use crate::model::{CustomerView, License};

/// How many users in `licenses` (one customer's) hold a license of `offer`.
pub fn users_holding(licenses: &[License], offer: OfferIdx) -> usize {
    // Licenses are unique per (user, offer), so counting licenses counts users.
    licenses
        .iter()
        .filter(|l| l.offer.offer() == Some(offer))
        .count()
}

/// For each user of `customer` holding `source` (licenses ordered by user), the
/// findings of an upgrade to `target`; users with no finding are left out.
pub fn reassignments(
    catalog: &Catalog,
    customer: CustomerView<'_>,
    source: OfferIdx,
    target: OfferIdx,
) -> Vec<UserReassignment> {
    customer
        .licenses
        .chunk_by(|a, b| a.user == b.user)
        .filter_map(|user_licenses| {
            let held = user_licenses
                .iter()
                .find(|l| l.offer.offer() == Some(source))?;
            let others = user_licenses
                .iter()
                .filter_map(|l| l.offer.offer())
                .filter(|&offer| offer != source && offer != target);
            let disabled = customer.disabled(held);
            let findings = user_findings(catalog, source, target, disabled, others);
            (!findings.is_empty()).then_some(UserReassignment {
                user: held.user,
                findings,
            })
        })
        .collect()
}

/// What upgrading one user's license of `source` to `target` changes, given the
/// services disabled in that license and the user's licenses of other offers.
pub fn user_findings(
    catalog: &Catalog,
    source: OfferIdx,
    target: OfferIdx,
    disabled: &ServiceSet,
    other_offers: impl Iterator<Item = OfferIdx>,
) -> Vec<ReassignmentFinding> {
    let source_services = &catalog.offer(source).services;
    let target_services = &catalog.offer(target).services;
    let additional = target_services.minus(source_services);
    let mut findings = Vec::new();

    let reset = disabled.intersection(target_services);
    if !reset.is_empty() {
        findings.push(finding(
            ReassignmentReason::DisabledServicesReset,
            reset,
            Vec::new(),
        ));
    }
    let dropped = source_services.minus(disabled).minus(target_services);
    if !dropped.is_empty() {
        findings.push(finding(
            ReassignmentReason::ServicesDropped,
            dropped,
            Vec::new(),
        ));
    }
    let mut duplicated = ServiceSet::EMPTY;
    let mut offers: Vec<OfferIdx> = other_offers
        .filter(|&offer| {
            let overlap = catalog.offer(offer).services.intersection(&additional);
            duplicated = duplicated.union(&overlap);
            !overlap.is_empty()
        })
        .collect();
    if !offers.is_empty() {
        offers.sort_unstable();
        offers.dedup();
        findings.push(finding(
            ReassignmentReason::ConflictingLicense,
            duplicated,
            offers,
        ));
    }
    findings
}

fn finding(
    reason: ReassignmentReason,
    services: ServiceSet,
    conflicting_offers: Vec<OfferIdx>,
) -> ReassignmentFinding {
    ReassignmentFinding {
        reason,
        services,
        conflicting_offers,
    }
}
