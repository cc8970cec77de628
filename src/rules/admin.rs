//! Checks 2 and 3 (exclusive): the customer must have a delegated-admin
//! relationship active on the as-of date, and together its active relationships
//! must cover every service of the target (contract §4, v2).
//!
//! A relationship covers the services of its `services` value and those of each of
//! its GDAP roles. When every active relationship is role-only (roles, no
//! `services` value), the roles must also allow the pair's upgrade type: an
//! `upgrade_only` pair needs a role with `upgrade_only` or `license_transfer`, an
//! `upgrade_with_license_transfer` pair one with `license_transfer`. A relationship
//! with a `services` value (delegated admin in the v1 sense) allows both.

use chrono::NaiveDate;
use smallvec::SmallVec;

use crate::catalog::{Catalog, RoleIdx, RoleServices, ServiceSet, UpgradeRight};
use crate::decision::{Failure, UpgradeType};
use crate::model::{Coverage, Relationship};

/// What the customer's delegated-admin relationships grant on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminAccess {
    /// No relationship is active that day.
    None,
    Granted(Grant),
}

/// The union of what the active relationships grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub services: Coverage,
    /// The strongest upgrade the relationships allow: `LicenseTransfer` as soon as
    /// one has a `services` value, else the strongest right of their roles.
    pub right: UpgradeRight,
}

/// What one relationship grants (whether or not it is active).
pub fn relationship_grant(catalog: &Catalog, relationship: &Relationship) -> Grant {
    let mut grant = Grant {
        services: relationship
            .services
            .clone()
            .unwrap_or(Coverage::Services(ServiceSet::EMPTY)),
        right: if relationship.services.is_some() {
            UpgradeRight::LicenseTransfer
        } else {
            UpgradeRight::None
        },
    };
    for &role in relationship.roles.iter() {
        let role = catalog.role(role);
        grant.services = union(&grant.services, &role_coverage(&role.services));
        grant.right = grant.right.max(role.upgrade);
    }
    grant
}

fn role_coverage(services: &RoleServices) -> Coverage {
    match services {
        RoleServices::All => Coverage::All,
        RoleServices::Set(set) => Coverage::Services(set.clone()),
    }
}

fn union(a: &Coverage, b: &Coverage) -> Coverage {
    match (a, b) {
        (Coverage::All, _) | (_, Coverage::All) => Coverage::All,
        (Coverage::Services(a), Coverage::Services(b)) => Coverage::Services(a.union(b)),
    }
}

/// The union of the relationships active on `as_of`.
pub fn admin_access(
    catalog: &Catalog,
    relationships: &[Relationship],
    as_of: NaiveDate,
) -> AdminAccess {
    relationships
        .iter()
        .filter(|relationship| relationship.is_active_on(as_of))
        .map(|relationship| relationship_grant(catalog, relationship))
        .fold(AdminAccess::None, |access, grant| match access {
            AdminAccess::None => AdminAccess::Granted(grant),
            AdminAccess::Granted(so_far) => AdminAccess::Granted(Grant {
                services: union(&so_far.services, &grant.services),
                right: so_far.right.max(grant.right),
            }),
        })
}

/// The right an upgrade type needs.
pub fn needed_right(upgrade_type: UpgradeType) -> UpgradeRight {
    match upgrade_type {
        UpgradeType::UpgradeOnly => UpgradeRight::UpgradeOnly,
        UpgradeType::UpgradeWithLicenseTransfer => UpgradeRight::LicenseTransfer,
    }
}

pub fn check_admin_access(
    access: &AdminAccess,
    target_services: &ServiceSet,
    upgrade_type: UpgradeType,
) -> Option<Failure> {
    let grant = match access {
        AdminAccess::None => return Some(Failure::NoActiveAdminRelationship),
        AdminAccess::Granted(grant) => grant,
    };
    let missing = match &grant.services {
        Coverage::All => ServiceSet::EMPTY,
        Coverage::Services(granted) => target_services.minus(granted),
    };
    let missing_right = (grant.right < needed_right(upgrade_type)).then_some(upgrade_type);
    (!missing.is_empty() || missing_right.is_some()).then_some(Failure::MissingAdminServices {
        missing,
        missing_right,
    })
}

/// The roles to request for `missing` services: for each (in vocabulary order)
/// the first role in `roles.csv` order, other than one granting `*`, that grants
/// it; each role once.
pub fn roles_for_services(catalog: &Catalog, missing: &ServiceSet) -> SmallVec<[RoleIdx; 4]> {
    let mut roles = SmallVec::new();
    for service in missing.iter() {
        let granting = catalog.roles().find(|(_, role)| match &role.services {
            RoleServices::Set(set) => set.contains(service),
            RoleServices::All => false,
        });
        if let Some((idx, _)) = granting
            && !roles.contains(&idx)
        {
            roles.push(idx);
        }
    }
    roles
}

/// The role to request for an upgrade type no active role allows: the first role
/// in `roles.csv` order, other than one granting `*`, whose right is exactly the
/// one needed (Directory Writers for a license transfer, Directory Readers else,
/// with the built-in table).
pub fn role_for_right(catalog: &Catalog, upgrade_type: UpgradeType) -> Option<RoleIdx> {
    let needed = needed_right(upgrade_type);
    catalog
        .roles()
        .find(|(_, role)| role.upgrade == needed && role.services != RoleServices::All)
        .map(|(idx, _)| idx)
}
