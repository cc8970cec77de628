//! `upgrade-recon catalog export DIR` and `catalog lookup VALUE`: the built-in
//! catalog's files for a partner to edit, and how a value resolves — the first
//! thing an account manager asks when a verdict surprises them.

use super::exit;
use crate::catalog::{Catalog, export_builtin};
use crate::cli::{CatalogArgs, CatalogCommand};

/// What the command prints and how it exits.
#[derive(Debug)]
pub struct CatalogOutcome {
    pub stdout: String,
    pub stderr: Vec<String>,
    pub exit: u8,
}

pub fn run(args: CatalogArgs) -> CatalogOutcome {
    match args.command {
        CatalogCommand::Export { dir } => match export_builtin(&dir) {
            Ok(written) => CatalogOutcome {
                stdout: String::new(),
                stderr: vec![format!(
                    "upgrade-recon: wrote the built-in catalog's {} files to {}",
                    written.len(),
                    dir.display()
                )],
                exit: exit::SUCCESS,
            },
            Err(error) => CatalogOutcome {
                stdout: String::new(),
                stderr: vec![format!("upgrade-recon: {error}")],
                exit: exit::CANT_WRITE,
            },
        },
        CatalogCommand::Lookup { value, catalog } => {
            let loaded = match &catalog {
                Some(dir) => Catalog::from_dir(dir),
                None => Catalog::builtin(),
            };
            match loaded {
                Ok(catalog) => {
                    let lookup = catalog.lookup(&value);
                    CatalogOutcome {
                        stdout: lookup.to_string(),
                        stderr: Vec::new(),
                        exit: if lookup.found() {
                            exit::SUCCESS
                        } else {
                            exit::NOT_FOUND
                        },
                    }
                }
                Err(error) => CatalogOutcome {
                    stdout: String::new(),
                    stderr: vec![error.to_string()],
                    exit: if error.is_unreadable() {
                        exit::NO_INPUT
                    } else {
                        exit::DATA_INVALID
                    },
                },
            }
        }
    }
}
