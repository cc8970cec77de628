//! Header names of the four input files (issue items 1 and 3).
//!
//! Each canonical field of the contract accepts a fixed list of spellings (its
//! own name and the names Partner Center, GDAP / Graph and the Microsoft 365
//! admin center exports use), matched by `csvio`'s header matching: case,
//! whitespace, `_` and `-` ignored. `--column FILE.FIELD=HEADER`
//! ([`ColumnOverride`]) names the header of a field outright.

use std::fmt;
use std::str::FromStr;

use crate::csvio::{AliasTable, ColumnSpec, HeaderOverride, HeaderRules, normalize};

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
    ("display_name", &["display_name", "Display name", "displayName", "Relationship name"]),
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

    /// How this file's header is matched against `specs`, with the `--column`
    /// overrides of this file.
    pub fn rules<'a>(
        self,
        specs: &'a [ColumnSpec],
        overrides: &'a [ColumnOverride],
    ) -> HeaderRules<'a> {
        HeaderRules {
            specs,
            aliases: self.table(),
            overrides: overrides
                .iter()
                .filter(|o| o.file == self)
                .map(|o| HeaderOverride {
                    field: &o.field,
                    header: &o.header,
                })
                .collect(),
            option_prefix: self.prefix(),
            one_of: match self {
                InputFile::Relationships => &[&["services", "roles"]],
                _ => &[],
            },
        }
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

#[cfg(test)]
mod tests;
