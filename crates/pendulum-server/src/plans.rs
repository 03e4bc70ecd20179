//! Plans on the server, shared by the API and the pages: the parameters of a rotation plan
//! as a query string gives them, the stretch assignment's CSV text read within the
//! server's row limit, and the server's state as the app's planner sees it. The use cases
//! themselves (solve slots, kept plans, the background planner) are `pendulum_app::plans`.

use std::sync::Arc;

use chrono::NaiveDate;
use pendulum_app::acting::Who;
use pendulum_app::plans::{
    Basis, IndexedPlan, KeptPlan, Ledgers, RotationQuery, Shown, SolversOccupied, Stretch,
    StretchInput,
};
use pendulum_core::{Ledger, PersonId, Policy, Quarter};
use pendulum_plan::org::{MAX_QUARTERS, OrgPin};

use crate::state::{Snapshot, WeakState};
use crate::{AppError, AppState};

/// Parses the parameters `from`, `quarters`, `pin` and `exclude` (the last two
/// repeatable), in any order, into a rotation plan request; absent ones are those of the
/// default plan of `today`. An empty value (as an empty form field sends it) means the
/// parameter is absent; any other parameter is refused, since a misspelt `pin` silently
/// ignored would answer another question.
pub(crate) fn parse_query(
    pairs: &[(String, String)],
    today: NaiveDate,
) -> Result<RotationQuery, AppError> {
    let mut query = RotationQuery::default_from(today);
    let (mut from, mut quarters) = (None, None);
    for (key, raw) in pairs {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let bad = |message: String| AppError::BadRequest(format!("{key}: {message}"));
        match key.as_str() {
            "from" => {
                if from.replace(raw).is_some() {
                    return Err(bad("given more than once".into()));
                }
                query.from = Quarter::parse(raw).map_err(|e| bad(e.to_string()))?;
            }
            "quarters" => {
                if quarters.replace(raw).is_some() {
                    return Err(bad("given more than once".into()));
                }
                query.quarters = raw
                    .parse::<usize>()
                    .ok()
                    .filter(|q| (1..=MAX_QUARTERS).contains(q))
                    .ok_or_else(|| {
                        bad(format!(
                            "must be a number from 1 to {MAX_QUARTERS}, not {raw:?}"
                        ))
                    })?;
            }
            "pin" => query.pins.push(OrgPin::parse(raw).map_err(bad)?),
            "exclude" => query
                .excluded
                .push(PersonId::parse(raw).map_err(|e| bad(format!("{raw:?}: {e}")))?),
            _ => {
                return Err(AppError::BadRequest(format!(
                    "{key}: not a parameter of a rotation plan (from, quarters, pin, exclude)"
                )));
            }
        }
    }
    Ok(query)
}

/// The parameters that ask for `query` again, for links and forms: `from` and `quarters`
/// first, then the what-ifs.
pub(crate) fn query_pairs(query: &RotationQuery) -> Vec<(&'static str, String)> {
    let mut pairs = vec![
        ("from", query.from.to_string()),
        ("quarters", query.quarters.to_string()),
    ];
    pairs.extend(query.pins.iter().map(|p| ("pin", p.to_string())));
    pairs.extend(query.excluded.iter().map(|p| ("exclude", p.to_string())));
    pairs
}

/// Reads the stretch assignment's skills and backlog CSV text within the server's
/// [`pendulum_app::plans::PlanLimits`]: rows are counted on the text before it is parsed,
/// and it is parsed on the blocking pool.
async fn stretch_input(
    state: &AppState,
    skills: String,
    backlog: String,
    capacity: Option<u32>,
) -> Result<StretchInput, AppError> {
    let limits = state.planner().limits().stretch();
    limits
        .check_rows("skills", &skills)
        .and_then(|()| limits.check_rows("backlog", &backlog))
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let skills = pendulum_plan::csv::read_skills("skills", &skills)
            .map_err(|e| AppError::Unprocessable(e.to_string()))?;
        let backlog = pendulum_plan::csv::read_backlog("backlog", &backlog)
            .map_err(|e| AppError::Unprocessable(e.to_string()))?;
        Ok(StretchInput {
            skills,
            backlog,
            capacity,
        })
    })
    .await
    .map_err(|e| AppError::Internal(format!("the stretch files were not read: {e}")))?
}

