//! JSON shapes (spec.md "JSON"). Fields the spec requires are not Option unless nullable.
//! Deserializing into these checks that every field is there.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
pub struct IndexSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub rejected: Vec<RejectedJson>,
    #[allow(dead_code)] // present is what matters: deserializing checks it
    pub elapsed_ms: u64,
}

#[derive(Debug, Deserialize)]
pub struct RejectedJson {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Deserialize)]
pub struct SearchJson {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Deserialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f64,
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub speakers: Vec<String>,
    pub institutions: Vec<String>,
    pub topics: Vec<String>,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
    pub passage: Option<PassageJson>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct PassageJson {
    pub n: usize,
    pub text: String,
    pub speakers: Vec<String>,
    pub topics: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Document {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub event: Option<String>,
    pub speakers: Vec<SpeakerJson>,
    pub institutions: Vec<InstitutionJson>,
    pub topics: Vec<String>,
    pub passages: Vec<PassageJson>,
    #[serde(default)]
    pub extra: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize)]
pub struct SpeakerJson {
    pub name: String,
    pub affiliation: Option<String>,
    pub mentions: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct InstitutionJson {
    pub name: String,
    pub mentions: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct StatsJson {
    pub by: String,
    pub total: u64,
    pub counts: Vec<CountJson>,
}

#[derive(Debug, Deserialize)]
pub struct CountJson {
    pub value: String,
    pub documents: u64,
}

impl StatsJson {
    pub fn count(&self, value: &str) -> Option<u64> {
        self.counts.iter().find(|c| c.value == value).map(|c| c.documents)
    }
}

#[derive(Debug, Deserialize)]
pub struct EntitiesJson {
    pub entities: Vec<Entity>,
    pub suggestions: Vec<SuggestionJson>,
}

#[derive(Debug, Deserialize)]
pub struct Entity {
    pub kind: String,
    pub name: String,
    pub affiliation: Option<String>,
    pub mentions: Vec<String>,
    pub documents: u64,
}

#[derive(Debug, Deserialize)]
pub struct SuggestionJson {
    pub kind: String,
    pub a: String,
    pub b: String,
    pub documents: [u64; 2],
}

impl SearchJson {
    pub fn paths(&self) -> Vec<&str> {
        self.hits.iter().map(|h| h.path.as_str()).collect()
    }
}

// `check --format json`.

#[derive(Debug, Deserialize)]
pub struct CheckJson {
    pub documents: Vec<CheckDocument>,
    pub rejected: Vec<CheckRejected>,
    pub skipped: Vec<Value>,
}

#[derive(Debug, Deserialize)]
pub struct CheckDocument {
    pub path: String,
    pub title: Option<String>,
    pub speakers: Vec<NamedJson>,
    pub institutions: Vec<NamedJson>,
    pub topics: Vec<String>,
    pub passages: Vec<Value>,
}

#[derive(Debug, Deserialize)]
pub struct NamedJson {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct CheckRejected {
    pub path: String,
    pub line: Option<usize>,
    pub error: String,
}
