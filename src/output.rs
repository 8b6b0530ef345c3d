//! Printers: text, JSON, JSON lines and paths for every command, and the one place that
//! decides about color (`--color`, then `NO_COLOR` / `TERM=dumb`, then "is it a terminal").

use crate::commands::entities::EntitiesReport;
use crate::commands::index::IndexSummary;
use crate::commands::search::SearchOutcome;
use crate::model::{Document, Passage};
use crate::store::Hit;
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::io::{self, IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to color stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            !no_color && !dumb && io::stdout().is_terminal()
        }
    }
}

/// Styles of text output; all plain when color is off.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub title: Style,
    pub dim: Style,
    pub path: Style,
    pub hit: Style,
    pub speaker: Style,
    pub topic: Style,
    pub institution: Style,
    pub bar: Style,
}

impl Palette {
    pub fn new(color: bool) -> Palette {
        if !color {
            let plain = Style::new();
            return Palette {
                title: plain,
                dim: plain,
                path: plain,
                hit: plain,
                speaker: plain,
                topic: plain,
                institution: plain,
                bar: plain,
            };
        }
        Palette {
            title: Style::new().bold(),
            dim: Style::new().dimmed(),
            path: AnsiColor::Magenta.on_default(),
            hit: AnsiColor::Red.on_default().bold(),
            speaker: AnsiColor::Green.on_default(),
            topic: AnsiColor::Cyan.on_default(),
            institution: AnsiColor::Yellow.on_default(),
            bar: AnsiColor::Blue.on_default(),
        }
    }
}

fn paint(style: Style, text: &str) -> String {
    if style == Style::new() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}

/// The width to fit text to: the terminal's, else `COLUMNS`, else 80.
pub fn width() -> usize {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return (w as usize).clamp(40, 200);
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(80usize).clamp(40, 200)
}

// Serializing to memory first keeps write errors (a closed pipe) plain `io::Error`s.
fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    out.write_all(&bytes)
}

fn json_pretty<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    out.write_all(&bytes)
}

// ---- index ----

pub fn index_summary_text(out: &mut dyn Write, s: &IndexSummary) -> io::Result<()> {
    let verb = if s.dry_run { "would index" } else { "indexed" };
    writeln!(
        out,
        "{verb}: {} added, {} updated, {} unchanged, {} removed, {} rejected, {} skipped in {} ms",
        s.added,
        s.updated,
        s.unchanged,
        s.removed,
        s.rejected.len(),
        s.skipped.len(),
        s.elapsed_ms
    )?;
    if !s.dry_run {
        writeln!(out, "{} documents in the index", s.documents)?;
    }
    Ok(())
}

pub fn index_summary_json(out: &mut dyn Write, s: &IndexSummary) -> io::Result<()> {
    json_pretty(out, s)
}

// ---- search ----

/// A hit as the JSON formats print it.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    pub rank: usize,
    pub score: f32,
    pub id: &'a str,
    pub path: &'a str,
    /// The line of the file the hit's passage starts on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub title: Option<&'a str>,
    pub date: Option<&'a str>,
    pub speakers: Vec<&'a str>,
    pub institutions: Vec<&'a str>,
    pub topics: &'a [String],
    pub snippet: &'a str,
    pub highlights: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passage: Option<&'a Passage>,
}

pub fn hit_json(rank: usize, hit: &Hit) -> HitJson<'_> {
    let doc = &hit.doc;
    HitJson {
        rank,
        score: (hit.score * 1000.0).round() / 1000.0,
        id: &doc.id,
        path: &doc.path,
        line: hit.line,
        title: doc.title.as_deref(),
        date: doc.date.as_deref(),
        speakers: doc.speakers.iter().map(|s| s.name.as_str()).collect(),
        institutions: doc.institutions.iter().map(|i| i.name.as_str()).collect(),
        topics: &doc.topics,
        snippet: &hit.snippet,
        highlights: hit.highlights.iter().map(|&(a, b)| [a, b]).collect(),
        passage: hit.passage.as_ref(),
    }
}

#[derive(Serialize)]
struct SearchJson<'a> {
    query: &'a str,
    total: usize,
    hits: Vec<HitJson<'a>>,
}

