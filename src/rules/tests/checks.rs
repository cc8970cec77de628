//! The six checks of an upgrade pair, one table per check.

use super::*;

#[test]
fn check_status_per_status() {
    let cases = [
        (Active, None),
        (Pending, Some(BlockReason::SubscriptionNotProvisioned)),
        (Suspended, Some(BlockReason::SubscriptionStatusNotActive)),
        (Disabled, Some(BlockReason::SubscriptionStatusNotActive)),
        (Expired, Some(BlockReason::SubscriptionStatusNotActive)),
        (Deleted, Some(BlockReason::SubscriptionStatusNotActive)),
        (Cancelled, Some(BlockReason::SubscriptionStatusNotActive)),
    ];
    for (status, expected) in cases {
        assert_eq!(
            check_status(status).map(|f| f.reason()),
            expected,
            "{status:?}"
        );
    }
}

#[test]
fn held_means_active_pending_or_suspended() {
    let held: Vec<SubscriptionStatus> = [
        Active, Pending, Suspended, Disabled, Expired, Deleted, Cancelled,
    ]
    .into_iter()
    .filter(|s| s.is_held())
    .collect();
    assert_eq!(held, [Active, Pending, Suspended]);
}

#[test]
fn relationship_validity_on_the_as_of_date() {
    use RelationshipStatus as R;
    // (status, start, end, active on AS_OF?)
    let cases = [
        (R::Active, None, None, true),
        (R::Active, Some("2026-11-24"), None, true), // first day
        (R::Active, None, Some("2026-11-24"), true), // last day
        (R::Active, Some("2026-11-24"), Some("2026-11-24"), true),
        (R::Active, None, Some("2026-11-23"), false), // ended the day before
        (R::Active, Some("2026-11-25"), None, false), // starts tomorrow
        (R::Expiring, Some("2025-01-01"), Some("2026-12-31"), true),
        (R::Approved, None, None, false),
        (R::ApprovalPending, None, None, false),
        (R::Activating, None, None, false),
        (R::Created, None, None, false),
        (R::Expired, None, None, false),
        (R::Terminated, None, None, false),
        (R::Terminating, None, None, false),
        (R::TerminationRequested, None, None, false),
    ];
    for (status, start, end, expected) in cases {
        let relationship = Relationship {
            display_name: Box::default(),
            id: "r".into(),
            customer: CustomerIdx(0),
            status,
            services: Some(Coverage::All),
            roles: Box::default(),
            start: start.map(day),
            end: end.map(day),
        };
        assert_eq!(
            relationship.is_active_on(day(AS_OF)),
            expected,
            "{status:?} {start:?}..{end:?}"
        );
    }
}

