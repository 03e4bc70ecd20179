//! The checks behind [`Ledger::build`](super::Ledger::build): unique ids and emails, known
//! references, reporting lines and teams without loops, stints that never overlap, at most
//! one record per person and period, no NUL in any text. Each problem names where its record
//! came from.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use super::{LedgerParts, Origin, Person, Problem, Reference, Sourced, Stint, Team};
use crate::ids::{Email, PersonId, TeamId};
use crate::text::without_nul;

pub(super) fn unknown_person(origin: &Origin, field: &str, id: &PersonId) -> Problem {
    Problem::unresolved(
        origin,
        field,
        Reference::Person(id.clone()),
        format!("no person has the id {:?}", id.as_str()),
    )
}

pub(super) fn unknown_team(origin: &Origin, field: &str, id: &TeamId) -> Problem {
    Problem::unresolved(
        origin,
        field,
        Reference::Team(id.clone()),
        format!("no team has the id {:?}", id.as_str()),
    )
}

/// Of two records that clash, the one to blame (the newcomer rather than what was stored)
/// and the other one.
pub(super) fn clash<'a>(first: &'a Origin, second: &'a Origin) -> (&'a Origin, &'a Origin) {
    if second.is_database() {
        (first, second)
    } else {
        (second, first)
    }
}

/// Where the other record of a clash is: "already in the database" or "also at FILE:LINE".
pub(super) fn describe(o: &Origin) -> String {
    if o.is_database() {
        "already in the database".to_owned()
    } else {
        format!("also at {o}")
    }
}

/// Sorts records by id and drops the later of two with one id, reporting it.
pub(super) fn sort_unique<T>(
    records: &mut Vec<Sourced<T>>,
    kind: &str,
    id: impl Fn(&T) -> &str,
    problems: &mut Vec<Problem>,
) {
    records.sort_by(|a, b| id(&a.item).cmp(id(&b.item)));
    records.dedup_by(|later, kept| {
        let same = id(&later.item) == id(&kept.item);
        if same {
            let (at, also) = clash(&kept.origin, &later.origin);
            problems.push(Problem::new(
                at,
                "id",
                format!(
                    "{kind} {:?} is defined twice ({})",
                    id(&kept.item),
                    describe(also)
                ),
            ));
        }
        same
    });
}

/// Reports every free text of `parts` that holds a NUL character: the parsers refuse one
/// first, with their own words, and this keeps any text that came another way (a new person
/// at the command line, a stored ledger) out of the store just as surely.
pub(super) fn check_texts(parts: &LedgerParts, problems: &mut Vec<Problem>) {
    let mut check = |origin: &Origin, field: &str, text: &str| {
        if let Err(e) = without_nul(text) {
            problems.push(Problem::new(origin, field, e.to_string()));
        }
    };
    for t in &parts.teams {
        check(&t.origin, "name", &t.item.name);
    }
    for p in &parts.people {
        check(&p.origin, "name", &p.item.name);
        if let Some(reason) = p.item.departure.as_ref().and_then(|d| d.reason.as_deref()) {
            check(&p.origin, "leave_reason", reason);
        }
    }
    for s in &parts.stints {
        if let Some(org) = &s.item.org {
            check(&s.origin, "org", org);
        }
    }
}

pub(super) fn check_teams(
    mut teams: Vec<Sourced<Team>>,
    problems: &mut Vec<Problem>,
) -> Vec<Sourced<Team>> {
    sort_unique(&mut teams, "team", |x| x.id.as_str(), problems);
    let position = |id: &TeamId| teams.binary_search_by(|t| t.item.id.cmp(id)).ok();
    for t in &teams {
        let Some(parent) = &t.item.parent else {
            continue;
        };
        if position(parent).is_none() {
            problems.push(unknown_team(&t.origin, "parent", parent));
            continue;
        }
        // Walk up; a chain longer than the number of teams must loop.
        let mut at = Some(parent.clone());
        for _ in 0..=teams.len() {
            match at {
                Some(ref id) if *id == t.item.id => {
                    problems.push(Problem::new(
                        &t.origin,
                        "parent",
                        format!("team {:?} would contain itself", id.as_str()),
                    ));
                    break;
                }
                Some(ref id) => at = position(id).and_then(|i| teams[i].item.parent.clone()),
                None => break,
            }
        }
    }
    teams
}

