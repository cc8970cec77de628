//! The service vocabulary of a catalog and a compact set of its services.
//!
//! A set is a bit set over the vocabulary's positions. The built-in catalog names
//! 17 services and custom catalogs rarely more than a few dozen, so the bits of up
//! to 128 services are kept inline — every rule check on services (coverage,
//! additional services, conflicts) is a few word operations without allocating —
//! and a catalog naming more spills to the heap: there is no limit.

use std::fmt;

/// Position of a service in its [`Vocabulary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceIdx(u32);

impl ServiceIdx {
    fn word(self) -> usize {
        (self.0 / 64) as usize
    }

    fn bit(self) -> u64 {
        1 << (self.0 % 64)
    }
}

/// Words of services kept inline: services 0 to 127.
const INLINE_WORDS: usize = 2;

/// A set of services of one vocabulary: the first 128 services' bits inline, the
/// rest (a catalog naming more) on the heap. Every operation on two sets of the
/// built-in catalog is a few word operations, without allocating or copying.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ServiceSet {
    low: [u64; INLINE_WORDS],
    /// The words of services from 128 on: `None` when the set holds none of them,
    /// else never ending in a zero word, so that equal sets are equal values (and
    /// hash alike).
    high: Option<Box<[u64]>>,
}

impl ServiceSet {
    pub const EMPTY: ServiceSet = ServiceSet {
        low: [0; INLINE_WORDS],
        high: None,
    };

    /// The set with `service` added.
    pub fn with(&self, service: ServiceIdx) -> ServiceSet {
        let mut set = self.clone();
        set.insert(service);
        set
    }

    pub fn insert(&mut self, service: ServiceIdx) {
        match service.word().checked_sub(INLINE_WORDS) {
            None => self.low[service.word()] |= service.bit(),
            Some(at) => {
                let mut words = self.high.take().map(Vec::from).unwrap_or_default();
                if words.len() <= at {
                    words.resize(at + 1, 0);
                }
                words[at] |= service.bit();
                self.high = Some(words.into_boxed_slice());
            }
        }
    }

    pub fn contains(&self, service: ServiceIdx) -> bool {
        let word = match service.word().checked_sub(INLINE_WORDS) {
            None => self.low[service.word()],
            Some(at) => self.high().get(at).copied().unwrap_or(0),
        };
        word & service.bit() != 0
    }

    pub fn union(&self, other: &ServiceSet) -> ServiceSet {
        let high = match (&self.high, &other.high) {
            (None, None) => None,
            (Some(high), None) | (None, Some(high)) => Some(high.clone()),
            (Some(a), Some(b)) => {
                let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                let mut words = long.clone();
                for (word, other) in words.iter_mut().zip(short.iter()) {
                    *word |= other;
                }
                Some(words)
            }
        };
        ServiceSet {
            low: [self.low[0] | other.low[0], self.low[1] | other.low[1]],
            high,
        }
    }

    pub fn intersection(&self, other: &ServiceSet) -> ServiceSet {
        let high = match (&self.high, &other.high) {
            (Some(a), Some(b)) => trimmed(a.iter().zip(b.iter()).map(|(a, b)| a & b).collect()),
            _ => None,
        };
        ServiceSet {
            low: [self.low[0] & other.low[0], self.low[1] & other.low[1]],
            high,
        }
    }

    /// The services of `self` that `other` lacks.
    pub fn minus(&self, other: &ServiceSet) -> ServiceSet {
        let high = self.high.as_ref().and_then(|words| {
            let others = other.high();
            trimmed(
                words
                    .iter()
                    .enumerate()
                    .map(|(i, word)| word & !others.get(i).copied().unwrap_or(0))
                    .collect(),
            )
        });
        ServiceSet {
            low: [self.low[0] & !other.low[0], self.low[1] & !other.low[1]],
            high,
        }
    }

    fn high(&self) -> &[u64] {
        self.high.as_deref().unwrap_or(&[])
    }

    pub fn is_empty(&self) -> bool {
        self.low == [0; INLINE_WORDS] && self.high.is_none()
    }

    /// True when the sets share a service.
    pub fn overlaps(&self, other: &ServiceSet) -> bool {
        (self.low[0] & other.low[0]) | (self.low[1] & other.low[1]) != 0
            || self
                .high()
                .iter()
                .zip(other.high())
                .any(|(a, b)| a & b != 0)
    }

    pub fn is_superset_of(&self, other: &ServiceSet) -> bool {
        let mine = self.high();
        (other.low[0] & !self.low[0]) | (other.low[1] & !self.low[1]) == 0
            && other
                .high()
                .iter()
                .enumerate()
                .all(|(i, word)| word & !mine.get(i).copied().unwrap_or(0) == 0)
    }

    pub fn len(&self) -> usize {
        self.words().map(|w| w.count_ones() as usize).sum()
    }

    /// Every word, inline ones first.
    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        self.low.iter().chain(self.high()).copied()
    }

    /// Services in vocabulary order.
    pub fn iter(&self) -> impl Iterator<Item = ServiceIdx> + '_ {
        self.words().enumerate().flat_map(|(i, word)| {
            // One step per set bit, lowest first.
            std::iter::successors((word != 0).then_some(word), |rest| {
                let rest = rest & (rest - 1);
                (rest != 0).then_some(rest)
            })
            .map(move |rest| ServiceIdx(i as u32 * 64 + rest.trailing_zeros()))
        })
    }
}