impl Basis for Snapshot {
    fn revision(&self) -> i64 {
        self.revision
    }

    fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    fn policy(&self) -> &Policy {
        &self.policy
    }
}

/// The background planner reads the server's cached snapshot, and stops with the server.
impl Ledgers for WeakState {
    type Basis = Snapshot;
    type Error = AppError;

    async fn current(&self) -> Option<Result<Arc<Snapshot>, AppError>> {
        let state = self.upgrade()?;
        Some(state.snapshot().await)
    }
}

impl AppState {
    /// Starts the background planner, once. Needs the async runtime the server runs on.
    pub(crate) fn start_planner(&self) {
        self.planner().start(self.downgrade());
    }

    /// The default rotation plan as last solved, for `who`, without waiting for a solve.
    pub(crate) async fn default_plan(&self, who: &Who, shown: Shown) -> Result<KeptPlan, AppError> {
        let revision = self.store_revision().await?;
        self.start_planner();
        Ok(self
            .planner()
            .default_plan(self.store(), who, revision, shown)
            .await?)
    }

    /// The rotation plan for `query` on the current ledger, for `who`: kept, or solved now
    /// if a solve slot is free.
    pub(crate) async fn rotation_plan(
        &self,
        who: &Who,
        query: &RotationQuery,
    ) -> Result<Arc<IndexedPlan>, AppError> {
        let snapshot = self.snapshot().await?;
        self.start_planner();
        Ok(self
            .planner()
            .rotation_plan(self.store(), who, snapshot, query)
            .await?)
    }

    /// The stretch assignment of the backlog CSV `backlog` to the people of the skills CSV
    /// `skills`, for `who`, within the policy's stretch band and the server's limits.
    /// `capacity` is everyone's capacity where the skills file has no `capacity` value.
    pub(crate) async fn stretch(
        &self,
        who: &Who,
        policy: &Policy,
        skills: String,
        backlog: String,
        capacity: Option<u32>,
    ) -> Result<Stretch, AppError> {
        let input = stretch_input(self, skills, backlog, capacity).await?;
        Ok(self
            .planner()
            .stretch(self.store(), who, policy, input)
            .await?)
    }

    /// Takes every solve slot until the guard drops, waiting for solves under way to end:
    /// for maintenance, and for tests of the busy answer.
    pub async fn occupy_solvers(&self) -> SolversOccupied {
        self.planner().occupy().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<RotationQuery, String> {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        parse_query(&pairs, today).map_err(|e| e.to_string())
    }

    #[test]
    fn rotation_queries_parse_or_name_the_bad_parameter() {
        let q = parse("").unwrap();
        assert_eq!((q.from.to_string(), q.quarters), ("2027-Q1".into(), 8));
        let q =
            parse("from=2027-Q3&quarters=4&pin=p1:platform-docs:2027-Q4&exclude=p2&pin=&exclude=")
                .unwrap();
        assert_eq!(q.from.to_string(), "2027-Q3");
        assert_eq!(q.quarters, 4);
        assert_eq!(
            q.pins.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["p1:platform-docs:2027-Q4"]
        );
        assert_eq!(q.excluded, [PersonId::parse("p2").unwrap()]);
        assert_eq!(
            parse(
                &query_pairs(&q)
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("&")
            ),
            Ok(q)
        );

        for (query, start) in [
            ("from=2027Q5", "from: "),
            ("quarters=0", "quarters: must be a number from 1 to 16"),
            ("quarters=eight", "quarters: "),
            ("from=2027-Q1&from=2027-Q2", "from: given more than once"),
            (
                "pin=p1:t1",
                "pin: \"p1:t1\" is not a pin (expected PERSON:TEAM:QUARTER",
            ),
            ("pin=p1:t1:2027", "pin: \"p1:t1:2027\": quarter: "),
            ("pin=p%201:t1:2027-Q1", "pin: "),
            ("exclude=a b", "exclude: "),
            ("pins=p1:t1:2027-Q1", "pins: not a parameter"),
        ] {
            let e = parse(query).unwrap_err();
            assert!(e.starts_with(start), "{query}: {e}");
        }
    }
}
