//! The run's line on stderr for a log collector: timestamp, version, input, as-of
//! date, counts, duration and exit code — as text, or as one JSON object per line
//! (`--log-format json`). Error lines take the same form.

use chrono::SecondsFormat;
use serde_json::json;

pub use crate::cli::LogFormat;
use crate::text::{Lang, RunCounts, RunLine};

/// How serious a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// The current local time as RFC 3339, to the second.
pub fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A line that is not the run's line (a warning, an error).
pub fn message(format: LogFormat, level: Level, text: &str) -> String {
    match format {
        LogFormat::Text => text.to_owned(),
        LogFormat::Json => json!({
            "time": now(),
            "level": level.name(),
            "program": "upgrade-recon",
            "version": env!("CARGO_PKG_VERSION"),
            "message": text,
        })
        .to_string(),
    }
}

/// The run's line.
pub fn run_line(format: LogFormat, lang: Lang, line: &RunLine) -> String {
    let text = lang.texts().run_line(line);
    let version = env!("CARGO_PKG_VERSION");
    match format {
        LogFormat::Text => format!("{} upgrade-recon {version}: {text}", now()),
        LogFormat::Json => {
            let level = match (line.exit_code, &line.counts) {
                (_, None) => Level::Error,
                (0, _) => Level::Info,
                _ => Level::Warning,
            };
            let mut value = json!({
                "time": now(),
                "level": level.name(),
                "program": "upgrade-recon",
                "version": version,
                "command": "run",
                "input": line.input,
                "out": line.out,
                "as_of": line.as_of,
                "duration_seconds": (line.seconds * 1000.0).round() / 1000.0,
                "exit_code": line.exit_code,
                "message": text,
            });
            if let Some(counts) = &line.counts {
                value["counts"] = counts_json(counts);
            }
            value.to_string()
        }
    }
}

fn counts_json(counts: &RunCounts) -> serde_json::Value {
    json!({
        "subscriptions": counts.subscriptions,
        "evaluated": counts.evaluated,
        "eligible": counts.eligible,
        "blocked": counts.blocked,
        "not_upgradable": counts.not_upgradable,
        "eligible_pairs": counts.eligible_pairs,
        "blocked_pairs": counts.blocked_pairs,
        "reassignments": counts.reassignments,
        "rejected_rows": counts.rejected_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(counts: Option<RunCounts>, exit_code: u8) -> RunLine {
        RunLine {
            input: "in".into(),
            out: "out".into(),
            as_of: "2026-11-24".into(),
            seconds: 0.123_456,
            exit_code,
            counts,
        }
    }

    #[test]
    fn text_line_has_time_version_input_counts_and_exit_code() {
        let text = run_line(
            LogFormat::Text,
            Lang::En,
            &line(Some(RunCounts::default()), 0),
        );
        let (time, rest) = text.split_once(' ').expect("a timestamp first");
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            rest,
            format!(
                "upgrade-recon {version}: input in, as of 2026-11-24: 0 subscriptions, 0 evaluated: \
                 0 eligible, 0 blocked, 0 not upgradable; 0 upgrade pairs eligible, 0 blocked; \
                 0 reassignments; reports in out (0.12 s); exit 0"
            )
        );
    }

    #[test]
    fn json_line_is_one_object_with_level_and_counts() {
        let counts = RunCounts {
            rejected_rows: 2,
            ..RunCounts::default()
        };
        for (counts, code, level) in [
            (Some(counts), 3, "warning"),
            (Some(RunCounts::default()), 0, "info"),
            (None, 65, "error"),
        ] {
            let text = run_line(LogFormat::Json, Lang::En, &line(counts, code));
            assert!(!text.contains('\n'));
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(value["level"], level);
            assert_eq!(value["exit_code"], code);
            assert_eq!(value["as_of"], "2026-11-24");
            assert_eq!(value["duration_seconds"], 0.123);
            assert_eq!(value["counts"].is_object(), counts.is_some());
        }
        let warning = message(LogFormat::Json, Level::Warning, "careful");
        let value: serde_json::Value = serde_json::from_str(&warning).expect("JSON");
        assert_eq!(
            (value["level"].as_str(), value["message"].as_str()),
            (Some("warning"), Some("careful"))
        );
    }
}
