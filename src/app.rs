//! Dispatch: turns parsed options into command calls and their results into output and an
//! exit code. Per-file problems are printed here, one line each, as they are reported.

use crate::cli::{Command, EntitiesArgs, KindArg, Opts, SearchFormat, SummaryFormat};
use crate::commands;
use crate::commands::index::{NoProgress, Rejected};
use crate::error::ExitCode;
use crate::output::{self, Palette};
use crate::progress::TerminalProgress;
use crate::tagging::registry::Kind;
use anyhow::Result;
use clap::CommandFactory;
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

pub fn run(opts: Opts) -> Result<ExitCode> {
    let index = crate::cli::index_path(opts.index.as_deref());
    let color = output::use_color(opts.color.choice());
    let palette = Palette::new(color);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let code = match &opts.command {
        Command::Index(args) => {
            let options = args.options(index)?;
            install_interrupt_handler();
            // A bar only for a person watching: stderr is a terminal and --quiet is off.
            let summary = if !opts.quiet && io::stderr().is_terminal() {
                commands::index::run(&options, &TerminalProgress::new(), &INTERRUPTED)?
            } else {
                commands::index::run(&options, &NoProgress, &INTERRUPTED)?
            };
            if opts.verbose && !opts.quiet {
                for (change, path) in &summary.changes {
                    eprintln!("{change:>8} {}", crate::error::printable(path));
                }
            }
            report_problems(&summary.rejected, &summary.skipped, opts.quiet);
            match args.format {
                SummaryFormat::Json => output::index_summary_json(&mut out, &summary)?,
                SummaryFormat::Text if !opts.quiet => output::index_summary_text(&mut out, &summary)?,
                SummaryFormat::Text => {}
            }
            if summary.rejected.is_empty() {
                ExitCode::Success
            } else {
                ExitCode::Partial
            }
        }
        Command::Search(args) => {
            if args.query.as_deref().is_none_or(|q| q.trim().is_empty()) && args.filters.is_empty() {
                anyhow::bail!(crate::error::Error::Usage(
                    "give a QUERY or a filter (--speaker, --institution, --topic, --since, --until)".into()
                ));
            }
            let mut options = args.filters.search_options(index, args.query.as_deref());
            options.passages = args.passages;
            // A page for a reader; everything for a script, unless it asks for less.
            let text = matches!(args.format, SearchFormat::Text);
            options.limit = args.limit.unwrap_or(if text { 10 } else { usize::MAX });
            options.offset = args.offset;
            options.absolute_paths = args.absolute_path;
            options.sort = args.sort.sort();
            let outcome = commands::search::run(&options)?;
            match args.format {
                SearchFormat::Text => output::search_text(&mut out, &outcome, args.offset, &palette, output::width())?,
                SearchFormat::Json => output::search_json(&mut out, &outcome, args.offset)?,
                SearchFormat::Jsonl => output::search_jsonl(&mut out, &outcome, args.offset)?,
                SearchFormat::Paths => output::search_paths(&mut out, &outcome, args.null)?,
                SearchFormat::Vimgrep => output::search_vimgrep(&mut out, &outcome)?,
            }
            if !opts.quiet {
                if let Some(footer) = output::search_footer(&outcome, args.offset) {
                    out.flush()?;
                    eprintln!("{footer}");
                }
            }
            if outcome.total == 0 {
                if !opts.quiet {
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
        Command::Show(args) if args.explain => {
            let (doc, explanation) = commands::show_explained(&index, &args.document)?;
            match args.format {
                SummaryFormat::Text => {
                    output::document_text(&mut out, &doc, &palette, output::width())?;
                    output::explanation_text(&mut out, &explanation, &palette)?;
                }
                SummaryFormat::Json => output::explained_json(&mut out, &doc, &explanation)?,
            }
            ExitCode::Success
        }
        Command::Show(args) => {
            let doc = commands::show(&index, &args.document)?;
            match args.format {
                SummaryFormat::Text => output::document_text(&mut out, &doc, &palette, output::width())?,
                SummaryFormat::Json => output::document_json(&mut out, &doc)?,
            }
            ExitCode::Success
        }
        Command::Export => {
            let docs = commands::export(&index)?;
            output::export(&mut out, &docs)?;
            ExitCode::Success
        }
        Command::Stats(args) => {
            let mut options = args.filters.search_options(index.clone(), args.query.as_deref());
            options.passages = args.passages;
            let counts = commands::stats(&index, &options, args.by.count_by())?;
            let by = format!("{:?}", args.by).to_lowercase();
            let mut docs_options = options.clone();
            docs_options.limit = 0;
            let total = commands::search::run(&docs_options)?.total as u64;
            match args.format {
                SummaryFormat::Text => output::stats_text(&mut out, &counts, &palette, output::width())?,
                SummaryFormat::Json => output::stats_json(&mut out, &by, &counts, total, args.passages)?,
            }
            ExitCode::Success
        }
        Command::Check(args) => {
            let options = commands::check::CheckOptions {
                paths: args.paths.clone(),
                taxonomy: args.taxonomy.clone(),
                max_file_size: args.max_file_size,
                follow: args.follow,
                explain: args.explain,
            };
            install_interrupt_handler();
            let report = commands::check::run(&options, &INTERRUPTED)?;
            report_problems(&report.rejected, &report.skipped, opts.quiet);
            report_problems(&[], &report.warnings, opts.quiet);
            match args.format {
                SummaryFormat::Json => output::check_json(&mut out, &report)?,
                SummaryFormat::Text => output::check_text(&mut out, &report, &palette, output::width())?,
            }
            if report.rejected.is_empty() {
                ExitCode::Success
            } else {
                ExitCode::Partial
            }
        }
        Command::Verify(args) => {
            let report = commands::verify(&index)?;
            match args.format {
                SummaryFormat::Json => output::verify_json(&mut out, &report)?,
                SummaryFormat::Text => output::verify_text(&mut out, &report, &index, &palette)?,
            }
            if report.problems.is_empty() {
                ExitCode::Success
            } else {
                ExitCode::Partial
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Opts::command(), "nkdigi", &mut out);
            ExitCode::Success
        }
        Command::Man { dir: None } => {
            output::man_page(&mut out, Opts::command())?;
            ExitCode::Success
        }
        Command::Man { dir: Some(dir) } => {
            let written = output::man_pages(dir, Opts::command())?;
            if !opts.quiet {
                eprintln!("wrote {} pages into {}", written, dir.display());
            }
            ExitCode::Success
        }
        Command::Entities(EntitiesArgs { kind, suggest, format }) => {
            let kinds: Vec<Kind> = KindArg::kinds(*kind);
            let report = commands::entities::run(&index, &kinds, *suggest)?;
            match format {
                SummaryFormat::Text => output::entities_text(&mut out, &report, &palette)?,
                SummaryFormat::Json => output::entities_json(&mut out, &report)?,
            }
            ExitCode::Success
        }
    };
    out.flush()?;
    Ok(code)
}
