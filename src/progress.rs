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

/// The bar's fields: all of them on a wide terminal; on a narrow one, what fits in 50
/// columns (files, the bar, percent and time left).
fn template(columns: usize) -> &'static str {
    if columns >= 100 {
        "{spinner} {msg} [{wide_bar}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}"
    } else {
        "{spinner} {msg} [{wide_bar}] {percent:>3}% ETA {eta}"
    }
}

impl TerminalProgress {
    pub fn new() -> TerminalProgress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let columns = terminal_size::terminal_size_of(std::io::stderr()).map_or(80, |(w, _)| usize::from(w.0));
        bar.set_style(ProgressStyle::with_template(template(columns)).expect("a valid template").progress_chars("=> "));
        TerminalProgress { bar, files: Mutex::new(0), total_files: AtomicU64::new(0) }
    }
}

/// However a run ends (finished, interrupted by Ctrl-C, or failed with an error), the bar is
/// cleared before the summary or the error is printed: it is dropped first. (A panic's
/// message clears the line itself.)
impl Drop for TerminalProgress {
    fn drop(&mut self) {
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        TerminalProgress::new()
    }
}

impl Progress for TerminalProgress {
    fn found(&self, files: u64, bytes: u64) {
        // Under the lock that counts files done, so the message never shows more done than found.
        let done = self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let total = self.total_files.fetch_add(files, Ordering::Relaxed) + files;
        self.bar.inc_length(bytes);
        self.bar.set_message(format!("{}/{total} files", *done));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest line each template draws, its bar at the narrowest, fits the width.
    #[test]
    fn the_bar_fits_a_fifty_column_terminal() {
        let widest_fields = |template: &str| {
            template
                .replace("{spinner}", "⠁")
                .replace("{msg}", "76000/76000 files")
                .replace("{wide_bar}", "")
                .replace("{binary_bytes}", "1023.99 MiB")
                .replace("{binary_total_bytes}", "1023.99 MiB")
                .replace("{binary_bytes_per_sec}", "1023.99 MiB/s")
                .replace("{percent:>3}", "100")
                .replace("{eta}", "59m")
                .chars()
                .count()
        };
        assert!(widest_fields(template(50)) + 3 <= 50, "{}", widest_fields(template(50)));
        assert!(widest_fields(template(100)) + 3 <= 100);
        assert_ne!(template(50), template(120), "a wide terminal shows throughput too");
    }
}
