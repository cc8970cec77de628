//! The `upgrade-recon` binary: parses the command line, dispatches to the command,
//! prints errors and the summary line on stderr and exits with the documented code.

use std::process::ExitCode;

use clap::Parser;

use upgrade_recon::cli::{Cli, Command};
use upgrade_recon::cmd::{self, exit, print_stderr};
use upgrade_recon::config::Config;
use upgrade_recon::progress::Progress;
use upgrade_recon::text::Lang;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    ExitCode::from(match cli.command {
        Command::Run(args) => run(args),
        Command::Explain(args) => explain(args),
        Command::Diff(args) => diff(args),
        Command::Generate(args) => generate(args),
    })
}

fn run(args: upgrade_recon::cli::RunArgs) -> u8 {
    let config = Config::from_args(args);
    match cmd::run::run(&config, Progress::new(config.quiet)) {
        Ok(outcome) => {
            print_stderr(&outcome.warnings);
            if !config.quiet {
                print_stderr([outcome.summary_line(&config.out, Lang::En)]);
            }
            outcome.exit_code()
        }
        Err(error) => {
            print_stderr(error.problem_lines());
            error.exit_code()
        }
    }
}

fn diff(args: upgrade_recon::cli::DiffArgs) -> u8 {
    match cmd::diff::run(&args) {
        Ok(Some(changes)) => {
            if cmd::print_stdout(&String::from_utf8_lossy(&changes)) {
                exit::SUCCESS
            } else {
                exit::CANT_WRITE
            }
        }
        Ok(None) => exit::SUCCESS,
        Err(error) => {
            print_stderr([format!("upgrade-recon: {error}")]);
            error.exit_code()
        }
    }
}

fn generate(args: upgrade_recon::cli::GenerateArgs) -> u8 {
    match cmd::generate::run(args) {
        Ok((stats, options)) => {
            print_stderr([cmd::generate::summary_line(&stats, &options)]);
            exit::SUCCESS
        }
        Err(error) => {
            print_stderr([format!("upgrade-recon: {error:#}")]);
            exit::CANT_WRITE
        }
    }
}

fn explain(args: upgrade_recon::cli::ExplainArgs) -> u8 {
    match cmd::explain::run(args) {
        Ok(explained) => {
            print_stderr(&explained.stderr);
            if !cmd::print_stdout(&explained.stdout) {
                return exit::CANT_WRITE;
            }
            explained.exit
        }
        Err(error) => {
            print_stderr(error.problem_lines());
            error.exit_code()
        }
    }
}
