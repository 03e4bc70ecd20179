//! The guided "should I swing?" self-assessment: a few statements to rate, read together
//! with the person's own stint, giving a direction and the reasons for it.
//!
//! It is a mirror, not a verdict: the answers are private to the person, and the outcome
//! only says which way the signals point.

use chrono::NaiveDate;

use crate::ledger::Ledger;
use crate::metrics;
use crate::period::months_between;
use crate::policy::Policy;
use crate::role::{Side, Willingness};

/// The statements, each rated from 1 (disagree) to 5 (agree), in the order of [`Answers`].
pub const STATEMENTS: [(&str, &str); 6] = [
    (
        "same_problems",
        "I keep solving problems I have solved before.",
    ),
    ("learning", "I learn something new in my work most weeks."),
    (
        "joy",
        "My work gives me energy more often than it drains it.",
    ),
    (
        "people_pull",
        "I am more curious about why teams work than about how systems work.",
    ),
    (
        "build_pull",
        "I miss, or would miss, the satisfaction of building or fixing something myself.",
    ),
    (
        "status",
        "Part of why I want (or keep) a management role is status or pay.",
    ),
];

/// Ratings of the statements, 1-5 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    pub same_problems: u8,
    pub learning: u8,
    pub joy: u8,
    pub people_pull: u8,
    pub build_pull: u8,
    pub status: u8,
}

/// Which way the signals point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Time to consider the other side of the pendulum.
    ConsiderSwinging,
    /// Stay, and grow where you are.
    Stay,
    /// Early in a management stint and struggling: get support before deciding.
    GetSupportFirst,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ConsiderSwinging => "consider swinging",
            Direction::Stay => "stay and grow",
            Direction::GetSupportFirst => "get support first",
        }
    }
}

/// What the reflection says, with its reasons in plain sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub direction: Direction,
    pub reasons: Vec<String>,
}

/// Where the person stands, as the reflection reads it: the same span, grace and distance
/// the rules use, and their own answer about managing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Situation {
    pub side: Side,
    /// Months into the span under way (consecutive stints on one side).
    pub span_months: f64,
    /// Early in a first management span: support comes before any decision.
    pub in_grace: bool,
    pub willing: Willingness,
    /// Months away from hands-on work (0 on the hands-on side).
    pub distance_months: f64,
    /// Past this distance the way back needs a re-entry plan.
    pub reentry_months: u32,
}

impl Situation {
    /// The situation of the person at `i` on `today`; someone without a current stint reads
    /// as hands-on, at the start.
    pub fn of(ledger: &Ledger, policy: &Policy, i: usize, today: NaiveDate) -> Self {
        let all = ledger.stints_of(i);
        let stints = &all[..all.partition_point(|s| s.start <= today)];
        let willing = ledger.person_at(i).willing_to_manage;
        let reentry_months = policy.hands_on_distance.reentry_months;
        let Some(current) = stints.last().filter(|s| s.covers(today)) else {
            return Self {
                side: Side::HandsOn,
                span_months: 0.0,
                in_grace: false,
                willing,
                distance_months: 0.0,
                reentry_months,
            };
        };
        let from = crate::rules::span_start(stints, stints.len() - 1);
        let span_months = months_between(stints[from].start, today);
        let side = current.role.side();
        let first = !stints[..from].iter().any(|s| s.role.manages());
        let manages = side == Side::Management;
        Self {
            side,
            span_months,
            in_grace: manages && first && span_months < f64::from(policy.new_manager_grace.months),
            willing,
            distance_months: if manages {
                metrics::hands_on_distance(
                    stints,
                    today,
                    policy.hands_on_distance.hybrid_hands_on_weight,
                )
                .months
            } else {
                0.0
            },
            reentry_months,
        }
    }
}

