//! [`StopHandle`]: ends an [`EventStream`](super::EventStream) from another task.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures_util::task::AtomicWaker;

/// Stops an [`EventStream`](super::EventStream) from another task: the stream ends at its next poll,
/// without reconnecting (a read in progress returns at once).
#[derive(Clone, Debug, Default)]
pub struct StopHandle(Arc<StopFlag>);

#[derive(Debug, Default)]
struct StopFlag {
    stopped: AtomicBool,
    waker: AtomicWaker,
}

impl StopHandle {
    /// End the stream. Safe to call more than once, from any thread.
    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        self.0.waker.wake();
    }

    /// Wake this task when `stop` is called.
    pub(super) fn register(&self, waker: &std::task::Waker) {
        self.0.waker.register(waker);
    }

    /// Whether `stop` was called.
    pub fn is_stopped(&self) -> bool {
        self.0.stopped.load(Ordering::SeqCst)
    }
}
