//! A deterministic synthetic org: people, teams, about ten years of role stints and the last
//! few years of check-ins, shaped so that pendulum's rules have something to say about some
//! people and nothing about most.
//!
//! The demo, the tests of other crates and the benchmarks all need an org that looks real
//! without being anyone's data. [`generate`] builds one from a [`DemoSpec`]: the same spec and
//! policy give the same records, byte for byte, because all randomness comes from one seeded
//! stream and nothing depends on hash order or the clock.
//!
//! The org is built in three steps: its shape (`org`), a story and a past for every seat
//! (`career`, `checkins`), then names and ids (`names`). The thresholds a story has to cross
//! are read from the policy, so an org generated under a stricter or looser policy still
//! shows each rule at work. A handful of stories are cast first on seats that fit them, so
//! that from [`PEOPLE_FOR_EVERY_RULE`] people on every rule has someone to speak about; the
//! other seats draw theirs by weight.

mod calendar;
mod career;
mod checkins;
mod git;
mod names;
mod org;

use std::cmp::Reverse;

use chrono::{NaiveDate, TimeDelta};
use pendulum_core::{
    Band, CalendarWeek, CheckIn, Email, GitMonth, LedgerParts, Level, Note, Origin, Person,
    PersonId, Policy, Score, Sourced, Stint, Team, TeamId, WillingAnswer,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::calendar::{CalendarThresholds, Pattern};
use crate::career::{Career, Morale, Thresholds};
use crate::git::{GitThresholds, Habit};
use crate::names::Directory;
use crate::org::Org;

/// The size of the demo org when nobody asks for another.
pub const DEFAULT_PEOPLE: usize = 60;

/// The seed of the demo org when nobody asks for another.
pub const DEFAULT_SEED: u64 = 1;

/// The size from which the demo org shows every rule at work: with fewer people there can
/// be too few teams for the managers' stories.
pub const PEOPLE_FOR_EVERY_RULE: usize = 50;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    /// How many people the org has; zero gives an empty ledger.
    pub people: usize,
    pub seed: u64,
    /// The day the org is described as of: histories end here, trials and check-ins are
    /// placed relative to it.
    pub as_of: NaiveDate,
    /// Months of git evidence to write, ending with the month of `as_of`; zero writes no
    /// evidence at all. Otherwise the last twelve full ISO weeks of calendar evidence come
    /// with it. The people, stints and check-ins are the same whatever this is, and the git
    /// evidence the same with or without calendars.
    pub git_months: u32,
}

/// A realistic synthetic org, deterministic for (spec, policy): same input, same output,
/// byte for byte. Every record has the origin `demo`; git evidence covers the last
/// `spec.git_months` months and, when there is any, calendar evidence the last twelve full
/// ISO weeks.
pub fn generate(spec: &DemoSpec, policy: &Policy) -> LedgerParts {
    if spec.people == 0 {
        return LedgerParts::default();
    }
    render(spec, policy, blueprint(spec, policy))
}

/// The org before names and dates: its shape, and every seat's story and past.
struct Blueprint {
    rng: ChaCha8Rng,
    thresholds: Thresholds,
    org: Org,
    /// Each seat's story, which the tests compare with the nudges the seat's person gets.
    #[cfg(test)]
    casts: Vec<career::Cast>,
    careers: Vec<Career>,
    /// Each seat's habit in git, and the stream the git evidence draws from: apart from the
    /// org's, so that the org is the same with or without git evidence.
    habits: Vec<Habit>,
    git_rng: ChaCha8Rng,
    git_thresholds: GitThresholds,
    /// Each seat's pattern in calendars, the weeks to write, and their own stream, for the
    /// same reason.
    patterns: Vec<Pattern>,
    calendar_weeks: u32,
    calendar_rng: ChaCha8Rng,
    calendar_thresholds: CalendarThresholds,
}

