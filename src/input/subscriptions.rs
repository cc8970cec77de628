//! Rows of `subscriptions.csv`.

use std::collections::HashMap;

use super::error::RowProblems;
use super::fields::{known_value, quantity, required};
use super::lookup::{CustomerIndex, OfferResolver, duplicate};
use super::table::{ColumnSpec, Row};
use crate::catalog::Catalog;
use crate::model::{Channel, Subscription};

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("subscription_id"),
    ColumnSpec::required("customer_id"),
    ColumnSpec::required("offer"),
    ColumnSpec::required("status"),
    ColumnSpec::required("quantity"),
    ColumnSpec::optional("channel"),
];
const SUBSCRIPTION_ID: usize = 0;
const CUSTOMER_ID: usize = 1;
const OFFER: usize = 2;
const STATUS: usize = 3;
const QUANTITY: usize = 4;
const CHANNEL: usize = 5;

/// State that spans the rows of the file.
pub struct SubscriptionParser<'a> {
    pub catalog: &'a Catalog,
    pub customers: &'a mut CustomerIndex,
    pub offers: &'a mut OfferResolver,
    /// Lower-case subscription id → first line.
    pub seen: HashMap<Box<str>, u64>,
}

impl SubscriptionParser<'_> {
    pub fn parse(&mut self, row: &Row<'_>, problems: &mut RowProblems) -> Option<Subscription> {
        let field = |spec: usize| {
            row.get(spec, COLUMNS)
                .and_then(|value| match COLUMNS[spec].required {
                    true => required(COLUMNS[spec].name, value),
                    false => Ok(value),
                })
        };
        let id = problems.take(field(SUBSCRIPTION_ID));
        let customer = problems.take(
            field(CUSTOMER_ID).and_then(|v| self.customers.resolve(COLUMNS[CUSTOMER_ID].name, v)),
        );
        let offer_text = problems.take(field(OFFER));
        let status =
            problems.take(field(STATUS).and_then(|v| known_value(COLUMNS[STATUS].name, v, None)));
        let quantity = problems.take(
            row.get(QUANTITY, COLUMNS)
                .and_then(|v| quantity(COLUMNS[QUANTITY].name, v)),
        );
        let channel = problems.take(
            field(CHANNEL)
                .and_then(|v| known_value(COLUMNS[CHANNEL].name, v, Some(Channel::ThisPartner))),
        );
        let id = id?;
        let key = id.to_ascii_lowercase().into_boxed_str();
        match self.seen.get(&key) {
            Some(&first) => problems.push(duplicate(COLUMNS[SUBSCRIPTION_ID].name, id, first)),
            None => {
                self.seen.insert(key, row.line);
            }
        }
        let offer_text = offer_text?;
        Some(Subscription {
            id: id.into(),
            customer: customer?,
            offer: self.offers.resolve(self.catalog, offer_text),
            offer_text: offer_text.into(),
            status: status?,
            quantity: quantity?,
            channel: channel?,
        })
    }
}
