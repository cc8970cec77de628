//! The closest known values to one that matched nothing — for "did you mean"
//! hints after an unknown id or offer name.

/// Up to `limit` of `candidates` closest to `value` by edit distance (case
/// ignored), closest first, ties in candidate order; only those within a third of
/// the longer string's length, so that a hint is plausibly a typo.
pub fn closest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let wanted: Vec<char> = value.trim().chars().flat_map(char::to_lowercase).collect();
    let mut scored: Vec<(usize, usize, &'a str)> = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(order, candidate)| {
            let known: Vec<char> = candidate.chars().flat_map(char::to_lowercase).collect();
            let distance = edit_distance(&wanted, &known);
            let allowed = wanted.len().max(known.len()).div_ceil(3);
            (distance <= allowed).then_some((distance, order, candidate))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

/// Levenshtein distance, in O(a × b) time and O(b) memory.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_first_and_only_plausible_typos() {
        let known = ["sub-1001", "sub-1002", "sub-2001", "c-42"];
        assert_eq!(
            closest("SUB-1001", known, 3),
            ["sub-1001", "sub-1002", "sub-2001"]
        );
        assert_eq!(closest("sub-100", known, 2), ["sub-1001", "sub-1002"]);
        assert!(closest("zzzzzzzz", known, 3).is_empty());
        assert_eq!(
            closest("Offce 365 E3", ["Office 365 E3", "Office 365 E5"], 1),
            ["Office 365 E3"]
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("Groß", "Gross"), 2);
    }
}
