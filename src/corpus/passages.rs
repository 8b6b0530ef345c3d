//! Splitting a body into passages: paragraphs separated by blank lines, and transcript
//! turns (`NAME:` / `NAME (Affiliation):`) even when no blank line separates them.

use regex::Regex;
use std::sync::LazyLock;

/// Metadata lines of plain notes (`Date: 2025-05`) that are not passages of their own.
static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(date|source|event|author|by|title|location|tags|url)\s*:\s*\S").expect("valid regex")
});

/// A passage's text and the 1-based line of the body where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPassage {
    pub text: String,
    pub line: usize,
    /// A later piece of a transcript turn too long to be one passage: said by whoever
    /// said the piece before it.
    pub continues_turn: bool,
    /// The markdown heading right above the passage, when it is the first after it
    /// (`## Speakers`): headings are no passages, but they say what a list is.
    pub heading: Option<String>,
}

/// A paragraph longer than this (in characters) is split at sentence ends, so that "said
/// by" keeps its meaning and no passage makes tagging slow.
pub const SPLIT_CHARS: usize = 1_500;
/// A transcript turn is one statement: it is split only when longer than this.
pub const SPLIT_TURN_CHARS: usize = 6_000;
/// With no sentence end in sight, a piece is cut at a space (or anywhere) at this length.
pub const HARD_CHARS: usize = 3_000;

pub use super::turns::is_turn_start;

/// Splits `body` into passages: blank-line separated blocks; within a block, one passage a
/// line when the text puts each paragraph on its own line, else one hard-wrapped passage;
/// transcript turns on their own; long paragraphs split at sentence ends.
pub fn split(body: &str) -> Vec<RawPassage> {
    let mut passages = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut heading: Option<(String, usize)> = None;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            flush(&mut passages, &mut current, start);
            attach_heading(&mut passages, &mut heading);
            heading = Some((trimmed.trim_start_matches('#').trim().to_string(), passages.len()));
            continue;
        }
        let blank = line.trim().is_empty();
        if blank || (is_turn_start(line) && !current.is_empty()) {
            flush(&mut passages, &mut current, start);
            attach_heading(&mut passages, &mut heading);
        }
        if !blank {
            if current.is_empty() {
                start = i + 1;
            }
            current.push(line);
        }
    }
    flush(&mut passages, &mut current, start);
    attach_heading(&mut passages, &mut heading);
    join_labels(passages).into_iter().flat_map(split_long).collect()
}

/// A Korean turn's label on a line of its own (`[이호령]`, `▶ 이름 직함:`) joined to the
/// paragraph after it: the label and the words it introduces are one turn. A label before
/// another turn stays as it is.
fn join_labels(passages: Vec<RawPassage>) -> Vec<RawPassage> {
    let mut joined: Vec<RawPassage> = Vec::with_capacity(passages.len());
    let mut label: Option<RawPassage> = None;
    for passage in passages {
        if let Some(open) = label.take() {
            if is_turn_start(&passage.text) || passage.heading.is_some() {
                joined.push(open);
            } else {
                let text = format!("{} {}", open.text, passage.text);
                joined.push(RawPassage { text, ..open });
                continue;
            }
        }
        if super::turns::is_label_only(&passage.text) {
            label = Some(passage);
        } else {
            joined.push(passage);
        }
    }
    joined.extend(label);
    joined
}

/// Gives the first passage after a heading that heading.
fn attach_heading(passages: &mut [RawPassage], heading: &mut Option<(String, usize)>) {
    if let Some((text, at)) = heading {
        if let Some(first) = passages.get_mut(*at) {
            first.heading = Some(std::mem::take(text));
            *heading = None;
        }
    }
}

/// A list item's mark: `- `, `* `, `• `, `1. `, `2) `.
static LIST_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+\S").expect("valid regex"));

/// A line opened by a mark (`■`, `▶`, `※`…), a bracketed tag (`[앵커]`), or a short label
/// and a colon or bar (`세션 1 발표: …`).
static LABELLED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[■□▶▷►●○◆◇※▲△]|ㅇ\s|\[[^\]\n]{1,12}\]|[^\s:|]{1,8}(?:\s\d{1,2})?(?:\s[^\s:|]{1,4})?\s*[:|：]\s)",
    )
    .expect("valid regex")
});

/// Hard-wrapped text has no line longer than this; a longer line is a paragraph of its own.
const WRAP_WIDTH: usize = 160;

