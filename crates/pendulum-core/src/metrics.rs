//! Org health metrics: is the pendulum swinging, or has the org slotted people into lanes?
//!
//! Shares are `None` when their group is empty: "no managers" is not "0% of managers".

use chrono::{Months, NaiveDate};

use std::collections::BTreeSet;

use crate::access::Scope;
use crate::ledger::{CalendarWeek, GitMonth, Ledger, Stint};
use crate::period::{IsoWeek, YearMonth, months_between};
use crate::policy::{Level, Policy};
use crate::role::{Role, Side, Willingness};

/// The org's health as of a day. People count when a stint covers that day.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub people: u32,
    pub engineers: u32,
    pub tech_leads: u32,
    pub managers: u32,
    /// Open hybrid (manager and tech lead) stints.
    pub open_hybrid_stints: u32,
    /// Managers and hybrids within `hands_on_distance.alert_months` of hands-on work.
    pub managers_near_hands_on_share: Option<f64>,
    /// Managers and hybrids with a month of hands-on activity in git (`git.hands_on_commits`)
    /// less than `hands_on_distance.warn_months` ago; `None` when the ledger has no git
    /// evidence at all, since an org that never read its git history is not at 0%.
    pub managers_git_hands_on_within_warn_share: Option<f64>,
    /// The same, less than `hands_on_distance.alert_months` ago.
    pub managers_git_hands_on_within_alert_share: Option<f64>,
    /// Tech leads with any management (or hybrid) time.
    pub tech_leads_with_management_share: Option<f64>,
    /// Swings (changes of side) ever recorded, per person at or above the senior level.
    pub swings_per_senior_person: Option<f64>,
    /// Managers and hybrids whose ledger shows hands-on work here before they managed.
    pub managers_from_within_share: Option<f64>,
    /// Willing, management-experienced people now on hands-on work, per manager seat.
    pub bench_depth: Option<f64>,
    /// Swings recorded with a change of level or pay band, in the whole ledger.
    pub ladder_parity_violations: u32,
    /// The calendar load of makers (engineers and tech leads) and of managers (managers and
    /// hybrids) over the org's most recent weeks with calendar evidence; `None` when the
    /// ledger has no calendar evidence up to the day, since an org that never read its
    /// calendars is not at zero hours.
    pub calendar: Option<CalendarLoads>,
    /// Each level held by anyone, lowest first: who holds it on each track, and their mean
    /// pay bands (the parity gap between the tracks).
    pub levels: Vec<LevelTracks>,
    /// Senior levels held by managers only, above the highest level any hands-on person
    /// holds: only managers progress there, so the dual ladder is one ladder in practice.
    pub only_managers_above: Vec<Level>,
}

/// One level of the ladder, on both tracks.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelTracks {
    pub level: Level,
    /// Engineers and tech leads at the level.
    pub hands_on: u32,
    /// Managers and hybrids at the level.
    pub managers: u32,
    /// Mean pay band of those with a band recorded; `None` when nobody has one.
    pub hands_on_band: Option<f64>,
    pub managers_band: Option<f64>,
}

impl LevelTracks {
    /// Managers' mean band minus hands-on people's, when both are known: above zero, the
    /// same level pays more in management.
    pub fn band_gap(&self) -> Option<f64> {
        Some(self.managers_band? - self.hands_on_band?)
    }
}

/// Sums towards one level's [`LevelTracks`].
#[derive(Default, Clone)]
struct LevelSum {
    hands_on: u32,
    managers: u32,
    bands: [(u32, u32); 2],
}

/// How makers' and managers' weeks compare, over the `calendar.focus_weeks` most recent ISO
/// weeks that ended on or before the day and for which anyone has calendar evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarLoads {
    pub first_week: IsoWeek,
    pub last_week: IsoWeek,
    /// `None` when nobody of the group has evidence in those weeks.
    pub makers: Option<CalendarLoad>,
    pub managers: Option<CalendarLoad>,
}

/// Mean weekly hours of one group, over every week of evidence its people have in the
/// weeks read (each person's week weighs the same).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalendarLoad {
    /// People of the group with evidence in the weeks read.
    pub people: u32,
    pub focus_hours: f64,
    pub meeting_hours: f64,
}

/// Sums towards a [`CalendarLoad`].
#[derive(Default)]
struct LoadSum {
    people: u32,
    weeks: u32,
    focus: f64,
    meeting: f64,
}

impl LoadSum {
    fn add(&mut self, weeks: &[CalendarWeek], read: &BTreeSet<IsoWeek>) {
        let mut any = false;
        for w in weeks.iter().filter(|w| read.contains(&w.week)) {
            any = true;
            self.weeks += 1;
            self.focus += w.focus_hours;
            self.meeting += w.meeting_hours;
        }
        self.people += u32::from(any);
    }

