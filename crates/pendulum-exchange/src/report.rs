//! A report as JSON: what `pendulum report --json` prints and what the web API serves.
//!
//! Shares are rounded to four decimals, which is more than any reader needs and keeps the
//! output stable across platforms; an empty group's share is `null`, never 0.
//!
//! The document types derive `utoipa::ToSchema`, so the API's OpenAPI document describes
//! the very types that are serialized.

use pendulum_core::metrics::{CalendarLoad, CalendarLoads, Metrics};
use pendulum_core::{Fact, Ledger, Nudge, PersonId, Report};
use serde::Serialize;

/// The report as a JSON value; `ledger` supplies the people's names.
pub fn report_json(report: &Report, ledger: &Ledger) -> serde_json::Value {
    let doc = ReportDoc {
        as_of: report.as_of.to_string(),
        metrics: MetricsDoc::from(&report.metrics),
        nudges: report
            .nudges
            .iter()
            .map(|n| NudgeDoc::new(n, ledger))
            .collect(),
    };
    serde_json::to_value(doc).expect("a report always serializes")
}

/// Nudges alone as a JSON array, in the shape `report_json` gives them.
pub fn nudges_json(nudges: &[Nudge], ledger: &Ledger) -> serde_json::Value {
    let docs: Vec<NudgeDoc<'_>> = nudges.iter().map(|n| NudgeDoc::new(n, ledger)).collect();
    serde_json::to_value(docs).expect("nudges always serialize")
}

#[derive(Serialize)]
struct ReportDoc<'a> {
    as_of: String,
    metrics: MetricsDoc,
    nudges: Vec<NudgeDoc<'a>>,
}

/// The org's health metrics as of a day; a share of an empty group is `null`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Metrics)]
pub struct MetricsDoc {
    people: u32,
    engineers: u32,
    tech_leads: u32,
    managers: u32,
    open_hybrid_stints: u32,
    managers_near_hands_on_share: Option<f64>,
    /// Managers and hybrids with a month of hands-on activity in git within the policy's
    /// `hands_on_distance.warn_months`; `null` when the ledger has no git evidence.
    managers_git_hands_on_within_warn_share: Option<f64>,
    /// The same within `hands_on_distance.alert_months`.
    managers_git_hands_on_within_alert_share: Option<f64>,
    tech_leads_with_management_share: Option<f64>,
    swings_per_senior_person: Option<f64>,
    managers_from_within_share: Option<f64>,
    bench_depth: Option<f64>,
    ladder_parity_violations: u32,
    /// Makers' and managers' weekly focus and meeting hours from calendar evidence; `null`
    /// when the ledger has no calendar evidence.
    calendar_load: Option<CalendarLoadsDoc>,
    /// Each level held by anyone, lowest first, on both tracks.
    levels: Vec<LevelDoc>,
    /// Senior levels held by managers only, above every level a hands-on person holds:
    /// only managers progress there. Empty when the hands-on ladder reaches as high.
    only_managers_above: Vec<String>,
}

/// One level on both tracks: how many hold it and their mean pay band (`null` when none
/// has a band recorded).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = LevelTracks)]
pub struct LevelDoc {
    level: String,
    hands_on: u32,
    managers: u32,
    hands_on_band: Option<f64>,
    managers_band: Option<f64>,
    /// Managers' mean band minus hands-on people's; `null` unless both are known.
    band_gap: Option<f64>,
}

/// Makers (engineers and tech leads) against managers (managers and hybrids): mean hours per
/// person and ISO week over the org's most recent weeks with calendar evidence (at most the
/// policy's `calendar.focus_weeks`), `first_week` to `last_week`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = CalendarLoads)]
pub struct CalendarLoadsDoc {
    /// `YYYY-Www`.
    first_week: String,
    /// `YYYY-Www`.
    last_week: String,
    /// `null` when no maker has evidence in those weeks.
    makers: Option<CalendarLoadDoc>,
    /// `null` when no manager or hybrid has evidence in those weeks.
    managers: Option<CalendarLoadDoc>,
}

/// One group's mean weekly hours, to the hundredth.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = CalendarLoad)]
pub struct CalendarLoadDoc {
    /// People of the group with evidence in the weeks read.
    people: u32,
    focus_hours: f64,
    meeting_hours: f64,
}

