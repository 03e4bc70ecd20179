//! The rules: each principle of the pendulum, turned into explained nudges.
//!
//! A rule reads one person's ledger (stints, check-ins, evidence) as of a day and may emit a
//! [`Nudge`]. A nudge always carries the facts it rests on, with their source, the principle
//! in our own words, and a next step written for the person who reads it. Thresholds come
//! from the [`Policy`]; none is written here.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

use crate::ids::PersonId;
use crate::ledger::{CalendarWeek, CheckIn, GitMonth, Ledger, Person, Stint};
use crate::metrics;
use crate::period::{YearMonth, months_between};
use crate::policy::Policy;
use crate::role::{Role, Side, Willingness};

/// How urgently a nudge asks for attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warn,
    Alert,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warn, Severity::Alert];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Alert => "alert",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rules, by their stable ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    HandsOnDistance,
    HybridDrift,
    LeadWithoutManagement,
    SwingAsPromotion,
    NewManagerGrace,
    UnhappyManager,
    UnwillingManager,
    Itch,
    TrialOverdue,
    TrialMidpoint,
    ManagerClinging,
    InterruptedMaker,
}

impl RuleId {
    pub const ALL: [RuleId; 12] = [
        RuleId::HandsOnDistance,
        RuleId::HybridDrift,
        RuleId::LeadWithoutManagement,
        RuleId::SwingAsPromotion,
        RuleId::NewManagerGrace,
        RuleId::UnhappyManager,
        RuleId::UnwillingManager,
        RuleId::Itch,
        RuleId::TrialOverdue,
        RuleId::TrialMidpoint,
        RuleId::ManagerClinging,
        RuleId::InterruptedMaker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::HandsOnDistance => "hands-on-distance",
            RuleId::HybridDrift => "hybrid-drift",
            RuleId::LeadWithoutManagement => "lead-without-management",
            RuleId::SwingAsPromotion => "swing-as-promotion",
            RuleId::NewManagerGrace => "new-manager-grace",
            RuleId::UnhappyManager => "unhappy-manager",
            RuleId::UnwillingManager => "unwilling-manager",
            RuleId::Itch => "itch",
            RuleId::TrialOverdue => "trial-overdue",
            RuleId::TrialMidpoint => "trial-midpoint",
            RuleId::ManagerClinging => "manager-clinging",
            RuleId::InterruptedMaker => "interrupted-maker",
        }
    }

    /// Whether the rule can only fire on evidence from git (a ledger alone never trips it).
    pub fn needs_git(self) -> bool {
        self == RuleId::ManagerClinging
    }

    /// Whether the rule can only fire on evidence from calendars.
    pub fn needs_calendar(self) -> bool {
        self == RuleId::InterruptedMaker
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    /// The principle behind the rule, paraphrased from "The Engineer/Manager Pendulum"
    /// (Charity Majors, 2017) and its sequels.
    pub fn principle(self) -> &'static str {
        match self {
            RuleId::HandsOnDistance => {
                "Frontline managers lead best when they are no more than two or three years away from hands-on work; the way back gets much harder after about five (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::HybridDrift => {
                "Managing and tech-leading at once does not last: engineering sharpness fades while the management load grows, and it only works with a few reports for a short time (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::LeadWithoutManagement => {
                "The strongest tech leads have usually spent time managing: it teaches how the business and people work (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::SwingAsPromotion => {
                "Moving into management is a change of profession, not a promotion, and moving back is not a demotion: a swing changes the role, never the level (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::NewManagerGrace => {
                "Everyone is bad at management for a long time after starting; that is learning a new profession, not failure (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::UnhappyManager => {
                "Manage while it makes you and your people happy, then stop and go back to building (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::UnwillingManager => {
                "Reporting to someone who was pushed into managing is one of the worst experiences an engineer can have (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::Itch => {
                "Restlessness and solving the same problems again are the signal that it may be time to swing (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::ManagerClinging => {
                "You can only get better at one of the two crafts at a time: a manager who keeps coding at an engineer's pace is neither managing fully nor leaving room for the team (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::InterruptedMaker => {
                "Building needs long stretches of unbroken attention, and a day chopped into half-hours leaves none; management lives on interruptions, so guarding the makers' time from them is part of the manager's job."
            }
            RuleId::TrialOverdue | RuleId::TrialMidpoint => {
                "A first management stint works best as a time-boxed trial with a mid-point review, which either side can end without stigma."
            }
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a fact was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactSource {
    Ledger,
    Checkin,
    Git,
    Calendar,
}

impl FactSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FactSource::Ledger => "ledger",
            FactSource::Checkin => "checkin",
            FactSource::Git => "git",
            FactSource::Calendar => "calendar",
        }
    }
}