pub fn search_json(out: &mut dyn Write, r: &SearchOutcome, offset: usize) -> io::Result<()> {
    let hits = r.hits.iter().enumerate().map(|(i, h)| hit_json(offset + i + 1, h)).collect();
    json_pretty(out, &SearchJson { query: &r.query, total: r.total, hits })
}

pub fn search_jsonl(out: &mut dyn Write, r: &SearchOutcome, offset: usize) -> io::Result<()> {
    for (i, hit) in r.hits.iter().enumerate() {
        json_line(out, &hit_json(offset + i + 1, hit))?;
    }
    Ok(())
}

/// `path:line:column:text`, as `rg --vimgrep` prints it: the line of the hit's passage
/// (the first line for a document without one) and the snippet on one line.
pub fn search_vimgrep(out: &mut dyn Write, r: &SearchOutcome) -> io::Result<()> {
    for hit in &r.hits {
        let line = hit.line.unwrap_or(1);
        let text: String = hit.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(out, "{}:{line}:1:{text}", hit.doc.path)?;
    }
    Ok(())
}

/// Each hit's path once, in the order of the hits (a document's passages are hits of their
/// own): what `rg -l` prints. Hits in full give their documents' paths.
pub fn search_paths(out: &mut dyn Write, r: &SearchOutcome, null: bool) -> io::Result<()> {
    let full = r.hits.iter().map(|hit| &hit.doc.path);
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(r.paths.len() + r.hits.len(), Default::default());
    for path in r.paths.iter().chain(full) {
        if seen.insert(path) {
            out.write_all(path.as_bytes())?;
            out.write_all(if null { b"\0" } else { b"\n" })?;
        }
    }
    Ok(())
}

