//! The `upgrade-recon` binary: parses the command line, dispatches to the command,
//! prints errors and the summary line on stderr and exits with the documented code.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use upgrade_recon::cli::{Cli, Command};
use upgrade_recon::cmd::log::{self, Level};
use upgrade_recon::cmd::{self, exit, print_stderr};
use upgrade_recon::config::Config;
use upgrade_recon::progress::Progress;
use upgrade_recon::text::RunLine;

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
        Command::Catalog(args) => catalog(args),
        Command::Diff(args) => diff(args),
        Command::Generate(args) => generate(args),
    })
}

fn run(args: upgrade_recon::cli::RunArgs) -> u8 {
    let started = Instant::now();
    let config = Config::from_args(args);
    let (format, lang) = (config.log_format, config.formats.lang);
    let result = cmd::run::run(&config, Progress::new(config.quiet));
    let (code, counts) = match &result {
        Ok(outcome) => (outcome.exit_code(), Some(outcome.counts())),
        Err(error) => (error.exit_code(), None),
    };
    match &result {
        Ok(outcome) => {
            let warnings = outcome.warnings.iter();
            print_stderr(warnings.map(|w| log::message(format, Level::Warning, w)));
            if !config.quiet && !outcome.recovered.is_empty() {
                let recovered = format!(
                    "upgrade-recon: {}: {}",
                    config.out.display(),
                    outcome.recovered
                );
                print_stderr([log::message(format, Level::Info, &recovered)]);
            }
        }
        Err(error) => {
            let lines = error.problem_lines();
            print_stderr(lines.iter().map(|l| log::message(format, Level::Error, l)));
        }
    }
    let line = RunLine {
        input: config.input.input.display().to_string(),
        out: config.out.display().to_string(),
        as_of: config.input.as_of.to_string(),
        seconds: started.elapsed().as_secs_f64(),
        exit_code: code,
        counts,
    };
    if !config.quiet || result.is_err() {
        print_stderr([log::run_line(format, lang, &line)]);
    } else if let Some(counts) = counts.filter(|c| c.rejected_rows > 0) {
        let warning = format!(
            "upgrade-recon: {}",
            lang.texts().rejected_warning(counts.rejected_rows)
        );
        print_stderr([log::message(format, Level::Warning, &warning)]);
    }
    code
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

fn catalog(args: upgrade_recon::cli::CatalogArgs) -> u8 {
    let outcome = cmd::catalog::run(args);
    print_stderr(&outcome.stderr);
    if !cmd::print_stdout(&outcome.stdout) {
        return exit::CANT_WRITE;
    }
    outcome.exit
}
