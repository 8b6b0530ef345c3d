//! Splitting a body into passages: paragraphs separated by blank lines, and transcript
//! turns (`NAME:` / `NAME (Affiliation):`) even when no blank line separates them.

use regex::Regex;
use std::sync::LazyLock;

/// A transcript turn marker at the start of a line: upper-case name (or Q/A), optional
/// parenthesised affiliation, then a colon.
static TURN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\*\*)?(?:[A-Z][A-Z.'\-]*(?:\s+[A-Z][A-Z.'\-]*){0,4}|Q|A)(?:\s*\([^)\n]{1,120}\))?(?:\*\*)?:(?:\s|$)",
    )
    .expect("valid regex")
});

/// Metadata lines of plain notes (`Date: 2025-05`) that are not passages of their own.
static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(date|source|event|author|by|title|location|tags|url)\s*:\s*\S").expect("valid regex")
});

/// A passage's text and the 1-based line of the body where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPassage {
    pub text: String,
    pub line: usize,
}

/// True when `line` opens a transcript turn.
pub fn is_turn_start(line: &str) -> bool {
    TURN.is_match(line)
}

/// Splits `body` into passages. `skip_first_line_as_title` drops a leading one-line
/// paragraph that was taken as the document's title.
pub fn split(body: &str, skip_first_line_as_title: bool) -> Vec<RawPassage> {
    let mut passages = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, line) in body.lines().enumerate() {
        let blank = line.trim().is_empty();
        if blank || (is_turn_start(line) && !current.is_empty()) {
            flush(&mut passages, &mut current, start);
        }
        if !blank {
            if current.is_empty() {
                start = i + 1;
            }
            current.push(line);
        }
    }
    flush(&mut passages, &mut current, start);
    if skip_first_line_as_title {
        if let Some(first) = passages.first_mut() {
            // Drop the title line, and the metadata lines that may follow it.
            let rest: Vec<&str> = first.text.lines().skip(1).skip_while(|l| META_LINE.is_match(l)).collect();
            if rest.is_empty() {
                passages.remove(0);
            } else {
                first.line += first.text.lines().count() - rest.len();
                first.text = rest.join("\n").trim().to_string();
            }
        }
    }
    passages
}

fn flush(passages: &mut Vec<RawPassage>, lines: &mut Vec<&str>, start: usize) {
    if lines.is_empty() {
        return;
    }
    let text = lines.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
    lines.clear();
    let trimmed = text.trim();
    if is_structure_only(trimmed) {
        return;
    }
    passages.push(RawPassage { text: trimmed.to_string(), line: start });
}

/// Headings, rules and single metadata lines carry no statement of their own.
fn is_structure_only(text: &str) -> bool {
    let all_headings = text.lines().all(|l| l.trim_start().starts_with('#'));
    let rule = text.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '));
    let meta = !text.contains('\n') && META_LINE.is_match(text);
    all_headings || rule || meta
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<String> {
        split(body, false).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let body = "First line\ncontinues here.\n\n  \nSecond paragraph.\n";
        assert_eq!(texts(body), vec!["First line\ncontinues here.", "Second paragraph."]);
        let lines: Vec<usize> = split(body, false).iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 5]);
    }

    #[test]
    fn transcript_turns_are_passages_even_without_blank_lines() {
        let body = "MODERATOR: What about phones?\nMARTYN WILLIAMS (Stimson Center): Models doubled.\nPARK MIN-JU: Universities use AI.\n";
        assert_eq!(
            texts(body),
            vec![
                "MODERATOR: What about phones?",
                "MARTYN WILLIAMS (Stimson Center): Models doubled.",
                "PARK MIN-JU: Universities use AI."
            ]
        );
    }

    #[test]
    fn ordinary_colons_do_not_start_turns() {
        assert!(!is_turn_start("Note: this is prose"));
        assert!(!is_turn_start("The figures: 7.51 million"));
        assert!(is_turn_start("Q: When?"));
        assert!(is_turn_start("KIM MIN-JUNG (INSS): Yes."));
    }

    #[test]
    fn headings_rules_and_meta_lines_are_not_passages() {
        let body = "# Title\n\nDate: 2025-05\n\n---\n\nReal text.\n\n## Section\n\nMore text.";
        assert_eq!(texts(body), vec!["Real text.", "More text."]);
    }

    #[test]
    fn a_title_line_can_be_skipped() {
        let body = "Network operators\n\nKoryolink launched in 2008.";
        assert_eq!(split(body, true).len(), 1);
        assert_eq!(split(body, false).len(), 2);
    }

    #[test]
    fn what_follows_a_skipped_title_line_is_trimmed() {
        // Found by the `passages` fuzzer: an indented line after the title kept its indent.
        let found = split("Title\n   indented text\n more", true);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "indented text\n more");
        assert_eq!(found[0].line, 2);
    }

    #[test]
    fn empty_bodies_have_no_passages() {
        assert!(split("", false).is_empty());
        assert!(split("\n\n  \n", false).is_empty());
    }
}
