//! Rejected rows kept within a bound, every one of them counted.
//!
//! A run reports rejected rows in two ways: `rejects.csv`, written only when their
//! number is within `--max-errors`, and the first problem lines on stderr
//! otherwise. Neither needs more than the first `limit` rows in file and line
//! order, so only those are kept (with their text); the others are counted, rows
//! and problems alike, so that every count stays exact. Ten million bad rows then
//! cost a few counters instead of gigabytes.
//!
//! Each chunk of a file keeps at most `limit` rows of its own: a row past that is
//! preceded by `limit` rows of its chunk and can never be among the first
//! `limit` of the file. Joining lists in order ([`Rejects::append`]) or merging
//! two ordered lists ([`Rejects::merge`]) keeps the first `limit` of the union.

use super::error::RejectedRow;

/// Rejected rows in file and line order: the first `limit` of them with their
/// problems and text, and the number of all of them and of all their problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejects {
    kept: Vec<RejectedRow>,
    limit: usize,
    rows: u64,
    problems: u64,
}

impl Default for Rejects {
    /// Keeps every row.
    fn default() -> Rejects {
        Rejects::new(usize::MAX)
    }
}

impl Rejects {
    /// An empty list that keeps at most `limit` rows.
    pub fn new(limit: usize) -> Rejects {
        Rejects {
            kept: Vec::new(),
            limit,
            rows: 0,
            problems: 0,
        }
    }

    /// An empty list with the same limit.
    pub fn empty_like(&self) -> Rejects {
        Rejects::new(self.limit)
    }

    /// True when the next row pushed would be kept.
    pub fn has_room(&self) -> bool {
        self.kept.len() < self.limit
    }

    /// Counts a row with `problems` problems and keeps it, built by `row` only
    /// when there is room (the rest never pay for their text or messages).
    pub fn push_with(&mut self, problems: usize, row: impl FnOnce() -> RejectedRow) {
        self.rows += 1;
        self.problems += problems as u64;
        if self.has_room() {
            self.kept.push(row());
        }
    }

    /// Counts `row` and keeps it if there is room.
    pub fn push(&mut self, row: RejectedRow) {
        self.push_with(row.problems.len(), || row);
    }

    /// Adds `later`, whose rows all come after this list's.
    pub fn append(&mut self, later: Rejects) {
        self.rows += later.rows;
        self.problems += later.problems;
        let room = self.limit.saturating_sub(self.kept.len());
        self.kept.extend(later.kept.into_iter().take(room));
    }

    /// Merges `other` into this list; both are in the order of `key`, and so is
    /// the result (on equal keys this list's rows come first).
    pub fn merge<K: Ord>(&mut self, other: Rejects, key: impl Fn(&RejectedRow) -> K) {
        self.rows += other.rows;
        self.problems += other.problems;
        let mine = std::mem::take(&mut self.kept);
        let total = mine.len().saturating_add(other.kept.len());
        let mut merged = Vec::with_capacity(total.min(self.limit));
        let (mut mine, mut theirs) = (
            mine.into_iter().peekable(),
            other.kept.into_iter().peekable(),
        );
        while merged.len() < self.limit {
            let take_mine = match (mine.peek(), theirs.peek()) {
                (Some(a), Some(b)) => key(a) <= key(b),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_mine {
                mine.next()
            } else {
                theirs.next()
            };
            merged.extend(next);
        }
        self.kept = merged;
    }

    /// Every rejected row, kept or not.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Every problem of every rejected row.
    pub fn problems(&self) -> u64 {
        self.problems
    }

    /// The first rows, at most the limit.
    pub fn kept(&self) -> &[RejectedRow] {
        &self.kept
    }

    pub fn kept_mut(&mut self) -> &mut [RejectedRow] {
        &mut self.kept
    }

    /// True when every rejected row is kept.
    pub fn is_complete(&self) -> bool {
        self.kept.len() as u64 == self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csvio::FieldProblem;

    fn row(file: &str, line: u64, problems: usize) -> RejectedRow {
        RejectedRow {
            element: None,
            file: file.to_owned(),
            line,
            problems: vec![FieldProblem::row("bad"); problems],
            record: format!("record {line}"),
        }
    }

    fn lines(rejects: &Rejects) -> Vec<u64> {
        rejects.kept().iter().map(|r| r.line).collect()
    }

    #[test]
    fn rows_past_the_limit_are_counted_not_kept() {
        let mut rejects = Rejects::new(3);
        let mut built = 0;
        for line in 1..=10 {
            rejects.push_with(2, || {
                built += 1;
                row("a.csv", line, 2)
            });
        }
        assert_eq!(lines(&rejects), [1, 2, 3]);
        assert_eq!((rejects.rows(), rejects.problems()), (10, 20));
        assert_eq!(built, 3, "rows past the limit are never built");
        assert!(!rejects.is_complete());
    }

    /// Chunks keeping `limit` rows each, appended in order and merged with rows
    /// found later, keep exactly the first `limit` rows of everything.
    #[test]
    fn appending_and_merging_keep_the_first_rows_of_the_whole() {
        for limit in [0, 1, 2, 5, 100] {
            let mut all: Vec<u64> = Vec::new();
            let mut file = Rejects::new(limit);
            for chunk in [[2, 3, 5, 8], [13, 21, 34, 55], [89, 144, 233, 377]] {
                let mut rejects = Rejects::new(limit);
                for line in chunk {
                    rejects.push(row("a.csv", line, 1));
                    all.push(line);
                }
                file.append(rejects);
            }
            let mut late = Rejects::new(limit);
            for line in [1, 4, 30, 400] {
                late.push(row("a.csv", line, 3));
                all.push(line);
            }
            file.merge(late, |r| r.line);
            all.sort_unstable();
            all.truncate(limit);
            assert_eq!(lines(&file), all, "limit {limit}");
            assert_eq!(
                (file.rows(), file.problems()),
                (16, 12 + 12),
                "limit {limit}"
            );
        }
    }

    #[test]
    fn the_default_keeps_everything() {
        let mut rejects = Rejects::default();
        for line in 0..1000 {
            rejects.push(row("a.csv", line, 1));
        }
        assert!(rejects.is_complete());
        assert_eq!(rejects.kept().len(), 1000);
    }
}
