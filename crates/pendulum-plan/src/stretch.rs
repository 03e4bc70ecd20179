//! The stretch assignment in the org's own terms: people's skill levels and a backlog of
//! items, each needing one skill at some difficulty, become a [`transport::Instance`] whose
//! edges are the person-item pairs inside the policy's stretch band; the optimal plan comes
//! back with the facts that explain each assignment.
//!
//! A person is stretched by an item whose difficulty is a little above their level in its
//! skill: the gap `difficulty - level` must lie in the band (by default from -1, a little
//! below, to 3, so far above that it crushes), and growth peaks at the target gap (+1):
//! `growth = round(1000 * (1 - ((gap - target) / spread)^2))`, clipped to 0..=1000, with a
//! spread of 2. That is the model of the planning anchors' `gen_transport.py`.
//!
//! Every plan is checked by [`transport::check`] before it is returned: a plan that breaks
//! a constraint is an error, never an answer.
//!
//! The candidate edges grow with people × items in the band: 8,000 people and 8,000 items
//! of one skill make 64 million. A caller that serves others (the server) passes
//! [`StretchLimits`]: rows per file are counted on the text before it is read, edges are
//! counted without allocating them before the network is built, and the solve gives up
//! at a deadline. The command line passes [`StretchLimits::NONE`] and plans any size.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use pendulum_core::PersonId;

use crate::flow::FlowError;
use crate::transport::{self, Edge, Instance, InstanceError, Violation};

/// Which gaps between an item's difficulty and a person's level count as stretch, and how
/// growth falls off around the target gap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StretchBand {
    lowest: f64,
    highest: f64,
    target: f64,
    spread: f64,
}

/// Why a band is not usable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BandError {
    #[error("stretch band: every bound must be a finite number")]
    NotFinite,
    #[error(
        "stretch band: the target gap {target} must lie between the lowest {lowest} and the highest {highest}"
    )]
    TargetOutside {
        lowest: f64,
        highest: f64,
        target: f64,
    },
    #[error("stretch band: the spread must be above zero, not {0}")]
    Spread(f64),
}

impl Default for StretchBand {
    /// From one level below to three above, best at one above, spread 2.
    fn default() -> Self {
        Self {
            lowest: -1.0,
            highest: 3.0,
            target: 1.0,
            spread: 2.0,
        }
    }
}

impl StretchBand {
    /// The band of the policy's `[stretch]` section.
    pub fn of_policy(stretch: &pendulum_core::policy::Stretch) -> Result<Self, BandError> {
        let s = stretch;
        Self::new(s.lowest_gap, s.highest_gap, s.target_gap, s.spread)
    }

    pub fn new(lowest: f64, highest: f64, target: f64, spread: f64) -> Result<Self, BandError> {
        if ![lowest, highest, target, spread]
            .iter()
            .all(|v| v.is_finite())
        {
            return Err(BandError::NotFinite);
        }
        if !(lowest <= target && target <= highest) {
            return Err(BandError::TargetOutside {
                lowest,
                highest,
                target,
            });
        }
        if spread <= 0.0 {
            return Err(BandError::Spread(spread));
        }
        Ok(Self {
            lowest,
            highest,
            target,
            spread,
        })
    }

    pub fn lowest(&self) -> f64 {
        self.lowest
    }

    pub fn highest(&self) -> f64 {
        self.highest
    }

    pub fn target(&self) -> f64 {
        self.target
    }

    pub fn spread(&self) -> f64 {
        self.spread
    }

    /// The growth of work `gap` levels above a person's level, or `None` outside the band.
    pub fn growth(&self, gap: f64) -> Option<i64> {
        if !(self.lowest <= gap && gap <= self.highest) {
            return None;
        }
        let off = (gap - self.target) / self.spread;
        let growth = (1000.0 * (1.0 - off * off)).round_ties_even();
        Some(growth.clamp(0.0, 1000.0) as i64)
    }
}

