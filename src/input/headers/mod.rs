//! Header names and delimiters of the four input files (issue items 1 and 3).
//!
//! Each canonical field of the contract accepts a fixed list of spellings (its
//! own name and the names Partner Center, GDAP / Graph and the Microsoft 365
//! admin center exports use), compared after [`normalize`]: case, whitespace,
//! `_` and `-` ignored. `--column FILE.FIELD=HEADER` ([`ColumnOverride`]) names
//! the header of a field outright. Two headers of one file that map to the same
//! field are an error naming both. [`detect_delimiter`] picks, per file, the
//! delimiter (comma, semicolon or tab) under which the header line has every
//! required field.

use std::fmt;
use std::str::FromStr;

/// One of the four input files, or a Microsoft 365 admin center "Active users"
/// export in `users/`, which may stand in for `license_assignments.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFile {
    Customers,
    Subscriptions,
    Relationships,
    Licenses,
    ActiveUsers,
}

type AliasTable = &'static [(&'static str, &'static [&'static str])];

/// The spellings of `customer_id`, alike in every file.
#[rustfmt::skip]
const CUSTOMER_ID: &[&str] = &["customer_id", "Customer ID", "CustomerId", "Microsoft ID", "Tenant ID", "Customer tenant ID"];

// One line per field: the canonical name first, then the accepted spellings.
#[rustfmt::skip]
const CUSTOMERS: AliasTable = &[
    ("customer_id", CUSTOMER_ID),
    ("company_name", &["company_name", "Company name", "Customer name", "CustomerName"]),
    ("domain", &["domain", "Primary domain name", "Domain name", "DomainName", "Primary domain", "Default domain name"]),
    ("country", &["country", "Country", "CustomerCountry", "Country/Region"]),
    ("account_manager", &["account_manager", "Account manager"]),
];

#[rustfmt::skip]
const SUBSCRIPTIONS: AliasTable = &[
    ("subscription_id", &["subscription_id", "Subscription ID", "SubscriptionId"]),
    ("customer_id", CUSTOMER_ID),
    ("offer", &["offer", "Offer name", "OfferName", "Offer ID", "OfferId", "Product", "Product name"]),
    ("status", &["status", "Status", "Subscription status"]),
    ("quantity", &["quantity", "Quantity", "Licenses", "Seats"]),
    ("channel", &["channel", "Channel"]),
];

#[rustfmt::skip]
const RELATIONSHIPS: AliasTable = &[
    ("customer_id", CUSTOMER_ID),
    ("status", &["status", "Status", "Relationship status"]),
    ("services", &["services", "Services"]),
    ("roles", &["roles", "Roles", "Entra roles", "Microsoft Entra roles", "Azure AD roles", "GDAP roles", "unifiedRoles", "Role definitions"]),
    ("start_date", &["start_date", "Start date"]),
    ("end_date", &["end_date", "End date", "Expiry", "Expiry date", "Expiration date", "endDateTime"]),
    ("relationship_id", &["relationship_id", "Relationship ID"]),
];

#[rustfmt::skip]
const LICENSES: AliasTable = &[
    ("customer_id", CUSTOMER_ID),
    ("user_principal_name", &["user_principal_name", "User principal name", "UserPrincipalName", "UPN"]),
    ("offer", &["offer", "Offer name", "OfferName", "Offer ID", "OfferId", "Product", "Product name", "License", "Licenses"]),
    ("disabled_services", &["disabled_services", "Disabled services", "Disabled plans", "Disabled service plans"]),
];

#[rustfmt::skip]
const ACTIVE_USERS: AliasTable = &[
    ("user_principal_name", &["user_principal_name", "User principal name", "UserPrincipalName", "UPN"]),
    ("licenses", &["licenses", "Licenses", "Assigned licenses"]),
];

/// Fields each optional on its own, of which a file's header needs at least one.
const ONE_OF: &[(InputFile, &[&str])] = &[(InputFile::Relationships, &["services", "roles"])];

