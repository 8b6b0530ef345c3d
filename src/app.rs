//! Dispatch: runs the action `cli` resolved and turns its result into output and an exit
//! code. Per-file problems are printed here, one line each, as they are reported.

use crate::cli::{Action, Invocation, SearchFormat, SummaryFormat};
use crate::commands;
use crate::commands::index::{NoProgress, Rejected};
use crate::error::ExitCode;
use crate::output::{self, Palette};
use crate::progress::TerminalProgress;
use anyhow::Result;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first Ctrl-C: indexing stops between files and commits what is done.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn install_interrupt_handler() {
    // A second Ctrl-C ends the process at once; the last commit is still intact.
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            // Leave no half-drawn progress bar on the terminal.
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                eprint!("\r\x1b[2K");
            }
            std::process::exit(ExitCode::Interrupted.code() as i32);
        }
    });
}

/// Files that could not be read (always shown) and files skipped (warnings, not with -q).
fn report_problems(rejected: &[Rejected], skipped: &[Rejected], quiet: bool) {
    for problem in rejected {
        eprintln!("nkdigi: {problem}");
    }
    if !quiet {
        for problem in skipped {
            eprintln!("nkdigi: warning: {problem}");
        }
    }
}

pub fn run(invocation: Invocation) -> Result<ExitCode> {
    let Invocation { settings, action } = invocation;
    let index = settings.index.value.clone();
    let quiet = settings.quiet;
    let color = output::use_color(settings.color.value);
    let palette = Palette::new(color);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let code = match action {
        Action::Index { options, format } => {
            install_interrupt_handler();
            // A bar only for a person watching: stderr is a terminal and --quiet is off.
            let summary = if !quiet && io::stderr().is_terminal() {
                commands::index::run(&options, &TerminalProgress::new(), &INTERRUPTED)?
            } else {
                commands::index::run(&options, &NoProgress, &INTERRUPTED)?
            };
            if settings.verbose && !quiet {
                for (change, path) in &summary.changes {
                    eprintln!("{change:>8} {}", crate::error::printable(path));
                }
            }
            report_problems(&summary.rejected, &summary.skipped, quiet);
            match format {
                SummaryFormat::Json => output::index_summary_json(&mut out, &summary)?,
                SummaryFormat::Text if !quiet => output::index_summary_text(&mut out, &summary)?,
                SummaryFormat::Text => {}
            }
            if summary.rejected.is_empty() {
                ExitCode::Success
            } else {
                ExitCode::Partial
            }
        }
        Action::Search { options, format, null } => {
            let outcome = commands::search::run(&options)?;
            let offset = options.offset;
            match format {
                SearchFormat::Text => output::search_text(&mut out, &outcome, offset, &palette, output::width())?,
                SearchFormat::Json => output::search_json(&mut out, &outcome, offset)?,
                SearchFormat::Jsonl => output::search_jsonl(&mut out, &outcome, offset)?,
                SearchFormat::Paths => output::search_paths(&mut out, &outcome, null)?,
                SearchFormat::Vimgrep => output::search_vimgrep(&mut out, &outcome)?,
            }
            if !quiet {
                if let Some(footer) = output::search_footer(&outcome, offset) {
                    out.flush()?;
                    eprintln!("{footer}");
                }
            }
            if outcome.total == 0 {
                if !quiet {
                    if outcome.unknown_names.is_empty() {
                        // Closest indexed words for the query's unknown words.
                        let hints: Vec<String> = commands::search::closest_terms(&options)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(word, near)| format!("did you mean {} (for {word})?", near.join(" or ")))
                            .collect();
                        if hints.is_empty() {
                            eprintln!("nkdigi: no results");
                        } else {
                            eprintln!("nkdigi: no results; {}", hints.join("; "));
                        }
                    }
                    for (name, closest) in &outcome.unknown_names {
                        let hint = if closest.is_empty() {
                            String::new()
                        } else {
                            format!("; closest names in the index: {}", closest.join(", "))
                        };
                        eprintln!("nkdigi: no entity in the index is named {name:?}{hint}");
                    }
                }
                ExitCode::Partial
            } else {
                ExitCode::Success
            }
        }
        Action::Show { document, explain: true, format } => {
            let (doc, explanation) = commands::show_explained(&index, &document)?;
            match format {
                SummaryFormat::Text => {
                    output::document_text(&mut out, &doc, &palette, output::width())?;
                    output::explanation_text(&mut out, &explanation, &palette)?;
                }
                SummaryFormat::Json => output::explained_json(&mut out, &doc, &explanation)?,
            }
            ExitCode::Success
        }
        Action::Show { document, explain: false, format } => {
            let doc = commands::show(&index, &document)?;
            match format {
                SummaryFormat::Text => output::document_text(&mut out, &doc, &palette, output::width())?,
                SummaryFormat::Json => output::document_json(&mut out, &doc)?,
            }
            ExitCode::Success
        }
        Action::Export => {
            commands::export(&index, |doc| output::export_line(&mut out, &doc).map_err(anyhow::Error::from))?;
            ExitCode::Success
        }
        Action::Stats { options, by, format } => {
            let (counts, total) = commands::stats(&index, &options, by, format == SummaryFormat::Json)?;
            match format {
                SummaryFormat::Text => output::stats_text(&mut out, &counts, &palette, output::width())?,
                SummaryFormat::Json => {
                    let total = total.expect("asked for with JSON");
                    output::stats_json(&mut out, by.name(), &counts, total, options.passages)?
                }
            }
            ExitCode::Success
        }
        Action::Check { options, format } => {
            install_interrupt_handler();
            let report = commands::check::run(&options, &INTERRUPTED)?;
            report_problems(&report.rejected, &report.skipped, quiet);
            report_problems(&[], &report.warnings, quiet);
            match format {
                SummaryFormat::Json => output::check_json(&mut out, &report)?,
                SummaryFormat::Text => output::check_text(&mut out, &report, &palette, output::width())?,
            }
            if report.rejected.is_empty() {
                ExitCode::Success
            } else {
                ExitCode::Partial
            }
        }
        Action::Verify { format } => {
            let report = commands::verify(&index)?;
            match format {
                SummaryFormat::Json => output::verify_json(&mut out, &report)?,
                SummaryFormat::Text => output::verify_text(&mut out, &report, &index, &palette)?,
            }
            if report.problems.is_empty() {
                ExitCode::Success
            } else {
                ExitCode::Partial
            }
        }
        Action::Completions { shell } => {
            crate::cli::write_completions(shell, &mut out)?;
            ExitCode::Success
        }
        Action::Man { dir: None } => {
            crate::cli::write_man_page(&mut out)?;
            ExitCode::Success
        }
        Action::Man { dir: Some(dir) } => {
            let written = crate::cli::write_man_pages(&dir)?;
            if !quiet {
                eprintln!("wrote {} pages into {}", written, dir.display());
            }
            ExitCode::Success
        }
        Action::Entities { kinds, suggest, format } => {
            let report = commands::entities::run(&index, &kinds, suggest)?;
            match format {
                SummaryFormat::Text => output::entities_text(&mut out, &report, &palette)?,
                SummaryFormat::Json => output::entities_json(&mut out, &report)?,
            }
            ExitCode::Success
        }
        Action::Config { format } => {
            match format {
                SummaryFormat::Text => output::config_text(&mut out, &settings, &palette)?,
                SummaryFormat::Json => output::config_json(&mut out, &settings)?,
            }
            ExitCode::Success
        }
    };
    out.flush()?;
    Ok(code)
}
