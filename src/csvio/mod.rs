//! Generic CSV machinery: encodings, sniffing, header matching, records with exact
//! physical line numbers, and the parallel chunk reader. It knows no domain: the
//! callers bring their columns, header spellings and row parsers.
//!
//! The reading speed tricks (plain lines split without csv-core, quote-aware
//! chunking, workers taking turns at the file, a file's first chunks read ahead)
//! are private to this module; the rest of the program sees [`read_file`] (or
//! [`read_file_from`] a [`ReadAhead`]), [`Table`] and [`Row`].

mod ahead;
mod chunks;
mod encoding;
mod error;
mod file;
mod headers;
mod parallel;
mod records;
mod rejects;
mod shown;
mod sniff;
mod source;
mod spares;
mod table;

pub use ahead::{READ_AHEAD_BYTES, ReadAhead};
pub use encoding::{DecodeError, Encoding, UnknownEncoding};
pub use error::{CsvError, FieldProblem, RejectedRow, RowProblems};
pub use file::CsvFile;
#[cfg(test)]
pub use headers::describe_mapping;
pub use headers::{
    AliasTable, ColumnSpec, HeaderError, HeaderMap, HeaderOverride, HeaderRules, aliases,
    as_written, delimiter_name, detect_delimiter, map_header, normalize, parse_delimiter,
};
pub use parallel::{ChunkOutput, FileRead, ReadOptions, RowParser, read_file, read_file_from};
pub use rejects::Rejects;
pub use shown::{MAX_SHOWN_CHARS, Shown, shown};
pub use sniff::{Forced, Sniffed};
pub use table::{Header, Row, Table};
