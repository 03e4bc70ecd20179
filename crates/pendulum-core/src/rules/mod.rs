//! The rules: each principle of the pendulum, turned into explained nudges.
//!
//! A rule reads one person's ledger (stints, check-ins, evidence) as of a day and may emit a
//! [`Nudge`]. A nudge always carries the facts it rests on, with their source, the principle
//! in our own words, and a next step written for the person who reads it. Thresholds come
//! from the [`Policy`]; none is written here.
//!
//! A nudge is written to whoever reads it: about the person by name for their manager or an
//! admin ([`Voice::Third`]), to "you" on the person's own page ([`Voice::Second`]).
//!
//! The rules live by what they are about: [`manager`] (a management span: its distance from
//! hands-on work, its joy, its people), [`hands_on`] (makers and leads: trials offered,
//! focus time, the return trip, the bench), [`swing`] (how swings are booked, trials), and
//! [`evidence`] (what git and calendars add to the facts).

mod evidence;
mod hands_on;
mod manager;
mod swing;

use std::fmt;

use chrono::{Months, NaiveDate};

use crate::ids::PersonId;
use crate::ledger::{CalendarWeek, CheckIn, GitMonth, Ledger, Person, Stint};
use crate::period::{YearMonth, months_between};
use crate::policy::Policy;
use crate::role::Role;

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
    ReturningEngineer,
    SwingAgain,
    ReportsUnhappy,
}

impl RuleId {
    pub const ALL: [RuleId; 15] = [
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
        RuleId::ReturningEngineer,
        RuleId::SwingAgain,
        RuleId::ReportsUnhappy,
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
            RuleId::ReturningEngineer => "returning-engineer",
            RuleId::SwingAgain => "swing-again",
            RuleId::ReportsUnhappy => "reports-unhappy",
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
            RuleId::ReturningEngineer => {
                "Going back to hands-on work after managing is a normal move, not a demotion: the first months are a re-entry, with time to get sharp again, the same level and the same pay (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::SwingAgain => {
                "The best managers and leads have swung more than once: someone who managed well and has been building again for a while is the org's bench for the next team that needs a manager (\"The Engineer/Manager Pendulum\")."
            }
            RuleId::ReportsUnhappy => {
                "Manage while it makes you and the people around you happy: a team that is unhappy over months is a signal about the management, not only about the team (\"The Engineer/Manager Pendulum\")."
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

/// Whom a nudge's words address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Voice {
    /// About the person, by name: for their manager, an admin, a report.
    #[default]
    Third,
    /// To the person themselves, as "you": their own page, their own digest.
    Second,
}

/// How the words of one nudge name its person. The third person names them and refers back
/// with "they", which takes the same verb forms as "you"; only a sentence whose subject is
/// the name needs [`Who::v`].
#[derive(Debug, Clone, Copy)]
struct Who<'a> {
    name: &'a str,
    voice: Voice,
}

impl<'a> Who<'a> {
    fn you(self) -> bool {
        self.voice == Voice::Second
    }

    /// The person as the subject or object inside a sentence: "Pat" or "you".
    fn n(self) -> &'a str {
        if self.you() { "you" } else { self.name }
    }

    /// The person starting a sentence: "Pat" or "You".
    fn cap(self) -> &'a str {
        if self.you() { "You" } else { self.name }
    }

    /// "Pat's" or "your".
    fn poss(self) -> String {
        if self.you() {
            "your".into()
        } else {
            format!("{}'s", self.name)
        }
    }

    /// "Pat's" or "Your", starting a sentence.
    fn cap_poss(self) -> String {
        if self.you() {
            "Your".into()
        } else {
            format!("{}'s", self.name)
        }
    }

    /// "they" or "you", referring back to the person.
    fn they(self) -> &'static str {
        if self.you() { "you" } else { "they" }
    }

    /// "their" or "your".
    fn their(self) -> &'static str {
        if self.you() { "your" } else { "their" }
    }

    /// "them" or "you".
    fn them(self) -> &'static str {
        if self.you() { "you" } else { "them" }
    }

    /// The verb after the person's name: `third` ("has") or `second` ("have").
    fn v(self, third: &'static str, second: &'static str) -> &'static str {
        if self.you() { second } else { third }
    }
}

