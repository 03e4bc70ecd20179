//! The assignment model: people with capacities, optional items, and candidate edges
//! `(person, item, growth)`; a plan gives each item to at most one candidate person, no
//! person more items than their capacity, and maximises the total growth.
//!
//! It is a transportation problem, solved as a minimum-cost flow: source → person (capacity
//! the person's, cost 0), person → item (capacity 1, cost −growth), item → sink (capacity 1,
//! cost 0), and a bypass source → sink (cost 0) that carries whatever capacity is left
//! unused, so every item stays optional. The same model as the planning anchors'
//! `gen_transport.py`, whose TRN1 text format [`Instance::parse_trn1`] reads.

use std::fmt;

use crate::flow::{FlowError, Network};

/// The largest growth an edge may carry, in either direction: enough for any scale of
/// "growth points", small enough that no sum of them overflows.
pub const MAX_GROWTH: i64 = 1 << 40;

/// A candidate edge: `person` may take `item`, which would earn `growth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge {
    pub person: u32,
    pub item: u32,
    pub growth: i64,
}

/// A valid instance: capacities of zero or more, edges between existing people and items,
/// at most one edge per person and item, growth within [`MAX_GROWTH`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    capacities: Vec<i64>,
    items: usize,
    edges: Vec<Edge>,
}

/// Why the parts do not make an instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    #[error("person {person} has capacity {capacity}; capacities must be zero or more")]
    NegativeCapacity { person: usize, capacity: i64 },
    #[error("edge {edge} names person {person}, but there are {people} people")]
    UnknownPerson {
        edge: usize,
        person: u32,
        people: usize,
    },
    #[error("edge {edge} names item {item}, but there are {items} items")]
    UnknownItem {
        edge: usize,
        item: u32,
        items: usize,
    },
    #[error("edge {edge} repeats the edge from person {person} to item {item}")]
    DuplicateEdge { edge: usize, person: u32, item: u32 },
    #[error("edge {edge} has growth {growth}; at most {MAX_GROWTH} either way")]
    GrowthOutOfRange { edge: usize, growth: i64 },
    #[error("more than {limit} people or items")]
    TooLarge { limit: usize },
}

/// A TRN1 text that cannot be read, with the 1-based line and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Trn1Error {
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error(transparent)]
    Instance(#[from] InstanceError),
}

/// One assignment of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Assignment {
    pub person: u32,
    pub item: u32,
    pub growth: i64,
}

/// A plan: the assignments, ordered by item, and the total growth the solver claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub assignments: Vec<Assignment>,
    pub total_growth: i64,
}

/// What a checked plan is worth, recomputed from the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Objective {
    pub total_growth: i64,
    pub assigned: usize,
}

/// A constraint a plan breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    UnknownPerson {
        person: u32,
    },
    UnknownItem {
        item: u32,
    },
    NotACandidate {
        person: u32,
        item: u32,
    },
    GrowthMismatch {
        person: u32,
        item: u32,
        claimed: i64,
        actual: i64,
    },
    ItemAssignedTwice {
        item: u32,
        times: usize,
    },
    OverCapacity {
        person: u32,
        assigned: i64,
        capacity: i64,
    },
    ObjectiveMismatch {
        claimed: i64,
        actual: i64,
    },
}

impl Instance {
    /// Checks the parts and builds the instance.
    pub fn new(
        capacities: Vec<i64>,
        items: usize,
        edges: Vec<Edge>,
    ) -> Result<Self, InstanceError> {
        let limit = (u32::MAX / 4) as usize;
        if capacities.len() > limit || items > limit {
            return Err(InstanceError::TooLarge { limit });
        }
        if let Some((person, &capacity)) = capacities.iter().enumerate().find(|(_, c)| **c < 0) {
            return Err(InstanceError::NegativeCapacity { person, capacity });
        }
        let people = capacities.len();
        for (index, edge) in edges.iter().enumerate() {
            if edge.person as usize >= people {
                return Err(InstanceError::UnknownPerson {
                    edge: index,
                    person: edge.person,
                    people,
                });
            }
            if edge.item as usize >= items {
                return Err(InstanceError::UnknownItem {
                    edge: index,
                    item: edge.item,
                    items,
                });
            }
            if edge.growth.abs() > MAX_GROWTH {
                return Err(InstanceError::GrowthOutOfRange {
                    edge: index,
                    growth: edge.growth,
                });
            }
        }
        let mut order: Vec<usize> = (0..edges.len()).collect();
        order.sort_unstable_by_key(|&e| (edges[e].item, edges[e].person, e));
        if let Some(pair) = order.windows(2).find(|pair| {
            let (a, b) = (edges[pair[0]], edges[pair[1]]);
            (a.item, a.person) == (b.item, b.person)
        }) {
            let edge = edges[pair[1]];
            return Err(InstanceError::DuplicateEdge {
                edge: pair[1],
                person: edge.person,
                item: edge.item,
            });
        }
        Ok(Self {
            capacities,
            items,
            edges,
        })
    }

