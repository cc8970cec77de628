//! A small harness for running `upgrade-recon` against a folder of input files in
//! a temporary directory and reading what it wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;
/// The library's counts, here read back from `summary.json`.
pub use upgrade_recon::output::SubscriptionCounts;

/// The as-of date every test runs with unless it is about `--as-of`.
pub const AS_OF: &str = "2026-11-24";

pub const CUSTOMERS: &str = "customers.csv";
pub const SUBSCRIPTIONS: &str = "subscriptions.csv";
pub const RELATIONSHIPS: &str = "admin_relationships.csv";
pub const LICENSES: &str = "license_assignments.csv";
pub const INPUT_FILES: [&str; 4] = [CUSTOMERS, SUBSCRIPTIONS, RELATIONSHIPS, LICENSES];

pub const ELIGIBLE: &str = "eligible_upgrades.csv";
pub const BLOCKED: &str = "blocked_upgrades.csv";
pub const REASSIGNMENTS: &str = "reassignments.csv";
pub const REJECTS: &str = "rejects.csv";
pub const OVERVIEW: &str = "overview.csv";
pub const ACTIONS: &str = "actions.csv";
pub const CHANGES: &str = "changes.csv";
pub const RECORD: &str = "decisions.bin";
pub const SUMMARY: &str = "summary.json";
pub const REPORT_CSVS: [&str; 7] = [
    ELIGIBLE,
    BLOCKED,
    REASSIGNMENTS,
    REJECTS,
    OVERVIEW,
    ACTIONS,
    CHANGES,
];
/// Every file of a report set (`decisions.bin` is binary).
pub const REPORT_FILES: [&str; 9] = [
    ELIGIBLE,
    BLOCKED,
    REASSIGNMENTS,
    REJECTS,
    OVERVIEW,
    ACTIONS,
    CHANGES,
    RECORD,
    SUMMARY,
];

pub const REJECTS_HEADER: &str = "file,line,error,record\n";

/// The lock file every run leaves in `--out` (contract §7); no report.
pub const LOCK_FILE: &str = upgrade_recon::output::set::LOCK_FILE;

/// A path inside the crate (`fixtures/sample`, `tests/cases/...`).
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// `tests/cases/<case>`.
pub fn case_dir(case: &str) -> PathBuf {
    repo_path("tests/cases").join(case)
}

/// The content of `tests/cases/<case>/expected/<file>`.
pub fn expected(case: &str, file: &str) -> String {
    let path = case_dir(case).join("expected").join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    /// Stderr without the run's line.
    pub stderr: String,
    /// The run's last line on stderr for a log collector (`<time> upgrade-recon
    /// <version>: …; exit N`), when it printed one.
    pub run_line: Option<String>,
}