impl From<&CalendarLoads> for CalendarLoadsDoc {
    fn from(c: &CalendarLoads) -> Self {
        let load = |l: &CalendarLoad| CalendarLoadDoc {
            people: l.people,
            focus_hours: hundredths(l.focus_hours),
            meeting_hours: hundredths(l.meeting_hours),
        };
        Self {
            first_week: c.first_week.to_string(),
            last_week: c.last_week.to_string(),
            makers: c.makers.as_ref().map(load),
            managers: c.managers.as_ref().map(load),
        }
    }
}

fn hundredths(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

fn rounded(share: Option<f64>) -> Option<f64> {
    share.map(|s| (s * 10_000.0).round() / 10_000.0)
}

impl From<&Metrics> for MetricsDoc {
    fn from(m: &Metrics) -> Self {
        Self {
            people: m.people,
            engineers: m.engineers,
            tech_leads: m.tech_leads,
            managers: m.managers,
            open_hybrid_stints: m.open_hybrid_stints,
            managers_near_hands_on_share: rounded(m.managers_near_hands_on_share),
            managers_git_hands_on_within_warn_share: rounded(
                m.managers_git_hands_on_within_warn_share,
            ),
            managers_git_hands_on_within_alert_share: rounded(
                m.managers_git_hands_on_within_alert_share,
            ),
            tech_leads_with_management_share: rounded(m.tech_leads_with_management_share),
            swings_per_senior_person: rounded(m.swings_per_senior_person),
            managers_from_within_share: rounded(m.managers_from_within_share),
            bench_depth: rounded(m.bench_depth),
            ladder_parity_violations: m.ladder_parity_violations,
            calendar_load: m.calendar.as_ref().map(CalendarLoadsDoc::from),
            levels: m
                .levels
                .iter()
                .map(|l| LevelDoc {
                    level: l.level.name().to_owned(),
                    hands_on: l.hands_on,
                    managers: l.managers,
                    hands_on_band: l.hands_on_band.map(hundredths),
                    managers_band: l.managers_band.map(hundredths),
                    band_gap: l.band_gap().map(hundredths),
                })
                .collect(),
            only_managers_above: m
                .only_managers_above
                .iter()
                .map(|l| l.name().to_owned())
                .collect(),
        }
    }
}

/// A nudge about one person: the facts it rests on, the principle, and a next step.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Nudge)]
pub struct NudgeDoc<'a> {
    /// The rule that fired, such as `hands-on-distance` or `trial-overdue`.
    rule: &'static str,
    /// `info`, `warn` or `alert`.
    #[schema(example = "warn")]
    severity: &'static str,
    /// The id of the person the nudge is about.
    person: &'a str,
    person_name: &'a str,
    facts: Vec<FactDoc<'a>>,
    /// The principle behind the rule, in a sentence.
    principle: &'static str,
    /// A next step.
    suggestion: &'a str,
    /// The id of who should act on it when that is not the person (the manager, for
    /// `interrupted-maker`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    act_by: Option<&'a str>,
}

impl<'a> NudgeDoc<'a> {
    pub fn new(n: &'a Nudge, ledger: &'a Ledger) -> Self {
        Self {
            rule: n.rule.as_str(),
            severity: n.severity.as_str(),
            person: n.person.as_str(),
            // Nudges are made from the ledger, so the person is always in it.
            person_name: ledger
                .person(&n.person)
                .map_or(n.person.as_str(), |p| p.name.as_str()),
            facts: n.facts.iter().map(FactDoc::from).collect(),
            principle: n.principle,
            suggestion: &n.suggestion,
            act_by: n.act_by.as_ref().map(PersonId::as_str),
        }
    }
}

/// A fact a nudge rests on, with where it comes from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Fact)]
pub struct FactDoc<'a> {
    /// `ledger`, `checkin`, `git` or `calendar`.
    #[schema(example = "ledger")]
    source: &'static str,
    text: &'a str,
}

impl<'a> From<&'a Fact> for FactDoc<'a> {
    fn from(f: &'a Fact) -> Self {
        Self {
            source: f.source.as_str(),
            text: &f.text,
        }
    }
}
