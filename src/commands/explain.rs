//! `--explain`: every tag of a document with the passage it came from and the rule that
//! produced it, so an analyst can see why a tag is there (and fix a miss with an alias).

use crate::corpus::ParsedFile;
use crate::model::Document;
use crate::tagging::Tags;
use serde::Serialize;

/// Why a document has the tags it has.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explanation {
    pub speakers: Vec<ExplainedTag>,
    pub institutions: Vec<ExplainedTag>,
}

/// One tag and the evidence for it.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedTag {
    pub name: String,
    pub evidence: Vec<Evidence>,
}

/// One piece of evidence: where (a passage, or none for front matter, title, headers and
/// captions), by which rule, and the words.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub passage: Option<usize>,
    pub rule: String,
    pub text: String,
}

/// How much of a passage an explanation quotes.
const EXCERPT_CHARS: usize = 90;

fn excerpt(parsed: &ParsedFile, passage: Option<usize>, fallback: &str) -> String {
    let text = passage.and_then(|n| parsed.passages.get(n)).map(|p| p.text.as_str()).unwrap_or(fallback);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// The evidence behind each speaker and institution of `doc`, from the tags it was made of.
pub fn explain(doc: &Document, parsed: &ParsedFile, tags: &Tags) -> Explanation {
    let mut explanation = Explanation::default();
    for speaker in &doc.speakers {
        let evidence = tags
            .speakers
            .iter()
            .filter(|f| f.name == speaker.name || f.mentions.iter().any(|m| speaker.mentions.contains(m)))
            .flat_map(|f| {
                f.evidence.iter().map(|(n, rule)| Evidence {
                    passage: *n,
                    rule: rule.to_string(),
                    text: excerpt(parsed, *n, "front matter"),
                })
            })
            .collect();
        explanation.speakers.push(ExplainedTag { name: speaker.name.clone(), evidence });
    }
    for institution in &doc.institutions {
        let evidence = tags
            .institutions
            .iter()
            .filter(|f| f.name == institution.name || f.mentions.iter().any(|m| institution.mentions.contains(m)))
            .flat_map(|f| {
                f.evidence.iter().map(|(n, rule, mention)| Evidence {
                    passage: *n,
                    rule: rule.to_string(),
                    text: format!("mention \"{mention}\""),
                })
            })
            .collect();
        explanation.institutions.push(ExplainedTag { name: institution.name.clone(), evidence });
    }
    explanation
}
