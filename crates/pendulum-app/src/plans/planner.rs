//! Who may solve, and when, on a server: its solve slots, the rotation plans it keeps, and
//! its background planner.
//!
//! A rotation plan of a 10,000-person org takes seconds, a stretch assignment as long as
//! its limits allow, and each holds its working memory until it ends. So every solve
//! takes one of a few slots first ([`PlanLimits::solves_at_once`]); a request that finds
//! none free is told the planner is busy ([`PlanError::Busy`]) instead of queueing work
//! nobody may wait for.
//!
//! Rotation plans are kept per revision of the store and per request: the same question
//! about the same ledger is answered once, and a write anywhere (the server or a
//! `pendulum` command) makes every kept plan stale. The default plan (what the plans page
//! and an admin's person page show) is never solved for a request: one background task
//! solves it for the newest revision, one solve at a time. A write, or a request that sees
//! the revision has moved, only wakes it; wakes that come while it solves fold into one
//! more solve, so ten writes in a row cost at most one extra plan. Pages read the last plan
//! it finished, with its index, the revision and the time it was solved, and never wait.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use pendulum_core::{Ledger, Policy};
use pendulum_plan::StretchLimits;
use pendulum_plan::org::RotationRequest;
use pendulum_store::Store;
use tokio::sync::{Notify, OnceCell, OwnedSemaphorePermit, Semaphore};

use super::rotation::{self, IndexedPlan, ROTATION_TIME_LIMIT, RotationQuery, audit_read, stopped};
use super::stretch::{self, Stretch, StretchInput};
use super::{PlanError, authorize};
use crate::acting::{Action, Who};

/// What one server lets its solvers cost. The defaults are what a 2-core server with a
/// few hundred megabytes to spare can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanLimits {
    /// Data rows in one CSV file of a stretch request (skills or backlog), counted by the
    /// edge that reads the files before it parses them.
    pub stretch_rows_per_file: usize,
    /// Person-item pairs in the stretch band of one request: each becomes an edge of the
    /// flow network, about 100 bytes of working memory.
    pub stretch_candidates: usize,
    /// How long one stretch solve may take.
    pub stretch_time_limit: Duration,
    /// Solves running at once, of any kind (stretch, rotation what-ifs, the background
    /// plan); at least 1.
    pub solves_at_once: usize,
}

impl Default for PlanLimits {
    fn default() -> Self {
        Self {
            stretch_rows_per_file: 5_000,
            stretch_candidates: 500_000,
            stretch_time_limit: Duration::from_secs(10),
            solves_at_once: 2,
        }
    }
}

impl PlanLimits {
    /// The stretch planner's limits.
    pub fn stretch(&self) -> StretchLimits {
        StretchLimits {
            rows_per_file: Some(self.stretch_rows_per_file),
            candidate_edges: Some(self.stretch_candidates),
            time_limit: Some(self.stretch_time_limit),
        }
    }
}

/// How long a busy client is asked to wait before it tries again: about one rotation
/// solve.
pub const BUSY_RETRY_AFTER: Duration = Duration::from_secs(2);

/// How often the background planner looks at the store's revision when nothing wakes it,
/// so that a write by a `pendulum` command is planned even before a page asks.
const REVISION_POLL: Duration = Duration::from_secs(30);

/// Rotation plans kept at most, for the current revision of the store.
const KEPT_PLANS: usize = 16;

/// What a plan is made from: the ledger and the policy as of one revision of the store.
pub trait Basis: Send + Sync + 'static {
    fn revision(&self) -> i64;
    fn ledger(&self) -> &Ledger;
    fn policy(&self) -> &Policy;
}

/// Where the background planner reads the ledger as it is now (a server's cache of it).
pub trait Ledgers: Send + Sync + 'static {
    type Basis: Basis;
    type Error: std::fmt::Display + Send;
    /// The current ledger and policy; `None` once their owner is gone, which ends the
    /// background planner.
    fn current(&self)
    -> impl Future<Output = Option<Result<Arc<Self::Basis>, Self::Error>>> + Send;
}

/// The default rotation plan as last solved: for which revision and horizon, when, and
/// what came of it (a request's fault, such as an org with no team to plan, is kept too).
#[derive(Debug)]
pub struct SolvedPlan {
    pub revision: i64,
    pub query: RotationQuery,
    pub solved_at: DateTime<Utc>,
    pub outcome: Result<Arc<IndexedPlan>, PlanError>,
}

/// The default plan as a page may show it: the last one solved, if any, and whether it is
/// the plan of the ledger as it is now.
#[derive(Debug)]
pub struct KeptPlan {
    pub solved: Option<Arc<SolvedPlan>>,
    pub current: bool,
}

