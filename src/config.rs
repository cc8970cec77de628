//! The settings of one run, resolved from the command line (defaults filled in).

use std::num::NonZeroUsize;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::RunArgs;
use crate::input::{InputFormat, ReadOptions};

/// Where the catalog comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    Builtin,
    Dir(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub input: PathBuf,
    pub out: PathBuf,
    pub as_of: NaiveDate,
    pub catalog: CatalogSource,
    pub max_errors: u64,
    pub threads: NonZeroUsize,
    pub quiet: bool,
    pub read: ReadOptions,
    pub format: InputFormat,
}

impl Config {
    pub fn from_args(args: RunArgs) -> Config {
        Config {
            input: args.input,
            out: args.out,
            as_of: args
                .as_of
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            catalog: args
                .catalog
                .map_or(CatalogSource::Builtin, CatalogSource::Dir),
            max_errors: args.max_errors,
            threads: args.threads.unwrap_or_else(|| {
                std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
            }),
            quiet: args.quiet,
            read: ReadOptions::default(),
            format: InputFormat {
                delimiter: args.delimiter,
                encoding: args.encoding,
                overrides: args.column,
            },
        }
    }
}
