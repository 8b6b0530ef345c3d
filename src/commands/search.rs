//! `nkdigi search`: the store resolves the names of the query and its filters, then runs
//! it.

use crate::corpus::walk::{path_text, Root};
use crate::date::PartialDate;
use crate::error::Error;
use crate::store::query::{Named, UnknownName};
pub use crate::store::HitDetail;
use crate::store::{Filters, Hit, SearchRequest, SearchResults, Sort, Store};
use std::path::{Path, PathBuf};

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
    /// Result paths absolute instead of relative to the current folder.
    pub absolute_paths: bool,
    /// What each hit carries: everything, or its path alone (`--format paths`).
    pub detail: HitDetail,
}

/// Results, and the filter names that matched no entity (with the closest known names).
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    pub query: String,
    pub total: usize,
    /// The page's hits in full (every format but paths).
    pub hits: Vec<Hit>,
    /// The page's hits as their paths alone (`--format paths`), in the same order.
    pub paths: Vec<String>,
    pub unknown_names: Vec<(String, Vec<String>)>,
}

/// Runs a search. The opened index is left to the process's exit to release (see
/// `Store::release_at_exit`): this is the command's whole run.
pub fn run(options: &SearchOptions) -> Result<SearchOutcome, Error> {
    let store = Store::open(&options.index)?;
    let (request, unknown_names) = request(&store, options)?;
    let mut results = store.search(&request)?;
    if !results.hits.is_empty() || !results.paths.is_empty() {
        let roots = store.state()?.roots;
        let here = std::env::current_dir().ok().and_then(|d| std::fs::canonicalize(d).ok());
        let shown = |path: &str| shown_path(path, &roots, here.as_deref(), options.absolute_paths);
        for hit in &mut results.hits {
            hit.doc.path = shown(&hit.doc.path);
        }
        for path in &mut results.paths {
            *path = shown(path);
        }
    }
    store.release_at_exit();
    let SearchResults { total, hits, paths } = results;
    Ok(SearchOutcome { query: options.query.clone(), total, hits, paths, unknown_names })
}

/// A result's path as the user sees it: relative to the current folder, as ripgrep and fd
/// print paths (the same as indexed when searching from where `index` ran), or absolute.
/// Paths given absolute to `index` stay absolute; a path under no known root is left as is.
pub fn shown_path(indexed: &str, roots: &[Root], here: Option<&Path>, absolute: bool) -> String {
    if Path::new(indexed).is_absolute() {
        return indexed.to_string();
    }
    let root = roots
        .iter()
        .filter(|r| {
            indexed.strip_prefix(r.display.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|r| r.display.len());
    let Some(root) = root else { return indexed.to_string() };
    let rest = indexed[root.display.len()..].trim_start_matches('/');
    let full = if rest.is_empty() { root.canonical.clone() } else { root.canonical.join(rest) };
    if absolute {
        return path_text(&full);
    }
    match here {
        Some(here) => path_text(&relative_to(&full, here)),
        None => indexed.to_string(),
    }
}

/// `path` relative to the folder `base` (both absolute): `../notes/a.md`.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let (mut p, mut b) = (path.components().peekable(), base.components().peekable());
    while let (Some(x), Some(y)) = (p.peek(), b.peek()) {
        if x != y {
            break;
        }
        p.next();
        b.next();
    }
    let mut out: PathBuf = b.map(|_| "..").collect();
    out.extend(p);
    out
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
        detail: options.detail,
    };
    Ok((request, resolved.unknown))
}