/// One fact a nudge rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub source: FactSource,
    pub text: String,
}

impl Fact {
    fn ledger(text: impl Into<String>) -> Self {
        Self {
            source: FactSource::Ledger,
            text: text.into(),
        }
    }

    fn git(text: impl Into<String>) -> Self {
        Self {
            source: FactSource::Git,
            text: text.into(),
        }
    }

    fn calendar(text: impl Into<String>) -> Self {
        Self {
            source: FactSource::Calendar,
            text: text.into(),
        }
    }

    fn checkin(text: impl Into<String>) -> Self {
        Self {
            source: FactSource::Checkin,
            text: text.into(),
        }
    }
}

/// An explained suggestion about one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nudge {
    pub rule: RuleId,
    pub severity: Severity,
    pub person: PersonId,
    /// Never empty.
    pub facts: Vec<Fact>,
    pub principle: &'static str,
    pub suggestion: String,
    /// Who should act on it, when that is not the person it is about: `interrupted-maker`
    /// goes to the maker's manager, whose job it is to shield their time.
    pub act_by: Option<PersonId>,
}

/// Every nudge for the ledger as of `as_of`: most severe first, then by person and rule.
pub fn evaluate(ledger: &Ledger, policy: &Policy, as_of: NaiveDate) -> Vec<Nudge> {
    let mut nudges = Vec::new();
    for i in 0..ledger.people().len() {
        nudges_for(ledger, policy, as_of, i, &mut nudges);
    }
    nudges.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.person.cmp(&b.person))
            .then(a.rule.cmp(&b.rule))
    });
    nudges
}

/// The nudges about the person at index `i`, in rule order.
pub fn evaluate_person(ledger: &Ledger, policy: &Policy, as_of: NaiveDate, i: usize) -> Vec<Nudge> {
    let mut nudges = Vec::new();
    nudges_for(ledger, policy, as_of, i, &mut nudges);
    nudges
}

/// What the rules know about one person as of a day: the ledger cut off at `as_of`.
struct Subject<'a> {
    person: &'a Person,
    /// Stints that began on or before `as_of`, in order.
    stints: &'a [Stint],
    /// The stint covering `as_of`, if any.
    current: Option<&'a Stint>,
    /// Check-ins inside the policy window, oldest first.
    recent: &'a [CheckIn],
    /// Git evidence up to the month of `as_of`, oldest first.
    git: &'a [GitMonth],
    /// Calendar evidence, every week of it, oldest first.
    calendar: &'a [CalendarWeek],
    reports: u32,
    as_of: NaiveDate,
}

