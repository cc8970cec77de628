//! The `upgrade-recon` binary: parses the command line, runs the job, prints
//! errors and the summary line on stderr and exits with the documented code.

use std::process::ExitCode;

use clap::Parser;

use upgrade_recon::cli::{Cli, Command};
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
