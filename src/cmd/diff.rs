//! `upgrade-recon diff OLD_DIR NEW_DIR [--out DIR]`: what changed between two report
//! sets (contract §7), as `changes.csv` on stdout or in DIR.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::exit;
use crate::cli::DiffArgs;
use crate::output::changes::{self, CHANGES_FILE, SetError};
use crate::output::csv::CsvOut;

/// Why `diff` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("cannot read the report set: {0}")]
    Set(#[from] SetError),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DiffError {
    pub fn exit_code(&self) -> u8 {
        match self {
            DiffError::Set(_) => exit::NO_INPUT,
            DiffError::Write { .. } => exit::CANT_WRITE,
        }
    }
}

/// The comparison's `changes.csv`: returned for stdout without `--out`, else written
/// (`None` returned).
pub fn run(args: &DiffArgs) -> Result<Option<Vec<u8>>, DiffError> {
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| changes::read_set(&args.old));
        let new = changes::read_set(&args.new);
        let old = old
            .join()
            .unwrap_or_else(|_| Err(SetError::new(&args.old, "reading failed".to_owned())));
        (old, new)
    });
    let (old, new) = (old?, new?);
    let mut csv = CsvOut::default();
    changes::diff(&old, &new, &mut csv);
    let bytes = csv.into_bytes();
    match &args.out {
        None => Ok(Some(bytes)),
        Some(dir) => write_changes(dir, &bytes).map(|()| None),
    }
}

/// Writes `DIR/changes.csv` whole or not at all.
fn write_changes(dir: &Path, bytes: &[u8]) -> Result<(), DiffError> {
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |source| DiffError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(failed(dir))?;
    let target = dir.join(CHANGES_FILE);
    let mut temp = tempfile::Builder::new()
        .prefix(".changes.csv.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed(&target))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(failed(&target))?;
    temp.persist(&target).map_err(|e| DiffError::Write {
        path: target.clone(),
        source: e.error,
    })?;
    Ok(())
}