    fn mean(&self) -> Option<CalendarLoad> {
        (self.weeks > 0).then(|| CalendarLoad {
            people: self.people,
            focus_hours: self.focus / f64::from(self.weeks),
            meeting_hours: self.meeting / f64::from(self.weeks),
        })
    }
}

/// The `count` most recent ISO weeks that ended on or before `as_of` with calendar evidence
/// of anyone in `scope`, oldest first.
fn recent_calendar_weeks(
    ledger: &Ledger,
    as_of: NaiveDate,
    count: u32,
    scope: &Scope,
) -> BTreeSet<IsoWeek> {
    let all: BTreeSet<IsoWeek> = (0..ledger.people().len())
        .filter(|&i| scope.contains(i))
        .flat_map(|i| ledger.calendar_of(i))
        .map(|w| w.week)
        .filter(|w| w.monday() + chrono::Days::new(6) <= as_of)
        .collect();
    all.into_iter().rev().take(count as usize).collect()
}

fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

impl Metrics {
    /// The whole org's metrics, in one pass over people and their stints.
    pub fn compute(ledger: &Ledger, policy: &Policy, as_of: NaiveDate) -> Self {
        Self::compute_in(ledger, policy, as_of, &Scope::Org)
    }

    /// The metrics of the people in `scope` alone (a manager's line): everyone else is
    /// left out of every count, share and calendar mean, so no figure tells anything about
    /// them.
    pub fn compute_in(ledger: &Ledger, policy: &Policy, as_of: NaiveDate, scope: &Scope) -> Self {
        let senior = policy.senior_level().rank();
        let limit = f64::from(policy.hands_on_distance.alert_months);
        let weight = policy.hands_on_distance.hybrid_hands_on_weight;
        let (git_warn, git_alert) = (
            f64::from(policy.hands_on_distance.warn_months),
            f64::from(policy.hands_on_distance.alert_months),
        );
        let month = YearMonth::of(as_of);
        let has_git = (0..ledger.people().len())
            .filter(|&i| scope.contains(i))
            .any(|i| ledger.git_of(i).iter().any(|g| g.month <= month));
        let calendar_weeks =
            recent_calendar_weeks(ledger, as_of, policy.calendar.focus_weeks, scope);
        let (mut makers, mut managers) = (LoadSum::default(), LoadSum::default());
        let mut m = Counts::default();
        let mut levels: Vec<LevelSum> = vec![LevelSum::default(); policy.ladder.levels().count()];
        for i in (0..ledger.people().len()).filter(|&i| scope.contains(i)) {
            let all = ledger.stints_of(i);
            let stints = &all[..all.partition_point(|s| s.start <= as_of)];
            let person = ledger.person_at(i);
            // A swing is counted where it was made here; one between a stint brought from
            // another org and this org's first is a hire, not a swing.
            for pair in stints
                .windows(2)
                .filter(|p| p[0].org.is_none() && p[1].org.is_none())
            {
                if pair[0].role.side() != pair[1].role.side() {
                    m.swings += 1;
                    let band_moved = pair[0].band.zip(pair[1].band).is_some_and(|(a, b)| a != b);
                    if pair[0].level != pair[1].level || band_moved {
                        m.parity_violations += 1;
                    }
                }
            }
            let Some(current) = stints.last().filter(|s| s.covers(as_of)) else {
                continue;
            };
            m.people += 1;
            let track = usize::from(current.role.manages());
            if let Some(l) = levels.get_mut(usize::from(current.level.rank())) {
                if track == 1 {
                    l.managers += 1;
                } else {
                    l.hands_on += 1;
                }
                if let Some(b) = current.band {
                    l.bands[track].0 += u32::from(b.get());
                    l.bands[track].1 += 1;
                }
            }
            if current.level.rank() >= senior {
                m.seniors += 1;
            }
            let managed = stints.iter().any(|s| s.role.manages());
            if !calendar_weeks.is_empty() {
                let group = if current.role.manages() {
                    &mut managers
                } else {
                    &mut makers
                };
                group.add(ledger.calendar_of(i), &calendar_weeks);
            }
            match current.role {
                Role::Engineer => m.engineers += 1,
                Role::TechLead => {
                    m.tech_leads += 1;
                    m.leads_with_management += u32::from(managed);
                }
                Role::Manager | Role::Hybrid => {
                    m.managers += u32::from(current.role == Role::Manager);
                    m.hybrids += u32::from(current.role == Role::Hybrid);
                    if hands_on_distance(stints, as_of, weight).months <= limit {
                        m.near_hands_on += 1;
                    }
                    let git =
                        last_git_hands_on(ledger.git_of(i), policy.git.hands_on_commits, as_of);
                    if let Some((_, away)) = git {
                        m.git_within_warn += u32::from(away < git_warn);
                        m.git_within_alert += u32::from(away < git_alert);
                    }
                    let first = stints.iter().position(|s| s.role.manages()).unwrap_or(0);
                    // Hands-on here, not elsewhere: a manager hired in is not from within.
                    if stints[..first]
                        .iter()
                        .any(|s| s.role.side() == Side::HandsOn && s.org.is_none())
                    {
                        m.from_within += 1;
                    }
                }
            }
            if !current.role.manages() && managed && person.willing_to_manage == Willingness::Yes {
                m.bench += 1;
            }
        }
        let seats = m.managers + m.hybrids;
        let levels: Vec<LevelTracks> = policy
            .ladder
            .levels()
            .zip(levels)
            .filter(|(_, l)| l.hands_on + l.managers > 0)
            .map(|(level, l)| {
                let band = |(sum, n): (u32, u32)| (n > 0).then(|| f64::from(sum) / f64::from(n));
                LevelTracks {
                    level,
                    hands_on: l.hands_on,
                    managers: l.managers,
                    hands_on_band: band(l.bands[0]),
                    managers_band: band(l.bands[1]),
                }
            })
            .collect();
        let top_hands_on = levels
            .iter()
            .filter(|l| l.hands_on > 0)
            .map(|l| l.level.rank())
            .max();
        let only_managers_above = levels
            .iter()
            .filter(|l| {
                l.level.rank() >= senior
                    && l.hands_on == 0
                    && top_hands_on.is_none_or(|top| l.level.rank() > top)
            })
            .map(|l| l.level.clone())
            .collect();
        Metrics {
            people: m.people,
            engineers: m.engineers,
            tech_leads: m.tech_leads,
            managers: m.managers,
            open_hybrid_stints: m.hybrids,
            managers_near_hands_on_share: share(m.near_hands_on, seats),
            managers_git_hands_on_within_warn_share: share(m.git_within_warn, seats)
                .filter(|_| has_git),
            managers_git_hands_on_within_alert_share: share(m.git_within_alert, seats)
                .filter(|_| has_git),
            tech_leads_with_management_share: share(m.leads_with_management, m.tech_leads),
            swings_per_senior_person: share(m.swings, m.seniors),
            managers_from_within_share: share(m.from_within, seats),
            bench_depth: share(m.bench, seats),
            ladder_parity_violations: m.parity_violations,
            calendar: calendar_weeks.first().zip(calendar_weeks.last()).map(
                |(&first_week, &last_week)| CalendarLoads {
                    first_week,
                    last_week,
                    makers: makers.mean(),
                    managers: managers.mean(),
                },
            ),
            levels,
            only_managers_above,
        }
    }
}

