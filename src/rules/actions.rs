//! The fixes that would unblock blocked pairs (contract §5, `actions.csv`).
//!
//! Each failing code of a blocked pair calls for actions; a pair's action set is
//! the set of (action, subject) over all its codes. A pair whose subscription is
//! disabled, expired, deleted or cancelled calls for no action at all: such a
//! subscription cannot be brought back.
//!
//! Counting is linear in the customer's records: the subscriptions to cancel come
//! from evidence lists that many pairs share, so pairs are counted per pair of
//! lists and each list is walked once per such pair of lists, not once per pair.

use rustc_hash::FxHashMap as HashMap;

use smallvec::SmallVec;

use crate::catalog::{Catalog, ServiceSet};
use crate::decision::{
    Action, ActionKind, ActionTally, CustomerDecisions, Failure, ListIdx, PairDecision,
    SubscriptionDecision, Verdict,
};
use crate::model::SubscriptionStatus;
use crate::rules::registry::block_reason;

/// The subscriptions to cancel: a held-target list and a conflicts list.
type CancelLists = (Option<ListIdx>, Option<ListIdx>);

/// The actions of one customer's blocked pairs, in no particular order.
pub fn tally_actions(catalog: &Catalog, decisions: &CustomerDecisions) -> Vec<ActionTally> {
    let mut tallies = Tallies::default();
    // Per pair of lists: its pairs, and the distinct subscriptions to cancel.
    let mut cancels: HashMap<CancelLists, (u64, Vec<usize>)> = HashMap::default();
    let evidence = &decisions.evidence;

    for (position, decision) in decisions.subscriptions.iter().enumerate() {
        let SubscriptionDecision::Evaluated(pairs) = decision else {
            continue;
        };
        for pair in pairs {
            let Verdict::Blocked(failures) = &pair.verdict else {
                continue;
            };
            let Some(own) = own_actions(failures, position) else {
                continue;
            };
            let lists = cancel_lists(failures);
            let cancel = if lists == (None, None) {
                None
            } else {
                let entry = cancels.entry(lists).or_insert_with(|| {
                    let mut subjects: Vec<usize> = lists
                        .0
                        .iter()
                        .flat_map(|&list| evidence.held(list).iter().copied())
                        .chain(lists.1.iter().flat_map(|&list| {
                            evidence.conflicts(list).iter().map(|c| c.subscription)
                        }))
                        .collect();
                    subjects.sort_unstable();
                    subjects.dedup();
                    (0, subjects)
                });
                entry.0 += 1;
                Some(&entry.1)
            };
            let cancel_count = cancel.map_or(0, Vec::len);
            for action in &own {
                let entry = tallies.get(*action);
                entry.involved_pairs += 1;
                record_evidence(entry, catalog, pair, failures);
            }
            if own.len() + cancel_count == 1 {
                let only = match (own.first(), cancel.and_then(|c| c.first())) {
                    (Some(action), _) => *action,
                    (None, Some(&position)) => cancel_action(position),
                    (None, None) => continue,
                };
                tallies.get(only).unblocks_pairs += 1;
            }
        }
    }
    for (pairs, subjects) in cancels.into_values() {
        for position in subjects {
            tallies.get(cancel_action(position)).involved_pairs += pairs;
        }
    }
    tallies.list
}

/// A customer's tallies, found by action.
#[derive(Default)]
struct Tallies {
    list: Vec<ActionTally>,
    positions: HashMap<Action, usize>,
}

impl Tallies {
    fn get(&mut self, action: Action) -> &mut ActionTally {
        let list = &mut self.list;
        let index = *self.positions.entry(action).or_insert_with(|| {
            list.push(ActionTally {
                action,
                unblocks_pairs: 0,
                involved_pairs: 0,
                services: ServiceSet::EMPTY,
                missing_right: None,
                limits: None,
            });
            list.len() - 1
        });
        &mut list[index]
    }
}

fn cancel_action(position: usize) -> Action {
    Action {
        kind: ActionKind::CancelSubscription,
        subject: crate::decision::Subject::Subscription(position),
    }
}

/// The actions of a blocked pair other than cancelling subscriptions; `None` when
/// the pair calls for no action (its subscription cannot be brought back).
pub fn own_actions(failures: &[Failure], position: usize) -> Option<SmallVec<[Action; 2]>> {
    use crate::decision::Subject::{Customer, Subscription};
    let mut actions = SmallVec::new();
    for failure in failures {
        let subject = match failure {
            Failure::StatusNotActive(SubscriptionStatus::Suspended)
            | Failure::NotProvisioned
            | Failure::QuantityExceedsLimit { .. } => Subscription(position),
            Failure::StatusNotActive(_) => return None,
            Failure::NoActiveAdminRelationship | Failure::MissingAdminServices { .. } => Customer,
            Failure::TargetAlreadyOwned { .. } | Failure::ConflictingServices { .. } => continue,
        };
        let kind = block_reason(failure.reason()).action;
        actions.push(Action { kind, subject });
    }
    Some(actions)
}

/// The evidence lists naming the subscriptions a pair's codes ask to cancel.
pub fn cancel_lists(failures: &[Failure]) -> CancelLists {
    let mut lists = (None, None);
    for failure in failures {
        match failure {
            Failure::TargetAlreadyOwned { held } => lists.0 = Some(*held),
            Failure::ConflictingServices { conflicts } => lists.1 = Some(*conflicts),
            _ => {}
        }
    }
    lists
}

/// Adds what an involved pair tells about its action: the services to grant, the
/// seat limits to reduce to.
fn record_evidence(
    tally: &mut ActionTally,
    catalog: &Catalog,
    pair: &PairDecision,
    failures: &[Failure],
) {
    match tally.action.kind {
        ActionKind::EstablishAdminRelationship => {
            tally.services = tally.services.union(&catalog.offer(pair.target).services);
        }
        ActionKind::ExtendAdminRelationship => {
            for failure in failures {
                if let Failure::MissingAdminServices {
                    missing,
                    missing_right,
                } = failure
                {
                    tally.services = tally.services.union(missing);
                    tally.missing_right = tally.missing_right.max(*missing_right);
                }
            }
        }
        ActionKind::ReduceQuantity => {
            for failure in failures {
                if let Failure::QuantityExceedsLimit { limit, .. } = failure {
                    tally.limits = Some(match tally.limits {
                        None => (*limit, *limit),
                        Some((low, high)) => (low.min(*limit), high.max(*limit)),
                    });
                }
            }
        }
        _ => {}
    }
}
