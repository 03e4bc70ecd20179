//! The upper bound: subgradient steps on the Lagrangian prices of coverage, tech-lead seats
//! and churn, with the step control and the multipliers they move.

use std::time::Instant;

use super::super::{History, Rotation};
use super::programme::{Prices, TeamSets, best_trajectory};

/// The Lagrangian bound: the smallest value of the relaxed problem over the subgradient
/// iterations, rounded down (the objective is an integer).
pub(super) fn bound(
    rotation: &Rotation,
    sets: &TeamSets,
    iterations: usize,
    from: &Multipliers,
    best_known: Option<i64>,
    group_targets: Option<&[i64]>,
    deadline: Instant,
) -> (i64, Vec<Multipliers>) {
    let people = rotation.people();
    let quarters = rotation.quarters();
    let teams = rotation.teams().len();
    let policy = rotation.policy();
    let change = policy.change_penalty as f64;
    let mut u = from.u.clone();
    let mut w = from.w.clone();
    let mut v = from.v.clone();
    let mut take = vec![vec![0.0f64; teams]; quarters];
    let mut start_cost = vec![change; quarters];
    let start_cap = vec![u32::MAX; quarters];
    let mut off = vec![0.0f64; quarters];
    let mut best = f64::INFINITY;
    let groups = sets.group_teams.len();
    let first_theta = if best_known.is_some() { 0.5 } else { 1.0 };
    // One step control per group, and one for churn (last).
    let mut steps = vec![StepControl::new(first_theta); groups + 1];
    let mut snapshots = Vec::new();
    // Without a plan to aim at, aim at zero: long steps at first, which the halving of
    // theta shortens (measured: better than aiming a few percent below the bound).
    let aim = |_: f64| best_known.map_or(0.0, |b| b as f64);
    let mut best_multipliers = Multipliers {
        u: u.clone(),
        w: w.clone(),
        v: v.clone(),
    };
    for _ in 0..iterations.max(1) {
        let mut value = 0.0;
        let mut group_value = vec![0.0f64; groups];
        let mut covered = vec![vec![0i64; teams]; quarters];
        let mut leads = vec![vec![0i64; teams]; quarters];
        let mut starts = vec![0i64; quarters];
        for q in 0..quarters {
            for t in 0..teams {
                take[q][t] = -u[q][t];
            }
            start_cost[q] = change + v[q];
        }
        for (p, person) in people.iter().enumerate() {
            let excluded = rotation.is_excluded(p);
            for q in 0..quarters {
                off[q] = if excluded {
                    0.0
                } else {
                    (person.joy_tech_lead[q] as f64 - w[q][person.home]).max(0.0)
                };
            }
            let prices = Prices {
                take: &take,
                start_cost: &start_cost,
                start_cap: &start_cap,
                off: &off,
            };
            let Some(trajectory) = best_trajectory(rotation, sets, p, &prices) else {
                // A person with no valid quarters makes the whole instance infeasible.
                let none = Multipliers { u, w, v };
                return (i64::MIN, vec![none]);
            };
            value += trajectory.value;
            let group = sets.position[person.home].0;
            group_value[group] += trajectory.value;
            let mut previous = match &person.history {
                History::Managing { teams, .. } => teams
                    .iter()
                    .filter(|&&t| sets.position[t].0 == group)
                    .fold(0u64, |m, &t| m | (1 << sets.position[t].1)),
                _ => 0,
            };
            for q in 0..quarters {
                let mask = trajectory.masks[q];
                if mask == 0 {
                    if off[q] > 0.0 {
                        leads[q][person.home] += 1;
                    }
                } else {
                    for t in sets.teams_of(group, mask) {
                        covered[q][t] += 1;
                    }
                    starts[q] += i64::from((mask & !previous).count_ones());
                }
                previous = mask;
            }
        }
        // Groups are independent once churn is priced, so each gets its own step: one
        // group's oscillating seats no longer shrink every other group's steps (measured on
        // the 5,000-person instance: a global step stalled at a 1.8 % gap).
        let mut g_u = vec![vec![0.0f64; teams]; quarters];
        let mut g_w = vec![vec![0.0f64; teams]; quarters];
        let mut g_v = vec![0.0f64; quarters];
        let mut sq_group = vec![0.0f64; groups];
        for q in 0..quarters {
            for t in 0..teams {
                let group = sets.position[t].0;
                let mut term = u[q][t] + w[q][t];
                // Team term: u + max over interim h of -(penalty + u) h.
                let interim = match policy.interim_penalty {
                    Some(penalty) if -(penalty as f64) - u[q][t] > 0.0 => {
                        term += -(penalty as f64) - u[q][t];
                        1
                    }
                    _ => 0,
                };
                value += term;
                group_value[group] += term;
                g_u[q][t] = (1 - interim - covered[q][t]) as f64;
                g_w[q][t] = (1 - leads[q][t]) as f64;
                sq_group[group] += g_u[q][t] * g_u[q][t];
                if w[q][t] > 0.0 || g_w[q][t] < 0.0 {
                    sq_group[group] += g_w[q][t] * g_w[q][t];
                }
            }
        }
        let churn = f64::from(policy.churn_max.min(1 << 30));
        let mut sq_churn = 0.0;
        for q in 0..quarters {
            value += v[q] * churn;
            g_v[q] = churn - starts[q] as f64;
            if v[q] > 0.0 || g_v[q] < 0.0 {
                sq_churn += g_v[q] * g_v[q];
            }
        }
        if value < best - 1e-9 {
            best = value;
            best_multipliers = Multipliers {
                u: u.clone(),
                w: w.clone(),
                v: v.clone(),
            };
        }
        for (g, &gv) in group_value.iter().enumerate() {
            steps[g].observe(gv);
        }
        let theta = steps[groups].theta;
        steps[groups].observe(value);
        if steps[groups].theta < theta && snapshots.len() < SNAPSHOTS {
            snapshots.push(Multipliers {
                u: u.clone(),
                w: w.clone(),
                v: v.clone(),
            });
        }
        let finished = steps.iter().all(|s| s.theta < 1e-4)
            || sq_group.iter().all(|&s| s == 0.0) && sq_churn == 0.0;
        if finished || Instant::now() > deadline {
            break;
        }
        let group_steps: Vec<f64> = (0..groups)
            .map(|g| {
                let aim = group_targets.map_or(0.0, |targets| targets[g] as f64);
                if sq_group[g] == 0.0 {
                    0.0
                } else {
                    steps[g].theta * (group_value[g] - aim).max(1.0) / sq_group[g]
                }
            })
            .collect();
        let churn_step = if sq_churn == 0.0 {
            0.0
        } else {
            steps[groups].theta * (value - aim(best)).max(1.0)
                / (sq_churn + sq_group.iter().sum::<f64>())
        };
        for q in 0..quarters {
            for t in 0..teams {
                let step = group_steps[sets.position[t].0];
                u[q][t] -= step * g_u[q][t];
                w[q][t] = (w[q][t] - step * g_w[q][t]).max(0.0);
            }
            v[q] = (v[q] - churn_step * g_v[q]).max(0.0);
        }
    }
    // Sums of up to a few million terms: allow for rounding before taking the floor.
    let mut guides = vec![best_multipliers, Multipliers { u, w, v }];
    guides.extend(snapshots.into_iter().rev());
    ((best + 1e-6 * best.abs().max(1.0)).floor() as i64, guides)
}

