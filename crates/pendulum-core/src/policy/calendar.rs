//! The `[calendar]` section: how calendars are read as evidence and what
//! `interrupted-maker` makes of them, with its times, days and zone checked once.

use serde::{Deserialize, Serialize};

/// How calendars are read as evidence (`pendulum ingest calendar`) and what
/// `interrupted-maker` makes of it. Times of day are `HH:MM`, days are English names or their
/// first three letters (`mon`), a zone is an IANA name such as `Europe/Berlin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Calendar {
    /// The zone working hours are read in: an IANA name for everyone, or `calendar` for each
    /// person's own calendar zone (its X-WR-TIMEZONE, else the zone most of its timed events
    /// use, else UTC).
    pub time_zone: String,
    pub day_start: String,
    pub day_end: String,
    pub working_days: Vec<String>,
    /// A free stretch of working time at least this long is focus time; shorter ones are
    /// fragmented.
    pub focus_block_hours: f64,
    /// An ingest computes at most this many weeks per file, ending with the last full week
    /// on or before the day of the run, so that an endless rule stays bounded.
    pub history_weeks: u32,
    /// `interrupted-maker`: an engineer or tech lead whose focus hours stay under this ...
    pub min_focus_hours: f64,
    /// ... in each of this many most recent weeks with calendar evidence.
    pub focus_weeks: u32,
    /// Whether tech leads count as makers for `interrupted-maker`: their job includes
    /// meetings, so by default they do not ...
    pub tech_leads_are_makers: bool,
    /// ... and when they do, their own minimum of focus hours.
    pub tech_lead_min_focus_hours: f64,
}

/// `Calendar::time_zone` when each person's own calendar decides.
pub const CALENDAR_OWN_ZONE: &str = "calendar";

impl Calendar {
    /// The zone of working hours: `None` for each calendar's own zone. Checked by
    /// [`Policy::check`].
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        (self.time_zone != CALENDAR_OWN_ZONE)
            .then(|| self.time_zone.parse().expect("checked by Policy::check"))
    }

    pub fn day_start(&self) -> chrono::NaiveTime {
        parse_clock(&self.day_start).expect("checked by Policy::check")
    }

    pub fn day_end(&self) -> chrono::NaiveTime {
        parse_clock(&self.day_end).expect("checked by Policy::check")
    }

    /// The working days, in the order written.
    pub fn working_days(&self) -> Vec<chrono::Weekday> {
        self.working_days
            .iter()
            .map(|d| d.parse().expect("checked by Policy::check"))
            .collect()
    }

    pub(super) fn check(&self) -> Result<(), String> {
        if self.time_zone != CALENDAR_OWN_ZONE && self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!(
                "calendar.time_zone: {:?} is not an IANA time zone (such as \"Europe/Berlin\") or \"{CALENDAR_OWN_ZONE}\"",
                self.time_zone
            ));
        }
        let start = parse_clock(&self.day_start).ok_or_else(|| {
            format!(
                "calendar.day_start: {:?} is not a time of day (expected HH:MM)",
                self.day_start
            )
        })?;
        let end = parse_clock(&self.day_end).ok_or_else(|| {
            format!(
                "calendar.day_end: {:?} is not a time of day (expected HH:MM)",
                self.day_end
            )
        })?;
        if start >= end {
            return Err("calendar.day_end: must be after calendar.day_start".into());
        }
        for (i, day) in self.working_days.iter().enumerate() {
            let Ok(parsed) = day.parse::<chrono::Weekday>() else {
                return Err(format!(
                    "calendar.working_days: {day:?} is not a day of the week (expected mon, tue, ...)"
                ));
            };
            if self.working_days[..i]
                .iter()
                .any(|d| d.parse::<chrono::Weekday>() == Ok(parsed))
            {
                return Err(format!("calendar.working_days: {day:?} appears twice"));
            }
        }
        if !(self.focus_block_hours > 0.0 && self.focus_block_hours <= 24.0) {
            return Err("calendar.focus_block_hours: must be above 0 and at most 24".into());
        }
        if !(1..=1040).contains(&self.history_weeks) {
            return Err("calendar.history_weeks: must be from 1 to 1040".into());
        }
        if !(self.min_focus_hours >= 0.0 && self.min_focus_hours <= 168.0) {
            return Err("calendar.min_focus_hours: must be from 0 to 168".into());
        }
        if !(1..=52).contains(&self.focus_weeks) {
            return Err("calendar.focus_weeks: must be from 1 to 52".into());
        }
        if !(self.tech_lead_min_focus_hours >= 0.0 && self.tech_lead_min_focus_hours <= 168.0) {
            return Err("calendar.tech_lead_min_focus_hours: must be from 0 to 168".into());
        }
        Ok(())
    }
}

/// `HH:MM` (24-hour clock).
fn parse_clock(text: &str) -> Option<chrono::NaiveTime> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    chrono::NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

impl Default for Calendar {
    fn default() -> Self {
        Self {
            time_zone: CALENDAR_OWN_ZONE.into(),
            day_start: "09:00".into(),
            day_end: "17:00".into(),
            working_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            focus_block_hours: 2.0,
            history_weeks: 104,
            min_focus_hours: 10.0,
            focus_weeks: 4,
            tech_leads_are_makers: false,
            tech_lead_min_focus_hours: 6.0,
        }
    }
}
