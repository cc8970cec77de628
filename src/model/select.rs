//! The customers an audit selects (`--customer`, `--account-manager`, contract §6):
//! a customer is selected when it matches any value of either option.

use unicode_normalization::UnicodeNormalization;

use super::dataset::Dataset;
use super::records::CustomerIdx;

/// The values of the two filter options, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub customers: Vec<String>,
    pub account_managers: Vec<String>,
}

/// The customers a filter selects, and the values that selected none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// In dataset (report) order.
    pub customers: Vec<CustomerIdx>,
    pub unmatched_customers: Vec<String>,
    pub unmatched_account_managers: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty() && self.account_managers.is_empty()
    }

    /// The customers of `dataset` that match any value. Customer ids compare
    /// ASCII-case-insensitively after trimming, as everywhere; account managers
    /// after Unicode lower-casing, NFC and collapsing white space (`GROß` finds `Groß`).
    pub fn select(&self, dataset: &Dataset) -> Selection {
        let matcher = FilterMatcher::new(self);
        let mut id_found = vec![false; matcher.ids.len()];
        let mut manager_found = vec![false; matcher.managers.len()];
        let mut customers = Vec::new();
        for (i, customer) in dataset.customers.iter().enumerate() {
            let (by_id, by_manager) = matcher.positions(customer.id(), customer.account_manager());
            if let Some(found) = by_id {
                id_found[found] = true;
            }
            if let Some(found) = by_manager {
                manager_found[found] = true;
            }
            if by_id.is_some() || by_manager.is_some() {
                customers.push(CustomerIdx(i as u32));
            }
        }
        let unmatched = |values: &[String], found: &[bool]| {
            values
                .iter()
                .zip(found)
                .filter(|(_, found)| !**found)
                .map(|(value, _)| value.clone())
                .collect()
        };
        Selection {
            customers,
            unmatched_customers: unmatched(&self.customers, &id_found),
            unmatched_account_managers: unmatched(&self.account_managers, &manager_found),
        }
    }
}

/// A filter's values prepared for matching customers one at a time (also
/// customers that are not in a dataset, such as those of an earlier report set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterMatcher {
    ids: Vec<String>,
    managers: Vec<String>,
}

impl FilterMatcher {
    pub fn new(filter: &Filter) -> FilterMatcher {
        FilterMatcher {
            ids: filter
                .customers
                .iter()
                .map(|id| id.trim().to_ascii_lowercase())
                .collect(),
            managers: filter
                .account_managers
                .iter()
                .map(|name| manager_key(name))
                .collect(),
        }
    }

    /// Whether the filter selects a customer with this id and account manager.
    pub fn matches(&self, id: &str, account_manager: &str) -> bool {
        let (by_id, by_manager) = self.positions(id, account_manager);
        by_id.is_some() || by_manager.is_some()
    }

    /// The first id value and the first account-manager value that match.
    fn positions(&self, id: &str, account_manager: &str) -> (Option<usize>, Option<usize>) {
        let by_id = self
            .ids
            .iter()
            .position(|wanted| wanted.eq_ignore_ascii_case(id));
        let by_manager = if self.managers.is_empty() || account_manager.is_empty() {
            None
        } else {
            let key = manager_key(account_manager);
            self.managers.iter().position(|wanted| *wanted == key)
        };
        (by_id, by_manager)
    }
}

/// An account manager's name as compared: lower case, NFC, single spaces.
fn manager_key(name: &str) -> String {
    let lower: String = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    lower.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Customer;

    fn dataset(customers: &[(&str, &str)]) -> Dataset {
        let customers = customers
            .iter()
            .map(|(id, manager)| Customer::new(id, "x", "", manager))
            .collect();
        Dataset::build(customers, vec![], vec![], vec![], Default::default(), &[]).0
    }

    #[test]
    fn selects_the_union_of_both_options() {
        let data = dataset(&[
            ("c1", "Stefanie Groß"),
            ("C2", "Jörg Brandt"),
            ("c3", ""),
            ("c4", "stefanie  GROSS"),
            ("c5", "Ste\u{0301}phane"),
        ]);
        type Case = (
            &'static [&'static str],
            &'static [&'static str],
            &'static [&'static str],
            &'static [&'static str],
            &'static [&'static str],
        );
        let cases: [Case; 5] = [
            // (customers, managers, selected ids, unmatched ids, unmatched managers)
            (&["c2"], &[], &["C2"], &[], &[]),
            (&[], &["  STEFANIE   GROß "], &["c1"], &[], &[]),
            (
                &["c3", "nope"],
                &["Jörg Brandt"],
                &["C2", "c3"],
                &["nope"],
                &[],
            ),
            (&[], &["Stéphane"], &["c5"], &[], &[]),
            (&[], &["Nobody"], &[], &[], &["Nobody"]),
        ];
        for (ids, managers, selected, unmatched_ids, unmatched_managers) in cases {
            let filter = Filter {
                customers: ids.iter().map(|s| s.to_string()).collect(),
                account_managers: managers.iter().map(|s| s.to_string()).collect(),
            };
            let selection = filter.select(&data);
            let got: Vec<&str> = selection
                .customers
                .iter()
                .map(|&c| data.customer(c).customer.id())
                .collect();
            assert_eq!(got, selected, "{ids:?} {managers:?}");
            assert_eq!(selection.unmatched_customers, unmatched_ids);
            assert_eq!(selection.unmatched_account_managers, unmatched_managers);
        }
    }
}
