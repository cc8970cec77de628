//! Matching a file's header names to the fields a reader expects, and detecting
//! the delimiter under which the header makes sense.
//!
//! Each field accepts a list of spellings that the caller supplies (an
//! [`AliasTable`]), compared after [`normalize`]: case, whitespace, `_` and `-`
//! ignored. A [`HeaderOverride`] names the header of a field outright. Two headers
//! of one file that map to the same field are an error naming both.
//! [`detect_delimiter`] picks the delimiter (comma, semicolon or tab) under which
//! the header line has every required field.

use super::shown::shown;

/// A column a table expects.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub required: bool,
}

impl ColumnSpec {
    pub const fn required(name: &'static str) -> ColumnSpec {
        ColumnSpec {
            name,
            required: true,
        }
    }

    pub const fn optional(name: &'static str) -> ColumnSpec {
        ColumnSpec {
            name,
            required: false,
        }
    }
}

/// Per field, its canonical name and its accepted spellings (the canonical name
/// first). A field the table lacks is looked for by its name alone.
pub type AliasTable = &'static [(&'static str, &'static [&'static str])];

/// The header that holds a field, as the user named it (e.g. `--column`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderOverride<'a> {
    /// The canonical field name.
    pub field: &'a str,
    /// The header, trimmed.
    pub header: &'a str,
}

/// How the header of one file is matched.
#[derive(Clone, Debug)]
pub struct HeaderRules<'a> {
    /// The fields read, in the order the reader asks for them.
    pub specs: &'a [ColumnSpec],
    pub aliases: AliasTable,
    /// Headers named outright; for a field named several times the last one wins.
    pub overrides: Vec<HeaderOverride<'a>>,
    /// How `--column` names this file, for the advice on an ambiguous header.
    pub option_prefix: &'a str,
    /// Groups of optional fields of which the header must hold at least one
    /// (`admin_relationships.csv`: services, roles, or both).
    pub one_of: &'a [&'static [&'static str]],
}

/// A header as compared: lower case without whitespace, `_`, `-` or a BOM.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '\u{FEFF}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The accepted spellings of `field` in `table`, the canonical name first; empty
/// for a field the table does not have.
pub fn aliases(table: AliasTable, field: &str) -> &'static [&'static str] {
    let found = table.iter().find(|(name, _)| *name == field);
    found.map_or(&[], |(_, aliases)| *aliases)
}

/// Where the fields of a header are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderMap {
    /// Per spec, in spec order: the 0-based column holding the field.
    pub columns: Vec<Option<usize>>,
    /// (field, header as written but trimmed) of every field found, in spec order.
    pub used: Vec<(String, String)>,
    /// The headers of the columns no field is read from, as written but trimmed,
    /// in file order; empty ones left out.
    pub ignored: Vec<String>,
}

/// A header that does not fit the file. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("missing required column \"{field}\" (looked for: {})", .tried.join(", "))]
    MissingColumn { field: String, tried: Vec<String> },
    #[error(
        "missing required column {} (looked for: {})",
        .fields.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(" or "),
        .tried.join(", ")
    )]
    MissingOneOf {
        fields: Vec<String>,
        tried: Vec<String>,
    },
    #[error(
        "columns {first_position} {} and {second_position} {} both map to \"{field}\"; \
         choose one with --column {option_prefix}.{field}=HEADER",
        shown(.first),
        shown(.second)
    )]
    Ambiguous {
        option_prefix: String,
        field: String,
        first: String,
        second: String,
        first_position: usize,
        second_position: usize,
    },
}

/// Maps `header` onto `rules.specs`. An override for a field replaces its
/// aliases, and the column it names is not matched by another field's aliases.
/// Columns no spec asks for are ignored.
pub fn map_header(header: &[&str], rules: &HeaderRules<'_>) -> Result<HeaderMap, HeaderError> {
    let mut map = HeaderMap::default();
    let candidates = candidates(header, rules);
    for (spec, (tried, found)) in rules.specs.iter().zip(&candidates) {
        let field = spec.name;
        match found.as_slice() {
            [] if spec.required => {
                let tried = tried.iter().map(ToString::to_string).collect();
                return Err(HeaderError::MissingColumn {
                    field: field.to_owned(),
                    tried,
                });
            }
            [] => map.columns.push(None),
            [only] => {
                map.columns.push(Some(*only));
                map.used.push((field.to_owned(), as_written(header[*only])));
            }
            [first, second, ..] => {
                return Err(HeaderError::Ambiguous {
                    option_prefix: rules.option_prefix.to_owned(),
                    field: field.to_owned(),
                    first: as_written(header[*first]),
                    second: as_written(header[*second]),
                    first_position: first + 1,
                    second_position: second + 1,
                });
            }
        }
    }
    if let Some(fields) = missing_one_of(rules, &candidates) {
        let tried = rules
            .specs
            .iter()
            .zip(&candidates)
            .filter(|(spec, _)| fields.contains(&spec.name))
            .flat_map(|(_, (tried, _))| tried.iter().map(ToString::to_string))
            .collect();
        return Err(HeaderError::MissingOneOf {
            fields: fields.iter().map(ToString::to_string).collect(),
            tried,
        });
    }
    let read = |column: usize| map.columns.contains(&Some(column));
    map.ignored = (header.iter().enumerate())
        .filter(|&(column, _)| !read(column))
        .map(|(_, name)| as_written(name))
        .filter(|name| !name.is_empty())
        .collect();
    Ok(map)
}

