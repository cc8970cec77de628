//! `upgrade-recon explain`: for one subscription, or every subscription of one
//! customer, every check of every target with its outcome and evidence — the
//! answer to "why can't Müller GmbH go to E3, and what do I do?".

use std::io::IsTerminal;
use std::time::Instant;

use super::error::RunError;
use super::exit;
use super::load;
use crate::cli::ExplainArgs;
use crate::config::InputConfig;
use crate::engine::evaluate_customer;
use crate::model::{CustomerIdx, Dataset};
use crate::output::ReportInput;
use crate::output::explain::{json, text};
use crate::progress::Progress;
use crate::rules::admin_access;
use crate::suggest::closest;
use crate::text::IdKind;

/// What `explain` prints and how it exits.
#[derive(Debug)]
pub struct Explained {
    pub stdout: String,
    pub stderr: Vec<String>,
    pub exit: u8,
}

/// The ids suggested after an unknown one.
const SUGGESTIONS: usize = 3;

pub fn run(args: ExplainArgs) -> Result<Explained, RunError> {
    let config = InputConfig::from_args(args.input);
    let catalog = load::catalog(&config)?;
    let pool = load::thread_pool(&config)?;
    let loaded = pool.install(|| {
        load::load(
            &config,
            &catalog.catalog,
            Progress::new(true),
            Instant::now(),
        )
    })?;
    let dataset = &loaded.dataset;
    let lang = args.lang;
    let rejected = loaded.input.rejected.rows();
    let mut stderr = Vec::new();
    if rejected > 0 {
        let rows = if rejected == 1 {
            "row was"
        } else {
            "rows were"
        };
        stderr.push(format!(
            "upgrade-recon: warning: {rejected} input {rows} rejected (within --max-errors); run `upgrade-recon run` to list them in rejects.csv"
        ));
    }
    let ok = if rejected > 0 {
        exit::ROWS_REJECTED
    } else {
        exit::SUCCESS
    };

    let found = match (&args.subscription, &args.customer) {
        (Some(id), _) => find_subscription(dataset, id).map(|(c, p)| (c, vec![p])),
        (None, Some(id)) => find_customer(dataset, id).map(|c| {
            let count = dataset.customer(c).subscriptions.len();
            (c, (0..count).collect())
        }),
        (None, None) => None,
    };
    let Some((customer, positions)) = found else {
        let (kind, id, known): (IdKind, &str, Vec<&str>) =
            match (&args.subscription, &args.customer) {
                (Some(id), _) => (
                    IdKind::Subscription,
                    id,
                    dataset.subscriptions.iter().map(|s| &*s.id).collect(),
                ),
                (None, Some(id)) => (
                    IdKind::Customer,
                    id,
                    dataset.customers.iter().map(|c| c.id()).collect(),
                ),
                (None, None) => (IdKind::Subscription, "", Vec::new()),
            };
        let mut line = String::new();
        lang.explain_texts()
            .unknown_id(&mut line, kind, id, &closest(id, known, SUGGESTIONS));
        stderr.push(line);
        return Ok(Explained {
            stdout: String::new(),
            stderr,
            exit: exit::NOT_FOUND,
        });
    };

    let view = dataset.customer(customer);
    let decisions = evaluate_customer(&catalog.catalog, view, config.as_of);
    let input = ReportInput {
        catalog: &catalog.catalog,
        dataset,
        as_of: config.as_of,
        texts: lang.texts(),
    };
    let cx = input.context(customer, &decisions);
    let stdout = if args.json {
        let access = admin_access(&catalog.catalog, view.relationships, config.as_of);
        let document = serde_json::json!({
            "as_of": config.as_of.to_string(),
            "customers": [json::customer(&cx, &decisions, &access, &positions)],
        });
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    } else {
        let style = text::Style {
            colour: colour_wanted(),
        };
        let mut out = String::new();
        text::customer(
            &mut out,
            lang.explain_texts(),
            lang.texts(),
            style,
            &cx,
            &decisions,
            &positions,
        );
        out
    };
    Ok(Explained {
        stdout,
        stderr,
        exit: ok,
    })
}

/// The customer and position of the subscription with `id` (ids compare
/// ASCII-case-insensitively, as everywhere).
fn find_subscription(dataset: &Dataset, id: &str) -> Option<(CustomerIdx, usize)> {
    let id = id.trim();
    dataset.customer_views().find_map(|view| {
        view.subscriptions
            .iter()
            .position(|s| s.id.eq_ignore_ascii_case(id))
            .map(|position| (view.idx, position))
    })
}

fn find_customer(dataset: &Dataset, id: &str) -> Option<CustomerIdx> {
    let id = id.trim();
    dataset
        .customers
        .iter()
        .position(|c| c.id().eq_ignore_ascii_case(id))
        .map(|i| CustomerIdx(i as u32))
}

/// Colour on a terminal, unless `NO_COLOR` is set (no-color.org).
fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
