//! Rows of `subscriptions.csv`.

use super::fields::{known_value, quantity, required};
use super::loaded::SUBSCRIPTIONS;
use super::lookup::{CustomerIndex, FoldedMap, OfferCache, RecentCustomer, duplicate};
use super::rejected::late_row;
use crate::catalog::Catalog;
use crate::csvio::{ChunkOutput, ColumnSpec, Rejects, Row, RowParser, RowProblems};
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

pub struct SubscriptionParser<'a> {
    pub catalog: &'a Catalog,
    pub customers: &'a CustomerIndex,
}

/// What a chunk's rows share: offer spellings and the previous row's customer.
#[derive(Debug, Default)]
pub struct SubscriptionChunk {
    offers: OfferCache,
    customer: RecentCustomer,
}

impl RowParser for SubscriptionParser<'_> {
    /// The subscription with its line (duplicate ids are found in file order later).
    type Item = (u64, Subscription);
    type Local = SubscriptionChunk;

    fn parse(
        &self,
        row: &Row<'_>,
        problems: &mut RowProblems,
        chunk: &mut SubscriptionChunk,
    ) -> Option<(u64, Subscription)> {
        let name = |spec: usize| COLUMNS[spec].name;
        let text = |spec: usize| row.get(spec, COLUMNS).and_then(|v| required(name(spec), v));
        let id = problems.take(text(SUBSCRIPTION_ID));
        let customer = problems.take(text(CUSTOMER_ID).and_then(|v| {
            let (idx, _) = chunk
                .customer
                .resolve(self.customers, name(CUSTOMER_ID), v)?;
            Ok(idx)
        }));
        let offer_text = problems.take(text(OFFER));
        let status = problems.take(text(STATUS).and_then(|v| known_value(name(STATUS), v, None)));
        let quantity = problems.take(
            row.get(QUANTITY, COLUMNS)
                .and_then(|v| quantity(name(QUANTITY), v)),
        );
        let channel = problems.take(
            row.get(CHANNEL, COLUMNS)
                .and_then(|v| known_value(name(CHANNEL), v, Some(Channel::ThisPartner))),
        );
        let (offer_text, offer) = chunk.offers.resolve_shared(self.catalog, offer_text?);
        let subscription = Subscription {
            id: id?.into(),
            customer: customer?,
            offer,
            offer_text,
            status: status?,
            quantity: quantity?,
            channel: channel?,
        };
        Some((row.line, subscription))
    }
}

/// Takes the rows out of `chunks` (in file order): the first row of each id
/// (compared ASCII case-insensitively) is accepted, every later one is a
/// duplicate, rejected into `duplicates` (its text still to be read back).
pub fn first_of_each_id<L>(
    chunks: &mut [ChunkOutput<(u64, Subscription), L>],
    mut duplicates: Rejects,
) -> (Vec<Subscription>, Rejects) {
    let ids = || {
        chunks
            .iter()
            .flat_map(|chunk| &chunk.items)
            .map(|(_, s)| &s.id)
    };
    let rows = ids().count();
    let mut first_lines: FoldedMap<u64> =
        FoldedMap::with_capacity(rows, ids().map(|id| id.len()).sum());
    let mut accepted = Vec::with_capacity(rows);
    for chunk in chunks {
        for (line, subscription) in std::mem::take(&mut chunk.items) {
            if let Some(&mut first) = first_lines.get_or_insert(&subscription.id, line) {
                duplicates.push_with(1, || {
                    let column = COLUMNS[SUBSCRIPTION_ID].name;
                    let problem = duplicate(column, &subscription.id, first);
                    late_row(SUBSCRIPTIONS, line, problem)
                });
            } else {
                accepted.push(subscription);
            }
        }
    }
    (accepted, duplicates)
}
