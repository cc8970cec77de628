//! License rows grouped by customer, mostly where the reader left them.
//!
//! Exports list a customer's rows together, so the chunks of the license file are
//! cut into runs of one customer. A customer with one run keeps its rows in place,
//! ordered within its chunk; only the rows of a customer spread over several runs
//! are copied, into one extra segment. Every customer's rows are ordered (by user,
//! offer and line) and cleared of duplicates in parallel. Nothing the size of the
//! license file is allocated or copied again.

use rayon::prelude::*;

use super::records::{CustomerIdx, CustomerRuns, License, LicenseOffer, LicenseRows};
use super::users::Users;

/// A license row that repeats an earlier one's (customer, user, offer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuplicateLicense {
    pub line: u32,
    pub first_line: u32,
}

/// Every customer's license rows.
#[derive(Debug, Default)]
pub struct LicenseTable {
    segments: Vec<Vec<License>>,
    /// Per customer (dataset position), where its rows are.
    spans: Vec<Span>,
}

/// Rows `start..end` of segment `segment`.
#[derive(Debug, Default, Clone, Copy)]
struct Span {
    segment: u32,
    start: u32,
    end: u32,
}

impl Span {
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl LicenseTable {
    /// The rows of customer `customer` (a dataset position).
    pub fn of(&self, customer: usize) -> &[License] {
        let span = self.spans[customer];
        &self.segments[span.segment as usize][span.range()]
    }

    /// Groups `chunks` (rows in file order) by customer. `remap` gives a row's
    /// customer its dataset position; users are compared as [`Users::same_segment`]
    /// allows and offers by `offer_key`. Rows repeating an earlier row's (customer,
    /// user, offer) are left out and returned, in line order.
    pub fn group(
        chunks: Vec<LicenseRows>,
        remap: &(impl Fn(CustomerIdx) -> CustomerIdx + Sync),
        customers: usize,
        users: &Users,
        offer_key: &(impl Fn(LicenseOffer) -> LicenseOffer + Sync),
    ) -> (LicenseTable, Vec<DuplicateLicense>) {
        let mut runs: Vec<Run> = chunks
            .par_iter()
            .enumerate()
            .flat_map_iter(|(chunk, licenses)| Run::find(chunk, licenses, remap))
            .collect();
        let chunks: Vec<Vec<License>> = chunks.into_iter().map(|chunk| chunk.rows).collect();
        runs.par_sort_unstable_by_key(|run| (run.customer, run.span.segment, run.span.start));

        let mut spans = vec![Span::default(); customers];
        let mut spread: Vec<License> = Vec::new();
        let spread_segment = chunks.len() as u32;
        for runs in runs.chunk_by(|a, b| a.customer == b.customer) {
            let span = &mut spans[runs[0].customer as usize];
            if let [run] = runs {
                *span = run.span;
            } else {
                let start = spread.len() as u32;
                for run in runs {
                    spread.extend_from_slice(&chunks[run.span.segment as usize][run.span.range()]);
                }
                *span = Span {
                    segment: spread_segment,
                    start,
                    end: spread.len() as u32,
                };
            }
        }
        let mut segments = chunks;
        segments.push(spread);

        // Segment by segment, in memory order (not customer order).
        let work = customer_slices(&mut segments, &spans);
        let ordered: Vec<(u32, usize, Vec<DuplicateLicense>)> = work
            .into_par_iter()
            .map(|(customer, rows)| {
                let (kept, duplicates) = order_customer_licenses(rows, users, offer_key);
                (customer, kept, duplicates)
            })
            .collect();
        let mut duplicates = Vec::new();
        for (customer, kept, mut found) in ordered {
            let span = &mut spans[customer as usize];
            span.end = span.start + kept as u32;
            duplicates.append(&mut found);
        }
        duplicates.sort_unstable_by_key(|d| d.line);
        (LicenseTable { segments, spans }, duplicates)
    }
}

/// Each customer's rows as a slice of its own, with the customer's position.
fn customer_slices<'s>(
    segments: &'s mut [Vec<License>],
    spans: &[Span],
) -> Vec<(u32, &'s mut [License])> {
    let mut by_segment: Vec<Vec<(u32, Span)>> = vec![Vec::new(); segments.len()];
    for (customer, span) in spans.iter().enumerate() {
        if span.start < span.end {
            by_segment[span.segment as usize].push((customer as u32, *span));
        }
    }
    let mut slices = Vec::with_capacity(spans.len());
    for (segment, mut owned) in segments.iter_mut().zip(by_segment) {
        owned.sort_unstable_by_key(|(_, span)| span.start);
        let mut rest: &mut [License] = segment;
        let mut offset = 0;
        for (customer, span) in owned {
            let (_, tail) = rest.split_at_mut(span.start as usize - offset);
            let (rows, tail) = tail.split_at_mut((span.end - span.start) as usize);
            slices.push((customer, rows));
            rest = tail;
            offset = span.end as usize;
        }
    }
    slices
}

/// Consecutive license rows of one customer in one chunk.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// The customer's dataset position.
    customer: u32,
    span: Span,
}

impl Run {
    /// The runs of one chunk. The parsers note a customer for every row they give
    /// back, so the runs cover the rows exactly (a run past them is cut).
    fn find<'l>(
        chunk: usize,
        licenses: &'l LicenseRows,
        remap: &'l impl Fn(CustomerIdx) -> CustomerIdx,
    ) -> impl Iterator<Item = Run> + 'l {
        let rows = licenses.rows.len();
        let runs: &CustomerRuns = &licenses.customers;
        debug_assert_eq!(
            runs.runs().iter().map(|&(_, n)| n as usize).sum::<usize>(),
            rows,
            "every license row has its customer"
        );
        let mut start = 0;
        runs.runs().iter().filter_map(move |&(customer, count)| {
            let end = (start + count as usize).min(rows);
            let span = Span {
                segment: chunk as u32,
                start: start as u32,
                end: end as u32,
            };
            start = end;
            (span.start < span.end).then(|| Run {
                customer: remap(customer).0,
                span,
            })
        })
    }
}

