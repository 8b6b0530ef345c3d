//! Terminal behaviour and scripting contracts ("a terminal tool people enjoy and scripts can
//! rely on"): the progress bar of `index`, colors, the stats bar chart, completions and the
//! man page, NUL-separated lists, help that teaches, and `check`.
//!
//! What a person sees on a terminal is tested through a real pseudo-terminal: util-linux
//! `script -qfec LINE /dev/null` runs LINE (through `/bin/sh`) with stdin, stdout and stderr
//! on a pty and copies everything written to the pty to its own stdout. `script` is started
//! with stdin from /dev/null, so the pty starts at 0x0; tests that care about the width set
//! it with `stty rows 24 cols N` inside LINE (a size with 0 rows counts as "unknown").
//! What scripts see is tested through plain pipes with assert_cmd.
//!
//! Every run happens in a fresh temp dir, without the caller's NKDIGI_INDEX,
//! NKDIGI_TAXONOMY, NO_COLOR, COLUMNS and LINES, so results depend only on the fixtures.

mod common;
use assert_cmd::Command;
use common::Run;
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::LazyLock;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Fixtures.
// ---------------------------------------------------------------------------------------

/// 2025-11-04; topics 4g and smartphones; speaker Martyn Williams. "4G" twice.
const WILLIAMS_4G: &str = "---
title: Martyn Williams on the 4G network
date: 2025-11-04
speakers:
  - name: Martyn Williams
    affiliation: Stimson Center
topics: [4g, smartphones]
---
Martyn Williams, a senior fellow at the Stimson Center, said that North Korea's 4G network now covers Pyongyang and most provincial cities.

Williams added that more handsets are sold every year.
";

/// 2024-05; topic ai; speaker Park Min-ju. No "4G".
const PARK_AI: &str = "---
title: Park Min-ju on AI in universities
date: 2024-05
topics: [ai]
---
Park Min-ju, a researcher at the National Institute for Unification Education, said that North Korean universities now use ChatGPT for research and teaching.
";

/// 2021-06; speaker Hannah Berger; smartphones, and a mention of 4G.
const BERGER_2021: &str = "---
title: Phones at the border
date: 2021-06
topics: [smartphones]
---
Hannah Berger, an analyst at the Stimson Center, said that smartphones smuggled from China keep spreading near the border, where a 4G signal from across the river can sometimes be caught.
";

/// 2020; smartphones only.
const PHONES_2020: &str = "---
title: Handset prices in the markets
date: 2020
topics: [smartphones]
---
Traders said that the price of a locally assembled smartphone fell during the year.
";

/// Cyber documents: 2019, 2022, 2023 twice, and one undated.
const CYBER_2019: &str = "---
title: Hackers and banks
date: 2019-03
topics: [cyber]
---
Investigators said that hackers used malware against banks in several countries.
";

const CYBER_2022: &str = "---
title: Bridge heist
date: 2022-04
topics: [cyber]
---
Analysts said that the crypto heist was followed by laundering through mixers.
";

const CYBER_2023_A: &str = "---
title: Fake recruiters
date: 2023-02
topics: [cyber]
---
Researchers said that phishing messages posed as job offers to engineers.
";

const CYBER_2023_B: &str = "---
title: IT workers abroad
date: 2023-09-14
topics: [cyber]
---
Officials said that remote IT workers sent their wages home and some installed malware.
";

const CYBER_UNDATED: &str = "Ransomware notes

Analysts said that a ransomware strain was traced to the same group.
";

/// `speakers: 42` on line 4: rejected with that line number.
const BAD_FRONT_MATTER: &str = "---
title: A broken note
date: 2025
speakers: 42
---
Koryolink raised prices for 4G data plans.
";