/// Every nudge for the ledger as of `as_of`, in the third person: most severe first, then
/// by person and rule.
pub fn evaluate(ledger: &Ledger, policy: &Policy, as_of: NaiveDate) -> Vec<Nudge> {
    let mut nudges = Vec::new();
    // Each person's mean joy over the window, read once in order: `reports-unhappy` reads
    // it for every manager's reports, who are scattered over the ledger.
    let since = window_start(policy, as_of);
    let joy: Vec<Option<f64>> = (0..ledger.people().len())
        .map(|i| window_joy(ledger.checkins_of(i), since, as_of))
        .collect();
    for i in 0..ledger.people().len() {
        nudges_for(
            ledger,
            policy,
            as_of,
            i,
            Voice::Third,
            Some(&joy),
            &mut nudges,
        );
    }
    nudges.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.person.cmp(&b.person))
            .then(a.rule.cmp(&b.rule))
    });
    nudges
}

/// The nudges about the person at index `i`, in the third person, in rule order.
pub fn evaluate_person(ledger: &Ledger, policy: &Policy, as_of: NaiveDate, i: usize) -> Vec<Nudge> {
    evaluate_person_for(ledger, policy, as_of, i, Voice::Third)
}

/// The nudges about the person at index `i`, worded in `voice`, in rule order.
pub fn evaluate_person_for(
    ledger: &Ledger,
    policy: &Policy,
    as_of: NaiveDate,
    i: usize,
    voice: Voice,
) -> Vec<Nudge> {
    let mut nudges = Vec::new();
    nudges_for(ledger, policy, as_of, i, voice, None, &mut nudges);
    nudges
}

/// Whether `swing-again` names the person at `i` for the bench as of `as_of`: the rotation
/// plan says so in its explanations.
pub fn swing_again_candidate(ledger: &Ledger, policy: &Policy, as_of: NaiveDate, i: usize) -> bool {
    evaluate_person(ledger, policy, as_of, i)
        .iter()
        .any(|n| n.rule == RuleId::SwingAgain)
}

/// The index of the first stint of the span that the stint at `at` belongs to: stints on
/// the same side of the pendulum, each beginning the day the one before ends.
pub fn span_start(stints: &[Stint], at: usize) -> usize {
    let side = stints[at].role.side();
    let mut from = at;
    while from > 0
        && stints[from - 1].role.side() == side
        && stints[from - 1].end == Some(stints[from].start)
    {
        from -= 1;
    }
    from
}

/// What the rules know about one person as of a day: the ledger cut off at `as_of`.
struct Subject<'a> {
    ledger: &'a Ledger,
    /// The person's index in the ledger.
    index: usize,
    person: &'a Person,
    who: Who<'a>,
    /// Stints that began on or before `as_of`, in order.
    stints: &'a [Stint],
    /// The stint covering `as_of`, if any.
    current: Option<&'a Stint>,
    /// Every check-in up to `as_of`, oldest first.
    checkins: &'a [CheckIn],
    /// Check-ins inside the policy window, oldest first.
    recent: &'a [CheckIn],
    /// Git evidence up to the month of `as_of`, oldest first.
    git: &'a [GitMonth],
    /// Calendar evidence, every week of it, oldest first.
    calendar: &'a [CalendarWeek],
    reports: u32,
    /// Everyone's mean joy over the window, when the whole ledger is evaluated.
    window_joy: Option<&'a [Option<f64>]>,
    as_of: NaiveDate,
}

