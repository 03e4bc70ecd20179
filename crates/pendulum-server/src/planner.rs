//! Who may solve, and when: the server's solve slots and its background planner.
//!
//! A rotation plan of a 10,000-person org takes seconds, a stretch assignment as long as
//! its limits allow, and each holds its working memory until it ends. So every solve
//! takes one of a few slots first ([`PlanLimits::solves_at_once`]); a request that finds
//! none free is told the server is busy (503 with `Retry-After`) instead of queueing work
//! nobody may wait for.
//!
//! The default rotation plan (what `/plans` and an admin's person page show) is never
//! solved for a request: one background task solves it for the newest revision of the
//! store, one solve at a time. A write, or a request that sees the revision has moved,
//! only wakes it; wakes that come while it solves fold into one more solve, so ten writes
//! in a row cost at most one extra plan. Pages read the last plan it finished, with the
//! revision and the time it was solved, and never wait for the next.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pendulum_plan::org::RotationPlan;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use crate::plans::RotationQuery;
use crate::{AppError, AppState};

/// What one server lets its solvers cost. The defaults are what a 2-core server with a
/// few hundred megabytes to spare can take; [`AppState::with_plan_limits`] changes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanLimits {
    /// Data rows in one CSV file of a stretch request (skills or backlog).
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

/// How long a busy client is asked to wait before it tries again: about one rotation
/// solve.
pub(crate) const BUSY_RETRY_AFTER: Duration = Duration::from_secs(2);

/// How often the background planner looks at the store's revision when nothing wakes it,
/// so that a write by a `pendulum` command is planned even before a page asks.
const REVISION_POLL: Duration = Duration::from_secs(30);

/// The default rotation plan as last solved: for which revision and horizon, when, and
/// what came of it (a request's fault, such as an org with no team to plan, is kept too).
#[derive(Debug)]
pub(crate) struct SolvedPlan {
    pub revision: i64,
    pub query: RotationQuery,
    pub solved_at: DateTime<Utc>,
    pub outcome: Result<Arc<RotationPlan>, AppError>,
}

/// The default plan as a page may show it: the last one solved, if any, and whether it is
/// the plan of the ledger as it is now.
#[derive(Debug)]
pub(crate) struct KeptPlan {
    pub solved: Option<Arc<SolvedPlan>>,
    pub current: bool,
}

/// The slots and the background planner, owned by the server's state.
#[derive(Debug)]
pub(crate) struct Planner {
    limits: PlanLimits,
    slots: Arc<Semaphore>,
    latest: Mutex<Option<Arc<SolvedPlan>>>,
    wake: Arc<Notify>,
    started: OnceLock<()>,
}

impl Planner {
    pub fn new(limits: PlanLimits) -> Self {
        Self {
            limits,
            slots: Arc::new(Semaphore::new(limits.solves_at_once.max(1))),
            latest: Mutex::new(None),
            wake: Arc::new(Notify::new()),
            started: OnceLock::new(),
        }
    }

    pub fn limits(&self) -> &PlanLimits {
        &self.limits
    }

    /// A solve slot, or the busy answer when every slot is taken.
    pub fn try_slot(&self, what: &str) -> Result<OwnedSemaphorePermit, AppError> {
        self.slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy {
                message: format!(
                    "the server is busy with other plans; try the {what} again in a few seconds"
                ),
                retry_after: BUSY_RETRY_AFTER,
            })
    }

    /// Asks the background planner to look at the store again. Wakes that come while it
    /// solves are kept as one.
    pub fn wake(&self) {
        self.wake.notify_one();
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

/// Takes every solve slot while it lives: the server answers busy to every request that
/// would solve, and the background planner waits.
#[derive(Debug)]
pub struct SolversOccupied {
    _permits: OwnedSemaphorePermit,
}

impl AppState {
    /// The default rotation plan as last solved, without waiting for a solve: starts the
    /// background planner on first use, and wakes it when the kept plan is not the plan
    /// of the current revision and horizon.
    pub(crate) async fn default_plan(&self) -> Result<KeptPlan, AppError> {
        let revision = self.store_revision().await?;
        self.start_planner();
        let planner = self.planner();
        let query = RotationQuery::default_from(chrono::Local::now().date_naive());
        let solved = planner.latest();
        let current = solved
            .as_ref()
            .is_some_and(|s| s.revision == revision && s.query == query);
        if !current {
            planner.wake();
        }
        Ok(KeptPlan { solved, current })
    }

    /// Starts the background planner, once, and has it plan the current revision. Needs
    /// the async runtime the server runs on.
    pub(crate) fn start_planner(&self) {
        let planner = self.planner();
        planner.started.get_or_init(|| {
            tokio::spawn(run(self.downgrade(), planner.wake.clone()));
        });
        planner.wake();
    }

    /// Takes every solve slot until the guard drops, waiting for solves under way to end:
    /// for maintenance, and for tests of the busy answer.
    pub async fn occupy_solvers(&self) -> SolversOccupied {
        let planner = self.planner();
        let all = planner.limits.solves_at_once.max(1) as u32;
        match planner.slots.clone().acquire_many_owned(all).await {
            Ok(permits) => SolversOccupied { _permits: permits },
            // The semaphore is never closed while the state lives.
            Err(_) => unreachable!("the solve slots are never closed"),
        }
    }
}

/// The background planner: waits to be woken (or for the next look at the revision), then
/// solves the default plan if the kept one is not the newest. Ends when the server's state
/// is gone.
async fn run(state: crate::state::WeakState, wake: Arc<Notify>) {
    loop {
        // Timing out is the periodic look at the revision; either way, look.
        let _ = tokio::time::timeout(REVISION_POLL, wake.notified()).await;
        let Some(state) = state.upgrade() else {
            return;
        };
        if let Err(e) = refresh(&state).await {
            tracing::error!(error = %e, "the background rotation plan failed");
        }
    }
}

/// Solves the default plan for the current revision, unless the kept one is for it.
async fn refresh(state: &AppState) -> Result<(), AppError> {
    let snapshot = state.snapshot().await?;
    let query = RotationQuery::default_from(chrono::Local::now().date_naive());
    let planner = state.planner();
    if planner
        .latest()
        .is_some_and(|s| s.revision == snapshot.revision && s.query == query)
    {
        return Ok(());
    }
    let Ok(slot) = planner.slots.clone().acquire_owned().await else {
        return Ok(());
    };
    let revision = snapshot.revision;
    let outcome = crate::plans::solve_rotation(snapshot, query.request(), slot).await;
    if let Err(AppError::Internal(detail)) = &outcome {
        tracing::error!(error = %detail, revision, "the background rotation plan failed");
    }
    planner.keep(SolvedPlan {
        revision,
        query,
        solved_at: Utc::now(),
        outcome,
    });
    Ok(())
}