/// Orders one customer's licenses by user, offer and line and gives every row of
/// one user one index. Rows repeating an earlier (user, offer) are moved to the
/// end and returned; the rows kept are counted. Users are compared by index where
/// that is enough (all from one segment of [`Users`]), by name otherwise.
fn order_customer_licenses(
    group: &mut [License],
    users: &Users,
    offer_key: &impl Fn(LicenseOffer) -> LicenseOffer,
) -> (usize, Vec<DuplicateLicense>) {
    let Some(first) = group.first().map(|l| l.user) else {
        return (0, Vec::new());
    };
    // One pass: the users' range and order are noted.
    let (mut low, mut high, mut previous, mut ascending) = (first, first, first, true);
    for row in group.iter() {
        low = low.min(row.user);
        high = high.max(row.user);
        ascending &= previous <= row.user;
        previous = row.user;
    }
    let by_index = users.same_segment(low, high);
    let name = |l: &License| users.name(l.user);
    let offer_and_line =
        |l: &License| (u64::from(offer_key(l.offer).raw()) << 32) | u64::from(l.line);
    if by_index && ascending {
        // Exports list a user's licenses together, and a chunk numbers users in the
        // order it meets them: the rows are then in user order already, and only
        // each user's few rows need ordering.
        for rows in group.chunk_by_mut(|a, b| a.user == b.user) {
            rows.sort_unstable_by_key(offer_and_line);
        }
    } else if by_index {
        // One integer per row: sorting ~40 rows by it beats a chain of comparisons.
        group
            .sort_unstable_by_key(|l| (u128::from(l.user.0) << 64) | u128::from(offer_and_line(l)));
    } else {
        group.sort_unstable_by(|a, b| {
            name(a)
                .cmp(&name(b))
                .then_with(|| offer_key(a.offer).cmp(&offer_key(b.offer)))
                .then_with(|| a.line.cmp(&b.line))
        });
    }
    let mut duplicates = Vec::new();
    let mut kept = 1;
    // The first kept row of the current user (rows are compacted as they are kept).
    let mut first = 0;
    for i in 1..group.len() {
        let (previous, mut current) = (group[first], group[i]);
        let same_user =
            previous.user == current.user || (!by_index && name(&previous) == name(&current));
        if same_user {
            current.user = previous.user;
            if offer_key(previous.offer) == offer_key(current.offer) {
                duplicates.push(DuplicateLicense {
                    line: current.line,
                    first_line: previous.line,
                });
                continue;
            }
        }
        first = kept;
        group[kept] = current;
        kept += 1;
    }
    (kept, duplicates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OfferIdx;
    use crate::model::UserIdx;

    fn license(user: u32, offer: u16, line: u32) -> License {
        License {
            user: UserIdx(user),
            offer: LicenseOffer::known(OfferIdx(offer)),
            line,
            disabled: crate::model::DisabledIdx::NONE,
        }
    }

    /// (user, offer, line) of a row kept; (line, first line) of a duplicate.
    type Kept = (u32, u16, u32);
    type Duplicate = (u32, u32);

    fn order(rows: &[License]) -> (Vec<Kept>, Vec<Duplicate>) {
        let mut users = Users::default();
        let mut part = Users::default();
        for i in 0..4 {
            part.push(&format!("u{i}@x"));
        }
        users.append(part, true);
        let mut rows = rows.to_vec();
        let (kept, duplicates) = order_customer_licenses(&mut rows, &users, &|offer| offer);
        let kept = rows[..kept]
            .iter()
            .map(|l| (l.user.0, l.offer.offer().map_or(0, |o| o.0), l.line))
            .collect();
        let duplicates = duplicates.iter().map(|d| (d.line, d.first_line)).collect();
        (kept, duplicates)
    }

    #[test]
    fn rows_grouped_by_user_or_not_end_in_one_order() {
        let expected = (
            vec![(0, 1, 5), (0, 2, 2), (1, 1, 3), (2, 3, 4)],
            vec![(6, 5)],
        );
        // Users together, in the order they were met (the usual export).
        let grouped = [
            license(0, 2, 2),
            license(0, 1, 5),
            license(0, 1, 6),
            license(1, 1, 3),
            license(2, 3, 4),
        ];
        assert_eq!(order(&grouped), expected);
        // A user coming back later.
        let spread = [0, 3, 4, 2, 1].map(|i| grouped[i]);
        assert_eq!(order(&spread), expected);
    }

    #[test]
    fn users_compared_by_name_order_as_their_whole_text() {
        // Names that order differently by local part first: "a@x" < "a.b@x" there,
        // but '.' < '@', so "a.b@x" comes first as text. Each name is pushed twice
        // (two indices), so rows are compared by name.
        let names = ["a@x", "a.b@x", "a@x.de", "ab", "a@b@x", "b@x", "a@", ""];
        let mut users = Users::default();
        for name in names.iter().chain(&names) {
            users.push(name);
        }
        let mut rows: Vec<License> = (0..names.len() as u32 * 2)
            .map(|user| license(user, 1, 100 - user))
            .collect();
        let (kept, duplicates) = order_customer_licenses(&mut rows, &users, &|offer| offer);
        let kept: Vec<String> = rows[..kept]
            .iter()
            .map(|l| users.name(l.user).to_string())
            .collect();
        let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        expected.sort();
        assert_eq!(kept, expected);
        assert_eq!(duplicates.len(), names.len(), "the second of each name");
    }
}