pub(super) fn check_people(
    mut people: Vec<Sourced<Person>>,
    teams: &HashSet<&TeamId>,
    problems: &mut Vec<Problem>,
) -> Vec<Sourced<Person>> {
    sort_unique(&mut people, "person", |x| x.id.as_str(), problems);
    let mut owner: HashMap<&Email, usize> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let fields = std::iter::once(("email", &p.item.email))
            .chain(p.item.aliases.iter().map(|a| ("aliases", a)));
        for (field, email) in fields {
            match owner.get(email) {
                Some(&j) if j == i => problems.push(Problem::new(
                    &p.origin,
                    field,
                    format!("{email} is listed twice for this person"),
                )),
                Some(&j) => {
                    let o = &people[j];
                    let (at, also) = clash(&o.origin, &p.origin);
                    problems.push(Problem::new(
                        at,
                        field,
                        format!(
                            "{email} is used by both {} and {} ({})",
                            o.item.id,
                            p.item.id,
                            describe(also)
                        ),
                    ));
                }
                None => {
                    owner.insert(email, i);
                }
            }
        }
    }
    let position = |id: &PersonId| people.binary_search_by(|p| p.item.id.cmp(id)).ok();
    for p in &people {
        if let Some(team) = &p.item.team
            && !teams.contains(team)
        {
            problems.push(unknown_team(&p.origin, "team", team));
        }
        let Some(manager) = &p.item.manager else {
            continue;
        };
        if *manager == p.item.id {
            problems.push(Problem::new(
                &p.origin,
                "manager",
                "a person cannot be their own manager",
            ));
            continue;
        }
        if position(manager).is_none() {
            problems.push(unknown_person(&p.origin, "manager", manager));
        }
    }
    // Reporting lines must end at someone without a manager. Colour each person once:
    // 0 = unseen, 1 = on the current path, 2 = known to end well.
    let mut colour = vec![0u8; people.len()];
    for start in 0..people.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            match colour[i] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&j| j == i).unwrap_or(0);
                    let names: Vec<&str> = path[from..]
                        .iter()
                        .chain([&i])
                        .map(|&j| people[j].item.id.as_str())
                        .collect();
                    problems.push(Problem::new(
                        &people[i].origin,
                        "manager",
                        format!("the reporting line loops: {}", names.join(" -> ")),
                    ));
                    break;
                }
                _ => {
                    colour[i] = 1;
                    path.push(i);
                    at = people[i].item.manager.as_ref().and_then(position);
                }
            }
        }
        for j in path {
            colour[j] = 2;
        }
    }
    people
}