const STANDARD: [(&str, &str); 9] = [
    ("notes/williams-4g.md", WILLIAMS_4G),
    ("notes/park-ai.md", PARK_AI),
    ("notes/berger-2021.md", BERGER_2021),
    ("notes/phones-2020.md", PHONES_2020),
    ("notes/cyber-2019.md", CYBER_2019),
    ("notes/cyber-2022.md", CYBER_2022),
    ("notes/cyber-2023-a.md", CYBER_2023_A),
    ("notes/cyber-2023-b.md", CYBER_2023_B),
    ("notes/cyber-undated.txt", CYBER_UNDATED),
];

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
// Helpers: plain-pipe runs (assert_cmd).
// ---------------------------------------------------------------------------------------

const BIN: &str = env!("CARGO_BIN_EXE_nkdigi");

/// The binary, run in `dir`, with none of the caller's settings that change output.
fn nkdigi(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("NKDIGI_INDEX")
        .env_remove("NKDIGI_TAXONOMY")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env("TERM", "xterm-256color")
        .current_dir(dir);
    cmd
}

/// A fresh temp dir; the index (when there is one) is `<dir>/ix`.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// `files` written and indexed with `index notes`, which must succeed.
    fn indexed(files: &[(&str, &str)]) -> Sandbox {
        let sb = Sandbox::new();
        sb.write_all(files);
        sb.run(&["index", "notes"]).ok();
        sb
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn index_dir(&self) -> PathBuf {
        self.path().join("ix")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write fixture");
    }

    fn write_all(&self, files: &[(&str, &str)]) {
        for (rel, text) in files {
            self.write(rel, text);
        }
    }

    /// `nkdigi --index <dir>/ix ARGS…` in the sandbox, through pipes.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = nkdigi(self.path());
        cmd.arg("--index").arg(self.index_dir()).args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::from(&mut self.cmd(args))
    }

    /// `export` output, bytes as printed.
    fn export(&self) -> String {
        self.run(&["export"]).ok().stdout
    }

    fn exported_paths(&self) -> BTreeSet<String> {
        self.export()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("export line is JSON")["path"].as_str().unwrap().to_string()
            })
            .collect()
    }

    /// The command line `nkdigi --index <dir>/ix ARGS…`, shell-quoted, for `pty`.
    fn line(&self, args: &[&str]) -> String {
        let index = self.index_dir();
        let mut all = vec!["--index", index.to_str().expect("UTF-8 temp path")];
        all.extend(args);
        command_line(&all)
    }

    /// Runs a shell line on a pseudo-terminal in the sandbox.
    fn pty(&self, line: &str) -> Pty {
        pty(self.path(), line)
    }
}

// ---------------------------------------------------------------------------------------
// Helpers: pseudo-terminal runs (util-linux `script`).
// ---------------------------------------------------------------------------------------

/// One argument for /bin/sh, single-quoted.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// `<absolute nkdigi> ARGS…`, each quoted.
fn command_line(args: &[&str]) -> String {
    let mut line = quote(BIN);
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    line
}

/// What a pty showed (stdout and stderr both, unless the line redirects one) and the exit code.
#[derive(Debug)]
struct Pty {
    code: i32,
    /// The bytes written to the terminal, with the pty's `\r\n` turned back into `\n`.
    screen: String,
}

impl Pty {
    #[track_caller]
    fn code(self, expected: i32) -> Pty {
        assert_eq!(self.code, expected, "exit code; terminal showed:\n{}", self.screen);
        self
    }

    #[track_caller]
    fn ok(self) -> Pty {
        self.code(0)
    }
}

/// `script -qfec LINE /dev/null` in `dir`: LINE runs under `/bin/sh` with a pty as its
/// stdin, stdout and stderr; `-e` makes script exit with LINE's exit code.
fn pty(dir: &Path, line: &str) -> Pty {
    let output = std::process::Command::new("script")
        .args(["-qfec", line, "/dev/null"])
        .current_dir(dir)
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color")
        .env_remove("NKDIGI_INDEX")
        .env_remove("NKDIGI_TAXONOMY")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run util-linux `script` (is it installed?)");
    assert!(output.stderr.is_empty(), "script itself complained: {}", String::from_utf8_lossy(&output.stderr));
    Pty {
        code: output.status.code().expect("script exited, not killed"),
        screen: String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    }
}

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