/// A run of stints on one side of the pendulum with no gap between them: a trial confirmed
/// as a new stint, a move to another team or level. The rules judge a span, not a stint, so
/// that paperwork never restarts a clock.
#[derive(Debug, Clone, Copy)]
struct Span<'a> {
    /// The first stint of the run.
    first: &'a Stint,
    /// Index of the first stint in [`Subject::stints`].
    from: usize,
}

impl<'a> Subject<'a> {
    fn months_in(&self, s: &Stint) -> f64 {
        months_between(s.start, s.end.map_or(self.as_of, |e| e.min(self.as_of)))
    }

    /// The span the stint at `at` belongs to.
    fn span_at(&self, at: usize) -> Span<'a> {
        let from = span_start(self.stints, at);
        Span {
            first: &self.stints[from],
            from,
        }
    }

    /// The span under way, when a stint covers `as_of`.
    fn current_span(&self) -> Option<Span<'a>> {
        self.current.map(|_| self.span_at(self.stints.len() - 1))
    }

    fn span_months(&self, span: Span<'_>) -> f64 {
        months_between(span.first.start, self.as_of)
    }

    /// Whether no stint before the span managed: a first time in management.
    fn first_management_span(&self, span: Span<'_>) -> bool {
        !self.stints[..span.from].iter().any(|s| s.role.manages())
    }

    /// Check-ins in the window that fall inside the span: what the rules may say about
    /// how the span is going.
    fn recent_in(&self, span: Span<'_>) -> &'a [CheckIn] {
        let from = self.recent.partition_point(|c| c.date < span.first.start);
        &self.recent[from..]
    }

    fn hands_on_months(&self) -> f64 {
        self.stints
            .iter()
            .filter(|s| !s.role.manages())
            .map(|s| self.months_in(s))
            .sum()
    }

    fn management_months(&self) -> f64 {
        self.stints
            .iter()
            .filter(|s| s.role.manages())
            .map(|s| self.months_in(s))
            .sum()
    }

    /// The person's manager, when the ledger knows them: (id, name).
    fn manager(&self) -> Option<(&'a PersonId, &'a str)> {
        let id = self.person.manager.as_ref()?;
        let i = self.ledger.person_index(id)?;
        Some((id, self.ledger.person_at(i).name.as_str()))
    }

    /// The mean joy over the window of the person at `j`.
    fn joy_of(&self, j: usize, policy: &Policy) -> Option<f64> {
        match self.window_joy {
            Some(all) => all[j],
            None => window_joy(
                self.ledger.checkins_of(j),
                window_start(policy, self.as_of),
                self.as_of,
            ),
        }
    }

    /// Indices of the people who report to this person directly.
    fn direct_reports(&self) -> impl Iterator<Item = usize> + 'a {
        self.ledger.reports_of(self.index)
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

/// A role with its article, for sentences: "an engineer", "a tech lead".
fn a_role(role: Role) -> String {
    match role {
        Role::Engineer => "an engineer".into(),
        other => format!("a {other}"),
    }
}

fn mean(scores: impl Iterator<Item = u8>) -> Option<f64> {
    let (sum, n) = scores.fold((0u32, 0u32), |(s, n), x| (s + u32::from(x), n + 1));
    (n > 0).then(|| f64::from(sum) / f64::from(n))
}

/// How a run of check-ins reads, for one score.
struct Mood {
    mean: f64,
    /// The mean of the newer half minus the mean of the older half, when each half has at
    /// least `checkins.min_per_half` check-ins: a fall is a change of means, never one
    /// score against another.
    change: Option<f64>,
    count: usize,
}

/// The mood of `checkins` when there are at least `min_count` of them.
fn mood(
    checkins: &[CheckIn],
    min_count: u32,
    policy: &Policy,
    score: fn(&CheckIn) -> u8,
) -> Option<Mood> {
    if checkins.len() < min_count as usize {
        return None;
    }
    let half = checkins.len() / 2;
    let all = mean(checkins.iter().map(score))?;
    let change = (half >= policy.checkins.min_per_half as usize)
        .then(|| {
            Some(
                mean(checkins[checkins.len() - half..].iter().map(score))?
                    - mean(checkins[..half].iter().map(score))?,
            )
        })
        .flatten();
    Some(Mood {
        mean: all,
        change,
        count: checkins.len(),
    })
}

/// The first day before the check-in window: check-ins after it and up to `as_of` count.
fn window_start(policy: &Policy, as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(policy.checkins.window_months))
        .unwrap_or(NaiveDate::MIN)
}

