//! The crate's modules depend on one another one way only: every `crate::x`
//! path outside comments and test modules is an edge, and the graph of the
//! top-level modules has no cycle. Also the house rules every module keeps:
//! at most 500 lines, a `//!` line first, `unsafe` only in `src/sys.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    files
}

/// `src/output/csv/mod.rs` → `output`; `src/lib.rs` → `lib`.
fn top_module(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = path.strip_prefix(&src).expect("under src");
    let first = relative.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

fn is_test_file(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "tests")
        || path.file_name().is_some_and(|n| n == "tests.rs")
}

/// The code of a file without plain comments and without its `#[cfg(test)]`
/// module at the end. Doc comments stay: their intra-doc links are references
/// rustdoc resolves, and a layer's documentation should not point up either.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("///") || trimmed.starts_with("//!") {
                return line;
            }
            line.split("//").next().unwrap_or("")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn top_level_modules_form_no_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in all_sources().iter().filter(|p| !is_test_file(p)) {
        let from = top_module(path);
        let code = code(&fs::read_to_string(path).expect("read"));
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && name != from {
                edges.entry(from.clone()).or_default().insert(name);
            }
        }
    }
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        let cycle = visit(node, &edges, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "import cycle: {}",
            cycle.unwrap_or_default().join(" → ")
        );
    }
    // The pipeline's direction: nothing below the command layer reaches up into it.
    for (from, to) in &edges {
        if from != "cmd" && from != "main" && from != "lib" {
            assert!(!to.contains("cmd"), "{from} imports cmd");
        }
        if from != "cli" {
            assert!(!to.contains("main"), "{from} imports main");
        }
    }
}

#[test]
fn modules_are_short_documented_and_safe() {
    for path in all_sources() {
        let text = fs::read_to_string(&path).expect("read");
        let name = path.display();
        let lines = text.lines().count();
        assert!(lines <= 500, "{name} has {lines} lines");
        assert!(
            text.starts_with("//!"),
            "{name} does not open with a //! line"
        );
        if !path.ends_with("src/sys.rs") {
            let code: String = code(&text)
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for construct in ["unsafe {", "unsafe fn", "unsafe impl", "unsafe extern"] {
                assert!(!code.contains(construct), "{name} uses {construct}");
            }
        }
    }
}