#[test]
fn admin_checks_are_exclusive_and_use_the_union_of_active_relationships() {
    use RelationshipStatus as R;
    let c = catalog();
    let e3 = c.offer(offer(&c, "o365-e3")).services.clone();
    let rel = |status, scope: &'static str, end: Option<&'static str>| (status, scope, None, end);
    // (relationships, expected reason, expected missing services)
    let cases: Vec<(Vec<_>, Option<BlockReason>, &str)> = vec![
        (
            vec![],
            Some(BlockReason::DelegatedAdminPermissionsDisabled),
            "",
        ),
        (
            vec![rel(R::Expired, "*", None)],
            Some(BlockReason::DelegatedAdminPermissionsDisabled),
            "",
        ),
        (
            vec![rel(R::Active, "*", Some("2026-01-01"))],
            Some(BlockReason::DelegatedAdminPermissionsDisabled),
            "",
        ),
        (vec![rel(R::Active, "*", None)], None, ""),
        (
            vec![rel(
                R::Active,
                "Exchange;SharePoint;OneDrive;OfficeWeb;Teams;Yammer;Planner;Bookings;Stream",
                None,
            )],
            Some(BlockReason::InsufficientGranularAdminPermissions),
            "OfficeApps;InformationProtection",
        ),
        (
            vec![
                rel(
                    R::Active,
                    "Exchange;SharePoint;OneDrive;OfficeWeb;Teams",
                    None,
                ),
                rel(
                    R::Expiring,
                    "Yammer;Planner;Bookings;Stream;OfficeApps;InformationProtection",
                    None,
                ),
            ],
            None,
            "",
        ),
        (
            vec![
                rel(
                    R::Active,
                    "Exchange;SharePoint;OneDrive;OfficeWeb;Teams",
                    None,
                ),
                rel(
                    R::Terminated,
                    "Yammer;Planner;Bookings;Stream;OfficeApps;InformationProtection",
                    None,
                ),
            ],
            Some(BlockReason::InsufficientGranularAdminPermissions),
            "OfficeApps;Yammer;Planner;Bookings;Stream;InformationProtection",
        ),
        (
            vec![rel(R::Active, "Exchange", None), rel(R::Active, "*", None)],
            None,
            "",
        ),
    ];
    for (relationships, expected, missing) in cases {
        let customer = Customer1 {
            relationships: relationships.clone(),
            ..Customer1::default()
        };
        let dataset = customer.dataset(&c);
        let access = admin_access(
            &c,
            dataset.customer(CustomerIdx(0)).relationships,
            day(AS_OF),
        );
        let failure = check_admin_access(&access, &e3, UpgradeType::UpgradeWithLicenseTransfer);
        assert_eq!(
            failure.as_ref().map(Failure::reason),
            expected,
            "{relationships:?}"
        );
        if let Some(Failure::MissingAdminServices { missing: got, .. }) = failure {
            assert_eq!(c.vocabulary().join(&got, ";"), missing);
        }
    }
}

#[test]
fn target_owned_counts_held_subscriptions_of_any_channel() {
    // (status of the E3 subscription, its channel, blocked?)
    let cases = [
        (Active, OtherPartner, true),
        (Pending, Direct, true),
        (Suspended, ThisPartner, true),
        (Expired, OtherPartner, false),
        (Cancelled, Direct, false),
        (Deleted, OtherPartner, false),
        (Disabled, OtherPartner, false),
    ];
    for (status, channel, blocked) in cases {
        let customer = Customer1::with_full_access()
            .sub("s1", "Office 365 Business Premium", Active, 10, ThisPartner)
            .sub("s2", "ENTERPRISEPACK", status, 10, channel);
        let reasons = customer.reasons("s1", "o365-e3");
        assert_eq!(
            reasons.contains(&BlockReason::TargetOfferAlreadyOwned),
            blocked,
            "{status:?} {channel:?}"
        );
    }
}

#[test]
fn conflicting_services_are_only_the_targets_additional_ones() {
    // Other subscription held by a Business Essentials customer, target, blocked?
    let cases = [
        // SharePoint is in Essentials already: not an additional service of Business Premium.
        (
            "SharePoint Online (Plan 1)",
            Active,
            "o365-business-premium",
            false,
        ),
        ("Exchange Online (Plan 2)", Active, "o365-e3", false),
        ("Power BI Pro", Active, "o365-e5", true),
        ("Power BI Pro", Active, "o365-e3", false),
        ("Power BI Pro", Expired, "o365-e5", false),
        ("Power BI Pro", Suspended, "o365-e5", true),
        ("MCOEV", Pending, "o365-e5", true),
        (
            "Microsoft 365 Apps for enterprise",
            Active,
            "o365-business-premium",
            true,
        ),
        ("Office 365 Business Essentials", Active, "o365-e3", false),
        ("Azure plan", Active, "o365-e5", false),
    ];
    for (other, status, target, blocked) in cases {
        let customer = Customer1::with_full_access()
            .sub("s1", "o365-business-essentials", Active, 10, ThisPartner)
            .sub("s2", other, status, 5, Direct);
        let reasons = customer.reasons("s1", target);
        assert_eq!(
            reasons.contains(&BlockReason::ConflictingServiceTypes),
            blocked,
            "{other} {status:?} → {target}"
        );
    }
}