fn blueprint(spec: &DemoSpec, policy: &Policy) -> Blueprint {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let thresholds = Thresholds::new(policy);
    let org = Org::plan(spec.people, &mut rng);
    let casts = career::cast(&org, &thresholds, &mut rng);
    let careers: Vec<Career> = org
        .seats
        .iter()
        .zip(&casts)
        .map(|(seat, &cast)| {
            let team = seat.manager.map_or(Morale::Usual, |m| casts[m].team);
            career::live(seat, cast, team, &org, &thresholds, &mut rng)
        })
        .collect();
    let mut git_rng = ChaCha8Rng::seed_from_u64(spec.seed);
    git_rng.set_stream(1);
    let git_thresholds = GitThresholds::new(policy);
    let habits = git::habits(&careers, &git_thresholds, spec.git_months, &mut git_rng);
    let calendar_weeks = if spec.git_months > 0 {
        calendar::WEEKS
    } else {
        0
    };
    let mut calendar_rng = ChaCha8Rng::seed_from_u64(spec.seed);
    calendar_rng.set_stream(2);
    let calendar_thresholds = CalendarThresholds::new(policy);
    let patterns = calendar::patterns(
        &careers,
        calendar_weeks,
        &calendar_thresholds,
        &mut calendar_rng,
    );
    Blueprint {
        rng,
        thresholds,
        org,
        #[cfg(test)]
        casts,
        careers,
        habits,
        git_rng,
        git_thresholds,
        patterns,
        calendar_weeks,
        calendar_rng,
        calendar_thresholds,
    }
}

/// Seats in the order their people joined, earliest first: employee numbers follow it.
fn hiring_order(careers: &[Career]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..careers.len()).collect();
    order.sort_by_key(|&seat| (Reverse(careers[seat].tenure), seat));
    order
}

/// Each seat's person id, `p` and the hiring number zero-padded to the width of the count.
fn person_ids(order: &[usize]) -> Vec<PersonId> {
    let width = order.len().to_string().len();
    let mut ids = vec![None; order.len()];
    for (number, &seat) in order.iter().enumerate() {
        let id = format!("p{:0width$}", number + 1);
        ids[seat] = Some(PersonId::parse(&id).expect("p and digits make a valid id"));
    }
    ids.into_iter()
        .map(|id| id.expect("every seat is in the hiring order"))
        .collect()
}

fn render(spec: &DemoSpec, policy: &Policy, blueprint: Blueprint) -> LedgerParts {
    let Blueprint {
        mut rng,
        thresholds,
        org,
        careers,
        habits,
        mut git_rng,
        git_thresholds,
        patterns,
        calendar_weeks,
        mut calendar_rng,
        calendar_thresholds,
        ..
    } = blueprint;
    let order = hiring_order(&careers);
    let ids = person_ids(&order);
    let levels: Vec<Level> = policy.ladder.levels().collect();
    let origin = Origin::new("demo", 0);
    let day = |ago: i32| spec.as_of - TimeDelta::days(i64::from(ago));

    let team_ids: Vec<TeamId> = org
        .teams
        .iter()
        .map(|t| TeamId::parse(&t.id).expect("team slugs make valid ids"))
        .collect();
    let mut parts = LedgerParts {
        teams: org
            .teams
            .iter()
            .zip(&team_ids)
            .map(|(t, id)| {
                let team = Team {
                    id: id.clone(),
                    name: t.name.clone(),
                    parent: t.parent.map(|p| team_ids[p].clone()),
                };
                Sourced::new(team, origin.clone())
            })
            .collect(),
        ..LedgerParts::default()
    };
    let stint_count = careers.iter().map(|c| c.stints.len()).sum();
    parts.people.reserve(order.len());
    parts.stints.reserve(stint_count);
    parts.checkins.reserve(order.len() * 10);

    let mut directory = Directory::with_capacity(order.len());
    for &seat_index in &order {
        let seat = &org.seats[seat_index];
        let career = &careers[seat_index];
        let id = &ids[seat_index];
        let who = directory.mint(&mut rng);
        let current = career
            .stints
            .last()
            .expect("every career has a current stint");
        debug_assert!(
            career
                .answers
                .last()
                .is_none_or(|a| a.answer == career.willing),
            "the current answer is the last one given"
        );
        let person = Person {
            willing_since: career.answers.last().map(|a| day(a.ago)),
            id: id.clone(),
            name: who.name,
            email: email(&who.email),
            aliases: who.aliases.iter().map(|a| email(a)).collect(),
            level: levels[usize::from(current.rank)].clone(),
            team: Some(team_ids[seat.team].clone()),
            manager: seat.manager.map(|m| ids[m].clone()),
            willing_to_manage: career.willing,
            departure: None,
        };
        parts.people.push(Sourced::new(person, origin.clone()));
        for a in &career.answers {
            let answer = WillingAnswer {
                person: id.clone(),
                date: day(a.ago),
                answer: a.answer,
            };
            parts.answers.push(Sourced::new(answer, origin.clone()));
        }
        for d in &career.stints {
            let stint = Stint {
                band: Some(Band::new(d.band).expect("bands of a ladder of 255 levels fit")),
                person: id.clone(),
                role: d.role,
                team: Some(team_ids[d.team].clone()),
                level: levels[usize::from(d.rank)].clone(),
                start: day(d.start),
                end: d.end.map(day),
                chosen: d.chosen,
                trial_end: d.trial_end.map(day),
                org: None,
            };
            parts.stints.push(Sourced::new(stint, origin.clone()));
        }
        for e in checkins::write(career, &thresholds, &mut rng) {
            let checkin = CheckIn {
                person: id.clone(),
                date: day(e.ago),
                joy: score(e.joy),
                energy: score(e.energy),
                learning: score(e.learning),
                note: e.note.and_then(|n| Note::parse(n).ok().flatten()),
            };
            parts.checkins.push(Sourced::new(checkin, origin.clone()));
        }
        let months = git::write(
            career,
            habits[seat_index],
            &git_thresholds,
            spec.as_of,
            spec.git_months,
            &mut git_rng,
        );
        for m in months {
            let evidence = GitMonth {
                person: id.clone(),
                month: m.month,
                commits: m.commits,
                merges: m.merges,
                coauthored: m.coauthored,
                repositories: m.repositories,
                lines_added: None,
                lines_removed: None,
                partial: false,
            };
            parts.git.push(Sourced::new(evidence, origin.clone()));
        }
        let weeks = calendar::write(
            career,
            patterns[seat_index],
            &calendar_thresholds,
            spec.as_of,
            calendar_weeks,
            &mut calendar_rng,
        );
        for w in weeks {
            let evidence = CalendarWeek {
                person: id.clone(),
                week: w.week,
                meeting_hours: w.meeting,
                focus_hours: w.focus,
                fragmented_hours: w.fragmented,
                after_hours: w.after_hours,
            };
            parts.calendar.push(Sourced::new(evidence, origin.clone()));
        }
    }
    parts
}

