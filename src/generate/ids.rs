//! Row ids and random streams, keyed by the seed: GUIDs for customers, subscriptions
//! and relationships, and one SplitMix64 stream per customer.
//!
//! Each id is a bijection of `(namespace key, row number)`, so ids never repeat within
//! a file, and every customer's stream depends only on `(seed, customer number)`.

use super::rng::{SplitMix64, mix64};

/// Per-seed keys of the id namespaces and of the customers' streams.
pub(super) struct Keys {
    stream: u64,
    customer: u64,
    subscription: u64,
    relationship: u64,
}

impl Keys {
    pub(super) fn new(seed: u64) -> Keys {
        let base = mix64(seed ^ 0x7570_6772_6164_6521);
        Keys {
            stream: mix64(base ^ 1),
            customer: mix64(base ^ 2),
            subscription: mix64(base ^ 3),
            relationship: mix64(base ^ 4),
        }
    }

    /// The stream all of customer `number`'s random choices come from.
    pub(super) fn stream(&self, number: u64) -> SplitMix64 {
        SplitMix64::new(self.stream ^ mix64(number))
    }

    /// The id of customer `number`.
    pub(super) fn customer_id(&self, number: u64) -> [u8; 36] {
        keyed_guid(self.customer, number, 0x5EED)
    }

    /// The id of subscription `k` (below 8) of customer `number`.
    pub(super) fn subscription_id(&self, number: u64, k: u64) -> [u8; 36] {
        keyed_guid(self.subscription, (number << 3) | k, 0x50B)
    }

    /// The id of relationship `k` (below 4) of customer `number`.
    pub(super) fn relationship_id(&self, number: u64, k: u64) -> [u8; 36] {
        keyed_guid(self.relationship, (number << 2) | k, 0x6DA9)
    }
}

/// The GUID of row `n` in the namespace of `key`; `salt` varies the non-unique bits.
fn keyed_guid(key: u64, n: u64, salt: u64) -> [u8; 36] {
    let unique = mix64(n ^ key);
    guid(unique, mix64(unique ^ salt))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A version-4-looking GUID whose 64 bits of `unique` are all kept (so distinct
/// `unique` values give distinct GUIDs); `noise` fills the rest.
pub(super) fn guid(unique: u64, noise: u64) -> [u8; 36] {
    let mut nibbles = [0u8; 32];
    for (i, n) in nibbles[..12].iter_mut().enumerate() {
        *n = (unique >> (60 - 4 * i)) as u8 & 15;
    }
    nibbles[12] = 4;
    for (i, n) in nibbles[13..16].iter_mut().enumerate() {
        *n = (unique >> (12 - 4 * i)) as u8 & 15;
    }
    nibbles[16] = 8 | (noise as u8 & 3);
    nibbles[17] = unique as u8 & 15;
    for (i, n) in nibbles[18..].iter_mut().enumerate() {
        *n = (noise >> (8 + 4 * i)) as u8 & 15;
    }
    let mut out = [b'-'; 36];
    let mut j = 0;
    for (i, &n) in nibbles.iter().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            j += 1;
        }
        out[j] = HEX[n as usize];
        j += 1;
    }
    out
}