impl InputFile {
    pub fn file_name(self) -> &'static str {
        match self {
            InputFile::Customers => "customers.csv",
            InputFile::Subscriptions => "subscriptions.csv",
            InputFile::Relationships => "admin_relationships.csv",
            InputFile::Licenses => "license_assignments.csv",
            InputFile::ActiveUsers => "users/*.csv",
        }
    }

    /// The file name without `.csv`, as `--column` spells it.
    pub fn prefix(self) -> &'static str {
        match self {
            InputFile::ActiveUsers => "users",
            _ => {
                let name = self.file_name();
                name.strip_suffix(".csv").unwrap_or(name)
            }
        }
    }

    /// The file a `--column` prefix names: the file name with or without `.csv`,
    /// or `relationships` / `licenses` for short, or `users` for the Active-users
    /// exports; ASCII case ignored.
    pub fn from_prefix(name: &str) -> Option<InputFile> {
        let name = name.trim().to_ascii_lowercase();
        match name.strip_suffix(".csv").unwrap_or(&name) {
            "customers" => Some(InputFile::Customers),
            "subscriptions" => Some(InputFile::Subscriptions),
            "admin_relationships" | "relationships" => Some(InputFile::Relationships),
            "license_assignments" | "licenses" => Some(InputFile::Licenses),
            "users" => Some(InputFile::ActiveUsers),
            _ => None,
        }
    }

    /// The canonical fields of the file, in contract order.
    pub fn fields(self) -> impl Iterator<Item = &'static str> {
        self.table().iter().map(|(field, _)| *field)
    }

    fn table(self) -> AliasTable {
        match self {
            InputFile::Customers => CUSTOMERS,
            InputFile::Subscriptions => SUBSCRIPTIONS,
            InputFile::Relationships => RELATIONSHIPS,
            InputFile::Licenses => LICENSES,
            InputFile::ActiveUsers => ACTIVE_USERS,
        }
    }
}

impl fmt::Display for InputFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// A header as compared: lower case without whitespace, `_`, `-` or a BOM.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '\u{FEFF}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The accepted header spellings of a canonical field of `file`, the canonical
/// name first; empty for a field the file does not have.
pub fn aliases(file: InputFile, field: &str) -> &'static [&'static str] {
    let found = file.table().iter().find(|(name, _)| *name == field);
    found.map_or(&[], |(_, aliases)| *aliases)
}

/// `--column FILE.FIELD=HEADER`: the header that holds FIELD in FILE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnOverride {
    pub file: InputFile,
    /// The canonical field name.
    pub field: String,
    /// The header as given, trimmed.
    pub header: String,
}

/// A `--column` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("expected FILE.FIELD=HEADER, e.g. subscriptions.offer=Produktname")]
    Malformed,
    #[error(
        "unknown file \"{0}\" (expected customers, subscriptions, admin_relationships \
         or license_assignments)"
    )]
    UnknownFile(String),
    #[error("{file} has no column \"{field}\" (expected one of {})", .file.fields().collect::<Vec<_>>().join(", "))]
    UnknownField { file: InputFile, field: String },
    #[error("the header after \"=\" is empty")]
    EmptyHeader,
}

impl FromStr for ColumnOverride {
    type Err = OverrideError;

    /// Splits at the first `=`, then at the last `.` before it, so FILE may
    /// keep its `.csv` and HEADER may hold anything.
    fn from_str(spec: &str) -> Result<ColumnOverride, OverrideError> {
        let (target, header) = spec.split_once('=').ok_or(OverrideError::Malformed)?;
        let (file, field) = target.rsplit_once('.').ok_or(OverrideError::Malformed)?;
        let file_found = InputFile::from_prefix(file);
        let file = file_found.ok_or_else(|| OverrideError::UnknownFile(file.trim().to_owned()))?;
        let wanted = normalize(field);
        let field = file
            .fields()
            .find(|name| normalize(name) == wanted)
            .ok_or_else(|| OverrideError::UnknownField {
                file,
                field: field.trim().to_owned(),
            })?;
        let header = header.trim();
        if normalize(header).is_empty() {
            return Err(OverrideError::EmptyHeader);
        }
        Ok(ColumnOverride {
            file,
            field: field.to_owned(),
            header: header.to_owned(),
        })
    }
}