/// The snippet with highlights painted, on one line.
fn painted_snippet(snippet: &str, highlights: &[(usize, usize)], palette: &Palette) -> String {
    let chars: Vec<char> = snippet.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in highlights {
        if start < at || end > chars.len() {
            continue;
        }
        out.extend(&chars[at..start]);
        let word: String = chars[start..end].iter().collect();
        if palette.hit == Style::new() {
            out.push_str(&word);
        } else {
            out.push_str(&paint(palette.hit, &word));
        }
        at = end;
    }
    out.extend(&chars[at..]);
    collapse_spaces(&out)
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c == ' ' {
            if !space {
                out.push(c);
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.trim().to_string()
}

/// Wraps plain text to `width` columns with an indent (for text without escape codes).
fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut visible = 0;
    for word in text.split(' ') {
        let len = visible_len(word);
        if visible > 0 && indent.len() + visible + 1 + len > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
            visible = 0;
        }
        if visible > 0 {
            line.push(' ');
            visible += 1;
        }
        line.push_str(word);
        visible += len;
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

/// Columns the text takes on a terminal, without ANSI escape sequences: a Hangul syllable
/// (or any wide character) takes two.
fn visible_len(text: &str) -> usize {
    let mut n = 0;
    let mut escape = false;
    for c in text.chars() {
        if escape {
            if c.is_ascii_alphabetic() {
                escape = false;
            }
        } else if c == '\x1b' {
            escape = true;
        } else {
            n += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    n
}

/// `text` cut to at most `columns` terminal columns, with `…` when cut.
fn fit_columns(text: &str, columns: usize) -> String {
    if visible_len(text) <= columns {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn tag_line(doc_speakers: &[&str], institutions: &[&str], topics: &[String], palette: &Palette) -> String {
    let mut parts = Vec::new();
    if !topics.is_empty() {
        parts.push(format!(
            "{} {}",
            paint(palette.dim, "topics:"),
            topics.iter().map(|t| paint(palette.topic, t)).collect::<Vec<_>>().join(", ")
        ));
    }
    if !doc_speakers.is_empty() {
        parts.push(format!(
            "{} {}",
            paint(palette.dim, "speakers:"),
            doc_speakers.iter().map(|s| paint(palette.speaker, s)).collect::<Vec<_>>().join(", ")
        ));
    }
    if !institutions.is_empty() {
        let shown: Vec<String> = institutions.iter().take(4).map(|i| paint(palette.institution, i)).collect();
        let more = if institutions.len() > 4 { format!(" +{}", institutions.len() - 4) } else { String::new() };
        parts.push(format!("{} {}{more}", paint(palette.dim, "institutions:"), shown.join(", ")));
    }
    parts.join("  ")
}

pub fn search_text(
    out: &mut dyn Write,
    r: &SearchOutcome,
    offset: usize,
    palette: &Palette,
    width: usize,
) -> io::Result<()> {
    for (i, hit) in r.hits.iter().enumerate() {
        let doc = &hit.doc;
        let rank = format!("{:>3}.", offset + i + 1);
        let title = doc.title.as_deref().unwrap_or("(untitled)");
        let date = doc.date.as_deref().map(|d| format!("  {}", paint(palette.dim, d))).unwrap_or_default();
        writeln!(out, "{} {}{}", paint(palette.dim, &rank), paint(palette.title, title), date)?;
        let location = match &hit.passage {
            Some(p) if !r.hits.is_empty() && hit.passage.is_some() => {
                format!("{} {}", paint(palette.path, &doc.path), paint(palette.dim, &format!("¶{}", p.n)))
            }
            _ => paint(palette.path, &doc.path),
        };
        writeln!(out, "     {location}")?;
        let (speakers, institutions, topics): (Vec<&str>, Vec<&str>, &[String]) = match &hit.passage {
            Some(p) if is_passage_hit(hit) => (
                p.speakers.iter().map(String::as_str).collect(),
                p.institutions.iter().map(String::as_str).collect(),
                &p.topics,
            ),
            _ => (
                doc.speakers.iter().map(|s| s.name.as_str()).collect(),
                doc.institutions.iter().map(|s| s.name.as_str()).collect(),
                &doc.topics,
            ),
        };
        let tags = tag_line(&speakers, &institutions, topics, palette);
        for line in wrap(&tags, width, "     ") {
            writeln!(out, "{line}")?;
        }
        let snippet = painted_snippet(&hit.snippet, &hit.highlights, palette);
        for line in wrap(&snippet, width, "     ") {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// What a page of results leaves out, for standard error: `results 8–10 of 12; more with
/// --offset 10`, or that the offset is past the last result. None when nothing is left out.
pub fn search_footer(r: &SearchOutcome, offset: usize) -> Option<String> {
    let shown = r.hits.len() + r.paths.len();
    if shown == 0 && offset > 0 && offset >= r.total {
        return Some(format!("no results at --offset {offset}: there are {}", r.total));
    }
    let next = offset.saturating_add(shown);
    let range = if shown == 1 { format!("result {next}") } else { format!("results {}–{next}", offset + 1) };
    (shown > 0 && next < r.total).then(|| format!("{range} of {}; more with --offset {next}", r.total))
}

/// The store gives a hit its passage only when the snippet comes from that passage.
fn is_passage_hit(hit: &Hit) -> bool {
    hit.passage.is_some()
}

// ---- show / export ----

pub fn document_text(out: &mut dyn Write, doc: &Document, palette: &Palette, width: usize) -> io::Result<()> {
    writeln!(out, "{}", paint(palette.title, doc.title.as_deref().unwrap_or("(untitled)")))?;
    let field = |out: &mut dyn Write, name: &str, value: &str| {
        writeln!(out, "{} {value}", paint(palette.dim, &format!("{name:>12}:")))
    };
    field(out, "path", &paint(palette.path, &doc.path))?;
    field(out, "id", &doc.id)?;
    for (name, value) in [("date", &doc.date), ("source", &doc.source), ("url", &doc.url), ("event", &doc.event)] {
        if let Some(v) = value {
            field(out, name, v)?;
        }
    }
    if !doc.topics.is_empty() {
        field(out, "topics", &doc.topics.iter().map(|t| paint(palette.topic, t)).collect::<Vec<_>>().join(", "))?;
    }
    for s in &doc.speakers {
        let mut line = paint(palette.speaker, &s.name);
        if let Some(a) = &s.affiliation {
            line.push_str(&format!(" ({a})"));
        }
        let others: Vec<&String> = s.mentions.iter().filter(|m| **m != s.name).collect();
        if !others.is_empty() {
            line.push_str(&paint(
                palette.dim,
                &format!(" — also written {}", others.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")),
            ));
        }
        field(out, "speaker", &line)?;
    }
    for i in &doc.institutions {
        let others: Vec<&String> = i.mentions.iter().filter(|m| **m != i.name).collect();
        let mut line = paint(palette.institution, &i.name);
        if !others.is_empty() {
            line.push_str(&paint(
                palette.dim,
                &format!(" — as {}", others.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")),
            ));
        }
        field(out, "institution", &line)?;
    }
    if !doc.tags.is_empty() {
        field(out, "tags", &doc.tags.join(", "))?;
    }
    for (key, value) in &doc.extra {
        field(out, key, &value.to_string())?;
    }
    for p in &doc.passages {
        writeln!(out)?;
        let mut head = format!("¶{}", p.n);
        if !p.speakers.is_empty() {
            head.push_str(&format!(" {}", paint(palette.speaker, &p.speakers.join(", "))));
        }
        if !p.topics.is_empty() {
            head.push_str(&format!(" [{}]", paint(palette.topic, &p.topics.join(", "))));
        }
        writeln!(out, "{}", paint(palette.dim, &head))?;
        for line in wrap(&collapse_spaces(&p.text.replace('\n', " ")), width, "  ") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

pub fn document_json(out: &mut dyn Write, doc: &Document) -> io::Result<()> {
    json_pretty(out, doc)
}

/// One line of `export`: a document as JSON.
pub fn export_line(out: &mut dyn Write, doc: &Document) -> io::Result<()> {
    json_line(out, doc)
}

// ---- check ----

pub fn check_json(out: &mut dyn Write, report: &crate::commands::check::CheckReport) -> io::Result<()> {
    json_pretty(out, report)
}

/// Why a document has its tags: each tag, then one line a piece of evidence.
pub fn explanation_text(
    out: &mut dyn Write,
    explanation: &crate::commands::explain::Explanation,
    palette: &Palette,
) -> io::Result<()> {
    writeln!(out, "{}", paint(palette.dim, "why these tags:"))?;
    for (kind, tags, color) in [
        ("speaker", &explanation.speakers, palette.speaker),
        ("institution", &explanation.institutions, palette.institution),
    ] {
        for tag in tags {
            writeln!(out, "  {kind} {}", paint(color, &tag.name))?;
            for e in &tag.evidence {
                let place = e.passage.map(|n| format!("¶{n}")).unwrap_or_else(|| "—".into());
                writeln!(out, "      {:>4}  {}  {}", place, e.rule, paint(palette.dim, &e.text))?;
            }
        }
    }
    Ok(())
}

/// `show --explain --format json`: the document with an `explain` object.
pub fn explained_json(
    out: &mut dyn Write,
    doc: &Document,
    explanation: &crate::commands::explain::Explanation,
) -> io::Result<()> {
    let mut value = serde_json::to_value(doc).map_err(io::Error::other)?;
    value["explain"] = serde_json::to_value(explanation).map_err(io::Error::other)?;
    json_pretty(out, &value)
}

pub fn verify_json(out: &mut dyn Write, report: &crate::store::Verification) -> io::Result<()> {
    json_pretty(out, report)
}

/// Problems on stdout, one a line, then a summary line.
pub fn verify_text(
    out: &mut dyn Write,
    report: &crate::store::Verification,
    index: &std::path::Path,
    palette: &Palette,
) -> io::Result<()> {
    for problem in &report.problems {
        writeln!(out, "{}: {problem}", index.display())?;
    }
    let verdict = if report.problems.is_empty() { "sound" } else { "DAMAGED" };
    let summary = format!(
        "{}: {verdict}: {} segments, {} documents, {} passages checked; {} problems",
        index.display(),
        report.segments,
        report.documents,
        report.passages,
        report.problems.len()
    );
    writeln!(out, "{}", paint(palette.dim, &summary))
}

/// One block a file: path and title, then the tags it would get.
pub fn check_text(
    out: &mut dyn Write,
    report: &crate::commands::check::CheckReport,
    palette: &Palette,
    width: usize,
) -> io::Result<()> {
    for (i, doc) in report.documents.iter().enumerate() {
        let title = doc.title.as_deref().unwrap_or("(untitled)");
        let date = doc.date.as_deref().map(|d| format!("  {}", paint(palette.dim, d))).unwrap_or_default();
        writeln!(out, "{}  {}{}", paint(palette.path, &doc.path), paint(palette.title, title), date)?;
        let speakers: Vec<&str> = doc.speakers.iter().map(|s| s.name.as_str()).collect();
        let institutions: Vec<&str> = doc.institutions.iter().map(|s| s.name.as_str()).collect();
        let tags = tag_line(&speakers, &institutions, &doc.topics, palette);
        for line in wrap(&tags, width, "    ") {
            writeln!(out, "{line}")?;
        }
        if let Some(explanation) = report.explanations.get(i) {
            explanation_text(out, explanation, palette)?;
        }
    }
    writeln!(
        out,
        "{}",
        paint(
            palette.dim,
            &format!(
                "{} files ok, {} rejected, {} skipped",
                report.documents.len(),
                report.rejected.len(),
                report.skipped.len()
            )
        )
    )
}

// ---- stats ----

#[derive(Serialize)]
struct StatsJson<'a> {
    by: &'a str,
    total: u64,
    counts: Vec<CountJson<'a>>,
}

#[derive(Serialize)]
struct CountJson<'a> {
    value: &'a str,
    documents: u64,
}

/// Counts as JSON: `{"by", "total", "counts": [{"value", "documents"}]}`, with `passages`
/// in place of `documents` when passages were counted.
pub fn stats_json(
    out: &mut dyn Write,
    by: &str,
    counts: &[(String, u64)],
    total: u64,
    passages: bool,
) -> io::Result<()> {
    if passages {
        let counts: Vec<serde_json::Value> =
            counts.iter().map(|(v, n)| serde_json::json!({ "value": v, "passages": n })).collect();
        return json_pretty(out, &serde_json::json!({ "by": by, "total": total, "counts": counts }));
    }
    let counts = counts.iter().map(|(v, n)| CountJson { value: v, documents: *n }).collect();
    json_pretty(out, &StatsJson { by, total, counts })
}

/// Horizontal bars fitted to `width`.
pub fn stats_text(out: &mut dyn Write, counts: &[(String, u64)], palette: &Palette, width: usize) -> io::Result<()> {
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let number_width = max.to_string().len();
    // Label, two spaces, number, a space, bar: long labels are cut so the bar keeps a
    // third of the line and nothing runs past the width.
    let room = width.saturating_sub(number_width + 3);
    let label_width = counts.iter().map(|(v, _)| visible_len(v)).max().unwrap_or(0).min(room * 2 / 3);
    let bar_space = room.saturating_sub(label_width).max(1);
    for (value, n) in counts {
        // Padded and cut by terminal columns: Hangul labels take two a syllable.
        let label = fit_columns(value, label_width);
        let pad = " ".repeat(label_width.saturating_sub(visible_len(&label)));
        let cells = ((*n as f64 / max as f64) * bar_space as f64).round() as usize;
        let bar = "█".repeat(cells.max(usize::from(*n > 0)));
        writeln!(out, "{label}{pad}  {n:>number_width$} {}", paint(palette.bar, &bar))?;
    }
    Ok(())
}

// ---- entities ----

/// `nkdigi config`: each setting in force and where it came from, then the config file.
pub fn config_text(out: &mut dyn Write, settings: &crate::cli::Settings, palette: &Palette) -> io::Result<()> {
    let label = |name: &str| paint(palette.title, &format!("{name:<10}"));
    for (name, value, source) in config_rows(settings) {
        let value = match &value {
            serde_json::Value::Null => "built-in only".to_string(),
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        writeln!(out, "{} {}  {}", label(name), value, paint(palette.dim, &format!("({source})")))?;
    }
    match &settings.config_file {
        Some((path, true)) => writeln!(out, "{} {}", label("file"), path.display()),
        Some((path, false)) => {
            writeln!(
                out,
                "{} {}  {}",
                label("file"),
                path.display(),
                paint(palette.dim, "(none there, or not readable)")
            )
        }
        None => writeln!(out, "{} {}", label("file"), paint(palette.dim, "none (no HOME)")),
    }
}

/// `nkdigi config --format json`: `{"index": {"value": …, "source": …}, …, "config_file": …}`.
pub fn config_json(out: &mut dyn Write, settings: &crate::cli::Settings) -> io::Result<()> {
    let mut map = serde_json::Map::new();
    for (name, value, source) in config_rows(settings) {
        map.insert(name.into(), serde_json::json!({"value": value, "source": source}));
    }
    let (path, found) = match &settings.config_file {
        Some((path, found)) => (Some(path.display().to_string()), *found),
        None => (None, false),
    };
    map.insert("config_file".into(), serde_json::json!({"path": path, "found": found}));
    writeln!(out, "{}", serde_json::Value::Object(map))
}

/// (name, value, where it came from) of each setting, as `config` prints them.
fn config_rows(settings: &crate::cli::Settings) -> Vec<(&'static str, serde_json::Value, String)> {
    let color = match settings.color.value {
        ColorChoice::Auto => "auto",
        ColorChoice::Always => "always",
        ColorChoice::Never => "never",
    };
    let taxonomy = settings.taxonomy.value.as_ref().map_or(serde_json::Value::Null, |p| p.display().to_string().into());
    vec![
        ("index", settings.index.value.display().to_string().into(), settings.index.source.to_string()),
        (
            "taxonomy",
            taxonomy,
            match settings.taxonomy.source {
                // Only a default: an index that saved a taxonomy keeps using it.
                crate::cli::Source::File => "config file, for an index with none saved".to_string(),
                ref other => other.to_string(),
            },
        ),
        ("color", color.into(), settings.color.source.to_string()),
        ("page_size", settings.page_size.value.into(), settings.page_size.source.to_string()),
    ]
}

pub fn entities_json(out: &mut dyn Write, report: &EntitiesReport) -> io::Result<()> {
    json_pretty(out, report)
}

pub fn entities_text(out: &mut dyn Write, report: &EntitiesReport, palette: &Palette) -> io::Result<()> {
    let mut kind = "";
    for e in &report.entities {
        if e.kind != kind {
            if !kind.is_empty() {
                writeln!(out)?;
            }
            kind = e.kind;
            writeln!(out, "{}", paint(palette.title, &format!("{}s", e.kind)))?;
        }
        let style = if e.kind == "speaker" { palette.speaker } else { palette.institution };
        let mut line = format!("  {:>4}  {}", e.documents, paint(style, &e.name));
        if let Some(category) = &e.category {
            line.push_str(&paint(palette.dim, &format!(" [{}]", category.replace('_', " "))));
        }
        if let Some(a) = &e.affiliation {
            line.push_str(&format!(" ({a})"));
        }
        let others: Vec<&String> = e.mentions.iter().filter(|m| **m != e.name).collect();
        if !others.is_empty() {
            line.push_str(&paint(
                palette.dim,
                &format!(" — also {}", others.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")),
            ));
        }
        writeln!(out, "{line}")?;
    }
    if !report.suggestions.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(palette.title, "near-miss names kept apart (add an alias to the taxonomy to merge):")
        )?;
        for s in &report.suggestions {
            writeln!(out, "  {} ({} docs) ~ {} ({} docs)", s.a, s.documents[0], s.b, s.documents[1])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_palette_adds_no_escape_codes() {
        let p = Palette::new(false);
        assert_eq!(painted_snippet("the 4G  network", &[(4, 6)], &p), "the 4G network");
        let colored = painted_snippet("the 4G network", &[(4, 6)], &Palette::new(true));
        assert!(colored.contains("\x1b["));
        assert_eq!(visible_len(&colored), "the 4G network".len());
    }

    #[test]
    fn wrapping_respects_the_width() {
        let text = "word ".repeat(40);
        for line in wrap(text.trim(), 40, "  ") {
            assert!(line.len() <= 40, "{line:?}");
        }
    }

    #[test]
    fn bars_scale_to_the_largest_count() {
        let mut out = Vec::new();
        stats_text(&mut out, &[("ai".into(), 10), ("cyber".into(), 5)], &Palette::new(false), 60).unwrap();
        let text = String::from_utf8(out).unwrap();
        let bars: Vec<usize> = text.lines().map(|l| l.matches('█').count()).collect();
        assert!(bars[0] > bars[1] && bars[1] * 2 >= bars[0] - 1, "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 60));
        // Hangul takes two columns a syllable: wrapped by columns, not characters.
        let korean = "북한의 휴대전화 가입자가 늘었다고 통일연구원 연구위원은 말했다 ".repeat(6);
        for line in wrap(&korean, 50, "  ") {
            assert!(visible_len(&line) <= 50, "{} columns: {line}", visible_len(&line));
        }
        let mut chart = Vec::new();
        let counts = vec![("국가안보전략연구원 북한연구실 사이버안보팀".to_string(), 3), ("INSS".to_string(), 1)];
        stats_text(&mut chart, &counts, &Palette::new(false), 40).unwrap();
        for line in String::from_utf8(chart).unwrap().lines() {
            assert!(visible_len(line) <= 40, "{} columns: {line}", visible_len(line));
        }
    }
}
