//! The local search: plans improved one person (or one pair, or one group) at a time, each
//! move an exact programme over the person's quarters.

use std::time::Instant;

use super::super::{History, Plan, Role, Rotation};
use super::bound::Multipliers;
use super::programme::{Prices, TeamSets, Trajectory, best_trajectory};
use super::{SolveOptions, UNSTAFFED};

/// The local search's state: every willing person's masks, who covers each team-quarter,
/// and the changes already made in each quarter.
pub(super) struct Search<'a> {
    pub(super) rotation: &'a Rotation,
    pub(super) sets: &'a TeamSets,
    pub(super) masks: Vec<Vec<u64>>,
    pub(super) cover: Vec<Vec<Option<usize>>>,
    pub(super) starts: Vec<u32>,
    /// group -> people who may manage in it.
    pub(super) managers_of: Vec<Vec<usize>>,
    /// team -> quarter -> the members who would lead it (not excluded, joy of leading
    /// above zero), best first (ties: lowest index): the lead is the first not managing.
    pub(super) lead_order: Vec<Vec<Vec<usize>>>,
    /// Each person's mask of teams managed before the horizon, in their group's bits.
    pub(super) initial: Vec<u64>,
    pub(super) valid: Vec<bool>,
    // Scratch for prices.
    pub(super) take: Vec<Vec<f64>>,
    pub(super) start_cost: Vec<f64>,
    pub(super) start_cap: Vec<u32>,
    pub(super) off: Vec<f64>,
}

impl<'a> Search<'a> {
    pub(super) fn new(rotation: &'a Rotation, sets: &'a TeamSets) -> Self {
        let people = rotation.people();
        let quarters = rotation.quarters();
        let teams = rotation.teams().len();
        let mut managers_of = vec![Vec::new(); sets.group_teams.len()];
        let mut members = vec![Vec::new(); teams];
        let mut initial = vec![0u64; people.len()];
        for (p, person) in people.iter().enumerate() {
            members[person.home].push(p);
            let group = sets.position[person.home].0;
            if person.willing && !rotation.is_excluded(p) {
                managers_of[group].push(p);
            }
            if let History::Managing { teams, .. } = &person.history {
                for &t in teams {
                    let (g, bit) = sets.position[t];
                    if g == group {
                        initial[p] |= 1 << bit;
                    }
                }
            }
        }
        let lead_order = members
            .iter()
            .map(|list: &Vec<usize>| {
                (0..quarters)
                    .map(|q| {
                        let mut order: Vec<usize> = list
                            .iter()
                            .copied()
                            .filter(|&p| !rotation.is_excluded(p) && people[p].joy_tech_lead[q] > 0)
                            .collect();
                        order.sort_by_key(|&p| (std::cmp::Reverse(people[p].joy_tech_lead[q]), p));
                        order
                    })
                    .collect()
            })
            .collect();
        let change = rotation.policy().change_penalty as f64;
        Search {
            rotation,
            sets,
            masks: vec![vec![0; quarters]; people.len()],
            cover: vec![vec![None; teams]; quarters],
            starts: vec![0; quarters],
            managers_of,
            lead_order,
            initial,
            valid: vec![false; people.len()],
            take: vec![vec![0.0; teams]; quarters],
            start_cost: vec![change; quarters],
            start_cap: vec![0; quarters],
            off: vec![0.0; quarters],
        }
    }

    pub(super) fn group_of(&self, p: usize) -> usize {
        self.sets.position[self.rotation.people()[p].home].0
    }

    pub(super) fn new_teams(&self, p: usize, q: usize) -> u32 {
        let previous = if q == 0 {
            self.initial[p]
        } else {
            self.masks[p][q - 1]
        };
        (self.masks[p][q] & !previous).count_ones()
    }

    pub(super) fn remove(&mut self, p: usize) {
        let group = self.group_of(p);
        for q in 0..self.rotation.quarters() {
            self.starts[q] -= self.new_teams(p, q);
            let teams: Vec<usize> = self.sets.teams_of(group, self.masks[p][q]).collect();
            for t in teams {
                self.cover[q][t] = None;
            }
        }
        self.masks[p].iter_mut().for_each(|m| *m = 0);
    }

    pub(super) fn insert(&mut self, p: usize, masks: Vec<u64>) {
        let group = self.group_of(p);
        self.masks[p] = masks;
        for q in 0..self.rotation.quarters() {
            self.starts[q] += self.new_teams(p, q);
            let teams: Vec<usize> = self.sets.teams_of(group, self.masks[p][q]).collect();
            for t in teams {
                debug_assert!(self.cover[q][t].is_none());
                self.cover[q][t] = Some(p);
            }
        }
    }

    /// What an uncovered team-quarter costs.
    pub(super) fn uncovered_cost(&self) -> i64 {
        self.rotation.policy().interim_penalty.unwrap_or(UNSTAFFED)
    }

    /// Re-plans person `p` (already removed) given everyone else; `None` if nothing fits.
    pub(super) fn replan(&mut self, p: usize) -> Option<Trajectory> {
        self.replan_at(p, None)
    }

