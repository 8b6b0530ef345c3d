//! `nkdigi search`: names in filters and in `speaker:` / `institution:` query terms are
//! resolved through the registry, then the store runs the query.

use crate::date::PartialDate;
use crate::error::Error;
use crate::store::{Filters, Hit, SearchRequest, Sort, Store};
use crate::tagging::names;
use crate::tagging::registry::{Kind, Registry};
use regex::Regex;
use std::path::PathBuf;
use std::sync::LazyLock;

#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub index: PathBuf,
    pub query: String,
    pub speakers: Vec<String>,
    pub institutions: Vec<String>,
    pub topics: Vec<String>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub passages: bool,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    pub exact: bool,
}

/// Results, and the filter names that matched no entity (with the closest known names).
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub unknown_names: Vec<(String, Vec<String>)>,
}

static FIELD_TERM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(speaker|institution|topic):(?:"([^"]*)"|([^\s()"]+))"#).expect("valid regex"));

pub fn run(options: &SearchOptions) -> Result<SearchOutcome, Error> {
    let store = Store::open(&options.index)?;
    let (request, unknown_names) = request(&store, options)?;
    let results = store.search(&request)?;
    Ok(SearchOutcome { query: options.query.clone(), total: results.total, hits: results.hits, unknown_names })
}

/// Builds the store request: names resolved, topic ids checked.
/// A filter name that matched no entity, with the closest known names.
pub type UnknownName = (String, Vec<String>);

pub fn request(store: &Store, options: &SearchOptions) -> Result<(SearchRequest, Vec<UnknownName>), Error> {
    let state = store.state()?;
    let mut topic_ids: Vec<String> = if state.topics.is_empty() {
        crate::tagging::taxonomy::Taxonomy::builtin().topic_ids().iter().map(|s| s.to_string()).collect()
    } else {
        state.topics.clone()
    };
    // Topics that documents give in front matter count as much as the taxonomy's: what
    // `stats` shows, `--topic` finds.
    if !options.topics.is_empty() || options.query.contains("topic:") {
        for topic in store.topics_in_index()? {
            if !topic_ids.contains(&topic) {
                topic_ids.push(topic);
            }
        }
    }
    // The registry is read only when a name needs resolving.
    let needs_names = !options.speakers.is_empty()
        || !options.institutions.is_empty()
        || options.query.contains("speaker:")
        || options.query.contains("institution:");
    let registry = if needs_names { store.registry()? } else { Registry::default() };
    let registry = &registry;
    for topic in &options.topics {
        check_topic(topic, &topic_ids)?;
    }
    let mut unknown = Vec::new();
    let mut resolve_all = |kind: Kind, values: &[String]| -> Option<Vec<String>> {
        if values.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for value in values {
            let names = resolve(registry, kind, value, options.exact);
            if names.is_empty() {
                unknown.push((value.clone(), closest(registry, kind, value)));
                out.push(value.clone());
            }
            out.extend(names);
        }
        Some(out)
    };
    let speakers = resolve_all(Kind::Speaker, &options.speakers);
    let institutions = resolve_all(Kind::Institution, &options.institutions);
    let topics = (!options.topics.is_empty()).then(|| options.topics.iter().map(|t| t.to_lowercase()).collect());
    let query = rewrite_query(&options.query, registry, options.exact, &topic_ids)?;
    let request = SearchRequest {
        query,
        filters: Filters {
            speakers,
            institutions,
            topics,
            since: options.since,
            until: options.until,
            exact: options.exact,
        },
        passages: options.passages,
        limit: options.limit,
        offset: options.offset,
        sort: options.sort,
        snippet_chars: 180,
    };
    Ok((request, unknown))
}

fn check_topic(topic: &str, known: &[String]) -> Result<(), Error> {
    let topic = topic.to_lowercase();
    if known.contains(&topic) {
        return Ok(());
    }
    let best =
        known.iter().min_by_key(|k| names::edit_distance(k, &topic)).filter(|k| names::edit_distance(k, &topic) <= 2);
    let hint = best.map(|b| format!(" (did you mean {b}?)")).unwrap_or_default();
    Err(Error::Usage(format!("unknown topic {topic:?}{hint}; topics are: {}", known.join(", "))))
}

/// What a filter name stands for in the index.
fn resolve(registry: &Registry, kind: Kind, value: &str, exact: bool) -> Vec<String> {
    if exact {
        return vec![value.trim().to_lowercase()];
    }
    registry.lookup(kind, value).iter().map(|e| e.name.clone()).collect()
}

/// Known names closest to an unknown one, for "did you mean".
pub fn closest(registry: &Registry, kind: Kind, value: &str) -> Vec<String> {
    let lower = value.to_lowercase();
    let mut scored: Vec<(usize, &str)> = registry
        .entities(kind)
        .iter()
        .map(|e| (names::edit_distance(&e.name.to_lowercase(), &lower), e.name.as_str()))
        .filter(|(d, name)| *d <= (name.len() / 3).max(3))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
}

/// Rewrites `speaker:` and `institution:` terms to the canonical names the index holds.
fn rewrite_query(query: &str, registry: &Registry, exact: bool, topic_ids: &[String]) -> Result<String, Error> {
    let mut error = None;
    let rewritten = FIELD_TERM.replace_all(query, |caps: &regex::Captures<'_>| {
        let field = &caps[1];
        let value = caps.get(2).or(caps.get(3)).map(|m| m.as_str()).unwrap_or_default();
        if field == "topic" {
            if let Err(e) = check_topic(value, topic_ids) {
                error = Some(e);
            }
            return format!("topic:{}", value.to_lowercase());
        }
        let kind = if field == "speaker" { Kind::Speaker } else { Kind::Institution };
        let target = match (exact, kind) {
            (true, Kind::Speaker) => "speaker_mention",
            (true, Kind::Institution) => "institution_mention",
            (false, _) => field,
        };
        let mut names = resolve(registry, kind, value, exact);
        if names.is_empty() {
            names.push(value.to_string());
        }
        let terms: Vec<String> = names.iter().map(|n| format!("{target}:\"{}\"", n.replace('"', ""))).collect();
        if terms.len() == 1 {
            terms[0].clone()
        } else {
            format!("({})", terms.join(" OR "))
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(rewritten.into_owned()),
    }
}