/// What a reader of the default plan shows: the whole plan (a read of the org, audited)
/// or one person's part of it (on their page, not audited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    WholePlan,
    OnePerson,
}

/// The solve slots, the kept plans and the background planner; owned by a server's state.
#[derive(Debug)]
pub struct Planner {
    shared: Arc<Shared>,
}

/// What the background planner and the solves it spawns share with the planner.
#[derive(Debug)]
struct Shared {
    limits: PlanLimits,
    slots: Arc<Semaphore>,
    latest: Mutex<Option<Arc<SolvedPlan>>>,
    wake: Notify,
    started: OnceLock<()>,
    kept: PlanCache,
}

/// Takes every solve slot while it lives: every request that would solve is answered busy,
/// and the background planner waits.
#[derive(Debug)]
pub struct SolversOccupied {
    _permits: OwnedSemaphorePermit,
}

impl Planner {
    pub fn new(limits: PlanLimits) -> Self {
        Self {
            shared: Arc::new(Shared {
                limits,
                slots: Arc::new(Semaphore::new(limits.solves_at_once.max(1))),
                latest: Mutex::new(None),
                wake: Notify::new(),
                started: OnceLock::new(),
                kept: PlanCache::default(),
            }),
        }
    }

    pub fn limits(&self) -> &PlanLimits {
        &self.shared.limits
    }

    /// Starts the background planner, once, and has it plan the current revision. Needs
    /// the async runtime the server runs on.
    pub fn start(&self, ledgers: impl Ledgers) {
        self.shared.started.get_or_init(|| {
            tokio::spawn(run(self.shared.clone(), ledgers));
            self.wake();
        });
    }

    /// Asks the background planner to look at the store again. Wakes that come while it
    /// solves are kept as one.
    pub fn wake(&self) {
        self.shared.wake.notify_one();
    }

    /// Takes every solve slot until the guard drops, waiting for solves under way to end:
    /// for maintenance, and for tests of the busy answer.
    pub async fn occupy(&self) -> SolversOccupied {
        let all = self.shared.limits.solves_at_once.max(1) as u32;
        match self.shared.slots.clone().acquire_many_owned(all).await {
            Ok(permits) => SolversOccupied { _permits: permits },
            // The semaphore is never closed while the planner lives.
            Err(_) => unreachable!("the solve slots are never closed"),
        }
    }

    /// The default rotation plan as last solved, for `who` (an admin), without waiting for
    /// a solve: wakes the background planner when the kept plan is not the plan of
    /// `revision` (the store's, read afresh) and of today's horizon.
    pub async fn default_plan(
        &self,
        store: &impl Store,
        who: &Who,
        revision: i64,
        shown: Shown,
    ) -> Result<KeptPlan, PlanError> {
        authorize(store, who, Action::ReadRotationPlan).await?;
        let query = RotationQuery::default_from(today());
        let solved = self.shared.latest();
        let current = solved
            .as_ref()
            .is_some_and(|s| s.revision == revision && s.query == query);
        if !current {
            self.wake();
        }
        if shown == Shown::WholePlan && solved.as_ref().is_some_and(|s| s.outcome.is_ok()) {
            audit_read(store, who).await;
        }
        Ok(KeptPlan { solved, current })
    }

    /// The rotation plan for `query` on `basis`, for `who` (an admin): the background
    /// planner's when it is the default plan and solved for this revision; kept from an
    /// earlier request while the store is unchanged; otherwise solved on the blocking pool
    /// if a solve slot is free, and refused as busy if not. The solve runs in a task of its
    /// own, so a client that goes away does not throw the plan away for the next one.
    pub async fn rotation_plan<B: Basis>(
        &self,
        store: &impl Store,
        who: &Who,
        basis: Arc<B>,
        query: &RotationQuery,
    ) -> Result<Arc<IndexedPlan>, PlanError> {
        authorize(store, who, Action::ReadRotationPlan).await?;
        let plan = self.solved_or_kept(basis, query).await?;
        audit_read(store, who).await;
        Ok(plan)
    }

    async fn solved_or_kept<B: Basis>(
        &self,
        basis: Arc<B>,
        query: &RotationQuery,
    ) -> Result<Arc<IndexedPlan>, PlanError> {
        if *query == RotationQuery::default_from(today()) {
            match self.shared.latest() {
                Some(s) if s.revision == basis.revision() && s.query == *query => {
                    return s.outcome.clone();
                }
                _ => self.wake(),
            }
        }
        let cell = self.shared.kept.cell(basis.revision(), query.key());
        if let Some(plan) = cell.get() {
            return Ok(plan.clone());
        }
        let request = query.request(ROTATION_TIME_LIMIT);
        let shared = self.shared.clone();
        tokio::spawn(async move {
            cell.get_or_try_init(|| async {
                let slot = shared.try_slot("rotation plan")?;
                solve_rotation(basis, request, slot).await
            })
            .await
            .cloned()
        })
        .await
        .map_err(|e| stopped("rotation", e))?
    }

