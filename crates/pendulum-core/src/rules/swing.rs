//! The rules about swings themselves: booked as a change of role, never of level or pay,
//! and trials that get their review and their decision.

use super::{Fact, Nudge, RuleId, Severity, Subject, a_role, push};
use crate::ledger::Stint;
use crate::period::months_between;
use crate::policy::Policy;
use crate::role::Band;

fn band(b: Option<Band>) -> String {
    b.map_or_else(String::new, |b| format!(" (band {b})"))
}

/// What the way back cut, against the last hands-on stint before the management span:
/// "level", "pay band", "level and pay band".
fn cut(before: &Stint, after: &Stint) -> Option<&'static str> {
    let level = after.level < before.level;
    let pay = before.band.zip(after.band).is_some_and(|(b, a)| a < b);
    match (level, pay) {
        (true, true) => Some("level and pay band"),
        (true, false) => Some("level"),
        (false, true) => Some("pay band"),
        (false, false) => None,
    }
}

/// `swing-as-promotion`: a swing booked with a change of level or pay band, shown while the
/// stint it opened lasts (and for the policy's look-back after); a swing back to hands-on
/// work below the level or band held before managing is an alert.
pub(super) fn swing_as_promotion(s: &Subject<'_>, policy: &Policy, out: &mut Vec<Nudge>) {
    let lookback = f64::from(policy.swing_as_promotion.lookback_months);
    for (k, pair) in s.stints.windows(2).enumerate() {
        let (from, to) = (&pair[0], &pair[1]);
        if from.role.side() == to.role.side() {
            continue;
        }
        let level_moved = from.level != to.level;
        let band_moved = from.band.zip(to.band).is_some_and(|(a, b)| a != b);
        // Back from managing: what the person held before the management span.
        let before_managing = (from.role.manages() && !to.role.manages())
            .then(|| {
                let span = s.span_at(k);
                s.stints[..span.from].iter().rfind(|x| !x.role.manages())
            })
            .flatten();
        let lowered = before_managing.and_then(|b| cut(b, to).map(|what| (b, what)));
        if !level_moved && !band_moved && lowered.is_none() {
            continue;
        }
        let open = to.end.is_none_or(|e| e > s.as_of);
        if !open && months_between(to.start, s.as_of) > lookback {
            continue;
        }
        let w = s.who;
        let mut facts = Vec::new();
        if level_moved {
            let word = if to.level > from.level { "up" } else { "down" };
            facts.push(Fact::ledger(format!(
                "On {} {} swung from {} to {} and the level moved {word} from {} to {}.",
                to.start,
                w.n(),
                from.role,
                to.role,
                from.level,
                to.level
            )));
        } else {
            facts.push(Fact::ledger(format!(
                "On {} {} swung from {} to {} at {}.",
                to.start,
                w.n(),
                from.role,
                to.role,
                to.level
            )));
        }
        if let (true, Some(a), Some(b)) = (band_moved, from.band, to.band) {
            let word = if b > a { "up" } else { "down" };
            facts.push(Fact::ledger(format!(
                "The pay band moved {word} at that swing, from {a} to {b}."
            )));
        }
        let (severity, suggestion) = match lowered {
            Some((b, what)) => {
                facts.push(Fact::ledger(format!(
                    "Before managing, {} {} {} at {}{}: the way back lowered {} {what}.",
                    w.n(),
                    w.v("was", "were"),
                    a_role(b.role),
                    b.level,
                    band(b.band),
                    w.their()
                )));
                let restore = format!(
                    "{}{}",
                    b.level,
                    b.band
                        .map_or_else(String::new, |x| format!(" and band {x}"))
                );
                let suggestion = if w.you() {
                    format!(
                        "Ask for your level and pay to be restored ({restore}) from the day of the swing back. Going back to hands-on work is a change of profession, and nobody should pay for it."
                    )
                } else {
                    format!(
                        "Restore {} level and pay ({restore}) from the day of the swing back. Going back to hands-on work is a change of profession, and nobody should pay for it; a level decision, if one is due, is separate and has its own reasons.",
                        w.poss()
                    )
                };
                (Severity::Alert, suggestion)
            }
            None => (
                Severity::Warn,
                format!(
                    "Record the swing at {} level and band before it ({}{}). If a change is deserved, make it a separate decision with its own date and reasons, so nobody learns that swinging is the way up or down.",
                    w.poss(),
                    from.level,
                    from.band
                        .map_or_else(String::new, |x| format!(", band {x}"))
                ),
            ),
        };
        push(
            out,
            s,
            RuleId::SwingAsPromotion,
            severity,
            facts,
            suggestion,
        );
    }
}

pub(super) fn trial(s: &Subject<'_>, current: &Stint, policy: &Policy, out: &mut Vec<Nudge>) {
    let Some(trial_end) = current.trial_end else {
        return;
    };
    let w = s.who;
    let with = if w.you() {
        "your manager".to_owned()
    } else {
        w.n().to_owned()
    };
    if trial_end <= s.as_of {
        let facts = vec![Fact::ledger(format!(
            "{} trial as {} began on {} and was due for a decision on {}; the stint is still open.",
            w.cap_poss(),
            current.role,
            current.start,
            trial_end
        ))];
        let suggestion = format!(
            "Decide with {with}: keep the role (record a swing to {} on the decision date) or end the trial with a swing back. Either outcome is normal.",
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
            "{} trial as {} runs from {} to {}; its mid-point was {}.",
            w.cap_poss(),
            current.role,
            current.start,
            trial_end,
            midpoint
        )),
        Fact::checkin(format!("No check-in from {} since the mid-point.", w.n())),
    ];
    let suggestion = format!(
        "Hold the mid-point review with {with} and record a check-in, so the end-of-trial decision rests on how it is going."
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
