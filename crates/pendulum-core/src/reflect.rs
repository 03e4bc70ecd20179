//! The guided "should I swing?" self-assessment: a few statements to rate, read together
//! with the person's own stint, giving a direction and the reasons for it.
//!
//! It is a mirror, not a verdict: the answers are private to the person, and the outcome
//! only says which way the signals point.

use crate::role::Side;

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

/// Reads the answers with the person's side of the pendulum, the months in their current
/// stint, and whether it is their first management stint within the grace period.
pub fn assess(answers: &Answers, side: Side, months_in_stint: f64, in_grace: bool) -> Outcome {
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