impl Outcome {
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }

    /// Panics, showing stderr, unless the run exited with `code`.
    pub fn assert_code(&self, code: i32) -> &Outcome {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}\n--- stderr ---\n{}--- stdout ---\n{}",
            self.code, self.stderr, self.stdout
        );
        self
    }

    /// Panics unless stderr holds exactly this line.
    pub fn assert_stderr_line(&self, line: &str) -> &Outcome {
        assert!(
            self.stderr.lines().any(|l| l == line),
            "stderr lacks the line\n  {line}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    /// Panics unless some stderr line starts with `prefix`.
    pub fn assert_stderr_line_starting(&self, prefix: &str) -> &Outcome {
        assert!(
            self.stderr.lines().any(|l| l.starts_with(prefix)),
            "stderr has no line starting with\n  {prefix}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }
}

/// A temporary directory with an `input/` folder (and optionally `catalog/`);
/// reports go to `out/` unless a test names another folder.
pub struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// An empty workspace (an empty `input/`).
    pub fn empty() -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("upgrade-recon-cli.")
            .tempdir()
            .expect("create temp dir");
        fs::create_dir(dir.path().join("input")).expect("create input dir");
        Workspace { dir }
    }

    /// A workspace whose input is a copy of the CSV files directly in `source`.
    pub fn from_dir(source: &Path) -> Workspace {
        let ws = Workspace::empty();
        copy_csv_files(source, &ws.input());
        ws
    }

    /// A workspace holding `tests/cases/<case>`: its input files and, when the case
    /// has one, its `catalog/` folder.
    pub fn from_case(case: &str) -> Workspace {
        let source = case_dir(case);
        let ws = Workspace::from_dir(&source);
        if source.join("catalog").is_dir() {
            fs::create_dir(ws.catalog()).expect("create catalog dir");
            copy_csv_files(&source.join("catalog"), &ws.catalog());
        }
        ws
    }

    /// The sample data set shipped in `fixtures/sample`.
    pub fn sample() -> Workspace {
        Workspace::from_dir(&repo_path("fixtures/sample"))
    }

    /// A workspace with the given input files (name, content).
    pub fn with_inputs(files: &[(&str, &str)]) -> Workspace {
        let ws = Workspace::empty();
        for (name, content) in files {
            ws.write_input(name, content);
        }
        ws
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn input(&self) -> PathBuf {
        self.path().join("input")
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("out")
    }

    pub fn catalog(&self) -> PathBuf {
        self.path().join("catalog")
    }

    pub fn write_input(&self, name: &str, content: &str) {
        fs::write(self.input().join(name), content).expect("write input file");
    }

    /// `upgrade-recon run --input <input> --out <out>`, run in the workspace.
    pub fn bare_command(&self, out: &Path) -> Command {
        let mut cmd = Command::cargo_bin("upgrade-recon").expect("binary upgrade-recon");
        cmd.arg("run")
            .arg("--input")
            .arg(self.input())
            .arg("--out")
            .arg(out)
            .current_dir(self.path());
        cmd
    }

    /// `upgrade-recon run --input <input> --out <out> --as-of 2026-11-24 --quiet`.
    pub fn command_with_out(&self, out: &Path) -> Command {
        let mut cmd = self.bare_command(out);
        cmd.args(["--as-of", AS_OF, "--quiet"]);
        cmd
    }

    /// Runs with the standard arguments and `extra`, reports into `out/`.
    pub fn run(&self, extra: &[&str]) -> Outcome {
        self.run_with_out(&self.out(), extra)
    }

    pub fn run_with_out(&self, out: &Path, extra: &[&str]) -> Outcome {
        outcome(self.command_with_out(out).args(extra))
    }

    /// Runs with the built-in catalog replaced by this workspace's `catalog/`.
    pub fn run_with_catalog(&self, extra: &[&str]) -> Outcome {
        let catalog = self.catalog();
        let mut args = vec!["--catalog", catalog.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `upgrade-recon explain --input <input> --as-of 2026-11-24` with `extra`.
    pub fn explain(&self, extra: &[&str]) -> Outcome {
        let mut cmd = Command::cargo_bin("upgrade-recon").expect("binary upgrade-recon");
        cmd.arg("explain")
            .arg("--input")
            .arg(self.input())
            .args(["--as-of", AS_OF])
            .args(extra)
            .env("NO_COLOR", "1")
            .current_dir(self.path());
        outcome(&mut cmd)
    }

    /// A report written into `out/`.
    pub fn report(&self, file: &str) -> String {
        read_text(&self.out().join(file))
    }

    /// `summary.json` without its start and finish times, which differ from run to run.
    pub fn summary(&self) -> serde_json::Value {
        summary_in(&self.out())
    }
}

/// The `summary.json` in `dir` without its start and finish times.
pub fn summary_in(dir: &Path) -> serde_json::Value {
    let mut summary: serde_json::Value =
        serde_json::from_str(&read_text(&dir.join(SUMMARY))).expect("summary.json is JSON");
    if let Some(fields) = summary.as_object_mut() {
        fields.remove("started_at");
        fields.remove("finished_at");
    }
    summary
}

/// Runs a prepared command and collects its exit code and output.
pub fn outcome(cmd: &mut Command) -> Outcome {
    let output = cmd.output().expect("run upgrade-recon");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    let (stderr, run_line) = split_run_line(stderr);
    Outcome {
        code: output
            .status
            .code()
            .expect("exit code (not killed by a signal)"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr,
        run_line,
    }
}

/// Splits the run's line (the last, `<RFC 3339 time> upgrade-recon <version>: …`)
/// off stderr.
pub fn split_run_line(stderr: String) -> (String, Option<String>) {
    let body = stderr.strip_suffix('\n').unwrap_or(&stderr);
    let (rest, last) = match body.rsplit_once('\n') {
        Some((rest, last)) => (format!("{rest}\n"), last),
        None => (String::new(), body),
    };
    let is_run_line = last.split_once(' ').is_some_and(|(time, tail)| {
        chrono::DateTime::parse_from_rfc3339(time).is_ok() && tail.starts_with("upgrade-recon ")
    });
    if is_run_line {
        (rest, Some(last.to_owned()))
    } else {
        (stderr, None)
    }
}

pub fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn copy_csv_files(from: &Path, to: &Path) {
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "csv") {
            fs::copy(&path, to.join(path.file_name().expect("file name"))).expect("copy file");
        }
    }
}

/// Panics with a line-by-line account of the first differences unless equal.
pub fn assert_text_eq(actual: &str, expected: &str, what: &str) {
    if actual == expected {
        return;
    }
    let actual_lines: Vec<&str> = actual.lines().collect();
    let expected_lines: Vec<&str> = expected.lines().collect();
    let mut report = String::new();
    let mut shown = 0;
    for i in 0..actual_lines.len().max(expected_lines.len()) {
        let (a, e) = (actual_lines.get(i), expected_lines.get(i));
        if a != e && shown < 8 {
            shown += 1;
            report.push_str(&format!(
                "line {}:\n  expected: {}\n  actual:   {}\n",
                i + 1,
                e.unwrap_or(&"<none>"),
                a.unwrap_or(&"<none>")
            ));
        }
    }
    if shown == 0 {
        report.push_str("(the lines are equal; line endings or a final newline differ)\n");
    }
    panic!(
        "{what} differs ({} lines expected, {} actual)\n{report}",
        expected_lines.len(),
        actual_lines.len()
    );
}

/// Compares the report CSVs in `ws`'s `out/` with `tests/cases/<case>/expected/`.
///
/// With `UPGRADE_RECON_BLESS=1` in the environment, the expected files are
/// rewritten from the run instead (after an intended change; review the diff).
pub fn assert_reports_match(ws: &Workspace, case: &str) {
    let bless = std::env::var_os("UPGRADE_RECON_BLESS").is_some_and(|v| v == "1");
    for file in REPORT_CSVS {
        if bless {
            let path = case_dir(case).join("expected").join(file);
            fs::write(&path, ws.report(file))
                .unwrap_or_else(|e| panic!("cannot bless {}: {e}", path.display()));
            continue;
        }
        assert_text_eq(
            &ws.report(file),
            &expected(case, file),
            &format!("{case}: {file}"),
        );
    }
}

/// The `subscriptions` counts of a summary, checked to add up:
/// total = evaluated + other_channel, evaluated = eligible + blocked + not_upgradable.
pub fn subscription_counts(summary: &serde_json::Value) -> SubscriptionCounts {
    let s = &summary["subscriptions"];
    let get = |key: &str| {
        s[key]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.subscriptions.{key} is not a number: {s}"))
    };
    let counts = SubscriptionCounts {
        total: get("total"),
        evaluated: get("evaluated"),
        eligible: get("eligible"),
        blocked: get("blocked"),
        not_upgradable: get("not_upgradable"),
        other_channel: get("other_channel"),
    };
    assert_eq!(
        counts.total,
        counts.evaluated + counts.other_channel,
        "total = evaluated + other_channel: {counts:?}"
    );
    assert_eq!(
        counts.evaluated,
        counts.eligible + counts.blocked + counts.not_upgradable,
        "evaluated = eligible + blocked + not_upgradable: {counts:?}"
    );
    counts
}

/// A summary's counts object (e.g. `blocked_by_reason`) as key → count.
pub fn counts(summary: &serde_json::Value, pointer: &str) -> BTreeMap<String, u64> {
    summary
        .pointer(pointer)
        .and_then(|v| v.as_object())
        .unwrap_or_else(|| panic!("summary has no object at {pointer}: {summary}"))
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().expect("count")))
        .collect()
}

pub fn number(summary: &serde_json::Value, pointer: &str) -> u64 {
    summary
        .pointer(pointer)
        .and_then(|v| v.as_u64())
        .unwrap_or_else(|| panic!("summary has no number at {pointer}: {summary}"))
}

/// Data rows of a report CSV (header dropped), each as its fields.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("report row").iter().map(str::to_owned).collect())
        .collect()
}

