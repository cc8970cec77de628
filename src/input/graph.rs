//! `admin_relationships.json`: Microsoft Graph's `delegatedAdminRelationships`
//! export (contract v2 §2). Each relationship object becomes the values of one
//! `admin_relationships.csv` row, as strings, so that the caller validates it
//! exactly as it validates a CSV row; this module only reads the JSON.
//!
//! Shapes. The top level is one of:
//! - an object with a `value` array: one page, as Graph returns it;
//! - an array in which some element is an object with a `value` member: an array
//!   of pages, as saved page by page. Every element must then be such a page.
//!   A `delegatedAdminRelationship` has no `value` member, so relationships are
//!   never taken for pages, and a mix of both is an error rather than a guess;
//! - any other array: a bare array of relationships (`[]` is an empty export).
//!
//! A page whose `@odata.nextLink` is a non-empty string announces a next page.
//! In an array of pages that page is the following element, so only the last
//! page must have none; a single page with one means the export is truncated.
//!
//! Encodings: UTF-8 with or without BOM; UTF-16 LE or BE with BOM (what Windows
//! PowerShell's `Out-File` writes). Syntax errors name the line and column of the
//! decoded text, which for UTF-8 are those of the file.
//!
//! Members are matched as Graph writes them (camelCase) and also in PascalCase,
//! which is how the PowerShell SDK's objects come out of `ConvertTo-Json`. A
//! member of the wrong type is an [`ElementProblem`] naming its path; a string
//! where an object or array belongs that reads like PowerShell's rendering of an
//! object (`System.Object[]`, `@{tenantId=…}`) is said to come from
//! `ConvertTo-Json`'s default depth.
//!
//! Memory: the text is parsed into borrowed [`RawValue`] slices and each element
//! into a struct of borrowed members; no `serde_json::Value` tree is built.

mod decode;
mod element;
#[cfg(test)]
mod tests;
mod text;

use std::fmt;

use serde_json::value::RawValue;

pub use decode::JsonEncoding;
use element::Members;
use text::Kind;

/// The JSON member path each field is read from, relative to the element, for
/// messages such as `value[17].customer.tenantId: missing required value`.
pub const TENANT_ID_MEMBER: &str = "customer.tenantId";
pub const STATUS_MEMBER: &str = "status";
pub const ID_MEMBER: &str = "id";
pub const DISPLAY_NAME_MEMBER: &str = "displayName";
pub const START_DATE_MEMBER: &str = "activatedDateTime";
pub const END_DATE_MEMBER: &str = "endDateTime";
pub const ROLES_MEMBER: &str = "accessDetails.unifiedRoles";

/// Each `admin_relationships.csv` column a relationship element fills, with the
/// member it comes from.
pub const COLUMN_MEMBERS: [(&str, &str); 7] = [
    ("customer_id", TENANT_ID_MEMBER),
    ("status", STATUS_MEMBER),
    ("relationship_id", ID_MEMBER),
    ("start_date", START_DATE_MEMBER),
    ("end_date", END_DATE_MEMBER),
    ("roles", ROLES_MEMBER),
    ("display_name", DISPLAY_NAME_MEMBER),
];

/// The member a CSV column's value is read from (column names ASCII
/// case-insensitive), e.g. `customer_id` → `customer.tenantId`.
pub fn member_for_column(column: &str) -> Option<&'static str> {
    COLUMN_MEMBERS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(column))
        .map(|&(_, member)| member)
}

/// Everything read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphExport {
    pub encoding: JsonEncoding,
    pub shape: ExportShape,
    /// In file order.
    pub relationships: Vec<GraphRelationship>,
}

/// Which of the three forms the file has (for `summary.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportShape {
    /// An object with a `value` array.
    Page,
    /// A bare array of relationships.
    Array,
    /// An array of page objects.
    Pages { count: usize },
}

impl ExportShape {
    /// A stable name: `page`, `array` or `pages`.
    pub fn name(self) -> &'static str {
        match self {
            ExportShape::Page => "page",
            ExportShape::Array => "array",
            ExportShape::Pages { .. } => "pages",
        }
    }
}