/// The first group of `rules.one_of` of which `candidates` found no field.
fn missing_one_of(
    rules: &HeaderRules<'_>,
    candidates: &[(Vec<&str>, Vec<usize>)],
) -> Option<&'static [&'static str]> {
    let found = |field: &str| {
        let position = rules.specs.iter().position(|spec| spec.name == field);
        position.is_some_and(|i| !candidates[i].1.is_empty())
    };
    rules
        .one_of
        .iter()
        .copied()
        .find(|fields| !fields.iter().any(|field| found(field)))
}

/// A header as messages show it: without a BOM and surrounding whitespace.
pub fn as_written(header: &str) -> String {
    header.trim_start_matches('\u{FEFF}').trim().to_owned()
}

/// Per spec: the spellings looked for and the columns that match them.
fn candidates<'r>(header: &[&str], rules: &'r HeaderRules<'_>) -> Vec<(Vec<&'r str>, Vec<usize>)> {
    let normalized: Vec<String> = header.iter().map(|h| normalize(h)).collect();
    let claimed: Vec<String> = rules
        .overrides
        .iter()
        .map(|o| normalize(o.header))
        .collect();
    let matching = |keys: &[String], skip_claimed: bool| -> Vec<usize> {
        let unclaimed = |column: &String| !skip_claimed || !claimed.contains(column);
        let hit = |(i, column): (usize, &String)| {
            (keys.contains(column) && unclaimed(column)).then_some(i)
        };
        normalized.iter().enumerate().filter_map(hit).collect()
    };
    rules
        .specs
        .iter()
        .map(|spec| {
            let field = spec.name;
            match rules.overrides.iter().rev().find(|o| o.field == field) {
                Some(o) => (vec![o.header], matching(&[normalize(o.header)], false)),
                None => {
                    let tried = match aliases(rules.aliases, field) {
                        [] => vec![field],
                        known => known.to_vec(),
                    };
                    let keys: Vec<String> = tried.iter().map(|a| normalize(a)).collect();
                    (tried, matching(&keys, true))
                }
            }
        })
        .collect()
}

/// The delimiters tried, in order of preference, with their names and symbols.
const DELIMITERS: [(u8, &str, &str); 3] = [
    (b',', "comma", ","),
    (b';', "semicolon", ";"),
    (b'\t', "tab", "\\t"),
];

/// The delimiter under which the first line of `header_line` holds every required
/// field of `rules`; if several do, the one finding the most fields, ties going
/// to the earlier of comma, semicolon, tab. `None` if none qualifies (the caller
/// then reports the missing columns under a comma, or the forced delimiter).
pub fn detect_delimiter(header_line: &[u8], rules: &HeaderRules<'_>) -> Option<u8> {
    let mut best: Option<(u8, usize)> = None;
    for (delimiter, _, _) in DELIMITERS {
        let fields = split_header(header_line, delimiter);
        let header: Vec<&str> = fields.iter().map(String::as_str).collect();
        let found = candidates(&header, rules);
        let complete = rules
            .specs
            .iter()
            .zip(&found)
            .all(|(spec, (_, columns))| !spec.required || !columns.is_empty())
            && missing_one_of(rules, &found).is_none();
        let count = found
            .iter()
            .filter(|(_, columns)| !columns.is_empty())
            .count();
        if complete && best.is_none_or(|(_, most)| count > most) {
            best = Some((delimiter, count));
        }
    }
    best.map(|(delimiter, _)| delimiter)
}

/// The fields of the first record of `input`, quotes removed (`""` is a quote);
/// a line break inside quotes belongs to the field.
fn split_header(input: &[u8], delimiter: u8) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), Vec::new(), false);
    let mut bytes = input.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        match byte {
            b'"' if quoted && bytes.next_if_eq(&b'"').is_some() => field.push(b'"'),
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if byte == delimiter && !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(byte),
        }
    }
    fields.push(field);
    fields
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

/// "comma", "semicolon" or "tab"; "other" for any other byte.
pub fn delimiter_name(delimiter: u8) -> &'static str {
    let known = DELIMITERS.iter().find(|(byte, _, _)| *byte == delimiter);
    known.map_or("other", |(_, name, _)| name)
}

/// A `--delimiter` value: `comma`/`,`, `semicolon`/`;`, `tab`/`\t` (the two
/// characters) or a tab character; names in any ASCII case.
pub fn parse_delimiter(value: &str) -> Result<u8, String> {
    let key = value.trim_matches(' ').to_ascii_lowercase();
    let known = DELIMITERS
        .iter()
        .find(|(byte, name, symbol)| key == *name || key == *symbol || key.as_bytes() == [*byte]);
    let unknown = || format!("unknown delimiter \"{value}\" (expected comma, semicolon or tab)");
    known.map(|(byte, _, _)| *byte).ok_or_else(unknown)
}

/// For tests: the column each field maps to (`-` for none), or the error; and
/// that the map's `used` headers are the ones its columns point at.
#[cfg(test)]
pub fn describe_mapping(header: &[&str], rules: &HeaderRules<'_>) -> String {
    match map_header(header, rules) {
        Ok(map) => {
            let used: Vec<_> = map.used.iter().map(|(_, h)| h.as_str()).collect();
            let found: Vec<_> = map
                .columns
                .iter()
                .flatten()
                .map(|&i| as_written(header[i]))
                .collect();
            assert_eq!(used, found, "{header:?}");
            let columns = map
                .columns
                .iter()
                .map(|c| c.map_or("-".into(), |i| i.to_string()));
            columns.collect::<Vec<_>>().join(" ")
        }
        Err(error) => format!("error: {error}"),
    }
}

#[cfg(test)]
mod tests;