impl Subject<'_> {
    fn months_in(&self, s: &Stint) -> f64 {
        months_between(s.start, s.end.map_or(self.as_of, |e| e.min(self.as_of)))
    }

    fn management_months(&self) -> f64 {
        self.stints
            .iter()
            .filter(|s| s.role.manages())
            .map(|s| self.months_in(s))
            .sum()
    }

    fn hands_on_months(&self) -> f64 {
        self.stints
            .iter()
            .filter(|s| s.role.side() == Side::HandsOn)
            .map(|s| self.months_in(s))
            .sum()
    }

    fn is_first_management_stint(&self, current: &Stint) -> bool {
        !self
            .stints
            .iter()
            .any(|s| s.role.manages() && s.start < current.start)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Months to the nearest whole, for facts: "26 months", "1 month".
fn months(m: f64) -> String {
    let n = m.round().max(0.0) as i64;
    if n == 1 {
        "1 month".into()
    } else {
        format!("{n} months")
    }
}

fn mean(scores: impl Iterator<Item = u8>) -> Option<f64> {
    let (sum, n) = scores.fold((0u32, 0u32), |(s, n), x| (s + u32::from(x), n + 1));
    (n > 0).then(|| f64::from(sum) / f64::from(n))
}

/// How the recent check-ins read, for one score.
struct Mood {
    mean: f64,
    /// Mean of the newer half minus the mean of the older half.
    change: f64,
    count: usize,
}

fn mood(recent: &[CheckIn], policy: &Policy, score: fn(&CheckIn) -> u8) -> Option<Mood> {
    if recent.len() < policy.checkins.min_count as usize {
        return None;
    }
    let half = recent.len() / 2;
    let all = mean(recent.iter().map(score))?;
    let change = match (
        mean(recent[..half].iter().map(score)),
        mean(recent[recent.len() - half..].iter().map(score)),
    ) {
        (Some(old), Some(new)) => new - old,
        _ => 0.0,
    };
    Some(Mood {
        mean: all,
        change,
        count: recent.len(),
    })
}

fn nudges_for(ledger: &Ledger, policy: &Policy, as_of: NaiveDate, i: usize, out: &mut Vec<Nudge>) {
    let all = ledger.stints_of(i);
    let cut = all.partition_point(|s| s.start <= as_of);
    let stints = &all[..cut];
    let current = stints.last().filter(|s| s.covers(as_of));
    let checkins = ledger.checkins_of(i);
    let window_start = as_of
        .checked_sub_months(Months::new(policy.checkins.window_months))
        .unwrap_or(NaiveDate::MIN);
    let lo = checkins.partition_point(|c| c.date <= window_start);
    let hi = checkins.partition_point(|c| c.date <= as_of);
    let subject = Subject {
        person: ledger.person_at(i),
        stints,
        current,
        recent: &checkins[lo..hi.max(lo)],
        git: {
            let git = ledger.git_of(i);
            let month = YearMonth::of(as_of);
            &git[..git.partition_point(|g| g.month <= month)]
        },
        calendar: ledger.calendar_of(i),
        reports: ledger.direct_reports(i),
        as_of,
    };
    swing_as_promotion(&subject, policy, out);
    let Some(current) = subject.current else {
        return;
    };
    if current.role.manages() {
        hands_on_distance(&subject, current, policy, out);
        unwilling_manager(&subject, current, out);
        unhappy_or_grace(&subject, current, policy, out);
    }
    if current.role == Role::Manager {
        manager_clinging(&subject, current, policy, out);
    }
    if current.role == Role::Hybrid {
        hybrid_drift(&subject, current, policy, out);
    }
    lead_without_management(&subject, current, policy, out);
    interrupted_maker(ledger, &subject, current, policy, out);
    itch(&subject, current, policy, out);
    trial(&subject, current, policy, out);
}

fn push(
    out: &mut Vec<Nudge>,
    s: &Subject<'_>,
    rule: RuleId,
    severity: Severity,
    facts: Vec<Fact>,
    suggestion: String,
) {
    debug_assert!(!facts.is_empty(), "no nudge without the facts behind it");
    out.push(Nudge {
        rule,
        severity,
        person: s.person.id.clone(),
        facts,
        principle: rule.principle(),
        suggestion,
        act_by: None,
    });
}

fn hands_on_distance(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let p = &policy.hands_on_distance;
    let distance = metrics::hands_on_distance(s.stints, s.as_of, p.hybrid_hands_on_weight);
    let (ledger_away, last_hands_on) = (distance.months, distance.last_hands_on);
    // Git may show later hands-on work than the ledger: then the distance runs from there.
    let last_git = last_git_hands_on(s, policy);
    let git_hands_on = last_git.filter(|(_, m)| *m < ledger_away);
    let away = git_hands_on.map_or(ledger_away, |(_, m)| m);
    let severity = if away >= f64::from(p.alert_months) {
        Severity::Alert
    } else if away >= f64::from(p.warn_months) {
        Severity::Warn
    } else {
        return;
    };
    let name = &s.person.name;
    let mut facts = vec![match last_hands_on {
        Some(h) => Fact::ledger(format!(
            "{} away from hands-on work: the last hands-on stint ({}) ended on {}{}.",
            capitalised(&months(away)),
            h.role,
            h.end.map_or_else(|| "-".into(), |e| e.to_string()),
            if s.stints
                .iter()
                .any(|x| x.role == Role::Hybrid && h.start < x.start)
            {
                ", counting hybrid time at its management share"
            } else {
                ""
            },
        )),
        None => Fact::ledger(format!(
            "The ledger has no hands-on stint for {name}: {} in management on record. If they were hands-on before, record that stint.",
            months(ledger_away)
        )),
    }];
    if let Some((g, m)) = git_hands_on {
        facts.push(Fact::git(format!(
            "Git shows later hands-on work than the ledger: {} commits in {}, {} ago; the distance counts from there.",
            g.commits + g.coauthored,
            g.month,
            months(m)
        )));
    }
    // The ledger's claims of hands-on work, latest last: its last hands-on stint, and a
    // current hybrid stint, which it counts as partly hands-on. Git showing later work
    // contradicts neither.
    let claims = [
        last_hands_on.map(|h| Claim {
            what: format!(
                "it has {name} as {} from {} to {}",
                h.role,
                h.start,
                h.end.map_or_else(|| "now".into(), |e| e.to_string())
            ),
            from: YearMonth::of(h.start),
            until: YearMonth::of(
                h.end
                    .and_then(|e| e.pred_opt())
                    .unwrap_or(s.as_of)
                    .min(s.as_of),
            ),
        }),
        (current.role == Role::Hybrid && p.hybrid_hands_on_weight > 0.0).then(|| Claim {
            what: format!(
                "it counts {name}'s hybrid stint since {} as partly hands-on",
                current.start
            ),
            from: YearMonth::of(current.start),
            until: YearMonth::of(s.as_of),
        }),
    ];
    if let Some(text) = claims
        .into_iter()
        .flatten()
        .find_map(|c| contradiction(s, &c, last_git, policy))
    {
        facts.push(Fact::git(text));
    }
    facts.push(Fact::ledger(format!(
        "{name} has been {} ({}) since {}.",
        current.role, current.level, current.start
    )));
    let suggestion = if away >= f64::from(p.reentry_months) {
        format!(
            "Past {} months the way back is hard. If {name} may ever return to engineering, agree on a re-entry plan now: several months of daily hands-on work as a senior engineer on a team, at the same level, not a new title.",
            p.reentry_months
        )
    } else if severity == Severity::Alert {
        format!(
            "Plan {name}'s swing back to hands-on work now: pick the team and a date, and start growing a successor from the bench."
        )
    } else {
        format!(
            "Start talking with {name} about a hands-on stint before the {}-month mark: which team, when, and who could take over the reports.",
            p.alert_months
        )
    };
    push(out, s, RuleId::HandsOnDistance, severity, facts, suggestion);
}

fn hybrid_drift(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let p = &policy.hybrid_drift;
    let held = s.months_in(current);
    let too_long = held >= f64::from(p.warn_months);
    let too_many = s.reports > p.max_reports;
    if !too_long && !too_many {
        return;
    }
    let severity = if held >= f64::from(p.alert_months) {
        Severity::Alert
    } else {
        Severity::Warn
    };
    let name = &s.person.name;
    let mut facts = vec![Fact::ledger(format!(
        "{name} has been both manager and tech lead since {}: {}.",
        current.start,
        months(held)
    ))];
    if too_many {
        facts.push(Fact::ledger(format!(
            "{name} has {} direct reports; a hybrid only works with up to {}.",
            s.reports, p.max_reports
        )));
    }
    if let Some(trend) = git_trend(s, current) {
        facts.push(Fact::git(trend));
    }
    if let Some(load) = meeting_load(s, current, policy) {
        facts.push(Fact::calendar(load));
    }
    let suggestion = format!(
        "Split the role: either {name} manages and hands technical leadership to an engineer on the team, or {name} leads technically and the team gets a manager."
    );
    push(out, s, RuleId::HybridDrift, severity, facts, suggestion);
}

/// The last month of hands-on activity in git, and how many months ago it ended.
fn last_git_hands_on<'a>(s: &Subject<'a>, policy: &Policy) -> Option<(&'a GitMonth, f64)> {
    metrics::last_git_hands_on(s.git, policy.git.hands_on_commits, s.as_of)
}