// ---------------------------------------------------------------------------------------
// JSON shapes.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct IndexSummary {
    added: usize,
    rejected: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct SearchJson {
    total: usize,
    hits: Vec<HitJson>,
}

#[derive(Debug, Deserialize)]
struct HitJson {
    path: String,
    snippet: String,
}

#[derive(Debug, Deserialize)]
struct StatsJson {
    counts: Vec<CountJson>,
}

#[derive(Debug, Deserialize)]
struct CountJson {
    value: String,
    documents: u64,
}

#[derive(Debug, Deserialize)]
struct CheckJson {
    documents: Vec<CheckDocument>,
    rejected: Vec<CheckRejected>,
    skipped: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct CheckDocument {
    path: String,
    title: Option<String>,
    speakers: Vec<NamedJson>,
    institutions: Vec<NamedJson>,
    topics: Vec<String>,
    passages: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct NamedJson {
    name: String,
}

#[derive(Debug, Deserialize)]
struct CheckRejected {
    path: String,
    line: Option<usize>,
    error: String,
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
    assert!(shown.contains("/300 files"), "the bar was drawn:\n{shown}");
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
    assert!(shown.contains("/300 files"), "no file counter in:\n{shown}");
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
    let counter = Regex::new(r"(\d+)/300 files").unwrap();
    let seen: Vec<u64> = counter.captures_iter(&shown).map(|c| c[1].parse().unwrap()).collect();
    assert!(seen.len() > 1, "too few frames to compare:\n{shown}");
    for pair in seen.windows(2) {
        assert!(pair[0] <= pair[1], "counter went from {} to {}; frames: {seen:?}", pair[0], pair[1]);
    }
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
    let sb = Sandbox::indexed(&STANDARD);
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
    let sb = Sandbox::indexed(&STANDARD);
    let shown = sb.pty(&sb.line(&["search", "4G", "--color", "never"])).ok().screen;
    assert!(shown.contains("notes/williams-4g.md"), "{shown}");
    assert!(!shown.contains('\x1b'), "escape codes with --color never: {shown:?}");
}

#[test]
fn no_color_on_a_terminal_turns_color_off_unless_it_is_empty() {
    let sb = Sandbox::indexed(&STANDARD);
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
    let sb = Sandbox::indexed(&STANDARD);
    let shown = sb.pty(&format!("TERM=dumb {}", sb.line(&["search", "4G"]))).ok().screen;
    assert!(shown.contains("notes/williams-4g.md"), "{shown}");
    assert!(!shown.contains('\x1b'), "escape codes with TERM=dumb: {shown:?}");
}

#[test]
fn color_auto_follows_stdout_not_stderr() {
    let sb = Sandbox::indexed(&STANDARD);
    // stderr on the terminal, stdout into a file.
    let line = format!("{} >stdout.txt", sb.line(&["search", "4G"]));
    sb.pty(&line).ok();
    let written = std::fs::read_to_string(sb.path().join("stdout.txt")).unwrap();
    assert!(written.contains("notes/williams-4g.md"), "{written}");
    assert!(!written.contains('\x1b'), "escape codes written to a file: {written:?}");
}

#[test]
fn color_auto_through_a_pipe_has_no_escape_codes() {
    let sb = Sandbox::indexed(&STANDARD);
    let run = sb.run(&["search", "4G"]).ok();
    assert!(run.stdout.contains("notes/williams-4g.md"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

#[test]
fn color_always_through_a_pipe_has_escape_codes_even_with_no_color() {
    let sb = Sandbox::indexed(&STANDARD);
    let run = sb.run(&["search", "4G", "--color", "always"]).ok();
    assert!(run.stdout.contains("\x1b["), "{:?}", run.stdout);
    assert!(is_painted(&run.stdout, "4G"), "{:?}", run.stdout);
    // An explicit --color always is stronger than the NO_COLOR default.
    let run = Run::from(sb.cmd(&["search", "4G", "--color", "always"]).env("NO_COLOR", "1")).ok();
    assert!(run.stdout.contains("\x1b["), "{:?}", run.stdout);
}

#[test]
fn machine_formats_never_have_escape_codes_even_with_color_always() {
    let sb = Sandbox::indexed(&STANDARD);
    let run = sb.run(&["search", "4G", "--format", "json", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    let parsed: SearchJson = run.json();
    assert!(parsed.total >= 2, "{parsed:?}");
    assert!(parsed.hits.iter().all(|h| !h.snippet.contains('\x1b')));

    let run = sb.run(&["search", "4G", "--format", "jsonl", "--color", "always"]).ok();
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    for line in run.stdout.lines() {
        serde_json::from_str::<HitJson>(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
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
    let sb = Sandbox::indexed(&STANDARD);
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
    let sb = Sandbox::indexed(&STANDARD);
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
    let sb = Sandbox::indexed(&STANDARD);
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
    let sb = Sandbox::indexed(&STANDARD);
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

// ---------------------------------------------------------------------------------------
// 4. Completions and the man page.
// ---------------------------------------------------------------------------------------

#[test]
fn completions_register_with_every_shell_and_offer_the_index_values() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = sb.run(&["completions", shell]).ok();
        assert_eq!(run.stderr, "", "{shell}");
        // The script asks nkdigi itself at completion time, so values come from the index.
        assert!(run.stdout.contains("COMPLETE") && run.stdout.contains("nkdigi"), "{shell}:\n{}", run.stdout);
    }
    assert!(!sb.index_dir().exists() && !sb.path().join(".nkdigi").exists(), "completions created an index");
    // What a shell gets when it asks: commands, then the index's speakers and topics.
    let sb = Sandbox::indexed(&STANDARD);
    let ask = |words: &[&str]| -> Vec<String> {
        let mut cmd = nkdigi(sb.path());
        cmd.env("COMPLETE", "fish").env("NKDIGI_INDEX", sb.index_dir()).arg("--").arg("nkdigi").args(words);
        let run = Run::from(&mut cmd).ok();
        run.stdout.lines().map(|l| l.split('\t').next().unwrap_or("").to_string()).collect()
    };
    assert!(ask(&["sea"]).contains(&"search".to_string()), "{:?}", ask(&["sea"]));
    let speakers = ask(&["search", "--speaker", ""]);
    assert!(speakers.contains(&"Martyn Williams".to_string()), "{speakers:?}");
    assert_eq!(ask(&["search", "--speaker", "Mar"]), vec!["Martyn Williams"]);
    let topics = ask(&["stats", "--topic", ""]);
    assert!(topics.contains(&"cyber".to_string()) && topics.contains(&"4g".to_string()), "{topics:?}");
    // No index: no values, and no error on the terminal.
    let empty = Sandbox::new();
    let mut cmd = nkdigi(empty.path());
    cmd.env("COMPLETE", "fish").args(["--", "nkdigi", "search", "--speaker", ""]);
    let run = Run::from(&mut cmd).ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn command_line_errors_are_one_line_in_nkdigis_format() {
    let sb = Sandbox::new();
    for args in [&["search", "--bogus", "x"][..], &["serch", "x"][..], &["search", "x", "--since", "2025-13"][..]] {
        let run = sb.run(args).code(2);
        assert_eq!(run.stdout, "");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", run.stderr);
        assert!(lines[0].starts_with("nkdigi: ") && lines[0].ends_with("(see nkdigi --help)"), "{}", lines[0]);
    }
    assert!(sb.run(&["serch", "x"]).code(2).stderr.contains("'search'"), "the closest command is offered");
    assert!(sb.run(&["--help"]).ok().stdout.contains("Usage"), "help still goes to stdout");
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let sb = Sandbox::new();
    let run = sb.run(&["completions", "tcsh"]).code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("tcsh") && run.stderr.contains("bash"), "{}", run.stderr);
}

#[test]
fn man_prints_a_roff_page() {
    let sb = Sandbox::new();
    let run = sb.run(&["man"]).ok();
    let page = run.stdout;
    assert!(page.starts_with(".TH") || page.contains("\n.TH "), "no .TH header:\n{page}");
    assert!(page.contains(".TH nkdigi") || page.contains(".TH NKDIGI"), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains("search"), "the man page does not mention search:\n{page}");
    assert!(!page.contains('\x1b'), "escape codes in roff");
    assert!(!sb.path().join(".nkdigi").exists(), "man created an index");
    for section in ["QUERY SYNTAX", "EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(page.contains(section), "no {section} section:\n{page}");
    }
}

#[test]
fn man_writes_one_page_per_command_and_every_page_it_names_exists() {
    let sb = Sandbox::new();
    sb.run(&["man", "pages"]).ok();
    let main = std::fs::read_to_string(sb.path().join("pages/nkdigi.1")).unwrap();
    for command in ["index", "search", "show", "export", "stats", "entities", "check", "verify", "man"] {
        let page = std::fs::read_to_string(sb.path().join(format!("pages/nkdigi-{command}.1")))
            .unwrap_or_else(|e| panic!("nkdigi-{command}.1: {e}"));
        assert!(page.contains(&format!(".TH nkdigi-{command}")), "{command}: {page}");
        assert!(page.contains("EXIT STATUS") && page.contains("ENVIRONMENT"), "{command}");
    }
    // The main page refers to the command pages by name: each of them is there.
    for name in main.split("nkdigi\\-").skip(1).filter_map(|rest| rest.split('(').next()) {
        if name.chars().all(|c| c.is_ascii_lowercase()) && !name.is_empty() {
            assert!(sb.path().join(format!("pages/nkdigi-{name}.1")).exists(), "nkdigi-{name}(1) is named but missing");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 5. Scripts: lists of paths in, paths out.
// ---------------------------------------------------------------------------------------

/// Three notes, two of which a list names.
const LISTED: [(&str, &str); 3] =
    [("notes/williams-4g.md", WILLIAMS_4G), ("notes/with space.md", BERGER_2021), ("notes/park-ai.md", PARK_AI)];

#[test]
fn index_from_list_file_indexes_exactly_the_listed_paths() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    sb.write("list.txt", "notes/williams-4g.md\n\nnotes/with space.md\n");
    let summary: IndexSummary = sb.run(&["index", "--from-list", "list.txt", "--format", "json"]).ok().json();
    assert_eq!(summary.added, 2, "{summary:?}");
    assert!(summary.rejected.is_empty());
    let expected: BTreeSet<String> = ["notes/williams-4g.md", "notes/with space.md"].map(String::from).into();
    assert_eq!(sb.exported_paths(), expected);
}

#[test]
fn index_from_list_dash_reads_standard_input() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    let run = sb
        .cmd(&["index", "--from-list", "-", "--format", "json"])
        .write_stdin("notes/park-ai.md\nnotes/williams-4g.md\n")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: IndexSummary = serde_json::from_slice(&run.stdout).expect("JSON summary");
    assert_eq!(summary.added, 2);
    let expected: BTreeSet<String> = ["notes/park-ai.md", "notes/williams-4g.md"].map(String::from).into();
    assert_eq!(sb.exported_paths(), expected);
}

#[test]
fn nul_separated_paths_in_and_out() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    // As `find notes -name 'w*' -print0` would give them: one name has a space.
    let run = sb
        .cmd(&["index", "--from-list", "-", "-0", "--format", "json"])
        .write_stdin("notes/with space.md\0notes/williams-4g.md\0")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: IndexSummary = serde_json::from_slice(&run.stdout).expect("JSON summary");
    assert_eq!(summary.added, 2);
    let expected: BTreeSet<String> = ["notes/williams-4g.md", "notes/with space.md"].map(String::from).into();
    assert_eq!(sb.exported_paths(), expected);

    let out = sb.cmd(&["search", "4G", "--format", "paths", "-0"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\n'), "a newline in NUL-separated output: {text:?}");
    assert!(text.ends_with('\0'), "the last path is not NUL-terminated: {text:?}");
    let paths: BTreeSet<String> = text.split_terminator('\0').map(String::from).collect();
    assert_eq!(paths, expected);
    assert_eq!(text.matches('\0').count(), 2, "each path once: {text:?}");
}

#[test]
fn nul_separated_lists_carry_a_path_with_a_newline() {
    let sb = Sandbox::new();
    sb.write("notes/line\nbreak.md", WILLIAMS_4G);
    sb.write("notes/plain.md", BERGER_2021);
    let run = sb
        .cmd(&["index", "--from-list", "-", "-0", "--format", "json"])
        .write_stdin("notes/line\nbreak.md\0notes/plain.md\0")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let out = sb.cmd(&["search", "4G", "--format", "paths", "-0"]).output().expect("run");
    let text = String::from_utf8(out.stdout).unwrap();
    let paths: BTreeSet<&str> = text.split_terminator('\0').collect();
    assert_eq!(paths, BTreeSet::from(["notes/line\nbreak.md", "notes/plain.md"]));
}

#[test]
fn dash_0_without_from_list_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    let run = sb.run(&["index", "-0", "notes"]).code(2);
    assert!(run.stderr.contains("--from-list"), "{}", run.stderr);
    assert!(!sb.index_dir().exists(), "a usage error created the index");
}

// ---------------------------------------------------------------------------------------
// 6. Help that teaches.
// ---------------------------------------------------------------------------------------

/// The subcommands the top-level help lists (without clap's `help`).
fn subcommands(sb: &Sandbox) -> Vec<String> {
    let help = sb.run(&["--help"]).ok().stdout;
    let mut names = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if line == "Commands:" {
            inside = true;
        } else if inside && line.trim().is_empty() {
            break;
        } else if inside {
            let name = line.split_whitespace().next().unwrap_or_default().to_string();
            if name != "help" && line.starts_with("  ") {
                names.push(name);
            }
        }
    }
    names
}

/// The help text's last section is `Examples:` with indented `nkdigi` lines only.
#[track_caller]
fn assert_ends_with_examples(what: &str, help: &str) {
    let lines: Vec<&str> = help.trim_end().lines().collect();
    let heading = lines
        .iter()
        .rposition(|l| !l.is_empty() && !l.starts_with(' '))
        .unwrap_or_else(|| panic!("{what}: no section heading:\n{help}"));
    assert_eq!(lines[heading], "Examples:", "{what}: the last section is not Examples:\n{help}");
    let examples = &lines[heading + 1..];
    assert!(!examples.is_empty(), "{what}: no examples");
    for line in examples {
        assert!(line.starts_with("  ") && line.contains("nkdigi"), "{what}: not an example: {line:?}");
    }
}

#[test]
fn every_help_ends_with_examples() {
    let sb = Sandbox::new();
    let commands = subcommands(&sb);
    let expected = ["index", "search", "show", "export", "stats", "entities", "check", "completions", "man"];
    for name in expected {
        assert!(commands.iter().any(|c| c == name), "{name} missing from the help's commands: {commands:?}");
    }
    assert_ends_with_examples("nkdigi --help", &sb.run(&["--help"]).ok().stdout);
    assert_ends_with_examples("nkdigi -h", &sb.run(&["-h"]).ok().stdout);
    for name in &commands {
        for flag in ["--help", "-h"] {
            let run = sb.run(&[name, flag]).ok();
            assert_ends_with_examples(&format!("nkdigi {name} {flag}"), &run.stdout);
            assert!(run.stdout.contains(&format!("nkdigi {name}")), "{name}: examples of another command");
        }
        let via_help = sb.run(&["help", name]).ok().stdout;
        assert_ends_with_examples(&format!("nkdigi help {name}"), &via_help);
    }
}

#[test]
fn a_misspelled_option_exits_2_and_names_the_right_one() {
    let sb = Sandbox::indexed(&STANDARD);
    let run = sb.run(&["search", "--speker", "X"]).code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("--speker"), "{}", run.stderr);
    assert!(run.stderr.contains("--speaker"), "no suggestion:\n{}", run.stderr);

    let run = sb.run(&["serch", "4G"]).code(2);
    assert!(run.stderr.contains("'search'"), "no suggestion for a misspelled command:\n{}", run.stderr);
}

#[test]
fn an_unknown_topic_exits_2_and_suggests_the_near_one() {
    let sb = Sandbox::indexed(&STANDARD);
    for args in [&["search", "--topic", "cybr"][..], &["search", "topic:cybr"], &["stats", "--topic", "cybr"]] {
        let run = sb.run(args).code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(run.stderr.starts_with("nkdigi: "), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: one line:\n{}", run.stderr);
        assert!(run.stderr.contains("cybr"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("did you mean cyber"), "{args:?}: no suggestion:\n{}", run.stderr);
    }
    // Nothing near: no guess, but the known ids.
    let run = sb.run(&["search", "--topic", "astronomy"]).code(2);
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
    for id in ["ai", "smartphones", "4g", "cyber"] {
        assert!(run.stderr.contains(id), "{id} not listed:\n{}", run.stderr);
    }
}

#[test]
fn an_unknown_speaker_exits_1_and_names_the_closest_known_name() {
    let sb = Sandbox::indexed(&STANDARD);
    // Sanity: the speaker is known under her own name.
    let found: SearchJson = sb.run(&["search", "--speaker", "Hannah Berger", "--format", "json"]).ok().json();
    assert_eq!(found.hits.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(), ["notes/berger-2021.md"]);

    let run = sb.run(&["search", "--speaker", "Hanna Bergen"]).code(1);
    assert_eq!(run.stdout, "", "no results on stdout");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with("nkdigi: "), "{}", run.stderr);
    assert!(lines[0].contains("Hanna Bergen"), "{}", run.stderr);
    assert!(lines[0].contains("Hannah Berger"), "the closest name is not given:\n{}", run.stderr);

    // A script asking for JSON still gets valid JSON on stdout and the hint on stderr.
    let run = sb.run(&["search", "--speaker", "Hanna Bergen", "--format", "json"]).code(1);
    let empty: SearchJson = run.json();
    assert_eq!(empty.total, 0);
    assert!(run.stderr.contains("Hannah Berger"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// 7. check.
// ---------------------------------------------------------------------------------------

#[test]
fn check_of_valid_files_lists_each_file_with_its_tags() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G), ("notes/park-ai.md", PARK_AI)]);
    let run = sb.run(&["check", "notes/williams-4g.md", "notes/park-ai.md"]).ok();
    assert_eq!(run.stderr, "");
    let out = &run.stdout;
    let block = |path: &str| -> String {
        let start = out.find(path).unwrap_or_else(|| panic!("{path} not listed:\n{out}"));
        let rest = &out[start..];
        let end = rest[1..].find("\nnotes/").map(|e| e + 1).unwrap_or(rest.len());
        // Tag lines wrap at the width: compare with single spaces.
        rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let williams = block("notes/williams-4g.md");
    assert!(williams.contains("Martyn Williams on the 4G network"), "{williams}");
    for tag in ["4g", "smartphones", "Martyn Williams", "Stimson Center"] {
        assert!(williams.contains(tag), "{tag} missing:\n{williams}");
    }
    let park = block("notes/park-ai.md");
    for tag in ["ai", "Park Min-ju", "National Institute for Unification Education"] {
        assert!(park.contains(tag), "{tag} missing:\n{park}");
    }
    assert!(!park.contains("Martyn Williams"), "{park}");
    assert!(out.contains("2 files ok, 0 rejected"), "{out}");
}

#[test]
fn check_of_bad_front_matter_exits_1_with_path_and_line() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G), ("notes/bad.md", BAD_FRONT_MATTER)]);
    let run = sb.run(&["check", "notes"]).code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with("nkdigi: notes/bad.md:4: "), "{}", run.stderr);
    assert!(run.stdout.contains("notes/williams-4g.md"), "the good file is still listed:\n{}", run.stdout);
    assert!(!run.stdout.contains("notes/bad.md"), "{}", run.stdout);
}

#[test]
fn check_json_has_documents_rejected_and_skipped() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G), ("notes/bad.md", BAD_FRONT_MATTER)]);
    let run = sb.run(&["check", "notes", "--format", "json"]).code(1);
    let report: CheckJson = run.json();
    assert_eq!(report.documents.len(), 1, "{report:?}");
    let doc = &report.documents[0];
    assert_eq!(doc.path, "notes/williams-4g.md");
    assert_eq!(doc.title.as_deref(), Some("Martyn Williams on the 4G network"));
    assert_eq!(doc.speakers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Martyn Williams"]);
    assert!(doc.institutions.iter().any(|i| i.name == "Stimson Center"), "{doc:?}");
    assert!(doc.topics.iter().any(|t| t == "4g"), "{doc:?}");
    assert_eq!(doc.passages.len(), 2, "{doc:?}");
    assert_eq!(report.rejected.len(), 1);
    let bad = &report.rejected[0];
    assert_eq!((bad.path.as_str(), bad.line), ("notes/bad.md", Some(4)));
    assert!(!bad.error.is_empty());
    assert!(report.skipped.is_empty());
    assert!(run.stderr.starts_with("nkdigi: notes/bad.md:4: "), "{}", run.stderr);
}

