//! Plans on the server, shared by the API and the pages: the org's rotation plan and the
//! stretch assignment of a backlog.
//!
//! The rotation solver searches until its time limit on an instance it cannot prove
//! optimal, and the stretch solver's work grows with the CSV text a request carries, so both
//! run on a blocking thread, never on the async runtime, each holding a solve slot
//! (`planner`) until it ends. Rotation plans are kept per revision of the store and per
//! request: the same question about the same ledger is answered once, and a write
//! anywhere (this server or a `pendulum` command) makes every kept plan stale. The default
//! plan is the background planner's; what-ifs are solved on request, or refused as busy.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use pendulum_core::{PersonId, Policy, Quarter};
use pendulum_plan::org::{
    MAX_QUARTERS, OrgError, OrgPin, OrgRotation, RotationPlan, RotationRequest,
};
use pendulum_plan::{StretchBand, StretchError, StretchLimits, StretchPlan, StretchProblem};
use tokio::sync::{OnceCell, OwnedSemaphorePermit};

use crate::state::Snapshot;
use crate::{AppError, AppState};

/// How long the rotation solver may search for one plan; a plan without a proof of
/// optimality is still a good plan, and a page should not wait longer. Explaining an
/// infeasible org takes a few more solves, each on a share of this.
pub(crate) const ROTATION_TIME_LIMIT: Duration = Duration::from_secs(2);

/// Quarters planned when a request does not say.
pub(crate) const DEFAULT_QUARTERS: usize = 8;

/// Rotation plans kept at most, for the current revision of the store.
const KEPT_PLANS: usize = 16;

/// A rotation plan request, parsed: the horizon and the what-if pins and exclusions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RotationQuery {
    pub from: Quarter,
    pub quarters: usize,
    pub pins: Vec<OrgPin>,
    pub excluded: Vec<PersonId>,
}

impl RotationQuery {
    /// The default plan: from the quarter after `today`, for the default number of quarters.
    pub fn default_from(today: NaiveDate) -> Self {
        Self {
            from: Quarter::of(today).plus(1),
            quarters: DEFAULT_QUARTERS,
            pins: Vec::new(),
            excluded: Vec::new(),
        }
    }

    /// Parses the parameters `from`, `quarters`, `pin` and `exclude` (the last two
    /// repeatable), in any order. An empty value (as an empty form field sends it) means
    /// the parameter is absent; any other parameter is refused, since a misspelt `pin`
    /// silently ignored would answer another question.
    pub fn parse(pairs: &[(String, String)], today: NaiveDate) -> Result<Self, AppError> {
        let mut query = Self::default_from(today);
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

    /// The parameters that ask for this plan again, for links and forms.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("from", self.from.to_string()),
            ("quarters", self.quarters.to_string()),
        ];
        pairs.extend(self.pins.iter().map(|p| ("pin", p.to_string())));
        pairs.extend(self.excluded.iter().map(|p| ("exclude", p.to_string())));
        pairs
    }

    pub(crate) fn request(&self) -> RotationRequest {
        RotationRequest {
            from: self.from,
            quarters: self.quarters,
            pins: self.pins.clone(),
            excluded: self.excluded.clone(),
            time_limit: ROTATION_TIME_LIMIT,
        }
    }

    /// What identifies the plan within one revision of the store.
    fn key(&self) -> String {
        let mut key = format!("{}+{}", self.from, self.quarters);
        for (name, value) in self.to_pairs().into_iter().skip(2) {
            key.push_str(&format!("&{name}={value}"));
        }
        key
    }
}

/// The status of what the planner says about a request: the request's own fault (a pin or
/// exclusion that names nobody, a horizon too long) is a bad request; an org the model
/// cannot take is unprocessable.
fn org_error(e: OrgError) -> AppError {
    match e {
        OrgError::Pin { .. } => AppError::BadRequest(e.to_string()),
        OrgError::Exclude { person, reason } => {
            AppError::BadRequest(format!("exclude {person}: {reason}"))
        }
        OrgError::Horizon { .. } => AppError::BadRequest(e.to_string()),
        other => AppError::Unprocessable(other.to_string()),
    }
}

/// Rotation plans of the current revision of the store, oldest first. Each is a cell that
/// the first request fills and later ones wait on, so the same plan is never solved twice
/// at once.
#[derive(Debug, Default)]
pub(crate) struct PlanCache {
    plans: Mutex<VecDeque<Kept>>,
}

/// A plan kept: the revision of the store and the request's key it answers, and the cell
/// it is (or will be) in.
#[derive(Debug)]
struct Kept {
    revision: i64,
    key: String,
    plan: Arc<OnceCell<Arc<RotationPlan>>>,
}

impl PlanCache {
    fn cell(&self, revision: i64, key: String) -> Arc<OnceCell<Arc<RotationPlan>>> {
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        plans.retain(|kept| kept.revision == revision);
        if let Some(kept) = plans.iter().find(|kept| kept.key == key) {
            return kept.plan.clone();
        }
        if plans.len() >= KEPT_PLANS {
            plans.pop_front();
        }
        let plan = Arc::new(OnceCell::new());
        plans.push_back(Kept {
            revision,
            key,
            plan: plan.clone(),
        });
        plan
    }
}

