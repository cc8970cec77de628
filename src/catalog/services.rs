//! The service vocabulary of a catalog and a compact set of its services.
//!
//! A catalog names at most 32 services, so a set of them is one `u32`: every rule
//! check on services (coverage, additional services, conflicts) is a few bit
//! operations instead of a hash lookup.

use std::fmt;

/// Position of a service in its [`Vocabulary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceIdx(u8);

/// A set of services of one vocabulary.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ServiceSet(u32);

impl ServiceSet {
    pub const EMPTY: ServiceSet = ServiceSet(0);

    pub fn with(self, service: ServiceIdx) -> ServiceSet {
        ServiceSet(self.0 | 1 << service.0)
    }

    pub fn contains(self, service: ServiceIdx) -> bool {
        self.0 & (1 << service.0) != 0
    }

    pub fn union(self, other: ServiceSet) -> ServiceSet {
        ServiceSet(self.0 | other.0)
    }

    pub fn intersection(self, other: ServiceSet) -> ServiceSet {
        ServiceSet(self.0 & other.0)
    }

    /// The services of `self` that `other` lacks.
    pub fn minus(self, other: ServiceSet) -> ServiceSet {
        ServiceSet(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn is_superset_of(self, other: ServiceSet) -> bool {
        other.minus(self).is_empty()
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Services in vocabulary order.
    pub fn iter(self) -> impl Iterator<Item = ServiceIdx> {
        (0..MAX_SERVICES as u8)
            .filter(move |bit| self.0 & (1 << bit) != 0)
            .map(ServiceIdx)
    }
}

impl fmt::Debug for ServiceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServiceSet({:#b})", self.0)
    }
}

/// Maximum number of distinct services one catalog may name.
pub const MAX_SERVICES: usize = 32;

/// The services a catalog names, in the order it first names them.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    names: Vec<Box<str>>,
}

impl Vocabulary {
    /// Finds a service by name, ignoring ASCII case and surrounding white space.
    pub fn lookup(&self, name: &str) -> Option<ServiceIdx> {
        let name = name.trim();
        self.names
            .iter()
            .position(|known| known.eq_ignore_ascii_case(name))
            .map(|pos| ServiceIdx(pos as u8))
    }

    /// Adds a service unless it is known already; `None` once the vocabulary is full.
    pub fn intern(&mut self, name: &str) -> Option<ServiceIdx> {
        if let Some(idx) = self.lookup(name) {
            return Some(idx);
        }
        if self.names.len() >= MAX_SERVICES {
            return None;
        }
        self.names.push(name.trim().into());
        Some(ServiceIdx((self.names.len() - 1) as u8))
    }

    pub fn name(&self, service: ServiceIdx) -> &str {
        &self.names[usize::from(service.0)]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|name| &**name)
    }

    /// Names of the services in `set`, in vocabulary order, joined by `separator`.
    pub fn join(&self, set: ServiceSet, separator: &str) -> String {
        let mut out = String::new();
        self.write_joined(&mut out, set, separator);
        out
    }

    /// Appends [`Vocabulary::join`]'s text to `out`.
    pub fn write_joined(&self, out: &mut String, set: ServiceSet, separator: &str) {
        for (i, service) in set.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(self.name(service));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(names: &[&str]) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for name in names {
            vocabulary.intern(name);
        }
        vocabulary
    }

    #[test]
    fn lookup_ignores_case_and_space() {
        let vocabulary = vocabulary(&["Exchange", "SharePoint"]);
        assert_eq!(
            vocabulary.lookup(" sharepoint "),
            vocabulary.lookup("SharePoint")
        );
        assert!(vocabulary.lookup("SharePoint").is_some());
        assert_eq!(vocabulary.lookup("Teams"), None);
    }

    #[test]
    fn set_algebra() {
        let vocabulary = vocabulary(&["A", "B", "C"]);
        let [a, b, c] = ["A", "B", "C"].map(|n| vocabulary.lookup(n).unwrap());
        let ab = ServiceSet::EMPTY.with(a).with(b);
        let bc = ServiceSet::EMPTY.with(b).with(c);
        assert_eq!(ab.minus(bc), ServiceSet::EMPTY.with(a));
        assert_eq!(ab.intersection(bc), ServiceSet::EMPTY.with(b));
        assert_eq!(ab.union(bc).len(), 3);
        assert!(ab.union(bc).is_superset_of(ab));
        assert!(!ab.is_superset_of(bc));
        assert_eq!(vocabulary.join(ab.union(bc), ";"), "A;B;C");
    }

    #[test]
    fn vocabulary_is_bounded() {
        let mut vocabulary = Vocabulary::default();
        for i in 0..MAX_SERVICES {
            assert!(vocabulary.intern(&format!("S{i}")).is_some());
        }
        assert_eq!(vocabulary.intern("one too many"), None);
        assert!(
            vocabulary.intern("s3").is_some(),
            "known names still resolve"
        );
    }
}
