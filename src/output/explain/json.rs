//! `explain --json`: one document per call, mirroring Partner Center's `Upgrade`
//! resource where it can — per target `target_offer_id`, `is_eligible`,
//! `upgrade_type`, `upgrade_errors` — with every check and its whole evidence
//! (never cut, unlike the reports' `details`).

use serde_json::{Value, json};

use super::{CheckView, checks};
use crate::catalog::ServiceSet;
use crate::catalog::UpgradeRight;
use crate::decision::{CustomerDecisions, Failure, PairDecision, SubscriptionDecision, Verdict};
use crate::model::{Coverage, KnownValues, Relationship, Subscription};
use crate::output::overview::verdict;
use crate::rules::{AdminAccess, Grant, relationship_grant, role_for_right, roles_for_services};
use crate::text::Context;

/// One customer and the subscriptions asked about (positions), as JSON.
pub fn customer(
    cx: &Context<'_>,
    decisions: &CustomerDecisions,
    access: &AdminAccess,
    positions: &[usize],
) -> Value {
    let record = cx.customer.customer;
    let subscriptions: Vec<Value> = positions
        .iter()
        .map(|&position| subscription(cx, decisions, access, position))
        .collect();
    json!({
        "customer_id": record.id(),
        "company_name": record.company_name(),
        "account_manager": record.account_manager(),
        "relationships": cx.customer.relationships.iter().map(|r| relationship(cx, r)).collect::<Vec<_>>(),
        "subscriptions": subscriptions,
    })
}

fn relationship(cx: &Context<'_>, relationship: &Relationship) -> Value {
    json!({
        "relationship_id": relationship.id.as_ref(),
        "status": relationship.status.as_str(),
        "start_date": relationship.start.map(|d| d.to_string()),
        "end_date": relationship.end.map(|d| d.to_string()),
        "active_on_as_of": relationship.is_active_on(cx.as_of),
        "services": relationship.services.as_ref().map(|services| coverage(cx, services)),
        "roles": relationship.roles.iter().map(|&r| cx.catalog.role(r).name.as_ref()).collect::<Vec<_>>(),
        "grants": grant(cx, &relationship_grant(cx.catalog, relationship)),
    })
}

fn grant(cx: &Context<'_>, grant: &Grant) -> Value {
    json!({
        "services": coverage(cx, &grant.services),
        "upgrade": match grant.right {
            UpgradeRight::None => "none",
            UpgradeRight::UpgradeOnly => "upgrade_only",
            UpgradeRight::LicenseTransfer => "license_transfer",
        },
    })
}

fn coverage(cx: &Context<'_>, coverage: &Coverage) -> Value {
    match coverage {
        Coverage::All => json!("*"),
        Coverage::Services(set) => services(cx, set),
    }
}

fn services(cx: &Context<'_>, set: &ServiceSet) -> Value {
    let vocabulary = cx.catalog.vocabulary();
    Value::from(set.iter().map(|s| vocabulary.name(s)).collect::<Vec<_>>())
}

fn subscription(
    cx: &Context<'_>,
    decisions: &CustomerDecisions,
    access: &AdminAccess,
    position: usize,
) -> Value {
    let s = &cx.customer.subscriptions[position];
    let decision = &decisions.subscriptions[position];
    let mut value = json!({
        "subscription_id": s.id.as_ref(),
        "offer": s.offer_text.as_ref(),
        "offer_id": s.offer.map(|o| cx.catalog.offer(o).id.as_ref()),
        "status": s.status.as_str(),
        "channel": s.channel.as_str(),
        "quantity": s.quantity,
        "verdict": verdict(decision),
    });
    let upgrades: Vec<Value> = match decision {
        SubscriptionDecision::Evaluated(pairs) => pairs
            .iter()
            .map(|pair| upgrade(cx, s, access, pair))
            .collect(),
        SubscriptionDecision::OtherChannel => {
            value["reason"] = json!(
                "sold by another partner or directly by Microsoft: context only, not evaluated"
            );
            Vec::new()
        }
        SubscriptionDecision::NotUpgradable => {
            value["reason"] = json!(if s.offer.is_none() {
                "the catalog does not know the offer"
            } else {
                "the offer has no upgrade path (SubscriptionDoesNotHaveAnyUpgradePaths)"
            });
            Vec::new()
        }
    };
    value["upgrades"] = Value::from(upgrades);
    value
}

