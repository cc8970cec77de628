//! The CSV emitter: rows formatted into byte buffers in a [`CsvStyle`]
//! ([`CsvOut`]) in parallel, batch by batch, and the streamed reports appended
//! in order by a writer thread (`sink`) that writes past the page cache where it
//! can (`direct`).

mod direct;
mod sink;
mod style;
mod writer;

pub use direct::Appender;
pub use sink::{CsvParts, Sink};
pub use style::{CsvStyle, UTF8_BOM};
pub use writer::CsvOut;
