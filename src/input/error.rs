//! Errors that stop the run while the input files are read: those of the CSV
//! machinery, and those about how the Active-users exports in `users/` are named.

use crate::csvio::{CsvError, shown};

/// An input error that stops the run before any report is written.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(transparent)]
    Csv(#[from] CsvError),
    /// An Active-users export in `users/` whose name is no customer's id or domain.
    #[error(
        "{file}: no customer in customers.csv has the customer_id or domain {} \
         (name each Active-users export <customer_id>.csv or <domain>.csv)",
        shown(.name)
    )]
    UnknownTenant { file: String, name: String },
    /// An Active-users export named by a domain that several customers share.
    #[error(
        "{file}: the domain {} belongs to customers {}; name the export <customer_id>.csv",
        shown(.domain),
        .customers.iter().map(|id| shown(id).to_string()).collect::<Vec<_>>().join(", ")
    )]
    AmbiguousTenant {
        file: String,
        domain: String,
        customers: Vec<String>,
    },
    /// Two Active-users exports in `users/` for one customer.
    #[error(
        "{second}: customer {} already has an export, {first}; keep one of them",
        shown(.customer)
    )]
    TenantTwice {
        first: String,
        second: String,
        customer: String,
    },
    /// `admin_relationships.json` that is not a usable Graph export (malformed,
    /// truncated, flattened).
    #[error(transparent)]
    Graph(Box<super::graph::GraphError>),
    /// Both forms of the relationships in one folder: which one is meant is unclear.
    #[error(
        "admin_relationships.csv and admin_relationships.json are both in {dir}; \
         keep the one to read"
    )]
    BothRelationshipFiles { dir: String },
    /// Both license sources in one folder: reading one would silently drop the other.
    #[error(
        "license_assignments.csv and users/ (Active-users exports) are both in {dir}; \
         keep the one to read"
    )]
    BothLicenseSources { dir: String },
}

impl InputError {
    /// True when a file could not be opened or read at all (exit 66), false when
    /// its content is invalid (exit 65).
    pub fn is_unreadable(&self) -> bool {
        matches!(self, InputError::Csv(error) if error.is_unreadable())
    }
}