/// Reads the answers with the person's situation.
pub fn assess(answers: &Answers, at: &Situation) -> Outcome {
    let (side, months_in_stint, in_grace) = (at.side, at.span_months, at.in_grace);
    let high = |v: u8| v >= 4;
    let low = |v: u8| v <= 2;
    let mut reasons = Vec::new();
    if high(answers.status) {
        reasons.push(
            "Management is a change of profession, not a promotion: if status or pay is part of the pull, ask for that on your own track instead."
                .to_owned(),
        );
    }
    let direction = match side {
        Side::HandsOn if at.willing == Willingness::No => {
            // They said they would rather not manage: the way forward is on their own track.
            if high(answers.same_problems) && low(answers.learning) {
                reasons.push(format!(
                    "You are solving the same problems again and learning little, {months_in_stint:.0} months into this work: look for a new problem space, another team or a bigger technical scope."
                ));
            }
            if high(answers.people_pull) {
                reasons.push("You said you would rather not manage, and that stands. The pull towards people can grow as a tech lead, a mentor or by running a project; if your answer ever changes, record it on your page.".to_owned());
            }
            if reasons.is_empty() || reasons.len() == 1 && high(answers.status) {
                reasons.push("Your answers do not point away from hands-on work right now; revisit in six months.".to_owned());
            }
            Direction::Stay
        }
        Side::HandsOn => {
            let itch = high(answers.same_problems) && low(answers.learning);
            if itch {
                reasons.push(format!(
                    "You are solving the same problems again and learning little, {:.0} months into this stint: that restlessness is the classic sign it may be time to swing.",
                    months_in_stint
                ));
            }
            if high(answers.people_pull) {
                reasons.push("You are curious about how teams work: a time-boxed management trial would test that without a one-way door.".to_owned());
            }
            if high(answers.build_pull) && low(answers.people_pull) {
                reasons.push("Building is what you miss most: look for a new problem space before a new profession.".to_owned());
                Direction::Stay
            } else if itch || (high(answers.people_pull) && !high(answers.status)) {
                Direction::ConsiderSwinging
            } else {
                reasons.push("Your answers do not point away from hands-on work right now; revisit in six months.".to_owned());
                Direction::Stay
            }
        }
        Side::Management => {
            if at.distance_months >= f64::from(at.reentry_months) {
                reasons.push(format!(
                    "You are {:.0} years away from hands-on work, past the point where going back is easy. If you may ever return, agree on a re-entry plan now: a team and a senior engineer to pair with, a few hours a week in its code before the swing, three months of small tasks with no performance verdict after it, and the same level and pay band.",
                    at.distance_months / 12.0
                ));
            }
            if in_grace && low(answers.joy) {
                reasons.push("You are early in your first management stint: being bad at it for a long time is normal. Ask for a coach or a peer group before deciding anything.".to_owned());
                Direction::GetSupportFirst
            } else if low(answers.joy) || (high(answers.build_pull) && low(answers.learning)) {
                reasons.push("Managing drains more than it gives, or you miss building and have stopped learning: stop while you still want to, and plan a swing back to hands-on work.".to_owned());
                Direction::ConsiderSwinging
            } else {
                reasons.push("Managing still gives you energy and you are learning: keep going, and revisit in six months.".to_owned());
                Direction::Stay
            }
        }
    };
    Outcome { direction, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(same: u8, learning: u8, joy: u8, people: u8, build: u8, status: u8) -> Answers {
        Answers {
            same_problems: same,
            learning,
            joy,
            people_pull: people,
            build_pull: build,
            status,
        }
    }

    fn at(side: Side, months: f64, in_grace: bool) -> Situation {
        Situation {
            side,
            span_months: months,
            in_grace,
            willing: Willingness::Unknown,
            distance_months: if side == Side::Management {
                months
            } else {
                0.0
            },
            reentry_months: 60,
        }
    }

    fn assess(a: &Answers, side: Side, months: f64, in_grace: bool) -> Outcome {
        super::assess(a, &at(side, months, in_grace))
    }

    #[test]
    fn someone_who_said_no_is_never_told_to_try_managing() {
        let no = Situation {
            willing: Willingness::No,
            ..at(Side::HandsOn, 48.0, false)
        };
        let o = super::assess(&answers(5, 1, 3, 5, 2, 1), &no);
        assert_eq!(o.direction, Direction::Stay);
        assert!(
            o.reasons.iter().all(|r| !r.contains("trial")),
            "{:?}",
            o.reasons
        );
        assert!(o.reasons.iter().any(|r| r.contains("new problem space")));
        // The same answers from someone who did not say no point to a trial.
        let o = assess(&answers(5, 1, 3, 5, 2, 1), Side::HandsOn, 48.0, false);
        assert_eq!(o.direction, Direction::ConsiderSwinging);
    }

    #[test]
    fn a_manager_five_years_out_gets_the_reentry_plan() {
        let o = assess(&answers(2, 4, 4, 4, 3, 1), Side::Management, 62.0, false);
        assert!(o.reasons[0].contains("re-entry plan"), "{:?}", o.reasons);
        let o = assess(&answers(2, 4, 4, 4, 3, 1), Side::Management, 30.0, false);
        assert!(o.reasons.iter().all(|r| !r.contains("re-entry")));
    }

    #[test]
    fn a_restless_engineer_curious_about_people_is_pointed_to_a_trial() {
        let o = assess(&answers(5, 1, 3, 5, 2, 1), Side::HandsOn, 48.0, false);
        assert_eq!(o.direction, Direction::ConsiderSwinging);
        assert!(
            o.reasons
                .iter()
                .any(|r| r.contains("time-boxed management trial"))
        );
    }

    #[test]
    fn an_engineer_who_misses_building_stays() {
        assert_eq!(
            assess(&answers(4, 2, 3, 1, 5, 1), Side::HandsOn, 48.0, false).direction,
            Direction::Stay
        );
    }

    #[test]
    fn status_is_named_as_the_wrong_reason() {
        let o = assess(&answers(2, 4, 4, 3, 2, 5), Side::HandsOn, 12.0, false);
        assert!(o.reasons[0].contains("not a promotion"));
    }

    #[test]
    fn a_struggling_new_manager_gets_support_and_a_drained_one_swings_back() {
        assert_eq!(
            assess(&answers(2, 4, 1, 4, 3, 1), Side::Management, 6.0, true).direction,
            Direction::GetSupportFirst
        );
        assert_eq!(
            assess(&answers(2, 4, 1, 4, 3, 1), Side::Management, 30.0, false).direction,
            Direction::ConsiderSwinging
        );
        assert_eq!(
            assess(&answers(2, 4, 4, 4, 3, 1), Side::Management, 30.0, false).direction,
            Direction::Stay
        );
    }
}
