//! The command line (clap derive): subcommands, options and their help texts.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0   success
  2   usage error (unknown option, bad option value)
  3   success, but some input rows were rejected (within --max-errors; see rejects.csv)
  65  invalid input data: bad header, bad rows beyond --max-errors, invalid catalog (nothing written)
  66  an input file (or catalog file) is missing or unreadable (nothing written)
  71  the worker threads could not be started (nothing written)
  74  the reports could not be written (an existing report set is left untouched)
  75  another run holds --out (the message names its pid and start time): nothing written,
      nothing waited for; try again later (a run that was killed never blocks)";

const RUN_HELP: &str = "\
Input files, all required, in --input (CSV with a header row; encoding, delimiter and the
Partner Center / admin center header names are recognised per file, see docs/input.md):
  customers.csv             customer_id, company_name [, domain, country, account_manager]
  subscriptions.csv         subscription_id, customer_id, offer, status, quantity [, channel]
  admin_relationships.csv   customer_id, status, services and/or roles (GDAP role names or ids)
                            [, start_date, end_date, relationship_id]
  license_assignments.csv   customer_id, user_principal_name, offer [, disabled_services]
                            (or a folder users/ of admin-center 'Active users' exports,
                            one per customer: users/<customer_id or domain>.csv)

Reports, all written to --out on every successful run (header-only when empty):
  eligible_upgrades.csv, blocked_upgrades.csv, reassignments.csv, overview.csv,
  actions.csv, rejects.csv, changes.csv, summary.json, decisions.bin (the compact record
  of the decisions that the next run compares with), and upgrade-recon.xlsx with --xlsx.
A cell that would start a formula in a spreadsheet is written with a leading '.
changes.csv lists the upgrade pairs that changed since the set in --out (or --previous DIR);
an unusable previous set is treated as none, with a warning.
A failed run writes no report and leaves an existing set untouched. One run at a time per
--out (lock file .upgrade-recon.lock); after a killed run, the next one first completes or
undoes its replacement, so --out always holds one whole set.";

#[derive(Debug, Parser)]
#[command(
    name = "upgrade-recon",
    version,
    about = "Finds which Office 365 subscriptions a CSP partner can upgrade, which are blocked and why, \
             and which user accounts need license reassignment.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate every subscription against Partner Center's upgrade rules and write the reports.
    #[command(after_help = format!("{RUN_HELP}\n\n{EXIT_CODES}"))]
    Run(RunArgs),
    /// Show, for one subscription or every subscription of one customer, every
    /// check of every upgrade target with its evidence (reads input like `run`).
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Compare two report sets: the upgrade pairs whose verdict or reason codes
    /// changed, appeared or disappeared, as changes.csv.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Write deterministic synthetic input files (for benchmarks and load tests).
    Generate(GenerateArgs),
    /// Export the built-in catalog, or show how a value resolves in a catalog.
    Catalog(CatalogArgs),
}

const DIFF_HELP: &str = "\
Reads each set's decisions.bin when summary.json lists it (size and checksum must match),
else its eligible_upgrades.csv and blocked_upgrades.csv (sets of older versions, v1 included).
Exit codes:
  0   success
  2   usage error
  66  a report set is missing, incomplete or unreadable (the file is named)
  74  --out could not be written";

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The earlier report set.
    #[arg(value_name = "OLD_DIR")]
    pub old: PathBuf,

    /// The later report set.
    #[arg(value_name = "NEW_DIR")]
    pub new: PathBuf,

    /// Write DIR/changes.csv (created if missing) instead of printing to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

const EXPLAIN_HELP: &str = "\
Exit codes: as `run` (0, 2, 3 when rows were rejected within --max-errors, 65, 66, 71),
and 1 when no subscription or customer has the id (the closest ids are suggested).
Text goes to stdout; --json writes one JSON document whose verdicts, codes and
reassignment rows equal what `run` reports.";

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["subscription", "customer"])))]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The subscription to explain.
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,

    /// The customer whose every subscription to explain.
    #[arg(long, value_name = "ID")]
    pub customer: Option<String>,

    /// One JSON document instead of text.
    #[arg(long)]
    pub json: bool,

    /// The language of the text: en or de (JSON keys and codes stay English).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: crate::text::Lang,
}

