//! One module per command. Each takes resolved options and returns data; none prints.

pub mod check;
pub mod entities;
pub mod explain;
pub mod index;
pub mod search;

use crate::error::Error;
use crate::model::Document;
use crate::store::{CountBy, Store};
use std::path::Path;

/// `show ID|PATH`.
pub fn show(index: &Path, what: &str) -> Result<Document, Error> {
    let not_found = match show_document(index, what) {
        Ok(document) => return Ok(document),
        Err(err) => err,
    };
    // `PATH#N` (or `ID#N`): one passage of the document (a path with `#` in it won above).
    let Some((doc, n)) = what.rsplit_once('#').and_then(|(d, n)| Some((d, n.parse::<usize>().ok()?))) else {
        return Err(not_found);
    };
    let mut document = show_document(index, doc)?;
    let count = document.passages.len();
    document.passages.retain(|p| p.n == n);
    if document.passages.is_empty() {
        return Err(Error::Usage(format!(
            "{what}: the document has {count} passages, numbered 0 to {}",
            count.max(1) - 1
        )));
    }
    Ok(document)
}

/// The shortest id prefix `show` takes.
const MIN_ID_PREFIX: usize = 4;

fn show_document(index: &Path, what: &str) -> Result<Document, Error> {
    let store = Store::open(index)?;
    let normalized = crate::corpus::walk::normalize_display(what);
    if let Some(doc) = store.get(what)?.or(store.get(&normalized)?) {
        return Ok(doc);
    }
    // A path given another way (absolute, or from another folder) finds the same file.
    if let Ok(canonical) = std::fs::canonicalize(what) {
        let id = crate::corpus::walk::document_id(&canonical);
        if let Some(doc) = store.get(&id)? {
            return Ok(doc);
        }
    }
    // A unique prefix of an id, as git takes one.
    let hex = what.len() >= MIN_ID_PREFIX && what.chars().all(|c| c.is_ascii_hexdigit());
    if hex {
        let ids = store.ids_with_prefix(what, 5)?;
        match ids.as_slice() {
            [id] => {
                if let Some(doc) = store.get(id)? {
                    return Ok(doc);
                }
            }
            [] => {}
            several => {
                return Err(Error::Usage(format!("{what}: ambiguous id prefix; it begins {}", several.join(", "))));
            }
        }
    }
    Err(Error::Usage(format!(
        "{what}: no such document in the index (give an id, a unique id prefix or a path as indexed)"
    )))
}

/// `show --explain`: the document and why it has its tags, from its file read again and
/// tagged with the index's taxonomy.
pub fn show_explained(index: &Path, what: &str) -> Result<(Document, explain::Explanation), Error> {
    let doc = show(index, what)?;
    let store = Store::open(index)?;
    let state = store.state()?;
    let (taxonomy, _) = index::load_taxonomy(None, state.taxonomy_file.as_ref(), None)?;
    let path = Path::new(&doc.path);
    let bytes = crate::corpus::read_file(path, u64::MAX).map_err(|e| {
        Error::Usage(format!(
            "{}: cannot read the file to explain its tags ({e}); run from where it was indexed",
            doc.path
        ))
    })?;
    let parsed = crate::corpus::parse_bytes(&doc.path, &bytes)?;
    let tags = crate::tagging::Tagger::new(taxonomy).tag(&parsed);
    let explanation = explain::explain(&doc, &parsed, &tags);
    Ok((doc, explanation))
}

/// Values of the index a flag takes: what shell completion offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Speakers,
    Institutions,
    Topics,
}

/// The names of the index's speakers or institutions, or its topic ids, most documents first.
pub fn values(index: &Path, values: Values) -> Result<Vec<String>, Error> {
    let kind = match values {
        Values::Speakers => crate::tagging::registry::Kind::Speaker,
        Values::Institutions => crate::tagging::registry::Kind::Institution,
        Values::Topics => {
            let all = search::SearchOptions { index: index.to_path_buf(), ..search::SearchOptions::default() };
            return Ok(stats(index, &all, CountBy::Topic, false)?.0.into_iter().map(|(topic, _)| topic).collect());
        }
    };
    let mut rows = entities::run(index, &[kind], false)?.entities;
    rows.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.name.cmp(&b.name)));
    Ok(rows.into_iter().map(|row| row.name).collect())
}

/// `verify`: checksums, state and records of the index.
pub fn verify(index: &Path) -> Result<crate::store::Verification, Error> {
    Store::open(index)?.verify()
}

/// `export`: every document, ordered by path, handed to `each` one at a time.
pub fn export<E: From<Error>>(index: &Path, each: impl FnMut(Document) -> Result<(), E>) -> Result<(), E> {
    Store::open(index)?.each_document(each)
}

/// Counts by tag value, as `stats` shows them.
pub type Counts = Vec<(String, u64)>;

/// `stats`: document counts by a tag over a query and filters and, asked for, how many
/// documents (or passages) match in all, from one opening of the index, left to the
/// process's exit to release (see `Store::release_at_exit`).
pub fn stats(
    index: &Path,
    request: &search::SearchOptions,
    by: CountBy,
    with_total: bool,
) -> Result<(Counts, Option<u64>), Error> {
    let store = Store::open(index)?;
    let (mut request, _) = search::request(&store, request)?;
    let counts = store.counts(&request, by)?;
    let total = if with_total {
        request.limit = 0;
        Some(store.search(&request)?.total as u64)
    } else {
        None
    };
    store.release_at_exit();
    Ok((if by == CountBy::Year { with_empty_years(counts) } else { counts }, total))
}

/// A year series without holes: years with no documents between the first and the last
/// count as zero, so a chart over time shows the gaps; undated documents come last, as one
/// `undated` row, so that the rows add up to the total.
fn with_empty_years(counts: Vec<(String, u64)>) -> Vec<(String, u64)> {
    let years: Vec<(u32, u64)> = counts.iter().filter_map(|(y, n)| Some((y.parse().ok()?, *n))).collect();
    let undated = counts.iter().find(|(y, _)| y == crate::store::UNDATED_ROW).cloned();
    let (Some(first), Some(last)) = (years.first(), years.last()) else { return counts };
    (first.0..=last.0)
        .map(|year| (year.to_string(), years.iter().find(|(y, _)| *y == year).map(|(_, n)| *n).unwrap_or(0)))
        .chain(undated)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_series_have_no_holes() {
        let counts = vec![("2019".to_string(), 2), ("2022".to_string(), 5)];
        let filled = with_empty_years(counts);
        assert_eq!(filled, vec![("2019".into(), 2), ("2020".into(), 0), ("2021".into(), 0), ("2022".into(), 5)]);
        assert!(with_empty_years(Vec::new()).is_empty());
    }
}
