//! The accepted input records and their enum values, as the rules see them.

use chrono::NaiveDate;

use crate::catalog::{MAX_ENTRIES, OfferIdx, RoleIdx, ServiceSet};

/// An enum whose values are written in input files.
pub trait KnownValues: Copy + Sized + 'static {
    /// Every value with its spelling in input files (and reports), in contract order.
    const VALUES: &'static [(&'static str, Self)];

    fn as_str(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::VALUES
            .iter()
            .find(|(_, value)| *value == self)
            .map_or("", |(name, _)| name)
    }
}

/// Index of a customer in its [`Dataset`](super::Dataset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CustomerIdx(pub u32);

/// Index of an interned user principal name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserIdx(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubscriptionStatus {
    Active,
    Pending,
    Suspended,
    Disabled,
    Expired,
    Deleted,
    Cancelled,
}

impl KnownValues for SubscriptionStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("active", Self::Active),
        ("pending", Self::Pending),
        ("suspended", Self::Suspended),
        ("disabled", Self::Disabled),
        ("expired", Self::Expired),
        ("deleted", Self::Deleted),
        ("cancelled", Self::Cancelled),
    ];
}

impl SubscriptionStatus {
    /// A customer *holds* a subscription in these states (contract §4).
    pub fn is_held(self) -> bool {
        matches!(self, Self::Active | Self::Pending | Self::Suspended)
    }
}

/// Who sold a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    ThisPartner,
    OtherPartner,
    Direct,
}

impl KnownValues for Channel {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("this_partner", Self::ThisPartner),
        ("other_partner", Self::OtherPartner),
        ("direct", Self::Direct),
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelationshipStatus {
    Active,
    Expiring,
    ApprovalPending,
    Approved,
    Activating,
    Created,
    Expired,
    Terminated,
    Terminating,
    TerminationRequested,
}

impl KnownValues for RelationshipStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("active", Self::Active),
        ("expiring", Self::Expiring),
        ("approvalpending", Self::ApprovalPending),
        ("approved", Self::Approved),
        ("activating", Self::Activating),
        ("created", Self::Created),
        ("expired", Self::Expired),
        ("terminated", Self::Terminated),
        ("terminating", Self::Terminating),
        ("terminationrequested", Self::TerminationRequested),
    ];
}

impl RelationshipStatus {
    /// Statuses under which a relationship grants access (contract §2).
    pub fn grants_access(self) -> bool {
        matches!(self, Self::Active | Self::Expiring)
    }
}

/// The services a delegated-admin relationship covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// `*`: every service.
    All,
    Services(ServiceSet),
}

/// A customer row. `country` is checked when read but not kept: no rule or
/// report uses it.
///
/// The texts share one allocation (a partner has up to millions of customers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    text: Box<str>,
    /// Where the id, company name and domain end in `text`; the account manager follows.
    ends: [u32; 3],
}

impl Customer {
    pub fn new(id: &str, company_name: &str, domain: &str, account_manager: &str) -> Customer {
        let parts = [id, company_name, domain, account_manager];
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u32; 3];
        for (i, part) in parts.into_iter().enumerate() {
            text.push_str(part);
            if let Some(end) = ends.get_mut(i) {
                // A customer row's texts come from one CSV record of at most a few MiB.
                *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
            }
        }
        Customer {
            text: text.into_boxed_str(),
            ends,
        }
    }

    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self
            .ends
            .get(i)
            .map_or(self.text.len(), |&end| end as usize);
        self.text.get(start..end).unwrap_or("")
    }

    pub fn id(&self) -> &str {
        self.part(0)
    }

    pub fn company_name(&self) -> &str {
        self.part(1)
    }

    pub fn domain(&self) -> &str {
        self.part(2)
    }

    /// Empty when the customer has none.
    pub fn account_manager(&self) -> &str {
        self.part(3)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: Box<str>,
    pub customer: CustomerIdx,
    /// `None` when the catalog does not know the offer.
    pub offer: Option<OfferIdx>,
    /// The offer as written in the input, trimmed.
    /// Shared by the subscriptions of one spelling.
    pub offer_text: std::sync::Arc<str>,
    pub status: SubscriptionStatus,
    pub quantity: u64,
    pub channel: Channel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    /// Empty when the input has none.
    pub id: Box<str>,
    pub customer: CustomerIdx,
    pub status: RelationshipStatus,
    /// The `services` value; `None` when the row has none (a role-only GDAP
    /// relationship). A relationship with one is delegated admin in the v1 sense.
    pub services: Option<Coverage>,
    /// The roles the catalog knows, each once, in the order given.
    pub roles: Box<[RoleIdx]>,
    /// The relationship's display name (Graph's `displayName`); empty when none.
    pub display_name: Box<str>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Relationship {
    /// Valid on `day`: a granting status and `start ≤ day ≤ end` (absent bounds are open).
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.status.grants_access()
            && self.start.is_none_or(|start| start <= day)
            && self.end.is_none_or(|end| day <= end)
    }
}