#[derive(Debug, Clone, Args)]
pub struct CatalogArgs {
    #[command(subcommand)]
    pub command: CatalogCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum CatalogCommand {
    /// Write the built-in catalog's five files to DIR.
    ///
    /// Writes offers.csv, upgrade_paths.csv, products.csv (Microsoft's product list),
    /// service_plans.csv and roles.csv byte for byte as built in, to edit them or drop in
    /// Microsoft's latest product list and run with --catalog DIR.
    #[command(after_help = CATALOG_EXPORT_HELP)]
    Export {
        /// Folder to write the files to (created if missing; files of the same names are
        /// replaced, other files are left alone).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Show how VALUE resolves: which offer, product or role, by which key.
    ///
    /// Prints the offer, product or GDAP role VALUE names, by which key (offer id, name,
    /// SKU or alias; product String_Id, GUID or display name; role name, id or former
    /// name), with its services and upgrade path or upgrade right; or that it is unknown,
    /// with the closest known names.
    #[command(after_help = CATALOG_LOOKUP_HELP)]
    Lookup {
        /// An offer id, name or SKU, a product String_Id, GUID or display name, or a role
        /// name, roleDefinitionId or former name (case and runs of white space ignored).
        #[arg(value_name = "VALUE")]
        value: String,

        /// Folder holding the catalog to look in [default: the built-in catalog].
        #[arg(long, value_name = "DIR")]
        catalog: Option<PathBuf>,
    },
}

const CATALOG_EXPORT_HELP: &str = "\
Exit codes:
  0   the five files were written
  2   usage error
  74  DIR or a file in it could not be written";

const CATALOG_LOOKUP_HELP: &str = "\
Exit codes:
  0   VALUE names an offer, a product or a role
  1   VALUE is unknown (the closest known names are printed)
  2   usage error
  65  the catalog given with --catalog is invalid
  66  a file of the catalog given with --catalog is missing or unreadable";

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of customers to generate (about 2.5 subscriptions and 40 license rows each).
    #[arg(long, value_name = "N")]
    pub customers: u64,

    /// Seed of the generator: the same seed and count give byte-identical files.
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,

    /// Folder to write the four input files to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The options that say what to read and how: shared by `run` and `explain`,
/// which read and validate input the same way.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Folder holding the four input CSV files.
    #[arg(long, value_name = "DIR", default_value = "fixtures/sample")]
    pub input: PathBuf,

    /// Day on which relationships must be valid (YYYY-MM-DD) [default: today, local time].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,

    /// Folder with offers.csv and upgrade_paths.csv (and optionally products.csv,
    /// service_plans.csv, roles.csv) replacing the built-in catalog whole.
    #[arg(long, value_name = "DIR")]
    pub catalog: Option<PathBuf>,

    /// Rejected rows tolerated: up to N are skipped and listed in rejects.csv (exit 3); more fail the run (exit 65).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub max_errors: u64,

    /// Worker threads for reading, evaluating and formatting, 1 to 256; reports are
    /// identical for any N [default: all cores].
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,

    /// Delimiter of every input file: comma, semicolon or tab [default: detected per file].
    #[arg(long, value_name = "DELIMITER", value_parser = crate::input::parse_delimiter)]
    pub delimiter: Option<u8>,

    /// Encoding of every input file: utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252
    /// [default: detected per file: UTF-16 by its byte-order mark, UTF-8, else Windows-1252].
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<crate::input::Encoding>,

    /// Read FIELD of FILE from the column headed HEADER, e.g. subscriptions.offer=Produktname
    /// (repeatable; FILE is customers, subscriptions, admin_relationships, license_assignments
    /// or users).
    #[arg(long, value_name = "FILE.FIELD=HEADER")]
    pub column: Vec<crate::input::ColumnOverride>,
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder to write the reports to (created if missing; locked while the run lasts).
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,

    /// The report set changes.csv compares with [default: the set in --out].
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,

    /// Report only on this customer (repeatable; with --account-manager, a customer
    /// matching any value is reported). Input is still read and validated whole.
    #[arg(long = "customer", value_name = "ID")]
    pub customers: Vec<String>,

    /// Report only on the customers of this account manager (repeatable; case and
    /// spacing ignored).
    #[arg(long = "account-manager", value_name = "NAME")]
    pub account_managers: Vec<String>,

    /// No progress bars and no summary line on stderr (errors, and a warning when
    /// rows were rejected, are still printed).
    #[arg(long)]
    pub quiet: bool,

    /// How stderr lines are written: text, or one JSON object per line.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub log_format: LogFormat,

    /// Fail (exit 65, previous reports kept) when the input holds fewer customers
    /// than N: a guard against a broken export.
    #[arg(long, value_name = "N")]
    pub min_customers: Option<u64>,

    /// Fail (exit 65, previous reports kept) when the input holds more than PERCENT
    /// fewer customers than the previous report set counted.
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub max_drop: Option<f64>,

    /// Also write upgrade-recon.xlsx: a Summary sheet, then every report as a sheet,
    /// ids and names as text cells (so 00042 stays 00042 in Excel).
    #[arg(long)]
    pub xlsx: bool,

    /// Layout of the CSV reports: plain (UTF-8, comma, LF), excel (UTF-8 with BOM,
    /// comma, CRLF) or excel-de (UTF-8 with BOM, semicolon, CRLF: German Excel opens
    /// it by double-click).
    #[arg(long, value_name = "STYLE", default_value = "plain")]
    pub csv_style: crate::output::csv::CsvStyle,

    /// The language of the details, the run line and the workbook's sheet names
    /// and headings: en or de. Codes, CSV column names and input errors stay English.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: crate::text::Lang,
}

/// How stderr lines are written (`--log-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One line of text per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

fn parse_percent(value: &str) -> Result<f64, String> {
    match value.trim().trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err("expected a percentage from 0 to 100".to_owned()),
    }
}

/// The most worker threads `--threads` accepts: far more than any machine this
/// job runs on needs, few enough that a typo cannot exhaust the system.
pub const MAX_THREADS: usize = 256;

fn parse_threads(value: &str) -> Result<NonZeroUsize, String> {
    match value.trim().parse::<usize>() {
        Ok(n @ 1..=MAX_THREADS) => NonZeroUsize::new(n).ok_or_else(|| "must be at least 1".into()),
        _ => Err(format!("expected a number from 1 to {MAX_THREADS}")),
    }
}

fn parse_as_of(value: &str) -> Result<NaiveDate, String> {
    crate::input::parse_iso_date(value.trim())
        .ok_or_else(|| format!("\"{value}\" is not a date in the form YYYY-MM-DD"))
}
