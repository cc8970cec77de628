//! The `upgrade-recon` binary: parses the command line, runs the job, prints
//! errors and the summary line on stderr and exits with the documented code.

use std::process::ExitCode;

use clap::Parser;

use upgrade_recon::catalog::{Catalog, export_builtin};
use upgrade_recon::cli::{CatalogArgs, CatalogCommand, Cli, Command, GenerateArgs};
use upgrade_recon::config::Config;
use upgrade_recon::progress::Progress;
use upgrade_recon::run;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                run::exit::USAGE
            } else {
                0
            });
        }
    };
    match cli.command {
        Command::Generate(args) => generate(args),
        Command::Catalog(args) => catalog(args),
        Command::Run(args) => {
            let config = Config::from_args(args);
            match run::run(&config, Progress::new(config.quiet)) {
                Ok(outcome) => {
                    if !config.quiet {
                        eprintln!("{}", outcome.summary_line(&config.out));
                    }
                    ExitCode::from(outcome.exit_code())
                }
                Err(error) => {
                    for line in error.problem_lines() {
                        eprintln!("{line}");
                    }
                    ExitCode::from(error.exit_code())
                }
            }
        }
    }
}

fn generate(args: GenerateArgs) -> ExitCode {
    let options = upgrade_recon::generate::GenerateOptions {
        customers: args.customers,
        seed: args.seed,
        out: args.out,
    };
    match upgrade_recon::generate::generate(&options) {
        Ok(stats) => {
            eprintln!(
                "upgrade-recon: generated {} customers, {} subscriptions, {} relationships, {} license rows ({} bytes) in {}",
                stats.customers,
                stats.subscriptions,
                stats.relationships,
                stats.licenses,
                stats.bytes,
                options.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "upgrade-recon: cannot write {}: {error}",
                options.out.display()
            );
            ExitCode::from(run::exit::CANT_WRITE)
        }
    }
}

/// `catalog export DIR` and `catalog lookup VALUE [--catalog DIR]`.
fn catalog(args: CatalogArgs) -> ExitCode {
    match args.command {
        CatalogCommand::Export { dir } => match export_builtin(&dir) {
            Ok(written) => {
                eprintln!(
                    "upgrade-recon: wrote the built-in catalog's {} files to {}",
                    written.len(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("upgrade-recon: {error}");
                ExitCode::from(run::exit::CANT_WRITE)
            }
        },
        CatalogCommand::Lookup { value, catalog } => {
            let loaded = match &catalog {
                Some(dir) => Catalog::from_dir(dir),
                None => Catalog::builtin(),
            };
            let catalog = match loaded {
                Ok(catalog) => catalog,
                Err(error) => {
                    eprintln!("{error}");
                    return ExitCode::from(if error.is_unreadable() {
                        run::exit::NO_INPUT
                    } else {
                        run::exit::DATA_INVALID
                    });
                }
            };
            let lookup = catalog.lookup(&value);
            print!("{lookup}");
            ExitCode::from(if lookup.found() { 0 } else { 1 })
        }
    }
}