/// Words past the inline ones without their trailing zero words; `None` if all are zero.
fn trimmed(mut words: Vec<u64>) -> Option<Box<[u64]>> {
    while words.last() == Some(&0) {
        words.pop();
    }
    (!words.is_empty()).then(|| words.into_boxed_slice())
}

impl fmt::Debug for ServiceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let services: Vec<u32> = self.iter().map(|s| s.0).collect();
        write!(f, "ServiceSet({services:?})")
    }
}

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
            .map(|pos| ServiceIdx(pos as u32))
    }

    /// Adds a service unless it is known already.
    pub fn intern(&mut self, name: &str) -> ServiceIdx {
        if let Some(idx) = self.lookup(name) {
            return idx;
        }
        self.names.push(name.trim().into());
        ServiceIdx((self.names.len() - 1) as u32)
    }

    pub fn name(&self, service: ServiceIdx) -> &str {
        self.names.get(service.0 as usize).map_or("", |name| name)
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
    pub fn join(&self, set: &ServiceSet, separator: &str) -> String {
        let mut out = String::new();
        self.write_joined(&mut out, set, separator);
        out
    }

    /// Appends [`Vocabulary::join`]'s text to `out`.
    pub fn write_joined(&self, out: &mut String, set: &ServiceSet, separator: &str) {
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
        assert_eq!(ab.minus(&bc), ServiceSet::EMPTY.with(a));
        assert_eq!(ab.intersection(&bc), ServiceSet::EMPTY.with(b));
        assert_eq!(ab.union(&bc).len(), 3);
        assert!(ab.union(&bc).is_superset_of(&ab));
        assert!(!ab.is_superset_of(&bc));
        assert!(ab.overlaps(&bc));
        assert_eq!(vocabulary.join(&ab.union(&bc), ";"), "A;B;C");
    }

    /// More services than one word holds, and than the inline words hold: the same
    /// algebra, and equal sets are equal values however they were built.
    #[test]
    fn vocabularies_have_no_limit() {
        let mut vocabulary = Vocabulary::default();
        let services: Vec<ServiceIdx> = (0..300)
            .map(|i| vocabulary.intern(&format!("S{i}")))
            .collect();
        assert_eq!(vocabulary.len(), 300);
        assert_eq!(
            vocabulary.intern("s3"),
            services[3],
            "known names still resolve"
        );
        let set = |indices: &[usize]| {
            indices
                .iter()
                .fold(ServiceSet::EMPTY, |set, &i| set.with(services[i]))
        };
        let wide = set(&[1, 63, 64, 129, 299]);
        let narrow = set(&[1, 64]);
        assert_eq!(wide.len(), 5);
        assert!(wide.contains(services[299]) && !wide.contains(services[298]));
        assert_eq!(wide.minus(&set(&[129, 299])), set(&[1, 63, 64]));
        assert_eq!(wide.intersection(&narrow), narrow);
        assert_eq!(
            wide.minus(&wide),
            ServiceSet::EMPTY,
            "trailing zero words trimmed"
        );
        assert!(wide.minus(&wide).is_empty());
        assert_eq!(narrow.union(&set(&[299])), set(&[1, 64, 299]));
        let names: Vec<&str> = wide.iter().map(|s| vocabulary.name(s)).collect();
        assert_eq!(names, ["S1", "S63", "S64", "S129", "S299"]);
        assert!(!narrow.overlaps(&set(&[299])));
    }

    proptest::proptest! {
        /// Every operation agrees with the same operation on ordered sets.
        #[test]
        fn operations_agree_with_btree_sets(
            a in proptest::collection::btree_set(0u32..200, 0..40),
            b in proptest::collection::btree_set(0u32..200, 0..40),
        ) {
            let set = |items: &std::collections::BTreeSet<u32>| {
                let mut set = ServiceSet::EMPTY;
                for &i in items {
                    set.insert(ServiceIdx(i));
                }
                set
            };
            let items = |set: &ServiceSet| set.iter().map(|s| s.0).collect::<Vec<_>>();
            let (x, y) = (set(&a), set(&b));
            proptest::prop_assert_eq!(items(&x), a.iter().copied().collect::<Vec<_>>());
            proptest::prop_assert_eq!(items(&x.union(&y)), a.union(&b).copied().collect::<Vec<_>>());
            proptest::prop_assert_eq!(
                items(&x.intersection(&y)),
                a.intersection(&b).copied().collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(items(&x.minus(&y)), a.difference(&b).copied().collect::<Vec<_>>());
            proptest::prop_assert_eq!(x.is_superset_of(&y), a.is_superset(&b));
            proptest::prop_assert_eq!(x.overlaps(&y), !a.is_disjoint(&b));
            proptest::prop_assert_eq!(x.len(), a.len());
            // Equal sets are equal values, however they were made.
            proptest::prop_assert_eq!(x.minus(&y).union(&x.intersection(&y)), x.clone());
        }
    }
}
