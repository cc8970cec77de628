//! Rows of `admin_relationships.csv`: a `services` value (delegated admin in the
//! v1 sense), GDAP `roles`, or both (contract §2).

use std::collections::BTreeMap;
use std::convert::Infallible;

use chrono::NaiveDate;

use super::fields::{known_value, optional_date, required, services};
use super::lookup::{CustomerIndex, Resolved};
use crate::catalog::{Catalog, RoleIdx};
use crate::csvio::{ChunkOutput, ColumnSpec, FieldProblem, Row, RowParser, RowProblems};
use crate::model::{Coverage, Relationship};

/// `services` and `roles` are each optional; the header needs one of them (see
/// `headers::ONE_OF`) and every row a value in one of them.
pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("customer_id"),
    ColumnSpec::required("status"),
    ColumnSpec::optional("services"),
    ColumnSpec::optional("roles"),
    ColumnSpec::optional("start_date"),
    ColumnSpec::optional("end_date"),
    ColumnSpec::optional("relationship_id"),
    ColumnSpec::optional("display_name"),
];
const CUSTOMER_ID: usize = 0;
const STATUS: usize = 1;
const SERVICES: usize = 2;
const ROLES: usize = 3;
const START_DATE: usize = 4;
const END_DATE: usize = 5;
const RELATIONSHIP_ID: usize = 6;
const DISPLAY_NAME: usize = 7;

pub struct RelationshipParser<'a> {
    pub customers: &'a CustomerIndex,
    pub catalog: &'a Catalog,
}

/// What one chunk of the file gave besides its rows.
#[derive(Debug, Default)]
pub struct RelationshipChunk {
    /// Roles the catalog does not know, as written (trimmed), with the number of
    /// times accepted rows name them.
    pub unknown_roles: BTreeMap<String, u64>,
    /// Holds each role's key while it is resolved.
    scratch: String,
    /// `services` values read so far, with what they cover.
    coverages: Resolved<Coverage>,
    /// `roles` values read so far: the roles the catalog knows, and whether the
    /// value names one it does not.
    roles: Resolved<(Box<[RoleIdx]>, bool)>,
}

impl RowParser for RelationshipParser<'_> {
    type Item = Relationship;
    type Local = RelationshipChunk;

    fn parse(
        &self,
        row: &Row<'_>,
        problems: &mut RowProblems,
        local: &mut RelationshipChunk,
    ) -> Option<Relationship> {
        self.parse_values(|spec| row.get(spec, COLUMNS), problems, local)
    }
}

impl RelationshipParser<'_> {
    /// A relationship from its values, one per [`COLUMNS`] entry (`field(spec)`),
    /// whether they come from a CSV row or a Graph JSON element.
    pub fn parse_values<'v>(
        &self,
        field: impl Fn(usize) -> Result<&'v str, FieldProblem>,
        problems: &mut RowProblems,
        local: &mut RelationshipChunk,
    ) -> Option<Relationship> {
        let name = |spec: usize| COLUMNS[spec].name;
        let customer = problems.take(
            field(CUSTOMER_ID)
                .and_then(|v| required(name(CUSTOMER_ID), v))
                .and_then(|v| self.customers.resolve(name(CUSTOMER_ID), v)),
        );
        let status = problems.take(field(STATUS).and_then(|v| known_value(name(STATUS), v, None)));
        let coverage = problems.take(field(SERVICES).and_then(|v| {
            // Separators alone name no service: absent, not a services-based
            // relationship granting nothing yet allowing either upgrade type.
            match v {
                v if v.split(';').all(|item| item.trim().is_empty()) => Ok(None),
                v => local
                    .coverages
                    .get_or_resolve(v, |v| {
                        services(name(SERVICES), v, self.catalog.vocabulary(), true)
                    })
                    .map(Some),
            }
        }));
        let roles = problems.take(field(ROLES));
        let start =
            problems.take(field(START_DATE).and_then(|v| optional_date(name(START_DATE), v)));
        let end = problems.take(field(END_DATE).and_then(|v| optional_date(name(END_DATE), v)));
        let id = problems.take(field(RELATIONSHIP_ID));
        let display_name = problems.take(field(DISPLAY_NAME));
        let (start, end) = (start?, end?);
        if let Some(problem) = check_order(start, end) {
            problems.push(problem);
        }
        let (coverage, roles) = (coverage?, roles?);
        if coverage.is_none() && role_names(roles).next().is_none() {
            problems.push(FieldProblem::new(
                name(SERVICES),
                "missing required value (a relationship needs services, roles or both)",
            ));
        }
        let scratch = &mut local.scratch;
        let Ok((known, unknown)) = local
            .roles
            .get_or_resolve(roles, |v| Ok::<_, Infallible>(self.known_roles(v, scratch)));
        if unknown && problems.is_empty() {
            self.count_unknown_roles(roles, local);
        }
        Some(Relationship {
            id: id?.into(),
            customer: customer?,
            status: status?,
            services: coverage,
            roles: known,
            display_name: display_name?.into(),
            start,
            end,
        })
    }

    /// The roles of `value` the catalog knows, each once in the order given, and
    /// whether `value` names a role it does not know.
    fn known_roles(&self, value: &str, scratch: &mut String) -> (Box<[RoleIdx]>, bool) {
        let mut known: Vec<RoleIdx> = Vec::new();
        let mut unknown = false;
        for role in role_names(value) {
            match self.catalog.resolve_role_with(role, scratch) {
                Some(idx) if !known.contains(&idx) => known.push(idx),
                Some(_) => {}
                None => unknown = true,
            }
        }
        (known.into_boxed_slice(), unknown)
    }

    fn count_unknown_roles(&self, value: &str, local: &mut RelationshipChunk) {
        for role in role_names(value) {
            if self
                .catalog
                .resolve_role_with(role, &mut local.scratch)
                .is_none()
            {
                match local.unknown_roles.get_mut(role) {
                    Some(count) => *count += 1,
                    None => {
                        local.unknown_roles.insert(role.to_owned(), 1);
                    }
                }
            }
        }
    }
}

/// Takes the rows out of `chunks` (in file order) with the unknown roles they
/// name and how often; each chunk keeps only its rejected rows. Called as soon as
/// the file is read, so that copying the rows and freeing the chunks' caches
/// overlap the license file's reading rather than follow it.
pub fn take_rows(
    chunks: &mut [ChunkOutput<Relationship, RelationshipChunk>],
) -> (Vec<Relationship>, BTreeMap<String, u64>) {
    let mut rows = Vec::with_capacity(chunks.iter().map(|c| c.items.len()).sum());
    let mut unknown_roles: BTreeMap<String, u64> = BTreeMap::new();
    for chunk in chunks {
        rows.append(&mut chunk.items);
        let local = std::mem::take(&mut chunk.local);
        for (role, count) in local.unknown_roles {
            *unknown_roles.entry(role).or_default() += count;
        }
    }
    (rows, unknown_roles)
}

/// The roles of a `;`-separated list, trimmed, empty items skipped.
fn role_names(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(';')
        .map(str::trim)
        .filter(|role| !role.is_empty())
}

fn check_order(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Option<FieldProblem> {
    match (start, end) {
        (Some(start), Some(end)) if start > end => Some(FieldProblem::new(
            COLUMNS[START_DATE].name,
            format!("{start} is after end_date {end}"),
        )),
        _ => None,
    }
}