impl AppState {
    /// The rotation plan for `query` on the current ledger: the background planner's when
    /// it is the default plan and solved for this revision; kept from an earlier request
    /// while the store is unchanged; otherwise solved on a blocking thread if a solve slot
    /// is free, and refused as busy if not. The solve runs in a task of its own, so a
    /// client that goes away does not throw the plan away for the next one.
    pub(crate) async fn rotation_plan(
        &self,
        query: &RotationQuery,
    ) -> Result<Arc<RotationPlan>, AppError> {
        let snapshot = self.snapshot().await?;
        if *query == RotationQuery::default_from(chrono::Local::now().date_naive()) {
            let kept = self.default_plan().await?;
            if let (true, Some(solved)) = (kept.current, kept.solved) {
                return solved.outcome.clone();
            }
        }
        let cell = self.plan_cache().cell(snapshot.revision, query.key());
        if let Some(plan) = cell.get() {
            return Ok(plan.clone());
        }
        let request = query.request();
        let state = self.clone();
        tokio::spawn(async move {
            cell.get_or_try_init(|| async {
                let slot = state.planner().try_slot("rotation plan")?;
                solve_rotation(snapshot, request, slot).await
            })
            .await
            .cloned()
        })
        .await
        .map_err(|e| AppError::Internal(format!("the rotation plan task stopped: {e}")))?
    }
}

/// Solves a rotation plan on a blocking thread, holding `slot` until the solver ends (even
/// when nobody waits for it any more).
pub(crate) async fn solve_rotation(
    snapshot: Arc<Snapshot>,
    request: RotationRequest,
    slot: OwnedSemaphorePermit,
) -> Result<Arc<RotationPlan>, AppError> {
    let revision = snapshot.revision;
    let quarters = request.quarters;
    let started = Instant::now();
    let plan = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let org =
            OrgRotation::build(&snapshot.ledger, &snapshot.policy, &request).map_err(org_error)?;
        // A plan the checker refuses is a fault of the solver, never the request's.
        org.plan(request.time_limit)
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| AppError::Internal(format!("the rotation solver stopped: {e}")))??;
    tracing::info!(
        revision,
        quarters,
        feasible = plan.feasible,
        duration_ms = started.elapsed().as_millis() as u64,
        "rotation plan solved"
    );
    Ok(Arc::new(plan))
}

/// A stretch plan with the band it was made in.
#[derive(Debug)]
pub(crate) struct Stretch {
    pub band: StretchBand,
    pub plan: StretchPlan,
}

/// Solves the stretch assignment of the backlog CSV `backlog` to the people of the skills
/// CSV `skills`, within the policy's stretch band, on a blocking thread, within the
/// server's [`crate::PlanLimits`]: rows are counted before the files are read, candidate
/// pairs before the network is built, and the solve has a time limit. `capacity` is
/// everyone's capacity where the skills file has no `capacity` column value.
pub(crate) async fn stretch(
    state: &AppState,
    policy: &Policy,
    skills: String,
    backlog: String,
    capacity: Option<u32>,
) -> Result<Stretch, AppError> {
    // The policy was checked when it was read; this only makes it the planner's type.
    let band = StretchBand::of_policy(&policy.stretch)
        .map_err(|e| AppError::Unprocessable(format!("policy: stretch: {e}")))?;
    let server = state.planner().limits();
    let limits = StretchLimits {
        rows_per_file: Some(server.stretch_rows_per_file),
        candidate_edges: Some(server.stretch_candidates),
        time_limit: Some(server.stretch_time_limit),
    };
    limits
        .check_rows("skills", &skills)
        .and_then(|()| limits.check_rows("backlog", &backlog))
        .map_err(stretch_error)?;
    let slot = state.planner().try_slot("stretch plan")?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let skills = pendulum_plan::csv::read_skills("skills", &skills)
            .map_err(|e| AppError::Unprocessable(e.to_string()))?;
        let backlog = pendulum_plan::csv::read_backlog("backlog", &backlog)
            .map_err(|e| AppError::Unprocessable(e.to_string()))?;
        let without = skills.without_capacity();
        if capacity.is_none() && !without.is_empty() {
            let names: Vec<String> = without.iter().map(ToString::to_string).collect();
            return Err(AppError::Unprocessable(format!(
                "skills: no capacity for {}: give one in a capacity column or a capacity for everyone",
                names.join(", ")
            )));
        }
        let capacities = skills.capacity(capacity);
        let plan =
            StretchProblem::build_within(&skills.levels, &backlog, &capacities, &band, &limits)
                .and_then(|problem| problem.solve_within(&limits))
                .map_err(stretch_error)?;
        Ok(Stretch { band, plan })
    })
    .await
    .map_err(|e| AppError::Internal(format!("the stretch solver stopped: {e}")))?
}

/// The input's fault is unprocessable; a plan the checker refuses or a flow that fails is
/// the solver's.
fn stretch_error(e: StretchError) -> AppError {
    match e {
        StretchError::Rejected(_) | StretchError::Flow(_) => AppError::Internal(e.to_string()),
        other => AppError::Unprocessable(other.to_string()),
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
        RotationQuery::parse(&pairs, today).map_err(|e| e.to_string())
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
                &q.to_pairs()
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

    #[test]
    fn a_plan_is_kept_for_its_revision_only() {
        let cache = PlanCache::default();
        let a = cache.cell(1, "x".into());
        assert!(Arc::ptr_eq(&a, &cache.cell(1, "x".into())));
        assert!(!Arc::ptr_eq(&a, &cache.cell(1, "y".into())));
        assert!(
            !Arc::ptr_eq(&a, &cache.cell(2, "x".into())),
            "a write makes it stale"
        );
        for k in 0..KEPT_PLANS + 3 {
            cache.cell(2, k.to_string());
        }
        assert_eq!(cache.plans.lock().unwrap().len(), KEPT_PLANS);
    }
}
