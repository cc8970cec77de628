//! Rows of `admin_relationships.csv`.

use chrono::NaiveDate;

use super::fields::{known_value, optional_date, required, services};
use super::lookup::CustomerIndex;
use crate::catalog::Vocabulary;
use crate::csvio::{ColumnSpec, FieldProblem, Row, RowParser, RowProblems};
use crate::model::Relationship;

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("customer_id"),
    ColumnSpec::required("status"),
    ColumnSpec::required("services"),
    ColumnSpec::optional("start_date"),
    ColumnSpec::optional("end_date"),
    ColumnSpec::optional("relationship_id"),
];
const CUSTOMER_ID: usize = 0;
const STATUS: usize = 1;
const SERVICES: usize = 2;
const START_DATE: usize = 3;
const END_DATE: usize = 4;
const RELATIONSHIP_ID: usize = 5;

pub struct RelationshipParser<'a> {
    pub customers: &'a CustomerIndex,
    pub vocabulary: &'a Vocabulary,
}

impl RowParser for RelationshipParser<'_> {
    type Item = Relationship;
    type Local = ();

    fn parse(&self, row: &Row<'_>, problems: &mut RowProblems, _: &mut ()) -> Option<Relationship> {
        let name = |spec: usize| COLUMNS[spec].name;
        let field = |spec: usize| row.get(spec, COLUMNS);
        let customer = problems.take(
            field(CUSTOMER_ID)
                .and_then(|v| required(name(CUSTOMER_ID), v))
                .and_then(|v| self.customers.resolve(name(CUSTOMER_ID), v)),
        );
        let status = problems.take(field(STATUS).and_then(|v| known_value(name(STATUS), v, None)));
        let coverage = problems.take(
            field(SERVICES)
                .and_then(|v| required(name(SERVICES), v))
                .and_then(|v| services(name(SERVICES), v, self.vocabulary, true)),
        );
        let start =
            problems.take(field(START_DATE).and_then(|v| optional_date(name(START_DATE), v)));
        let end = problems.take(field(END_DATE).and_then(|v| optional_date(name(END_DATE), v)));
        let id = problems.take(field(RELATIONSHIP_ID));
        let (start, end) = (start?, end?);
        if let Some(problem) = check_order(start, end) {
            problems.push(problem);
        }
        Some(Relationship {
            id: id?.into(),
            customer: customer?,
            status: status?,
            services: coverage?,
            start,
            end,
        })
    }
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
