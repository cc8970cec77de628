//! Synthetic input data for benchmarks and soak tests (`upgrade-recon generate`).
//!
//! [`generate`] writes the four input files of the contract (§2) — `customers.csv`,
//! `subscriptions.csv`, `admin_relationships.csv` and `license_assignments.csv` — in
//! the canonical format (comma-separated, UTF-8, LF line ends, one header row), shaped
//! like a CSP partner's real export against the default catalog (§3):
//!
//! * customers with GUID ids, company names from several countries (some with commas or
//!   quotes, hence quoted), a domain, a country and mostly an account manager;
//! * 1–6 subscriptions per customer (≈ 2.5 on average), about 15 % sold by another
//!   partner or Microsoft directly, every status (mostly `active`), quantities spread
//!   around the 300-seat limit, offers written as offer id, name, alias or SKU part
//!   number (India customers mostly hold the India offers), ≈ 3 % unknown offers such
//!   as "Azure plan";
//! * 0–2 delegated-admin relationships per customer: active with `*` or with a partial
//!   granular service list, expiring, expired (end before 2026-11-24), future (start in
//!   2027), terminated, pending;
//! * about 40 license assignments per customer (users hold one or two licenses of
//!   different offers, ≈ 10 % of them with disabled services, a few of offers the
//!   catalog does not know).
//!
//! Every row is valid: ids are unique, every referenced customer exists, dates are real
//! with start ≤ end, statuses and services come from the contract's vocabularies, and no
//! user holds two licenses of the same offer. The output is a pure function of
//! `(customers, seed)`: each customer's rows come from its own SplitMix64 stream keyed
//! by `(seed, customer number)`, so the files are byte-identical on every run and the
//! first N customers are the same whatever the total count.
//!
//! Only std is used. Rows are formatted by hand into one reused buffer per file that is
//! flushed in large blocks, so nothing is allocated per row.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What to generate and where.
pub struct GenerateOptions {
    /// Number of customers; the other files scale with it.
    pub customers: u64,
    /// Seed of the pseudo-random streams; same `(customers, seed)`, same bytes.
    pub seed: u64,
    /// Output directory, created if needed; the four files in it are overwritten.
    pub out: PathBuf,
}

/// Data rows (header rows not counted) written per file, and total bytes of all four files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerateStats {
    /// Rows of `customers.csv`.
    pub customers: u64,
    /// Rows of `subscriptions.csv`.
    pub subscriptions: u64,
    /// Rows of `admin_relationships.csv`.
    pub relationships: u64,
    /// Rows of `license_assignments.csv`.
    pub licenses: u64,
    /// Bytes of the four files together, header rows included.
    pub bytes: u64,
}

/// File names the generator writes (the contract's input file names).
pub const CUSTOMERS_FILE: &str = "customers.csv";
/// See [`CUSTOMERS_FILE`].
pub const SUBSCRIPTIONS_FILE: &str = "subscriptions.csv";
/// See [`CUSTOMERS_FILE`].
pub const RELATIONSHIPS_FILE: &str = "admin_relationships.csv";
/// See [`CUSTOMERS_FILE`].
pub const LICENSES_FILE: &str = "license_assignments.csv";

const CUSTOMERS_HEADER: &str = "customer_id,company_name,domain,country,account_manager";
const SUBSCRIPTIONS_HEADER: &str = "subscription_id,customer_id,offer,status,quantity,channel";
const RELATIONSHIPS_HEADER: &str =
    "relationship_id,customer_id,status,services,start_date,end_date";
const LICENSES_HEADER: &str = "customer_id,user_principal_name,offer,disabled_services";

/// Write the four input files for `opts.customers` customers into `opts.out`.
///
/// # Errors
///
/// Any I/O error creating the directory or writing a file; files already written stay.
pub fn generate(opts: &GenerateOptions) -> io::Result<GenerateStats> {
    fs::create_dir_all(&opts.out)?;
    let mut sinks = Sinks {
        customers: Sink::create(&opts.out.join(CUSTOMERS_FILE), CUSTOMERS_HEADER)?,
        subscriptions: Sink::create(&opts.out.join(SUBSCRIPTIONS_FILE), SUBSCRIPTIONS_HEADER)?,
        relationships: Sink::create(&opts.out.join(RELATIONSHIPS_FILE), RELATIONSHIPS_HEADER)?,
        licenses: Sink::create(&opts.out.join(LICENSES_FILE), LICENSES_HEADER)?,
    };
    let keys = Keys::new(opts.seed);
    let as_of = days_from_civil(2026, 11, 24);
    let mut scratch = Vec::with_capacity(128);
    for number in 1..=opts.customers {
        write_customer(&keys, number, as_of, &mut sinks, &mut scratch)?;
    }
    let (customers, c_bytes) = sinks.customers.finish()?;
    let (subscriptions, s_bytes) = sinks.subscriptions.finish()?;
    let (relationships, r_bytes) = sinks.relationships.finish()?;
    let (licenses, l_bytes) = sinks.licenses.finish()?;
    Ok(GenerateStats {
        customers,
        subscriptions,
        relationships,
        licenses,
        bytes: c_bytes + s_bytes + r_bytes + l_bytes,
    })
}

