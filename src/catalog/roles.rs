//! GDAP roles (`roles.csv`, contract §3): the services each role administers and
//! the strongest upgrade it lets the partner submit, and the keys roles are known by.

use super::read::{CatalogError, CatalogRow, ColumnSpec, for_each_row, quoted, split_list};
use super::{Catalog, ServiceSet, lookup_key};

/// Index of a role in `roles.csv` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleIdx(pub u16);

/// What a role administers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleServices {
    /// `*`: every service.
    All,
    Set(ServiceSet),
}

/// The strongest upgrade a role lets the partner submit, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UpgradeRight {
    None,
    UpgradeOnly,
    LicenseTransfer,
}

impl UpgradeRight {
    /// Every value with its spelling in `roles.csv`.
    pub const VALUES: [(&'static str, UpgradeRight); 3] = [
        ("none", UpgradeRight::None),
        ("upgrade_only", UpgradeRight::UpgradeOnly),
        ("license_transfer", UpgradeRight::LicenseTransfer),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UpgradeRight::None => "none",
            UpgradeRight::UpgradeOnly => "upgrade_only",
            UpgradeRight::LicenseTransfer => "license_transfer",
        }
    }
}

/// A GDAP role of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The canonical name, as details print it.
    pub name: Box<str>,
    /// The roleDefinitionId (a GUID); empty when `roles.csv` gives none.
    pub id: Box<str>,
    /// Former names.
    pub aliases: Box<[Box<str>]>,
    pub services: RoleServices,
    pub upgrade: UpgradeRight,
}

/// Which key of which role a value matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleKey {
    pub role: RoleIdx,
    pub kind: RoleKeyKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKeyKind {
    Name,
    Id,
    Alias,
}

const ROLE_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("role"),
    ColumnSpec::optional("role_id"),
    ColumnSpec::required("services"),
    ColumnSpec::required("upgrade"),
    ColumnSpec::optional("aliases"),
];
const NAME: usize = 0;
const ID: usize = 1;
const SERVICES: usize = 2;
const UPGRADE: usize = 3;
const ALIASES: usize = 4;

/// Reads `roles.csv`: services must be the catalog's (or `*`), and no key may name
/// two roles.
pub(super) fn read_roles(
    catalog: &mut Catalog,
    file: &str,
    csv: &[u8],
) -> Result<(), CatalogError> {
    for_each_row(file, csv, ROLE_COLUMNS, |row| {
        let role = read_role(catalog, row)?;
        let idx = RoleIdx(u16::try_from(catalog.roles.len()).map_err(|_| {
            row.invalid(format!(
                "too many roles: a catalog holds at most {}",
                1 << 16
            ))
        })?);
        let keys = [(&role.name, RoleKeyKind::Name), (&role.id, RoleKeyKind::Id)]
            .into_iter()
            .chain(role.aliases.iter().map(|alias| (alias, RoleKeyKind::Alias)));
        for (key, kind) in keys.filter(|(key, _)| !key.is_empty()) {
            let normalised = lookup_key(key);
            match catalog.role_keys.get(&normalised) {
                Some(other) if other.role != idx => {
                    return Err(row.invalid(format!(
                        "{} names two roles: {} and {}",
                        quoted(key),
                        catalog.role(other.role).name,
                        role.name
                    )));
                }
                Some(_) => {}
                None => {
                    catalog
                        .role_keys
                        .insert(normalised, RoleKey { role: idx, kind });
                }
            }
        }
        catalog.roles.push(role);
        Ok(())
    })
}

fn read_role(catalog: &Catalog, row: &CatalogRow<'_>) -> Result<Role, CatalogError> {
    let name = row.get(NAME);
    if name.is_empty() {
        return Err(row.invalid("role: missing required value"));
    }
    let upgrade = row.get(UPGRADE);
    let upgrade = UpgradeRight::VALUES
        .iter()
        .find(|(spelling, _)| spelling.eq_ignore_ascii_case(upgrade))
        .map(|(_, right)| *right)
        .ok_or_else(|| {
            let expected: Vec<&str> = UpgradeRight::VALUES.iter().map(|(s, _)| *s).collect();
            row.invalid(format!(
                "upgrade: unknown value {} (expected one of {})",
                quoted(upgrade),
                expected.join(", ")
            ))
        })?;
    Ok(Role {
        name: name.into(),
        id: row.get(ID).into(),
        aliases: split_list(row.get(ALIASES)).map(Into::into).collect(),
        services: read_services(catalog, row)?,
        upgrade,
    })
}

/// `*` alone, or service names of the catalog's vocabulary (possibly none).
fn read_services(catalog: &Catalog, row: &CatalogRow<'_>) -> Result<RoleServices, CatalogError> {
    let names: Vec<&str> = split_list(row.get(SERVICES)).collect();
    if names.contains(&"*") {
        return if names.len() == 1 {
            Ok(RoleServices::All)
        } else {
            Err(row.invalid(
                "services: \"*\" (all services) must stand alone, not beside service names",
            ))
        };
    }
    let vocabulary = catalog.vocabulary();
    let mut set = ServiceSet::EMPTY;
    for name in names {
        let service = vocabulary.lookup(name).ok_or_else(|| {
            row.invalid(format!(
                "services: {} is not a service of offers.csv (known: {})",
                quoted(name),
                vocabulary.names().collect::<Vec<_>>().join(", ")
            ))
        })?;
        set = set.with(service);
    }
    Ok(RoleServices::Set(set))
}