pub(super) fn check_stints(
    stints: Vec<Sourced<Stint>>,
    index: &HashMap<PersonId, usize>,
    teams: &HashSet<&TeamId>,
    problems: &mut Vec<Problem>,
) -> Vec<Stint> {
    let mut known = Vec::with_capacity(stints.len());
    for s in stints {
        let st = &s.item;
        let Some(&i) = index.get(&st.person) else {
            problems.push(unknown_person(&s.origin, "person", &st.person));
            continue;
        };
        if let Some(team) = &st.team
            && !teams.contains(team)
        {
            problems.push(unknown_team(&s.origin, "team", team));
        }
        if let Some(end) = st.end
            && end <= st.start
        {
            problems.push(Problem::new(
                &s.origin,
                "end",
                format!(
                    "the stint ends on {end}, not after it starts on {}",
                    st.start
                ),
            ));
            continue;
        }
        if let Some(t) = st.trial_end
            && t <= st.start
        {
            problems.push(Problem::new(
                &s.origin,
                "trial_end",
                format!(
                    "the trial ends on {t}, not after the stint starts on {}",
                    st.start
                ),
            ));
        }
        known.push((i, s));
    }
    known.sort_by(|(i, a), (j, b)| i.cmp(j).then(a.item.start.cmp(&b.item.start)));
    for pair in known.windows(2) {
        let ((i, a), (j, b)) = (&pair[0], &pair[1]);
        if i == j && a.item.end.is_none_or(|end| b.item.start < end) {
            let until = a
                .item
                .end
                .map_or("open-ended".to_owned(), |e| format!("until {e}"));
            let (at, also) = clash(&a.origin, &b.origin);
            let field = if std::ptr::eq(at, &a.origin) {
                "end"
            } else {
                "start"
            };
            problems.push(Problem::new(
                at,
                field,
                format!(
                    "{}'s stints overlap: {} from {} ({until}) and {} from {} ({})",
                    a.item.person,
                    a.item.role,
                    a.item.start,
                    b.item.role,
                    b.item.start,
                    describe(also),
                ),
            ));
        }
    }
    known.into_iter().map(|(_, s)| s.item).collect()
}

/// Drops the records whose person and key `replaced` lists, and tells whether each listed
/// one was there.
pub(super) fn drop_replaced<T, K: Copy + Eq + std::hash::Hash>(
    records: &mut Vec<Sourced<T>>,
    replaced: &[(PersonId, K)],
    key: impl Fn(&T) -> (&PersonId, K),
) -> bool {
    if replaced.is_empty() {
        return true;
    }
    let replaced: HashSet<(&PersonId, K)> = replaced.iter().map(|(p, k)| (p, *k)).collect();
    let before = records.len();
    records.retain(|r| !replaced.contains(&key(&r.item)));
    before - records.len() == replaced.len()
}

/// Records of which a person has at most one per key: the field a clash is reported on,
/// and how the message names the record ("a check-in on", "evidence for").
pub(super) struct Unique<'a> {
    field: &'a str,
    what: &'a str,
}

impl<'a> Unique<'a> {
    pub(super) fn new(field: &'a str, what: &'a str) -> Self {
        Self { field, what }
    }
}

/// Checks that each record names a known person and, when `unique` names the period field,
/// that no person has two records for one period. Returns the records sorted by person
/// (in id order) and key, stable otherwise.
pub(super) fn keyed<T, K: Ord + Copy + fmt::Display>(
    records: Vec<Sourced<T>>,
    index: &HashMap<PersonId, usize>,
    key: impl Fn(&T) -> (&PersonId, K),
    problems: &mut Vec<Problem>,
    unique: Unique<'_>,
) -> Vec<T> {
    let mut known: Vec<(usize, K, Sourced<T>)> = Vec::with_capacity(records.len());
    for r in records {
        let (person, k) = key(&r.item);
        match index.get(person) {
            Some(&i) => known.push((i, k, r)),
            None => problems.push(unknown_person(&r.origin, "person", person)),
        }
    }
    known.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    for pair in known.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.0 == b.0 && a.1.cmp(&b.1) == Ordering::Equal {
            let (at, also) = clash(&a.2.origin, &b.2.origin);
            problems.push(Problem::new(
                at,
                unique.field,
                format!(
                    "{} already has {} {} ({})",
                    key(&a.2.item).0,
                    unique.what,
                    a.1,
                    describe(also)
                ),
            ));
        }
    }
    known.into_iter().map(|(_, _, r)| r.item).collect()
}

/// For records sorted by person index, the range each person's records occupy.
pub(super) fn ranges<T>(
    people: usize,
    records: &[T],
    person: impl Fn(&T) -> usize,
) -> Vec<Range<usize>> {
    let mut out = vec![0..0; people];
    let mut start = 0;
    while start < records.len() {
        let i = person(&records[start]);
        let mut end = start + 1;
        while end < records.len() && person(&records[end]) == i {
            end += 1;
        }
        out[i] = start..end;
        start = end;
    }
    out
}
