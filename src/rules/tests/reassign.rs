//! The reassignment reasons and the upgrade type.

use super::*;

/// Reassignment findings of every user holding `source`, as (user, reason, services).
fn findings(
    customer: &Customer1,
    source: &str,
    target: &str,
) -> Vec<(String, ReassignmentReason, String)> {
    let c = catalog();
    let dataset = customer.dataset(&c);
    let view = dataset.customer(CustomerIdx(0));
    reassignments(&c, view, offer(&c, source), offer(&c, target))
        .into_iter()
        .flat_map(|u| {
            let user = dataset.user_name(u.user).to_string();
            let c = &c;
            u.findings.into_iter().map(move |f| {
                (
                    user.clone(),
                    f.reason,
                    c.vocabulary().join(&f.services, ";"),
                )
            })
        })
        .collect()
}

#[test]
fn reassignment_reasons() {
    use ReassignmentReason::*;
    let owned =
        |items: &[(&str, ReassignmentReason, &str)]| -> Vec<(String, ReassignmentReason, String)> {
            items
                .iter()
                .map(|&(u, r, s)| (u.to_owned(), r, s.to_owned()))
                .collect()
        };
    // (customer's licenses, source, target, expected findings)
    let cases: Vec<(Customer1, &str, &str, Vec<_>)> = vec![
        (
            Customer1::default().license("a@x", "o365-business-essentials", ""),
            "o365-business-essentials",
            "o365-e3",
            vec![],
        ),
        (
            Customer1::default().license("a@x", "o365-business-essentials", "Yammer;Planner"),
            "o365-business-essentials",
            "o365-e3",
            owned(&[("a@x", DisabledServicesReset, "Yammer;Planner")]),
        ),
        (
            // Power BI Pro duplicates E5's PowerBI; Exchange Online does not (Exchange is not additional).
            Customer1::default()
                .license("a@x", "o365-business-essentials", "")
                .license("a@x", "Power BI Pro", "")
                .license("a@x", "EXCHANGEENTERPRISE", ""),
            "o365-business-essentials",
            "o365-e5",
            owned(&[("a@x", ConflictingLicense, "PowerBI")]),
        ),
        (
            Customer1::default()
                .license("b@x", "o365-business-essentials", "Teams")
                .license("b@x", "Power BI Pro", "")
                .license("b@x", "MCOEV", "")
                .license("a@x", "o365-business-essentials", "")
                .license("c@x", "Power BI Pro", ""),
            "o365-business-essentials",
            "o365-e5",
            owned(&[
                ("b@x", DisabledServicesReset, "Teams"),
                ("b@x", ConflictingLicense, "PhoneSystem;PowerBI"),
            ]),
        ),
        (
            // The target itself is never a "conflicting license".
            Customer1::default()
                .license("a@x", "o365-business-essentials", "")
                .license("a@x", "o365-e3", ""),
            "o365-business-essentials",
            "o365-e3",
            vec![],
        ),
    ];
    for (customer, source, target, expected) in cases {
        assert_eq!(
            findings(&customer, source, target),
            expected,
            "{source} → {target}"
        );
    }
}

#[test]
fn services_dropped_when_the_target_lacks_an_enabled_service() {
    // No default path drops a service, so test the function directly: Business Premium → E1
    // loses OfficeApps unless it was disabled for the user.
    let c = catalog();
    let (bp, e1) = (offer(&c, "o365-business-premium"), offer(&c, "o365-e1"));
    let dropped = user_findings(&c, bp, e1, &ServiceSet::EMPTY, std::iter::empty());
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].reason, ReassignmentReason::ServicesDropped);
    assert_eq!(c.vocabulary().join(&dropped[0].services, ";"), "OfficeApps");
    let disabled = services(&c, "OfficeApps");
    assert!(user_findings(&c, bp, e1, &disabled, std::iter::empty()).is_empty());
}

#[test]
fn upgrade_type_follows_assigned_users() {
    assert_eq!(UpgradeType::for_assigned_users(0), UpgradeType::UpgradeOnly);
    assert_eq!(
        UpgradeType::for_assigned_users(3),
        UpgradeType::UpgradeWithLicenseTransfer
    );
    let c = catalog();
    let customer = Customer1::default()
        .license("a@x", "o365-business", "")
        .license("b@x", "o365-business", "")
        .license("b@x", "Power BI Pro", "");
    let dataset = customer.dataset(&c);
    assert_eq!(
        users_holding(
            dataset.customer(CustomerIdx(0)).licenses,
            offer(&c, "o365-business")
        ),
        2
    );
}