/// One relationship element of the export, as the CSV row it stands for. Values
/// are as written (not trimmed); a member that is missing, `null`, or has a
/// problem gives `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphRelationship {
    /// 0-based position, as errors and `rejects.csv` show it: `value[17]` (one
    /// page), `[17]` (bare array), `[2].value[17]` (array of pages).
    pub position: String,
    /// The element as compact JSON, for `rejects.csv`'s `record`.
    pub record: String,
    /// `customer.tenantId`.
    pub customer_id: Option<String>,
    /// `status`, as written: the caller checks it against the known values.
    pub status: Option<String>,
    /// `id`.
    pub relationship_id: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// The text of `activatedDateTime` before its `T`, unconverted.
    pub start_date: Option<String>,
    /// The text of `endDateTime` before its `T`, unconverted.
    pub end_date: Option<String>,
    /// `accessDetails.unifiedRoles[].roleDefinitionId`, in order.
    pub roles: Vec<String>,
    /// What is wrong with the element itself, whatever the caller validates.
    pub problems: Vec<ElementProblem>,
}

impl GraphRelationship {
    /// The full path of `member` in the file, e.g. `value[17].customer.tenantId`.
    pub fn locate(&self, member: &str) -> String {
        if member.is_empty() {
            self.position.clone()
        } else {
            format!("{}.{member}", self.position)
        }
    }

    /// True when a problem concerns `member`, a member inside it, or a member
    /// containing it: the caller should then not also report `member` missing.
    pub fn has_problem_at(&self, member: &str) -> bool {
        self.problems
            .iter()
            .any(|problem| paths_overlap(&problem.member, member))
    }
}

/// True when one member path lies within the other (the empty path is the element).
fn paths_overlap(a: &str, b: &str) -> bool {
    let (outer, inner) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match inner.strip_prefix(outer) {
        Some(rest) => outer.is_empty() || rest.is_empty() || rest.starts_with(['.', '[']),
        None => false,
    }
}

/// A problem with one member of a relationship element (the element itself when
/// `member` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementProblem {
    /// Relative to the element, e.g. `customer.tenantId`, `accessDetails.unifiedRoles[3]`.
    pub member: String,
    pub message: String,
}

impl ElementProblem {
    fn new(member: impl Into<String>, message: impl Into<String>) -> ElementProblem {
        ElementProblem {
            member: member.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ElementProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.member.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.member, self.message)
        }
    }
}

/// The file cannot be read as an export at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {kind}")]
pub struct GraphError {
    pub file: String,
    pub kind: GraphErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphErrorKind {
    #[error("the file is empty; expected Microsoft Graph's delegatedAdminRelationships response")]
    Empty,
    #[error(
        "not valid UTF-8 at line {line} (byte 0x{byte:02X} at byte offset {offset}); \
         save the export as UTF-8, or as UTF-16 with a byte order mark"
    )]
    InvalidUtf8 { line: u64, offset: usize, byte: u8 },
    #[error("not valid {encoding}: {problem}")]
    InvalidUtf16 {
        encoding: JsonEncoding,
        problem: String,
    },
    #[error(
        "looks like UTF-16 without a byte order mark; \
         save the export as UTF-8, or as UTF-16 with a byte order mark"
    )]
    Utf16WithoutBom,
    #[error("line {line}, column {column}: malformed JSON: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "expected an object with a `value` array or an array at the top, found {found}; \
         expected Microsoft Graph's delegatedAdminRelationships response"
    )]
    NotAnExport { found: String },
    #[error(
        "an object without a `value` array; expected Microsoft Graph's \
         delegatedAdminRelationships response (an object with a `value` array), \
         an array of relationships, or an array of such responses"
    )]
    NoValue,
    /// A page, or an element of an array of pages, that is not a page.
    #[error("{member}: {problem}")]
    BadPage { member: String, problem: String },
    #[error(
        "the export is truncated: {member} is \"{link}\", but that page is not in the file; \
         export every page (follow @odata.nextLink until a page has none)"
    )]
    Truncated { member: String, link: String },
}

/// Reads an `admin_relationships.json` export; `file` names it in errors.
pub fn parse_relationships(bytes: &[u8], file: &str) -> Result<GraphExport, GraphError> {
    let located = |kind| GraphError {
        file: file.to_owned(),
        kind,
    };
    let (text, encoding) = decode::decode(bytes).map_err(located)?;
    let (shape, relationships) = read(&text).map_err(located)?;
    Ok(GraphExport {
        encoding,
        shape,
        relationships,
    })
}