/// Prices kept along the way (each time the overall step halves) to guide more plans.
pub(super) const SNAPSHOTS: usize = 8;

/// Subgradient iterations without a better bound before the step is halved.
pub(super) const PATIENCE: usize = 20;

/// Polyak step control: theta halves after [`PATIENCE`] iterations without a lower value.
#[derive(Debug, Clone)]
pub(super) struct StepControl {
    pub(super) theta: f64,
    pub(super) best: f64,
    pub(super) since_better: usize,
}

impl StepControl {
    pub(super) fn new(theta: f64) -> Self {
        StepControl {
            theta,
            best: f64::INFINITY,
            since_better: 0,
        }
    }

    pub(super) fn observe(&mut self, value: f64) {
        if value < self.best - 1e-9 {
            self.best = value;
            self.since_better = 0;
        } else {
            self.since_better += 1;
            if self.since_better >= PATIENCE {
                self.theta /= 2.0;
                self.since_better = 0;
            }
        }
    }
}

/// The prices of the best bound: what covering a team-quarter (`u`), a tech-lead seat (`w`)
/// and a change in a quarter (`v`) are worth. They guide the first plan.
#[derive(Debug, Clone)]
pub(super) struct Multipliers {
    pub(super) u: Vec<Vec<f64>>,
    pub(super) w: Vec<Vec<f64>>,
    pub(super) v: Vec<f64>,
}

impl Multipliers {
    pub(super) fn zero(rotation: &Rotation) -> Self {
        let teams = rotation.teams().len();
        let quarters = rotation.quarters();
        Multipliers {
            u: vec![vec![0.0; teams]; quarters],
            w: vec![vec![0.0; teams]; quarters],
            v: vec![0.0; quarters],
        }
    }
}
