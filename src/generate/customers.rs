//! Rows of `customers.csv`: GUID id, a company name in the style of the customer's
//! country (some with commas or quotes, hence quoted), a domain, the country and
//! mostly an account manager.

use std::io;

use super::format::{push_field, push_str, push_u64};
use super::ids::Keys;
use super::rng::SplitMix64;
use super::sink::Sink;

const COUNTRIES: [&str; 12] = [
    "DE", "AT", "CH", "GB", "US", "FR", "NL", "IN", "PL", "ES", "IT", "SE",
];
const COUNTRY_WEIGHTS: [u32; 12] = [30, 8, 7, 10, 12, 6, 5, 8, 4, 4, 4, 2];
const INDIA: usize = 7;

fn legal_forms(country: usize) -> &'static [&'static str] {
    match country {
        0..=2 => &[
            "GmbH",
            "AG",
            "GmbH & Co. KG",
            "KG",
            "e.K.",
            "UG (haftungsbeschränkt)",
        ],
        3 => &["Ltd", "plc", "LLP"],
        4 => &["Inc.", "LLC", "Corp."],
        5 => &["SARL", "SAS", "S.A."],
        6 => &["B.V.", "N.V."],
        7 => &["Pvt. Ltd.", "Ltd.", "LLP"],
        8 => &["Sp. z o.o.", "S.A."],
        9 => &["S.L.", "S.A."],
        10 => &["S.r.l.", "S.p.A."],
        _ => &["AB"],
    }
}

#[rustfmt::skip]
const NAME_ROOTS: [&str; 40] = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Contoso", "Fabrikam", "Northwind", "Tailspin", "Adatum", "Litware", "Woodgrove",
    "Proseware", "Lamna", "Wingtip", "Alpine Ski House", "Fourth Coffee", "Coho Winery",
    "Blue Yonder", "Trey Research", "Relecloud", "Südwind", "Nordlicht", "Østergaard",
    "Société Lumière", "Bäckerei Huber", "Zürcher", "Łódź Tech", "Ibérica",
];

#[rustfmt::skip]
const TRADES: [&str; 20] = [
    "Logistik", "Consulting", "Software", "Bau", "Handel", "Steuerberatung", "Medizintechnik",
    "Engineering", "Immobilien", "Solutions", "Retail", "Design", "Systems", "Partners",
    "Holding", "Digital", "Energy", "Foods", "Services", "Media",
];

#[rustfmt::skip]
const ACCOUNT_MANAGERS: [&str; 15] = [
    "Anna Schmidt", "Jonas Weber", "Lea Fischer", "Lukas Meyer", "Sophie Wagner",
    "Maximilian Becker", "Marie Hoffmann", "Paul Schulz", "Emma Koch", "Felix Richter",
    "Priya Sharma", "Tom Baker", "Julia Nowak", "Chloé Martin", "Sven Lindqvist",
];

/// What the rows of a customer's other files need to know about it.
pub(super) struct Customer {
    /// 1-based position in `customers.csv`.
    pub(super) number: u64,
    pub(super) id: [u8; 36],
    /// Whether its country is India (it then mostly holds the India offers).
    pub(super) india: bool,
}

/// Writes the row of customer `number`; `scratch` is a reused buffer for its name.
pub(super) fn write_customer_row(
    sink: &mut Sink,
    rng: &mut SplitMix64,
    keys: &Keys,
    number: u64,
    scratch: &mut Vec<u8>,
) -> io::Result<Customer> {
    let id = keys.customer_id(number);
    let country = rng.weighted(&COUNTRY_WEIGHTS);
    company_name(scratch, rng, number, country);
    let buf = &mut sink.buf;
    buf.extend_from_slice(&id);
    buf.push(b',');
    push_field(buf, scratch);
    buf.push(b',');
    push_domain(buf, number);
    buf.push(b',');
    push_str(buf, COUNTRIES[country]);
    buf.push(b',');
    if !rng.chance(80) {
        push_str(buf, rng.pick(&ACCOUNT_MANAGERS));
    }
    sink.end_row()?;
    Ok(Customer {
        number,
        id,
        india: country == INDIA,
    })
}

/// The domain of customer `number`, also the UPN suffix of its users.
pub(super) fn push_domain(buf: &mut Vec<u8>, number: u64) {
    buf.push(b'c');
    push_u64(buf, number);
    push_str(buf, ".example.com");
}

/// Company name of customer `number` into `out` (unquoted).
fn company_name(out: &mut Vec<u8>, rng: &mut SplitMix64, number: u64, country: usize) {
    out.clear();
    let root = rng.pick(&NAME_ROOTS);
    let trade = rng.pick(&TRADES);
    let form = rng.pick(legal_forms(country));
    let (after_root, after_trade) = match rng.below(1000) {
        // "Firma 17, GmbH & Co. KG"
        0..=19 => {
            push_str(out, "Firma ");
            push_u64(out, number);
            push_str(out, ", ");
            push_str(out, form);
            return;
        }
        // "Contoso Software, Inc."
        20..=119 => (" ", ", "),
        // "Müller, Logistik GmbH"
        120..=139 => (", ", " "),
        // Bäckerei Huber "Digital" GmbH
        140..=144 => (" \"", "\" "),
        // "Wagner Bau GmbH"
        _ => (" ", " "),
    };
    for part in [root, after_root, trade, after_trade, form] {
        push_str(out, part);
    }
}