/// A key → count map, for comparing with [`counts`].
pub fn named(values: &[(&str, u64)]) -> BTreeMap<String, u64> {
    values.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

/// Every entry of a folder (recursively, hidden files included) with its bytes;
/// folders map to an empty marker. The lock file in the folder itself is left out:
/// every run that gets the lock leaves it (see [`snapshot_with_lock`]).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut files = snapshot_with_lock(dir);
    files.remove(LOCK_FILE);
    files
}

/// `summary.json`'s bytes with the run's start and finish times blanked, so that
/// two runs of the same input give the same bytes.
pub fn without_times(summary: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(summary);
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("\"started_at\": ") || trimmed.starts_with("\"finished_at\": ") {
                let (key, _) = line.split_once(": ").unwrap_or((line, ""));
                format!("{key}: \"…\",\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect::<String>()
        .into_bytes()
}

/// [`snapshot`] with the lock file.
pub fn snapshot_with_lock(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut files = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            let name = path
                .strip_prefix(root)
                .expect("below root")
                .display()
                .to_string();
            if path.is_dir() {
                files.insert(format!("{name}/"), None);
                walk(root, &path, files);
            } else {
                let mut bytes = fs::read(&path).expect("read file");
                if name.ends_with(SUMMARY) {
                    bytes = without_times(&bytes);
                }
                files.insert(name, Some(bytes));
            }
        }
    }
    walk(dir, dir, &mut files);
    files
}