fn upgrade(cx: &Context<'_>, s: &Subscription, access: &AdminAccess, pair: &PairDecision) -> Value {
    let target = cx.catalog.offer(pair.target);
    let (is_eligible, upgrade_type, errors) = match &pair.verdict {
        Verdict::Eligible(eligible) => (true, Some(eligible.upgrade_type.code()), Vec::new()),
        Verdict::Blocked(failures) => (
            false,
            None,
            failures.iter().map(|f| f.reason().code()).collect(),
        ),
    };
    let checks: Vec<Value> = checks(pair)
        .iter()
        .map(|view| check(cx, s, access, pair, view))
        .collect();
    let mut value = json!({
        "target_offer_id": target.id.as_ref(),
        "target_offer": target.name.as_ref(),
        "is_eligible": is_eligible,
        "upgrade_type": upgrade_type,
        "upgrade_errors": errors,
        "checks": checks,
    });
    if let Verdict::Eligible(eligible) = &pair.verdict {
        let users = cx.evidence.reassignments(eligible.reassignments);
        value["assigned_users"] = json!(eligible.assigned_users);
        value["users_needing_reassignment"] = json!(users.len());
        let rows: Vec<Value> = users
            .iter()
            .flat_map(|user| {
                user.findings.iter().map(move |finding| {
                    json!({
                        "user_principal_name": cx.customer.user_name(user.user).to_string(),
                        "reason_code": finding.reason.code(),
                        "services": services(cx, &finding.services),
                        "conflicting_offers": finding.conflicting_offers.iter()
                            .map(|&o| cx.catalog.offer(o).id.as_ref()).collect::<Vec<_>>(),
                    })
                })
            })
            .collect();
        value["reassignments"] = Value::from(rows);
    } else {
        value["reassignments"] = json!([]);
    }
    value
}

/// A subscription of the customer named as evidence.
fn named_subscription(cx: &Context<'_>, position: usize) -> Value {
    let s = &cx.customer.subscriptions[position];
    json!({
        "subscription_id": s.id.as_ref(),
        "offer": s.offer.map_or(s.offer_text.as_ref(), |o| cx.catalog.offer(o).name.as_ref()),
        "offer_id": s.offer.map(|o| cx.catalog.offer(o).id.as_ref()),
        "status": s.status.as_str(),
        "channel": s.channel.as_str(),
    })
}

fn check(
    cx: &Context<'_>,
    s: &Subscription,
    access: &AdminAccess,
    pair: &PairDecision,
    view: &CheckView<'_>,
) -> Value {
    let target = cx.catalog.offer(pair.target);
    let evidence = match (view.check, view.failure) {
        (1, _) => json!({ "status": s.status.as_str() }),
        (2, Some(_)) => json!({
            "active_relationships": 0,
            "relationships": cx.customer.relationships.iter().map(|r| relationship(cx, r)).collect::<Vec<_>>(),
        }),
        (2, None) => json!({
            "active_relationships": cx.customer.relationships.iter().filter(|r| r.is_active_on(cx.as_of)).count(),
        }),
        (
            3,
            Some(Failure::MissingAdminServices {
                missing,
                missing_right,
            }),
        ) => json!({
            "needed": services(cx, &target.services),
            "missing_services": services(cx, missing),
            "roles_to_request": roles_for_services(cx.catalog, missing).iter()
                .map(|&r| cx.catalog.role(r).name.as_ref()).collect::<Vec<_>>(),
            "missing_upgrade_type": missing_right.map(|t| t.code()),
            "role_to_request_for_upgrade_type": missing_right
                .and_then(|t| role_for_right(cx.catalog, t))
                .map(|r| cx.catalog.role(r).name.as_ref()),
        }),
        (3, _) => json!({
            "needed": services(cx, &target.services),
            "granted": match access {
                AdminAccess::None => Value::Null,
                AdminAccess::Granted(granted) => grant(cx, granted),
            },
        }),
        (4, Some(Failure::TargetAlreadyOwned { held })) => json!({
            "subscriptions": cx.evidence.held(*held).iter().map(|&p| named_subscription(cx, p)).collect::<Vec<_>>(),
        }),
        (4, _) => json!({ "subscriptions": [] }),
        (5, failure) => {
            let additional = target.services.minus(
                s.offer
                    .map_or(&ServiceSet::EMPTY, |o| &cx.catalog.offer(o).services),
            );
            let conflicts: Vec<Value> = match failure {
                Some(Failure::ConflictingServices { conflicts }) => cx
                    .evidence
                    .conflicts(*conflicts)
                    .iter()
                    .map(|c| {
                        let mut named = named_subscription(cx, c.subscription);
                        named["services"] = services(cx, &c.services);
                        named
                    })
                    .collect(),
                _ => Vec::new(),
            };
            json!({ "additional_services": services(cx, &additional), "conflicts": conflicts })
        }
        (6, _) => json!({ "quantity": s.quantity, "limit": target.max_quantity }),
        _ => Value::Null,
    };
    json!({
        "check": view.check,
        "code": view.code.code(),
        "passed": view.passed,
        "applicable": view.applicable,
        "evidence": evidence,
    })
}