fn email(address: &str) -> Email {
    Email::parse(address).expect("minted addresses are name@domain")
}

fn score(value: u8) -> Score {
    Score::new(value).expect("check-in scores are clamped to 1-5")
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use pendulum_core::{Ledger, RuleId, Severity, rules};

    use super::career::Story;
    use super::git::Habit;
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The rules a story must trip, and the ones it may trip besides.
    fn expected(story: Story) -> (&'static [RuleId], &'static [RuleId]) {
        use RuleId as R;
        use Story::*;
        match story {
            Settled | FirstTime | OnTrial | Craftsperson | Growing => (&[], &[]),
            Seasoned | Veteran | Lifer => (&[R::HandsOnDistance], &[]),
            PromotedIn => (&[R::SwingAsPromotion], &[]),
            // Back from managing: within the first months, or named for the bench when they
            // managed happily and would again.
            BookedDown => (
                &[R::SwingAsPromotion],
                &[R::ReturningEngineer, R::SwingAgain],
            ),
            Swinger => (&[], &[R::SwingAgain]),
            Returning => (&[R::ReturningEngineer], &[]),
            Bench => (&[R::SwingAgain], &[]),
            Struggling => (&[R::NewManagerGrace], &[]),
            Unhappy => (&[R::UnhappyManager], &[R::HandsOnDistance]),
            Reluctant => (
                &[R::UnwillingManager],
                &[R::NewManagerGrace, R::UnhappyManager],
            ),
            TrialOverdue => (&[R::TrialOverdue], &[]),
            TrialMidpoint => (&[R::TrialMidpoint], &[]),
            HybridDrifting => (&[R::HybridDrift], &[]),
            // A hybrid with more reports than the policy allows drifts however new it is.
            HybridNew => (&[], &[R::HybridDrift]),
            UntriedLead => (&[R::LeadWithoutManagement], &[]),
            Restless => (&[R::Itch], &[R::LeadWithoutManagement]),
        }
    }

    #[test]
    fn every_story_trips_exactly_the_rules_it_is_written_for() {
        let policy = Policy::default();
        let mut seen = BTreeSet::new();
        for seed in 1..=4 {
            let spec = DemoSpec {
                people: 1000,
                seed,
                as_of: d("2026-06-30"),
                git_months: 48,
            };
            let blueprint = blueprint(&spec, &policy);
            let ids = person_ids(&hiring_order(&blueprint.careers));
            let stories: BTreeMap<PersonId, Story> = ids
                .iter()
                .cloned()
                .zip(blueprint.casts.iter().map(|c| c.story))
                .collect();
            // A team lead whose team is unhappy, and large enough to be read, trips
            // reports-unhappy whatever the story.
            let unhappy_teams: BTreeSet<PersonId> = ids
                .iter()
                .zip(&blueprint.casts)
                .filter(|(_, c)| c.team == Morale::Low)
                .map(|(id, _)| id.clone())
                .collect();
            assert!(!unhappy_teams.is_empty(), "some team is unhappy");
            // A manager who clings to coding trips manager-clinging whatever the story.
            let clinging: BTreeSet<PersonId> = ids
                .iter()
                .zip(&blueprint.habits)
                .filter(|(_, h)| **h == Habit::Clinging)
                .map(|(id, _)| id.clone())
                .collect();
            assert!(!clinging.is_empty(), "someone clings");
            // A maker whose weeks are chopped up trips interrupted-maker whatever the story.
            let interrupted: BTreeSet<PersonId> = ids
                .iter()
                .zip(&blueprint.patterns)
                .filter(|(_, p)| **p == Pattern::Interrupted)
                .map(|(id, _)| id.clone())
                .collect();
            assert!(!interrupted.is_empty(), "someone is interrupted");
            let ledger = Ledger::build(render(&spec, &policy, blueprint)).unwrap();
            let mut fired: BTreeMap<PersonId, BTreeSet<RuleId>> = BTreeMap::new();
            for n in rules::evaluate(&ledger, &policy, spec.as_of) {
                fired.entry(n.person).or_default().insert(n.rule);
            }
            for (id, &story) in &stories {
                seen.insert(format!("{story:?}"));
                let mut got = fired.remove(id).unwrap_or_default();
                if clinging.contains(id) {
                    assert!(
                        got.remove(&RuleId::ManagerClinging),
                        "{id} ({story:?}) clings but does not trip manager-clinging"
                    );
                }
                if unhappy_teams.contains(id) {
                    assert!(
                        got.remove(&RuleId::ReportsUnhappy),
                        "{id} ({story:?}) leads an unhappy team but does not trip reports-unhappy"
                    );
                }
                if interrupted.contains(id) {
                    assert!(
                        got.remove(&RuleId::InterruptedMaker),
                        "{id} ({story:?}) is interrupted but does not trip interrupted-maker"
                    );
                }
                let (must, may) = expected(story);
                for rule in must {
                    assert!(
                        got.contains(rule),
                        "{id} ({story:?}) should trip {rule}, got {got:?}"
                    );
                }
                for rule in &got {
                    assert!(
                        must.contains(rule) || may.contains(rule),
                        "{id} ({story:?}) should not trip {rule}"
                    );
                }
            }
        }
        assert_eq!(seen.len(), 22, "every story is told somewhere: {seen:?}");
    }

    #[test]
    fn hands_on_distance_stories_reach_their_severity() {
        let policy = Policy::default();
        let spec = DemoSpec {
            people: 1000,
            seed: 9,
            as_of: d("2026-06-30"),
            git_months: 48,
        };
        let blueprint = blueprint(&spec, &policy);
        let ids = person_ids(&hiring_order(&blueprint.careers));
        let stories: BTreeMap<PersonId, Story> = ids
            .iter()
            .cloned()
            .zip(blueprint.casts.iter().map(|c| c.story))
            .collect();
        let ledger = Ledger::build(render(&spec, &policy, blueprint)).unwrap();
        for n in rules::evaluate(&ledger, &policy, spec.as_of) {
            if n.rule != RuleId::HandsOnDistance {
                continue;
            }
            // Managers of managers hear about their distance for information only.
            if n.facts.iter().any(|f| f.text.contains("manage others")) {
                assert_eq!(n.severity, Severity::Info);
                continue;
            }
            let reentry = n.suggestion.contains("re-entry plan");
            match stories[&n.person] {
                Story::Seasoned => assert_eq!((n.severity, reentry), (Severity::Warn, false)),
                Story::Veteran => assert_eq!((n.severity, reentry), (Severity::Alert, false)),
                Story::Lifer => assert_eq!((n.severity, reentry), (Severity::Alert, true)),
                _ => {}
            }
        }
    }
}
