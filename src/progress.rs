//! The progress bar of `index` on a terminal: files, throughput and time left.

use crate::commands::index::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

pub struct TerminalProgress {
    bar: ProgressBar,
    /// Files done; counted and shown under one lock so the counter never runs backwards.
    files: Mutex<u64>,
    total_files: AtomicU64,
}

impl TerminalProgress {
    pub fn new() -> TerminalProgress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{wide_bar}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        TerminalProgress { bar, files: Mutex::new(0), total_files: AtomicU64::new(0) }
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        TerminalProgress::new()
    }
}

impl Progress for TerminalProgress {
    fn start(&self, files: u64, bytes: u64) {
        self.total_files.store(files, Ordering::Relaxed);
        self.bar.set_length(bytes);
        self.bar.set_message(format!("0/{files} files"));
    }

    fn advance(&self, bytes: u64) {
        let mut done = self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *done += 1;
        self.bar.inc(bytes);
        self.bar.set_message(format!("{}/{} files", *done, self.total_files.load(Ordering::Relaxed)));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