#[test]
fn conflict_evidence_names_subscription_and_services() {
    let c = catalog();
    let customer = Customer1::with_full_access()
        .sub("s1", "o365-business-essentials", Active, 10, ThisPartner)
        .sub("s2", "Power BI Pro", Active, 5, Direct)
        .sub("s3", "Audio Conferencing", Active, 5, OtherPartner);
    let dataset = customer.dataset(&c);
    let view = dataset.customer(CustomerIdx(0));
    let e5 = offer(&c, "o365-e5");
    let additional = c
        .offer(e5)
        .services
        .minus(&c.offer(offer(&c, "o365-business-essentials")).services);
    let conflicts = conflicting_subscriptions(&c, view.subscriptions, &additional);
    let named: Vec<(&str, String)> = conflicts
        .iter()
        .map(|k| {
            (
                &*view.subscriptions[k.subscription].id,
                c.vocabulary().join(&k.services, ";"),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("s2", "PowerBI".to_owned()),
            ("s3", "AudioConferencing".to_owned())
        ]
    );
}

#[test]
fn quantity_limit_of_the_target() {
    let cases = [
        (300, Some(300), false),
        (301, Some(300), true),
        (0, Some(300), false),
        (5000, None, false),
    ];
    for (quantity, limit, blocked) in cases {
        assert_eq!(
            check_quantity(quantity, limit).is_some(),
            blocked,
            "{quantity} vs {limit:?}"
        );
    }
    let customer = Customer1::with_full_access().sub(
        "s1",
        "O365_BUSINESS_ESSENTIALS",
        Active,
        320,
        ThisPartner,
    );
    assert_eq!(
        customer.reasons("s1", "o365-business-premium"),
        [BlockReason::QuantityExceedsTargetLimit]
    );
    assert!(
        customer.reasons("s1", "o365-e1").is_empty(),
        "E1 has no seat limit"
    );
}

#[test]
fn every_failing_code_in_rule_order() {
    let customer = Customer1::default()
        .sub(
            "s1",
            "Office 365 Business Essentials",
            Suspended,
            400,
            ThisPartner,
        )
        .sub("s2", "Office 365 Business Premium", Active, 5, OtherPartner);
    assert_eq!(
        customer.reasons("s1", "o365-business-premium"),
        [
            BlockReason::SubscriptionStatusNotActive,
            BlockReason::DelegatedAdminPermissionsDisabled,
            BlockReason::TargetOfferAlreadyOwned,
            BlockReason::ConflictingServiceTypes,
            BlockReason::QuantityExceedsTargetLimit,
        ]
    );
    let clean = Customer1::with_full_access().sub(
        "s1",
        "Office 365 Business Essentials",
        Active,
        10,
        ThisPartner,
    );
    assert!(clean.reasons("s1", "o365-business-premium").is_empty());
}

#[test]
fn rename_trap_and_india_paths() {
    let c = catalog();
    let path = |from: &str| -> Vec<&str> {
        c.upgrade_path(offer(&c, from))
            .iter()
            .map(|&o| &*c.offer(o).id)
            .collect()
    };
    // "Microsoft 365 Business Standard" is the former Office 365 Business Premium.
    assert_eq!(
        path("Microsoft 365 Business Standard"),
        ["o365-e3", "o365-e5"]
    );
    // "Microsoft 365 Business Premium" is SPB: no path.
    assert!(path("Microsoft 365 Business Premium").is_empty());
    assert_eq!(
        path("Microsoft 365 Business Basic India")[0],
        "o365-business-premium-india"
    );
    assert_eq!(
        path("Microsoft 365 Apps for business India")[0],
        "o365-business-premium-india"
    );
}
