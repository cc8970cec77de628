//! Rows of `license_assignments.csv`.

use std::collections::{BTreeMap, HashMap};

use super::error::{FieldProblem, RowProblems};
use super::fields::{required, services};
use super::lookup::{CustomerIndex, OfferResolver, UserInterner};
use super::table::{ColumnSpec, Row};
use crate::catalog::{Catalog, ServiceSet, lookup_key};
use crate::model::{Coverage, License};

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("customer_id"),
    ColumnSpec::required("user_principal_name"),
    ColumnSpec::required("offer"),
    ColumnSpec::optional("disabled_services"),
];
const CUSTOMER_ID: usize = 0;
const USER: usize = 1;
const OFFER: usize = 2;
const DISABLED: usize = 3;

/// State that spans the rows of the file.
pub struct LicenseParser<'a> {
    pub catalog: &'a Catalog,
    pub customers: &'a mut CustomerIndex,
    pub offers: &'a mut OfferResolver,
    pub users: UserInterner,
    /// (customer, user, offer key) → first line, for duplicate detection.
    pub seen: HashMap<(u32, u32, u32), u64>,
    /// Lower-case unknown offer → its number in the duplicate key space.
    pub unknown_keys: HashMap<String, u32>,
    /// Unknown offers as written (trimmed) → license rows.
    pub unknown_offers: BTreeMap<String, u64>,
}

/// Known offers use their index as duplicate key, unknown ones a number above every index.
const UNKNOWN_OFFER_BASE: u32 = 1 << 16;

impl LicenseParser<'_> {
    pub fn parse(&mut self, row: &Row<'_>, problems: &mut RowProblems) -> Option<License> {
        let name = |spec: usize| COLUMNS[spec].name;
        let field = |spec: usize| row.get(spec, COLUMNS);
        let customer = problems.take(
            field(CUSTOMER_ID)
                .and_then(|v| required(name(CUSTOMER_ID), v))
                .and_then(|v| self.customers.resolve(name(CUSTOMER_ID), v)),
        );
        let user_text = problems.take(field(USER).and_then(|v| required(name(USER), v)));
        let offer_text = problems.take(field(OFFER).and_then(|v| required(name(OFFER), v)));
        let disabled = problems.take(
            field(DISABLED)
                .and_then(|v| services(name(DISABLED), v, self.catalog.vocabulary(), false)),
        );
        let (customer, user_text, offer_text) = (customer?, user_text?, offer_text?);
        let user = self.users.intern(user_text);
        let offer = self.offers.resolve(self.catalog, offer_text);
        let offer_key = match offer {
            Some(offer) => u32::from(offer.0),
            None => {
                let next = UNKNOWN_OFFER_BASE + self.unknown_keys.len() as u32;
                *self
                    .unknown_keys
                    .entry(lookup_key(offer_text))
                    .or_insert(next)
            }
        };
        if let Some(&first) = self.seen.get(&(customer.0, user.0, offer_key)) {
            problems.push(FieldProblem::new(
                name(USER),
                format!("duplicate license of \"{user_text}\" for offer \"{offer_text}\" (first on line {first})"),
            ));
            return None;
        }
        self.seen.insert((customer.0, user.0, offer_key), row.line);
        if offer.is_none() && problems.is_empty() {
            *self
                .unknown_offers
                .entry(offer_text.to_owned())
                .or_default() += 1;
        }
        let disabled = match disabled? {
            Coverage::Services(set) => set,
            Coverage::All => ServiceSet::EMPTY,
        };
        Some(License {
            customer,
            user,
            offer,
            disabled,
        })
    }
}