/// The mean joy of `checkins` (one person's, oldest first) after `since` and up to `as_of`.
fn window_joy(checkins: &[CheckIn], since: NaiveDate, as_of: NaiveDate) -> Option<f64> {
    let lo = checkins.partition_point(|c| c.date <= since);
    let hi = checkins.partition_point(|c| c.date <= as_of);
    mean(checkins[lo..hi.max(lo)].iter().map(|c| c.joy.get()))
}

fn nudges_for(
    ledger: &Ledger,
    policy: &Policy,
    as_of: NaiveDate,
    i: usize,
    voice: Voice,
    joy: Option<&[Option<f64>]>,
    out: &mut Vec<Nudge>,
) {
    // Nobody is nudged about someone who has left: they are no longer the org's to help.
    if ledger
        .person_at(i)
        .departure
        .as_ref()
        .is_some_and(|d| d.on <= as_of)
    {
        return;
    }
    let all = ledger.stints_of(i);
    let cut = all.partition_point(|s| s.start <= as_of);
    let stints = &all[..cut];
    let current = stints.last().filter(|s| s.covers(as_of));
    let checkins = ledger.checkins_of(i);
    let since = window_start(policy, as_of);
    let lo = checkins.partition_point(|c| c.date <= since);
    let hi = checkins.partition_point(|c| c.date <= as_of);
    let person = ledger.person_at(i);
    let subject = Subject {
        ledger,
        index: i,
        person,
        who: Who {
            name: &person.name,
            voice,
        },
        stints,
        current,
        checkins: &checkins[..hi],
        recent: &checkins[lo..hi.max(lo)],
        git: {
            let git = ledger.git_of(i);
            let month = YearMonth::of(as_of);
            &git[..git.partition_point(|g| g.month <= month)]
        },
        calendar: ledger.calendar_of(i),
        reports: ledger.direct_reports(i),
        window_joy: joy,
        as_of,
    };
    swing::swing_as_promotion(&subject, policy, out);
    let Some(current) = subject.current else {
        return;
    };
    if current.role.manages() {
        manager::hands_on_distance(&subject, current, policy, out);
        manager::unwilling_manager(&subject, current, out);
        manager::unhappy_or_grace(&subject, current, policy, out);
        manager::reports_unhappy(&subject, policy, out);
    }
    if current.role == Role::Manager {
        manager::manager_clinging(&subject, current, policy, out);
    }
    if current.role == Role::Hybrid {
        manager::hybrid_drift(&subject, current, policy, out);
    }
    hands_on::lead_without_management(&subject, current, policy, out);
    hands_on::interrupted_maker(&subject, current, policy, out);
    hands_on::returning_engineer(&subject, current, policy, out);
    hands_on::swing_again(&subject, current, policy, out);
    hands_on::itch(&subject, current, policy, out);
    swing::trial(&subject, current, policy, out);
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

/// [`push`], for a nudge someone else should act on.
fn push_for(
    out: &mut Vec<Nudge>,
    s: &Subject<'_>,
    rule: RuleId,
    severity: Severity,
    facts: Vec<Fact>,
    suggestion: String,
    act_by: Option<&PersonId>,
) {
    push(out, s, rule, severity, facts, suggestion);
    if let Some(nudge) = out.last_mut() {
        nudge.act_by = act_by.cloned();
    }
}