/// A period of hands-on work on the ledger's word, in whole months.
struct Claim {
    /// What the ledger says, as a clause: "it has Pat as engineer from ... to ...".
    what: String,
    from: YearMonth,
    until: YearMonth,
}

/// When git watched a claimed period and shows no hands-on month in it or after it, the
/// words for that contradiction. The distance still counts from the ledger (the work may
/// live in repositories git was not read from); the fact names both sides.
fn contradiction(
    s: &Subject<'_>,
    claim: &Claim,
    last_git: Option<(&GitMonth, f64)>,
    policy: &Policy,
) -> Option<String> {
    let first = s.git.first()?;
    if first.month > claim.until || last_git.is_some_and(|(g, _)| g.month >= claim.from) {
        return None;
    }
    let text = format!(
        "Git contradicts the ledger: {}, yet in git no month from {} to {} reaches {} commits",
        claim.what, claim.from, claim.until, policy.git.hands_on_commits
    );
    Some(match last_git {
        Some((g, m)) => format!(
            "{text}; the last hands-on month in git is {} ({} commits, {} ago).",
            g.month,
            g.commits + g.coauthored,
            months(m)
        ),
        None => format!(
            "{text}; git shows no hands-on month at all (its evidence begins in {}).",
            first.month
        ),
    })
}

