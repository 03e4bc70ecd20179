//! The independent checker: every constraint of the rotation model, verified on a plan
//! straight from the definitions, and the objective recomputed from the preferences.
//!
//! It shares no code with the solver on purpose (not even the stint automaton): a solver
//! bug then shows up as a disagreement instead of being repeated here. It returns every
//! violation it finds, not just the first, so a broken plan can be explained in one go.

use super::{History, Pin, Plan, Role, Rotation};

/// The recomputed value of a valid plan, and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    pub objective: i64,
    pub manager_joy: i64,
    pub tech_lead_joy: i64,
    pub affinity: i64,
    /// Team-quarters whose manager did not manage the team the quarter before.
    pub changes: u64,
    /// Team-quarters staffed by an interim.
    pub interims: u64,
}

/// One broken constraint, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("the plan has {found} {what}; the instance has {expected}")]
    Shape {
        what: &'static str,
        found: usize,
        expected: usize,
    },
    #[error("person {person} manages in quarter {quarter} but is not willing to")]
    NotWilling { person: usize, quarter: usize },
    #[error("person {person} manages in quarter {quarter}, before the first quarter they may")]
    TooEarly { person: usize, quarter: usize },
    #[error("person {person} is excluded but has a role in quarter {quarter}")]
    Excluded { person: usize, quarter: usize },
    #[error("person {person} manages team {team} in quarter {quarter}, which does not exist")]
    UnknownTeam {
        person: usize,
        team: usize,
        quarter: usize,
    },
    #[error("person {person} lists team {team} out of order or twice in quarter {quarter}")]
    UnorderedTeams {
        person: usize,
        team: usize,
        quarter: usize,
    },
    #[error("person {person} manages team {team} of another group in quarter {quarter}")]
    OutsideGroup {
        person: usize,
        team: usize,
        quarter: usize,
    },
    #[error("person {person} has {reports} reports in quarter {quarter}, outside the span")]
    Span {
        person: usize,
        quarter: usize,
        reports: u64,
    },
    #[error("team {team} has no manager in quarter {quarter} and interims are not allowed")]
    Unstaffed { team: usize, quarter: usize },
    #[error("team {team} has {managers} managers in quarter {quarter}")]
    Overstaffed {
        team: usize,
        quarter: usize,
        managers: usize,
    },
    #[error("team {team} has {leads} tech leads in quarter {quarter}")]
    TechLeads {
        team: usize,
        quarter: usize,
        leads: usize,
    },
    #[error(
        "person {person} stops managing in quarter {quarter} after {lasted} quarters, short of the minimum stint"
    )]
    MinStint {
        person: usize,
        quarter: usize,
        lasted: u32,
    },
    #[error(
        "person {person}'s stint reaches {length} quarters in quarter {quarter}, beyond the maximum"
    )]
    MaxStint {
        person: usize,
        quarter: usize,
        length: u32,
    },
    #[error(
        "person {person} manages in quarter {quarter} after the window of their stint under way closed"
    )]
    IncumbentWindow { person: usize, quarter: usize },
    #[error(
        "person {person} manages again in quarter {quarter} after only {off} quarters of cool-down"
    )]
    CoolDown {
        person: usize,
        quarter: usize,
        off: u32,
    },
    #[error("{changes} teams change manager in quarter {quarter}, more than the churn limit")]
    Churn { quarter: usize, changes: u64 },
    #[error("pin {}:{}:{} is not in the plan", .pin.person, .pin.team, .pin.quarter)]
    PinBroken { pin: Pin },
    #[error("the plan claims objective {claimed}; its roles are worth {actual}")]
    Objective { claimed: i64, actual: i64 },
}

