//! The policy's parsing, defaults and checks.

use super::*;

#[test]
fn defaults_survive_a_round_trip_through_toml() {
    let p = Policy::default();
    assert_eq!(Policy::from_toml(&p.to_toml()).unwrap(), p);
}

#[test]
fn a_partial_file_keeps_the_other_defaults() {
    let p = Policy::from_toml("[hands_on_distance]\nwarn_months = 12\n").unwrap();
    assert_eq!(p.hands_on_distance.warn_months, 12);
    assert_eq!(p.hands_on_distance.alert_months, 36);
    assert_eq!(p.hybrid_drift, HybridDrift::default());
}

#[test]
fn misspelt_keys_and_inconsistent_thresholds_are_refused() {
    let e = Policy::from_toml("[hands_on_distance]\nwarn_month = 12\n").unwrap_err();
    assert!(e.to_string().contains("warn_month"), "{e}");
    let e = Policy::from_toml("[hands_on_distance]\nwarn_months = 48\n").unwrap_err();
    assert!(e.to_string().contains("warn_months <= alert_months"), "{e}");
    let e = Policy::from_toml("senior_level = \"E9\"\n").unwrap_err();
    assert!(e.to_string().contains("E9"), "{e}");
    assert!(Policy::from_toml("ladder = []\n").is_err());
    assert!(Policy::from_toml("ladder = [\"A\", \"A\"]\nsenior_level = \"A\"\n").is_err());
}

#[test]
fn rotation_settings_are_checked_and_name_their_field() {
    for (text, field) in [
        (
            "min_stint_months = 40",
            "min_stint_months <= max_stint_months",
        ),
        ("min_stint_months = 0", "rotation.min_stint_months"),
        ("span_min = 12", "span_min <= span_max"),
        ("max_change_share = 0.0", "rotation.max_change_share"),
        ("max_change_share = 1.5", "rotation.max_change_share"),
        ("joy_weight = 2000000", "rotation.joy_weight"),
        ("cool_down_months = 500", "cool_down_months"),
    ] {
        let e = Policy::from_toml(&format!("[rotation]\n{text}\n")).unwrap_err();
        assert!(e.to_string().contains(field), "{text}: {e}");
    }
    let p = Policy::from_toml("[rotation]\nmin_stint_months = 19\n").unwrap();
    assert_eq!(Rotation::quarters(p.rotation.min_stint_months), 7);
    assert_eq!(Rotation::quarters(p.rotation.max_stint_months), 12);
}

#[test]
fn calendar_settings_are_checked_and_name_their_field() {
    let p = Policy::default();
    assert_eq!(p.calendar.zone(), None);
    assert_eq!(p.calendar.day_start().to_string(), "09:00:00");
    assert_eq!(p.calendar.working_days().len(), 5);
    let p = Policy::from_toml(
        "[calendar]\ntime_zone = \"Europe/Berlin\"\nworking_days = [\"Sunday\", \"mon\"]\n",
    )
    .unwrap();
    assert_eq!(p.calendar.zone(), Some(chrono_tz::Tz::Europe__Berlin));
    assert_eq!(p.calendar.working_days()[0], chrono::Weekday::Sun);
    // A value that does not parse is refused as it is read, with its line and key.
    for (toml, reason) in [
        ("time_zone = \"Mars/Olympus\"", "is not an IANA time zone"),
        (
            "day_start = \"9am\"",
            "is not a time of day (expected HH:MM)",
        ),
        (
            "working_days = [\"mon\", \"Monday\"]",
            "\"Monday\" appears twice",
        ),
        ("working_days = [\"someday\"]", "is not a day of the week"),
    ] {
        let e = Policy::from_toml(&format!("[calendar]\n{toml}\n")).unwrap_err();
        let e = e.to_string();
        assert!(
            e.contains("line 2") && e.contains(toml) && e.contains(reason),
            "{toml}: {e}"
        );
    }
    // What is wrong only beside other values names its section and field.
    for (toml, field) in [
        ("day_end = \"08:00\"", "calendar.day_end"),
        ("focus_block_hours = 0.0", "calendar.focus_block_hours"),
        ("history_weeks = 0", "calendar.history_weeks"),
        ("min_focus_hours = -1.0", "calendar.min_focus_hours"),
        ("focus_weeks = 0", "calendar.focus_weeks"),
    ] {
        let e = Policy::from_toml(&format!("[calendar]\n{toml}\n")).unwrap_err();
        assert!(e.to_string().contains(field), "{toml}: {e}");
    }
}

#[test]
fn levels_are_ranked_by_ladder_position() {
    let l = Ladder::default();
    assert!(l.level("L2").unwrap() < l.level("L10").unwrap_or(l.level("L8").unwrap()));
    assert_eq!(l.level(" L5 ").unwrap().rank(), 4);
    assert!(l.level("l5").is_err());
}
