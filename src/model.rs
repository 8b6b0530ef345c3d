//! The documents nkdigi hands between stages and prints as JSON: a parsed file, its tags,
//! and the shapes of `export`, `show --format json` and search hits.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A speaker of a document: canonical name, the affiliation the text gives, and the
/// spellings seen in this document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerRef {
    pub name: String,
    pub affiliation: Option<String>,
    pub mentions: Vec<String>,
}

/// An institution named in a document: canonical name and the forms seen in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionRef {
    pub name: String,
    pub mentions: Vec<String>,
}

/// One passage (paragraph or transcript turn) with its own tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    pub n: usize,
    /// The line of the file the passage starts on (1-based); absent in indexes made before
    /// lines were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub text: String,
    pub speakers: Vec<String>,
    pub institutions: Vec<String>,
    pub topics: Vec<String>,
}

/// A tagged document as stored in the index and printed by `export` / `show`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub event: Option<String>,
    /// The author or byline, from front matter or an `Author:`/`By` line.
    #[serde(default)]
    pub author: Option<String>,
    pub speakers: Vec<SpeakerRef>,
    pub institutions: Vec<InstitutionRef>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    /// Front matter keys nkdigi does not interpret, kept as written.
    pub extra: BTreeMap<String, serde_json::Value>,
    pub passages: Vec<Passage>,
}

impl Document {
    /// The document without its passages: what a search hit carries.
    pub fn header(&self) -> Document {
        Document {
            id: self.id.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
            source: self.source.clone(),
            url: self.url.clone(),
            event: self.event.clone(),
            author: self.author.clone(),
            speakers: self.speakers.clone(),
            institutions: self.institutions.clone(),
            topics: self.topics.clone(),
            tags: self.tags.clone(),
            extra: self.extra.clone(),
            passages: Vec::new(),
        }
    }
}
