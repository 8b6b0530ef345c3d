//! Files to documents: finding files, decoding them, splitting front matter and passages,
//! and the title/date fallbacks of plain notes.

pub mod decode;
pub mod frontmatter;
pub mod passages;
pub mod walk;

use crate::date::PartialDate;
use crate::error::FileError;
use frontmatter::FrontMatter;
use passages::RawPassage;
use regex::Regex;
use std::sync::LazyLock;

/// A heading short enough to be a title.
const MAX_TITLE_CHARS: usize = 160;
/// How many lines from the top a `Date:` line may sit.
const DATE_LINE_WINDOW: usize = 12;

static DATE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:\*\*)?date(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.+?)\s*$").expect("valid regex"));

/// A file read and parsed, before tagging.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub path: String,
    pub meta: FrontMatter,
    pub title: Option<String>,
    pub date: Option<PartialDate>,
    pub body: String,
    pub passages: Vec<RawPassage>,
    pub encoding: &'static str,
    /// Invalid UTF-8 bytes replaced with U+FFFD (see `decode::decode_lenient`).
    pub replaced_bytes: usize,
}

/// Reads a file for indexing: opened without blocking (a FIFO put in its place answers at
/// once), only when it is a regular file, and never more than `max` bytes, whatever size
/// the file claims.
pub fn read_file(path: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| walk::io_message(&e))?;
    let meta = file.metadata().map_err(|e| walk::io_message(&e))?;
    if !meta.is_file() {
        let kind = walk::special_kind(meta.file_type()).unwrap_or("a folder");
        return Err(format!("{kind}, not a regular file"));
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| walk::io_message(&e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max));
    }
    Ok(bytes)
}

pub fn too_large(size: u64, max: u64) -> String {
    format!("larger than the size limit ({size} bytes > {max}); see --max-file-size")
}

/// Parses a file's bytes. `path` is used for messages only.
pub fn parse_bytes(path: &str, bytes: &[u8]) -> Result<ParsedFile, FileError> {
    let decoded = decode::decode_lenient(bytes).map_err(|err| FileError::new(path, err.to_string()))?;
    let mut parsed = parse_text(path, &decoded.text)?;
    parsed.encoding = decoded.encoding;
    parsed.replaced_bytes = decoded.replaced;
    Ok(parsed)
}

/// Parses decoded text (BOM already gone; CRLF is accepted).
pub fn parse_text(path: &str, text: &str) -> Result<ParsedFile, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    let split = frontmatter::split(text).map_err(|e| FileError::at_line(path, e.line, e.message))?;
    let (meta, date) = match split.yaml {
        Some(yaml) => {
            let meta = frontmatter::parse(yaml, 2).map_err(|e| FileError::at_line(path, e.line, e.message))?;
            let date = meta.checked_date(yaml, 2).map_err(|e| FileError::at_line(path, e.line, e.message))?;
            (meta, date)
        }
        None => (FrontMatter::default(), None),
    };
    let body = split.body;
    let heading = meta.title.is_none().then(|| heading_title(body)).flatten();
    let title = meta.title.clone().filter(|t| !t.trim().is_empty()).or_else(|| heading.clone());
    let date = date.or_else(|| date_line(body));
    let passages = passages::split(body, heading.is_some() && !first_line_is_markdown_heading(body));
    Ok(ParsedFile {
        path: path.to_string(),
        meta,
        title,
        date,
        body: body.to_string(),
        passages,
        encoding: "UTF-8",
        replaced_bytes: 0,
    })
}

fn first_non_empty_line(body: &str) -> Option<&str> {
    body.lines().map(str::trim).find(|l| !l.is_empty())
}

fn first_line_is_markdown_heading(body: &str) -> bool {
    first_non_empty_line(body).is_some_and(|l| l.starts_with('#'))
}

/// The first non-empty line, when it is short enough to be a heading.
fn heading_title(body: &str) -> Option<String> {
    let line = first_non_empty_line(body)?;
    let title = line.trim_start_matches('#').trim().trim_matches('*').trim();
    let is_meta = DATE_LINE.is_match(line);
    let heading = line.starts_with('#') || !line.ends_with(['.', '!', '?', ',', ';', ':', '"', '”']);
    (heading
        && !title.is_empty()
        && title.chars().count() <= MAX_TITLE_CHARS
        && !is_meta
        && !passages::is_turn_start(line))
    .then(|| title.to_string())
}

/// A `Date:` line near the top of a plain note.
fn date_line(body: &str) -> Option<PartialDate> {
    body.lines()
        .take(DATE_LINE_WINDOW)
        .find_map(|line| DATE_LINE.captures(line))
        .and_then(|caps| PartialDate::parse_loose(caps[1].trim_matches('*')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once_and_reads_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let started = std::time::Instant::now();
        let err = read_file(&fifo, 1 << 20).unwrap_err();
        assert!(err.contains("named pipe"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let file = dir.path().join("a.md");
        std::fs::write(&file, "x".repeat(100)).unwrap();
        assert!(read_file(&file, 99).unwrap_err().contains("size limit"));
        assert_eq!(read_file(&file, 100).unwrap().len(), 100);
        assert!(read_file(std::path::Path::new("/dev/zero"), 1 << 20).unwrap_err().contains("device"));
    }

    #[test]
    fn plain_note_title_and_date_fallbacks() {
        let text =
            "Mobile networks in 2025\nDate: 2025-05\n\nKoryolink is the 3G operator.\n\nKang Song NET is the second.";
        let parsed = parse_text("a.txt", text).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("Mobile networks in 2025"));
        assert_eq!(parsed.date.map(|d| d.to_string()).as_deref(), Some("2025-05"));
        let texts: Vec<&str> = parsed.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["Koryolink is the 3G operator.", "Kang Song NET is the second."]);
    }

    #[test]
    fn a_long_first_paragraph_is_not_a_title() {
        let long = "word ".repeat(60);
        let parsed = parse_text("a.txt", &long).unwrap();
        assert_eq!(parsed.title, None);
        assert_eq!(parsed.passages.len(), 1);
    }

    #[test]
    fn markdown_heading_becomes_title_when_front_matter_has_none() {
        let text = "---\nsource: notes\n---\n# The 4G rollout\n\nText.";
        let parsed = parse_text("a.md", text).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("The 4G rollout"));
        assert_eq!(parsed.meta.source.as_deref(), Some("notes"));
        assert_eq!(parsed.passages.len(), 1);
    }

    #[test]
    fn front_matter_title_and_date_win() {
        let text = "---\ntitle: From YAML\ndate: 2025-11-04\n---\nDate: 2020\n\nBody.";
        let parsed = parse_text("a.md", text).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("From YAML"));
        assert_eq!(parsed.date.unwrap().to_string(), "2025-11-04");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = "\u{feff}---\r\ntitle: T\r\n---\r\nOne.\r\n\r\nTwo.\r\n";
        let parsed = parse_text("a.md", text).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("T"));
        assert_eq!(parsed.passages.len(), 2);
        assert_eq!(parsed.passages[0].text, "One.");
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = parse_text("bad.md", "---\ntitle: T\nspeakers: 42\n---\nBody").unwrap_err();
        assert_eq!(err.path, "bad.md");
        assert_eq!(err.line, Some(3));
        let err = parse_text("bad.md", "---\ndate: someday\n---\nBody").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("date"));
    }

    #[test]
    fn empty_file_is_a_document_without_passages() {
        let parsed = parse_text("empty.md", "").unwrap();
        assert_eq!(parsed.title, None);
        assert!(parsed.passages.is_empty());
    }
}