#[test]
fn check_never_creates_an_index() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G), ("notes/bad.md", BAD_FRONT_MATTER)]);
    // No --index: the default would be ./.nkdigi.
    let run = Run::from(nkdigi(sb.path()).args(["check", "notes"])).code(1);
    assert!(run.stdout.contains("notes/williams-4g.md"), "{}", run.stdout);
    Run::from(nkdigi(sb.path()).args(["check", "notes/williams-4g.md", "--format", "json"])).ok();
    assert!(!sb.path().join(".nkdigi").exists(), "check created ./.nkdigi");
    sb.run(&["check", "notes/williams-4g.md"]).ok();
    assert!(!sb.index_dir().exists(), "check created the --index folder");
}

/// Every file under `dir`, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn check_leaves_an_existing_index_untouched() {
    let sb = Sandbox::indexed(&STANDARD);
    let before = sb.export();
    let files_before = snapshot(&sb.index_dir());
    // An edited file and a new one: `index` would change the index, `check` must not.
    sb.write("notes/park-ai.md", &PARK_AI.replace("ChatGPT", "Koryolink 4G"));
    sb.write("notes/new.md", CYBER_2022);
    sb.run(&["check", "notes"]).ok();
    sb.run(&["check", "notes", "--format", "json"]).ok();
    Run::from(nkdigi(sb.path()).env("NKDIGI_INDEX", sb.index_dir()).args(["check", "notes"])).ok();
    assert_eq!(sb.export(), before, "check changed what the index holds");
    assert_eq!(snapshot(&sb.index_dir()), files_before, "check wrote into the index folder");
    // Sanity: the edit is something index would have picked up.
    let summary = sb.run(&["index", "notes", "--dry-run", "--format", "json"]).ok().stdout;
    assert!(summary.contains("\"updated\": 1"), "{summary}");
}
