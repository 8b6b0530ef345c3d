//! Terminal behaviour: the progress bar of `index`, the color decisions, and the stats bar
//! chart and its widths, as a person sees them on a terminal and as scripts see them
//! through pipes (no bar, no escape codes).
//!
//! What a person sees on a terminal is tested through a real pseudo-terminal (util-linux
//! `script`, see tests/common/pty.rs): tests that care about the width set it with
//! `stty rows 24 cols N` inside the line they run. What scripts see is tested through
//! plain pipes with assert_cmd.
//!
//! Every run happens in a fresh temp dir, with the caller's environment scrubbed by the
//! shared launcher (tests/common): without NKDIGI_*, NO_COLOR, COLUMNS and LINES, so
//! results depend only on the fixtures.

mod common;
use common::fixtures::*;
use common::json::{Hit, SearchJson, StatsJson};
use common::sandbox::Sandbox;
use common::Run;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------
// Fixtures generated per test.
// ---------------------------------------------------------------------------------------

/// `count` generated notes of about 3 KB each under `notes/`, enough for a visible bar.
fn generated_notes(sb: &Sandbox, count: usize) {
    let filler = "Observers said the mobile network keeps growing in the provinces. ".repeat(45);
    for i in 0..count {
        sb.write(
            &format!("notes/gen-{i:03}.md"),
            &format!("---\ntitle: Generated note {i}\ndate: 2024-{:02}\n---\nNote {i}. {filler}\n", i % 12 + 1),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Helpers: escape codes and the chart.
// ---------------------------------------------------------------------------------------

static ANSI: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").unwrap());

fn strip_ansi(text: &str) -> String {
    ANSI.replace_all(text, "").into_owned()
}

/// `word` appears painted: right after an SGR escape and right before a reset.
fn is_painted(text: &str, word: &str) -> bool {
    Regex::new(&format!(r"\x1b\[[0-9;]*m{}\x1b\[0?m", regex::escape(word))).unwrap().is_match(text)
}

/// Terminal columns a line takes (every character here is one column wide).
fn columns(line: &str) -> usize {
    strip_ansi(line).trim_end_matches('\r').chars().count()
}

/// One line of the stats chart: label, count, bar cells.
#[derive(Debug, PartialEq)]
struct BarLine {
    label: String,
    count: u64,
    cells: usize,
}

/// Parses `LABEL  N ████` lines (escape codes stripped first).
#[track_caller]
fn bar_lines(text: &str) -> Vec<BarLine> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.*?)\s+(\d+) ?(█*)$").unwrap());
    strip_ansi(text)
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let caps = LINE.captures(l).unwrap_or_else(|| panic!("not a chart line: {l:?} in\n{text}"));
            BarLine {
                label: caps[1].trim().to_string(),
                count: caps[2].parse().unwrap(),
                cells: caps[3].chars().count(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1. The progress bar of `index`.
// ---------------------------------------------------------------------------------------

#[test]
fn the_progress_bar_fits_a_fifty_column_terminal() {
    let sb = Sandbox::new();
    generated_notes(&sb, 300);
    let shown = sb.pty(&format!("stty rows 24 cols 50 && {}", sb.line(&["index", "notes"]))).ok().screen;
    // (The total grows while the walk finds files: any frame's counter shows the bar.)
    assert!(Regex::new(r"\d+/\d+ files").unwrap().is_match(&shown), "the bar was drawn:\n{shown}");
    let frames: Vec<String> =
        strip_ansi(&shown).split(['\r', '\n']).filter(|f| f.contains(" files [")).map(str::to_string).collect();
    assert!(!frames.is_empty(), "no bar frames in:\n{shown}");
    for frame in frames {
        assert!(frame.chars().count() <= 50, "{} columns: {frame:?}", frame.chars().count());
    }
}

#[test]
fn index_draws_a_progress_bar_on_a_terminal_and_clears_it_before_the_summary() {
    let sb = Sandbox::new();
    generated_notes(&sb, 300);
    let shown = sb.pty(&sb.line(&["index", "notes"])).ok().screen;
    assert!(Regex::new(r"\d+/\d+ files").unwrap().is_match(&shown), "no file counter in:\n{shown}");
    assert!(shown.contains("ETA"), "no ETA in:\n{shown}");
    let last_frame = shown.rfind("ETA").unwrap();
    let summary = shown.find("indexed: 300 added").unwrap_or_else(|| panic!("no summary in:\n{shown}"));
    assert!(last_frame < summary, "the bar was drawn after the summary:\n{shown}");
    assert!(
        shown[last_frame..summary].contains("\x1b[2K"),
        "the bar was not cleared before the summary:\n{:?}",
        &shown[last_frame..summary]
    );
    assert_eq!(sb.exported_paths().len(), 300);
}

#[test]
fn the_file_counter_of_the_bar_never_goes_backwards() {
    let sb = Sandbox::new();
    generated_notes(&sb, 300);
    let shown = sb.pty(&sb.line(&["index", "notes"])).ok().screen;
    // The total grows while the walk finds files (`0/16 files`, `1/112 files`, …, `/300`):
    // every frame counts, whatever its total, so the check does not hang on how soon the
    // walk ends.
    let counter = Regex::new(r"(\d+)/(\d+) files").unwrap();
    let seen: Vec<(u64, u64)> =
        counter.captures_iter(&shown).map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap())).collect();
    assert!(seen.len() > 1, "too few frames to compare:\n{shown}");
    for pair in seen.windows(2) {
        let ((done, total), (next_done, next_total)) = (pair[0], pair[1]);
        assert!(done <= next_done, "counter went from {done} to {next_done}; frames: {seen:?}");
        assert!(total <= next_total, "total went from {total} to {next_total}; frames: {seen:?}");
    }
    assert!(seen.iter().all(|&(done, total)| done <= total && total <= 300), "frames: {seen:?}");
}

#[test]
fn index_prints_nothing_on_stderr_when_stderr_is_a_pipe() {
    let sb = Sandbox::new();
    generated_notes(&sb, 200);
    let run = sb.run(&["index", "notes"]).ok();
    assert_eq!(run.stderr, "", "stderr is a pipe: no bar, no noise");
    assert!(run.stdout.contains("indexed: 200 added"), "{}", run.stdout);
}

#[test]
fn index_draws_no_bar_when_only_stdout_is_a_terminal() {
    let sb = Sandbox::new();
    generated_notes(&sb, 200);
    let line = format!("{} 2>stderr.txt", sb.line(&["index", "notes"]));
    let shown = sb.pty(&line).ok().screen;
    assert!(shown.contains("indexed: 200 added"), "the summary goes to the terminal:\n{shown}");
    assert!(!shown.contains("ETA") && !shown.contains("files ["), "a bar on stdout:\n{shown}");
    let stderr = std::fs::read_to_string(sb.path().join("stderr.txt")).unwrap();
    assert_eq!(stderr, "", "stderr is a file: no bar");
}

#[test]
fn ctrl_c_on_a_terminal_clears_the_bar_before_the_summary() {
    let sb = Sandbox::new();
    generated_notes(&sb, 999);
    // Ctrl-C once the writer holds its lock (the run is under way), then the exit code.
    let line = format!(
        "{} & p=$!; while [ ! -e ix/.tantivy-writer.lock ]; do :; done; kill -INT $p; wait $p; echo exit=$?",
        sb.line(&["index", "notes"])
    );
    let shown = sb.pty(&line).ok().screen;
    assert!(shown.contains("exit=130"), "not interrupted:\n{shown}");
    // Stopped while walking (`nkdigi: interrupted`) or between files (the summary of what
    // was committed): either way every frame drawn before it is cleared first, none after.
    let end = shown
        .find("indexed:")
        .or_else(|| shown.find("nkdigi: interrupted"))
        .unwrap_or_else(|| panic!("no summary or message in:\n{shown}"));
    if let Some(last_frame) = shown[..end].rfind(" files") {
        assert!(shown[last_frame..end].contains("\x1b[2K"), "the bar stayed:\n{:?}", &shown[last_frame..]);
    }
    assert!(!shown[end..].contains(" files ["), "a frame after the summary:\n{shown}");
}

#[test]
fn index_quiet_prints_nothing_even_on_a_terminal() {
    let sb = Sandbox::new();
    generated_notes(&sb, 200);
    let shown = sb.pty(&sb.line(&["--quiet", "index", "notes"])).ok().screen;
    assert_eq!(shown, "", "--quiet on a terminal printed something");
    assert_eq!(sb.exported_paths().len(), 200, "--quiet must still index");
}

#[test]
fn index_on_a_dumb_terminal_writes_no_escape_codes() {
    let sb = Sandbox::new();
    generated_notes(&sb, 200);
    let shown = sb.pty(&format!("TERM=dumb {}", sb.line(&["index", "notes"]))).ok().screen;
    assert!(shown.contains("indexed: 200 added"), "{shown}");
    assert!(!shown.contains('\x1b'), "escape codes on a dumb terminal: {shown:?}");
}

// ---------------------------------------------------------------------------------------
// 2. Colors.
// ---------------------------------------------------------------------------------------

#[test]
fn search_on_a_terminal_is_colored_and_the_query_word_is_highlighted() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let shown = sb.pty(&sb.line(&["search", "4G"])).ok().screen;
    assert!(shown.contains("\x1b["), "no escape codes on a terminal:\n{shown}");
    assert!(is_painted(&shown, "4G"), "the query word is not painted:\n{shown:?}");
    assert!(!is_painted(&shown, "network"), "a word that is not in the query is painted:\n{shown:?}");
    let plain = strip_ansi(&shown);
    assert!(plain.contains("Martyn Williams on the 4G network"), "{plain}");
    assert!(plain.contains("notes/williams-4g.md"), "{plain}");
}

#[test]
fn color_never_on_a_terminal_has_no_escape_codes() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let shown = sb.pty(&sb.line(&["search", "4G", "--color", "never"])).ok().screen;
    assert!(shown.contains("notes/williams-4g.md"), "{shown}");
    assert!(!shown.contains('\x1b'), "escape codes with --color never: {shown:?}");
}

