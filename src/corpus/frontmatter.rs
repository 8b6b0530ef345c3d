//! YAML front matter: splitting it off the top of a file and parsing it into a typed struct.

use crate::date::PartialDate;
use crate::yaml::{self, YamlError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Front matter larger than this is refused rather than parsed.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// The known keys of front matter, typed. Unknown keys go to `extra`.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    #[serde(default)]
    pub date: Option<DateValue>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub event: Option<String>,
    pub author: Option<String>,
    pub speakers: Option<Vec<SpeakerEntry>>,
    pub institutions: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

const KNOWN_KEYS: [&str; 10] =
    ["title", "date", "source", "url", "event", "author", "speakers", "institutions", "topics", "tags"];

/// `date:` as YAML gives it: `2025` reads as a number, `2025-05` as a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Year(i64),
    Text(String),
}

/// A `speakers:` entry: a bare name or `{name, affiliation}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum SpeakerEntry {
    Name(String),
    Full { name: String, affiliation: Option<String> },
}

impl SpeakerEntry {
    pub fn name(&self) -> &str {
        match self {
            SpeakerEntry::Name(name) | SpeakerEntry::Full { name, .. } => name,
        }
    }

    pub fn affiliation(&self) -> Option<&str> {
        match self {
            SpeakerEntry::Name(_) => None,
            SpeakerEntry::Full { affiliation, .. } => affiliation.as_deref(),
        }
    }
}

/// A front matter problem, with the 1-based line in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: usize,
    pub message: String,
}

/// A file split into its front matter (if any) and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: Option<&'a str>,
    /// Everything after the closing line.
    pub body: &'a str,
    /// 1-based line in the file where `body` starts.
    pub body_line: usize,
}

/// Splits front matter off `text` (already without BOM, with `\n` line ends).
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let Some(rest) = strip_fence(text) else {
        return Ok(Split { yaml: None, body: text, body_line: 1 });
    };
    let mut offset = 0;
    for (line, raw) in (2..).zip(rest.split_inclusive('\n')) {
        let content = raw.trim_end_matches('\n').trim_end();
        if content == "---" || content == "..." {
            let body = &rest[offset + raw.len()..];
            return Ok(Split { yaml: Some(&rest[..offset]), body, body_line: line + 1 });
        }
        offset += raw.len();
        if offset > MAX_FRONT_MATTER {
            return Err(FrontMatterError {
                line: 1,
                message: format!("front matter is larger than {} KiB", MAX_FRONT_MATTER / 1024),
            });
        }
    }
    Err(FrontMatterError { line: 1, message: "front matter has no closing `---` line".into() })
}

/// The text after an opening `---` line, when `text` starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find('\n').unwrap_or(rest.len());
    if !rest[..end].trim().is_empty() {
        return None;
    }
    Some(rest.get(end + 1..).unwrap_or(""))
}

/// Parses the YAML between the fences. `first_line` is the file line the YAML starts on.
pub fn parse(yaml_text: &str, first_line: usize) -> Result<FrontMatter, FrontMatterError> {
    if yaml_text.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let at = |err: YamlError| FrontMatterError {
        line: first_line + err.line.unwrap_or(1).saturating_sub(1),
        message: format!("front matter: {}", err.message),
    };
    let (mut meta, extra): (FrontMatter, _) = yaml::parse_with_mapping(yaml_text).map_err(|err| {
        // Point at the repeated key, not at the mapping that holds it.
        let repeated = err.message.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next());
        match repeated.and_then(|key| nth_key_line(yaml_text, key, 2)) {
            Some(line) => {
                FrontMatterError { line: first_line + line, message: format!("front matter: {}", err.message) }
            }
            None => at(err),
        }
    })?;
    for (key, empty) in [
        ("speakers", meta.speakers.iter().flatten().any(|s| s.name().trim().is_empty())),
        ("institutions", meta.institutions.iter().flatten().any(|i| i.trim().is_empty())),
    ] {
        if empty {
            return Err(FrontMatterError {
                line: first_line + key_line(yaml_text, key).unwrap_or(0),
                message: format!("front matter: {key}: an entry has an empty name"),
            });
        }
    }
    let mut extra = extra.map_err(at)?;
    extra.retain(|key, _| !KNOWN_KEYS.contains(&key.as_str()));
    meta.extra = extra;
    Ok(meta)
}

impl FrontMatter {
    /// The `date:` value checked as a partial date; `line_of` finds the key's line for errors.
    pub fn checked_date(&self, yaml_text: &str, first_line: usize) -> Result<Option<PartialDate>, FrontMatterError> {
        let text = match &self.date {
            None => return Ok(None),
            Some(DateValue::Year(year)) => year.to_string(),
            Some(DateValue::Text(text)) => text.clone(),
        };
        text.parse().map(Some).map_err(|err: crate::date::DateError| FrontMatterError {
            line: first_line + key_line(yaml_text, "date").unwrap_or(0),
            message: format!("front matter: date: {err}"),
        })
    }
}

/// 0-based line of the `nth` top-level `key:` in YAML text.
fn nth_key_line(yaml_text: &str, key: &str, nth: usize) -> Option<usize> {
    yaml_text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        .nth(nth - 1)
        .map(|(i, _)| i)
}