    /// Reads the TRN1 text format: `TRN1 people items edges`, then the people's capacities,
    /// then one `person item growth` triple per edge (0-based ids), all white-space separated.
    pub fn parse_trn1(text: &str) -> Result<Self, Trn1Error> {
        let mut tokens = text
            .lines()
            .enumerate()
            .flat_map(|(index, line)| line.split_whitespace().map(move |t| (index + 1, t)));
        let mut last_line = 1;
        let mut next = |what: &str| -> Result<(usize, &str), Trn1Error> {
            match tokens.next() {
                Some((line, token)) => {
                    last_line = line;
                    Ok((line, token))
                }
                None => Err(Trn1Error::Syntax {
                    line: last_line,
                    message: format!("the text ends where {what} was expected"),
                }),
            }
        };
        let (line, tag) = next("the TRN1 tag")?;
        if tag != "TRN1" {
            return Err(Trn1Error::Syntax {
                line,
                message: format!("expected the tag TRN1, found {tag:?}"),
            });
        }
        fn number<T: std::str::FromStr>(
            (line, token): (usize, &str),
            what: &str,
        ) -> Result<T, Trn1Error> {
            token.parse().map_err(|_| Trn1Error::Syntax {
                line,
                message: format!("{what}: {token:?} is not a valid number"),
            })
        }
        let people: usize = number(next("the number of people")?, "number of people")?;
        let items: usize = number(next("the number of items")?, "number of items")?;
        let edge_count: usize = number(next("the number of edges")?, "number of edges")?;
        let mut capacities = Vec::with_capacity(people.min(1 << 24));
        for _ in 0..people {
            capacities.push(number(next("a capacity")?, "capacity")?);
        }
        let mut edges = Vec::with_capacity(edge_count.min(1 << 26));
        for _ in 0..edge_count {
            let person = number(next("an edge's person")?, "person")?;
            let item = number(next("an edge's item")?, "item")?;
            let growth = number(next("an edge's growth")?, "growth")?;
            edges.push(Edge {
                person,
                item,
                growth,
            });
        }
        if let Some((line, token)) = tokens.next() {
            return Err(Trn1Error::Syntax {
                line,
                message: format!("unexpected {token:?} after the last of {edge_count} edges"),
            });
        }
        Ok(Self::new(capacities, items, edges)?)
    }

    pub fn capacities(&self) -> &[i64] {
        &self.capacities
    }

    pub fn people(&self) -> usize {
        self.capacities.len()
    }

