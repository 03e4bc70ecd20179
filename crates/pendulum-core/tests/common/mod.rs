//! A tiny ledger builder for the rule tests: people, then their stints as strings.

#![allow(dead_code)]

use chrono::NaiveDate;
use pendulum_core::ledger::{CheckIn, LedgerParts, Origin, Person, Sourced, Stint, WillingAnswer};
use pendulum_core::rules::{self, Nudge, Voice};
use pendulum_core::{Band, Email, Ladder, Ledger, PersonId, Policy, Score, Willingness};

pub const AS_OF: &str = "2026-06-30";

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

#[derive(Default)]
pub struct Org {
    pub parts: LedgerParts,
    pub policy: Policy,
}

impl Org {
    pub fn person(mut self, who: &str, willing: Willingness, manager: Option<&str>) -> Self {
        let ladder = Ladder::default();
        self.parts.people.push(Sourced::new(
            Person {
                willing_since: None,
                id: id(who),
                name: capitalise(who),
                email: Email::parse(&format!("{who}@example.com")).unwrap(),
                aliases: vec![],
                level: ladder.level("L5").unwrap(),
                team: None,
                manager: manager.map(id),
                willing_to_manage: willing,
                departure: None,
            },
            Origin::new("test", 0),
        ));
        self
    }

    /// Records `answer` on `date` in the person's history, and makes it their current
    /// answer when it is the latest.
    pub fn answer(mut self, who: &str, date: &str, answer: Willingness) -> Self {
        self.parts.answers.push(Sourced::new(
            WillingAnswer {
                person: id(who),
                date: d(date),
                answer,
            },
            Origin::new("test", 0),
        ));
        let p = self
            .parts
            .people
            .iter_mut()
            .find(|p| p.item.id == id(who))
            .unwrap();
        if p.item.willing_since.is_none_or(|s| s <= d(date)) {
            p.item.willing_since = Some(d(date));
            p.item.willing_to_manage = answer;
        }
        self
    }

    /// `spec` is `role level start [end] [unchosen] [trial=DATE] [band=N]`.
    pub fn stint(mut self, who: &str, spec: &str) -> Self {
        let ladder = Ladder::default();
        let words: Vec<&str> = spec.split_whitespace().collect();
        let end = words.get(3).filter(|w| w.starts_with("20")).map(|w| d(w));
        let trial = words.iter().find_map(|w| w.strip_prefix("trial=")).map(d);
        let band = words
            .iter()
            .find_map(|w| w.strip_prefix("band="))
            .map(|b| Band::parse(b).unwrap());
        self.parts.stints.push(Sourced::new(
            Stint {
                band,
                person: id(who),
                role: words[0].parse().unwrap(),
                team: None,
                level: ladder.level(words[1]).unwrap(),
                start: d(words[2]),
                end,
                chosen: !words.contains(&"unchosen"),
                trial_end: trial,
                org: None,
            },
            Origin::new("test", 0),
        ));
        self
    }

    /// Check-ins as `(date, joy, energy, learning)`.
    pub fn checkins(mut self, who: &str, rows: &[(&str, u8, u8, u8)]) -> Self {
        for &(date, joy, energy, learning) in rows {
            self.parts.checkins.push(Sourced::new(
                CheckIn {
                    person: id(who),
                    date: d(date),
                    joy: Score::new(joy).unwrap(),
                    energy: Score::new(energy).unwrap(),
                    learning: Score::new(learning).unwrap(),
                    note: None,
                },
                Origin::new("test", 0),
            ));
        }
        self
    }

    pub fn ledger(&self) -> Ledger {
        Ledger::build(self.parts.clone()).expect("test ledger is valid")
    }

    /// Every nudge as of [`AS_OF`], in the third person.
    pub fn all(&self) -> Vec<Nudge> {
        let nudges = rules::evaluate(&self.ledger(), &self.policy, d(AS_OF));
        for n in &nudges {
            assert!(!n.facts.is_empty(), "{n:?} has no facts");
        }
        nudges
    }

    /// The nudges as `person rule severity` lines.
    pub fn nudges(self) -> Vec<String> {
        self.all()
            .into_iter()
            .map(|n| format!("{} {} {}", n.person, n.rule, n.severity))
            .collect()
    }

    /// The nudges about one person, written to them.
    pub fn to_person(&self, who: &str) -> Vec<Nudge> {
        let ledger = self.ledger();
        let i = ledger.person_index(&id(who)).unwrap();
        rules::evaluate_person_for(&ledger, &self.policy, d(AS_OF), i, Voice::Second)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
