//! `admin_relationships.json` as the relationships' source (contract §2): the
//! elements of Microsoft Graph's export run through the same validation as the
//! rows of `admin_relationships.csv`, and their problems name the element and
//! member (`value[17].customer.tenantId: missing required value`) where a CSV
//! row's name its line and column.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::error::InputError;
use super::graph::{self, GraphRelationship, member_for_column};
use super::loaded::InputFileReport;
use super::relationships::{COLUMNS, RelationshipChunk, RelationshipParser};
use crate::csvio::{CsvFile, FieldProblem, RejectedRow, Rejects, RowProblems};
use crate::model::Relationship;

pub const RELATIONSHIPS_JSON: &str = "admin_relationships.json";

/// What the JSON export gave.
#[derive(Debug)]
pub struct GraphRead {
    pub relationships: Vec<Relationship>,
    pub rejected: Rejects,
    pub unknown_roles: BTreeMap<String, u64>,
    pub report: InputFileReport,
}

/// Reads and validates `admin_relationships.json` at `path`, keeping at most
/// `limit` rejected rows.
pub fn read(
    path: &Path,
    parser: &RelationshipParser<'_>,
    limit: usize,
) -> Result<GraphRead, InputError> {
    // Opened as the CSV files are: a FIFO or device is refused, never waited on.
    let bytes = CsvFile::open(path, RELATIONSHIPS_JSON)
        .and_then(|file| file.read_all())
        .map_err(InputError::from)?;
    let export = graph::parse_relationships(&bytes, RELATIONSHIPS_JSON)
        .map_err(|error| InputError::Graph(Box::new(error)))?;
    let mut local = RelationshipChunk::default();
    let mut relationships = Vec::with_capacity(export.relationships.len());
    let mut rejected = Rejects::new(limit);
    for (index, element) in export.relationships.iter().enumerate() {
        match validate(parser, element, &mut local) {
            Ok(relationship) => relationships.push(relationship),
            Err(problems) => rejected.push_with(problems.len(), || RejectedRow {
                file: RELATIONSHIPS_JSON.to_owned(),
                line: index as u64,
                element: Some(element.position.clone()),
                problems,
                record: element.record.clone(),
            }),
        }
    }
    let report = InputFileReport {
        file: RELATIONSHIPS_JSON.to_owned(),
        rows: export.relationships.len() as u64,
        rejected: rejected.rows(),
        sha256: format!("{:x}", Sha256::digest(&bytes)),
        encoding: export.encoding.name().to_owned(),
        delimiter: "none".to_owned(),
        columns: graph::COLUMN_MEMBERS
            .iter()
            .map(|(field, member)| ((*field).to_owned(), (*member).to_owned()))
            .collect(),
        ignored_columns: Vec::new(),
        customers_without_export: None,
        json_shape: Some(export.shape.name().to_owned()),
    };
    Ok(GraphRead {
        relationships,
        rejected,
        unknown_roles: local.unknown_roles,
        report,
    })
}

/// One element as a relationship, or its problems with the members they concern.
fn validate(
    parser: &RelationshipParser<'_>,
    element: &GraphRelationship,
    local: &mut RelationshipChunk,
) -> Result<Relationship, Vec<FieldProblem>> {
    let roles = element.roles.join(";");
    let value = |value: &Option<String>| value.as_deref().unwrap_or("").trim().to_owned();
    // One value per column of admin_relationships.csv; Graph has no services.
    let values: Vec<String> = COLUMNS
        .iter()
        .map(|spec| match spec.name {
            "customer_id" => value(&element.customer_id),
            "status" => value(&element.status),
            "roles" => roles.clone(),
            "start_date" => value(&element.start_date),
            "end_date" => value(&element.end_date),
            "relationship_id" => value(&element.relationship_id),
            "display_name" => value(&element.display_name),
            _ => String::new(),
        })
        .collect();
    let mut problems = RowProblems::default();
    // Unknown roles are counted for accepted relationships only.
    let mut discarded = RelationshipChunk::default();
    let local = if element.problems.is_empty() {
        local
    } else {
        &mut discarded
    };
    let relationship = parser.parse_values(
        |spec| Ok(values.get(spec).map_or("", String::as_str)),
        &mut problems,
        local,
    );
    let mut found: Vec<FieldProblem> = element
        .problems
        .iter()
        .map(|problem| {
            FieldProblem::row(format!(
                "{}: {}",
                element.locate(&problem.member),
                problem.message
            ))
        })
        .collect();
    for problem in problems.into_vec() {
        let member = match problem.column {
            // Graph has no services: a relationship there needs a role.
            Some("services") => graph::ROLES_MEMBER,
            Some(column) => member_for_column(column).unwrap_or(column),
            None => "",
        };
        if element.has_problem_at(member) {
            continue;
        }
        let message = match problem.column {
            Some("services") => {
                "missing required value (a relationship needs at least one role)".to_owned()
            }
            _ => problem.message,
        };
        found.push(FieldProblem::row(format!(
            "{}: {message}",
            element.locate(member)
        )));
    }
    match relationship {
        Some(relationship) if found.is_empty() => Ok(relationship),
        _ => Err(found),
    }
}
