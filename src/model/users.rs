//! User principal names, lower-cased and stored back to back in a few large
//! strings, so millions of users cost a handful of allocations.
//!
//! The names come in parts, one per chunk of the license file; parts are moved in,
//! never copied. Within a part added by [`Users::append`] with `interned`, every
//! name is held once per customer (the chunk's interner made it so), so there one
//! customer's users are the same exactly when their indices are equal.

use super::records::UserIdx;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Users {
    parts: Vec<Part>,
    /// Index of the first name of each part.
    bases: Vec<u32>,
    len: u32,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Part {
    text: String,
    /// Where each name starts in `text`; a name ends where the next one starts.
    starts: Vec<u32>,
    /// Every name of the part is held once.
    interned: bool,
}

impl Users {
    /// Adds a name (to the last part, which is not known to hold names once).
    pub fn push(&mut self, name: &str) -> UserIdx {
        if self.parts.last().is_none_or(|part| part.interned) {
            self.bases.push(self.len);
            self.parts.push(Part::default());
        }
        let idx = UserIdx(self.len);
        if let Some(part) = self.parts.last_mut() {
            part.starts.push(part.text.len() as u32);
            part.text.push_str(name);
        }
        self.len += 1;
        idx
    }

    /// Moves in every name of `other`; `interned` says it holds each name once per
    /// customer (as an interner makes it). Returns the index its first name now has.
    pub fn append(&mut self, other: Users, interned: bool) -> u32 {
        let base = self.len;
        for mut part in other.parts {
            part.interned = interned;
            self.bases.push(self.len);
            self.len += part.starts.len() as u32;
            self.parts.push(part);
        }
        base
    }

    fn locate(&self, user: UserIdx) -> (usize, usize) {
        let part = self.bases.partition_point(|&base| base <= user.0) - 1;
        (part, (user.0 - self.bases[part]) as usize)
    }

    pub fn name(&self, user: UserIdx) -> &str {
        let (part, i) = self.locate(user);
        let part = &self.parts[part];
        let end = part
            .starts
            .get(i + 1)
            .map_or(part.text.len(), |&end| end as usize);
        &part.text[part.starts[i] as usize..end]
    }

    /// True when both users (of one customer) come from one interned part, so that
    /// they are the same user exactly when their indices are equal.
    pub fn same_segment(&self, a: UserIdx, b: UserIdx) -> bool {
        let (part_a, _) = self.locate(a);
        let (part_b, _) = self.locate(b);
        part_a == part_b && self.parts[part_a].interned
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
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
        b.push("z@b");
        let base = a.append(b, true);
        assert_eq!(a.name(x), "x@a");
        assert_eq!(a.name(empty), "");
        assert_eq!(a.name(UserIdx(base)), "y@b");
        assert_eq!(a.name(UserIdx(base + 1)), "z@b");
        assert_eq!(a.len(), 4);
        assert!(
            !a.same_segment(x, x),
            "pushed names are not known to be unique"
        );
        assert!(a.same_segment(UserIdx(base), UserIdx(base + 1)));
        assert!(!a.same_segment(x, UserIdx(base)));
        let after = a.push("w@a");
        assert_eq!(a.name(after), "w@a");
        assert!(!a.same_segment(after, UserIdx(base)));
    }
}
