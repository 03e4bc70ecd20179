//! The shape of the org: one leader, a few departments, and teams of five to nine.
//!
//! Careers only make sense inside a structure: a manager needs a team, a tech lead needs a
//! manager, and the `hybrid-drift` rule counts a hybrid's reports. So the org is laid out
//! first, as seats, and each seat is then given a person and a past.

use pendulum_core::Role;
use rand::Rng;
use rand::seq::IndexedRandom;

/// A team as the org chart draws it.
#[derive(Debug, Clone)]
pub(crate) struct TeamSpec {
    pub id: String,
    pub name: String,
    /// Index of the parent team in [`Org::teams`].
    pub parent: Option<usize>,
}

/// Where a seat sits in the reporting lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Post {
    /// The VP or CTO: a manager with no manager.
    Leader,
    DeptHead,
    /// The manager (or, on a small team, the hybrid) the team's members report to.
    TeamLead,
    Member,
}

/// One position in the org, filled by one person.
#[derive(Debug, Clone)]
pub(crate) struct Seat {
    pub post: Post,
    pub role: Role,
    /// Index in [`Org::teams`].
    pub team: usize,
    /// Index of the manager's seat.
    pub manager: Option<usize>,
}

/// Teams and seats. Team 0 is the whole engineering org; seat 0 is its leader.
#[derive(Debug, Clone)]
pub(crate) struct Org {
    pub teams: Vec<TeamSpec>,
    pub seats: Vec<Seat>,
    /// Teams from this index on do the work; before it come the root and the departments.
    pub first_working_team: usize,
}

const DEPARTMENTS: [&str; 16] = [
    "Platform",
    "Product",
    "Data",
    "Infrastructure",
    "Security",
    "Mobile",
    "Growth",
    "Payments",
    "Developer Experience",
    "Reliability",
    "Search",
    "Commerce",
    "Identity",
    "Machine Learning",
    "Messaging",
    "Analytics",
];

const TEAM_WORDS: [&str; 40] = [
    "Storage",
    "Billing",
    "Checkout",
    "Onboarding",
    "Notifications",
    "Ingestion",
    "Pipelines",
    "Observability",
    "Build",
    "Release",
    "Edge",
    "Networking",
    "Accounts",
    "Recommendations",
    "Ranking",
    "Catalog",
    "Fraud",
    "Ledger",
    "Insights",
    "Experiments",
    "API",
    "Web",
    "iOS",
    "Android",
    "Compute",
    "Databases",
    "Streaming",
    "Auth",
    "Compliance",
    "Docs",
    "Tooling",
    "Cache",
    "Maps",
    "Sync",
    "Media",
    "Chat",
    "Scheduling",
    "Pricing",
    "Support Tools",
    "Integrations",
];

/// Team sizes, manager included; the mean is about seven.
const TEAM_SIZES: [usize; 9] = [5, 6, 6, 7, 7, 7, 8, 8, 9];

/// Below this head count there are no departments: the teams report to the leader.
const MIN_PEOPLE_FOR_DEPARTMENTS: usize = 16;

/// How likely a team of at most [`HYBRID_MAX_TEAM`] people is led by a hybrid.
const HYBRID_SHARE: f64 = 0.35;
const HYBRID_MAX_TEAM: usize = 6;

impl Org {
    /// Lays out an org of exactly `people` seats (at least one).
    pub fn plan(people: usize, rng: &mut impl Rng) -> Org {
        let mut org = Org {
            teams: vec![TeamSpec {
                id: "engineering".into(),
                name: "Engineering".into(),
                parent: None,
            }],
            seats: vec![Seat {
                post: Post::Leader,
                role: Role::Manager,
                team: 0,
                manager: None,
            }],
            first_working_team: 1,
        };
        let departments = if people < MIN_PEOPLE_FOR_DEPARTMENTS {
            0
        } else {
            ((people as f64).sqrt() / 2.5).round().max(2.0) as usize
        };
        let pool = people - 1 - departments;
        org.first_working_team = 1 + departments;
        let sizes = team_sizes(pool, rng);
        let hybrids = hybrid_teams(&sizes, rng);

        let mut dept_seats = Vec::with_capacity(departments);
        for d in 0..departments {
            let (name, slug) = numbered(DEPARTMENTS[d % DEPARTMENTS.len()], d / DEPARTMENTS.len());
            org.teams.push(TeamSpec {
                id: slug,
                name,
                parent: Some(0),
            });
            dept_seats.push(org.seats.len());
            org.seats.push(Seat {
                post: Post::DeptHead,
                role: Role::Manager,
                team: org.teams.len() - 1,
                manager: Some(0),
            });
        }

        // Each department walks the word list from its own random starting point, so that
        // neighbouring departments do not all begin with "Storage".
        let groups = departments.max(1);
        let word_offsets: Vec<usize> = (0..groups)
            .map(|_| rng.random_range(0..TEAM_WORDS.len()))
            .collect();
        let mut named = vec![0usize; groups];
        for (t, &size) in sizes.iter().enumerate() {
            let group = t * groups / sizes.len();
            let (parent_team, lead_manager) = if departments > 0 {
                (group + 1, dept_seats[group])
            } else {
                (0, 0)
            };
            let k = named[group];
            named[group] += 1;
            let word = TEAM_WORDS[(word_offsets[group] + k) % TEAM_WORDS.len()];
            let (name, slug) = numbered(word, k / TEAM_WORDS.len());
            let id = if departments > 0 {
                format!("{}-{slug}", org.teams[parent_team].id)
            } else {
                slug
            };
            org.teams.push(TeamSpec {
                id,
                name,
                parent: Some(parent_team),
            });
            let team = org.teams.len() - 1;

            let lead = org.seats.len();
            let lead_role = if hybrids[t] {
                Role::Hybrid
            } else {
                Role::Manager
            };
            org.seats.push(Seat {
                post: Post::TeamLead,
                role: lead_role,
                team,
                manager: Some(lead_manager),
            });
            // A hybrid is the team's tech lead; a managed team of four or more has one,
            // and a large one sometimes two.
            let tech_leads = match lead_role {
                Role::Hybrid => 0,
                _ if size >= 8 && rng.random_bool(0.5) => 2,
                _ if size >= 4 => 1,
                _ => 0,
            };
            for m in 0..size - 1 {
                org.seats.push(Seat {
                    post: Post::Member,
                    role: if m < tech_leads {
                        Role::TechLead
                    } else {
                        Role::Engineer
                    },
                    team,
                    manager: Some(lead),
                });
            }
        }

        // Too few people for a team: they report to the leader directly.
        if sizes.is_empty() {
            for _ in 0..pool {
                org.seats.push(Seat {
                    post: Post::Member,
                    role: Role::Engineer,
                    team: 0,
                    manager: Some(0),
                });
            }
        }
        debug_assert_eq!(org.seats.len(), people);
        org
    }