/// Verifies `plan` against `rotation`: its score, or every violation.
pub fn check(rotation: &Rotation, plan: &Plan) -> Result<Score, Vec<Violation>> {
    let people = rotation.people();
    let teams = rotation.teams();
    let quarters = rotation.quarters();
    let policy = rotation.policy();
    let mut violations = Vec::new();

    if plan.roles.len() != people.len() {
        return Err(vec![Violation::Shape {
            what: "people",
            found: plan.roles.len(),
            expected: people.len(),
        }]);
    }
    if let Some(row) = plan.roles.iter().find(|row| row.len() != quarters) {
        return Err(vec![Violation::Shape {
            what: "quarters for a person",
            found: row.len(),
            expected: quarters,
        }]);
    }

    let mut score = Score::default();
    // managers[q][t]: who manages team t in quarter q; leads likewise.
    let mut managers = vec![vec![Vec::new(); teams.len()]; quarters];
    let mut leads = vec![vec![0usize; teams.len()]; quarters];

    for (p, person) in people.iter().enumerate() {
        for (q, role) in plan.roles[p].iter().enumerate() {
            match role {
                Role::Engineer => {}
                Role::TechLead => {
                    if rotation.is_excluded(p) {
                        violations.push(Violation::Excluded {
                            person: p,
                            quarter: q,
                        });
                    }
                    leads[q][person.home] += 1;
                    score.tech_lead_joy += person.joy_tech_lead[q];
                }
                Role::Manager(managed) => {
                    if !person.willing {
                        violations.push(Violation::NotWilling {
                            person: p,
                            quarter: q,
                        });
                    }
                    if q < person.manage_from {
                        violations.push(Violation::TooEarly {
                            person: p,
                            quarter: q,
                        });
                    }
                    if rotation.is_excluded(p) {
                        violations.push(Violation::Excluded {
                            person: p,
                            quarter: q,
                        });
                    }
                    score.manager_joy += person.joy_manager[q];
                    let mut reports = 0u64;
                    let mut previous = None;
                    for &t in managed {
                        if t >= teams.len() {
                            violations.push(Violation::UnknownTeam {
                                person: p,
                                team: t,
                                quarter: q,
                            });
                            continue;
                        }
                        if previous.is_some_and(|before| before >= t) {
                            violations.push(Violation::UnorderedTeams {
                                person: p,
                                team: t,
                                quarter: q,
                            });
                        }
                        previous = Some(t);
                        if teams[t].group != teams[person.home].group {
                            violations.push(Violation::OutsideGroup {
                                person: p,
                                team: t,
                                quarter: q,
                            });
                        }
                        reports += u64::from(teams[t].headcount);
                        managers[q][t].push(p);
                        score.affinity += person
                            .affinity
                            .iter()
                            .filter(|&&(team, _)| team == t)
                            .map(|&(_, v)| v)
                            .sum::<i64>();
                    }
                    if reports < u64::from(policy.span_min) || reports > u64::from(policy.span_max)
                    {
                        violations.push(Violation::Span {
                            person: p,
                            quarter: q,
                            reports,
                        });
                    }
                }
            }
        }
        check_stints(rotation, p, &plan.roles[p], &mut violations);
    }

    // Who managed each team just before the horizon.
    let mut before = vec![Vec::new(); teams.len()];
    for (p, person) in people.iter().enumerate() {
        if let History::Managing { teams: managed, .. } = &person.history {
            for &t in managed {
                before[t].push(p);
            }
        }
    }
    for q in 0..quarters {
        let mut changes = 0u64;
        for t in 0..teams.len() {
            let now = &managers[q][t];
            match now.len() {
                0 if policy.interim_penalty.is_some() => score.interims += 1,
                0 => violations.push(Violation::Unstaffed {
                    team: t,
                    quarter: q,
                }),
                1 => {}
                n => violations.push(Violation::Overstaffed {
                    team: t,
                    quarter: q,
                    managers: n,
                }),
            }
            let previous = if q == 0 {
                &before[t]
            } else {
                &managers[q - 1][t]
            };
            if now.iter().any(|p| !previous.contains(p)) {
                changes += 1;
            }
            if leads[q][t] > 1 {
                violations.push(Violation::TechLeads {
                    team: t,
                    quarter: q,
                    leads: leads[q][t],
                });
            }
        }
        if changes > u64::from(policy.churn_max) {
            violations.push(Violation::Churn {
                quarter: q,
                changes,
            });
        }
        score.changes += changes;
    }

    for &pin in rotation.pins() {
        let kept = matches!(&plan.roles[pin.person][pin.quarter], Role::Manager(managed) if managed.contains(&pin.team));
        if !kept {
            violations.push(Violation::PinBroken { pin });
        }
    }

    let changes = i64::try_from(score.changes).unwrap_or(i64::MAX);
    let interims = i64::try_from(score.interims).unwrap_or(i64::MAX);
    score.objective = score.manager_joy + score.tech_lead_joy + score.affinity
        - policy.change_penalty * changes
        - policy.interim_penalty.unwrap_or(0) * interims;
    if score.objective != plan.objective {
        violations.push(Violation::Objective {
            claimed: plan.objective,
            actual: score.objective,
        });
    }
    if violations.is_empty() {
        Ok(score)
    } else {
        Err(violations)
    }
}

/// The stint rules for one person, walking the quarters in order: a stint ends only after
/// the minimum (tenure counted), lasts at most the maximum, a new one starts only after the
/// cool-down, and an incumbent manages nowhere from the quarter their stint under way would
/// pass the maximum (the reference formulation's bound).
fn check_stints(rotation: &Rotation, p: usize, roles: &[Role], violations: &mut Vec<Violation>) {
    let policy = rotation.policy();
    let person = &rotation.people()[p];
    // Either managing for `on` quarters, or off for `off` quarters since the last stint.
    let (mut on, mut off) = match &person.history {
        History::HandsOn => (None, u32::MAX),
        History::Managing { tenure, .. } => (Some(*tenure), 0),
        History::Stopped { quarters_ago } => (None, *quarters_ago),
    };
    let window_closes = match &person.history {
        History::Managing { tenure, .. } => Some(policy.max_stint.saturating_sub(*tenure)),
        _ => None,
    };
    for (q, role) in roles.iter().enumerate() {
        let manages = role.is_manager();
        match (on, manages) {
            (Some(length), true) => {
                let length = length + 1;
                if length > policy.max_stint {
                    violations.push(Violation::MaxStint {
                        person: p,
                        quarter: q,
                        length,
                    });
                } else if window_closes.is_some_and(|w| q as u64 >= u64::from(w)) {
                    violations.push(Violation::IncumbentWindow {
                        person: p,
                        quarter: q,
                    });
                }
                on = Some(length);
            }
            (Some(length), false) => {
                if length < policy.min_stint {
                    violations.push(Violation::MinStint {
                        person: p,
                        quarter: q,
                        lasted: length,
                    });
                }
                on = None;
                off = 1;
            }
            (None, true) => {
                if off < policy.cool_down {
                    violations.push(Violation::CoolDown {
                        person: p,
                        quarter: q,
                        off,
                    });
                } else if window_closes.is_some_and(|w| q as u64 >= u64::from(w)) {
                    violations.push(Violation::IncumbentWindow {
                        person: p,
                        quarter: q,
                    });
                }
                on = Some(1);
            }
            (None, false) => off = off.saturating_add(1),
        }
    }
}
