//! `nkdigi search`: the store resolves the names of the query and its filters, then runs
//! it.

use crate::date::PartialDate;
use crate::error::Error;
use crate::store::query::{Named, UnknownName};
use crate::store::{Filters, Hit, SearchRequest, Sort, Store};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub index: PathBuf,
    pub query: String,
    pub speakers: Vec<String>,
    pub institutions: Vec<String>,
    pub topics: Vec<String>,
    /// Institutions whose people's speech is wanted (`--affiliation`).
    pub affiliations: Vec<String>,
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

pub fn run(options: &SearchOptions) -> Result<SearchOutcome, Error> {
    let store = Store::open(&options.index)?;
    let (request, unknown_names) = request(&store, options)?;
    let results = store.search(&request)?;
    Ok(SearchOutcome { query: options.query.clone(), total: results.total, hits: results.hits, unknown_names })
}

/// Indexed words close to the query's words that no document holds ("did you mean").
pub fn closest_terms(options: &SearchOptions) -> Result<Vec<(String, Vec<String>)>, Error> {
    Store::open(&options.index)?.closest_terms(&options.query)
}

/// The store request of a search: names and topics resolved by the store.
pub fn request(store: &Store, options: &SearchOptions) -> Result<(SearchRequest, Vec<UnknownName>), Error> {
    let resolved = store.resolve(Named {
        query: &options.query,
        speakers: &options.speakers,
        institutions: &options.institutions,
        topics: &options.topics,
        affiliations: &options.affiliations,
        exact: options.exact,
    })?;
    let request = SearchRequest {
        query: resolved.query,
        filters: Filters {
            speakers: resolved.speakers,
            institutions: resolved.institutions,
            topics: resolved.topics,
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
    Ok((request, resolved.unknown))
}
