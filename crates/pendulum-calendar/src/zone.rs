//! Time zones: TZID names to `chrono-tz` zones, and wall times to instants.
//!
//! Producers name zones three ways: IANA names (Google, Apple, Fastmail), Windows names
//! (Outlook and Exchange, e.g. "W. Europe Standard Time"), and private prefixes in front of
//! an IANA name (e.g. "/mozilla.org/20050126_1/Europe/Berlin"). [`resolve`] tries them in
//! that order; Windows names map through [`WINDOWS_ZONES`], the territory "001" entries of
//! CLDR's windowsZones table, written with today's IANA names.
//!
//! A wall time that a DST change skips or repeats still needs one instant; the rules are
//! those of RFC 5545 section 3.3.5, see [`to_instant`].

use std::str::FromStr;

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// Resolves a zone name: an IANA name (exact, then ignoring ASCII case), a Windows name
/// (ignoring ASCII case), or an IANA name at the end of a slash-separated private prefix.
pub fn resolve(name: &str) -> Option<Tz> {
    let name = name.trim();
    if let Ok(tz) = Tz::from_str(name) {
        return Some(tz);
    }
    if let Some(tz) = windows_zone(name) {
        return Some(tz);
    }
    if let Some(tz) = iana_ignoring_case(name) {
        return Some(tz);
    }
    // "/vendor/version/Area/City" or "/vendor/version/Area/Sub/City": try the last three,
    // then the last two segments.
    let segments: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
    [3, 2].into_iter().find_map(|n| {
        let start = segments.len().checked_sub(n)?;
        (start > 0)
            .then(|| Tz::from_str(&segments[start..].join("/")).ok())
            .flatten()
    })
}

/// The IANA zone for a Windows zone name, per CLDR's territory "001" mapping.
pub fn windows_zone(name: &str) -> Option<Tz> {
    WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
        .and_then(|(_, iana)| Tz::from_str(iana).ok())
}

fn iana_ignoring_case(name: &str) -> Option<Tz> {
    chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
        .copied()
}

/// The instant of a wall time in `tz` (RFC 5545 section 3.3.5).
///
/// - In a gap (spring forward), the wall time is read with the offset in force before the
///   gap, which moves it forward by the length of the gap: 02:30 on the night clocks go
///   from 02:00 to 03:00 becomes 03:30.
/// - In an overlap (fall back), the earlier of the two instants is taken, i.e. the first
///   time the clock shows that wall time.
pub fn to_instant(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, later) => earlier.min(later).with_timezone(&Utc),
        LocalResult::None => {
            // Every gap in the IANA data is shorter than a day and no two transitions are
            // a day apart, so the offset a day before is the one in force before the gap.
            let before = local.and_utc() - chrono::Duration::days(1);
            let offset = tz.offset_from_utc_datetime(&before.naive_utc()).fix();
            (local - offset).and_utc()
        }
    }
}

/// CLDR windowsZones, territory "001": Windows zone name to IANA zone name. Checked on
/// 2026-12-03 against the mapping generated from CLDR that the Python package tzlocal 5.4.5
/// ships (142 names): the same zones, some under their current IANA names where that one
/// keeps an older alias (Europe/Kyiv for Europe/Kiev, Asia/Kolkata for Asia/Calcutta).
pub const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("British Columbia Standard Time", "America/Vancouver"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Alberta Standard Time", "America/Edmonton"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Manitoba Standard Time", "America/Winnipeg"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Bishkek"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn wall(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        wall(y, mo, d, h, mi).and_utc()
    }

    #[test]
    fn every_windows_entry_names_a_known_iana_zone() {
        for (windows, iana) in WINDOWS_ZONES {
            assert!(Tz::from_str(iana).is_ok(), "{windows} -> {iana}");
        }
    }

    #[test]
    fn resolves_iana_windows_and_prefixed_names() {
        let cases = [
            ("Europe/Berlin", Tz::Europe__Berlin),
            ("europe/berlin", Tz::Europe__Berlin),
            ("Pacific Standard Time", Tz::America__Los_Angeles),
            ("W. Europe Standard Time", Tz::Europe__Berlin),
            ("GMT Standard Time", Tz::Europe__London),
            ("eastern standard time", Tz::America__New_York),
            ("Tokyo Standard Time", Tz::Asia__Tokyo),
            ("India Standard Time", Tz::Asia__Kolkata),
            ("AUS Eastern Standard Time", Tz::Australia__Sydney),
            ("Central Europe Standard Time", Tz::Europe__Budapest),
            ("Romance Standard Time", Tz::Europe__Paris),
            ("China Standard Time", Tz::Asia__Shanghai),
            ("Alberta Standard Time", Tz::America__Edmonton),
            ("British Columbia Standard Time", Tz::America__Vancouver),
            ("Manitoba Standard Time", Tz::America__Winnipeg),
            ("UTC", Tz::UTC),
            (
                "/mozilla.org/20050126_1/America/New_York",
                Tz::America__New_York,
            ),
            (
                "/citadel.org/20190914_1/America/Argentina/Buenos_Aires",
                Tz::America__Argentina__Buenos_Aires,
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(
                resolve(name).map(|tz| tz.name()),
                Some(expected.name()),
                "{name}"
            );
        }
        assert_eq!(resolve("Mars Standard Time"), None);
        assert_eq!(resolve("Nowhere/Atlantis"), None);
        assert_eq!(resolve(""), None);
    }

    #[test]
    fn converts_ordinary_wall_times() {
        let tz = Tz::America__Los_Angeles;
        assert_eq!(
            to_instant(wall(2025, 1, 15, 9, 0), tz),
            utc(2025, 1, 15, 17, 0)
        );
        assert_eq!(
            to_instant(wall(2025, 7, 15, 9, 0), tz),
            utc(2025, 7, 15, 16, 0)
        );
    }

    #[test]
    fn shifts_a_wall_time_in_a_dst_gap_forward() {
        // 2025-03-09 02:30 does not exist in Los Angeles; read with PST it is 03:30 PDT.
        let got = to_instant(wall(2025, 3, 9, 2, 30), Tz::America__Los_Angeles);
        assert_eq!(got, utc(2025, 3, 9, 10, 30));
        let berlin = to_instant(wall(2025, 3, 30, 2, 15), Tz::Europe__Berlin);
        assert_eq!(berlin, utc(2025, 3, 30, 1, 15));
    }

    #[test]
    fn takes_the_earlier_instant_in_a_dst_overlap() {
        // 2025-11-02 01:30 happens twice in New York; the first is EDT (UTC-4).
        let got = to_instant(wall(2025, 11, 2, 1, 30), Tz::America__New_York);
        assert_eq!(got, utc(2025, 11, 2, 5, 30));
        let london = to_instant(wall(2025, 10, 26, 1, 30), Tz::Europe__London);
        assert_eq!(london, utc(2025, 10, 26, 0, 30));
    }
}
