//! Rows of `customers.csv`.

use super::error::RowProblems;
use super::fields::required;
use super::lookup::CustomerIndex;
use super::table::{ColumnSpec, Row};
use crate::model::{Customer, CustomerIdx};

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

/// Parses one row; registers its id (accepted as `next`, or rejected) in `index`.
pub fn parse(
    row: &Row<'_>,
    problems: &mut RowProblems,
    index: &mut CustomerIndex,
    next: CustomerIdx,
) -> Option<Customer> {
    let field = |spec| row.get(spec, COLUMNS);
    let name = COLUMNS[CUSTOMER_ID].name;
    let id = problems.take(field(CUSTOMER_ID).and_then(|v| required(name, v)));
    let company =
        problems.take(field(COMPANY_NAME).and_then(|v| required(COLUMNS[COMPANY_NAME].name, v)));
    let domain = problems.take(field(DOMAIN));
    let country = problems.take(field(COUNTRY));
    let manager = problems.take(field(ACCOUNT_MANAGER));
    let id = id?;
    let accepted = problems.is_empty().then_some(next);
    if let Err(problem) = index.register(name, id, row.line, accepted) {
        problems.push(problem);
    }
    Some(Customer {
        id: id.into(),
        company_name: company?.into(),
        domain: domain?.into(),
        country: country?.into(),
        account_manager: manager?.into(),
    })
}
