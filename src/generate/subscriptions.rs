//! Rows of `subscriptions.csv`: 1–6 per customer (≈ 2.5 on average), offers spelled in
//! every way the catalog knows (≈ 3 % unknown offers), every status, quantities spread
//! around the 300-seat limit, and about 15 % sold by another partner or Microsoft.

use std::io;

use super::customers::Customer;
use super::format::{Case, push_cased, push_str, push_u64};
use super::ids::Keys;
use super::rng::SplitMix64;
use super::sink::Sink;
use super::vocabulary::{
    SUB_STATUSES, SUB_WEIGHTS_GLOBAL, SUB_WEIGHTS_INDIA, SUBSCRIPTION_SPELLINGS,
    UNKNOWN_SUB_OFFERS, UNKNOWN_SUB_WEIGHTS, push_offer,
};

/// Known offers of one customer's subscriptions, which its relationships' service lists
/// and its users' licenses mostly follow.
pub(super) struct Holdings {
    offers: [u8; 6],
    len: usize,
}

impl Holdings {
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// One of the held offers (an `OFFERS` index), all equally likely; the holdings must
    /// not be empty.
    pub(super) fn pick(&self, rng: &mut SplitMix64) -> usize {
        usize::from(self.offers[rng.below(self.len as u64) as usize])
    }

    fn push(&mut self, index: usize) {
        self.offers[self.len] = index as u8;
        self.len += 1;
    }
}

/// Writes the subscriptions of `customer` and returns the known offers among them.
pub(super) fn write_subscriptions(
    sink: &mut Sink,
    rng: &mut SplitMix64,
    keys: &Keys,
    customer: &Customer,
) -> io::Result<Holdings> {
    let count = 1 + rng.weighted(&[28, 30, 20, 11, 7, 4]);
    let mut holdings = Holdings {
        offers: [0; 6],
        len: 0,
    };
    for k in 0..count {
        let buf = &mut sink.buf;
        buf.extend_from_slice(&keys.subscription_id(customer.number, k as u64));
        buf.push(b',');
        buf.extend_from_slice(&customer.id);
        buf.push(b',');
        if rng.chance(30) {
            let unknown = rng.weighted(&UNKNOWN_SUB_WEIGHTS);
            push_str(buf, UNKNOWN_SUB_OFFERS[unknown]);
        } else {
            let index = rng.weighted(if customer.india {
                &SUB_WEIGHTS_INDIA
            } else {
                &SUB_WEIGHTS_GLOBAL
            });
            holdings.push(index);
            push_offer(buf, rng, index, &SUBSCRIPTION_SPELLINGS);
        }
        buf.push(b',');
        let status = rng.weighted(&[820, 30, 50, 20, 30, 20, 30]);
        let case = if rng.chance(30) {
            Case::Capitalised
        } else {
            Case::AsIs
        };
        push_cased(buf, SUB_STATUSES[status], case);
        buf.push(b',');
        let quantity = match rng.below(1000) {
            0..=29 => 0,
            30..=549 => rng.range(1, 25),
            550..=799 => rng.range(26, 120),
            800..=899 => rng.range(121, 279),
            900..=969 => rng.range(280, 350),
            _ => rng.range(351, 2500),
        };
        push_u64(buf, quantity);
        buf.push(b',');
        match rng.below(1000) {
            0..=199 => {} // empty: this_partner by default
            200..=849 => push_str(buf, "this_partner"),
            850..=949 => push_str(buf, "other_partner"),
            _ => push_str(buf, "direct"),
        }
        sink.end_row()?;
    }
    Ok(holdings)
}
