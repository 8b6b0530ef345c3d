//! Files to documents: finding files, decoding them, splitting front matter and passages,
//! and the title/date fallbacks of plain notes.

pub mod decode;
pub mod frontmatter;
pub mod passages;
pub mod turns;
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

/// A header line of pasted copy: `Source:`, `URL:`, `Published :`, `Author:`…
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\*\*)?(source|url|link|published|posted|updated|date|author|authors|written by|by|reporter|filed)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(.+?)\s*$",
    )
    .expect("valid regex")
});

/// A byline: `By Jane Doe`, `BY JANE DOE, Reuters`, `By Jane Doe | May 4, 2025`.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\*\*)?(?:[Bb]y|BY|Written by)\s+(\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|and|&))*)\s*(?:[,|–—-].{0,80})?$")
        .expect("valid regex")
});

/// Credit lines that are not text of the report: `(Reporting by …; Editing by …)`,
/// `[Outlet=Reporter Name]`, a lone dateline-free agency tag.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\((?:reporting|writing|editing|additional reporting|compiled|translated|edited)\b[^)]*\)|\[[^\]=\n]{1,60}=[^\]\n]{1,60}\]|(?:translated|edited|compiled) by\b.{0,80})\s*$",
    )
    .expect("valid regex")
});

/// Captions and photo credits: `FILE PHOTO: …`, `(Photo: …)`, `Image: …`, `[사진 …`.
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:[(\[]\s*)?(?:file photo|photo|photos|image|images|picture|caption|photographer|image credit|featured image|courtesy)\b\s*(?:credit\s*)?[:：/)\]=–—-]|^\s*\[(?:photo|사진)",
    )
    .expect("valid regex")
});

/// A photo credit at the end of a caption: `… /Getty Images`, `… (Name/AP Photo)`. Apart from
/// [`CAPTION`], so that each is anchored at one end and reads only that end of a line.
static CAPTION_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:getty images|/reuters|/ap photo|/afp|/yonhap|/ap)\)?\s*$").expect("valid regex")
});

fn is_caption(line: &str) -> bool {
    CAPTION.is_match(line) || CAPTION_CREDIT.is_match(line)
}

/// How many lines from the top header lines and the title may sit.
const HEADER_WINDOW: usize = 15;

/// What the header lines of pasted copy say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
}

/// The lines of a body that are furniture, not text: header lines and the title at the
/// top, bylines, credits and captions anywhere. Returns what the header said, the title
/// line, and a mask of the lines to leave out of passages.
fn furniture(lines: &[&str], find_title: bool) -> (Header, Option<usize>, Vec<bool>) {
    let mut header = Header::default();
    let mut skip = vec![false; lines.len()];
    let mut title = None;
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        seen += 1;
        if seen > HEADER_WINDOW {
            break;
        }
        if let Some(caps) = HEADER.captures(line) {
            let value = caps[2].trim_matches('*').trim().to_string();
            let slot = match caps[1].to_lowercase().as_str() {
                "source" => &mut header.source,
                "url" | "link" => &mut header.url,
                "published" | "posted" | "date" | "filed" => &mut header.date,
                "updated" => &mut header.date,
                _ => &mut header.author,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
            skip[i] = true;
            continue;
        }
        if let Some(caps) = BYLINE.captures(line) {
            header.author.get_or_insert_with(|| caps[1].trim().to_string());
            skip[i] = true;
            continue;
        }
        if is_caption(line) || CREDIT.is_match(line) {
            skip[i] = true;
            continue;
        }
        if find_title && title.is_none() && is_heading(line) {
            title = Some(i);
            skip[i] = true;
            continue;
        }
        break;
    }
    for (i, line) in lines.iter().enumerate() {
        if !skip[i] && (is_caption(line) || CREDIT.is_match(line) || BYLINE.is_match(line) && line.len() < 100) {
            skip[i] = true;
        }
    }
    (header, title, skip)
}

/// A line that reads as a heading: short, no closing full stop, not a turn or a header.
fn is_heading(line: &str) -> bool {
    let trimmed = line.trim();
    let title = trimmed.trim_start_matches('#').trim().trim_matches('*').trim();
    (trimmed.starts_with('#') || !trimmed.ends_with(['.', '!', '?', ',', ';', ':', '"', '”']))
        && !title.is_empty()
        && title.chars().count() <= MAX_TITLE_CHARS
        && !DATE_LINE.is_match(line)
        && !passages::is_turn_start(line)
}

/// A date somewhere in a header value: `2025-06-18`, `June 18, 2025`, `18 Jun 2025 09:12`.
fn date_in(value: &str) -> Option<PartialDate> {
    static FORMS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})\b",
        )
        .expect("valid regex")
    });
    PartialDate::parse_loose(value).or_else(|| {
        FORMS
            .find(value)
            .and_then(|m| PartialDate::parse_loose(&m.as_str().replace(['.', ','], " ").replace("  ", " ")))
    })
}

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
    /// Lines that are not passages but may name institutions: the title, header lines,
    /// bylines, credits and captions.
    pub furniture: Vec<String>,
}