type Read = (ExportShape, Vec<GraphRelationship>);

fn read(json: &str) -> Result<Read, GraphErrorKind> {
    let first = json
        .trim_start_matches(text::is_json_whitespace)
        .bytes()
        .next();
    match first {
        None => Err(GraphErrorKind::Empty),
        Some(b'{') => {
            let page: Members = text::parse(json)?;
            if page.value.is_none() {
                return Err(GraphErrorKind::NoValue);
            }
            let items = page_items(&page, "")?;
            if let Some(link) = next_link(&page, "")? {
                return Err(truncated("", &link));
            }
            Ok((ExportShape::Page, relationships(&items, "value")))
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = text::parse(json)?;
            let objects: Vec<_> = items.iter().map(|item| element::members(item)).collect();
            if objects
                .iter()
                .any(|o| matches!(o, Ok(m) if m.value.is_some()))
            {
                read_pages(objects)
            } else {
                let rows = items.iter().zip(objects).enumerate();
                let rows =
                    rows.map(|(i, (item, m))| element::relationship(format!("[{i}]"), item, m));
                Ok((ExportShape::Array, rows.collect()))
            }
        }
        Some(_) => {
            let value: &RawValue = text::parse(json)?;
            Err(GraphErrorKind::NotAnExport {
                found: text::found(value),
            })
        }
    }
}

/// The top-level array holds pages: every element must be one. Each page's next
/// page is the element after it, so the last page must not announce one.
fn read_pages(objects: Vec<Result<Members<'_>, ElementProblem>>) -> Result<Read, GraphErrorKind> {
    let count = objects.len();
    let mut rows = Vec::new();
    for (index, object) in objects.into_iter().enumerate() {
        let at = format!("[{index}]");
        let page = match object {
            Ok(page) if page.value.is_some() => page,
            Ok(_) => {
                let problem = "expected a page (an object with a `value` array) like the \
                               other elements, found an object without `value`";
                return Err(bad_page(at, problem.to_owned()));
            }
            Err(problem) => return Err(bad_page(at, problem.message)),
        };
        let page_rows = page_items(&page, &at)?;
        if let Some(link) = next_link(&page, &at)?
            && index + 1 == count
        {
            return Err(truncated(&at, &link));
        }
        rows.extend(relationships(&page_rows, &format!("{at}.value")));
    }
    Ok((ExportShape::Pages { count }, rows))
}

fn relationships(items: &[&RawValue], prefix: &str) -> Vec<GraphRelationship> {
    let rows = items.iter().enumerate().map(|(index, item)| {
        element::relationship(format!("{prefix}[{index}]"), item, element::members(item))
    });
    rows.collect()
}

/// The elements of a page's `value`, which the caller made sure is there.
fn page_items<'a>(page: &Members<'a>, at: &str) -> Result<Vec<&'a RawValue>, GraphErrorKind> {
    let Some(value) = page.value else {
        return Ok(Vec::new());
    };
    if text::kind(value) != Kind::Array {
        return Err(bad_page(
            member_at(at, "value"),
            text::expected("an array", value),
        ));
    }
    serde_json::from_str(value.get()).map_err(|error| text::syntax(&error))
}

/// The page's `@odata.nextLink` when it names a next page.
fn next_link(page: &Members<'_>, at: &str) -> Result<Option<String>, GraphErrorKind> {
    let Some(raw) = page.next_link else {
        return Ok(None);
    };
    match text::string(raw) {
        Some(link) if link.is_empty() => Ok(None),
        Some(link) => Ok(Some(link)),
        None => Err(bad_page(
            member_at(at, "@odata.nextLink"),
            format!("expected a string or null, found {}", text::found(raw)),
        )),
    }
}

fn truncated(at: &str, link: &str) -> GraphErrorKind {
    GraphErrorKind::Truncated {
        member: member_at(at, "@odata.nextLink"),
        link: text::excerpt(link, text::LINK_CHARS),
    }
}

fn bad_page(member: String, problem: String) -> GraphErrorKind {
    GraphErrorKind::BadPage { member, problem }
}

fn member_at(at: &str, member: &str) -> String {
    if at.is_empty() {
        member.to_owned()
    } else {
        format!("{at}.{member}")
    }
}