#[test]
fn no_color_on_a_terminal_turns_color_off_unless_it_is_empty() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let search = sb.line(&["search", "4G"]);
    let shown = sb.pty(&format!("NO_COLOR=1 {search}")).ok().screen;
    assert!(shown.contains("notes/williams-4g.md"), "{shown}");
    assert!(!shown.contains('\x1b'), "escape codes with NO_COLOR=1: {shown:?}");
    // no-color.org: an empty NO_COLOR is the same as none.
    let shown = sb.pty(&format!("NO_COLOR= {search}")).ok().screen;
    assert!(shown.contains("\x1b["), "an empty NO_COLOR turned color off: {shown:?}");
}

#[test]
fn term_dumb_on_a_terminal_has_no_escape_codes() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let shown = sb.pty(&format!("TERM=dumb {}", sb.line(&["search", "4G"]))).ok().screen;
    assert!(shown.contains("notes/williams-4g.md"), "{shown}");
    assert!(!shown.contains('\x1b'), "escape codes with TERM=dumb: {shown:?}");
}

#[test]
fn color_auto_follows_stdout_not_stderr() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    // stderr on the terminal, stdout into a file.
    let line = format!("{} >stdout.txt", sb.line(&["search", "4G"]));
    sb.pty(&line).ok();
    let written = std::fs::read_to_string(sb.path().join("stdout.txt")).unwrap();
    assert!(written.contains("notes/williams-4g.md"), "{written}");
    assert!(!written.contains('\x1b'), "escape codes written to a file: {written:?}");
}