/// Writes a complete, recognisable report set from an earlier run into `dir`.
pub fn plant_report_set(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fs::create_dir_all(dir).expect("create report dir");
    for file in REPORT_FILES {
        let content = if file == SUMMARY {
            "{\n  \"as_of\": \"2026-11-23\",\n  \"note\": \"report set of yesterday's run\"\n}\n"
                .to_owned()
        } else {
            format!("yesterday's {file}\nline 2 of {file}\n")
        };
        fs::write(dir.join(file), content).expect("write planted report");
    }
    snapshot(dir)
}

/// Runs `ws` with `extra` twice and checks that the run fails with `code` both
/// times: into a fresh `--out` (which must not be left behind) and into a folder
/// holding an earlier report set (which must stay byte-for-byte as it was, with
/// no temporary files left behind). Returns the first run.
pub fn assert_fails_writing_nothing(ws: &Workspace, extra: &[&str], code: i32) -> Outcome {
    assert_command_fails_writing_nothing(
        ws,
        |out| {
            let mut cmd = ws.command_with_out(out);
            cmd.args(extra);
            cmd
        },
        code,
    )
}

/// [`assert_fails_writing_nothing`] for a command built by `command` for a given `--out`.
pub fn assert_command_fails_writing_nothing(
    ws: &Workspace,
    command: impl Fn(&Path) -> Command,
    code: i32,
) -> Outcome {
    let fresh = ws.path().join("fresh-out");
    let first = outcome(&mut command(&fresh));
    first.assert_code(code);
    assert!(
        !fresh.exists(),
        "a failed run left the --out it created: {:?}",
        snapshot_with_lock(&fresh).keys().collect::<Vec<_>>()
    );

    let planted = ws.path().join("planted-out");
    let before = plant_report_set(&planted);
    let second = outcome(&mut command(&planted));
    second.assert_code(code);
    assert_eq!(
        first.stderr, second.stderr,
        "the same failure should be reported the same way"
    );
    let after = snapshot(&planted);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "a failed run changed the set of files in --out"
    );
    assert!(
        after == before,
        "a failed run changed an existing report in --out"
    );
    std::fs::remove_dir_all(&planted).expect("remove planted --out");
    first
}