/// Mean monthly commits (authored and co-authored) over the whole months `from..=to`.
fn mean_commits(git: &[GitMonth], from: YearMonth, to: YearMonth) -> Option<f64> {
    let span = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    if span <= 0 {
        return None;
    }
    let total: u32 = git
        .iter()
        .filter(|g| from <= g.month && g.month <= to)
        .map(|g| g.commits + g.coauthored)
        .sum();
    Some(f64::from(total) / f64::from(span))
}

fn month_back(m: YearMonth, back: u32) -> YearMonth {
    YearMonth::of(
        m.first_day()
            .checked_sub_months(Months::new(back))
            .unwrap_or(m.first_day()),
    )
}

/// How a stint's git activity moved: its first three months against its last three.
fn git_trend(s: &Subject<'_>, current: &Stint) -> Option<String> {
    if s.git.is_empty() {
        return None;
    }
    let start = YearMonth::of(current.start);
    let now = YearMonth::of(s.as_of);
    let first_end = YearMonth::of(
        start
            .first_day()
            .checked_add_months(Months::new(2))
            .unwrap_or(start.first_day()),
    )
    .min(now);
    let first = mean_commits(s.git, start, first_end)?;
    let last = mean_commits(s.git, month_back(now, 2).max(start), now)?;
    let word = if last < first * 0.75 {
        "falling"
    } else if last > first * 1.25 {
        "rising"
    } else {
        "steady"
    };
    Some(format!(
        "Git activity is {word}: {first:.1} commits a month in the stint's first three months, {last:.1} in the last three."
    ))
}

/// The calendar weeks the calendar facts read: the `focus_weeks` most recent ones with
/// evidence among the `2 * focus_weeks` full weeks that ended on or before `as_of`, and only
/// those that overlap the current stint. Fewer when there are fewer, since old or missing
/// evidence says nothing about now.
fn recent_weeks<'a>(s: &Subject<'a>, current: &Stint, policy: &Policy) -> Vec<&'a CalendarWeek> {
    let focus_weeks = policy.calendar.focus_weeks;
    // Full weeks only: the last one ends on the Sunday on or before `as_of`.
    let after = s.as_of + chrono::Days::new(1);
    let end = after - chrono::Days::new(u64::from(after.weekday().num_days_from_monday()));
    let begin = end - chrono::Days::new(14 * u64::from(focus_weeks));
    let weeks: Vec<&CalendarWeek> = s
        .calendar
        .iter()
        .filter(|w| {
            let monday = w.week.monday();
            monday >= begin && monday < end && monday + chrono::Days::new(6) >= current.start
        })
        .collect();
    let skip = weeks.len().saturating_sub(focus_weeks as usize);
    weeks[skip..].to_vec()
}