    /// Re-plans person `p` at the true prices, or with uncovered teams, changes and leading
    /// priced as the relaxation's `multipliers` say.
    pub(super) fn replan_at(
        &mut self,
        p: usize,
        multipliers: Option<&Multipliers>,
    ) -> Option<Trajectory> {
        let rotation = self.rotation;
        let people = rotation.people();
        let quarters = rotation.quarters();
        let policy = rotation.policy();
        let person = &people[p];
        let group = self.group_of(p);
        let uncovered = self.uncovered_cost() as f64;
        for q in 0..quarters {
            for &t in &self.sets.group_teams[group] {
                let pinned_elsewhere = rotation
                    .pins()
                    .iter()
                    .any(|pin| pin.team == t && pin.quarter == q && pin.person != p);
                self.take[q][t] = if self.cover[q][t].is_some() || pinned_elsewhere {
                    f64::NEG_INFINITY
                } else if let Some(m) = multipliers {
                    -m.u[q][t]
                } else {
                    uncovered
                };
            }
            self.start_cost[q] = policy.change_penalty as f64 + multipliers.map_or(0.0, |m| m.v[q]);
            self.start_cap[q] = policy.churn_max.saturating_sub(self.starts[q]);
            // Leading pays only what it adds over the best other lead of the home team.
            let other = self.lead_order[person.home][q]
                .iter()
                .find(|&&o| o != p && self.masks[o][q] == 0)
                .map_or(0, |&o| people[o].joy_tech_lead[q]);
            self.off[q] = if rotation.is_excluded(p) {
                0.0
            } else if let Some(m) = multipliers {
                (person.joy_tech_lead[q] as f64 - m.w[q][person.home]).max(0.0)
            } else {
                (person.joy_tech_lead[q] - other).max(0) as f64
            };
        }
        let prices = Prices {
            take: &self.take,
            start_cost: &self.start_cost,
            start_cap: &self.start_cap,
            off: &self.off,
        };
        best_trajectory(rotation, self.sets, p, &prices)
    }

    /// The group's share of the objective, with uncovered team-quarters at their cost.
    pub(super) fn group_value(&self, group: usize) -> i64 {
        let rotation = self.rotation;
        let people = rotation.people();
        let change = rotation.policy().change_penalty;
        let mut total = 0;
        for &p in &self.managers_of[group] {
            // A person whose trajectory breaks the stint rules (none fitted yet) weighs
            // like an unstaffed team, so that moves that fit them in win.
            if !self.valid[p] {
                total -= UNSTAFFED;
            }
            for q in 0..rotation.quarters() {
                let mask = self.masks[p][q];
                if mask != 0 {
                    total += people[p].joy_manager[q];
                    total += self
                        .sets
                        .teams_of(group, mask)
                        .map(|t| rotation.affinity(p, t))
                        .sum::<i64>();
                    total -= change * i64::from(self.new_teams(p, q));
                }
            }
        }
        for &t in &self.sets.group_teams[group] {
            for q in 0..rotation.quarters() {
                if self.cover[q][t].is_none() {
                    total -= self.uncovered_cost();
                }
                total += self.lead(t, q).map_or(0, |p| people[p].joy_tech_lead[q]);
            }
        }
        total
    }

    /// The tech lead of team `t` in quarter `q`: its best-liked member off management.
    pub(super) fn lead(&self, t: usize, q: usize) -> Option<usize> {
        self.lead_order[t][q]
            .iter()
            .copied()
            .find(|&p| self.masks[p][q] == 0)
    }

    /// Rounds of single and pair moves until nothing improves or time runs out.
    pub(super) fn run(
        &mut self,
        options: &SolveOptions,
        multipliers: &Multipliers,
        deadline: Instant,
    ) {
        // First pass: pinned people, then incumbents, then everyone else, each planned once
        // at the bound's prices (what covering a team is worth to the relaxed problem), so
        // the first plan follows the relaxation; then once more at the true prices, so no
        // team is left uncovered that someone could take.
        let mut order: Vec<usize> = self.managers_of.iter().flatten().copied().collect();
        order.sort_by_key(|&p| self.first_pass_rank(p));
        for &p in &order {
            self.remove(p);
            if let Some(trajectory) = self.replan_at(p, Some(multipliers)) {
                self.insert(p, trajectory.masks);
                self.valid[p] = true;
            }
        }
        for &p in &order {
            let group = self.group_of(p);
            self.try_move(group, &[p]);
        }
        for _ in 0..options.max_rounds {
            let mut improved = false;
            for group in 0..self.managers_of.len() {
                if Instant::now() > deadline {
                    return;
                }
                let people = self.managers_of[group].clone();
                for &p in &people {
                    improved |= self.try_move(group, &[p]);
                }
                for &a in &people {
                    for &b in &people {
                        if a != b {
                            improved |= self.try_move(group, &[a, b]);
                        }
                    }
                }
            }
            if !improved {
                return;
            }
        }
    }

    /// For each guide and each group: take the group's people out, plan them again at the
    /// guide's prices, improve the group by single and pair moves at the true prices, and
    /// keep the result only if the group's value rose. Again while some group improves.
    pub(super) fn regroup(&mut self, guides: &[Multipliers], deadline: Instant) {
        while self.regroup_once(guides, deadline) {}
    }