    /// The stretch assignment of `input` within the policy's stretch band, for `who` (a
    /// manager or an admin), on the blocking pool, within the planner's [`PlanLimits`]
    /// (candidate pairs are counted before the network is built, and the solve has a time
    /// limit), holding a solve slot or refused as busy.
    pub async fn stretch(
        &self,
        store: &impl Store,
        who: &Who,
        policy: &Policy,
        input: StretchInput,
    ) -> Result<Stretch, PlanError> {
        authorize(store, who, Action::PlanAssignments).await?;
        // The policy was checked when it was read; this only makes it the planner's type.
        let band = pendulum_plan::StretchBand::of_policy(&policy.stretch)?;
        let limits = self.shared.limits.stretch();
        let slot = self.shared.try_slot("stretch plan")?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            stretch::solve(band, &input, &limits)
        })
        .await
        .map_err(|e| stopped("stretch", e))?
    }
}

impl Shared {
    /// A solve slot, or the busy answer when every slot is taken.
    fn try_slot(&self, what: &'static str) -> Result<OwnedSemaphorePermit, PlanError> {
        self.slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| PlanError::Busy { what })
    }

    fn latest(&self) -> Option<Arc<SolvedPlan>> {
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn keep(&self, solved: SolvedPlan) {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(solved));
    }
}

/// The day the default plan starts after, on the server's clock.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Solves a rotation plan on the blocking pool and indexes it there, holding `slot` until
/// the solver ends (even when nobody waits for it any more).
async fn solve_rotation<B: Basis>(
    basis: Arc<B>,
    request: RotationRequest,
    slot: OwnedSemaphorePermit,
) -> Result<Arc<IndexedPlan>, PlanError> {
    let revision = basis.revision();
    let quarters = request.quarters;
    let started = Instant::now();
    let plan = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        rotation::solve(basis.ledger(), basis.policy(), &request)
            .map(|solved| IndexedPlan::new(solved.plan))
    })
    .await
    .map_err(|e| stopped("rotation", e))??;
    tracing::info!(
        revision,
        quarters,
        feasible = plan.plan().feasible,
        duration_ms = started.elapsed().as_millis() as u64,
        "rotation plan solved"
    );
    Ok(Arc::new(plan))
}

/// The background planner: waits to be woken (or for the next look at the revision), then
/// solves the default plan if the kept one is not the newest. Ends when the ledgers'
/// owner is gone.
async fn run(shared: Arc<Shared>, ledgers: impl Ledgers) {
    loop {
        // Timing out is the periodic look at the revision; either way, look.
        let _ = tokio::time::timeout(REVISION_POLL, shared.wake.notified()).await;
        match ledgers.current().await {
            None => return,
            Some(Err(e)) => tracing::error!(error = %e, "the background rotation plan failed"),
            Some(Ok(basis)) => refresh(&shared, basis).await,
        }
    }
}

/// Solves the default plan for the revision of `basis`, unless the kept one is for it.
async fn refresh<B: Basis>(shared: &Shared, basis: Arc<B>) {
    let query = RotationQuery::default_from(today());
    let revision = basis.revision();
    if shared
        .latest()
        .is_some_and(|s| s.revision == revision && s.query == query)
    {
        return;
    }
    let Ok(slot) = shared.slots.clone().acquire_owned().await else {
        return;
    };
    let outcome = solve_rotation(basis, query.request(ROTATION_TIME_LIMIT), slot).await;
    if let Err(e @ (PlanError::Rejected(_) | PlanError::Stopped { .. })) = &outcome {
        tracing::error!(error = %e, revision, "the background rotation plan failed");
    }
    shared.keep(SolvedPlan {
        revision,
        query,
        solved_at: Utc::now(),
        outcome,
    });
}

/// Rotation plans of the current revision of the store, oldest first. Each is a cell that
/// the first request fills and later ones wait on, so the same plan is never solved twice
/// at once.
#[derive(Debug, Default)]
struct PlanCache {
    plans: Mutex<VecDeque<Kept>>,
}

/// A plan kept: the revision of the store and the request's key it answers, and the cell
/// it is (or will be) in.
#[derive(Debug)]
struct Kept {
    revision: i64,
    key: String,
    plan: Arc<OnceCell<Arc<IndexedPlan>>>,
}

impl PlanCache {
    fn cell(&self, revision: i64, key: String) -> Arc<OnceCell<Arc<IndexedPlan>>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
