//! One module per command. Each takes resolved options and returns data; none prints.

pub mod entities;
pub mod index;
pub mod search;

use crate::error::Error;
use crate::model::Document;
use crate::store::{CountBy, Store};
use std::path::Path;

/// `show ID|PATH`.
pub fn show(index: &Path, what: &str) -> Result<Document, Error> {
    let store = Store::open(index)?;
    let normalized = crate::corpus::walk::normalize_display(what);
    if let Some(doc) = store.get(what)?.or(store.get(&normalized)?) {
        return Ok(doc);
    }
    // A path given another way (absolute, or from another folder) finds the same file.
    if let Ok(canonical) = std::fs::canonicalize(what) {
        let id = index::document_id(&canonical.to_string_lossy());
        if let Some(doc) = store.get(&id)? {
            return Ok(doc);
        }
    }
    Err(Error::Usage(format!("{what}: no such document in the index (give an id or a path as indexed)")))
}

/// `export`: every document, ordered by path.
pub fn export(index: &Path) -> Result<Vec<Document>, Error> {
    Store::open(index)?.export()
}

/// `stats`: document counts by a tag over a query and filters.
pub fn stats(index: &Path, request: &search::SearchOptions, by: CountBy) -> Result<Vec<(String, u64)>, Error> {
    let store = Store::open(index)?;
    let (request, _) = search::request(&store, request)?;
    store.counts(&request, by)
}
