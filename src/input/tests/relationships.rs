//! Relationships read with services, GDAP roles or both, and the header that needs
//! one of them.

use std::path::Path;

use super::*;
use crate::catalog::ServiceSet;
use crate::model::Coverage;

/// Writes `relationships` beside a customers file of `c1` and empty other files.
fn relationship_export(dir: &Path, relationships: &str) {
    let files = [
        (CUSTOMERS, "customer_id,company_name\nc1,A\n"),
        (
            SUBSCRIPTIONS,
            "subscription_id,customer_id,offer,status,quantity,channel\n",
        ),
        (RELATIONSHIPS, relationships),
        (LICENSES, "customer_id,user_principal_name,offer\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
}

#[test]
fn relationships_grant_services_roles_or_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    relationship_export(
        dir.path(),
        "customer_id,status,services,Entra roles\n\
         c1,active,,Exchange Administrator\n\
         c1,active,,29232CDF-9323-42FD-ADE2-1D097AF3E4DE; exchange service administrator ;Teams Administrator\n\
         c1,active,*,Custom Role;Directory Readers\n\
         c1,active,Exchange,\n\
         c1,active,,\n\
         c1,active,, ; ;\n\
         c1,bogus,,Custom Role\n\
         c1,active,,custom role\n\
         c1,active,;,Exchange Administrator\n\
         c1,active, ; ;,\n",
    );
    let catalog = Catalog::builtin().expect("catalog");
    let options = ReadOptions {
        chunk_bytes: 1 << 20,
        parallel: false,
        ..ReadOptions::default()
    };
    let loaded = load_dir(dir.path(), &catalog, options).expect("valid");
    let role = |name: &str| catalog.resolve_role(name).expect(name);
    let exchange = catalog.vocabulary().lookup("Exchange").expect("Exchange");
    let accepted: Vec<(u64, Option<Coverage>, Vec<_>)> = loaded
        .relationships
        .iter()
        .zip([2, 3, 4, 5, 9, 10])
        .map(|(r, line)| (line, r.services.clone(), r.roles.to_vec()))
        .collect();
    let expected = vec![
        (2, None, vec![role("Exchange Administrator")]),
        (
            3,
            None,
            vec![role("Exchange Administrator"), role("Teams Administrator")],
        ),
        (4, Some(Coverage::All), vec![role("Directory Readers")]),
        (
            5,
            Some(Coverage::Services(ServiceSet::EMPTY.with(exchange))),
            vec![],
        ),
        (9, None, vec![]),
        // A services list of separators only names nothing: a roles-only relationship.
        (10, None, vec![role("Exchange Administrator")]),
    ];
    assert_eq!(accepted, expected);
    assert_eq!(loaded.relationships.len(), expected.len());
    let rejected: Vec<(u64, String)> = loaded
        .rejected
        .kept()
        .iter()
        .map(|r| (r.line, r.joined_problems()))
        .collect();
    let neither = "services: missing required value (a relationship needs services, roles or both)";
    assert_eq!(
        rejected,
        [
            (6, neither.to_owned()),
            (7, neither.to_owned()),
            (
                8,
                "status: unknown value \"bogus\" (expected one of active, expiring, approvalpending, \
                 approved, activating, created, expired, terminated, terminating, \
                 terminationrequested)"
                    .to_owned()
            ),
            (11, neither.to_owned()),
        ]
    );
    let unknown: Vec<(&str, u64)> = loaded
        .unknown_roles
        .iter()
        .map(|(role, count)| (role.as_str(), *count))
        .collect();
    assert_eq!(
        unknown,
        [("Custom Role", 1), ("custom role", 1)],
        "counted as written, only in accepted rows"
    );
}

#[test]
fn a_relationship_header_needs_services_or_roles() {
    let dir = tempfile::tempdir().expect("temp dir");
    relationship_export(dir.path(), "customer_id,status,start_date\nc1,active,\n");
    let catalog = Catalog::builtin().expect("catalog");
    let options = ReadOptions {
        chunk_bytes: 1 << 20,
        parallel: false,
        ..ReadOptions::default()
    };
    let error = load_dir(dir.path(), &catalog, options).expect_err("no services or roles");
    assert_eq!(
        error.to_string(),
        "admin_relationships.csv:1: missing required column \"services\" or \"roles\" (looked for: \
         services, Services, roles, Roles, Entra roles, Microsoft Entra roles, Azure AD roles, GDAP \
         roles, unifiedRoles, Role definitions)"
    );
}
