//! The one long job the app runs at a time (a check, an import, an export, a
//! forecast run, a month's close): its progress the UI polls, and the user's cancel.

use crate::{AppState, Reply};
use salesplan_core::imports::{JobProgress, Progress};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tauri::State;

/// The running job's rows done and total, and the user's cancel.
#[derive(Default)]
pub struct Job {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
}

impl Job {
    /// Starts a new job in place of the last one: nothing done, not cancelled.
    pub(crate) fn start(self: &Arc<Job>) -> Arc<Job> {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(0, Ordering::Relaxed);
        self.cancel.store(false, Ordering::Relaxed);
        Arc::clone(self)
    }
}

impl Progress for Job {
    fn update(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Rows done of the running job.
#[tauri::command(async, rename_all = "snake_case")]
pub fn job_progress(state: State<'_, AppState>) -> Reply<JobProgress> {
    Ok(JobProgress {
        done: state.job.done.load(Ordering::Relaxed),
        total: state.job.total.load(Ordering::Relaxed),
    })
}

/// Stops the running job; nothing of it is written.
#[tauri::command(async, rename_all = "snake_case")]
pub fn job_cancel(state: State<'_, AppState>) -> Reply<()> {
    state.job.cancel.store(true, Ordering::Relaxed);
    Ok(())
}