    pub fn items(&self) -> usize {
        self.items
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The plan of maximal total growth.
    pub fn solve(&self) -> Result<Plan, FlowError> {
        self.solve_until(None)
    }

    /// As [`Instance::solve`], giving up with [`FlowError::OutOfTime`] after `deadline`.
    pub fn solve_until(&self, deadline: Option<std::time::Instant>) -> Result<Plan, FlowError> {
        let people = self.people();
        let mut network = Network::new(people + self.items + 2);
        let (source, sink) = (people + self.items, people + self.items + 1);
        let total: i64 = self.capacities.iter().sum();
        for (person, &capacity) in self.capacities.iter().enumerate() {
            network.add_arc(source, person, capacity, 0);
        }
        let first_edge = network.arc_count();
        for edge in &self.edges {
            network.add_arc(
                edge.person as usize,
                people + edge.item as usize,
                1,
                -edge.growth,
            );
        }
        for item in 0..self.items {
            network.add_arc(people + item, sink, 1, 0);
        }
        network.add_arc(source, sink, total, 0);
        network.set_supply(source, total);
        network.set_supply(sink, -total);
        let flow = network.solve_until(deadline)?;
        let mut assignments: Vec<Assignment> = self
            .edges
            .iter()
            .zip(&flow.flows()[first_edge..])
            .filter(|(_, units)| **units > 0)
            .map(|(edge, _)| Assignment {
                person: edge.person,
                item: edge.item,
                growth: edge.growth,
            })
            .collect();
        assignments.sort_unstable_by_key(|a| (a.item, a.person));
        Ok(Plan {
            assignments,
            total_growth: -flow.cost(),
        })
    }
}

/// Verifies every constraint of `plan` against `instance`, without the solver: each
/// assignment is a candidate edge with the edge's growth, no item is assigned twice, no
/// person beyond their capacity, and the claimed total is the sum of the growths. Returns
/// the recomputed objective, or every violation found.
pub fn check(instance: &Instance, plan: &Plan) -> Result<Objective, Vec<Violation>> {
    let mut violations = Vec::new();
    let mut candidates = std::collections::HashMap::with_capacity(instance.edges.len());
    for edge in &instance.edges {
        candidates.insert((edge.person, edge.item), edge.growth);
    }
    let mut load = vec![0i64; instance.people()];
    let mut times = vec![0usize; instance.items];
    let mut total: i128 = 0;
    for assignment in &plan.assignments {
        let (person, item) = (assignment.person, assignment.item);
        let mut known = true;
        if person as usize >= instance.people() {
            violations.push(Violation::UnknownPerson { person });
            known = false;
        }
        if item as usize >= instance.items {
            violations.push(Violation::UnknownItem { item });
            known = false;
        }
        if !known {
            continue;
        }
        load[person as usize] += 1;
        times[item as usize] += 1;
        match candidates.get(&(person, item)) {
            None => violations.push(Violation::NotACandidate { person, item }),
            Some(&actual) => {
                if actual != assignment.growth {
                    violations.push(Violation::GrowthMismatch {
                        person,
                        item,
                        claimed: assignment.growth,
                        actual,
                    });
                }
                total += i128::from(actual);
            }
        }
    }
    for (item, &count) in times.iter().enumerate() {
        if count > 1 {
            violations.push(Violation::ItemAssignedTwice {
                item: item as u32,
                times: count,
            });
        }
    }
    for (person, (&assigned, &capacity)) in load.iter().zip(&instance.capacities).enumerate() {
        if assigned > capacity {
            violations.push(Violation::OverCapacity {
                person: person as u32,
                assigned,
                capacity,
            });
        }
    }
    let actual = i64::try_from(total).unwrap_or(i64::MAX);
    if plan.total_growth != actual {
        violations.push(Violation::ObjectiveMismatch {
            claimed: plan.total_growth,
            actual,
        });
    }
    if violations.is_empty() {
        Ok(Objective {
            total_growth: actual,
            assigned: plan.assignments.len(),
        })
    } else {
        Err(violations)
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownPerson { person } => write!(f, "person {person} does not exist"),
            Self::UnknownItem { item } => write!(f, "item {item} does not exist"),
            Self::NotACandidate { person, item } => {
                write!(f, "person {person} is not a candidate for item {item}")
            }
            Self::GrowthMismatch {
                person,
                item,
                claimed,
                actual,
            } => write!(
                f,
                "person {person} on item {item} claims growth {claimed}; the edge has {actual}"
            ),
            Self::ItemAssignedTwice { item, times } => {
                write!(
                    f,
                    "item {item} is assigned {times} times; at most once is allowed"
                )
            }
            Self::OverCapacity {
                person,
                assigned,
                capacity,
            } => write!(
                f,
                "person {person} has {assigned} items; their capacity is {capacity}"
            ),
            Self::ObjectiveMismatch { claimed, actual } => write!(
                f,
                "the plan claims total growth {claimed}; its assignments sum to {actual}"
            ),
        }
    }
}
