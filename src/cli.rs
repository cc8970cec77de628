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
  74  the reports could not be written (an existing report set is left untouched)";

const RUN_HELP: &str = "\
Input files, all required, in --input (CSV with a header row; encoding, delimiter and the
Partner Center / admin center header names are recognised per file, see README):
  customers.csv             customer_id, company_name [, domain, country, account_manager]
  subscriptions.csv         subscription_id, customer_id, offer, status, quantity [, channel]
  admin_relationships.csv   customer_id, status, services and/or roles (GDAP role names or ids)
                            [, start_date, end_date, relationship_id]
  license_assignments.csv   customer_id, user_principal_name, offer [, disabled_services]
                            (or a folder users/ of admin-center 'Active users' exports,
                            one per customer: users/<customer_id or domain>.csv)

Reports, all written to --out on every successful run (header-only when empty):
  eligible_upgrades.csv, blocked_upgrades.csv, reassignments.csv, rejects.csv, summary.json
A failed run writes no report and leaves an existing set untouched.";

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
    /// Write deterministic synthetic input files (for benchmarks and load tests).
    Generate(GenerateArgs),
    /// Export the built-in catalog, or show how a value resolves in a catalog.
    Catalog(CatalogArgs),
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

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Folder holding the four input CSV files.
    #[arg(long, value_name = "DIR", default_value = "fixtures/sample")]
    pub input: PathBuf,

    /// Folder to write the reports to (created if missing).
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,

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

    /// Worker threads for reading, evaluating and formatting; reports are identical for any N
    /// [default: all cores].
    #[arg(long, value_name = "N")]
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

    /// No progress bars and no summary line on stderr (errors are still printed).
    #[arg(long)]
    pub quiet: bool,
}

fn parse_as_of(value: &str) -> Result<NaiveDate, String> {
    crate::input::parse_iso_date(value.trim())
        .ok_or_else(|| format!("\"{value}\" is not a date in the form YYYY-MM-DD"))
}
