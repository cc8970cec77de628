//! The names people know the built-in services by, per language.
//!
//! The catalog's vocabulary uses short keys (`InformationProtection`,
//! `DefenderO365`) that stay stable in `catalog export` and custom catalogs;
//! reports say what an administrator sees in the admin center. A service a
//! custom catalog adds keeps its own name.

use super::Lang;
use crate::catalog::{ServiceSet, Vocabulary};

/// The display name of the vocabulary's service `key` in `lang`.
pub(crate) fn service_name(lang: Lang, key: &str) -> &str {
    builtin_name(lang, key).unwrap_or(key)
}

/// The display name of a built-in service; `None` for a custom catalog's own.
fn builtin_name(lang: Lang, key: &str) -> Option<&'static str> {
    let (en, de) = match key {
        "Exchange" => ("Exchange Online", "Exchange Online"),
        "SharePoint" => ("SharePoint Online", "SharePoint Online"),
        "OneDrive" => ("OneDrive", "OneDrive"),
        "OfficeApps" => ("Office desktop apps", "Office-Desktop-Apps"),
        "OfficeWeb" => ("Office for the web", "Office im Web"),
        "Teams" => ("Teams", "Teams"),
        "Yammer" => ("Viva Engage", "Viva Engage"),
        "Planner" => ("Planner", "Planner"),
        "Bookings" => ("Bookings", "Bookings"),
        "Stream" => ("Stream", "Stream"),
        "InformationProtection" => ("Information Protection", "Information Protection"),
        "PhoneSystem" => ("Teams Phone", "Teams Phone"),
        "AudioConferencing" => ("Audio Conferencing", "Audiokonferenzen"),
        "PowerBI" => ("Power BI Pro", "Power BI Pro"),
        "DefenderO365" => ("Defender for Office 365", "Defender für Office 365"),
        "Intune" => ("Intune", "Intune"),
        "EntraIDP1" => ("Entra ID P1", "Entra ID P1"),
        _ => return None,
    };
    Some(match lang {
        Lang::En => en,
        Lang::De => de,
    })
}

/// Appends the display names of `set`'s services, in vocabulary order.
pub(crate) fn push_services(
    out: &mut String,
    lang: Lang,
    vocabulary: &Vocabulary,
    set: &ServiceSet,
) {
    for (i, service) in set.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(service_name(lang, vocabulary.name(service)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn every_builtin_service_has_a_display_name_in_every_language() {
        let catalog = Catalog::builtin().unwrap();
        for key in catalog.vocabulary().names() {
            for lang in [Lang::En, Lang::De] {
                assert!(builtin_name(lang, key).is_some(), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn a_custom_service_keeps_its_name() {
        assert_eq!(service_name(Lang::De, "Fax"), "Fax");
    }
}