/// The offer of a license: a catalog offer, or an unknown offer's spelling
/// (an index into the table of unknown spellings), which the rules ignore.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LicenseOffer(u32);

/// Unknown spellings are numbered above every possible [`OfferIdx`].
const UNKNOWN_OFFER_BASE: u32 = 1 << 16;
const _: () = assert!(MAX_ENTRIES <= UNKNOWN_OFFER_BASE as usize);

impl LicenseOffer {
    pub fn known(offer: OfferIdx) -> LicenseOffer {
        LicenseOffer(u32::from(offer.0))
    }

    pub fn unknown(spelling: u32) -> LicenseOffer {
        LicenseOffer(UNKNOWN_OFFER_BASE.saturating_add(spelling))
    }

    /// The catalog offer, if the catalog knows it.
    pub fn offer(self) -> Option<OfferIdx> {
        u16::try_from(self.0).ok().map(OfferIdx)
    }

    /// The number that orders license offers (catalog offers first).
    pub fn raw(self) -> u32 {
        self.0
    }

    /// The index of the unknown offer's spelling.
    pub fn unknown_spelling(self) -> Option<u32> {
        self.0.checked_sub(UNKNOWN_OFFER_BASE)
    }
}

/// The services disabled in a license: an index into the dataset's table of the
/// distinct sets (an export has a few hundred of them, for millions of rows), so
/// that a license row stays small whatever the vocabulary's size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DisabledIdx(pub u32);

impl DisabledIdx {
    /// No service disabled: the first entry of every table.
    pub const NONE: DisabledIdx = DisabledIdx(0);
}

/// One user's license of one offer (whose customer [`LicenseRows`] records, so
/// that the millions of rows take 16 bytes each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct License {
    pub user: UserIdx,
    pub offer: LicenseOffer,
    /// Line of the row in its file, for duplicate reports.
    pub line: u32,
    pub disabled: DisabledIdx,
}

/// License rows of one piece of the input (a chunk of the license file, or a
/// `users/` export) in file order, with their customers.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LicenseRows {
    pub rows: Vec<License>,
    pub customers: CustomerRuns,
}

impl LicenseRows {
    /// Adds `license`, a row of `customer`.
    pub fn push(&mut self, customer: CustomerIdx, license: License) {
        self.rows.push(license);
        self.customers.note(customer, 1);
    }
}

/// The customer of each run of consecutive rows of a list, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CustomerRuns(Vec<(CustomerIdx, u32)>);

impl CustomerRuns {
    /// Notes that the next `rows` rows of the list are `customer`'s.
    pub fn note(&mut self, customer: CustomerIdx, rows: u32) {
        match self.0.last_mut() {
            Some((last, count)) if *last == customer => *count += rows,
            _ if rows == 0 => {}
            _ => self.0.push((customer, rows)),
        }
    }

    /// (customer, number of rows) of each run, in order.
    pub fn runs(&self) -> &[(CustomerIdx, u32)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_runs_join_consecutive_rows_only() {
        let mut runs = CustomerRuns::default();
        let (a, b) = (CustomerIdx(7), CustomerIdx(3));
        runs.note(a, 1);
        runs.note(a, 2);
        runs.note(b, 0);
        runs.note(b, 1);
        runs.note(a, 1);
        assert_eq!(runs.runs(), [(a, 3), (b, 1), (a, 1)]);
    }

    #[test]
    fn a_customer_gives_back_its_four_texts() {
        for (id, name, domain, manager) in [
            ("c1", "Müller GmbH", "mueller.example", "Stefanie Groß"),
            ("", "", "", ""),
            ("ä", "", "x", ""),
            ("", "", "", "ö"),
        ] {
            let customer = Customer::new(id, name, domain, manager);
            assert_eq!(
                (
                    customer.id(),
                    customer.company_name(),
                    customer.domain(),
                    customer.account_manager()
                ),
                (id, name, domain, manager)
            );
        }
    }
}