/// 0-based line of a top-level `key:` in YAML text.
fn key_line(yaml_text: &str, key: &str) -> Option<usize> {
    yaml_text.lines().position(|line| line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Front matter as it was read before one reading gave both the typed keys and the rest.
    fn parse_in_two_readings(yaml_text: &str) -> Result<(FrontMatter, BTreeMap<String, serde_json::Value>), String> {
        let typed: FrontMatter = yaml::parse(yaml_text).map_err(|e| e.message)?;
        let mut extra = yaml::mapping_as_json(yaml_text).map_err(|e| e.message)?;
        extra.retain(|key, _| !KNOWN_KEYS.contains(&key.as_str()));
        Ok((typed, extra))
    }

    proptest::proptest! {
        /// Lines of known and unknown keys with values of every shape (numbers where text is
        /// wanted, lists, mappings, tags, repeats, keys that are no strings).
        #[test]
        fn one_reading_gives_what_two_gave(lines in proptest::collection::vec((
            proptest::sample::select(vec![
                "title", "date", "source", "url", "event", "author", "speakers", "institutions", "topics",
                "tags", "reviewed", "score", "2024", "\"quoted\"", "x",
            ]),
            proptest::sample::select(vec![
                "A title", "2025", "2025-05", "2025.5", "true", "~", "", "[ai, 4g]", "[Kim Min-jung, {name: Park, affiliation: KINU}]",
                "{name: Park}", "{a: 1, a: 2}", "!custom value", "!x ~", "[!x ~, a]", "!!str 2024", "[1, [2, {3: x}]]", "\"quoted: text\"", "- a",
            ]),
        ), 0..6)) {
            let text: String = lines.iter().map(|(key, value)| format!("{key}: {value}\n")).collect();
            let one = parse(&text, 1).map(|meta| { let extra = meta.extra.clone(); (FrontMatter { extra: BTreeMap::new(), ..meta }, extra) });
            let two = parse_in_two_readings(&text);
            match (one, two) {
                (Ok(one), Ok(two)) => proptest::prop_assert_eq!(one, two, "{}", text),
                (Err(one), Err(two)) => proptest::prop_assert!(one.message.ends_with(&two), "{}: {} / {}", text, one.message, two),
                (one, two) => proptest::prop_assert!(false, "{}: {:?} / {:?}", text, one, two),
            }
        }
    }

    #[test]
    fn no_front_matter_leaves_the_text_alone() {
        let split = split("Title\n\nBody\n").unwrap();
        assert_eq!(split.yaml, None);
        assert_eq!(split.body, "Title\n\nBody\n");
        assert_eq!(split.body_line, 1);
    }

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let split = split("---\ntitle: A\ndate: 2025\n---\nBody line\n").unwrap();
        assert_eq!(split.yaml, Some("title: A\ndate: 2025\n"));
        assert_eq!(split.body, "Body line\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn a_dashes_line_that_is_not_at_the_top_is_body() {
        let text = "Intro\n---\ntitle: x\n---\n";
        assert_eq!(split(text).unwrap().yaml, None);
        assert_eq!(split("----\nnot yaml\n").unwrap().yaml, None);
    }

    #[test]
    fn empty_names_are_refused_at_their_key() {
        let err = parse("title: x\nspeakers:\n  - Park Min-ju\n  - \"\"\n", 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("empty name"), "{}", err.message);
        let err = parse("speakers:\n  - name: \"  \"\n    affiliation: KINU\n", 2).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(parse("institutions: [\"\"]\n", 2).is_err());
    }

    #[test]
    fn unclosed_and_oversized_front_matter_are_errors() {
        let err = split("---\ntitle: A\nbody without end\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("closing"));
        let huge = format!("---\n{}", "k: v\n".repeat(20_000));
        assert!(split(&huge).unwrap_err().message.contains("larger"));
    }

    #[test]
    fn parses_known_keys_and_keeps_unknown_ones() {
        let yaml = "title: T\ndate: 2025-05\nspeakers:\n  - Park Min-ju\n  - name: Martyn Williams\n    affiliation: Stimson Center\ntopics: [ai, 4g]\nreviewed: yes\n";
        let meta = parse(yaml, 2).unwrap();
        assert_eq!(meta.title.as_deref(), Some("T"));
        let speakers = meta.speakers.clone().unwrap();
        assert_eq!(speakers[0].name(), "Park Min-ju");
        assert_eq!(speakers[0].affiliation(), None);
        assert_eq!(speakers[1].affiliation(), Some("Stimson Center"));
        assert_eq!(meta.topics, Some(vec!["ai".into(), "4g".into()]));
        assert_eq!(meta.extra.keys().collect::<Vec<_>>(), vec!["reviewed"]);
        assert_eq!(meta.checked_date(yaml, 2).unwrap().unwrap().to_string(), "2025-05");
    }

    #[test]
    fn numeric_year_is_a_date() {
        let meta = parse("date: 2025\n", 2).unwrap();
        assert_eq!(meta.checked_date("date: 2025\n", 2).unwrap().unwrap().to_string(), "2025");
    }

    #[test]
    fn errors_carry_the_file_line() {
        // The YAML starts on file line 2; `speakers: 42` is its third line → file line 4.
        let err = parse("title: T\ndate: 2025\nspeakers: 42\n", 2).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("speakers") || err.message.contains("invalid type"), "{}", err.message);
        let yaml = "title: T\ndate: 2025-13-01\n";
        let meta = parse(yaml, 2).unwrap();
        let err = meta.checked_date(yaml, 2).unwrap_err();
        assert_eq!(err.line, 3);
    }
}
