//! Rows of `admin_relationships.csv`: 0–2 delegated-admin relationships per customer,
//! active with `*` or with a partial granular service list, expiring, expired (end before
//! the as-of date), future (start in 2027), terminated and pending; ≈ 2 % without an id.

use std::io;

use super::customers::Customer;
use super::format::{Case, days_from_civil, push_cased, push_date};
use super::ids::Keys;
use super::rng::SplitMix64;
use super::sink::Sink;
use super::subscriptions::Holdings;
use super::vocabulary::{
    ALL_SERVICES, E1, E3, E5, EXCHANGE, OFFERS, SPB, STANDARD, TEAMS, push_services, some_services,
};

/// Writes the relationships of `customer` as they stand on day `as_of`.
pub(super) fn write_relationships(
    sink: &mut Sink,
    rng: &mut SplitMix64,
    keys: &Keys,
    customer: &Customer,
    holdings: &Holdings,
    as_of: i64,
) -> io::Result<()> {
    let count = rng.weighted(&[12, 60, 28]);
    for k in 0..count {
        let buf = &mut sink.buf;
        if !rng.chance(20) {
            buf.extend_from_slice(&keys.relationship_id(customer.number, k as u64));
        }
        buf.push(b',');
        buf.extend_from_slice(&customer.id);
        buf.push(b',');
        write_relationship(buf, rng, holdings, as_of);
        sink.end_row()?;
    }
    Ok(())
}

/// status,services,start_date,end_date of one delegated-admin relationship.
fn write_relationship(buf: &mut Vec<u8>, rng: &mut SplitMix64, holdings: &Holdings, as_of: i64) {
    const GDAP_DAYS: i64 = 730;
    let kind = rng.weighted(&[30, 33, 5, 12, 8, 9, 3]);
    let (status, start, end): (&str, Option<i64>, Option<i64>) = match kind {
        // active, all services / a granular list
        0 | 1 => {
            let start = as_of - rng.range(30, 700) as i64;
            let end = if rng.chance(100) {
                None
            } else {
                Some(start + GDAP_DAYS)
            };
            (
                "active",
                if rng.chance(50) { None } else { Some(start) },
                end,
            )
        }
        // expiring within the month
        2 => {
            let end = as_of + rng.range(0, 30) as i64;
            ("expiring", Some(end - GDAP_DAYS), Some(end))
        }
        // expired: ended before the as-of date, sometimes still marked active
        3 => {
            let end = as_of - rng.range(1, 600) as i64;
            let start = end - rng.range(30, GDAP_DAYS as u64) as i64;
            (
                if rng.chance(300) { "active" } else { "expired" },
                Some(start),
                Some(end),
            )
        }
        // future: starts in 2027
        4 => {
            let start = days_from_civil(2027, 1, 1) + rng.range(0, 300) as i64;
            let status = rng.pick(&[
                "active",
                "approved",
                "approvalpending",
                "activating",
                "created",
            ]);
            (status, Some(start), Some(start + GDAP_DAYS))
        }
        // terminated or on its way there
        5 => {
            let start = as_of - rng.range(60, 900) as i64;
            let status = rng.pick(&[
                "terminated",
                "terminated",
                "terminating",
                "terminationrequested",
            ]);
            (status, Some(start), Some(start + GDAP_DAYS))
        }
        // never approved
        _ => (rng.pick(&["approvalpending", "created"]), None, None),
    };
    // Enum values compare case-insensitively; some exports capitalise them.
    let case = if rng.chance(20) {
        Case::Capitalised
    } else {
        Case::AsIs
    };
    push_cased(buf, status, case);
    buf.push(b',');
    if kind == 0 || (kind != 1 && rng.chance(400)) {
        buf.push(b'*');
    } else {
        push_services(buf, granular_services(rng, holdings));
    }
    buf.push(b',');
    if let Some(start) = start {
        push_date(buf, start);
    }
    buf.push(b',');
    if let Some(end) = end {
        push_date(buf, end);
    }
}

/// A partial service list as granular admin roles give it: the services of something the
/// customer has or might upgrade to, give or take a few. Never empty.
fn granular_services(rng: &mut SplitMix64, holdings: &Holdings) -> u32 {
    const TARGETS: [u32; 5] = [STANDARD, E1, E3, E5, SPB];
    let mask = match rng.below(3) {
        0 if !holdings.is_empty() => {
            let held = OFFERS[holdings.pick(rng)].services;
            let extra = rng.below(3) as u32;
            held | some_services(rng, ALL_SERVICES, extra)
        }
        1 => {
            let target = rng.pick(&TARGETS);
            let dropped = rng.below(3) as u32;
            target & !some_services(rng, target, dropped)
        }
        _ => {
            let dropped = 1 + rng.below(4) as u32;
            ALL_SERVICES & !some_services(rng, ALL_SERVICES, dropped)
        }
    };
    if mask == 0 { EXCHANGE | TEAMS } else { mask }
}