#[test]
fn color_auto_through_a_pipe_has_no_escape_codes() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let run = sb.run(&["search", "4G"]).ok();
    assert!(run.stdout.contains("notes/williams-4g.md"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

#[test]
fn color_always_through_a_pipe_has_escape_codes_even_with_no_color() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let run = sb.run(&["search", "4G", "--color", "always"]).ok();
    assert!(run.stdout.contains("\x1b["), "{:?}", run.stdout);
    assert!(is_painted(&run.stdout, "4G"), "{:?}", run.stdout);
    // An explicit --color always is stronger than the NO_COLOR default.
    let run = Run::from(sb.cmd(&["search", "4G", "--color", "always"]).env("NO_COLOR", "1")).ok();
    assert!(run.stdout.contains("\x1b["), "{:?}", run.stdout);
}

#[test]
fn machine_formats_never_have_escape_codes_even_with_color_always() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let run = sb.run(&["search", "4G", "--format", "json", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    let parsed: SearchJson = run.json();
    assert!(parsed.total >= 2, "{parsed:?}");
    assert!(parsed.hits.iter().all(|h| !h.snippet.contains('\x1b')));

    let run = sb.run(&["search", "4G", "--format", "jsonl", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    for line in run.stdout.lines() {
        serde_json::from_str::<Hit>(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    }
    let run = sb.run(&["search", "4G", "--format", "paths", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    let run = sb.run(&["stats", "--format", "json", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    run.json::<StatsJson>();
    let run = sb.run(&["export", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);

    // Also on a terminal.
    let shown = sb.pty(&format!("{} 2>/dev/null", sb.line(&["search", "4G", "--format", "json"]))).ok().screen;
    assert!(!shown.contains('\x1b'), "{shown:?}");
    serde_json::from_str::<SearchJson>(&shown).unwrap_or_else(|e| panic!("{e}: {shown}"));
}

// ---------------------------------------------------------------------------------------
// 3. The stats bar chart.
// ---------------------------------------------------------------------------------------

#[test]
fn stats_bars_are_ordered_like_the_counts() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let json: StatsJson = sb.run(&["stats", "--by", "topic", "--format", "json"]).ok().json();
    let expected: BTreeMap<String, u64> = json.counts.into_iter().map(|c| (c.value, c.documents)).collect();
    let distinct: BTreeSet<u64> = expected.values().copied().collect();
    assert!(distinct.len() >= 3, "fixture: need several different counts, got {expected:?}");

    let run = Run::from(sb.cmd(&["stats", "--by", "topic"]).env("COLUMNS", "60")).ok();
    let lines = bar_lines(&run.stdout);
    let shown: BTreeMap<String, u64> = lines.iter().map(|l| (l.label.clone(), l.count)).collect();
    assert_eq!(shown, expected, "text counts differ from JSON counts:\n{}", run.stdout);
    for a in &lines {
        assert!(a.cells > 0, "a non-zero count without a bar: {a:?}");
        for b in &lines {
            if a.count > b.count {
                assert!(a.cells > b.cells, "{a:?} has no longer bar than {b:?}:\n{}", run.stdout);
            } else if a.count == b.count {
                assert_eq!(a.cells, b.cells, "{a:?} vs {b:?}");
            }
        }
    }
    let counts: Vec<u64> = lines.iter().map(|l| l.count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "largest first: {counts:?}");
}

#[test]
fn stats_by_year_shows_every_year_between_the_first_and_the_last() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let run = Run::from(sb.cmd(&["stats", "--by", "year", "--topic", "cyber"]).env("COLUMNS", "60")).ok();
    let lines = bar_lines(&run.stdout);
    let got: Vec<(&str, u64)> = lines.iter().map(|l| (l.label.as_str(), l.count)).collect();
    // Cyber documents: 2019, 2022, 2023 twice, and one undated (its own row, last);
    // 2024-2025 have none.
    assert_eq!(
        got,
        [("2019", 1), ("2020", 0), ("2021", 0), ("2022", 1), ("2023", 2), ("undated", 1)],
        "{}",
        run.stdout
    );
    for line in &lines {
        if line.count == 0 {
            assert_eq!(line.cells, 0, "a zero count with a bar: {line:?}");
        } else {
            assert!(line.cells > 0, "{line:?}");
        }
    }
    assert!(lines[4].cells > lines[0].cells, "{}", run.stdout);
}

#[test]
fn stats_fits_columns_when_stdout_is_a_pipe() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    for (cols, args) in
        [(60, &["stats", "--by", "year", "--topic", "cyber"][..]), (60, &["stats", "--by", "topic"][..])]
    {
        let run = Run::from(sb.cmd(args).env("COLUMNS", cols.to_string())).ok();
        let widest = run.stdout.lines().map(columns).max().unwrap();
        assert!(widest <= cols, "a line wider than {cols} columns:\n{}", run.stdout);
        assert!(widest >= cols - 10, "the chart does not use the width ({widest} of {cols}):\n{}", run.stdout);
    }
    // A wider terminal gets longer bars.
    let narrow = Run::from(sb.cmd(&["stats", "--by", "topic"]).env("COLUMNS", "60")).ok();
    let wide = Run::from(sb.cmd(&["stats", "--by", "topic"]).env("COLUMNS", "120")).ok();
    assert!(bar_lines(&wide.stdout)[0].cells > bar_lines(&narrow.stdout)[0].cells + 30);
}

#[test]
fn stats_fits_the_terminal_width_on_a_pty() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    // The terminal's own width wins over COLUMNS.
    let stats = sb.line(&["stats", "--by", "year", "--topic", "cyber"]);
    let shown = sb.pty(&format!("stty rows 24 cols 50 && COLUMNS=100 {stats}")).ok().screen;
    assert!(shown.contains("\x1b["), "bars are colored on a terminal: {shown:?}");
    let widest = shown.lines().map(columns).max().unwrap();
    assert!(widest <= 50, "a line wider than the 50-column terminal:\n{}", strip_ansi(&shown));
    assert!(widest >= 40, "the chart does not use the terminal's width ({widest}):\n{}", strip_ansi(&shown));
    let lines = bar_lines(&shown);
    assert_eq!(lines.len(), 6, "five years and the undated row: {shown}");
    assert_eq!(lines[1], BarLine { label: "2020".into(), count: 0, cells: 0 });
}

#[test]
fn stats_with_long_labels_still_fits_the_width() {
    let sb = Sandbox::new();
    sb.write(
        "notes/long.md",
        "---
title: Project group report
date: 2024
institutions: [Unification Education Leading University Project Group, Stimson Center]
---
A report on the project group.
",
    );
    sb.run(&["index", "notes"]).ok();
    let run = Run::from(sb.cmd(&["stats", "--by", "institution"]).env("COLUMNS", "50")).ok();
    assert!(run.stdout.contains("Stimson Center"), "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(columns(line) <= 50, "{} columns: {line:?}", columns(line));
    }
    let shown = sb.pty(&format!("stty rows 24 cols 50 && {}", sb.line(&["stats", "--by", "institution"]))).ok().screen;
    for line in shown.lines() {
        assert!(columns(line) <= 50, "{} columns on a 50-column terminal: {line:?}", columns(line));
    }
}
