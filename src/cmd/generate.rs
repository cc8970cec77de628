//! `upgrade-recon generate`: deterministic synthetic input files, for benchmarks
//! and load tests.

use anyhow::Context as _;

use crate::cli::GenerateArgs;
use crate::generate::{GenerateOptions, GenerateStats, generate};

/// Writes the files; the error names the folder that could not be written.
pub fn run(args: GenerateArgs) -> anyhow::Result<(GenerateStats, GenerateOptions)> {
    let options = GenerateOptions {
        customers: args.customers,
        seed: args.seed,
        out: args.out,
    };
    let stats =
        generate(&options).with_context(|| format!("cannot write {}", options.out.display()))?;
    Ok((stats, options))
}

/// The line the command leaves on stderr.
pub fn summary_line(stats: &GenerateStats, options: &GenerateOptions) -> String {
    format!(
        "upgrade-recon: generated {} customers, {} subscriptions, {} relationships, {} license rows ({} bytes) in {}",
        stats.customers,
        stats.subscriptions,
        stats.relationships,
        stats.licenses,
        stats.bytes,
        options.out.display()
    )
}