/// A hybrid's meeting load against their focus time over the recent weeks, when their
/// calendar has been read.
fn meeting_load(s: &Subject<'_>, current: &Stint, policy: &Policy) -> Option<String> {
    let weeks = recent_weeks(s, current, policy);
    let (first, last) = (weeks.first()?, weeks.last()?);
    let n = weeks.len() as f64;
    let meeting = weeks.iter().map(|w| w.meeting_hours).sum::<f64>() / n;
    let focus = weeks.iter().map(|w| w.focus_hours).sum::<f64>() / n;
    let reading = if meeting > focus {
        "meetings outweigh focus time"
    } else {
        "focus time still outweighs meetings"
    };
    let span = if weeks.len() == 1 {
        format!("in {}", first.week)
    } else {
        format!(
            "a week over the {} weeks from {} to {}",
            weeks.len(),
            first.week,
            last.week
        )
    };
    Some(format!(
        "The calendar shows {meeting:.1} h of meetings against {focus:.1} h of focus time {span}: {reading}."
    ))
}

fn manager_clinging(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let p = &policy.git;
    let held = s.months_in(current);
    if held < f64::from(p.clinging_after_months) {
        return;
    }
    let now = YearMonth::of(s.as_of);
    let from = month_back(now, p.clinging_window_months - 1).max(YearMonth::of(current.start));
    let Some(mean) = mean_commits(s.git, from, now) else {
        return;
    };
    if mean < f64::from(p.clinging_commits) {
        return;
    }
    let name = &s.person.name;
    let facts = vec![
        Fact::ledger(format!(
            "{name} has been {} since {}: {}.",
            current.role,
            current.start,
            months(held)
        )),
        Fact::git(format!(
            "{name} averages {mean:.0} commits a month from {from} to {now}, an engineer's pace (the policy's level is {}).",
            p.clinging_commits
        )),
    ];
    let suggestion = format!(
        "Ask {name} which of the two crafts they want to grow now. If managing, hand the coding work to the team and keep only small, off-the-critical-path changes; if building, plan a swing back to hands-on work."
    );
    push(
        out,
        s,
        RuleId::ManagerClinging,
        Severity::Warn,
        facts,
        suggestion,
    );
}

/// `interrupted-maker`: an engineer or tech lead whose calendar leaves too little focus time,
/// week after week. The nudge is written for their manager, who can change that.
///
/// The weeks read are those of [`recent_weeks`]; with fewer than `focus_weeks` of them there
/// is no nudge.
fn interrupted_maker(
    ledger: &Ledger,
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    if !matches!(current.role, Role::Engineer | Role::TechLead) {
        return;
    }
    let p = &policy.calendar;
    let last = recent_weeks(s, current, policy);
    if last.len() < p.focus_weeks as usize {
        return;
    }
    if last.iter().any(|w| w.focus_hours >= p.min_focus_hours) {
        return;
    }
    let name = &s.person.name;
    let manager_id = s
        .person
        .manager
        .as_ref()
        .filter(|m| ledger.person_index(m).is_some());
    let manager = manager_id
        .and_then(|m| ledger.person_index(m))
        .map(|m| ledger.person_at(m).name.as_str());
    let mut facts = vec![Fact::ledger(format!(
        "{name} has been {} since {}{}.",
        current.role,
        current.start,
        manager.map_or_else(String::new, |m| format!(" and reports to {m}"))
    ))];
    facts.extend(last.iter().map(|w| {
        Fact::calendar(format!(
            "{}: {:.1} h of focus time (blocks of {} h or more) and {:.1} h in meetings, under the policy's {} h of focus.",
            w.week, w.focus_hours, p.focus_block_hours, w.meeting_hours, p.min_focus_hours
        ))
    }));
    let to = manager.map_or_else(|| format!("Whoever leads {name}"), str::to_owned);
    let suggestion = format!(
        "{to}: shield {name}'s time. Go through their recurring meetings together and drop or delegate those where they are optional; gather the rest into one or two fixed afternoons so that at least three mornings a week stay free; route ad-hoc requests (support, status questions, interviews) through yourself or a rotation; then check the next weeks' calendar evidence."
    );
    push(
        out,
        s,
        RuleId::InterruptedMaker,
        Severity::Warn,
        facts,
        suggestion,
    );
    if let Some(nudge) = out.last_mut() {
        nudge.act_by = manager_id.cloned();
    }
}

