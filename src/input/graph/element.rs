//! One element of the export: its members, borrowed from the text, and the
//! relationship row they make, with a problem for each member of the wrong type.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::text::{self, Kind};
use super::{
    DISPLAY_NAME_MEMBER, END_DATE_MEMBER, ElementProblem, GraphRelationship, ID_MEMBER,
    ROLES_MEMBER, START_DATE_MEMBER, STATUS_MEMBER, TENANT_ID_MEMBER,
};

/// The members of a relationship or of a page (an element of a top-level array
/// may be either). `null` and missing are both `None`; every other member is
/// skipped unread.
#[derive(Deserialize)]
pub(super) struct Members<'a> {
    #[serde(borrow, alias = "Id")]
    id: Option<&'a RawValue>,
    #[serde(borrow, rename = "displayName", alias = "DisplayName")]
    display_name: Option<&'a RawValue>,
    #[serde(borrow, alias = "Status")]
    status: Option<&'a RawValue>,
    #[serde(borrow, rename = "activatedDateTime", alias = "ActivatedDateTime")]
    activated: Option<&'a RawValue>,
    #[serde(borrow, rename = "endDateTime", alias = "EndDateTime")]
    end: Option<&'a RawValue>,
    #[serde(borrow, alias = "Customer")]
    customer: Option<&'a RawValue>,
    #[serde(borrow, rename = "accessDetails", alias = "AccessDetails")]
    access_details: Option<&'a RawValue>,
    /// A page's relationships.
    #[serde(borrow)]
    pub value: Option<&'a RawValue>,
    /// Also as other OData clients spell it, so that no truncated export passes.
    #[serde(
        borrow,
        rename = "@odata.nextLink",
        alias = "@odata.nextlink",
        alias = "@odata.NextLink",
        alias = "odata.nextLink"
    )]
    pub next_link: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Customer<'a> {
    #[serde(borrow, rename = "tenantId", alias = "TenantId")]
    tenant_id: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct AccessDetails<'a> {
    #[serde(borrow, rename = "unifiedRoles", alias = "UnifiedRoles")]
    unified_roles: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct UnifiedRole<'a> {
    #[serde(borrow, rename = "roleDefinitionId", alias = "RoleDefinitionId")]
    role_definition_id: Option<&'a RawValue>,
}

/// The members of an element, or why it has none (not an object, a duplicate member).
pub(super) fn members(raw: &RawValue) -> Result<Members<'_>, ElementProblem> {
    object(raw, "")
}

/// The row an element stands for.
pub(super) fn relationship(
    position: String,
    raw: &RawValue,
    members: Result<Members<'_>, ElementProblem>,
) -> GraphRelationship {
    let mut row = GraphRelationship {
        position,
        record: text::compact(raw.get()),
        ..GraphRelationship::default()
    };
    let members = match members {
        Ok(members) => members,
        Err(problem) => {
            row.problems.push(problem);
            return row;
        }
    };
    let problems = &mut row.problems;
    row.customer_id = members
        .customer
        .and_then(|raw| {
            object::<Customer>(raw, "customer")
                .map_err(|p| problems.push(p))
                .ok()
        })
        .and_then(|customer| string(customer.tenant_id, TENANT_ID_MEMBER, problems));
    row.status = string(members.status, STATUS_MEMBER, problems);
    row.relationship_id = string(members.id, ID_MEMBER, problems);
    row.display_name = string(members.display_name, DISPLAY_NAME_MEMBER, problems);
    row.start_date = date(members.activated, START_DATE_MEMBER, problems);
    row.end_date = date(members.end, END_DATE_MEMBER, problems);
    row.roles = roles(members.access_details, problems);
    row
}

/// An object's members; its path names it in the problem when it is something else.
fn object<'a, T: Deserialize<'a>>(raw: &'a RawValue, member: &str) -> Result<T, ElementProblem> {
    if text::kind(raw) != Kind::Object {
        return Err(ElementProblem::new(
            member,
            text::expected("an object", raw),
        ));
    }
    // The text is valid JSON already: what fails here is a member given twice.
    serde_json::from_str(raw.get())
        .map_err(|error| ElementProblem::new(member, text::message_of(&error)))
}

fn string(
    raw: Option<&RawValue>,
    member: &str,
    problems: &mut Vec<ElementProblem>,
) -> Option<String> {
    let raw = raw?;
    let value = text::string(raw);
    if value.is_none() {
        problems.push(ElementProblem::new(member, text::expected("a string", raw)));
    }
    value
}

/// The text before the `T` of an ISO 8601 date-time, left for the caller to check.
fn date(
    raw: Option<&RawValue>,
    member: &str,
    problems: &mut Vec<ElementProblem>,
) -> Option<String> {
    let mut value = string(raw, member, problems)?;
    // Graph writes null for "no date"; an empty string would pass as no bound.
    if value.trim().is_empty() {
        let message = "expected an ISO 8601 date-time or null, found an empty string";
        problems.push(ElementProblem::new(member, message.to_owned()));
        return None;
    }
    if value.starts_with("/Date(") {
        let message = format!(
            "expected an ISO 8601 date-time such as 2026-01-15T10:00:00Z, found \"{}\", \
             the date form of Windows PowerShell's ConvertTo-Json; export with PowerShell 7, \
             or save Graph's response as it came",
            text::excerpt(&value, text::VALUE_CHARS)
        );
        problems.push(ElementProblem::new(member, message));
        return None;
    }
    if let Some(time) = value.find('T') {
        value.truncate(time);
    }
    Some(value)
}

/// `accessDetails.unifiedRoles[].roleDefinitionId`; absent or `null` on the way
/// means no roles (the caller decides whether a row may have none).
fn roles(access_details: Option<&RawValue>, problems: &mut Vec<ElementProblem>) -> Vec<String> {
    let Some(details) = access_details.and_then(|raw| {
        object::<AccessDetails>(raw, "accessDetails")
            .map_err(|p| problems.push(p))
            .ok()
    }) else {
        return Vec::new();
    };
    let Some(list) = details.unified_roles else {
        return Vec::new();
    };
    if text::kind(list) != Kind::Array {
        problems.push(ElementProblem::new(
            ROLES_MEMBER,
            text::expected("an array", list),
        ));
        return Vec::new();
    }
    let items: Vec<&RawValue> = match serde_json::from_str(list.get()) {
        Ok(items) => items,
        Err(error) => {
            problems.push(ElementProblem::new(ROLES_MEMBER, text::message_of(&error)));
            return Vec::new();
        }
    };
    let mut roles = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let at = format!("{ROLES_MEMBER}[{index}]");
        let role = match object::<UnifiedRole>(item, &at) {
            Ok(role) => role,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let member = format!("{at}.roleDefinitionId");
        let Some(id) = role.role_definition_id else {
            problems.push(ElementProblem::new(member, "missing required value"));
            continue;
        };
        match string(Some(id), &member, problems) {
            Some(id) if !id.trim().is_empty() => roles.push(id),
            Some(_) => problems.push(ElementProblem::new(member, "missing required value")),
            None => {}
        }
    }
    roles
}

#[cfg(test)]
mod tests;