// ---------------------------------------------------------------------------------------
// Output buffers

const FLUSH_AT: usize = 1 << 20;

/// One output file: rows are formatted straight into `buf`, which goes to the file in
/// blocks of about a megabyte.
struct Sink {
    file: File,
    buf: Vec<u8>,
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
    fn end_row(&mut self) -> io::Result<()> {
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

struct Sinks {
    customers: Sink,
    subscriptions: Sink,
    relationships: Sink,
    licenses: Sink,
}

// ---------------------------------------------------------------------------------------
// Pseudo-random numbers

/// SplitMix64's output function; a bijection on u64.
#[inline]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for test data.
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    fn new(state: u64) -> SplitMix64 {
        SplitMix64 { state }
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is far below anything visible here).
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    #[inline]
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille` / 1000.
    #[inline]
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// Index into `weights`, chosen in proportion to them.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(u64::from(total)) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    #[inline]
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Per-seed keys of the id namespaces and of the customers' streams.
struct Keys {
    stream: u64,
    customer: u64,
    subscription: u64,
    relationship: u64,
}

impl Keys {
    fn new(seed: u64) -> Keys {
        let base = mix64(seed ^ 0x7570_6772_6164_6521);
        Keys {
            stream: mix64(base ^ 1),
            customer: mix64(base ^ 2),
            subscription: mix64(base ^ 3),
            relationship: mix64(base ^ 4),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Formatting helpers

#[inline]
fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

#[inline]
fn push_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(s.as_bytes());
}

/// A field that may need CSV quoting (only free text does).
fn push_field(buf: &mut Vec<u8>, value: &[u8]) {
    if value
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        buf.push(b'"');
        for &b in value {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(value);
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A version-4-looking GUID whose 64 bits of `unique` are all kept (so distinct
/// `unique` values give distinct GUIDs); `noise` fills the rest.
fn guid(unique: u64, noise: u64) -> [u8; 36] {
    let mut nibbles = [0u8; 32];
    for (i, n) in nibbles[..12].iter_mut().enumerate() {
        *n = (unique >> (60 - 4 * i)) as u8 & 15;
    }
    nibbles[12] = 4;
    for (i, n) in nibbles[13..16].iter_mut().enumerate() {
        *n = (unique >> (12 - 4 * i)) as u8 & 15;
    }
    nibbles[16] = 8 | (noise as u8 & 3);
    nibbles[17] = unique as u8 & 15;
    for (i, n) in nibbles[18..].iter_mut().enumerate() {
        *n = (noise >> (8 + 4 * i)) as u8 & 15;
    }
    let mut out = [b'-'; 36];
    let mut j = 0;
    for (i, &n) in nibbles.iter().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            j += 1;
        }
        out[j] = HEX[n as usize];
        j += 1;
    }
    out
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01, as (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn push_date(buf: &mut Vec<u8>, days: i64) {
    let (y, m, d) = civil_from_days(days);
    let y = y as u32;
    buf.extend_from_slice(&[
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (d / 10) as u8,
        b'0' + (d % 10) as u8,
    ]);
}

// ---------------------------------------------------------------------------------------
// The default catalog (contract §3), as far as the generator needs it

const EXCHANGE: u32 = 1 << 0;
const SHAREPOINT: u32 = 1 << 1;
const ONEDRIVE: u32 = 1 << 2;
const OFFICE_APPS: u32 = 1 << 3;
const OFFICE_WEB: u32 = 1 << 4;
const TEAMS: u32 = 1 << 5;
const YAMMER: u32 = 1 << 6;
const PLANNER: u32 = 1 << 7;
const BOOKINGS: u32 = 1 << 8;
const STREAM: u32 = 1 << 9;
const INFO_PROTECTION: u32 = 1 << 10;
const PHONE_SYSTEM: u32 = 1 << 11;
const AUDIO_CONF: u32 = 1 << 12;
const POWER_BI: u32 = 1 << 13;
const DEFENDER: u32 = 1 << 14;
const INTUNE: u32 = 1 << 15;
const ENTRA_P1: u32 = 1 << 16;

/// The service vocabulary of the default catalog, in bit order.
const SERVICES: [&str; 17] = [
    "Exchange",
    "SharePoint",
    "OneDrive",
    "OfficeApps",
    "OfficeWeb",
    "Teams",
    "Yammer",
    "Planner",
    "Bookings",
    "Stream",
    "InformationProtection",
    "PhoneSystem",
    "AudioConferencing",
    "PowerBI",
    "DefenderO365",
    "Intune",
    "EntraIDP1",
];
const ALL_SERVICES: u32 = (1 << SERVICES.len()) - 1;

const APPS: u32 = OFFICE_APPS | ONEDRIVE | OFFICE_WEB;
const BASIC: u32 = EXCHANGE | SHAREPOINT | ONEDRIVE | OFFICE_WEB | TEAMS | YAMMER | PLANNER;
const STANDARD: u32 = OFFICE_APPS | BASIC | BOOKINGS | STREAM;
const E1: u32 = BASIC | BOOKINGS | STREAM;
const E3: u32 = STANDARD | INFO_PROTECTION;
const E5: u32 = E3 | PHONE_SYSTEM | AUDIO_CONF | POWER_BI | DEFENDER;
const SPB: u32 = E3 | DEFENDER | INTUNE | ENTRA_P1;

struct Offer {
    id: &'static str,
    name: &'static str,
    /// SKU part number; empty where the catalog has none.
    sku: &'static str,
    /// The catalog's alias (a former or current product name); may be empty.
    alias: &'static str,
    services: u32,
}

const fn offer(
    id: &'static str,
    name: &'static str,
    sku: &'static str,
    alias: &'static str,
    services: u32,
) -> Offer {
    Offer {
        id,
        name,
        sku,
        alias,
        services,
    }
}

#[rustfmt::skip]
const OFFERS: [Offer; 18] = [
    offer("o365-business", "Office 365 Business", "O365_BUSINESS", "Microsoft 365 Apps for business", APPS),
    offer("o365-business-essentials", "Office 365 Business Essentials", "O365_BUSINESS_ESSENTIALS", "Microsoft 365 Business Basic", BASIC),
    offer("o365-business-premium", "Office 365 Business Premium", "O365_BUSINESS_PREMIUM", "Microsoft 365 Business Standard", STANDARD),
    offer("o365-business-india", "Office 365 Business India", "", "Microsoft 365 Apps for business India", APPS),
    offer("o365-business-essentials-india", "Office 365 Business Essentials India", "", "Microsoft 365 Business Basic India", BASIC),
    offer("o365-business-premium-india", "Office 365 Business Premium India", "", "Microsoft 365 Business Standard India", STANDARD),
    offer("o365-proplus", "Office 365 ProPlus", "OFFICESUBSCRIPTION", "Microsoft 365 Apps for enterprise", APPS),
    offer("o365-e1", "Office 365 Enterprise E1", "STANDARDPACK", "Office 365 E1", E1),
    offer("o365-e3", "Office 365 Enterprise E3", "ENTERPRISEPACK", "Office 365 E3", E3),
    offer("o365-e5", "Office 365 Enterprise E5", "ENTERPRISEPREMIUM", "Office 365 E5", E5),
    offer("m365-business-premium", "Microsoft 365 Business Premium", "SPB", "Microsoft 365 Business", SPB),
    offer("exchange-online-plan1", "Exchange Online (Plan 1)", "EXCHANGESTANDARD", "", EXCHANGE),
    offer("exchange-online-plan2", "Exchange Online (Plan 2)", "EXCHANGEENTERPRISE", "", EXCHANGE),
    offer("sharepoint-online-plan1", "SharePoint Online (Plan 1)", "SHAREPOINTSTANDARD", "", SHAREPOINT | ONEDRIVE),
    offer("power-bi-pro", "Power BI Pro", "POWER_BI_PRO", "", POWER_BI),
    offer("teams-phone-standard", "Microsoft Teams Phone Standard", "MCOEV", "Phone System", PHONE_SYSTEM),
    offer("audio-conferencing", "Microsoft 365 Audio Conferencing", "MCOMEETADV", "Audio Conferencing", AUDIO_CONF),
    offer("defender-o365-plan1", "Microsoft Defender for Office 365 (Plan 1)", "ATP_ENTERPRISE", "Office 365 Advanced Threat Protection", DEFENDER),
];

/// Subscription offer weights, by `OFFERS` index, for customers outside India.
const SUB_WEIGHTS_GLOBAL: [u32; 18] = [12, 20, 18, 0, 0, 0, 4, 6, 8, 3, 10, 5, 2, 2, 4, 2, 1, 2];
/// The same for customers in India: mostly the India offers.
const SUB_WEIGHTS_INDIA: [u32; 18] = [2, 3, 3, 18, 22, 20, 2, 2, 3, 1, 2, 3, 1, 1, 2, 1, 0, 1];
/// Offers users hold next to their main license (add-ons and stand-alone plans).
const LICENSE_EXTRA_WEIGHTS: [u32; 18] = [2, 2, 2, 0, 0, 0, 2, 1, 2, 1, 2, 10, 3, 3, 14, 6, 4, 6];

/// Subscription offers the catalog does not know (first one most common).
const UNKNOWN_SUB_OFFERS: [&str; 7] = [
    "Azure plan",
    "Microsoft 365 Copilot",
    "Dynamics 365 Business Central Essentials",
    "Visio Plan 2",
    "Project Plan 3",
    "Windows 365 Business",
    "Microsoft Entra ID P2",
];
const UNKNOWN_SUB_WEIGHTS: [u32; 7] = [40, 15, 10, 10, 10, 8, 7];

/// License offers the catalog does not know (free and trial SKUs, other products).
const UNKNOWN_LICENSE_OFFERS: [&str; 8] = [
    "FLOW_FREE",
    "Microsoft Power Automate Free",
    "TEAMS_EXPLORATORY",
    "Microsoft Teams Exploratory",
    "POWER_BI_STANDARD",
    "VISIOCLIENT",
    "PROJECTPROFESSIONAL",
    "Microsoft 365 Copilot",
];

/// How an offer is written in a row.
#[derive(Clone, Copy)]
enum OfferForm {
    Id,
    Name,
    Alias,
    Sku,
}

/// Writes known offer `index` in `form`, falling back to the name where the catalog has
/// no SKU or alias; now and then in upper or lower case (offers compare case-insensitively).
fn push_offer(buf: &mut Vec<u8>, rng: &mut SplitMix64, index: usize, form: OfferForm) {
    let o = &OFFERS[index];
    let text = match form {
        OfferForm::Id => o.id,
        OfferForm::Name => o.name,
        OfferForm::Alias if !o.alias.is_empty() => o.alias,
        OfferForm::Sku if !o.sku.is_empty() => o.sku,
        _ => o.name,
    };
    match rng.below(100) {
        0 => buf.extend(text.bytes().map(|b| b.to_ascii_lowercase())),
        1 => buf.extend(text.bytes().map(|b| b.to_ascii_uppercase())),
        _ => push_str(buf, text),
    }
}

/// Writes the services of `mask` as a `;`-separated list in vocabulary order.
fn push_services(buf: &mut Vec<u8>, mask: u32) {
    let mut first = true;
    let mut rest = mask;
    while rest != 0 {
        let bit = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        if !first {
            buf.push(b';');
        }
        first = false;
        push_str(buf, SERVICES[bit]);
    }
}

/// Up to `count` distinct services of `mask`, chosen at random.
fn some_services(rng: &mut SplitMix64, mask: u32, count: u32) -> u32 {
    let mut left = mask;
    let mut chosen = 0;
    for _ in 0..count {
        let n = left.count_ones();
        if n == 0 {
            break;
        }
        let mut k = rng.below(u64::from(n));
        let mut rest = left;
        while k > 0 {
            rest &= rest - 1;
            k -= 1;
        }
        let bit = rest & rest.wrapping_neg();
        chosen |= bit;
        left &= !bit;
    }
    chosen
}

// ---------------------------------------------------------------------------------------
// Customers

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

/// Company name of customer `number` into `out` (unquoted).
fn company_name(out: &mut Vec<u8>, rng: &mut SplitMix64, number: u64, country: usize) {
    out.clear();
    let root = rng.pick(&NAME_ROOTS);
    let trade = rng.pick(&TRADES);
    let form = rng.pick(legal_forms(country));
    match rng.below(1000) {
        // "Firma 17, GmbH & Co. KG"
        0..=19 => {
            push_str(out, "Firma ");
            push_u64(out, number);
            push_str(out, ", ");
            push_str(out, form);
        }
        // "Contoso Software, Inc."
        20..=119 => {
            for part in [root, " ", trade, ", ", form] {
                push_str(out, part);
            }
        }
        // "Müller, Logistik GmbH"
        120..=139 => {
            for part in [root, ", ", trade, " ", form] {
                push_str(out, part);
            }
        }
        // Bäckerei Huber "Digital" GmbH
        140..=144 => {
            for part in [root, " \"", trade, "\" ", form] {
                push_str(out, part);
            }
        }
        // "Wagner Bau GmbH"
        _ => {
            for part in [root, " ", trade, " ", form] {
                push_str(out, part);
            }
        }
    }
}

/// Known offers of one customer's subscriptions, which its users' licenses mostly follow.
struct Holdings {
    offers: [u8; 6],
    len: usize,
}

fn write_customer(
    keys: &Keys,
    number: u64,
    as_of: i64,
    sinks: &mut Sinks,
    scratch: &mut Vec<u8>,
) -> io::Result<()> {
    let mut rng = SplitMix64::new(keys.stream ^ mix64(number));
    let unique = mix64(number ^ keys.customer);
    let customer_id = guid(unique, mix64(unique ^ 0x5EED));

    // customers.csv
    let country = rng.weighted(&COUNTRY_WEIGHTS);
    let india = country == INDIA;
    company_name(scratch, &mut rng, number, country);
    let buf = &mut sinks.customers.buf;
    buf.extend_from_slice(&customer_id);
    buf.push(b',');
    push_field(buf, scratch);
    push_str(buf, ",c");
    push_u64(buf, number);
    push_str(buf, ".example.com,");
    push_str(buf, COUNTRIES[country]);
    buf.push(b',');
    if !rng.chance(80) {
        push_str(buf, rng.pick(&ACCOUNT_MANAGERS));
    }
    sinks.customers.end_row()?;

    // subscriptions.csv: 1–6, mean ≈ 2.5
    let count = 1 + rng.weighted(&[28, 30, 20, 11, 7, 4]);
    let mut holdings = Holdings {
        offers: [0; 6],
        len: 0,
    };
    for k in 0..count {
        let unique = mix64(((number << 3) | k as u64) ^ keys.subscription);
        let subscription_id = guid(unique, mix64(unique ^ 0x50B));
        let sink = &mut sinks.subscriptions;
        let buf = &mut sink.buf;
        buf.extend_from_slice(&subscription_id);
        buf.push(b',');
        buf.extend_from_slice(&customer_id);
        buf.push(b',');
        if rng.chance(30) {
            let unknown = rng.weighted(&UNKNOWN_SUB_WEIGHTS);
            push_str(buf, UNKNOWN_SUB_OFFERS[unknown]);
        } else {
            let index = rng.weighted(if india {
                &SUB_WEIGHTS_INDIA
            } else {
                &SUB_WEIGHTS_GLOBAL
            });
            holdings.offers[holdings.len] = index as u8;
            holdings.len += 1;
            let form = [
                OfferForm::Name,
                OfferForm::Id,
                OfferForm::Alias,
                OfferForm::Sku,
            ][rng.weighted(&[45, 15, 25, 15])];
            push_offer(buf, &mut rng, index, form);
        }
        buf.push(b',');
        let status = rng.weighted(&[820, 30, 50, 20, 30, 20, 30]);
        let statuses = if rng.chance(30) {
            &SUB_STATUSES_CAPITALISED
        } else {
            &SUB_STATUSES
        };
        push_str(buf, statuses[status]);
        buf.push(b',');
        let quantity = match rng.below(1000) {
            0..=29 => 0,
            30..=549 => rng.range(1, 25),
            550..=799 => rng.range(26, 120),
            800..=899 => rng.range(121, 279),
            900..=969 => rng.range(280, 350),
            _ => rng.range(351, 2500),
        };
        push_u64(buf, quantity);
        buf.push(b',');
        match rng.below(1000) {
            0..=199 => {} // empty: this_partner by default
            200..=849 => push_str(buf, "this_partner"),
            850..=949 => push_str(buf, "other_partner"),
            _ => push_str(buf, "direct"),
        }
        sink.end_row()?;
    }

    // admin_relationships.csv: 0–2
    let count = rng.weighted(&[12, 60, 28]);
    for k in 0..count {
        let sink = &mut sinks.relationships;
        let buf = &mut sink.buf;
        if !rng.chance(20) {
            let unique = mix64(((number << 2) | k as u64) ^ keys.relationship);
            buf.extend_from_slice(&guid(unique, mix64(unique ^ 0x6DA9)));
        }
        buf.push(b',');
        buf.extend_from_slice(&customer_id);
        buf.push(b',');
        write_relationship(buf, &mut rng, &holdings, as_of);
        sink.end_row()?;
    }

    // license_assignments.csv: ≈ 40 rows per customer
    let users = match rng.below(1000) {
        0..=39 => 0,
        40..=59 => rng.range(150, 400),
        _ => 1 + (rng.below(96) * rng.below(96)) / 96,
    };
    let sink = &mut sinks.licenses;
    for user in 1..=users {
        let first = license_offer(&mut rng, &holdings);
        write_license(&mut sink.buf, &mut rng, &customer_id, number, user, first);
        sink.end_row()?;
        if rng.chance(420) {
            for _ in 0..8 {
                let second = license_offer(&mut rng, &holdings);
                if second != first {
                    write_license(&mut sink.buf, &mut rng, &customer_id, number, user, second);
                    sink.end_row()?;
                    break;
                }
            }
        }
    }
    Ok(())
}

const SUB_STATUSES: [&str; 7] = [
    "active",
    "pending",
    "suspended",
    "disabled",
    "expired",
    "deleted",
    "cancelled",
];
const SUB_STATUSES_CAPITALISED: [&str; 7] = [
    "Active",
    "Pending",
    "Suspended",
    "Disabled",
    "Expired",
    "Deleted",
    "Cancelled",
];

/// status,services,start_date,end_date of one delegated-admin relationship.
fn write_relationship(buf: &mut Vec<u8>, rng: &mut SplitMix64, holdings: &Holdings, as_of: i64) {
    const GDAP_DAYS: i64 = 730;
    let kind = rng.weighted(&[30, 33, 5, 12, 8, 9, 3]);
    let (status, start, end): (&str, Option<i64>, Option<i64>) = match kind {
        // active, all services / a granular list
        0 | 1 => {
            let start = as_of - rng.range(30, 700) as i64;
            let end = if rng.chance(100) {
                None
            } else {
                Some(start + GDAP_DAYS)
            };
            (
                "active",
                if rng.chance(50) { None } else { Some(start) },
                end,
            )
        }
        // expiring within the month
        2 => {
            let end = as_of + rng.range(0, 30) as i64;
            ("expiring", Some(end - GDAP_DAYS), Some(end))
        }
        // expired: ended before the as-of date, sometimes still marked active
        3 => {
            let end = as_of - rng.range(1, 600) as i64;
            let start = end - rng.range(30, GDAP_DAYS as u64) as i64;
            (
                if rng.chance(300) { "active" } else { "expired" },
                Some(start),
                Some(end),
            )
        }
        // future: starts in 2027
        4 => {
            let start = days_from_civil(2027, 1, 1) + rng.range(0, 300) as i64;
            let status = rng.pick(&[
                "active",
                "approved",
                "approvalpending",
                "activating",
                "created",
            ]);
            (status, Some(start), Some(start + GDAP_DAYS))
        }
        // terminated or on its way there
        5 => {
            let start = as_of - rng.range(60, 900) as i64;
            let status = rng.pick(&[
                "terminated",
                "terminated",
                "terminating",
                "terminationrequested",
            ]);
            (status, Some(start), Some(start + GDAP_DAYS))
        }
        // never approved
        _ => (rng.pick(&["approvalpending", "created"]), None, None),
    };
    if rng.chance(20) {
        // Enum values compare case-insensitively; some exports capitalise them.
        let mut first = true;
        for b in status.bytes() {
            buf.push(if first { b.to_ascii_uppercase() } else { b });
            first = false;
        }
    } else {
        push_str(buf, status);
    }
    buf.push(b',');
    if kind == 0 || (kind != 1 && rng.chance(400)) {
        buf.push(b'*');
    } else {
        push_services(buf, granular_services(rng, holdings));
    }
    buf.push(b',');
    if let Some(start) = start {
        push_date(buf, start);
    }
    buf.push(b',');
    if let Some(end) = end {
        push_date(buf, end);
    }
}

/// A partial service list as granular admin roles give it: the services of something the
/// customer has or might upgrade to, give or take a few. Never empty.
fn granular_services(rng: &mut SplitMix64, holdings: &Holdings) -> u32 {
    const TARGETS: [u32; 5] = [STANDARD, E1, E3, E5, SPB];
    let mask = match rng.below(3) {
        0 if holdings.len > 0 => {
            let held = OFFERS
                [usize::from(holdings.offers[rng.below(holdings.len as u64) as usize])]
            .services;
            let extra = rng.below(3) as u32;
            held | some_services(rng, ALL_SERVICES, extra)
        }
        1 => {
            let target = TARGETS[rng.below(TARGETS.len() as u64) as usize];
            let dropped = rng.below(3) as u32;
            target & !some_services(rng, target, dropped)
        }
        _ => {
            let dropped = 1 + rng.below(4) as u32;
            ALL_SERVICES & !some_services(rng, ALL_SERVICES, dropped)
        }
    };
    if mask == 0 { EXCHANGE | TEAMS } else { mask }
}

/// A license's offer: below 100 an `OFFERS` index, from 100 an `UNKNOWN_LICENSE_OFFERS` one.
fn license_offer(rng: &mut SplitMix64, holdings: &Holdings) -> u32 {
    let r = rng.below(1000);
    if r < 30 {
        100 + rng.below(UNKNOWN_LICENSE_OFFERS.len() as u64) as u32
    } else if r < 850 && holdings.len > 0 {
        u32::from(holdings.offers[rng.below(holdings.len as u64) as usize])
    } else {
        rng.weighted(&LICENSE_EXTRA_WEIGHTS) as u32
    }
}

fn write_license(
    buf: &mut Vec<u8>,
    rng: &mut SplitMix64,
    customer_id: &[u8; 36],
    number: u64,
    user: u64,
    offer: u32,
) {
    buf.extend_from_slice(customer_id);
    push_str(buf, ",u");
    push_u64(buf, user);
    push_str(buf, "@c");
    push_u64(buf, number);
    push_str(buf, ".example.com,");
    if offer >= 100 {
        push_str(buf, UNKNOWN_LICENSE_OFFERS[(offer - 100) as usize]);
        buf.push(b',');
        return;
    }
    let index = offer as usize;
    // Licence exports mostly name SKU part numbers or display names.
    let form = [
        OfferForm::Sku,
        OfferForm::Name,
        OfferForm::Alias,
        OfferForm::Id,
    ][rng.weighted(&[45, 35, 12, 8])];
    push_offer(buf, rng, index, form);
    buf.push(b',');
    if rng.chance(100) {
        let count = 1 + rng.below(3) as u32;
        push_services(buf, some_services(rng, OFFERS[index].services, count));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(label: &str) -> TempDir {
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let name = format!(
                "upgrade-recon-generate-{}-{}-{}-{label}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed),
                nanos
            );
            let path = std::env::temp_dir().join(name);
            fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const FILES: [&str; 4] = [
        CUSTOMERS_FILE,
        SUBSCRIPTIONS_FILE,
        RELATIONSHIPS_FILE,
        LICENSES_FILE,
    ];

    fn run(customers: u64, seed: u64, out: &Path) -> GenerateStats {
        generate(&GenerateOptions {
            customers,
            seed,
            out: out.to_path_buf(),
        })
        .unwrap()
    }

    fn read_all(dir: &Path) -> Vec<Vec<u8>> {
        FILES
            .iter()
            .map(|f| fs::read(dir.join(f)).unwrap())
            .collect()
    }

    /// Splits one CSV line (no embedded line breaks) into unquoted fields.
    fn fields(line: &str) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', false) => quoted = true,
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    out.last_mut().unwrap().push('"');
                }
                ('"', true) => quoted = false,
                (',', false) => out.push(String::new()),
                (c, _) => out.last_mut().unwrap().push(c),
            }
        }
        assert!(!quoted, "unterminated quote in {line:?}");
        out
    }

    fn rows(dir: &Path, file: &str, header: &str) -> Vec<Vec<String>> {
        let text = String::from_utf8(fs::read(dir.join(file)).unwrap()).unwrap();
        assert!(text.ends_with('\n') && !text.contains('\r'));
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(header));
        lines
            .map(|line| {
                let row = fields(line);
                assert_eq!(row.len(), header.split(',').count(), "{file}: {line}");
                row
            })
            .collect()
    }

    #[test]
    fn same_seed_gives_identical_bytes() {
        let (a, b) = (TempDir::new("a"), TempDir::new("b"));
        let stats_a = run(1500, 42, &a.0);
        let stats_b = run(1500, 42, &b.0);
        assert_eq!(stats_a, stats_b);
        assert!(
            read_all(&a.0) == read_all(&b.0),
            "same (customers, seed) must give the same bytes"
        );
    }

    #[test]
    fn different_seed_gives_different_bytes() {
        let (a, b) = (TempDir::new("a"), TempDir::new("b"));
        run(500, 1, &a.0);
        run(500, 2, &b.0);
        let (fa, fb) = (read_all(&a.0), read_all(&b.0));
        for (i, file) in FILES.iter().enumerate() {
            assert_ne!(fa[i], fb[i], "{file} should depend on the seed");
        }
    }

    #[test]
    fn a_smaller_run_is_a_prefix_of_a_larger_one() {
        let (small, large) = (TempDir::new("small"), TempDir::new("large"));
        run(200, 9, &small.0);
        run(400, 9, &large.0);
        for (s, l) in read_all(&small.0).iter().zip(read_all(&large.0)) {
            assert!(l.starts_with(s));
        }
    }

    #[test]
    fn stats_match_the_files() {
        let dir = TempDir::new("stats");
        let stats = run(2000, 7, &dir.0);
        let files = read_all(&dir.0);
        let lines: Vec<u64> = files
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64 - 1)
            .collect();
        assert_eq!(
            lines,
            [
                stats.customers,
                stats.subscriptions,
                stats.relationships,
                stats.licenses
            ]
        );
        assert_eq!(stats.customers, 2000);
        assert_eq!(
            stats.bytes,
            files.iter().map(|f| f.len() as u64).sum::<u64>()
        );
        // Shape: ≈ 2.5 subscriptions, ≈ 1.2 relationships, ≈ 40 licenses per customer.
        assert!((4500..5600).contains(&stats.subscriptions), "{stats:?}");
        assert!((2000..2800).contains(&stats.relationships), "{stats:?}");
        assert!((65_000..95_000).contains(&stats.licenses), "{stats:?}");
    }

    #[test]
    fn no_duplicate_subscription_ids() {
        let dir = TempDir::new("ids");
        let stats = run(5000, 3, &dir.0);
        let mut seen = HashSet::new();
        for row in rows(&dir.0, SUBSCRIPTIONS_FILE, SUBSCRIPTIONS_HEADER) {
            assert!(
                seen.insert(row[0].to_ascii_lowercase()),
                "duplicate subscription id {}",
                row[0]
            );
        }
        assert_eq!(seen.len() as u64, stats.subscriptions);
    }

    #[test]
    fn empty_run_writes_headers_only() {
        let dir = TempDir::new("empty");
        let stats = run(0, 1, &dir.0.join("nested/out"));
        assert_eq!(
            stats,
            GenerateStats {
                bytes: stats.bytes,
                ..GenerateStats::default()
            }
        );
        let text = fs::read_to_string(dir.0.join("nested/out").join(SUBSCRIPTIONS_FILE)).unwrap();
        assert_eq!(text, format!("{SUBSCRIPTIONS_HEADER}\n"));
    }

    #[test]
    fn every_row_is_valid() {
        let dir = TempDir::new("valid");
        run(3000, 42, &dir.0);
        let lower = |s: &str| s.to_ascii_lowercase();
        let vocabulary: HashSet<String> = SERVICES.iter().map(|s| lower(s)).collect();
        let known_offer = |v: &str| {
            OFFERS.iter().any(|o| {
                [o.id, o.name, o.sku, o.alias]
                    .iter()
                    .any(|k| !k.is_empty() && lower(k) == lower(v))
            })
        };
        let date = |s: &str| -> Option<i64> {
            if s.is_empty() {
                return None;
            }
            let p: Vec<&str> = s.split('-').collect();
            assert!(
                p.len() == 3 && p[0].len() == 4 && p[1].len() == 2 && p[2].len() == 2,
                "{s}"
            );
            let (y, m, d) = (
                p[0].parse().unwrap(),
                p[1].parse().unwrap(),
                p[2].parse().unwrap(),
            );
            let days = days_from_civil(y, m, d);
            assert_eq!(civil_from_days(days), (y, m, d), "not a calendar day: {s}");
            Some(days)
        };

        let mut customers = HashSet::new();
        let mut comma_names = 0;
        for row in rows(&dir.0, CUSTOMERS_FILE, CUSTOMERS_HEADER) {
            assert!(
                customers.insert(lower(&row[0])),
                "duplicate customer {}",
                row[0]
            );
            assert!(!row[1].is_empty());
            comma_names += usize::from(row[1].contains(','));
        }
        assert!(comma_names > 100, "some company names must need quoting");

        let mut subscriptions = HashSet::new();
        let (mut unknown, mut other_channel, mut near_limit) = (0, 0, 0);
        let mut statuses = HashSet::new();
        for row in rows(&dir.0, SUBSCRIPTIONS_FILE, SUBSCRIPTIONS_HEADER) {
            assert!(
                subscriptions.insert(lower(&row[0])),
                "duplicate subscription {}",
                row[0]
            );
            assert!(customers.contains(&lower(&row[1])));
            unknown += usize::from(!known_offer(&row[2]));
            let status = lower(&row[3]);
            assert!(SUB_STATUSES.contains(&status.as_str()), "{status}");
            statuses.insert(status);
            let quantity: u64 = row[4].parse().unwrap();
            near_limit += usize::from((280..=350).contains(&quantity));
            assert!(["", "this_partner", "other_partner", "direct"].contains(&row[5].as_str()));
            other_channel += usize::from(row[5] == "other_partner" || row[5] == "direct");
        }
        let total = subscriptions.len();
        assert_eq!(statuses.len(), SUB_STATUSES.len());
        assert!(
            unknown * 100 > total && unknown * 100 < total * 6,
            "{unknown} of {total}"
        );
        assert!(other_channel * 100 > total * 10 && other_channel * 100 < total * 20);
        assert!(near_limit * 100 > total * 3);

        const REL_STATUSES: [&str; 10] = [
            "active",
            "expiring",
            "approvalpending",
            "approved",
            "activating",
            "created",
            "expired",
            "terminated",
            "terminating",
            "terminationrequested",
        ];
        let mut relationship_ids = HashSet::new();
        let as_of = days_from_civil(2026, 11, 24);
        let (mut valid_now, mut future, mut past) = (0, 0, 0);
        for row in rows(&dir.0, RELATIONSHIPS_FILE, RELATIONSHIPS_HEADER) {
            if !row[0].is_empty() {
                assert!(relationship_ids.insert(lower(&row[0])));
            }
            assert!(customers.contains(&lower(&row[1])));
            assert!(
                REL_STATUSES.contains(&lower(&row[2]).as_str()),
                "{}",
                row[2]
            );
            assert!(!row[3].is_empty());
            if row[3] != "*" {
                for s in row[3].split(';') {
                    assert!(vocabulary.contains(&lower(s)), "unknown service {s}");
                }
            }
            let (start, end) = (date(&row[4]), date(&row[5]));
            if let (Some(s), Some(e)) = (start, end) {
                assert!(s <= e, "start after end: {row:?}");
            }
            let on = start.is_none_or(|s| s <= as_of) && end.is_none_or(|e| as_of <= e);
            valid_now += usize::from(on);
            future += usize::from(start.is_some_and(|s| s > as_of));
            past += usize::from(end.is_some_and(|e| e < as_of));
        }
        assert!(valid_now > 0 && future > 0 && past > 0);

        let mut assignments = HashSet::new();
        let mut disabled = 0;
        let total = rows(&dir.0, LICENSES_FILE, LICENSES_HEADER)
            .into_iter()
            .inspect(|row| {
                assert!(customers.contains(&lower(&row[0])));
                assert!(
                    row[1].starts_with('u') && row[1].contains("@c"),
                    "{}",
                    row[1]
                );
                // Offers resolve per catalog offer, so compare resolved keys.
                let key = OFFERS
                    .iter()
                    .position(|o| {
                        [o.id, o.name, o.sku, o.alias]
                            .iter()
                            .any(|k| !k.is_empty() && lower(k) == lower(&row[2]))
                    })
                    .map_or(lower(&row[2]), |i| OFFERS[i].id.to_string());
                assert!(
                    assignments.insert((lower(&row[0]), lower(&row[1]), key)),
                    "duplicate assignment {row:?}"
                );
                if !row[3].is_empty() {
                    disabled += 1;
                    for s in row[3].split(';') {
                        assert!(vocabulary.contains(&lower(s)), "unknown service {s}");
                    }
                }
            })
            .count();
        assert!(
            disabled * 100 > total * 5 && disabled * 100 < total * 15,
            "{disabled} of {total}"
        );
    }

    #[test]
    fn guids_and_dates_format() {
        let g = guid(0x0123_4567_89ab_cdef, u64::MAX);
        assert_eq!(&g, b"01234567-89ab-4cde-bfff-ffffffffffff");
        let mut buf = Vec::new();
        push_date(&mut buf, days_from_civil(2024, 2, 29));
        push_u64(&mut buf, 0);
        push_u64(&mut buf, u64::MAX);
        assert_eq!(buf, b"2024-02-29018446744073709551615");
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }
}
