//! A document's record as the index stores it: the JSON of [`Document`] (what `export`
//! prints) less what the record already says once. A passage names its speakers and
//! institutions by their place in the document's lists, and a speaker or institution whose
//! only mention is its name leaves its mentions out. In the entity-dense benchmark corpus
//! that takes a sixth off the JSON, and lets the store's blocks be half as long (each hit
//! decompresses one) for about the same index size.
//!
//! Records written before this form (names in full everywhere) read the same: a reference
//! is a number or a name, and mentions left out are the name alone.

use crate::model::{Document, InstitutionRef, Passage, SpeakerRef};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The JSON of `doc` in the stored form.
pub fn encode(doc: &Document) -> String {
    let speakers = places(doc.speakers.iter().map(|s| s.name.as_str()));
    let institutions = places(doc.institutions.iter().map(|i| i.name.as_str()));
    let record = Record {
        id: &doc.id,
        path: &doc.path,
        title: &doc.title,
        date: &doc.date,
        source: &doc.source,
        url: &doc.url,
        event: &doc.event,
        author: &doc.author,
        speakers: doc
            .speakers
            .iter()
            .map(|s| Speaker {
                name: &s.name,
                affiliation: &s.affiliation,
                mentions: (!only_the_name(&s.mentions, &s.name)).then_some(&s.mentions),
            })
            .collect(),
        institutions: doc
            .institutions
            .iter()
            .map(|i| Institution {
                name: &i.name,
                mentions: (!only_the_name(&i.mentions, &i.name)).then_some(&i.mentions),
            })
            .collect(),
        topics: &doc.topics,
        tags: &doc.tags,
        extra: &doc.extra,
        passages: doc
            .passages
            .iter()
            .map(|p| StoredPassage {
                n: p.n,
                line: p.line,
                text: &p.text,
                speakers: p.speakers.iter().map(|name| refer(&speakers, name)).collect(),
                institutions: p.institutions.iter().map(|name| refer(&institutions, name)).collect(),
                topics: &p.topics,
            })
            .collect(),
    };
    serde_json::to_string(&record).expect("records serialize")
}

/// The document of a stored record, in either form.
pub fn decode(json: &str) -> Result<Document, String> {
    let record: Read = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let speakers: Vec<SpeakerRef> = record
        .speakers
        .into_iter()
        .map(|s| {
            let mentions = s.mentions.unwrap_or_else(|| vec![s.name.clone()]);
            SpeakerRef { name: s.name, affiliation: s.affiliation, mentions }
        })
        .collect();
    let institutions: Vec<InstitutionRef> = record
        .institutions
        .into_iter()
        .map(|i| {
            let mentions = i.mentions.unwrap_or_else(|| vec![i.name.clone()]);
            InstitutionRef { name: i.name, mentions }
        })
        .collect();
    let passages = record
        .passages
        .into_iter()
        .map(|p| {
            let speakers =
                p.speakers.into_iter().map(|r| resolve(r, &speakers, |s| &s.name)).collect::<Result<_, _>>()?;
            let institutions =
                p.institutions.into_iter().map(|r| resolve(r, &institutions, |i| &i.name)).collect::<Result<_, _>>()?;
            Ok(Passage { n: p.n, line: p.line, text: p.text, speakers, institutions, topics: p.topics })
        })
        .collect::<Result<_, String>>()?;
    Ok(Document {
        id: record.id,
        path: record.path,
        title: record.title,
        date: record.date,
        source: record.source,
        url: record.url,
        event: record.event,
        author: record.author,
        speakers,
        institutions,
        topics: record.topics,
        tags: record.tags,
        extra: record.extra,
        passages,
    })
}

fn only_the_name(mentions: &[String], name: &str) -> bool {
    matches!(mentions, [only] if only == name)
}

/// The place of each name in a document's list: the first, for a name listed twice.
fn places<'a>(names: impl Iterator<Item = &'a str>) -> FxHashMap<&'a str, usize> {
    let mut at = FxHashMap::default();
    for (i, name) in names.enumerate() {
        at.entry(name).or_insert(i);
    }
    at
}

fn refer<'a>(places: &FxHashMap<&str, usize>, name: &'a str) -> Ref<&'a str> {
    places.get(name).map_or(Ref::Name(name), |&i| Ref::At(i))
}

fn resolve<T>(r: Ref<String>, list: &[T], name: impl Fn(&T) -> &String) -> Result<String, String> {
    match r {
        Ref::Name(name) => Ok(name),
        Ref::At(i) => list
            .get(i)
            .map(|t| name(t).clone())
            .ok_or_else(|| format!("a passage refers to entity {i} of {}", list.len())),
    }
}

/// A passage's speaker or institution: its place in the document's list, or (when it is
/// not listed, and in records written before places) its name.
#[derive(Serialize)]
#[serde(untagged)]
enum Ref<S> {
    At(usize),
    Name(S),
}

