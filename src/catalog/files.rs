//! The files a catalog is made of: the built-in ones compiled into the program,
//! or those of a `--catalog DIR`; their fingerprint; exporting the built-in set.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::read::CatalogError;
use crate::csvio::CsvFile;

pub const OFFERS: &str = "offers.csv";
pub const UPGRADE_PATHS: &str = "upgrade_paths.csv";
pub const PRODUCTS: &str = "products.csv";
pub const SERVICE_PLANS: &str = "service_plans.csv";
pub const ROLES: &str = "roles.csv";

/// The catalog's files, in the order they are fingerprinted and exported.
pub const FILE_NAMES: [&str; 5] = [OFFERS, UPGRADE_PATHS, PRODUCTS, SERVICE_PLANS, ROLES];

/// The built-in catalog, file by file, byte for byte as in `src/catalog/default/`.
const BUILTIN: [&[u8]; 5] = [
    include_bytes!("default/offers.csv"),
    include_bytes!("default/upgrade_paths.csv"),
    include_bytes!("default/products.csv"),
    include_bytes!("default/service_plans.csv"),
    include_bytes!("default/roles.csv"),
];

/// One file of a catalog.
#[derive(Clone)]
pub struct CatalogFile {
    /// The file's name in a catalog folder (one of [`FILE_NAMES`]).
    pub name: &'static str,
    /// How messages name the file: its path, or "built-in catalog offers.csv".
    pub label: String,
    /// The content; `None` for an optional file the catalog does not have.
    pub bytes: Option<Cow<'static, [u8]>>,
}

/// Shows the file's size, not its megabyte of content.
impl std::fmt::Debug for CatalogFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogFile")
            .field("name", &self.name)
            .field("label", &self.label)
            .field("bytes", &self.bytes.as_ref().map(|bytes| bytes.len()))
            .finish()
    }
}

/// The five files of one catalog, in [`FILE_NAMES`] order.
#[derive(Debug, Clone)]
pub struct CatalogFiles {
    files: [CatalogFile; 5],
}

impl CatalogFiles {
    /// The files compiled into the program.
    pub fn builtin() -> CatalogFiles {
        CatalogFiles {
            files: std::array::from_fn(|i| CatalogFile {
                name: FILE_NAMES[i],
                label: format!("built-in catalog {}", FILE_NAMES[i]),
                bytes: Some(Cow::Borrowed(BUILTIN[i])),
            }),
        }
    }

    /// The files of `dir`: `offers.csv` and `upgrade_paths.csv` must be there, the
    /// others may be missing. Nothing is taken from the built-in catalog.
    pub fn from_dir(dir: &Path) -> Result<CatalogFiles, CatalogError> {
        let read = |name: &'static str| {
            let path = dir.join(name);
            let label = path.display().to_string();
            let required = matches!(name, OFFERS | UPGRADE_PATHS);
            let missing = matches!(
                path.symlink_metadata(),
                Err(error) if error.kind() == io::ErrorKind::NotFound
            );
            let bytes = if missing && !required {
                None
            } else {
                // Opened as the input files are: a FIFO or device is refused, never waited on.
                let file = CsvFile::open(&path, &label).map_err(CatalogError::Table)?;
                Some(Cow::Owned(file.read_all().map_err(CatalogError::Table)?))
            };
            Ok(CatalogFile { name, label, bytes })
        };
        Ok(CatalogFiles {
            files: [
                read(OFFERS)?,
                read(UPGRADE_PATHS)?,
                read(PRODUCTS)?,
                read(SERVICE_PLANS)?,
                read(ROLES)?,
            ],
        })
    }

    /// Files given as text, in [`FILE_NAMES`] order, named by their bare names.
    #[cfg(test)]
    pub(super) fn in_memory(contents: [Option<&str>; 5]) -> CatalogFiles {
        CatalogFiles {
            files: std::array::from_fn(|i| CatalogFile {
                name: FILE_NAMES[i],
                label: FILE_NAMES[i].to_owned(),
                bytes: contents[i].map(|text| Cow::Owned(text.as_bytes().to_vec())),
            }),
        }
    }

    /// The file named `name` (one of [`FILE_NAMES`]).
    pub fn get(&self, name: &str) -> Option<&CatalogFile> {
        self.files.iter().find(|file| file.name == name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &CatalogFile> {
        self.files.iter()
    }

    /// SHA-256 (hex) over every file in [`FILE_NAMES`] order: its name, a NUL, then
    /// `absent`, or its length as 8 little-endian bytes followed by its content.
    /// Equal catalogs, built-in or exported and read back, have equal fingerprints.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for file in &self.files {
            hasher.update(file.name.as_bytes());
            hasher.update([0]);
            match &file.bytes {
                None => hasher.update(b"absent"),
                Some(bytes) => {
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(bytes);
                }
            }
        }
        hasher
            .finalize()
            .iter()
            .fold(String::with_capacity(64), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            })
    }
}

/// A built-in catalog file that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write: {source}", .path.display())]
pub struct ExportError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// Writes the built-in catalog's five files into `dir` (created if missing),
/// replacing files of the same names; returns the paths written.
pub fn export_builtin(dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::with_capacity(FILE_NAMES.len());
    for (name, bytes) in FILE_NAMES.into_iter().zip(BUILTIN) {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| ExportError {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
