//! Checks 2 and 3 (exclusive): the customer must have a delegated-admin
//! relationship active on the as-of date, and together its active relationships
//! must cover every service of the target.

use chrono::NaiveDate;

use crate::catalog::ServiceSet;
use crate::decision::Failure;
use crate::model::{Coverage, Relationship};

/// What the customer's delegated-admin relationships grant on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminAccess {
    /// No relationship is active that day.
    None,
    /// The union of the services of every active relationship.
    Granted(Coverage),
}

/// The union of the relationships active on `as_of`.
pub fn admin_access(relationships: &[Relationship], as_of: NaiveDate) -> AdminAccess {
    relationships
        .iter()
        .filter(|relationship| relationship.is_active_on(as_of))
        .fold(AdminAccess::None, |access, relationship| {
            match (access, relationship.services) {
                (AdminAccess::Granted(Coverage::All), _) | (_, Coverage::All) => {
                    AdminAccess::Granted(Coverage::All)
                }
                (AdminAccess::Granted(Coverage::Services(a)), Coverage::Services(b)) => {
                    AdminAccess::Granted(Coverage::Services(a.union(b)))
                }
                (AdminAccess::None, Coverage::Services(b)) => {
                    AdminAccess::Granted(Coverage::Services(b))
                }
            }
        })
}

pub fn check_admin_access(access: AdminAccess, target_services: ServiceSet) -> Option<Failure> {
    match access {
        AdminAccess::None => Some(Failure::NoActiveAdminRelationship),
        AdminAccess::Granted(Coverage::All) => None,
        AdminAccess::Granted(Coverage::Services(granted)) => {
            let missing = target_services.minus(granted);
            (!missing.is_empty()).then_some(Failure::MissingAdminServices { missing })
        }
    }
}
