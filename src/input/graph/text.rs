//! JSON text helpers: what kind of value a raw slice holds, how to describe it in
//! a message, compacting an element for `rejects.csv`, and serde errors as
//! [`GraphErrorKind::Syntax`].

use serde::Deserialize;
use serde_json::value::RawValue;

use super::GraphErrorKind;

/// How many characters of a value a message echoes.
pub(super) const VALUE_CHARS: usize = 80;
/// Links are long and their start says little; they get more room.
pub(super) const LINK_CHARS: usize = 160;

const FLATTENED: &str = "the export was flattened by ConvertTo-Json's default depth; \
                         export again with ConvertTo-Json -Depth 10";
const SEVERAL_VALUES: &str = " (the file holds more than one JSON value: \
                              save several pages as one JSON array of pages)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    String,
    Number,
    Boolean,
    Null,
    Object,
    Array,
}

impl Kind {
    fn phrase(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Null => "null",
            Kind::Object => "an object",
            Kind::Array => "an array",
        }
    }
}

/// The kind of a value serde_json already checked, from its first character.
pub(super) fn kind(raw: &RawValue) -> Kind {
    match raw
        .get()
        .trim_start_matches(is_json_whitespace)
        .bytes()
        .next()
    {
        Some(b'"') => Kind::String,
        Some(b'{') => Kind::Object,
        Some(b'[') => Kind::Array,
        Some(b't' | b'f') => Kind::Boolean,
        Some(b'n') => Kind::Null,
        _ => Kind::Number,
    }
}

pub(super) fn is_json_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The string a raw value holds, unescaped; `None` when it is not a string.
pub(super) fn string(raw: &RawValue) -> Option<String> {
    if kind(raw) == Kind::String {
        serde_json::from_str(raw.get()).ok()
    } else {
        None
    }
}

/// `a number (42)`, `a string ("System.Object[]")`, `null`: the value, cut.
pub(super) fn found(raw: &RawValue) -> String {
    let kind = kind(raw);
    match kind {
        Kind::Null => kind.phrase().to_owned(),
        Kind::String => {
            let value = string(raw).unwrap_or_default();
            format!("{} (\"{}\")", kind.phrase(), excerpt(&value, VALUE_CHARS))
        }
        _ => {
            let value = compact(raw.get());
            format!("{} ({})", kind.phrase(), excerpt(&value, VALUE_CHARS))
        }
    }
}

/// `expected an array, found a string ("System.Object[]")`, saying so when the
/// string is PowerShell's rendering of an object that `ConvertTo-Json` did not
/// descend into.
pub(super) fn expected(what: &str, raw: &RawValue) -> String {
    let message = format!("expected {what}, found {}", found(raw));
    match string(raw) {
        Some(value) if looks_flattened(&value) => format!("{message}: {FLATTENED}"),
        _ => message,
    }
}

/// `System.Object[]`, `System.Collections.Hashtable`, an SDK type name such as
/// `Microsoft.Graph.PowerShell.Models.MicrosoftGraphUnifiedRole`, or a
/// PSCustomObject's `@{tenantId=…; displayName=…}`.
fn looks_flattened(value: &str) -> bool {
    let value = value.trim();
    value.starts_with("System.")
        || value.starts_with("Microsoft.Graph.")
        || (value.starts_with("@{") && value.ends_with('}'))
}

/// The JSON without whitespace between tokens (strings kept as written). Runs
/// between whitespace are copied whole, and strings are skipped with `memchr`:
/// every byte that matters is ASCII, and no byte of a multi-byte UTF-8
/// character looks like one.
pub(super) fn compact(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let (mut at, mut run_start) = (0, 0);
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => at = after_string(bytes, at + 1),
            b' ' | b'\t' | b'\n' | b'\r' => {
                out.push_str(json.get(run_start..at).unwrap_or_default());
                at += 1;
                run_start = at;
            }
            _ => at += 1,
        }
    }
    out.push_str(json.get(run_start..).unwrap_or_default());
    out
}

/// The index after the quote closing the string whose text starts at `at`.
fn after_string(bytes: &[u8], mut at: usize) -> usize {
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        match memchr::memchr2(b'"', b'\\', rest) {
            Some(found) if rest.get(found) == Some(&b'\\') => at += found + 2,
            Some(found) => return at + found + 1,
            None => return bytes.len(),
        }
    }
}

/// At most `max_chars` characters of `value`, control characters escaped, `…`
/// marking a cut.
pub(super) fn excerpt(value: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max_chars + 8));
    let mut chars = value.chars();
    for c in chars.by_ref().take(max_chars) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Parses `json`, a syntax error naming its line and column.
pub(super) fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, GraphErrorKind> {
    serde_json::from_str(json).map_err(|error| syntax(&error))
}

pub(super) fn syntax(error: &serde_json::Error) -> GraphErrorKind {
    let mut message = message_of(error);
    if message.starts_with("trailing characters") {
        message.push_str(SEVERAL_VALUES);
    }
    GraphErrorKind::Syntax {
        line: error.line(),
        column: error.column(),
        message,
    }
}

/// serde_json's message without its ` at line L column C` suffix.
pub(super) fn message_of(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match full.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => full,
    }
}
