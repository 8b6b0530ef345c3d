//! `nkdigi entities`: canonical speakers and institutions with their mentions, affiliations
//! and document counts, and near-miss pairs that were kept apart.

use crate::error::Error;
use crate::store::{CountBy, Filters, HitDetail, SearchRequest, Sort, Store};
use crate::tagging::registry::Kind;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct EntityRow {
    pub kind: &'static str,
    pub name: String,
    /// For institutions of the gazetteer: government, research, media, threat_group…
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub affiliation: Option<String>,
    pub mentions: Vec<String>,
    pub documents: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub kind: &'static str,
    pub a: String,
    pub b: String,
    pub documents: [u64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct EntitiesReport {
    pub entities: Vec<EntityRow>,
    pub suggestions: Vec<Suggestion>,
}

pub fn run(index: &Path, kinds: &[Kind], suggest: bool) -> Result<EntitiesReport, Error> {
    let store = Store::open(index)?;
    let registry = store.registry()?;
    let all = SearchRequest {
        query: String::new(),
        filters: Filters::default(),
        passages: false,
        limit: 0,
        offset: 0,
        sort: Sort::Relevance,
        snippet_chars: 0,
        detail: HitDetail::Full,
    };
    let mut report = EntitiesReport { entities: Vec::new(), suggestions: Vec::new() };
    for &kind in kinds {
        let (label, by) = match kind {
            Kind::Speaker => ("speaker", CountBy::Speaker),
            Kind::Institution => ("institution", CountBy::Institution),
        };
        let counts: HashMap<String, u64> = store.counts(&all, by)?.into_iter().collect();
        let mut rows: Vec<EntityRow> = registry
            .entities(kind)
            .iter()
            .filter_map(|e| {
                let documents = *counts.get(&e.name)?;
                Some(EntityRow {
                    kind: label,
                    name: e.name.clone(),
                    category: e.kind.clone(),
                    affiliation: e.affiliation.clone(),
                    mentions: e.mentions.iter().cloned().collect(),
                    documents,
                })
            })
            .collect();
        rows.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.name.cmp(&b.name)));
        report.entities.extend(rows);
        if suggest {
            for (a, b) in registry.suggestions(kind) {
                let (ca, cb) = (counts.get(&a.name).copied().unwrap_or(0), counts.get(&b.name).copied().unwrap_or(0));
                if ca > 0 && cb > 0 {
                    report.suggestions.push(Suggestion {
                        kind: label,
                        a: a.name.clone(),
                        b: b.name.clone(),
                        documents: [ca, cb],
                    });
                }
            }
        }
    }
    Ok(report)
}
