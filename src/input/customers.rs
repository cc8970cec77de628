//! Rows of `customers.csv`.

use super::fields::required;
use crate::csvio::{ColumnSpec, Row, RowParser, RowProblems};
use crate::model::Customer;

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("customer_id"),
    ColumnSpec::required("company_name"),
    ColumnSpec::optional("domain"),
    ColumnSpec::optional("country"),
    ColumnSpec::optional("account_manager"),
];
const CUSTOMER_ID: usize = 0;
const COMPANY_NAME: usize = 1;
const DOMAIN: usize = 2;
const COUNTRY: usize = 3;
const ACCOUNT_MANAGER: usize = 4;

/// An accepted customer row with its line (ids are registered in file order later).
#[derive(Debug)]
pub struct CustomerRow {
    pub line: u64,
    pub customer: Customer,
}

/// Ids of rejected rows, so that rows referring to them can say so.
#[derive(Debug, Default)]
pub struct RejectedIds(pub Vec<(u64, Box<str>)>);

pub struct CustomerParser;

impl RowParser for CustomerParser {
    type Item = CustomerRow;
    type Local = RejectedIds;

    fn parse(
        &self,
        row: &Row<'_>,
        problems: &mut RowProblems,
        local: &mut RejectedIds,
    ) -> Option<CustomerRow> {
        let field = |spec: usize| row.get(spec, COLUMNS);
        let id =
            problems.take(field(CUSTOMER_ID).and_then(|v| required(COLUMNS[CUSTOMER_ID].name, v)));
        let company = problems
            .take(field(COMPANY_NAME).and_then(|v| required(COLUMNS[COMPANY_NAME].name, v)));
        let domain = problems.take(field(DOMAIN));
        // Read (so that a bad value is reported) but not kept: no rule or report uses it.
        problems.take(field(COUNTRY));
        let account_manager = problems.take(field(ACCOUNT_MANAGER));
        let id = id?;
        if !problems.is_empty() {
            local.0.push((row.line, id.into()));
            return None;
        }
        Some(CustomerRow {
            line: row.line,
            customer: Customer::new(id, company?, domain?, account_manager?),
        })
    }
}
