//! Work off the async workers: blocking reads on the blocking pool, watched from the
//! caller's task, and a small pool of scoped threads for work split by item.

use std::panic::resume_unwind;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::task::JoinError;

use super::Progress;

/// How often a running read reports its progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// Runs `work` on the blocking pool and waits for it.
pub(crate) async fn blocking<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> R {
    joined(tokio::task::spawn_blocking(work).await)
}

/// Runs `work` on the blocking pool and, until it ends, tells `progress` what `sample`
/// says (items done, commits read) every [`PROGRESS_EVERY`]. The wait ends as soon as the
/// work does: sleeping between updates instead kept every ingest waiting 25 ms on average
/// after its read.
pub(crate) async fn watched<R: Send + 'static>(
    total: usize,
    progress: &dyn Progress,
    sample: impl Fn() -> (usize, u64),
    work: impl FnOnce() -> R + Send + 'static,
) -> R {
    progress.start(total);
    let mut task = tokio::task::spawn_blocking(work);
    let result = loop {
        tokio::select! {
            result = &mut task => break result,
            () = tokio::time::sleep(PROGRESS_EVERY) => {
                let (done, commits) = sample();
                progress.advance(done, commits);
            }
        }
    };
    progress.finish();
    joined(result)
}

/// The task's result; a panic in it goes on in the caller, as it would have in the caller's
/// own thread.
fn joined<R>(result: Result<R, JoinError>) -> R {
    match result {
        Ok(r) => r,
        Err(e) if e.is_panic() => resume_unwind(e.into_panic()),
        Err(e) => panic!("the runtime shut down during an ingest: {e}"),
    }
}

/// `work` on every item on all cores, results in item order; the first error in item order
/// is the result, so the error a run reports does not depend on thread timing.
pub(crate) fn for_each_parallel<T: Sync, R: Send, E: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R, E>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = work(item);
                    results.lock().expect("no worker panics")[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|r| r.expect("every item was worked on"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order_and_the_first_error_wins() {
        let items: Vec<u32> = (0..100).collect();
        let doubled = for_each_parallel(&items, |i| Ok::<_, u32>(i * 2)).unwrap();
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        let failed = for_each_parallel(&items, |&i| if i % 7 == 3 { Err(i) } else { Ok(i) });
        assert_eq!(failed, Err(3));
        assert_eq!(
            for_each_parallel(&[] as &[u32], |&i| Ok::<_, ()>(i)),
            Ok(vec![])
        );
    }
}