/// What one stretch problem may cost its caller; `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StretchLimits {
    /// Data rows in one CSV file (the header and blank lines not counted).
    pub rows_per_file: Option<usize>,
    /// Candidate edges: person-item pairs of the same skill whose gap lies in the band.
    pub candidate_edges: Option<usize>,
    /// How long the solve may take, from the moment it starts.
    pub time_limit: Option<Duration>,
}

impl StretchLimits {
    /// No limit: the command line plans whatever fits in memory.
    pub const NONE: Self = Self {
        rows_per_file: None,
        candidate_edges: None,
        time_limit: None,
    };

    /// Counts the data rows of the CSV text `text` (the file `file`) and refuses it when
    /// they are over the limit, before anything is parsed. Counting stops at the limit.
    pub fn check_rows(&self, file: &str, text: &str) -> Result<(), StretchError> {
        let Some(limit) = self.rows_per_file else {
            return Ok(());
        };
        let rows = text
            .lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .take(limit + 1)
            .count();
        if rows > limit {
            return Err(StretchError::TooManyRows {
                file: file.to_owned(),
                limit,
            });
        }
        Ok(())
    }
}

/// A person's level in one skill, a number on the org's skill scale (0 to 10 in the
/// generated instances).
#[derive(Debug, Clone, PartialEq)]
pub struct SkillLevel {
    pub person: PersonId,
    pub skill: String,
    pub level: f64,
}

/// A backlog item: the one skill it needs, its difficulty on the same scale as levels, and
/// its size in units of capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct BacklogItem {
    pub item: String,
    pub skill: String,
    pub difficulty: f64,
    pub size: u32,
}

/// How much work each person can take, in units of item size: a default for everyone and
/// overrides per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    default: u32,
    overrides: BTreeMap<PersonId, u32>,
}

impl Capacity {
    /// The same capacity for everyone.
    pub fn uniform(units: u32) -> Self {
        Self {
            default: units,
            overrides: BTreeMap::new(),
        }
    }

    /// The same capacity, except `person`'s.
    pub fn with(mut self, person: PersonId, units: u32) -> Self {
        self.overrides.insert(person, units);
        self
    }

    pub fn of(&self, person: &PersonId) -> u32 {
        self.overrides.get(person).copied().unwrap_or(self.default)
    }
}

/// Why skills and a backlog do not make a stretch problem, or why it has no plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StretchError {
    #[error("person {person} has two levels in skill {skill:?}")]
    DuplicateLevel { person: PersonId, skill: String },
    #[error("backlog item {0:?} appears twice")]
    DuplicateItem(String),
    #[error("person {person}: level {level} in skill {skill:?} is not a finite number")]
    Level {
        person: PersonId,
        skill: String,
        level: f64,
    },
    #[error("backlog item {item:?}: difficulty {difficulty} is not a finite number")]
    Difficulty { item: String, difficulty: f64 },
    #[error("backlog item {0:?} has size 0; sizes are whole units of capacity, 1 or more")]
    ZeroSize(String),
    #[error(
        "backlog items have different sizes ({first} and {second}); with capacity in size units that is a generalised assignment problem, which a flow cannot solve exactly: split large items into items of one size"
    )]
    MixedSizes { first: u32, second: u32 },
    #[error(transparent)]
    Instance(#[from] InstanceError),
    #[error(transparent)]
    Flow(#[from] FlowError),
    #[error("the solver's plan breaks {} constraint(s), first: {}", .0.len(), .0[0])]
    Rejected(Vec<Violation>),
    #[error(
        "{file}: more than {limit} rows, above the limit of {limit} rows per file: split the file"
    )]
    TooManyRows { file: String, limit: usize },
    #[error(
        "more than {limit} person-item pairs fall in the stretch band, above the limit of {limit} candidate pairs: split the backlog or the people"
    )]
    TooManyCandidates { limit: usize },
    #[error(
        "no plan was found within the time limit of {} s: split the backlog or the people", .limit.as_secs_f64()
    )]
    OutOfTime { limit: Duration },
}

