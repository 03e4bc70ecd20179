//! The rules about a management span: its distance from hands-on work, the hybrid and the
//! manager who keeps coding, whether the person wants it, and how it feels to them and to
//! the people they manage.

use super::evidence::{
    Claim, contradiction, git_trend, last_git_hands_on, mean_commits, meeting_load, month_back,
};
use super::{
    Fact, Nudge, RuleId, Severity, Subject, a_role, capitalised, months, mood, push, push_for,
};
use crate::ledger::Stint;
use crate::metrics;
use crate::period::YearMonth;
use crate::policy::Policy;
use crate::role::{Role, Side, Willingness};

/// `hands-on-distance`: how long a manager has been away from hands-on work. Only the
/// ledger's stints count: commits made while managing are coding on the side, not hands-on
/// work (`manager-clinging` reads them), so git can confirm or contradict a hands-on stint
/// but never moves the distance.
pub(super) fn hands_on_distance(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let p = &policy.hands_on_distance;
    let distance = metrics::hands_on_distance(s.stints, s.as_of, p.hybrid_hands_on_weight);
    let (away, last_hands_on) = (distance.months, distance.last_hands_on);
    let mut severity = if away >= f64::from(p.alert_months) {
        Severity::Alert
    } else if away >= f64::from(p.warn_months) {
        Severity::Warn
    } else {
        return;
    };
    let w = s.who;
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
            "The ledger has no hands-on stint for {}: {} in management on record. If {} did hands-on work before, record that stint.",
            w.n(),
            months(away),
            w.they()
        )),
    }];
    let last_git = last_git_hands_on(s, policy);
    let while_managing = |m: YearMonth| {
        s.stints.iter().any(|x| {
            x.role.manages()
                && YearMonth::of(x.start) <= m
                && x.end.is_none_or(|e| m < YearMonth::of(e))
        })
    };
    if let Some((g, _)) = last_git.filter(|(g, _)| while_managing(g.month)) {
        facts.push(Fact::git(format!(
            "Git shows {} commits in {}, while managing: coding on the side does not shorten the distance, since the hands-on work of a team is more than commits.",
            g.commits + g.coauthored,
            g.month
        )));
    }
    // The ledger's claims of hands-on work, latest last: its last hands-on stint, and a
    // current hybrid stint, which it counts as partly hands-on.
    let claims = [
        last_hands_on.map(|h| Claim {
            what: format!(
                "it has {} as {} from {} to {}",
                w.n(),
                a_role(h.role),
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
                "it counts {} hybrid stint since {} as partly hands-on",
                w.poss(),
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
    let span = s.current_span().expect("a current stint has a span");
    facts.push(Fact::ledger(format!(
        "{} {} managed since {}, now as {} at {}.",
        w.cap(),
        w.v("has", "have"),
        span.first.start,
        a_role(current.role),
        current.level
    )));
    // Frontline: most direct reports do hands-on work. Leading managers is a different job,
    // for which the distance from building matters less.
    let (reports, managing_reports) = s.direct_reports().fold((0u32, 0u32), |(n, m), j| {
        let manages = s
            .ledger
            .stints_of(j)
            .iter()
            .rfind(|x| x.covers(s.as_of))
            .is_some_and(|x| x.role.side() == Side::Management);
        (n + 1, m + u32::from(manages))
    });
    let hands_on_reports = reports - managing_reports;
    let frontline =
        reports == 0 || f64::from(hands_on_reports) > p.frontline_share * f64::from(reports);
    let suggestion = if !frontline {
        severity = Severity::Info;
        facts.push(Fact::ledger(format!(
            "{managing_reports} of {} {reports} direct reports manage others: {} lead managers rather than makers.",
            w.poss(),
            w.they(),
        )));
        format!(
            "Distance from building matters most for managers of engineers. Leading managers, keep {} technical judgment current another way: sit in on design reviews and incident reviews, and ask the tech leads to walk {} through the hard calls. If {} may ever go back to building, agree on a re-entry plan before the distance grows further.",
            w.their(),
            w.them(),
            w.they()
        )
    } else if away >= f64::from(p.reentry_months) {
        format!(
            "Past {} months away the way back is hard, so it needs a re-entry plan rather than hope. If {} may ever return to engineering: 1. pick a team with a senior engineer to pair with, and a date; 2. until then, spend a few hours a week reading the team's code and reviews, and ship one small change; 3. for the first three months after the swing, pair daily on small tasks that ship, with no on-call lead and no performance verdict; 4. keep the level and the pay band, since it is a change of profession, not a step down; 5. check in every month and review the plan at six months.",
            p.reentry_months,
            w.n()
        )
    } else if severity == Severity::Alert {
        format!(
            "Plan {} swing back to hands-on work now: pick the team and a date, and start growing a successor from the bench.",
            w.poss()
        )
    } else {
        format!(
            "Start talking about a hands-on stint for {} before the {}-month mark: which team, when, and who could take over the reports.",
            w.n(),
            p.alert_months
        )
    };
    push(out, s, RuleId::HandsOnDistance, severity, facts, suggestion);
}

pub(super) fn hybrid_drift(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
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
    let w = s.who;
    let mut facts = vec![Fact::ledger(format!(
        "{} {} been both manager and tech lead since {}: {}.",
        w.cap(),
        w.v("has", "have"),
        current.start,
        months(held)
    ))];
    if too_many {
        facts.push(Fact::ledger(format!(
            "{} {} {} direct reports; a hybrid only works with up to {}.",
            w.cap(),
            w.v("has", "have"),
            s.reports,
            p.max_reports
        )));
    }
    if let Some(trend) = git_trend(s, current) {
        facts.push(Fact::git(trend));
    }
    if let Some(load) = meeting_load(s, current, policy) {
        facts.push(Fact::calendar(load));
    }
    let suggestion = format!(
        "Split the role: either {0} {1} and {2} technical leadership to an engineer on the team, or {0} {3} technically and the team gets a manager.",
        w.n(),
        w.v("manages", "manage"),
        w.v("hands", "hand"),
        w.v("leads", "lead"),
    );
    push(out, s, RuleId::HybridDrift, severity, facts, suggestion);
}

/// `manager-clinging`: a manager who still commits at an engineer's pace, some months into
/// their management span.
pub(super) fn manager_clinging(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let p = &policy.git;
    let span = s.current_span().expect("a current stint has a span");
    let held = s.span_months(span);
    if held < f64::from(p.clinging_after_months) {
        return;
    }
    let now = YearMonth::of(s.as_of);
    let from = month_back(now, p.clinging_window_months - 1).max(YearMonth::of(span.first.start));
    let Some(mean) = mean_commits(s.git, from, now) else {
        return;
    };
    if mean < f64::from(p.clinging_commits) {
        return;
    }
    let w = s.who;
    let facts = vec![
        Fact::ledger(format!(
            "{} {} managed since {} ({}), now as {}.",
            w.cap(),
            w.v("has", "have"),
            span.first.start,
            months(held),
            a_role(current.role)
        )),
        Fact::git(format!(
            "{} {} {mean:.0} commits a month from {from} to {now}, an engineer's pace (the policy's level is {}).",
            w.cap(),
            w.v("averages", "average"),
            p.clinging_commits
        )),
    ];
    let suggestion = if w.you() {
        "Decide which of the two crafts you want to grow now. If managing, hand the coding work to the team and keep only small changes off the critical path; if building, plan a swing back to hands-on work with your manager.".to_owned()
    } else {
        format!(
            "Ask {} which of the two crafts they want to grow now. If managing, hand the coding work to the team and keep only small changes off the critical path; if building, plan a swing back to hands-on work.",
            w.n()
        )
    };
    push(
        out,
        s,
        RuleId::ManagerClinging,
        Severity::Warn,
        facts,
        suggestion,
    );
}

pub(super) fn unwilling_manager(s: &Subject<'_>, current: &Stint, out: &mut Vec<Nudge>) {
    let unwilling = s.person.willing_to_manage == Willingness::No;
    if !unwilling && current.chosen {
        return;
    }
    let w = s.who;
    let mut facts = Vec::new();
    if unwilling {
        facts.push(Fact::ledger(format!(
            "{} {} said {} do not want to manage{}.",
            w.cap(),
            w.v("has", "have"),
            w.they(),
            s.person
                .willing_since
                .map_or_else(String::new, |d| format!(" (on {d})"))
        )));
    }
    if !current.chosen {
        facts.push(Fact::ledger(format!(
            "{} did not choose this stint.",
            w.cap()
        )));
    }
    facts.push(Fact::ledger(format!(
        "{} {} been {} since {}.",
        w.cap(),
        w.v("has", "have"),
        a_role(current.role),
        current.start
    )));
    let severity = if unwilling {
        Severity::Alert
    } else {
        Severity::Warn
    };
    let suggestion = if w.you() {
        "Tell your manager plainly whether you want to keep managing. If not, agree on a date, a willing successor from the bench and a handover; going back to engineering is a normal move.".to_owned()
    } else {
        format!(
            "Ask {} directly whether they want to keep managing. If not, set a date, find a willing successor on the bench, and plan the handover; going back to engineering is a normal move.",
            w.n()
        )
    };
    push(
        out,
        s,
        RuleId::UnwillingManager,
        severity,
        facts,
        suggestion,
    );
}

/// `new-manager-grace` and `unhappy-manager`: how managing feels, from the check-ins of the
/// management span under way. Early in a first span the answer is support, never an exit;
/// after it, low or falling joy over enough check-ins is worth a conversation.
pub(super) fn unhappy_or_grace(
    s: &Subject<'_>,
    current: &Stint,
    policy: &Policy,
    out: &mut Vec<Nudge>,
) {
    let c = &policy.checkins;
    let span = s.current_span().expect("a current stint has a span");
    let checkins = s.recent_in(span);
    let held = s.span_months(span);
    let grace_months = policy.new_manager_grace.months;
    let in_grace = s.first_management_span(span) && held < f64::from(grace_months);
    let min = if in_grace {
        c.min_count
    } else {
        policy.unhappy_manager.min_checkins
    };
    let Some(joy) = mood(checkins, min, policy, |x| x.joy.get()) else {
        return;
    };
    let energy = mood(checkins, min, policy, |x| x.energy.get()).expect("same check-ins as joy");
    let low = joy.mean <= c.low_score;
    let falling = joy.change.is_some_and(|d| d <= -c.falling_drop);
    let drained = energy.mean <= c.low_score;
    let w = s.who;
    let mut facts = vec![Fact::checkin(format!(
        "{} check-ins in the last {} months of managing: joy averages {:.1}, energy {:.1} (out of 5).",
        joy.count, c.window_months, joy.mean, energy.mean
    ))];
    if falling {
        facts.push(Fact::checkin(format!(
            "Joy fell by {:.1} from the older half of these check-ins to the newer half.",
            -joy.change.unwrap_or_default()
        )));
    }
    if in_grace {
        if !(low || falling || drained) {
            return;
        }
        let trial = current.trial_end.filter(|&t| t > s.as_of);
        facts.insert(
            0,
            Fact::ledger(format!(
                "{} started managing for the first time on {}: {} in, within the first {} months{}.",
                w.cap(),
                span.first.start,
                months(held),
                grace_months,
                trial.map_or_else(String::new, |t| format!(
                    ", on a trial to be decided on {t}"
                ))
            )),
        );
        let revisit = match trial {
            Some(t) => format!(
                "Make the trial's decision on {t} with this support in place, not before it."
            ),
            None => format!("Revisit after {grace_months} months."),
        };
        let suggestion = if w.you() {
            format!(
                "This is the hard early part of a new profession, not a verdict. Ask for support rather than an exit: a coach or an experienced manager as mentor, a peer group of new managers, and fewer other duties. {revisit}"
            )
        } else {
            format!(
                "This is the hard early part of a new profession, not a verdict. Give {} support rather than an exit: a coach or an experienced manager as mentor, a peer group of new managers, and fewer other duties. {revisit}",
                w.n()
            )
        };
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
        "{} {} managed since {}, now as {}.",
        w.cap(),
        w.v("has", "have"),
        span.first.start,
        a_role(current.role)
    )));
    let severity = if low && falling {
        Severity::Alert
    } else {
        Severity::Warn
    };
    let suggestion = if w.you() {
        "Ask yourself whether managing still brings you joy, and talk it over with your manager. If it does not, plan a swing back to hands-on work; it is a change of profession, not a step down.".to_owned()
    } else {
        format!(
            "Talk with {} about whether managing still brings them joy. If it does not, plan a swing back to hands-on work; it is a change of profession, not a step down.",
            w.n()
        )
    };
    push(out, s, RuleId::UnhappyManager, severity, facts, suggestion);
}

/// `reports-unhappy`: the people a manager manages directly are unhappy over the window.
/// Only a group at least the pulse's minimum is read, and only its mean is told, so no
/// report's scores can be picked out of the nudge.
pub(super) fn reports_unhappy(s: &Subject<'_>, policy: &Policy, out: &mut Vec<Nudge>) {
    let window = policy.checkins.window_months;
    if s.reports < policy.pulse.min_group_size {
        return;
    }
    let reports = s.reports;
    let means: Vec<f64> = s
        .direct_reports()
        .filter_map(|j| s.joy_of(j, policy))
        .collect();
    let group = means.len() as u32;
    if group < policy.pulse.min_group_size {
        return;
    }
    let joy = means.iter().sum::<f64>() / f64::from(group);
    if joy > policy.reports_unhappy.low_score {
        return;
    }
    let w = s.who;
    let span = s.current_span().expect("a current stint has a span");
    let facts = vec![
        Fact::checkin(format!(
            "{group} of {} {reports} direct reports checked in over the last {window} months; their joy averages {joy:.1} out of 5 (each person's check-ins averaged first). Scores of single people are not shown, and a group under {} is never read.",
            w.poss(),
            policy.pulse.min_group_size
        )),
        Fact::ledger(format!(
            "{} {} managed them since {}.",
            w.cap(),
            w.v("has", "have"),
            span.first.start
        )),
    ];
    let above = s.manager();
    let skip = above.map_or_else(|| "someone above you".to_owned(), |(_, m)| m.to_owned());
    let suggestion = if w.you() {
        format!(
            "Find out what weighs on your team without asking anyone for their scores: a retrospective on how the team works, a look at workload, on-call and priorities, and skip-level conversations held by {skip}. Agree on one or two changes and see whether the next months' check-ins move. If managing no longer makes you and your team happy, a swing back is a normal move."
        )
    } else {
        let skip = above.map_or_else(|| "whoever leads them".to_owned(), |(_, m)| m.to_owned());
        format!(
            "{}: with {}, find out what weighs on the team without asking anyone for their scores: a retrospective on how the team works, a look at workload, on-call and priorities, and skip-level conversations. Agree on one or two changes and see whether the next months' check-ins move. If managing no longer makes {} and the team happy, a swing back is a normal move.",
            capitalised(&skip),
            w.n(),
            w.n()
        )
    };
    push_for(
        out,
        s,
        RuleId::ReportsUnhappy,
        Severity::Warn,
        facts,
        suggestion,
        above.map(|(id, _)| id),
    );
}
