//! Rows of `license_assignments.csv`: about 40 users per customer, each holding one or
//! two licenses of different offers — mostly offers the customer subscribes to, some
//! add-ons, ≈ 3 % offers the catalog does not know — ≈ 10 % with disabled services.

use std::io;

use super::customers::{Customer, push_domain};
use super::format::{push_str, push_u64};
use super::rng::SplitMix64;
use super::sink::Sink;
use super::subscriptions::Holdings;
use super::vocabulary::{
    LICENSE_EXTRA_WEIGHTS, LICENSE_SPELLINGS, OFFERS, UNKNOWN_LICENSE_OFFERS, push_offer,
    push_services, some_services,
};

/// The offer of one license.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LicenseOffer {
    /// An `OFFERS` index.
    Known(usize),
    /// One of `UNKNOWN_LICENSE_OFFERS` (all distinct, so equal text is the same offer).
    Unknown(&'static str),
}

/// Writes the license assignments of `customer`'s users.
pub(super) fn write_licenses(
    sink: &mut Sink,
    rng: &mut SplitMix64,
    customer: &Customer,
    holdings: &Holdings,
) -> io::Result<()> {
    let users = match rng.below(1000) {
        0..=39 => 0,
        40..=59 => rng.range(150, 400),
        _ => 1 + (rng.below(96) * rng.below(96)) / 96,
    };
    for user in 1..=users {
        let first = license_offer(rng, holdings);
        write_license(&mut sink.buf, rng, customer, user, first);
        sink.end_row()?;
        if rng.chance(420) {
            for _ in 0..8 {
                let second = license_offer(rng, holdings);
                if second != first {
                    write_license(&mut sink.buf, rng, customer, user, second);
                    sink.end_row()?;
                    break;
                }
            }
        }
    }
    Ok(())
}

fn license_offer(rng: &mut SplitMix64, holdings: &Holdings) -> LicenseOffer {
    let r = rng.below(1000);
    if r < 30 {
        LicenseOffer::Unknown(rng.pick(&UNKNOWN_LICENSE_OFFERS))
    } else if r < 850 && !holdings.is_empty() {
        LicenseOffer::Known(holdings.pick(rng))
    } else {
        LicenseOffer::Known(rng.weighted(&LICENSE_EXTRA_WEIGHTS))
    }
}

fn write_license(
    buf: &mut Vec<u8>,
    rng: &mut SplitMix64,
    customer: &Customer,
    user: u64,
    offer: LicenseOffer,
) {
    buf.extend_from_slice(&customer.id);
    push_str(buf, ",u");
    push_u64(buf, user);
    buf.push(b'@');
    push_domain(buf, customer.number);
    buf.push(b',');
    let index = match offer {
        LicenseOffer::Unknown(name) => {
            push_str(buf, name);
            buf.push(b',');
            return;
        }
        LicenseOffer::Known(index) => index,
    };
    push_offer(buf, rng, index, &LICENSE_SPELLINGS);
    buf.push(b',');
    if rng.chance(100) {
        let count = 1 + rng.below(3) as u32;
        push_services(buf, some_services(rng, OFFERS[index].services, count));
    }
}
