//! The settings of a command, resolved from the command line (defaults filled in).

use std::num::NonZeroUsize;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{InputArgs, LogFormat, RunArgs};
use crate::input::{InputFormat, ReadOptions};
use crate::model::Filter;
use crate::output::Formats;

/// Where the catalog comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    Builtin,
    Dir(PathBuf),
}

/// What to read and how (`run` and `explain` alike).
#[derive(Debug, Clone)]
pub struct InputConfig {
    pub input: PathBuf,
    pub as_of: NaiveDate,
    pub catalog: CatalogSource,
    pub max_errors: u64,
    pub threads: NonZeroUsize,
    pub read: ReadOptions,
    pub format: InputFormat,
}

impl InputConfig {
    pub fn from_args(args: InputArgs) -> InputConfig {
        InputConfig {
            input: args.input,
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
            read: ReadOptions::default(),
            format: InputFormat {
                delimiter: args.delimiter,
                encoding: args.encoding,
                overrides: args.column,
            },
        }
    }
}

/// The settings of one `run`.
#[derive(Debug, Clone)]
pub struct Config {
    pub input: InputConfig,
    pub out: PathBuf,
    /// The report set `changes.csv` compares with, instead of the one in `out`.
    pub previous: Option<PathBuf>,
    pub filter: Filter,
    pub quiet: bool,
    pub log_format: LogFormat,
    pub guard: Guard,
    /// `--csv-style`, `--xlsx` and `--lang`.
    pub formats: Formats,
}

/// Guards against a broken export (both off by default).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Guard {
    pub min_customers: Option<u64>,
    /// Percent.
    pub max_drop: Option<f64>,
}

impl Config {
    pub fn from_args(args: RunArgs) -> Config {
        Config {
            input: InputConfig::from_args(args.input),
            out: args.out,
            previous: args.previous,
            filter: Filter {
                customers: args.customers,
                account_managers: args.account_managers,
            },
            quiet: args.quiet,
            log_format: args.log_format,
            guard: Guard {
                min_customers: args.min_customers,
                max_drop: args.max_drop,
            },
            formats: Formats {
                csv: args.csv_style,
                workbook: args.xlsx,
                lang: args.lang,
            },
        }
    }
}