/// Where the fields of a header are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderMap {
    /// Per spec, in spec order: the 0-based column holding the field.
    pub columns: Vec<Option<usize>>,
    /// (field, header as written but trimmed) of every field found, in spec order.
    pub used: Vec<(String, String)>,
}

/// A header that does not fit the file. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("missing required column \"{field}\" (looked for: {})", .tried.join(", "))]
    MissingColumn { field: String, tried: Vec<String> },
    #[error(
        "missing required column {} (looked for: {})",
        .fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(" or "),
        .tried.join(", ")
    )]
    MissingOneOf {
        fields: Vec<String>,
        tried: Vec<String>,
    },
    #[error(
        "columns {first_position} \"{first}\" and {second_position} \"{second}\" both map to \
         \"{field}\"; choose one with --column {}.{field}=HEADER", .file.prefix()
    )]
    Ambiguous {
        file: InputFile,
        field: String,
        first: String,
        second: String,
        first_position: usize,
        second_position: usize,
    },
}

/// Maps `header` onto `specs` (field, required). An override for a field (the
/// last one given wins) replaces its aliases, and the column it names is not
/// matched by another field's aliases. Fields no spec asks for are ignored.
pub fn map_header(
    file: InputFile,
    header: &[&str],
    specs: &[(&'static str, bool)],
    overrides: &[ColumnOverride],
) -> Result<HeaderMap, HeaderError> {
    let mut map = HeaderMap::default();
    let candidates = candidates(file, header, specs, overrides);
    for (&(field, required), (tried, found)) in specs.iter().zip(&candidates) {
        match found.as_slice() {
            [] if required => {
                let tried = tried.iter().map(ToString::to_string).collect();
                return Err(HeaderError::MissingColumn {
                    field: field.to_owned(),
                    tried,
                });
            }
            [] => map.columns.push(None),
            [only] => {
                map.columns.push(Some(*only));
                map.used.push((field.to_owned(), shown(header[*only])));
            }
            [first, second, ..] => {
                return Err(HeaderError::Ambiguous {
                    file,
                    field: field.to_owned(),
                    first: shown(header[*first]),
                    second: shown(header[*second]),
                    first_position: first + 1,
                    second_position: second + 1,
                });
            }
        }
    }
    if let Some(fields) = missing_one_of(file, specs, &candidates) {
        let tried = specs
            .iter()
            .zip(&candidates)
            .filter(|((field, _), _)| fields.contains(field))
            .flat_map(|(_, (tried, _))| tried.iter().map(ToString::to_string))
            .collect();
        return Err(HeaderError::MissingOneOf {
            fields: fields.iter().map(ToString::to_string).collect(),
            tried,
        });
    }
    Ok(map)
}

/// The first group of [`ONE_OF`] fields of `file` (all of them in `specs`) of
/// which `candidates` found none.
fn missing_one_of(
    file: InputFile,
    specs: &[(&'static str, bool)],
    candidates: &[(Vec<&str>, Vec<usize>)],
) -> Option<&'static [&'static str]> {
    let found = |field: &str| {
        let position = specs.iter().position(|(name, _)| *name == field);
        position.map(|i| !candidates[i].1.is_empty())
    };
    ONE_OF
        .iter()
        .filter(|(group_file, _)| *group_file == file)
        .map(|(_, fields)| *fields)
        .find(|fields| {
            let found: Option<Vec<bool>> = fields.iter().map(|field| found(field)).collect();
            found.is_some_and(|found| !found.contains(&true))
        })
}

/// A header as messages show it: without a BOM and surrounding whitespace.
fn shown(header: &str) -> String {
    header.trim_start_matches('\u{FEFF}').trim().to_owned()
}

/// Per spec: the spellings looked for and the columns that match them.
fn candidates<'o>(
    file: InputFile,
    header: &[&str],
    specs: &[(&'static str, bool)],
    overrides: &'o [ColumnOverride],
) -> Vec<(Vec<&'o str>, Vec<usize>)> {
    let normalized: Vec<String> = header.iter().map(|h| normalize(h)).collect();
    let overrides: Vec<&ColumnOverride> = overrides.iter().filter(|o| o.file == file).collect();
    let claimed: Vec<String> = overrides.iter().map(|o| normalize(&o.header)).collect();
    let matching = |keys: &[String], skip_claimed: bool| -> Vec<usize> {
        let unclaimed = |column: &String| !skip_claimed || !claimed.contains(column);
        let hit = |(i, column): (usize, &String)| {
            (keys.contains(column) && unclaimed(column)).then_some(i)
        };
        normalized.iter().enumerate().filter_map(hit).collect()
    };
    specs
        .iter()
        .map(
            |&(field, _)| match overrides.iter().rev().find(|o| o.field == field) {
                Some(o) => (
                    vec![o.header.as_str()],
                    matching(&[normalize(&o.header)], false),
                ),
                None => {
                    let tried = match aliases(file, field) {
                        [] => vec![field],
                        known => known.to_vec(),
                    };
                    let keys: Vec<String> = tried.iter().map(|a| normalize(a)).collect();
                    (tried, matching(&keys, true))
                }
            },
        )
        .collect()
}

/// The delimiters tried, in order of preference, with their names and symbols.
const DELIMITERS: [(u8, &str, &str); 3] = [
    (b',', "comma", ","),
    (b';', "semicolon", ";"),
    (b'\t', "tab", "\\t"),
];

/// The delimiter under which the first line of `header_line` holds every required
/// field of `specs`; if several do, the one finding the most fields, ties going
/// to the earlier of comma, semicolon, tab. `None` if none qualifies (the caller
/// then reports the missing columns under a comma, or the forced delimiter).
pub fn detect_delimiter(
    header_line: &[u8],
    file: InputFile,
    specs: &[(&'static str, bool)],
    overrides: &[ColumnOverride],
) -> Option<u8> {
    let mut best: Option<(u8, usize)> = None;
    for (delimiter, _, _) in DELIMITERS {
        let fields = split_header(header_line, delimiter);
        let header: Vec<&str> = fields.iter().map(String::as_str).collect();
        let found = candidates(file, &header, specs, overrides);
        let complete = specs
            .iter()
            .zip(&found)
            .all(|(&(_, required), (_, columns))| !required || !columns.is_empty())
            && missing_one_of(file, specs, &found).is_none();
        let count = found
            .iter()
            .filter(|(_, columns)| !columns.is_empty())
            .count();
        if complete && best.is_none_or(|(_, most)| count > most) {
            best = Some((delimiter, count));
        }
    }
    best.map(|(delimiter, _)| delimiter)
}

/// The fields of the first record of `input`, quotes removed (`""` is a quote);
/// a line break inside quotes belongs to the field.
fn split_header(input: &[u8], delimiter: u8) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), Vec::new(), false);
    let mut bytes = input.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        match byte {
            b'"' if quoted && bytes.next_if_eq(&b'"').is_some() => field.push(b'"'),
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if byte == delimiter && !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(byte),
        }
    }
    fields.push(field);
    fields
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

/// "comma", "semicolon" or "tab"; "other" for any other byte.
pub fn delimiter_name(delimiter: u8) -> &'static str {
    let known = DELIMITERS.iter().find(|(byte, _, _)| *byte == delimiter);
    known.map_or("other", |(_, name, _)| name)
}

/// A `--delimiter` value: `comma`/`,`, `semicolon`/`;`, `tab`/`\t` (the two
/// characters) or a tab character; names in any ASCII case.
pub fn parse_delimiter(value: &str) -> Result<u8, String> {
    let key = value.trim_matches(' ').to_ascii_lowercase();
    let known = DELIMITERS
        .iter()
        .find(|(byte, name, symbol)| key == *name || key == *symbol || key.as_bytes() == [*byte]);
    let unknown = || format!("unknown delimiter \"{value}\" (expected comma, semicolon or tab)");
    known.map(|(byte, _, _)| *byte).ok_or_else(unknown)
}

#[cfg(test)]
mod tests;