    pub(super) fn regroup_once(&mut self, guides: &[Multipliers], deadline: Instant) -> bool {
        let mut improved_any = false;
        for guide in guides {
            for group in 0..self.managers_of.len() {
                if Instant::now() > deadline {
                    return false;
                }
                let before = self.group_value(group);
                let people = self.managers_of[group].clone();
                let saved: Vec<(Vec<u64>, bool)> = people
                    .iter()
                    .map(|&p| (self.masks[p].clone(), self.valid[p]))
                    .collect();
                for &p in &people {
                    self.remove(p);
                }
                let mut order = people.clone();
                order.sort_by_key(|&p| self.first_pass_rank(p));
                for &p in &order {
                    self.valid[p] = false;
                    if let Some(trajectory) = self.replan_at(p, Some(guide)) {
                        self.insert(p, trajectory.masks);
                        self.valid[p] = true;
                    }
                }
                loop {
                    let mut improved = false;
                    for &p in &people {
                        improved |= self.try_move(group, &[p]);
                    }
                    for &a in &people {
                        for &b in &people {
                            if a != b {
                                improved |= self.try_move(group, &[a, b]);
                            }
                        }
                    }
                    if !improved || Instant::now() > deadline {
                        break;
                    }
                }
                if self.group_value(group) <= before {
                    for &p in &people {
                        self.remove(p);
                    }
                    for (&p, (masks, valid)) in people.iter().zip(saved) {
                        self.insert(p, masks);
                        self.valid[p] = valid;
                    }
                } else {
                    improved_any = true;
                }
            }
        }
        improved_any
    }

    /// The order of first passes: pinned people, then incumbents, then everyone else.
    pub(super) fn first_pass_rank(&self, p: usize) -> (bool, bool, usize) {
        let pinned = self.rotation.pins().iter().any(|pin| pin.person == p);
        let incumbent = matches!(self.rotation.people()[p].history, History::Managing { .. });
        (!pinned, !incumbent, p)
    }

    /// Takes `who` out and re-plans them in order, the last first; keeps the result only if
    /// the group's value rises and everyone found a trajectory.
    pub(super) fn try_move(&mut self, group: usize, who: &[usize]) -> bool {
        let before = self.group_value(group);
        let saved: Vec<Vec<u64>> = who.iter().map(|&p| self.masks[p].clone()).collect();
        let saved_valid: Vec<bool> = who.iter().map(|&p| self.valid[p]).collect();
        for &p in who {
            self.remove(p);
        }
        let mut ok = true;
        for &p in who.iter().rev() {
            match self.replan(p) {
                Some(trajectory) => {
                    self.insert(p, trajectory.masks);
                    self.valid[p] = true;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && self.group_value(group) > before {
            return true;
        }
        for &p in who {
            self.remove(p);
        }
        for (i, &p) in who.iter().enumerate() {
            self.insert(p, saved[i].clone());
            self.valid[p] = saved_valid[i];
        }
        false
    }

    // Teams and quarters index the cover table and the roles at once.
    #[allow(clippy::needless_range_loop)]
    /// The plan, if every team-quarter is staffed (or interims allowed) and every person's
    /// trajectory obeys the rules.
    pub(super) fn plan(&self) -> Option<Plan> {
        let rotation = self.rotation;
        if self.managers_of.iter().flatten().any(|&p| !self.valid[p]) {
            return None;
        }
        // People who may not manage (unwilling or excluded) but whose stint under way has
        // not reached the minimum: no plan can satisfy them.
        let quarters = rotation.quarters();
        let nothing = vec![vec![0.0; rotation.teams().len()]; quarters];
        let zero = vec![0.0; quarters];
        let no_cap = vec![0; quarters];
        let prices = Prices {
            take: &nothing,
            start_cost: &zero,
            start_cap: &no_cap,
            off: &zero,
        };
        let stuck = (0..rotation.people().len()).any(|p| {
            (!rotation.people()[p].willing || rotation.is_excluded(p))
                && best_trajectory(rotation, self.sets, p, &prices).is_none()
        });
        if stuck {
            return None;
        }
        if rotation.policy().interim_penalty.is_none()
            && self.cover.iter().flatten().any(|c| c.is_none())
        {
            return None;
        }
        let mut roles = vec![vec![Role::Engineer; quarters]; rotation.people().len()];
        for (p, row) in roles.iter_mut().enumerate() {
            let group = self.group_of(p);
            for (q, role) in row.iter_mut().enumerate() {
                if self.masks[p][q] != 0 {
                    *role = Role::Manager(self.sets.teams_of(group, self.masks[p][q]).collect());
                }
            }
        }
        for t in 0..rotation.teams().len() {
            for q in 0..quarters {
                if let Some(p) = self.lead(t, q) {
                    roles[p][q] = Role::TechLead;
                }
            }
        }
        // Every team belongs to a group, so the groups' values add up to the objective.
        let objective = (0..self.managers_of.len())
            .map(|g| self.group_value(g))
            .sum::<i64>();
        Some(Plan { roles, objective })
    }
}