/// Read as a number or a string directly: an untagged enum would buffer each value first.
impl<'de> Deserialize<'de> for Ref<String> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Ref<String>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a place in the document's list or a name")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                usize::try_from(v).map(Ref::At).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Ref::Name(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Ref::Name(v))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a Option<String>,
    date: &'a Option<String>,
    source: &'a Option<String>,
    url: &'a Option<String>,
    event: &'a Option<String>,
    author: &'a Option<String>,
    speakers: Vec<Speaker<'a>>,
    institutions: Vec<Institution<'a>>,
    topics: &'a [String],
    tags: &'a [String],
    extra: &'a BTreeMap<String, serde_json::Value>,
    passages: Vec<StoredPassage<'a>>,
}

#[derive(Serialize)]
struct Speaker<'a> {
    name: &'a str,
    affiliation: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<&'a Vec<String>>,
}

#[derive(Serialize)]
struct Institution<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<&'a Vec<String>>,
}

#[derive(Serialize)]
struct StoredPassage<'a> {
    n: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    text: &'a str,
    speakers: Vec<Ref<&'a str>>,
    institutions: Vec<Ref<&'a str>>,
    topics: &'a [String],
}

#[derive(Deserialize)]
struct Read {
    id: String,
    path: String,
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    event: Option<String>,
    #[serde(default)]
    author: Option<String>,
    speakers: Vec<ReadSpeaker>,
    institutions: Vec<ReadInstitution>,
    topics: Vec<String>,
    tags: Vec<String>,
    extra: BTreeMap<String, serde_json::Value>,
    passages: Vec<ReadPassage>,
}

#[derive(Deserialize)]
struct ReadSpeaker {
    name: String,
    affiliation: Option<String>,
    mentions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct ReadInstitution {
    name: String,
    mentions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct ReadPassage {
    n: usize,
    #[serde(default)]
    line: Option<usize>,
    text: String,
    speakers: Vec<Ref<String>>,
    institutions: Vec<Ref<String>>,
    topics: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker(name: &str, mentions: &[&str]) -> SpeakerRef {
        SpeakerRef {
            name: name.into(),
            affiliation: Some("Korea Institute for National Unification".into()),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn document() -> Document {
        Document {
            id: "abc".into(),
            path: "notes/a.md".into(),
            title: Some("Session notes".into()),
            date: Some("2024-05".into()),
            source: Some("Conference proceedings".into()),
            url: Some("https://example.org/notes/a".into()),
            event: Some("Spring workshop".into()),
            author: Some("Jeongmin Kim".into()),
            speakers: vec![
                speaker("Park Min-ju", &["Park Min-joo", "박민주"]),
                speaker("Martyn Williams", &["Martyn Williams"]),
                speaker("Kim Jong-un", &[]),
            ],
            institutions: vec![
                InstitutionRef { name: "Koryolink".into(), mentions: vec!["Koryolink".into()] },
                InstitutionRef { name: "38 North".into(), mentions: vec!["38North".into(), "38 North".into()] },
            ],
            topics: vec!["4g".into(), "smartphones".into()],
            tags: vec!["notes".into()],
            extra: BTreeMap::from([("venue".to_string(), serde_json::json!({"room": 2}))]),
            passages: vec![
                Passage {
                    n: 0,
                    line: Some(3),
                    text: "Williams said Koryolink has 4G.".into(),
                    speakers: vec!["Martyn Williams".into(), "Someone Unlisted".into()],
                    institutions: vec!["Koryolink".into()],
                    topics: vec!["4g".into()],
                },
                Passage {
                    n: 1,
                    line: None,
                    text: "박민주 연구위원은 말했다.".into(),
                    speakers: vec!["Park Min-ju".into()],
                    institutions: vec!["38 North".into(), "Koryolink".into()],
                    topics: vec![],
                },
            ],
        }
    }

    #[test]
    fn a_record_reads_back_as_the_document_it_was() {
        let doc = document();
        assert_eq!(decode(&encode(&doc)).unwrap(), doc);
        assert_eq!(decode(&encode(&Document::default())).unwrap(), Document::default());
    }

    #[test]
    fn the_stored_form_says_each_name_once() {
        let doc = document();
        let json = encode(&doc);
        let full = serde_json::to_string(&doc).unwrap();
        assert!(json.len() < full.len(), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        // Mentions that are the name alone are left out; others, and none at all, are kept.
        assert!(value["speakers"][1].get("mentions").is_none());
        assert_eq!(value["speakers"][0]["mentions"], serde_json::json!(["Park Min-joo", "박민주"]));
        assert_eq!(value["speakers"][2]["mentions"], serde_json::json!([]));
        assert!(value["institutions"][0].get("mentions").is_none());
        // Passages refer to the document's lists by place; a name not listed stays a name.
        assert_eq!(value["passages"][0]["speakers"], serde_json::json!([1, "Someone Unlisted"]));
        assert_eq!(value["passages"][1]["institutions"], serde_json::json!([1, 0]));
    }

    #[test]
    fn records_written_with_names_in_full_read_the_same() {
        let doc = document();
        assert_eq!(decode(&serde_json::to_string(&doc).unwrap()).unwrap(), doc);
    }

    #[test]
    fn a_place_past_the_list_is_an_error_not_a_panic() {
        let json = encode(&document()).replace("\"speakers\":[1,", "\"speakers\":[7,");
        let err = decode(&json).unwrap_err();
        assert!(err.contains("entity 7 of 3"), "{err}");
    }
}