/// How many candidate edges `backlog` makes with the levels of `by_skill`, counting up to
/// just past `stop`. The levels of each skill are sorted once, so each item's band is two
/// binary searches instead of a pass over everyone with the skill; the searches use the
/// very test [`StretchBand::growth`] makes, so the count is exact.
fn count_candidates(
    by_skill: &HashMap<&str, Vec<(u32, f64)>>,
    backlog: &[BacklogItem],
    band: &StretchBand,
    stop: usize,
) -> usize {
    let sorted: HashMap<&str, Vec<f64>> = by_skill
        .iter()
        .map(|(skill, levels)| {
            let mut levels: Vec<f64> = levels.iter().map(|&(_, level)| level).collect();
            levels.sort_by(f64::total_cmp);
            (*skill, levels)
        })
        .collect();
    let mut count = 0usize;
    for item in backlog {
        let Some(levels) = sorted.get(item.skill.as_str()) else {
            continue;
        };
        // The gap falls as the level rises: levels too high to stretch come last, levels
        // too low (a gap above the band) first.
        let first = levels.partition_point(|&level| item.difficulty - level > band.highest);
        let end = levels.partition_point(|&level| item.difficulty - level >= band.lowest);
        count += end.saturating_sub(first);
        if count > stop {
            break;
        }
    }
    count
}

/// One assignment and why: the person's level in the item's skill, the item's difficulty,
/// the gap between them and the growth the band gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct StretchAssignment {
    pub person: PersonId,
    pub item: String,
    pub skill: String,
    pub level: f64,
    pub difficulty: f64,
    pub gap: f64,
    pub growth: i64,
}

/// The optimal plan: assignments in backlog order, the items nobody in the band can take
/// (or that capacity left over), and the total growth.
#[derive(Debug, Clone, PartialEq)]
pub struct StretchPlan {
    pub assignments: Vec<StretchAssignment>,
    pub unassigned: Vec<String>,
    pub total_growth: i64,
}

/// Skills and backlog turned into an assignment instance, remembering which person and item
/// each index is and the facts behind each edge.
#[derive(Debug, Clone)]
pub struct StretchProblem {
    people: Vec<PersonId>,
    items: Vec<BacklogItem>,
    /// Per edge of the instance: the person's level.
    levels: Vec<f64>,
    instance: Instance,
}

impl StretchProblem {
    /// Builds the candidate edges: every person with a level in an item's skill whose gap
    /// lies in the band. People are those with at least one level; capacity in items is
    /// the person's capacity divided by the (common) item size.
    pub fn build(
        skills: &[SkillLevel],
        backlog: &[BacklogItem],
        capacity: &Capacity,
        band: &StretchBand,
    ) -> Result<Self, StretchError> {
        Self::build_within(skills, backlog, capacity, band, &StretchLimits::NONE)
    }