    /// A team someone may have worked on in the past: a working team when there is one.
    pub fn any_working_team(&self, fallback: usize, rng: &mut impl Rng) -> usize {
        if self.first_working_team < self.teams.len() {
            rng.random_range(self.first_working_team..self.teams.len())
        } else {
            fallback
        }
    }

    /// A working team other than `team`, if the org has one.
    pub fn other_working_team(&self, team: usize, rng: &mut impl Rng) -> Option<usize> {
        let first = self.first_working_team;
        let count = self.teams.len().saturating_sub(first);
        if !self.is_working_team(team) {
            return (count > 0).then(|| rng.random_range(first..self.teams.len()));
        }
        if count < 2 {
            return None;
        }
        let pick = rng.random_range(first..self.teams.len() - 1);
        Some(if pick >= team { pick + 1 } else { pick })
    }

    pub fn is_working_team(&self, team: usize) -> bool {
        team >= self.first_working_team
    }
}

/// Splits `pool` people into teams of five to nine (a smaller org gets one smaller team).
fn team_sizes(pool: usize, rng: &mut impl Rng) -> Vec<usize> {
    if pool < 3 {
        return Vec::new();
    }
    let mut sizes = Vec::with_capacity(pool / 6 + 1);
    let mut left = pool;
    while left > 0 {
        let size = if left <= 9 {
            left
        } else {
            let size = *TEAM_SIZES.choose(rng).expect("sizes are listed");
            if left - size < 5 { left - 5 } else { size }
        };
        sizes.push(size);
        left -= size;
    }
    sizes
}

/// Which teams a hybrid leads: some small ones, and at least one in any org of three teams
/// or more, so the demo always shows the role.
fn hybrid_teams(sizes: &[usize], rng: &mut impl Rng) -> Vec<bool> {
    let mut hybrid: Vec<bool> = sizes
        .iter()
        .map(|&s| s <= HYBRID_MAX_TEAM && rng.random_bool(HYBRID_SHARE))
        .collect();
    if sizes.len() >= 3 && !hybrid.contains(&true) {
        let smallest = (0..sizes.len())
            .min_by_key(|&t| sizes[t])
            .expect("there are teams");
        hybrid[smallest] = true;
    }
    hybrid
}

/// A display name and id slug, with a number from the second round of a word list on.
fn numbered(word: &str, round: usize) -> (String, String) {
    let slug: String = word
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    if round == 0 {
        (word.to_owned(), slug)
    } else {
        (
            format!("{word} {}", round + 1),
            format!("{slug}-{}", round + 1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn count(org: &Org, post: Post) -> usize {
        org.seats.iter().filter(|s| s.post == post).count()
    }

    #[test]
    fn every_size_gets_exactly_its_seats_and_one_leader() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for people in [1, 2, 3, 4, 7, 15, 16, 17, 60, 61, 999, 1000] {
            let org = Org::plan(people, &mut rng);
            assert_eq!(org.seats.len(), people);
            assert_eq!(count(&org, Post::Leader), 1);
            assert!(org.seats[1..].iter().all(|s| s.manager.is_some()));
        }
    }

    #[test]
    fn teams_hold_five_to_nine_people_once_the_org_is_big_enough() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let org = Org::plan(1000, &mut rng);
        for team in org.first_working_team..org.teams.len() {
            let size = org.seats.iter().filter(|s| s.team == team).count();
            assert!((5..=9).contains(&size), "team {team} has {size} people");
            let leads: Vec<&Seat> = org
                .seats
                .iter()
                .filter(|s| s.team == team && s.post == Post::TeamLead)
                .collect();
            assert_eq!(leads.len(), 1);
        }
        assert!(org.seats.iter().any(|s| s.role == Role::Hybrid));
    }

    #[test]
    fn tiny_orgs_report_to_the_leader() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let org = Org::plan(2, &mut rng);
        assert_eq!(org.seats[1].manager, Some(0));
        assert_eq!(org.seats[1].role, Role::Engineer);
        assert_eq!(org.teams.len(), 1);
    }

    #[test]
    fn names_get_a_number_from_the_second_round() {
        assert_eq!(
            numbered("Support Tools", 0),
            ("Support Tools".into(), "support-tools".into())
        );
        assert_eq!(numbered("iOS", 2), ("iOS 3".into(), "ios-3".into()));
    }
}
