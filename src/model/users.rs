//! User principal names, lower-cased and stored back to back in one string, so
//! millions of users cost two allocations rather than millions.

use super::records::UserIdx;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Users {
    text: String,
    /// Where each name starts in `text`; a name ends where the next one starts.
    starts: Vec<usize>,
    /// First index of each part added by [`Users::append`]; within one part every
    /// name is held once, so there equal indices mean equal names.
    segments: Vec<u32>,
}

impl Users {
    pub fn push(&mut self, name: &str) -> UserIdx {
        let idx = UserIdx(self.starts.len() as u32);
        self.starts.push(self.text.len());
        self.text.push_str(name);
        idx
    }

    pub fn name(&self, user: UserIdx) -> &str {
        let i = user.0 as usize;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        &self.text[self.starts[i]..end]
    }

    /// Reserves room for `names` more names of `bytes` bytes in all.
    pub fn reserve(&mut self, names: usize, bytes: usize) {
        self.starts.reserve(names);
        self.text.reserve(bytes);
    }

    /// True when both users were added in one segment, so that they are the same
    /// user exactly when their indices are equal. Names added with [`Users::push`]
    /// belong to no segment.
    pub fn same_segment(&self, a: UserIdx, b: UserIdx) -> bool {
        let segment = |user: UserIdx| self.segments.partition_point(|&start| start <= user.0);
        segment(a) != 0 && segment(a) == segment(b)
    }

    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Appends every name of `other`, which must hold each name once (as an
    /// interner makes it), as a new segment; returns the index its first name now has.
    pub fn append(&mut self, other: &Users) -> u32 {
        let base = self.starts.len() as u32;
        self.segments.push(base);
        let offset = self.text.len();
        self.text.push_str(&other.text);
        self.starts
            .extend(other.starts.iter().map(|start| start + offset));
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_append() {
        let mut a = Users::default();
        let x = a.push("x@a");
        let empty = a.push("");
        let mut b = Users::default();
        b.push("y@b");
        let base = a.append(&b);
        assert_eq!(a.name(x), "x@a");
        assert_eq!(a.name(empty), "");
        assert_eq!(a.name(UserIdx(base)), "y@b");
        assert_eq!(a.len(), 3);
        assert!(!a.same_segment(x, x), "pushed names belong to no segment");
        assert!(!a.same_segment(x, UserIdx(base)));
        let mut c = Users::default();
        c.append(&a);
        c.append(&b);
        assert!(c.same_segment(UserIdx(0), UserIdx(2)));
        assert!(!c.same_segment(UserIdx(2), UserIdx(3)));
    }
}
