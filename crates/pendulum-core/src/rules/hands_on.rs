//! The rules about people on hands-on work: whether a lead would like to try managing, a
//! maker's focus time, the return trip from management, the bench for the next swing, and
//! restlessness in a long stint.

use super::evidence::recent_weeks;
use super::{Fact, Nudge, RuleId, Severity, Subject, a_role, mean, months, mood, push, push_for};
use crate::ledger::Stint;
use crate::period::months_between;
use crate::policy::Policy;
use crate::role::{Role, Willingness};

/// " (on 2025-03-01)" when the day of the person's answer is known.
fn answered_on(s: &Subject<'_>) -> String {
    s.person
        .willing_since
        .map_or_else(String::new, |d| format!(" (on {d})"))
}

/// `lead-without-management`: a tech lead or senior engineer who has never managed. Asked
/// first, offered a trial only after a yes; an old no may be asked again once.
pub(super) fn lead_without_management(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let senior =
        current.role == Role::Engineer && current.level.rank() >= policy.senior_level().rank();
    if !(current.role == Role::TechLead || senior) || s.management_months() > 0.0 {
        return;
    }
    let p = &policy.lead_without_management;
    let w = s.who;
    let years = s.hands_on_months() / 12.0;
    let min_years = p.min_engineering_years;
    let mut facts = vec![Fact::ledger(format!(
        "{} {} {} at {} and {} never managed, with {years:.1} years of hands-on work on record.",
        w.cap(),
        w.v("is", "are"),
        a_role(current.role),
        current.level,
        w.v("has", "have"),
    ))];
    let suggestion = match s.person.willing_to_manage {
        Willingness::Unknown => {
            facts.push(Fact::ledger(match s.person.willing_since {
                Some(d) => format!(
                    "When asked on {d}, {} did not know yet whether {} would like to manage.",
                    w.n(),
                    w.they()
                ),
                None => format!(
                    "Nobody has recorded yet whether {} would like to try managing.",
                    w.n()
                ),
            }));
            if w.you() {
                "Would you like to try managing one day? There is no wrong answer. Tell your manager, or record it on this page: a yes can lead to a time-boxed trial, and a no is respected.".to_owned()
            } else {
                format!(
                    "Ask {} whether they would like to try managing one day, without pressure either way, and record the answer: a yes can lead to a time-boxed trial, and a no is respected.",
                    w.n()
                )
            }
        }
        Willingness::Yes => {
            facts.push(Fact::ledger(format!(
                "{} said {} would like to try managing{}.",
                w.cap(),
                w.they(),
                answered_on(s)
            )));
            match (years >= f64::from(min_years), w.you()) {
                (true, true) => "Ask your manager for a time-boxed management trial (a quarter or two, with a mid-point review) that either side can end without stigma.".to_owned(),
                (true, false) => format!(
                    "Offer {} a time-boxed management trial (a quarter or two, with a mid-point review) that either side can end without stigma.",
                    w.n()
                ),
                (false, _) => format!(
                    "After {min_years} years of hands-on work a time-boxed management trial makes sense; until then, people-facing work such as mentoring or running a project is the way to try it out{}.",
                    if w.you() { String::new() } else { format!(" for {}", w.n()) }
                ),
            }
        }
        Willingness::No => {
            // Asked again once: when the no is old and the answer before it was not a no
            // already (a no given twice is final).
            let Some(since) = s.person.willing_since else {
                return;
            };
            let age = months_between(since, s.as_of);
            if age < f64::from(p.ask_again_months) {
                return;
            }
            let history = s.ledger.answers_of(s.index);
            if history
                .iter()
                .rev()
                .find(|a| a.date < since)
                .is_some_and(|a| a.answer == Willingness::No)
            {
                return;
            }
            facts.push(Fact::ledger(format!(
                "On {since}, {} ago, {} said {} would rather not manage.",
                months(age),
                w.n(),
                w.they()
            )));
            if w.you() {
                "You said you would rather not manage. If that has changed, tell your manager or record it on this page; if not, record your no once more and you will not be asked again.".to_owned()
            } else {
                format!(
                    "People change their minds: ask {} once more, gently, whether that still holds, and record the answer either way. A no given again will not be asked about again.",
                    w.n()
                )
            }
        }
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

/// `interrupted-maker`: an engineer whose calendar leaves too little focus time, week after
/// week (a tech lead too, when the policy says so, at their own minimum: meetings are part
/// of their job). The nudge is for their manager, who can change that.
///
/// The weeks read are those of [`recent_weeks`]; with fewer than `focus_weeks` of them there
/// is no nudge.
pub(super) fn interrupted_maker(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let p = &policy.calendar;
    let min_focus = match current.role {
        Role::Engineer => p.min_focus_hours,
        Role::TechLead if p.tech_leads_are_makers => p.tech_lead_min_focus_hours,
        _ => return,
    };
    let last = recent_weeks(s, current, policy);
    if last.len() < p.focus_weeks as usize {
        return;
    }
    if last.iter().any(|w| w.focus_hours >= min_focus) {
        return;
    }
    let w = s.who;
    let manager = s.manager();
    let mut facts = vec![Fact::ledger(format!(
        "{} {} been {} since {}{}.",
        w.cap(),
        w.v("has", "have"),
        a_role(current.role),
        current.start,
        manager.map_or_else(String::new, |(_, m)| format!(
            " and {} to {m}",
            w.v("reports", "report")
        ))
    ))];
    facts.extend(last.iter().map(|wk| {
        Fact::calendar(format!(
            "{}: {:.1} h of focus time (blocks of {} h or more) and {:.1} h in meetings, under the policy's {} h of focus.",
            wk.week, wk.focus_hours, p.focus_block_hours, wk.meeting_hours, min_focus
        ))
    }));
    let steps = "Go through the recurring meetings together and drop or delegate those where attendance is optional; gather the rest into one or two fixed afternoons so that at least three mornings a week stay free; route ad-hoc requests (support, status questions, interviews) through the manager or a rotation; then check the next weeks' calendar evidence.";
    let suggestion = if w.you() {
        let by = manager.map_or("your manager", |(_, m)| m);
        format!("Your focus time needs shielding, and that is {by}'s job as much as yours. {steps}")
    } else {
        let to = manager.map_or_else(|| format!("Whoever leads {}", w.n()), |(_, m)| m.to_owned());
        format!("{to}: shield {} time. {steps}", w.poss())
    };
    push_for(
        out,
        s,
        RuleId::InterruptedMaker,
        Severity::Warn,
        facts,
        suggestion,
        manager.map(|(id, _)| id),
    );
}

/// The management stint right before the hands-on span under way, when there is one: the
/// person is back from managing.
fn managed_before<'a>(s: &Subject<'a>, current: &Stint) -> Option<(&'a Stint, super::Span<'a>)> {
    if current.role.manages() {
        return None;
    }
    let span = s.current_span()?;
    let before = s.stints[..span.from].last()?;
    before.role.manages().then_some((before, span))
}

/// `returning-engineer`: the first months back on hands-on work after managing are a
/// re-entry. The nudge is a plan for the person's manager.
pub(super) fn returning_engineer(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let Some((last, span)) = managed_before(s, current) else {
        return;
    };
    let n = policy.returning_engineer.months;
    let back = s.span_months(span);
    if back >= f64::from(n) {
        return;
    }
    let managed = s.span_at(span.from - 1);
    let ended = last.end.unwrap_or(span.first.start);
    let w = s.who;
    let band = |b: Option<crate::role::Band>| b.map_or_else(String::new, |b| format!(", band {b}"));
    let facts = vec![
        Fact::ledger(format!(
            "{} managed from {} to {} ({}) and {} been back on hands-on work since {}, now as {}: {} in.",
            w.cap(),
            managed.first.start,
            ended,
            months(months_between(managed.first.start, ended)),
            w.v("has", "have"),
            span.first.start,
            a_role(current.role),
            months(back)
        )),
        Fact::ledger(format!(
            "{} level is {}{} (while managing: {}{}).",
            w.cap_poss(),
            current.level,
            band(current.band),
            last.level,
            band(last.band)
        )),
    ];
    let manager = s.manager();
    let suggestion = if w.you() {
        let by = manager.map_or("your manager", |(_, m)| m);
        format!(
            "Your first {n} months back are a re-entry, not a test. Ask {by} for a senior engineer to pair with and for small changes that ship first; no performance verdict is due before month {n}, and your level and pay band stay as they are."
        )
    } else {
        let to = manager.map_or_else(|| format!("Whoever leads {}", w.n()), |(_, m)| m.to_owned());
        format!(
            "{to}: make {} first {n} months a re-entry, not a test. Pair {} with a senior engineer on the team, start with small changes that ship, give no performance verdict before month {n}, and keep {} level and pay band as they are. Ask every month what would help.",
            w.poss(),
            w.them(),
            w.their()
        )
    };
    push_for(
        out,
        s,
        RuleId::ReturningEngineer,
        Severity::Info,
        facts,
        suggestion,
        manager.map(|(id, _)| id),
    );
}

/// `swing-again`: a former manager, hands-on again for at least the cool-down, who would
/// manage again and whose check-ins while managing were good: the bench for the next team
/// that needs a manager.
pub(super) fn swing_again(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    if s.person.willing_to_manage != Willingness::Yes {
        return;
    }
    let Some((last, span)) = managed_before(s, current) else {
        return;
    };
    let cool_down = policy.rotation.cool_down_months;
    let back = s.span_months(span);
    if back < f64::from(cool_down) {
        return;
    }
    let p = &policy.swing_again;
    let managing: Vec<u8> = s
        .checkins
        .iter()
        .filter(|c| {
            s.stints
                .iter()
                .any(|st| st.role.manages() && st.covers(c.date))
        })
        .map(|c| c.joy.get())
        .collect();
    if managing.len() < p.min_checkins as usize {
        return;
    }
    let joy = mean(managing.iter().copied()).unwrap_or_default();
    if joy < p.min_joy {
        return;
    }
    let w = s.who;
    let managed = s.span_at(span.from - 1);
    let facts = vec![
        Fact::ledger(format!(
            "{} managed from {} to {} and {} been on hands-on work for {} since, past the cool-down of {cool_down} months.",
            w.cap(),
            managed.first.start,
            last.end.unwrap_or(span.first.start),
            w.v("has", "have"),
            months(back)
        )),
        Fact::checkin(format!(
            "{} check-ins while managing: joy averaged {joy:.1} out of 5.",
            managing.len()
        )),
        Fact::ledger(format!(
            "{} said {} would manage again{}.",
            w.cap(),
            w.they(),
            answered_on(s)
        )),
    ];
    let manager = s.manager();
    let suggestion = if w.you() {
        "You are on the bench: when a team needs a manager, you are among the first to be asked, and the rotation plan counts you in. If that has changed, record your answer on this page.".to_owned()
    } else {
        format!(
            "Name {} for the bench: when a team needs a manager, ask {} first. The rotation plan counts {} among the willing, experienced candidates.",
            w.n(),
            w.them(),
            w.them()
        )
    };
    push_for(
        out,
        s,
        RuleId::SwingAgain,
        Severity::Info,
        facts,
        suggestion,
        manager.map(|(id, _)| id),
    );
}

pub(super) fn itch(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let p = &policy.itch;
    let held = s.months_in(current);
    if held < f64::from(p.stint_months) {
        return;
    }
    let Some(learning) = mood(s.recent, policy.checkins.min_count, policy, |x| {
        x.learning.get()
    }) else {
        return;
    };
    if learning.mean > p.low_learning {
        return;
    }
    let w = s.who;
    let facts = vec![
        Fact::ledger(format!(
            "{} {} been {} since {}: {}.",
            w.cap(),
            w.v("has", "have"),
            a_role(current.role),
            current.start,
            months(held)
        )),
        Fact::checkin(format!(
            "Learning averages {:.1} out of 5 over {} recent check-ins.",
            learning.mean, learning.count
        )),
    ];
    let next = if current.role.manages() {
        "a swing back to hands-on work"
    } else if s.person.willing_to_manage == Willingness::Yes {
        "a management trial, or a new problem space"
    } else {
        "a new problem space or team"
    };
    let suggestion = if w.you() {
        format!(
            "Ask yourself whether you are solving the same problems again; if so, talk with your manager about {next}."
        )
    } else {
        format!(
            "Ask {} whether they feel they are solving the same problems again, and talk about {next}.",
            w.n()
        )
    };
    push(out, s, RuleId::Itch, Severity::Info, facts, suggestion);
}