fn lead_without_management(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let senior =
        current.role == Role::Engineer && current.level.rank() >= policy.senior_level().rank();
    if !(current.role == Role::TechLead || senior) {
        return;
    }
    if s.person.willing_to_manage == Willingness::No || s.management_months() > 0.0 {
        return;
    }
    let name = &s.person.name;
    let years = s.hands_on_months() / 12.0;
    let min_years = policy.lead_without_management.min_engineering_years;
    let facts = vec![
        Fact::ledger(format!(
            "{name} is {} at {} and has never managed.",
            current.role, current.level
        )),
        Fact::ledger(format!(
            "{:.1} years of hands-on work on record; willing to manage: {}.",
            years, s.person.willing_to_manage
        )),
    ];
    let suggestion = if years >= f64::from(min_years) {
        format!(
            "Offer {name} a time-boxed management trial (a quarter or two, with a mid-point review) that either side can end without stigma."
        )
    } else {
        format!(
            "Once {name} has {min_years} years of hands-on work, offer a time-boxed management trial; until then, give them people-facing work such as mentoring or running a project."
        )
    };
    push(
        out,
        s,
        RuleId::LeadWithoutManagement,
        Severity::Info,
        facts,
        suggestion,
    );
}

fn swing_as_promotion(s: &Subject<'_>, policy: &Policy, out: &mut Vec<Nudge>) {
    let lookback = f64::from(policy.swing_as_promotion.lookback_months);
    for pair in s.stints.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        if from.role.side() == to.role.side() || from.level == to.level {
            continue;
        }
        if months_between(to.start, s.as_of) > lookback {
            continue;
        }
        let name = &s.person.name;
        let word = if to.level > from.level { "up" } else { "down" };
        let facts = vec![Fact::ledger(format!(
            "On {} {name} swung from {} to {} and the level moved {word} from {} to {}.",
            to.start, from.role, to.role, from.level, to.level
        ))];
        let suggestion = format!(
            "Record the swing at {name}'s level before it ({}). If a level change is deserved, make it a separate decision with its own date and reasons, so nobody learns that swinging is the way up or down.",
            from.level
        );
        push(
            out,
            s,
            RuleId::SwingAsPromotion,
            Severity::Warn,
            facts,
            suggestion,
        );
    }
}

fn unwilling_manager(s: &Subject<'_>, current: &Stint, out: &mut Vec<Nudge>) {
    let unwilling = s.person.willing_to_manage == Willingness::No;
    if !unwilling && current.chosen {
        return;
    }
    let name = &s.person.name;
    let mut facts = Vec::new();
    if unwilling {
        facts.push(Fact::ledger(format!(
            "{name} has said they do not want to manage."
        )));
    }
    if !current.chosen {
        facts.push(Fact::ledger(format!("{name} did not choose this stint.")));
    }
    facts.push(Fact::ledger(format!(
        "{name} has been {} since {}.",
        current.role, current.start
    )));
    let severity = if unwilling {
        Severity::Alert
    } else {
        Severity::Warn
    };
    let suggestion = format!(
        "Ask {name} directly whether they want to keep managing. If not, set a date, find a willing successor on the bench, and plan the handover; going back to engineering is a normal move."
    );
    push(
        out,
        s,
        RuleId::UnwillingManager,
        severity,
        facts,
        suggestion,
    );
}