#[derive(Default)]
struct Counts {
    people: u32,
    engineers: u32,
    tech_leads: u32,
    managers: u32,
    hybrids: u32,
    seniors: u32,
    swings: u32,
    parity_violations: u32,
    near_hands_on: u32,
    git_within_warn: u32,
    git_within_alert: u32,
    leads_with_management: u32,
    from_within: u32,
    bench: u32,
}

/// How far a person is from hands-on work.
#[derive(Debug, Clone, Copy)]
pub struct Distance<'a> {
    /// Months away, walking back from `as_of` to the last hands-on stint: manager months count
    /// in full, hybrid months only for their management share.
    pub months: f64,
    /// The last engineer or tech-lead stint, if the ledger has one.
    pub last_hands_on: Option<&'a Stint>,
}

/// The distance from hands-on work as `hands-on-distance` counts it, for stints that began
/// on or before `as_of`.
pub fn hands_on_distance(stints: &[Stint], as_of: NaiveDate, hybrid_weight: f64) -> Distance<'_> {
    let mut months = 0.0;
    for s in stints.iter().rev() {
        let held = months_between(s.start, s.end.map_or(as_of, |e| e.min(as_of)));
        match s.role {
            Role::Engineer | Role::TechLead => {
                return Distance {
                    months,
                    last_hands_on: Some(s),
                };
            }
            Role::Manager => months += held,
            Role::Hybrid => months += held * (1.0 - hybrid_weight),
        }
    }
    Distance {
        months,
        last_hands_on: None,
    }
}

/// The last month of hands-on activity in git up to the month of `as_of`: a month with at
/// least `threshold` commits, authored or co-authored (merges never count). With it, how
/// many months ago that month ended, as the distance from hands-on work counts them.
pub fn last_git_hands_on(
    git: &[GitMonth],
    threshold: u32,
    as_of: NaiveDate,
) -> Option<(&GitMonth, f64)> {
    let month = YearMonth::of(as_of);
    let g = git
        .iter()
        .rev()
        .skip_while(|g| g.month > month)
        .find(|g| g.commits + g.coauthored >= threshold)?;
    let end = g
        .month
        .first_day()
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX)
        .min(as_of);
    Some((g, months_between(end, as_of).max(0.0)))
}
