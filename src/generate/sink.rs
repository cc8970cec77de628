//! The four output files: each is a [`Sink`] whose rows are formatted into one reused
//! buffer that goes to the file in blocks of about a megabyte.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use super::{
    CUSTOMERS_FILE, CUSTOMERS_HEADER, GenerateStats, LICENSES_FILE, LICENSES_HEADER,
    RELATIONSHIPS_FILE, RELATIONSHIPS_HEADER, SUBSCRIPTIONS_FILE, SUBSCRIPTIONS_HEADER,
};

const FLUSH_AT: usize = 1 << 20;

/// One output file: rows are formatted straight into `buf`, which goes to the file in
/// blocks of about a megabyte.
pub(super) struct Sink {
    file: File,
    /// The rows not yet written; a row is appended here, then ended with [`Sink::end_row`].
    pub(super) buf: Vec<u8>,
    bytes: u64,
    rows: u64,
}

impl Sink {
    fn create(path: &Path, header: &str) -> io::Result<Sink> {
        let file = File::create(path)?;
        let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
        buf.extend_from_slice(header.as_bytes());
        buf.push(b'\n');
        Ok(Sink {
            file,
            buf,
            bytes: 0,
            rows: 0,
        })
    }

    /// Ends the row being formatted in `buf`.
    #[inline]
    pub(super) fn end_row(&mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        self.rows += 1;
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.write_all(&self.buf)?;
        self.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Returns (data rows, bytes written).
    fn finish(mut self) -> io::Result<(u64, u64)> {
        self.flush()?;
        self.file.flush()?;
        Ok((self.rows, self.bytes))
    }
}

/// The four files of one run, each started with its header row.
pub(super) struct Sinks {
    pub(super) customers: Sink,
    pub(super) subscriptions: Sink,
    pub(super) relationships: Sink,
    pub(super) licenses: Sink,
}

impl Sinks {
    /// Creates (or truncates) the four files in the existing directory `out`.
    pub(super) fn create(out: &Path) -> io::Result<Sinks> {
        Ok(Sinks {
            customers: Sink::create(&out.join(CUSTOMERS_FILE), CUSTOMERS_HEADER)?,
            subscriptions: Sink::create(&out.join(SUBSCRIPTIONS_FILE), SUBSCRIPTIONS_HEADER)?,
            relationships: Sink::create(&out.join(RELATIONSHIPS_FILE), RELATIONSHIPS_HEADER)?,
            licenses: Sink::create(&out.join(LICENSES_FILE), LICENSES_HEADER)?,
        })
    }

    /// Writes what is left of every file and counts rows and bytes.
    pub(super) fn finish(self) -> io::Result<GenerateStats> {
        let (customers, c_bytes) = self.customers.finish()?;
        let (subscriptions, s_bytes) = self.subscriptions.finish()?;
        let (relationships, r_bytes) = self.relationships.finish()?;
        let (licenses, l_bytes) = self.licenses.finish()?;
        Ok(GenerateStats {
            customers,
            subscriptions,
            relationships,
            licenses,
            bytes: c_bytes + s_bytes + r_bytes + l_bytes,
        })
    }
}