/// Whether the lines of one block (no blank line between them) are paragraphs of their own
/// (web copy, where each paragraph is a line) rather than one hard-wrapped paragraph:
/// a line too long for wrapping, or lines that end their sentences.
fn one_paragraph_per_line(lines: &[&str]) -> bool {
    if lines.len() < 2 {
        return false;
    }
    let body = &lines[..lines.len() - 1];
    if body.iter().any(|l| l.chars().count() > WRAP_WIDTH) {
        return true;
    }
    // A list: every line an item of its own, by its marks, or three or more short lines
    // that each start with a capital (names, table rows), which wrapped prose never does.
    if lines.iter().all(|l| LIST_MARK.is_match(l)) {
        return true;
    }
    if lines.len() >= 3
        && lines.iter().all(|l| {
            l.trim_start().starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "|[(\"“".contains(c))
        })
    {
        return true;
    }
    // A line that ends a sentence, or one a programme or brief opens with a mark or a label
    // (`■ 일시: …`, `발제 1: …`, `세션 2 | …`).
    let ended = body
        .iter()
        .filter(|l| {
            l.trim_end().ends_with(['.', '?', '!', '"', '”', '’', ':', ')', '」', '』'])
                || LABELLED_LINE.is_match(l)
                || LIST_MARK.is_match(l)
        })
        .count();
    ended * 10 >= body.len() * 7
}
fn flush(passages: &mut Vec<RawPassage>, lines: &mut Vec<&str>, start: usize) {
    if lines.is_empty() {
        return;
    }
    if one_paragraph_per_line(lines) {
        for (i, line) in lines.iter().enumerate() {
            push(passages, line.trim().to_string(), start + i);
        }
    } else {
        // A hard-wrapped paragraph is one line of text: names wrapped across lines join.
        let text = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        push(passages, text, start);
    }
    lines.clear();
}

fn push(passages: &mut Vec<RawPassage>, text: String, line: usize) {
    let trimmed = text.trim();
    if trimmed.is_empty() || is_structure_only(trimmed) {
        return;
    }
    passages.push(RawPassage { text: trimmed.to_string(), line, continues_turn: false, heading: None });
}

/// Splits a passage longer than the limit into pieces at sentence ends (at spaces, or
/// anywhere, when a sentence will not end). One pass over the text.
fn split_long(passage: RawPassage) -> Vec<RawPassage> {
    let turn = is_turn_start(&passage.text);
    let limit = if turn { SPLIT_TURN_CHARS } else { SPLIT_CHARS };
    if passage.text.len() <= limit {
        return vec![passage];
    }
    let text = passage.text.as_str();
    let mut pieces = Vec::new();
    let (mut start, mut chars) = (0usize, 0usize);
    let (mut sentence_end, mut space): (Option<usize>, Option<usize>) = (None, None);
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        chars += 1;
        if c.is_whitespace() {
            space = Some(i);
            if let Some((p, pc)) = prev {
                if matches!(pc, '.' | '?' | '!' | '"' | '”' | '\'' | '’' | ')')
                    && ends_sentence(&text[start..p + pc.len_utf8()])
                {
                    sentence_end = Some(i);
                }
            }
        }
        prev = Some((i, c));
        let cut = if chars > limit && sentence_end.is_some() {
            sentence_end
        } else if chars > HARD_CHARS.max(limit) {
            Some(space.filter(|&s| s > start).unwrap_or(i))
        } else {
            None
        };
        if let Some(cut) = cut {
            if cut > start {
                pieces.push((start, cut));
                start = cut;
                chars = text[start..i + c.len_utf8()].chars().count();
            }
            sentence_end = None;
            space = None;
        }
    }
    pieces.push((start, text.len()));
    let mut line = passage.line;
    let mut last = 0;
    pieces
        .into_iter()
        .filter_map(|(a, b)| {
            line += text[last..a].matches('\n').count();
            last = a;
            let piece = text[a..b].trim();
            (!piece.is_empty()).then(|| RawPassage {
                text: piece.to_string(),
                line,
                continues_turn: turn && a > 0,
                heading: if a == 0 { passage.heading.clone() } else { None },
            })
        })
        .collect()
}