impl ParsedFile {
    /// The words of the body that no passage holds: furniture lines and markdown headings.
    /// Indexed with the passages, they make the document's text searchable whole.
    pub fn other_text(&self) -> String {
        let mut lines: Vec<&str> = self.furniture.iter().map(String::as_str).collect();
        for line in self.body.lines().map(str::trim).filter(|l| l.starts_with('#')) {
            if !self.furniture.iter().any(|f| f == line) {
                lines.push(line);
            }
        }
        lines.join("\n")
    }
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
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| walk::io_message(&e))?;
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
    let lines: Vec<&str> = body.lines().collect();
    let (header, title_line, skip) = furniture(&lines, meta.title.is_none());
    let heading =
        title_line.map(|i| lines[i].trim().trim_start_matches('#').trim().trim_matches('*').trim().to_string());
    let title = meta.title.clone().filter(|t| !t.trim().is_empty()).or_else(|| heading.clone());
    let date = date.or_else(|| header.date.as_deref().and_then(date_in)).or_else(|| date_line(body));
    // Furniture lines become blank lines: passages keep the line numbers of the file.
    let content: String =
        lines.iter().zip(&skip).map(|(line, skip)| if *skip { "" } else { line }).collect::<Vec<_>>().join("\n");
    let mut passages = passages::split(&content);
    // Lines of the file, not of the body after the front matter.
    for passage in &mut passages {
        passage.line += split.body_line - 1;
    }
    let furniture = lines
        .iter()
        .zip(&skip)
        .filter(|(line, skip)| **skip && !line.trim().is_empty())
        .map(|(l, _)| l.trim().to_string())
        .collect();
    let mut meta = meta;
    meta.source = meta.source.or(header.source);
    meta.url = meta.url.or(header.url);
    meta.author = meta.author.or(header.author);
    Ok(ParsedFile {
        path: path.to_string(),
        meta,
        title,
        date,
        body: body.to_string(),
        passages,
        encoding: "UTF-8",
        replaced_bytes: 0,
        furniture,
    })
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
    fn header_lines_fill_fields_and_are_neither_title_nor_passage() {
        let text = "Source: https://example.org/a\nPublished : Mar 3, 2025 - 09:12\nBy Jane Placeholder\n\n\
                    How phones spread in the provinces\nFirst paragraph, on its own line.\nSecond paragraph here.\n";
        let parsed = parse_text("a.txt", text).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("How phones spread in the provinces"));
        assert_eq!(parsed.meta.source.as_deref(), Some("https://example.org/a"));
        assert_eq!(parsed.meta.author.as_deref(), Some("Jane Placeholder"));
        assert_eq!(parsed.date.map(|d| d.to_string()).as_deref(), Some("2025-03-03"));
        let texts: Vec<&str> = parsed.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["First paragraph, on its own line.", "Second paragraph here."]);
        assert_eq!(parsed.passages[0].line, 6);
        let fronted = parse_text("b.md", "---\ntitle: T\n---\n\nFirst.\n\nSecond.\n").unwrap();
        let lines: Vec<usize> = fronted.passages.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![5, 7], "lines of the file, front matter counted");
    }

    #[test]
    fn captions_bylines_and_credits_are_not_passages() {
        let text = "Title line\n\nFILE PHOTO: A man uses a phone in the capital.\nText one.\n\
                    (Photo: Placeholder Agency)\nText two.\n[Sample Wire=Reporter Lee]\n\
                    Image: a tower. Image credit: Agency\n(Reporting by A; Editing by B)\nText three.\n";
        let parsed = parse_text("a.txt", text).unwrap();
        let texts: Vec<&str> = parsed.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["Text one.", "Text two.", "Text three."]);
    }

    #[test]
    fn a_caption_ending_in_a_photo_credit_is_not_a_passage() {
        let text = "Title line\n\nText one.\nCommuters look at their handsets on a platform. /Getty Images\n\
                    Text two.\nA worker at a trade fair. REUTERS/Placeholder Name/AFP  \n\
                    An agency photo credit mid-line /AFP is still text.\n";
        let parsed = parse_text("a.txt", text).unwrap();
        let texts: Vec<&str> = parsed.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["Text one.", "Text two.", "An agency photo credit mid-line /AFP is still text."]);
    }

    #[test]
    fn a_twelve_paragraph_web_copy_has_twelve_passages() {
        let body: String = (1..=12).map(|i| format!("Paragraph {i} says something, an analyst said.\n")).collect();
        let parsed = parse_text("a.txt", &format!("A headline\n{body}")).unwrap();
        assert_eq!(parsed.passages.len(), 12);
        assert_eq!(parsed.title.as_deref(), Some("A headline"));
    }

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
