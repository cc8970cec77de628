//! The vocabularies rows draw from: the default catalog's services and offers (contract
//! §3) as far as the generator needs them, the ways an offer is spelled in an export,
//! the offers the catalog does not know, and the subscription statuses.

use super::format::{Case, push_cased, push_str};
use super::rng::SplitMix64;

pub(super) const EXCHANGE: u32 = 1 << 0;
const SHAREPOINT: u32 = 1 << 1;
const ONEDRIVE: u32 = 1 << 2;
const OFFICE_APPS: u32 = 1 << 3;
const OFFICE_WEB: u32 = 1 << 4;
pub(super) const TEAMS: u32 = 1 << 5;
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
pub(super) const SERVICES: [&str; 17] = [
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
pub(super) const ALL_SERVICES: u32 = (1 << SERVICES.len()) - 1;

const APPS: u32 = OFFICE_APPS | ONEDRIVE | OFFICE_WEB;
const BASIC: u32 = EXCHANGE | SHAREPOINT | ONEDRIVE | OFFICE_WEB | TEAMS | YAMMER | PLANNER;
pub(super) const STANDARD: u32 = OFFICE_APPS | BASIC | BOOKINGS | STREAM;
pub(super) const E1: u32 = BASIC | BOOKINGS | STREAM;
pub(super) const E3: u32 = STANDARD | INFO_PROTECTION;
pub(super) const E5: u32 = E3 | PHONE_SYSTEM | AUDIO_CONF | POWER_BI | DEFENDER;
pub(super) const SPB: u32 = E3 | DEFENDER | INTUNE | ENTRA_P1;

/// One offer of the default catalog: the four ways it can be named, and its services.
pub(super) struct Offer {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    /// SKU part number; empty where the catalog has none.
    pub(super) sku: &'static str,
    /// The catalog's alias (a former or current product name); may be empty.
    pub(super) alias: &'static str,
    pub(super) services: u32,
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
pub(super) const OFFERS: [Offer; 18] = [
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
pub(super) const SUB_WEIGHTS_GLOBAL: [u32; 18] =
    [12, 20, 18, 0, 0, 0, 4, 6, 8, 3, 10, 5, 2, 2, 4, 2, 1, 2];
/// The same for customers in India: mostly the India offers.
pub(super) const SUB_WEIGHTS_INDIA: [u32; 18] =
    [2, 3, 3, 18, 22, 20, 2, 2, 3, 1, 2, 3, 1, 1, 2, 1, 0, 1];
/// Offers users hold next to their main license (add-ons and stand-alone plans).
pub(super) const LICENSE_EXTRA_WEIGHTS: [u32; 18] =
    [2, 2, 2, 0, 0, 0, 2, 1, 2, 1, 2, 10, 3, 3, 14, 6, 4, 6];

/// Subscription offers the catalog does not know (first one most common).
pub(super) const UNKNOWN_SUB_OFFERS: [&str; 7] = [
    "Azure plan",
    "Microsoft 365 Copilot",
    "Dynamics 365 Business Central Essentials",
    "Visio Plan 2",
    "Project Plan 3",
    "Windows 365 Business",
    "Microsoft Entra ID P2",
];
pub(super) const UNKNOWN_SUB_WEIGHTS: [u32; 7] = [40, 15, 10, 10, 10, 8, 7];

/// License offers that are no upgrade offer: free and trial products the v2
/// catalog knows from Microsoft's product list, and names it does not know; each
/// a distinct entry (two spellings of one product would make a user's two
/// licenses duplicates).
pub(super) const UNKNOWN_LICENSE_OFFERS: [&str; 8] = [
    "FLOW_FREE",
    "WINDOWS_STORE",
    "TEAMS_EXPLORATORY",
    "Contoso Legacy Suite",
    "POWER_BI_STANDARD",
    "VISIOCLIENT",
    "PROJECTPROFESSIONAL",
    "Microsoft 365 Copilot",
];

/// Subscription statuses as the contract spells them (`Case::Capitalised` gives the
/// other common spelling).
pub(super) const SUB_STATUSES: [&str; 7] = [
    "active",
    "pending",
    "suspended",
    "disabled",
    "expired",
    "deleted",
    "cancelled",
];

/// How an offer is written in a row.
#[derive(Clone, Copy)]
enum OfferForm {
    Id,
    Name,
    Alias,
    Sku,
}

/// How often one kind of export writes each form of an offer.
pub(super) struct Spellings {
    forms: [OfferForm; 4],
    weights: [u32; 4],
}

/// Subscription exports mostly name offers by display name or alias.
pub(super) const SUBSCRIPTION_SPELLINGS: Spellings = Spellings {
    forms: [
        OfferForm::Name,
        OfferForm::Id,
        OfferForm::Alias,
        OfferForm::Sku,
    ],
    weights: [45, 15, 25, 15],
};

/// Licence exports mostly name SKU part numbers or display names.
pub(super) const LICENSE_SPELLINGS: Spellings = Spellings {
    forms: [
        OfferForm::Sku,
        OfferForm::Name,
        OfferForm::Alias,
        OfferForm::Id,
    ],
    weights: [45, 35, 12, 8],
};

/// Writes known offer `index` in a form drawn from `spellings`, falling back to the name
/// where the catalog has no SKU or alias; now and then in upper or lower case (offers
/// compare case-insensitively).
pub(super) fn push_offer(
    buf: &mut Vec<u8>,
    rng: &mut SplitMix64,
    index: usize,
    spellings: &Spellings,
) {
    let form = spellings.forms[rng.weighted(&spellings.weights)];
    let o = &OFFERS[index];
    let text = match form {
        OfferForm::Id => o.id,
        OfferForm::Name => o.name,
        OfferForm::Alias if !o.alias.is_empty() => o.alias,
        OfferForm::Sku if !o.sku.is_empty() => o.sku,
        _ => o.name,
    };
    let case = match rng.below(100) {
        0 => Case::Lower,
        1 => Case::Upper,
        _ => Case::AsIs,
    };
    push_cased(buf, text, case);
}

/// Writes the services of `mask` as a `;`-separated list in vocabulary order.
pub(super) fn push_services(buf: &mut Vec<u8>, mask: u32) {
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
pub(super) fn some_services(rng: &mut SplitMix64, mask: u32, count: u32) -> u32 {
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
