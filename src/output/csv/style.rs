//! `--csv-style`: how the CSV reports are laid out for their reader (contract §5).

use std::fmt;
use std::str::FromStr;

/// The layout of every CSV report of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CsvStyle {
    /// UTF-8 without BOM, comma, LF (as v1): for programs.
    #[default]
    Plain,
    /// UTF-8 with BOM, comma, CRLF: Excel with an English list separator.
    Excel,
    /// UTF-8 with BOM, semicolon, CRLF: what German Excel opens by double-click
    /// with umlauts and columns intact.
    ExcelDe,
}

/// The byte-order mark that tells Excel a CSV file is UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl CsvStyle {
    pub const ALL: [CsvStyle; 3] = [CsvStyle::Plain, CsvStyle::Excel, CsvStyle::ExcelDe];

    pub fn name(self) -> &'static str {
        match self {
            CsvStyle::Plain => "plain",
            CsvStyle::Excel => "excel",
            CsvStyle::ExcelDe => "excel-de",
        }
    }

    pub fn delimiter(self) -> u8 {
        match self {
            CsvStyle::Plain | CsvStyle::Excel => b',',
            CsvStyle::ExcelDe => b';',
        }
    }

    /// The line end.
    pub fn terminator(self) -> &'static [u8] {
        match self {
            CsvStyle::Plain => b"\n",
            CsvStyle::Excel | CsvStyle::ExcelDe => b"\r\n",
        }
    }

    /// What a file starts with, before its header row.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            CsvStyle::Plain => b"",
            CsvStyle::Excel | CsvStyle::ExcelDe => UTF8_BOM,
        }
    }
}

impl fmt::Display for CsvStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CsvStyle {
    type Err = String;

    fn from_str(value: &str) -> Result<CsvStyle, String> {
        CsvStyle::ALL
            .into_iter()
            .find(|style| style.name().eq_ignore_ascii_case(value.trim()))
            .ok_or_else(|| {
                format!("\"{value}\" is not a CSV style (expected plain, excel or excel-de)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse_by_name() {
        for style in CsvStyle::ALL {
            assert_eq!(style.name().parse::<CsvStyle>(), Ok(style));
            assert_eq!(style.to_string(), style.name());
        }
        assert_eq!(" Excel-DE ".parse::<CsvStyle>(), Ok(CsvStyle::ExcelDe));
        assert!("excel_de".parse::<CsvStyle>().is_err());
    }
}
