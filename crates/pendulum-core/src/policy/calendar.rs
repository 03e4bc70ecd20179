//! The `[calendar]` section: how calendars are read as evidence and what
//! `interrupted-maker` makes of them, with its times, days and zone parsed once, as they
//! are read.

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
    pub time_zone: WorkZone,
    pub day_start: Clock,
    pub day_end: Clock,
    pub working_days: WorkingDays,
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
    /// The zone of working hours: `None` for each calendar's own zone.
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        match self.time_zone {
            WorkZone::OwnCalendar => None,
            WorkZone::Named(zone) => Some(zone),
        }
    }

    pub fn day_start(&self) -> chrono::NaiveTime {
        self.day_start.0
    }

    pub fn day_end(&self) -> chrono::NaiveTime {
        self.day_end.0
    }

    /// The working days, in the order written.
    pub fn working_days(&self) -> Vec<chrono::Weekday> {
        self.working_days.0.clone()
    }

    pub(super) fn check(&self) -> Result<(), String> {
        if self.day_start >= self.day_end {
            return Err("calendar.day_end: must be after calendar.day_start".into());
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

/// The zone working hours are read in: one IANA zone for everyone, or each calendar's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum WorkZone {
    /// `calendar`: each person's own calendar zone.
    OwnCalendar,
    Named(chrono_tz::Tz),
}

impl TryFrom<String> for WorkZone {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        if text == CALENDAR_OWN_ZONE {
            return Ok(WorkZone::OwnCalendar);
        }
        text.parse().map(WorkZone::Named).map_err(|_| {
            format!(
                "{text:?} is not an IANA time zone (such as \"Europe/Berlin\") or \"{CALENDAR_OWN_ZONE}\""
            )
        })
    }
}

impl From<WorkZone> for String {
    fn from(zone: WorkZone) -> Self {
        match zone {
            WorkZone::OwnCalendar => CALENDAR_OWN_ZONE.to_owned(),
            WorkZone::Named(zone) => zone.name().to_owned(),
        }
    }
}

/// A time of day, written `HH:MM` (24-hour clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Clock(pub chrono::NaiveTime);

impl TryFrom<String> for Clock {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let parsed = text.split_once(':').and_then(|(h, m)| {
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            chrono::NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
        });
        parsed
            .map(Clock)
            .ok_or_else(|| format!("{text:?} is not a time of day (expected HH:MM)"))
    }
}

impl From<Clock> for String {
    fn from(clock: Clock) -> Self {
        clock.0.format("%H:%M").to_string()
    }
}

/// The working days, each once, in the order written; English names or their first three
/// letters (`mon`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct WorkingDays(Vec<chrono::Weekday>);

impl TryFrom<Vec<String>> for WorkingDays {
    type Error = String;

    fn try_from(days: Vec<String>) -> Result<Self, String> {
        let mut parsed: Vec<chrono::Weekday> = Vec::with_capacity(days.len());
        for day in &days {
            let Ok(weekday) = day.parse::<chrono::Weekday>() else {
                return Err(format!(
                    "{day:?} is not a day of the week (expected mon, tue, ...)"
                ));
            };
            if parsed.contains(&weekday) {
                return Err(format!("{day:?} appears twice"));
            }
            parsed.push(weekday);
        }
        Ok(WorkingDays(parsed))
    }
}

impl From<WorkingDays> for Vec<String> {
    fn from(days: WorkingDays) -> Self {
        days.0
            .iter()
            .map(|d| d.to_string().to_ascii_lowercase())
            .collect()
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Self {
            time_zone: WorkZone::OwnCalendar,
            day_start: Clock(chrono::NaiveTime::MIN + chrono::TimeDelta::hours(9)),
            day_end: Clock(chrono::NaiveTime::MIN + chrono::TimeDelta::hours(17)),
            working_days: WorkingDays(vec![
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
            ]),
            focus_block_hours: 2.0,
            history_weeks: 104,
            min_focus_hours: 10.0,
            focus_weeks: 4,
            tech_leads_are_makers: false,
            tech_lead_min_focus_hours: 6.0,
        }
    }
}