/// Whether text ending in `.`/`?`/`!` (perhaps with a closing quote) ends a sentence: not
/// after an initial (`J.`) or a title (`Dr.`, `Mr.`) that goes on with a name.
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '”', '\'', '’', ')']);
    if !trimmed.ends_with(['.', '?', '!']) {
        return false;
    }
    let word = trimmed[..trimmed.len() - 1].rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let word = word.trim_start_matches(['"', '“', '(', '\'']);
    const TITLES: [&str; 12] = ["Mr", "Ms", "Mrs", "Dr", "Prof", "St", "Sen", "Rep", "Gen", "Col", "No", "vs"];
    !(word.chars().count() == 1 && word.chars().all(char::is_uppercase)
        || TITLES.contains(&word)
        || word.contains('.') && word.len() <= 5)
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
        split(body).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let body = "First line\ncontinues here.\n\n  \nSecond paragraph.\n";
        assert_eq!(texts(body), vec!["First line continues here.", "Second paragraph."]);
        let lines: Vec<usize> = split(body).iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 5]);
    }

    #[test]
    fn a_label_on_its_own_line_opens_the_paragraph_after_it() {
        let body = "[앵커]\n\n어떻게 보십니까?\n\n[조한범]\n\n가입자는 늘고 있습니다.\n\n[조한범]\n[앵커]\n";
        assert_eq!(
            texts(body),
            vec!["[앵커]", "어떻게 보십니까?", "[조한범] 가입자는 늘고 있습니다.", "[조한범]", "[앵커]"]
        );
        assert_eq!(split(body).iter().map(|p| p.line).collect::<Vec<_>>(), vec![1, 3, 5, 9, 10]);
        let body = "▶ 국민대 최성호 정치대학원장:\n기지국이 늘었습니다.\n\n[윌리엄스 연구원]\n\n중국 제품입니다.\n";
        assert_eq!(
            texts(body),
            vec!["▶ 국민대 최성호 정치대학원장: 기지국이 늘었습니다.", "[윌리엄스 연구원] 중국 제품입니다."]
        );
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
    fn indented_wrapped_lines_are_trimmed() {
        // Found by the `passages` fuzzer: an indented line kept its indent.
        let found = split("   indented text\n more");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "indented text more");
        assert_eq!(found[0].line, 1);
    }

    #[test]
    fn one_paragraph_a_line_is_one_passage_a_line() {
        let body = "Koryolink said subscribers grew.\nThe network now reaches most cities, analysts said.\n\
                    \"It is fast,\" a trader said.\nPrices fell.\n";
        assert_eq!(texts(body).len(), 4);
        let lines: Vec<usize> = split(body).iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
    }

    #[test]
    fn hard_wrapped_paragraphs_join_into_one_line_of_text() {
        let body = "The Institute for National\nSecurity Strategy warned that the\nregime's hackers would turn to AI\nfor theft.\n\nNext paragraph.";
        assert_eq!(
            texts(body),
            vec![
                "The Institute for National Security Strategy warned that the regime's hackers would turn to AI for theft.",
                "Next paragraph."
            ]
        );
    }

    #[test]
    fn a_heading_is_no_passage_but_the_passage_after_it_knows_it() {
        let found = split(
            "## Speakers\n\nDr. Haruka Takahashi, RIPS\nJeong Dae-hun, SNU\nLi Wenbo, Carnegie\n\n## About\n\nText.",
        );
        let texts: Vec<&str> = found.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["Dr. Haruka Takahashi, RIPS", "Jeong Dae-hun, SNU", "Li Wenbo, Carnegie", "Text."]);
        assert_eq!(found[0].heading.as_deref(), Some("Speakers"));
        assert_eq!(found[1].heading, None);
        assert_eq!(found[3].heading.as_deref(), Some("About"));
    }

    #[test]
    fn list_items_are_passages_of_their_own() {
        let body =
            "- Moderator: Yoon Se-ra, Professor\n- Panelist: Zhang Lei, Research Fellow\n* Panelist: Kim Min-jun";
        assert_eq!(texts(body).len(), 3);
    }

    #[test]
    fn a_line_too_long_to_be_wrapped_is_a_paragraph() {
        let long = "word ".repeat(40);
        let body = format!("{long}\n{long}\nshort tail");
        assert_eq!(texts(&body).len(), 3);
    }

    #[test]
    fn long_paragraphs_are_split_at_sentence_ends() {
        let sentence = "Dr. Kim of the U.S. institute said the 4G network grew again this year. ";
        let body = sentence.repeat(60);
        let pieces = split(&body);
        assert!(pieces.len() >= 3, "{}", pieces.len());
        for p in &pieces {
            assert!(p.text.chars().count() <= SPLIT_CHARS + sentence.len(), "{}", p.text.len());
            assert!(p.text.starts_with("Dr. Kim") && p.text.ends_with("this year."), "{:?}", p.text);
        }
        assert_eq!(pieces.iter().map(|p| p.text.len() + 1).sum::<usize>(), body.len());
    }

    #[test]
    fn text_without_sentence_ends_or_spaces_is_still_cut() {
        let words = "word ".repeat(2_000);
        assert!(split(&words).iter().all(|p| p.text.chars().count() <= HARD_CHARS));
        let blob = "한".repeat(10_000);
        let pieces = split(&blob);
        assert_eq!(pieces.iter().map(|p| p.text.chars().count()).sum::<usize>(), 10_000);
        assert!(pieces.iter().all(|p| p.text.chars().count() <= HARD_CHARS + 1));
    }

    #[test]
    fn long_turns_stay_whole_up_to_their_own_limit_and_pieces_continue_them() {
        let turn = format!("MARTYN WILLIAMS: {}", "Phones spread across the country quickly. ".repeat(60));
        let pieces = split(&turn);
        assert_eq!(pieces.len(), 1, "a 2,500-character turn is one passage");
        let long = format!("MARTYN WILLIAMS: {}", "Phones spread across the country quickly. ".repeat(200));
        let pieces = split(&long);
        assert!(pieces.len() > 1);
        assert!(!pieces[0].continues_turn && pieces[1..].iter().all(|p| p.continues_turn));
    }

    #[test]
    fn pieces_of_a_split_paragraph_know_their_line() {
        let body = format!("First.\n\n{}", "A line of text that ends here.\n".repeat(100));
        let lines: Vec<usize> = split(&body).iter().map(|p| p.line).collect();
        assert_eq!(lines[0], 1);
        assert_eq!(lines[1], 3);
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    }

    #[test]
    fn empty_bodies_have_no_passages() {
        assert!(split("").is_empty());
        assert!(split("\n\n  \n").is_empty());
    }
}