fn unhappy_or_grace(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let c = &policy.checkins;
    let Some(joy) = mood(s.recent, policy, |x| x.joy.get()) else {
        return;
    };
    let energy = mood(s.recent, policy, |x| x.energy.get()).expect("same check-ins as joy");
    let low = joy.mean <= c.low_score;
    let falling = joy.change <= -c.falling_drop;
    let drained = energy.mean <= c.low_score;
    let name = &s.person.name;
    let held = s.months_in(current);
    let in_grace =
        s.is_first_management_stint(current) && held < f64::from(policy.new_manager_grace.months);
    let mut facts = vec![Fact::checkin(format!(
        "{} check-ins in the last {} months: joy averages {:.1}, energy {:.1}.",
        joy.count, c.window_months, joy.mean, energy.mean
    ))];
    if falling {
        facts.push(Fact::checkin(format!(
            "Joy fell by {:.1} between the older and newer check-ins.",
            -joy.change
        )));
    }
    if in_grace {
        if !(low || falling || drained) {
            return;
        }
        facts.insert(0, Fact::ledger(format!(
            "{name} started managing for the first time on {}: {} in, within the first {} months.",
            current.start,
            months(held),
            policy.new_manager_grace.months
        )));
        let suggestion = format!(
            "This is the hard early part of a new profession, not a verdict. Give {name} support rather than an exit: a coach or an experienced manager as mentor, a peer group of new managers, and fewer other duties. Revisit after {} months.",
            policy.new_manager_grace.months
        );
        push(
            out,
            s,
            RuleId::NewManagerGrace,
            Severity::Info,
            facts,
            suggestion,
        );
        return;
    }
    if !(low || falling) {
        return;
    }
    facts.push(Fact::ledger(format!(
        "{name} has been {} since {}.",
        current.role, current.start
    )));
    let severity = if low && falling {
        Severity::Alert
    } else {
        Severity::Warn
    };
    let suggestion = format!(
        "Talk with {name} about whether managing still brings them joy. If it does not, plan a swing back to hands-on work; it is a change of profession, not a step down."
    );
    push(out, s, RuleId::UnhappyManager, severity, facts, suggestion);
}

fn itch(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let p = &policy.itch;
    let held = s.months_in(current);
    if held < f64::from(p.stint_months) {
        return;
    }
    let Some(learning) = mood(s.recent, policy, |x| x.learning.get()) else {
        return;
    };
    if learning.mean > p.low_learning {
        return;
    }
    let name = &s.person.name;
    let facts = vec![
        Fact::ledger(format!(
            "{name} has been {} since {}: {}.",
            current.role,
            current.start,
            months(held)
        )),
        Fact::checkin(format!(
            "Learning averages {:.1} over {} recent check-ins.",
            learning.mean, learning.count
        )),
    ];
    let next = if current.role.manages() {
        "a swing back to hands-on work".to_owned()
    } else if s.person.willing_to_manage == Willingness::Yes {
        "a management trial, or a new problem space".to_owned()
    } else {
        "a new problem space or team".to_owned()
    };
    let suggestion = format!(
        "Ask {name} whether they feel they are solving the same problems again, and talk about {next}."
    );
    push(out, s, RuleId::Itch, Severity::Info, facts, suggestion);
}

fn trial(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let Some(trial_end) = current.trial_end else {
        return;
    };
    let name = &s.person.name;
    if trial_end <= s.as_of {
        let facts = vec![Fact::ledger(format!(
            "{name}'s trial as {} began on {} and was due for a decision on {}; the stint is still open.",
            current.role, current.start, trial_end
        ))];
        let suggestion = format!(
            "Decide with {name}: keep the role (record a swing to {} on the decision date) or end the trial with a swing back. Either outcome is normal.",
            current.role
        );
        push(
            out,
            s,
            RuleId::TrialOverdue,
            Severity::Warn,
            facts,
            suggestion,
        );
        return;
    }
    let midpoint = current.start + (trial_end - current.start) / 2;
    let due = midpoint + chrono::Duration::days(i64::from(policy.trial.midpoint_grace_days));
    if s.as_of < due || s.recent.iter().any(|c| c.date >= midpoint) {
        return;
    }
    let facts = vec![
        Fact::ledger(format!(
            "{name}'s trial as {} runs from {} to {}; its mid-point was {}.",
            current.role, current.start, trial_end, midpoint
        )),
        Fact::checkin(format!("No check-in from {name} since the mid-point.")),
    ];
    let suggestion = format!(
        "Hold the mid-point review with {name} and record a check-in, so the end-of-trial decision rests on how it is going."
    );
    push(
        out,
        s,
        RuleId::TrialMidpoint,
        Severity::Info,
        facts,
        suggestion,
    );
}