    /// As [`StretchProblem::build`], refusing with [`StretchError::TooManyCandidates`] a
    /// problem with more candidate edges than `limits` allow, counted before any is made.
    pub fn build_within(
        skills: &[SkillLevel],
        backlog: &[BacklogItem],
        capacity: &Capacity,
        band: &StretchBand,
        limits: &StretchLimits,
    ) -> Result<Self, StretchError> {
        let mut people: Vec<PersonId> = skills.iter().map(|s| s.person.clone()).collect();
        people.sort();
        people.dedup();
        let index: HashMap<&PersonId, u32> = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p, i as u32))
            .collect();
        // Per skill, the people who have it and their level.
        let mut by_skill: HashMap<&str, Vec<(u32, f64)>> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for row in skills {
            if !row.level.is_finite() {
                return Err(StretchError::Level {
                    person: row.person.clone(),
                    skill: row.skill.clone(),
                    level: row.level,
                });
            }
            if !seen.insert((&row.person, row.skill.as_str())) {
                return Err(StretchError::DuplicateLevel {
                    person: row.person.clone(),
                    skill: row.skill.clone(),
                });
            }
            by_skill
                .entry(row.skill.as_str())
                .or_default()
                .push((index[&row.person], row.level));
        }
        let mut items_seen = std::collections::HashSet::new();
        let mut size = None;
        for item in backlog {
            if !items_seen.insert(item.item.as_str()) {
                return Err(StretchError::DuplicateItem(item.item.clone()));
            }
            if !item.difficulty.is_finite() {
                return Err(StretchError::Difficulty {
                    item: item.item.clone(),
                    difficulty: item.difficulty,
                });
            }
            if item.size == 0 {
                return Err(StretchError::ZeroSize(item.item.clone()));
            }
            match size {
                None => size = Some(item.size),
                Some(first) if first != item.size => {
                    return Err(StretchError::MixedSizes {
                        first,
                        second: item.size,
                    });
                }
                Some(_) => {}
            }
        }
        if let Some(limit) = limits.candidate_edges
            && count_candidates(&by_skill, backlog, band, limit) > limit
        {
            return Err(StretchError::TooManyCandidates { limit });
        }
        let size = size.unwrap_or(1);
        let capacities = people
            .iter()
            .map(|p| i64::from(capacity.of(p) / size))
            .collect();
        let mut edges = Vec::new();
        let mut levels = Vec::new();
        for (item_index, item) in backlog.iter().enumerate() {
            for &(person, level) in by_skill.get(item.skill.as_str()).into_iter().flatten() {
                if let Some(growth) = band.growth(item.difficulty - level) {
                    edges.push(Edge {
                        person,
                        item: item_index as u32,
                        growth,
                    });
                    levels.push(level);
                }
            }
        }
        let instance = Instance::new(capacities, backlog.len(), edges)?;
        Ok(Self {
            people,
            items: backlog.to_vec(),
            levels,
            instance,
        })
    }

    /// The assignment instance, for the solver, the checker or a file.
    pub fn instance(&self) -> &Instance {
        &self.instance
    }

    /// The people, in the order of the instance's person indexes.
    pub fn people(&self) -> &[PersonId] {
        &self.people
    }

    /// Solves, checks the plan independently of the solver, and explains it.
    pub fn solve(&self) -> Result<StretchPlan, StretchError> {
        self.solve_within(&StretchLimits::NONE)
    }

    /// As [`StretchProblem::solve`], giving up with [`StretchError::OutOfTime`] once the
    /// time limit of `limits` has passed.
    pub fn solve_within(&self, limits: &StretchLimits) -> Result<StretchPlan, StretchError> {
        let deadline = limits.time_limit.map(|limit| Instant::now() + limit);
        let plan =
            self.instance
                .solve_until(deadline)
                .map_err(|e| match (e, limits.time_limit) {
                    (FlowError::OutOfTime, Some(limit)) => StretchError::OutOfTime { limit },
                    (other, _) => StretchError::Flow(other),
                })?;
        let objective = transport::check(&self.instance, &plan).map_err(StretchError::Rejected)?;
        let level = self.levels_by_edge();
        let assignments = plan
            .assignments
            .iter()
            .map(|a| {
                let item = &self.items[a.item as usize];
                let level = level[&(a.person, a.item)];
                StretchAssignment {
                    person: self.people[a.person as usize].clone(),
                    item: item.item.clone(),
                    skill: item.skill.clone(),
                    level,
                    difficulty: item.difficulty,
                    gap: item.difficulty - level,
                    growth: a.growth,
                }
            })
            .collect();
        let unassigned = self
            .unassigned(plan.assignments.iter().map(|a| a.item))
            .into_iter()
            .map(str::to_owned)
            .collect();
        Ok(StretchPlan {
            assignments,
            unassigned,
            total_growth: objective.total_growth,
        })
    }

    /// Checks a plan written earlier (by [`StretchProblem::solve`] or by hand) against this
    /// problem, independently of the solver: every constraint through [`transport::check`],
    /// then every fact an assignment states (level, difficulty, gap, growth), the list of
    /// unassigned items and the total. Returns the recomputed total growth, or every
    /// problem found.
    pub fn check(&self, plan: &StretchPlan) -> Result<i64, Vec<String>> {
        let person: HashMap<&PersonId, u32> = self
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p, i as u32))
            .collect();
        let item: HashMap<&str, u32> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.item.as_str(), i as u32))
            .collect();
        let level = self.levels_by_edge();
        let mut problems = Vec::new();
        let mut assignments = Vec::with_capacity(plan.assignments.len());
        for a in &plan.assignments {
            let (Some(&p), Some(&i)) = (person.get(&a.person), item.get(a.item.as_str())) else {
                problems.push(format!(
                    "{} -> {}: no such person or backlog item in the problem",
                    a.person, a.item
                ));
                continue;
            };
            assignments.push(transport::Assignment {
                person: p,
                item: i,
                growth: a.growth,
            });
            let backlog = &self.items[i as usize];
            let Some(&l) = level.get(&(p, i)) else {
                // transport::check reports the missing candidate edge.
                continue;
            };
            let facts = [
                ("skill", a.skill == backlog.skill),
                ("level", a.level == l),
                ("difficulty", a.difficulty == backlog.difficulty),
                ("gap", a.gap == backlog.difficulty - l),
            ];
            for (fact, holds) in facts {
                if !holds {
                    problems.push(format!(
                        "{} -> {}: the {fact} stated does not match the skills and backlog",
                        a.person, a.item
                    ));
                }
            }
        }
        let mut stated: Vec<&str> = plan.unassigned.iter().map(String::as_str).collect();
        let mut expected = self.unassigned(assignments.iter().map(|a| a.item));
        stated.sort_unstable();
        expected.sort_unstable();
        if stated != expected {
            problems.push(
                "the unassigned items stated are not the backlog items the plan leaves out".into(),
            );
        }
        assignments.sort_by_key(|a| a.item);
        let transport_plan = transport::Plan {
            assignments,
            total_growth: plan.total_growth,
        };
        match transport::check(&self.instance, &transport_plan) {
            Ok(objective) if problems.is_empty() => Ok(objective.total_growth),
            Ok(_) => Err(problems),
            Err(violations) => {
                problems.extend(violations.iter().map(|v| self.explain(v)));
                Err(problems)
            }
        }
    }

    /// The backlog items, in backlog order, that none of `assigned` (item indexes) takes.
    fn unassigned(&self, assigned: impl IntoIterator<Item = u32>) -> Vec<&str> {
        let mut taken = vec![false; self.items.len()];
        for item in assigned {
            if let Some(t) = taken.get_mut(item as usize) {
                *t = true;
            }
        }
        self.items
            .iter()
            .zip(&taken)
            .filter(|(_, taken)| !**taken)
            .map(|(item, _)| item.item.as_str())
            .collect()
    }

    /// The person's level behind each candidate edge, by (person, item).
    fn levels_by_edge(&self) -> HashMap<(u32, u32), f64> {
        self.instance
            .edges()
            .iter()
            .zip(&self.levels)
            .map(|(e, &l)| ((e.person, e.item), l))
            .collect()
    }

    /// A violation in the problem's own names rather than indexes.
    fn explain(&self, violation: &Violation) -> String {
        let person = |i: &u32| {
            self.people
                .get(*i as usize)
                .map_or_else(|| format!("#{i}"), ToString::to_string)
        };
        let item = |i: &u32| {
            self.items
                .get(*i as usize)
                .map_or_else(|| format!("#{i}"), |it| it.item.clone())
        };
        match violation {
            Violation::NotACandidate { person: p, item: i } => format!(
                "{} -> {}: the gap is outside the stretch band, or the person has no level in the skill",
                person(p),
                item(i)
            ),
            Violation::GrowthMismatch {
                person: p,
                item: i,
                claimed,
                actual,
            } => format!(
                "{} -> {}: growth {claimed} stated; the band gives {actual}",
                person(p),
                item(i)
            ),
            Violation::ItemAssignedTwice { item: i, times } => {
                format!(
                    "{} is assigned {times} times; at most once is allowed",
                    item(i)
                )
            }
            Violation::OverCapacity {
                person: p,
                assigned,
                capacity,
            } => format!(
                "{} has {assigned} items; their capacity is {capacity}",
                person(p)
            ),
            other => other.to_string(),
        }
    }
}
