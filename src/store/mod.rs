//! The only module that knows tantivy: opening and creating the index, the writer lock,
//! atomic updates with the index's state, queries, snippets and counts.

pub mod analyzer;
mod collect;
mod passages;
pub mod query;
mod record;
pub mod schema;

use crate::corpus::walk::Root;
use crate::date::PartialDate;
use crate::error::Error;
use crate::model::{Document, Passage};
use crate::tagging::names;
use crate::tagging::registry::{Kind, Registry};
use collect::{CountsCollector, ManifestCollector};
use schema::{Fields, KIND_DOC, KIND_ENTITY, KIND_PASSAGE, KIND_REGISTRY, KIND_STATE};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, INDEX_WRITER_LOCK,
    META_LOCK,
};
use tantivy::indexer::UserOperation;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

pub use collect::{ManifestEntry, UNDATED_ROW};

/// The index's own bookkeeping, committed atomically with the documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    /// Fingerprint of the taxonomy the documents were tagged with.
    pub taxonomy_fingerprint: String,
    /// The user's taxonomy file in force (path as given and its text), if any.
    pub taxonomy_file: Option<TaxonomyFile>,
    /// Folders and files indexed so far; `index` without PATH re-scans them.
    pub roots: Vec<Root>,
    /// The topic ids of the taxonomy, for checking queries without parsing it.
    #[serde(default)]
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyFile {
    pub path: PathBuf,
    pub text: String,
}

pub const STATE_VERSION: u32 = 1;

/// A tagged document with what the index needs besides the JSON record.
#[derive(Debug, Clone)]
pub struct IndexedDoc {
    pub doc: Document,
    pub root: String,
    /// The first 64 bits of the content hash.
    pub hash: u64,
    pub size: u64,
    pub mtime_ns: u64,
    /// Fingerprint of the taxonomy the tags come from.
    pub tagged_with: u64,
    pub date: Option<PartialDate>,
    /// The document's words outside its passages (see `ParsedFile::other_text`).
    pub other_text: String,
}

/// An opened index.
pub struct Store {
    index: Index,
    fields: Fields,
    path: PathBuf,
    searcher: OnceLock<Searcher>,
    /// The state of that searcher's commit, read once.
    state: OnceLock<State>,
}

/// How long to wait for another writer, and how hard to work.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub wait: Option<Duration>,
    pub threads: usize,
    pub memory_budget: usize,
}

impl Store {
    /// Opens an existing index for reading (and, through [`Store::writer`], writing).
    /// A folder nkdigi did not make is never treated as a damaged index.
    pub fn open(path: &Path) -> Result<Store, Error> {
        let meta = path.join("meta.json");
        match std::fs::File::open(&meta) {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoIndex { path: path.to_path_buf() })
            }
            Err(err) => return Err(io_error(path, &err)),
        }
        let ours = is_nkdigi_folder(path);
        let not_ours = || Error::NotAnIndex { path: path.to_path_buf(), marker: MARKER };
        let dir = IndexDir::open(path)?;
        let index = match Index::open(dir) {
            Ok(index) => index,
            Err(err) if ours => return Err(classify(path, &err)),
            Err(_) => return Err(not_ours()),
        };
        index.tokenizers().register(analyzer::NAME, analyzer::analyzer());
        let fields = match schema::fields_of(&index.schema()) {
            Some(fields) => fields,
            None if ours => return Err(Error::Outdated { path: path.to_path_buf() }),
            None => return Err(not_ours()),
        };
        Ok(Store { index, fields, path: path.to_path_buf(), searcher: OnceLock::new(), state: OnceLock::new() })
    }

    /// Opens the index, creating an empty one when there is none yet. A folder that holds
    /// anything but an nkdigi index is refused: nkdigi only writes into folders it made.
    pub fn open_or_create(path: &Path) -> Result<Store, Error> {
        if path.join("meta.json").exists() {
            return Store::open(path);
        }
        if !is_nkdigi_folder(path) && folder_has_entries(path) {
            return Err(Error::NotAnIndex { path: path.to_path_buf(), marker: MARKER });
        }
        Store::create(path, schema::build())
    }

    /// Makes a new, empty index of `schema` in `path`.
    fn create(path: &Path, (schema, fields): (tantivy::schema::Schema, Fields)) -> Result<Store, Error> {
        std::fs::create_dir_all(path).map_err(|e| io_error(path, &e))?;
        write_marker(path)?;
        let dir = IndexDir::open(path)?;
        let settings = IndexSettings {
            // zstd stores text at about half of what lz4 over 16 KiB does. A hit
            // decompresses its block: 64 KiB blocks take 0.3-0.6 ms off a page of ten
            // against 128 KiB, and the compact records (`record`) keep the index of the
            // entity-dense 200 MB corpus at 0.97x the corpus (1.01x with full records).
            // Level 5 stores a seventh less than level 3 for a few percent more indexing
            // time (BENCHMARKS.md).
            docstore_compression: Compressor::Zstd(ZstdCompressor { compression_level: Some(5) }),
            docstore_blocksize: 64 * 1024,
            ..IndexSettings::default()
        };
        let index =
            Index::builder().schema(schema).settings(settings).open_or_create(dir).map_err(|e| classify(path, &e))?;
        index.tokenizers().register(analyzer::NAME, analyzer::analyzer());
        Ok(Store { index, fields, path: path.to_path_buf(), searcher: OnceLock::new(), state: OnceLock::new() })
    }

    /// An empty index as nkdigi wrote them before entities had entries, for tests of how
    /// such an index is read and rebuilt.
    #[cfg(test)]
    pub(crate) fn create_before_entity_entries(path: &Path) -> Result<Store, Error> {
        Store::create(path, schema::build_with(false, false))
    }

    /// An empty index as nkdigi wrote them before documents had order keys, for tests of
    /// how such an index is rebuilt.
    #[cfg(test)]
    pub(crate) fn create_before_order_keys(path: &Path) -> Result<Store, Error> {
        Store::create(path, schema::build_with(true, false))
    }

    /// Whether the index has entity entries (see [`Store::entity_name`]); an index written
    /// before them has not, and resolves every name through the registry.
    pub fn has_entity_entries(&self) -> bool {
        self.fields.entity_key.is_some()
    }

    /// Whether documents have order keys (see [`schema::Fields::order`]); in an index
    /// written before them, hits of equal score come in the order of the index.
    pub fn has_order_keys(&self) -> bool {
        self.fields.order.is_some()
    }

    /// Leaves the opened index to the process's exit to release. A command that reads,
    /// prints and exits (search, stats) then does not unmap the segment files one by one
    /// and free the searcher first, which took about half a millisecond of a search. A
    /// store that only read has nothing to flush.
    pub fn release_at_exit(self) {
        std::mem::forget(self);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn corrupt(&self, err: impl std::fmt::Display) -> Error {
        Error::Corrupt { path: self.path.clone(), reason: err.to_string() }
    }

    /// A tantivy failure as the user should hear it: the operating system's cause when
    /// there is one (permission, read-only, disk full), else damage.
    fn fail(&self, err: &TantivyError) -> Error {
        classify(&self.path, err)
    }

    /// Takes the writer lock, waiting up to `options.wait` for another writer to finish.
    pub fn writer(&self, options: WriterOptions) -> Result<StoreWriter, Error> {
        let deadline = options.wait.map(|w| Instant::now() + w);
        loop {
            let threads = options.threads.max(1);
            let writer_options = tantivy::indexer::IndexWriterOptions::builder()
                .num_worker_threads(threads)
                .memory_budget_per_thread(options.memory_budget / threads)
                // One merge at a time: tantivy's four merge threads let a large index merge
                // several segments of up to MERGED_SEGMENT_DOCS at once, and a run's peak
                // memory grew with the index.
                .num_merge_threads(1)
                .build();
            match self.index.writer_with_options::<TantivyDocument>(writer_options) {
                Ok(writer) => {
                    let held = Arc::new(AtomicBool::new(true));
                    writer.set_merge_policy(Box::new(BoundedMergePolicy {
                        max_docs: MERGED_SEGMENT_DOCS,
                        min_segments: 2,
                        held: held.clone(),
                    }));
                    // An index made before folders were marked gets its marker now.
                    if !self.path.join(MARKER).is_file() {
                        write_marker(&self.path)?;
                    }
                    return Ok(StoreWriter {
                        writer,
                        merges_held: held,
                        index: self.index.clone(),
                        fields: self.fields,
                        path: self.path.clone(),
                    });
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => match deadline {
                    Some(deadline) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                    _ => return Err(Error::Locked { path: self.path.clone() }),
                },
                Err(err) => return Err(self.fail(&err)),
            }
        }
    }

    /// One searcher per opened store: a short-lived process answers from one commit.
    fn searcher(&self) -> Result<Searcher, Error> {
        if let Some(searcher) = self.searcher.get() {
            return Ok(searcher.clone());
        }
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: TantivyError| self.fail(&e))?;
        Ok(self.searcher.get_or_init(|| reader.searcher()).clone())
    }

    /// A stored field of the entry of a kind (`None` when there is none).
    fn state_field(&self, kind: &str, field: tantivy::schema::Field) -> Result<Option<String>, Error> {
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, kind), IndexRecordOption::Basic);
        self.stored_text(&query, field)
    }

    /// A stored text field of the first entry `query` matches (`None` when none does).
    fn stored_text(&self, query: &dyn Query, field: tantivy::schema::Field) -> Result<Option<String>, Error> {
        let searcher = self.searcher()?;
        let top = searcher.search(query, &TopDocs::with_limit(1).order_by_score()).map_err(|e| self.fail(&e))?;
        let Some((_, addr)) = top.first() else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(*addr).map_err(|e| self.fail(&e))?;
        Ok(doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string))
    }

    /// The state committed with the index (empty for a new index).
    pub fn state(&self) -> Result<State, Error> {
        if let Some(state) = self.state.get() {
            return Ok(state.clone());
        }
        // The commit's payload in `meta.json` holds the state: reading it decompresses no
        // store block, which the state's entry (kept for indexes committed before) costs.
        // It is the searcher's state only when `meta.json` still lists the searcher's
        // segments: a commit in between (every commit writes a segment) sends the read to
        // the entry, through the searcher.
        let searcher = self.searcher()?;
        let metas = self.index.load_metas().map_err(|e| self.fail(&e))?;
        let same_commit = metas.segments.len() == searcher.generation().segments().len()
            && metas
                .segments
                .iter()
                .all(|segment| searcher.generation().segments().get(&segment.id()) == Some(&segment.delete_opstamp()));
        let committed = metas.payload.filter(|payload| same_commit && payload.starts_with('{'));
        let json = match committed {
            Some(json) => Some(json),
            None => self.state_field(KIND_STATE, self.fields.state)?,
        };
        let state = match json {
            Some(json) => serde_json::from_str(&json).map_err(|e| self.corrupt(format!("state: {e}")))?,
            None => State::default(),
        };
        Ok(self.state.get_or_init(|| state).clone())
    }

    /// The entity registry committed with the index. Kept apart from the state: only name
    /// resolution needs it, and it grows with the corpus.
    pub fn registry(&self) -> Result<Registry, Error> {
        let json = match self.state_field(KIND_REGISTRY, self.fields.registry)? {
            Some(json) => Some(json),
            None => self.state_field(KIND_STATE, self.fields.registry)?,
        };
        let mut registry: Registry = match json {
            Some(json) => serde_json::from_str(&json).map_err(|e| self.corrupt(format!("registry: {e}")))?,
            None => Registry::default(),
        };
        registry.rebuild_maps();
        Ok(registry)
    }

    /// The canonical name of the entity a name's key leads to, from the entity's own entry:
    /// what [`Registry::lookup`] finds first, without reading the registry. `None` when no
    /// key matches, or the index has no entity entries.
    pub fn entity_name(&self, kind: Kind, name: &str) -> Result<Option<String>, Error> {
        let Some(field) = self.fields.entity_key else { return Ok(None) };
        let key = match kind {
            Kind::Speaker => names::person_key(name),
            Kind::Institution => names::institution_key(name),
        };
        let term = Term::from_field_text(field, &schema::entity_term(kind, &key));
        self.stored_text(&TermQuery::new(term, IndexRecordOption::Basic), self.fields.registry)
    }

    /// Every indexed file: document id → what is known of it.
    pub fn manifest(&self) -> Result<HashMap<String, ManifestEntry>, Error> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_DOC), IndexRecordOption::Basic);
        let entries = searcher.search(&query, &ManifestCollector).map_err(|e| self.fail(&e))?;
        Ok(entries.into_iter().map(|e| (e.id.clone(), e)).collect())
    }

    /// Every topic id some document or passage in the index carries.
    pub fn topics_in_index(&self) -> Result<Vec<String>, Error> {
        let searcher = self.searcher()?;
        let mut topics = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.topic).map_err(|e| self.fail(&e))?;
            let mut stream = inverted.terms().stream().map_err(|e| self.fail(&tantivy::TantivyError::from(e)))?;
            while stream.advance() {
                topics.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        Ok(topics.into_iter().collect())
    }

    /// Number of documents in the index.
    pub fn document_count(&self) -> Result<usize, Error> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_DOC), IndexRecordOption::Basic);
        searcher.search(&query, &Count).map_err(|e| self.fail(&e))
    }

    /// The ids of the index that start with `prefix`, in order (at most `limit`).
    pub fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, Error> {
        let searcher = self.searcher()?;
        let mut ids = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.id).map_err(|e| self.fail(&e))?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(|e| self.fail(&TantivyError::from(e)))?;
            while stream.advance() {
                let Ok(id) = std::str::from_utf8(stream.key()) else { break };
                if !id.starts_with(prefix) || ids.len() > limit {
                    break;
                }
                ids.insert(id.to_string());
            }
        }
        Ok(ids.into_iter().take(limit).collect())
    }

    /// A document by id or by path as indexed.
    pub fn get(&self, id_or_path: &str) -> Result<Option<Document>, Error> {
        let searcher = self.searcher()?;
        for field in [self.fields.id, self.fields.path] {
            let query = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.kind, KIND_DOC),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(Term::from_field_text(field, id_or_path), IndexRecordOption::Basic)),
                ),
            ]);
            let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).map_err(|e| self.fail(&e))?;
            if let Some((_, addr)) = top.first() {
                return self.record(&searcher, *addr).map(Some);
            }
        }
        Ok(None)
    }

    fn record(&self, searcher: &Searcher, addr: DocAddress) -> Result<Document, Error> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.fail(&e))?;
        self.record_of(&doc)
    }

    /// The record of a document's entry, read through `stores`: per segment, a reader that
    /// keeps the last block it decompressed (`keep`), or one that keeps none. Read in the
    /// store's order, a block that neighbouring hits share is decompressed once; the
    /// searcher's cache would keep many blocks, where hits far apart in the store only ever
    /// need one. A hit far from its neighbours is read through the reader that keeps
    /// nothing: its block is let go before the next is decompressed, where a kept block is
    /// let go only after, and a page of ten hits far apart then took 80 more page faults
    /// (of 464) and 0.15–0.25 ms more (BENCHMARKS.md).
    fn scattered_record(
        &self,
        searcher: &Searcher,
        stores: &mut HashMap<(u32, bool), tantivy::store::StoreReader>,
        addr: DocAddress,
        keep: bool,
    ) -> Result<Document, Error> {
        let store = match stores.entry((addr.segment_ord, keep)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let segment = searcher.segment_reader(addr.segment_ord);
                e.insert(segment.get_store_reader(usize::from(keep)).map_err(|e| self.fail(&e.into()))?)
            }
        };
        let doc: TantivyDocument = store.get(addr.doc_id).map_err(|e| self.fail(&e))?;
        self.record_of(&doc)
    }

    fn record_of(&self, doc: &TantivyDocument) -> Result<Document, Error> {
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| self.corrupt("a document has no record"))?;
        record::decode(json).map_err(|e| self.corrupt(format!("record: {e}")))
    }

    /// Every document, ordered by path.
    pub fn export(&self) -> Result<Vec<Document>, Error> {
        let mut docs = Vec::new();
        self.each_document(|doc| {
            docs.push(doc);
            Ok::<_, Error>(())
        })?;
        Ok(docs)
    }

    /// Hands `each` every document, ordered by path, one at a time: what is held is the
    /// documents' paths and addresses and the searcher's cache of decompressed blocks, so
    /// the memory it takes does not grow with the records. A fresh index stores
    /// its documents in path order, and the searcher's block cache then decompresses each
    /// block once. An error of `each` ends the run and is returned.
    pub fn each_document<E: From<Error>>(&self, mut each: impl FnMut(Document) -> Result<(), E>) -> Result<(), E> {
        let searcher = self.searcher()?;
        for addr in self.document_addresses(&searcher, true)? {
            each(self.record(&searcher, addr)?)?;
        }
        Ok(())
    }

    /// How many documents the index holds, and how many passages their records hold: each
    /// record read in turn, in the order of the store, and dropped.
    fn record_counts(&self) -> Result<(usize, usize), Error> {
        let searcher = self.searcher()?;
        let addrs = self.document_addresses(&searcher, false)?;
        let mut passages = 0;
        for &addr in &addrs {
            passages += self.record(&searcher, addr)?.passages.len();
        }
        Ok((addrs.len(), passages))
    }

    /// The addresses of every document's entry, ordered by the document's path or by their
    /// place in the store.
    fn document_addresses(&self, searcher: &Searcher, by_path: bool) -> Result<Vec<DocAddress>, Error> {
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_DOC), IndexRecordOption::Basic);
        let mut found: Vec<(String, DocAddress)> =
            searcher.search(&query, &collect::PathCollector).map_err(|e| self.fail(&e))?;
        if by_path {
            found.sort();
        } else {
            found.sort_by_key(|&(_, addr)| addr);
        }
        Ok(found.into_iter().map(|(_, addr)| addr).collect())
    }

    /// The query over documents' entries.
    fn build_query(&self, request: &SearchRequest) -> Result<Box<dyn Query>, Error> {
        let clauses = self.clauses(request)?;
        let mut all = Vec::with_capacity(clauses.len() + 1);
        // Only documents' entries hold a title or text: a query that requires a word of
        // either matches no other entry, and intersecting it with every document's entry
        // cost a search 0.2-0.4 ms.
        if !query::requires_text(&request.query) {
            all.push(self.kind_clause(KIND_DOC));
        }
        all.extend(clauses);
        Ok(Box::new(BooleanQuery::new(all)))
    }

    /// Entries of one kind, constant-score.
    fn kind_clause(&self, kind: &str) -> (Occur, Box<dyn Query>) {
        let term = TermQuery::new(Term::from_field_text(self.fields.kind, kind), IndexRecordOption::Basic);
        (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0)))
    }

    /// What a request asks for: the parsed query and its filters.
    fn clauses(&self, request: &SearchRequest) -> Result<Clauses, Error> {
        let f = &self.fields;
        // Filters are constant-score: they select, only the query ranks.
        let filter =
            |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) { (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))) };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !request.query.trim().is_empty() {
            check_nesting(&request.query)?;
            // `koryolnk~1`: fuzzy words are their own clauses; the rest is parsed.
            let (rest, fuzzy) = query::fuzzy_terms(&request.query);
            if !rest.is_empty() {
                let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
                parser.set_conjunction_by_default();
                parser.set_field_boost(f.title, 2.0);
                let parsed = parser
                    .parse_query(&rest)
                    .map_err(|e| Error::BadQuery(query::explain_syntax(&rest).unwrap_or_else(|| query_error(&e))))?;
                clauses.push((Occur::Must, parsed));
            }
            for (word, distance) in fuzzy {
                let Some(term) = analyzer::first_token(&word) else { continue };
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.body, &term), distance, true);
                clauses.push((Occur::Must, Box::new(fuzzy)));
            }
        }
        let any_of = |field, values: &[String]| -> Option<Box<dyn Query>> {
            if values.is_empty() {
                return None;
            }
            let terms: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
                            as Box<dyn Query>,
                    )
                })
                .collect();
            Some(Box::new(BooleanQuery::new(terms)))
        };
        let filters = &request.filters;
        let (speaker_field, institution_field) =
            if filters.exact { (f.speaker_mention, f.institution_mention) } else { (f.speaker, f.institution) };
        for (field, values) in
            [(speaker_field, &filters.speakers), (institution_field, &filters.institutions), (f.topic, &filters.topics)]
        {
            if let Some(values) = values {
                match any_of(field, values) {
                    Some(q) => clauses.push(filter(q)),
                    // A filter that resolved to nothing matches nothing.
                    None => clauses.push((Occur::Must, Box::new(BooleanQuery::new(vec![])))),
                }
            }
        }
        if let Some(since) = filters.since {
            let lower = Term::from_field_u64(f.date_end, since.start_key());
            clauses.push((Occur::Must, Box::new(RangeQuery::new(Bound::Included(lower), Bound::Unbounded))));
        }
        if let Some(until) = filters.until {
            let upper = Term::from_field_u64(f.date_start, until.end_key());
            clauses.push((Occur::Must, Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(upper)))));
        }
        if request.query.trim().is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(clauses)
    }

    /// Every passage a request matches, found inside the documents that match it.
    fn passage_matches(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> Result<(Box<dyn Query>, Vec<passages::PassageMatch>), Error> {
        let mut found = Vec::new();
        let query = self.each_passage_match(searcher, request, &mut |m| found.push(m))?;
        Ok((query, found))
    }

    /// Hands `each` every passage a request matches, in index order, and returns the
    /// request's query.
    fn each_passage_match(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        each: &mut dyn FnMut(passages::PassageMatch),
    ) -> Result<Box<dyn Query>, Error> {
        // Boosts weigh documents; the tree that finds passages reads the query without them.
        let unboosted = SearchRequest { query: query::strip_boosts(&request.query), ..request.clone() };
        let clauses = self.clauses(&unboosted)?;
        let whole: Box<dyn Query> =
            Box::new(BooleanQuery::new(clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect()));
        let mut documents = vec![self.kind_clause(KIND_DOC)];
        documents.extend(passages::positive(whole.as_ref()).map(|q| (Occur::Must, q)));
        let fail = |e: TantivyError| self.fail(&e);
        let statistics = self.text_statistics(searcher)?;
        let documents = Box::new(BooleanQuery::new(documents));
        let mut finder =
            passages::PassageFinder::new(searcher, &statistics, self.fields, clauses, documents).map_err(fail)?;
        finder.by_date = request.sort != Sort::Relevance;
        finder.find(each).map_err(fail)?;
        Ok(whole)
    }

    /// The statistics words are weighed by: the searcher's, but for the entity entries,
    /// which hold no text. Counted among the entries, they would weigh a word, and size a
    /// document against the average, by how many entities the index has.
    fn text_statistics<'s>(&self, searcher: &'s Searcher) -> Result<TextStatistics<'s>, Error> {
        let term = Term::from_field_text(self.fields.kind, KIND_ENTITY);
        let written = searcher.doc_freq(&term).map_err(|e| self.fail(&e))?;
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let live = searcher.search(&query, &Count).map_err(|e| self.fail(&e))? as u64;
        Ok(TextStatistics { searcher, entities: (written, live) })
    }

    /// Runs a search: the total and one page of hits with snippets.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, Error> {
        let searcher = self.searcher()?;
        let fail = |e: TantivyError| self.fail(&e);
        // Nothing can rank past the number of entries in the index: larger limits and
        // offsets are clamped before anything is allocated for them.
        let entries = searcher.num_docs() as usize;
        let offset = request.offset.min(entries);
        let limit = request.limit.clamp(1, entries.max(1));
        let (query, total, ranked): (Box<dyn Query>, usize, Vec<Ranked>) = if request.passages {
            let mut page = PassagePage::new(request.sort, offset + limit);
            let query = self.each_passage_match(&searcher, request, &mut |m| page.push(m))?;
            let (total, found) = page.finish();
            let page = found.into_iter().skip(offset).take(limit);
            (query, total, page.map(|m| (m.score, DocAddress::new(m.segment, m.doc), Some(m.n as usize))).collect())
        } else {
            let query = self.build_query(request)?;
            let top = TopDocs::with_limit(limit).and_offset(offset);
            let statistics = self.text_statistics(&searcher)?;
            // Hits of equal score (all of them, when only filters are given) are ordered by
            // a key of their path (`order_key`): two indexes of the same files then give the
            // same pages, however their segments were cut. An index written before the key
            // has no column of it: every key is `None`, and ties keep the order of the index.
            let ranking = collect::Ranking {
                date: match request.sort {
                    Sort::Relevance => None,
                    Sort::Newest => Some(Order::Desc),
                    Sort::Oldest => Some(Order::Asc),
                },
                score: Order::Desc,
                key: Order::Asc,
            };
            let by_score = (SortBySimilarityScore, ranking.score);
            let by_order_key = (order_key_column, ranking.key);
            let (total, ranked): (usize, Vec<(tantivy::Score, DocAddress)>) = if offset.saturating_add(limit) >= entries
            {
                // Every hit (a script's default): gathered and sorted once, in the same order.
                let hits = searcher
                    .search_with_statistics_provider(&query, &collect::AllHits(ranking), &statistics)
                    .map_err(fail)?;
                let total = hits.len();
                (total, hits.into_iter().skip(offset).take(limit).map(|hit| (hit.score, hit.address)).collect())
            } else if let Some(order) = ranking.date {
                let by_date = (SortByStaticFastValue::<u64>::for_field(schema::DATE_START), order);
                let collector = (top.order_by((by_date, (by_score, by_order_key))), Count);
                let (hits, total) =
                    searcher.search_with_statistics_provider(&query, &collector, &statistics).map_err(fail)?;
                (total, hits.into_iter().map(|((_, (score, _)), addr)| (score, addr)).collect())
            } else {
                let collector = (top.order_by((by_score, by_order_key)), Count);
                let (hits, total) =
                    searcher.search_with_statistics_provider(&query, &collector, &statistics).map_err(fail)?;
                (total, hits.into_iter().map(|((score, _), addr)| (score, addr)).collect())
            };
            (query, total, ranked.into_iter().map(|(score, addr)| (score, addr, None)).collect())
        };
        let ranked = if request.limit == 0 { Vec::new() } else { ranked };
        match request.detail {
            HitDetail::Path => {
                let addresses: Vec<DocAddress> = ranked.iter().map(|&(_, addr, _)| addr).collect();
                let paths = collect::paths_of(&searcher, &addresses).map_err(fail)?;
                let paths = paths.into_iter().map(|path| path.ok_or_else(|| self.corrupt("a document has no path")));
                Ok(SearchResults { total, hits: Vec::new(), paths: paths.collect::<Result<_, _>>()? })
            }
            HitDetail::Full => {
                let threads = hit_threads(ranked.len());
                let hits = self.full_hits(&searcher, &*query, request, ranked, threads)?;
                Ok(SearchResults { total, hits, paths: Vec::new() })
            }
        }
    }

    /// The hits of `ranked` with their records, snippets and lines, in the order given.
    /// Records are read in the order of the store, and neighbours through a reader that
    /// keeps the last block it decompressed: a block is decompressed once however many of
    /// the hits it holds, where reading in rank order decompresses it once per hit. The
    /// hits are shared out in `threads` runs of that order: each hit's block and snippet
    /// are its own work.
    fn full_hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        ranked: Vec<Ranked>,
        threads: usize,
    ) -> Result<Vec<Hit>, Error> {
        let snippets = self.snippet_generator(searcher, query, request.snippet_chars)?;
        let mut by_address: Vec<usize> = (0..ranked.len()).collect();
        by_address.sort_by_key(|&i| (ranked[i].1, ranked[i].2));
        let (ranked, snippets) = (&ranked, &snippets);
        let runs: Vec<Result<Vec<(usize, Hit)>, Error>> = std::thread::scope(|scope| {
            let mut runs = runs_of_documents(&by_address, |i| ranked[i].1, threads).into_iter();
            let first = runs.next().unwrap_or_default();
            let others: Vec<_> = runs
                .map(|run| scope.spawn(move || self.hits_of_run(searcher, snippets, request, ranked, run)))
                .collect();
            let mut done = vec![self.hits_of_run(searcher, snippets, request, ranked, first)];
            done.extend(others.into_iter().map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))));
            done
        });
        let mut hits = Vec::with_capacity(ranked.len());
        for run in runs {
            hits.extend(run?);
        }
        hits.sort_unstable_by_key(|&(i, _)| i);
        Ok(hits.into_iter().map(|(_, hit)| hit).collect())
    }

    /// The hits of `ranked` at the indices of `run`, which are in store order.
    fn hits_of_run(
        &self,
        searcher: &Searcher,
        snippets: &SnippetGenerator,
        request: &SearchRequest,
        ranked: &[Ranked],
        run: &[usize],
    ) -> Result<Vec<(usize, Hit)>, Error> {
        let mut hits = Vec::with_capacity(run.len());
        let mut stores = HashMap::new();
        let addresses: Vec<DocAddress> = run.iter().map(|&i| ranked[i].1).collect();
        // Passage hits of one document are neighbours in this order: they read its record
        // once, and each keeps only its own passage and the document's header.
        let mut parent: Option<(DocAddress, Document)> = None;
        for (k, &i) in run.iter().enumerate() {
            let (score, addr, n) = ranked[i];
            // Asked once a record: a document's passage hits after the first read none.
            let keep = || keeps_block(&addresses, k);
            let (doc, passage, text) = if let Some(n) = n {
                if parent.as_ref().is_none_or(|(at, _)| *at != addr) {
                    parent = Some((addr, self.scattered_record(searcher, &mut stores, addr, keep())?));
                }
                let doc = &parent.as_ref().expect("read above").1;
                let passage = doc.passages.get(n).cloned();
                let text = passage.as_ref().map(|p| p.text.clone()).unwrap_or_default();
                (doc.header(), passage, text)
            } else {
                let doc = self.scattered_record(searcher, &mut stores, addr, keep())?;
                let text = doc.passages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n\n");
                (doc, None, text)
            };
            hits.push((i, hit(snippets, request, score, doc, passage, &text)));
        }
        Ok(hits)
    }

    /// The snippet generator of a query: tantivy's, weighing each term of the body as its
    /// `SnippetGenerator::create` does (rarer terms weigh more), with the analyzer that
    /// stems only the words that can match a term.
    fn snippet_generator(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        chars: usize,
    ) -> Result<SnippetGenerator, Error> {
        let mut terms: std::collections::BTreeSet<&Term> = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == self.fields.body {
                terms.insert(term);
            }
        });
        let mut weights: BTreeMap<String, tantivy::Score> = BTreeMap::new();
        for term in terms {
            let value = term.value();
            let Some(text) = value.as_str() else { continue };
            let docs = searcher.doc_freq(term).map_err(|e| self.fail(&e))?;
            if docs > 0 {
                weights.insert(text.to_string(), 1.0 / (1.0 + docs as tantivy::Score));
            }
        }
        let analyzer = analyzer::snippet_analyzer(weights.keys().map(String::as_str));
        Ok(SnippetGenerator::new(weights, analyzer, self.fields.body, chars))
    }

    /// Checks the index: every file a commit refers to against its footer checksum, the
    /// state and registry (and that each entity the registry files has its entry), and
    /// every document record against its passage entries.
    pub fn verify(&self) -> Result<Verification, Error> {
        let mut report = Verification::default();
        let damaged = self.index.validate_checksum().map_err(|e| self.fail(&e))?;
        let mut damaged: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        damaged.sort();
        report.segments = self.index.searchable_segment_metas().map_err(|e| self.fail(&e))?.len();
        report.problems.extend(damaged.into_iter().map(|f| format!("{f}: checksum mismatch (the file is damaged)")));
        if !report.problems.is_empty() {
            // Reading damaged segments can fail in any way; what is known is enough.
            return Ok(report);
        }
        if let Err(err) = self.state() {
            report.problems.push(format!("state: {err}"));
        }
        let registry = self.registry();
        if let Err(err) = &registry {
            report.problems.push(format!("registry: {err}"));
        }
        // Each entity the registry files under a key has its entry, or names would resolve
        // differently through entries than through the registry.
        if let (Some(field), Ok(registry)) = (self.fields.entity_key, &registry) {
            let filed = [Kind::Speaker, Kind::Institution].map(|kind| (kind, registry.filed_keys(kind)));
            let count: usize = filed.iter().map(|(_, entities)| entities.len()).sum();
            let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_ENTITY), IndexRecordOption::Basic);
            let entries = self.searcher()?.search(&query, &Count).map_err(|e| self.fail(&e))?;
            if entries != count {
                report.problems.push(format!("entities: {entries} entity entries, but the registry files {count}"));
            }
            // And each key leads to the entity the registry files it under.
            'kinds: for (kind, entities) in &filed {
                let kind = *kind;
                for (entity, keys) in entities {
                    for key in keys {
                        let term = Term::from_field_text(field, &schema::entity_term(kind, key));
                        let query = TermQuery::new(term, IndexRecordOption::Basic);
                        let name = self.stored_text(&query, self.fields.registry)?;
                        if name.as_deref() != Some(entity.name.as_str()) {
                            let found = name.map_or("no entry".to_string(), |n| format!("the entry of {n:?}"));
                            report
                                .problems
                                .push(format!("entities: key {key:?} of {:?} leads to {found}", entity.name));
                            break 'kinds;
                        }
                    }
                }
            }
        }
        match self.record_counts() {
            Ok((documents, expected)) => {
                report.documents = documents;
                let searcher = self.searcher()?;
                let query =
                    TermQuery::new(Term::from_field_text(self.fields.kind, KIND_PASSAGE), IndexRecordOption::Basic);
                let found = searcher.search(&query, &Count).map_err(|e| self.fail(&e))?;
                report.passages = found;
                if found != expected {
                    report
                        .problems
                        .push(format!("passages: {found} passage entries, but the documents hold {expected} passages"));
                }
                // Each document's passage entries follow it, numbered from 0: what
                // `--passages` relies on to find them.
                let every = SearchRequest {
                    query: String::new(),
                    filters: Filters::default(),
                    passages: true,
                    limit: 0,
                    offset: 0,
                    sort: Sort::Relevance,
                    snippet_chars: 0,
                    detail: HitDetail::Full,
                };
                // Counted as they are found: a large index has millions of them.
                let mut reached = 0;
                match self.each_passage_match(&searcher, &every, &mut |_| reached += 1) {
                    Ok(_) if reached != expected => report.problems.push(format!(
                        "passages: {reached} passages follow their documents, but the documents hold {expected}"
                    )),
                    Ok(_) => {}
                    Err(err) => report.problems.push(format!("passages: {err}")),
                }
            }
            Err(err) => report.problems.push(format!("documents: {err}")),
        }
        Ok(report)
    }

    /// Document counts by a tag, over the documents a request matches.
    /// "Did you mean": for each word of `query` that no document holds, the indexed words
    /// nearest to it (edit distance 1, or 2 for words over five letters), most frequent
    /// first. It reads the term dictionary, so it is only asked when a search found nothing.
    pub fn closest_terms(&self, query: &str) -> Result<Vec<(String, Vec<String>)>, Error> {
        let searcher = self.searcher()?;
        let words = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3 && !matches!(*w, "AND" | "OR" | "NOT"))
            .take(5);
        let mut out = Vec::new();
        for word in words {
            let Some(term) = analyzer::first_token(word) else { continue };
            if searcher.doc_freq(&Term::from_field_text(self.fields.body, &term)).map_err(|e| self.fail(&e))? > 0 {
                continue;
            }
            let max = if term.chars().count() <= 5 { 1 } else { 2 };
            let mut found: HashMap<String, u64> = HashMap::new();
            // A Levenshtein automaton walks only the words within the distance, not the
            // whole dictionary.
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(self.fields.body, &term), max as u8, false);
            let automaton = fuzzy.automaton().map_err(|e| self.fail(&e))?;
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(self.fields.body).map_err(|e| self.fail(&e))?;
                let mut stream =
                    inverted.terms().search(&automaton).into_stream().map_err(|e| self.fail(&TantivyError::from(e)))?;
                while stream.advance() {
                    let Ok(candidate) = std::str::from_utf8(stream.key()) else { continue };
                    if candidate.len().abs_diff(term.len()) <= max
                        && crate::tagging::names::edit_distance(candidate, &term) <= max
                    {
                        *found.entry(candidate.to_string()).or_default() += u64::from(stream.value().doc_freq);
                    }
                }
            }
            let mut ranked: Vec<(usize, u64, String)> =
                found.into_iter().map(|(t, n)| (crate::tagging::names::edit_distance(&t, &term), n, t)).collect();
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(&b.2)));
            let best: Vec<String> = ranked.into_iter().take(3).map(|(_, _, t)| t).collect();
            if !best.is_empty() {
                out.push((word.to_string(), best));
            }
        }
        Ok(out)
    }

    pub fn counts(&self, request: &SearchRequest, by: CountBy) -> Result<Vec<(String, u64)>, Error> {
        let searcher = self.searcher()?;
        let field = match by {
            CountBy::Topic => "topic",
            CountBy::Speaker => "speaker",
            CountBy::Institution => "institution",
            CountBy::Source => "source_exact",
            CountBy::Year => schema::DATE_START,
        };
        let collector = CountsCollector { field: field.to_string(), year: by == CountBy::Year };
        let fail = |e: TantivyError| self.fail(&e);
        let counts: BTreeMap<String, u64> = if request.passages {
            // Tags are a passage's own; source and date are its document's.
            let on_passage = matches!(by, CountBy::Topic | CountBy::Speaker | CountBy::Institution);
            let (_, found) = self.passage_matches(&searcher, request)?;
            let mut fruits = Vec::new();
            // Matches come in segment order: one run of them a segment.
            for run in found.chunk_by(|a, b| a.segment == b.segment) {
                use tantivy::collector::{Collector, SegmentCollector};
                let ord = run[0].segment;
                let mut segment = collector.for_segment(ord, searcher.segment_reader(ord)).map_err(fail)?;
                for m in run {
                    segment.collect(if on_passage { m.doc + 1 + m.n } else { m.doc }, 0.0);
                }
                fruits.push(segment.harvest());
            }
            tantivy::collector::Collector::merge_fruits(&collector, fruits).map_err(fail)?
        } else {
            let query = self.build_query(request)?;
            searcher.search(&*query, &collector).map_err(fail)?
        };
        let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
        if by != CountBy::Year {
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(counts)
    }
}

/// What `verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Verification {
    /// Segments whose files were checked.
    pub segments: usize,
    pub documents: usize,
    pub passages: usize,
    /// Each problem found, in words; none when the index is sound.
    pub problems: Vec<String>,
}

/// What `counts` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    Topic,
    Speaker,
    Institution,
    Year,
    Source,
}

impl CountBy {
    /// The word for it in `stats --by` and its JSON.
    pub fn name(self) -> &'static str {
        match self {
            CountBy::Topic => "topic",
            CountBy::Speaker => "speaker",
            CountBy::Institution => "institution",
            CountBy::Year => "year",
            CountBy::Source => "source",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// Tag and date filters, with names already resolved to what the index holds.
/// `None` means no filter; `Some(empty)` means a filter that matched no entity.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub speakers: Option<Vec<String>>,
    pub institutions: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    /// Match speakers and institutions by the spelling seen in documents (lower-case).
    pub exact: bool,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub passages: bool,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    pub snippet_chars: usize,
    pub detail: HitDetail,
}

/// What each hit of a search carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HitDetail {
    /// The document's header, the passage, a snippet and the line to open.
    #[default]
    Full,
    /// The document's path alone, read from its column: no record is decompressed.
    Path,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub score: f32,
    pub doc: Document,
    pub passage: Option<Passage>,
    /// The line of the file where the hit is: its passage's, or the passage of its first
    /// highlighted word.
    pub line: Option<usize>,
    pub snippet: String,
    /// Character ranges into `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: usize,
    /// The page's hits in full (`HitDetail::Full`; empty for `HitDetail::Path`).
    pub hits: Vec<Hit>,
    /// The page's hits as their paths alone, in the same order (`HitDetail::Path`; empty
    /// for `HitDetail::Full`): a document's path once for each of its passages that is a hit.
    pub paths: Vec<String>,
}

/// `hits` (indices of hits in store order, each with the address `address` gives) cut into
/// at most `threads` runs of about the same length, each a slice of the order. A run ends
/// only where the address changes: the passage hits of one document stay together, so its
/// record is read and parsed once (for a document larger than a store block, two readers
/// would each hold the whole document).
fn runs_of_documents<A: PartialEq>(hits: &[usize], address: impl Fn(usize) -> A, threads: usize) -> Vec<&[usize]> {
    let length = hits.len().div_ceil(threads.max(1)).max(1);
    let mut runs = Vec::new();
    let mut rest = hits;
    while !rest.is_empty() {
        let mut end = length.min(rest.len());
        while end < rest.len() && address(rest[end]) == address(rest[end - 1]) {
            end += 1;
        }
        let (run, after) = rest.split_at(end);
        runs.push(run);
        rest = after;
    }
    runs
}

/// A segment's [`order_key`]s, for sorting: `None` where the index has no column of them.
fn order_key_column(segment: &tantivy::SegmentReader) -> impl FnMut(tantivy::DocId) -> Option<u64> {
    let column = collect::order_keys(segment);
    move |doc| column.as_ref().and_then(|column| column.first(doc))
}

/// The key that orders hits of equal score: FNV-1a of the document's path as indexed, so
/// that two indexes of the same files give equal hits the same order, wherever the files
/// are and however the segments were cut. (The id would not do: it hashes the absolute
/// path.) Written out, as hashers of the standard library and of crates may change.
fn order_key(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Records this close in a segment (entries apart) may share a block of the store: a
/// block holds some 230 entries of the benchmark's 200 MB corpus (a document's entry and
/// its passages' entries, a few KB of record a document).
const NEAR_ENTRIES: u32 = 256;

/// Whether the record at `at` of `addresses` (in store order, a record's passage hits
/// side by side) is read through a reader that keeps its block: when the record read
/// before it or after it is within [`NEAR_ENTRIES`] entries of it in the same segment.
fn keeps_block(addresses: &[DocAddress], at: usize) -> bool {
    let here = addresses[at];
    let near = |other: &DocAddress| {
        other.segment_ord == here.segment_ord && other.doc_id.abs_diff(here.doc_id) <= NEAR_ENTRIES
    };
    addresses[..at].iter().rev().find(|a| **a != here).is_some_and(near)
        || addresses[at + 1..].iter().find(|a| **a != here).is_some_and(near)
}

/// The most threads that read the records of a search's hits.
const MAX_HIT_THREADS: usize = 8;

/// The fewest hits a thread reading records is started for. A hit costs about a quarter
/// of a millisecond: a second thread made a page of ten 0.5–1.5 ms slower, and takes a
/// third off 200 hits and 44% off 17,357.
const HITS_PER_THREAD: usize = 32;

/// How many threads read the records of `hits` hits: one a run of [`HITS_PER_THREAD`] or
/// more, no more than the cores, nor [`MAX_HIT_THREADS`]. A page of ten reads on one.
fn hit_threads(hits: usize) -> usize {
    let runs = hits / HITS_PER_THREAD;
    if runs < 2 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    runs.min(cores).min(MAX_HIT_THREADS)
}

/// The most documents (records and passages) a merge makes one segment of.
const MERGED_SEGMENT_DOCS: u32 = 400_000;

/// Merges segments of about the same size, `min_segments` or more at a time, into segments
/// of at most `max_docs` documents, and never a segment over half that. Sizes are grouped
/// by level (a level per factor of four in documents; everything under 4,000 is the lowest),
/// so the small segment a cron run leaves is merged with other small ones, never into a
/// large one. A merge reads no more than `max_docs` documents of the index, so the memory
/// an `index` run needs stays flat as the index grows, where tantivy's default policy merges
/// ever larger segments and its peak grows with the index.
#[derive(Debug, Clone)]
struct BoundedMergePolicy {
    max_docs: u32,
    min_segments: usize,
    /// While set, nothing is merged: merges wait for the commit, when the indexing threads
    /// are done and their memory is free, instead of running beside them.
    held: Arc<AtomicBool>,
}

impl tantivy::merge_policy::MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::index::SegmentMeta],
    ) -> Vec<tantivy::merge_policy::MergeCandidate> {
        if self.held.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let level = |docs: u32| (docs / 1000).max(1).ilog(4);
        let mut levels: BTreeMap<u32, Vec<&tantivy::index::SegmentMeta>> = BTreeMap::new();
        for segment in segments.iter().filter(|s| s.num_docs() <= self.max_docs / 2) {
            levels.entry(level(segment.num_docs())).or_default().push(segment);
        }
        let mut candidates = Vec::new();
        for mut same in levels.into_values() {
            same.sort_by_key(|s| s.num_docs());
            let mut group = Vec::new();
            let mut docs = 0u32;
            for segment in same {
                if docs + segment.num_docs() > self.max_docs {
                    if group.len() >= self.min_segments {
                        candidates.push(tantivy::merge_policy::MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    docs = 0;
                }
                group.push(segment.id());
                docs += segment.num_docs();
            }
            if group.len() >= self.min_segments {
                candidates.push(tantivy::merge_policy::MergeCandidate(group));
            }
        }
        candidates
    }
}

/// The writer of one `index` run. Changes become visible all at once on `commit`.
pub struct StoreWriter {
    writer: IndexWriter,
    /// Holds merges back until the commit.
    merges_held: Arc<AtomicBool>,
    index: Index,
    fields: Fields,
    path: PathBuf,
}

impl StoreWriter {
    fn fail(&self, err: TantivyError) -> Error {
        classify(&self.path, &err)
    }

    /// Adds a document (its record and passages), replacing the entries it had when
    /// `replaces` (the index holds it). A new document deletes nothing: each delete is kept
    /// by the writer until the commit, so a first run of many files would hold one for
    /// every file.
    ///
    /// The document's entry indexes its text once, a value of `body` per passage; each
    /// passage entry holds the passage's tags and where its words are in that `body`. The
    /// entries go to the writer as one batch, so they stay next to each other in one segment.
    pub fn upsert(&mut self, item: &IndexedDoc, replaces: bool) -> Result<(), Error> {
        let mut ops = Vec::with_capacity(item.doc.passages.len() + 2);
        if replaces {
            ops.push(UserOperation::Delete(Term::from_field_text(self.fields.id, &item.doc.id)));
        }
        ops.extend(self.entries(item).into_iter().map(UserOperation::Add));
        self.writer.run(ops).map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// The entries of a document: its own, then one a passage.
    fn entries(&self, item: &IndexedDoc) -> Vec<TantivyDocument> {
        let f = self.fields;
        let doc = &item.doc;
        let mut entries = Vec::with_capacity(doc.passages.len() + 1);
        let mut d = TantivyDocument::default();
        d.add_text(f.kind, KIND_DOC);
        d.add_text(f.id, &doc.id);
        d.add_text(f.path, &doc.path);
        if let Some(title) = &doc.title {
            d.add_text(f.title, title);
        }
        if let Some(source) = &doc.source {
            d.add_text(f.source, source);
            d.add_text(f.source_exact, source);
        }
        if let Some(event) = &doc.event {
            d.add_text(f.event, event);
        }
        if let Some(date) = item.date {
            d.add_u64(f.date_start, date.start_key());
            d.add_u64(f.date_end, date.end_key());
        }
        d.add_text(f.root, &item.root);
        d.add_u64(f.hash, item.hash);
        d.add_u64(f.size, item.size);
        d.add_u64(f.mtime, item.mtime_ns);
        d.add_u64(f.tagged_with, item.tagged_with);
        d.add_u64(f.n, doc.passages.len() as u64);
        // Every entry has `n` and `span`, so that reading them takes no lookup of which
        // entries have one (tantivy's columns of optional values rank each read).
        d.add_u64(f.span, 0);
        // Values of a field follow one another one position apart: passage k's words take
        // the positions from `first` to `end`, the next passage's start at `end + 1`.
        let mut spans = Vec::with_capacity(doc.passages.len());
        let mut first = 0u64;
        for p in &doc.passages {
            d.add_text(f.body, &p.text);
            let end = first + u64::from(analyzer::span(&p.text));
            spans.push(first << 32 | end);
            first = end + 1;
        }
        if !item.other_text.is_empty() {
            d.add_text(f.body, &item.other_text);
        }
        // Each entity's spellings in lower case, as its passages' entries hold them too.
        let lower = |mentions: &[String], name: &String| -> Vec<String> {
            mentions.iter().chain(std::iter::once(name)).map(|m| m.to_lowercase()).collect()
        };
        let speaker_mentions: Vec<Vec<String>> = doc.speakers.iter().map(|s| lower(&s.mentions, &s.name)).collect();
        let institution_mentions: Vec<Vec<String>> =
            doc.institutions.iter().map(|i| lower(&i.mentions, &i.name)).collect();
        for (s, mentions) in doc.speakers.iter().zip(&speaker_mentions) {
            d.add_text(f.speaker, &s.name);
            for m in mentions {
                d.add_text(f.speaker_mention, m);
            }
        }
        for (i, mentions) in doc.institutions.iter().zip(&institution_mentions) {
            d.add_text(f.institution, &i.name);
            for m in mentions {
                d.add_text(f.institution_mention, m);
            }
        }
        for t in &doc.topics {
            d.add_text(f.topic, t);
        }
        if let Some(order) = f.order {
            d.add_u64(order, order_key(&doc.path));
        }
        d.add_text(f.record, record::encode(doc));
        entries.push(d);
        for (p, span) in doc.passages.iter().zip(spans) {
            let mut d = TantivyDocument::default();
            d.add_text(f.kind, KIND_PASSAGE);
            d.add_text(f.id, &doc.id);
            d.add_u64(f.n, p.n as u64);
            d.add_u64(f.span, span);
            for s in &p.speakers {
                d.add_text(f.speaker, s);
                if let Some(k) = doc.speakers.iter().position(|r| &r.name == s) {
                    for m in &speaker_mentions[k] {
                        d.add_text(f.speaker_mention, m);
                    }
                }
            }
            for i in &p.institutions {
                d.add_text(f.institution, i);
                if let Some(k) = doc.institutions.iter().position(|r| &r.name == i) {
                    for m in &institution_mentions[k] {
                        d.add_text(f.institution_mention, m);
                    }
                }
            }
            for t in &p.topics {
                d.add_text(f.topic, t);
            }
            entries.push(d);
        }
        entries
    }

    /// Removes a document and its passages.
    pub fn remove(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Removes every document added before this call (for a rebuild); the removal becomes
    /// visible with the commit, together with what is added after it.
    pub fn clear(&mut self) {
        self.writer.delete_term(Term::from_field_text(self.fields.kind, KIND_DOC));
        self.writer.delete_term(Term::from_field_text(self.fields.kind, KIND_PASSAGE));
    }

    /// Commits the documents and the state together, then lets merges finish. When the
    /// commit fails (a full disk, say), the segment files this run wrote are removed and
    /// the previous commit stays what readers see.
    pub fn commit(mut self, state: &State, registry: &Registry) -> Result<(), Error> {
        let f = self.fields;
        self.writer.delete_term(Term::from_field_text(f.kind, KIND_STATE));
        self.writer.delete_term(Term::from_field_text(f.kind, KIND_REGISTRY));
        // The state and the registry have an entry each: reading the state (every search
        // does) does not read the registry.
        let entry = |kind: &str, field: tantivy::schema::Field, json: String| {
            let mut d = TantivyDocument::default();
            d.add_text(f.kind, kind);
            d.add_u64(f.n, 0);
            d.add_u64(f.span, 0);
            d.add_text(field, json);
            d
        };
        // One entry per entity too, where a search finds a canonical name by key.
        let mut entities = Vec::new();
        if let Some(entity_key) = f.entity_key {
            self.writer.delete_term(Term::from_field_text(f.kind, KIND_ENTITY));
            for kind in [Kind::Speaker, Kind::Institution] {
                for (entity, keys) in registry.filed_keys(kind) {
                    let mut d = entry(KIND_ENTITY, f.registry, entity.name.clone());
                    for key in keys {
                        d.add_text(entity_key, schema::entity_term(kind, key));
                    }
                    entities.push(d);
                }
            }
        }
        let registry = entry(KIND_REGISTRY, f.registry, serde_json::to_string(registry).expect("registry serializes"));
        let state_json = serde_json::to_string(state).expect("state serializes");
        let state = entry(KIND_STATE, f.state, state_json.clone());
        let committed = entities
            .into_iter()
            .try_for_each(|d| self.writer.add_document(d).map(drop))
            .and_then(|_| self.writer.add_document(registry))
            .and_then(|_| self.writer.add_document(state))
            .and_then(|_| self.writer.prepare_commit())
            .and_then(|mut prepared| {
                // Merges start with the commit, once the indexing threads have written
                // their last segments and the memory they held is handed back: started
                // as those segments came in, they mapped the index's files beside it, and
                // that was the peak of a run.
                crate::memory::give_back_freed();
                self.merges_held.store(false, Ordering::Relaxed);
                // Searches read the state from here; the entry above is what nkdigi
                // read before, and still reads in an index committed without it.
                prepared.set_payload(&state_json);
                prepared.commit()
            });
        if let Err(err) = committed {
            let error = self.fail(err);
            self.abandon();
            return Err(error);
        }
        let (path, index) = (self.path.clone(), self.index.clone());
        if let Err(err) = self.writer.wait_merging_threads() {
            // The commit stands; a merge that failed leaves files no commit refers to.
            remove_orphans(&path, &index);
            return Err(classify(&path, &err));
        }
        Ok(())
    }

    /// Drops everything written since the last commit, and the files it left on disk.
    pub fn abandon(self) {
        let StoreWriter { writer, index, path, .. } = self;
        drop(writer);
        remove_orphans(&path, &index);
    }
}

/// A searcher's statistics without its entity entries (see `Store::text_statistics`).
pub(crate) struct TextStatistics<'s> {
    searcher: &'s Searcher,
    /// The entity entries in the segments (as tantivy counts entries, deleted ones too
    /// until a merge drops them), and the live ones.
    entities: (u64, u64),
}

impl TextStatistics<'_> {
    /// The live entries but for the entity entries.
    pub(crate) fn live_entries(&self) -> u64 {
        self.searcher.num_docs().saturating_sub(self.entities.1)
    }
}

impl Bm25StatisticsProvider for TextStatistics<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(Bm25StatisticsProvider::total_num_docs(self.searcher)?.saturating_sub(self.entities.0))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// A query's clauses, as tantivy's `BooleanQuery` takes them.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// A hit before it is read: its score, its document's entry and, for a passage, its number.
type Ranked = (f32, DocAddress, Option<usize>);

/// How many passage matches a search holds before it cuts those that cannot reach its page.
const PASSAGES_BEFORE_CUT: usize = 4096;

/// The passage matches of a search, ranked for a page that ends at `upto`, and how many
/// matched. Only the best `upto` can reach the page: the rest are cut as they pile up, so
/// what a search holds grows with its page, not with how many passages match; ranking is
/// a total order, so the page is the one a sort of every match gives.
struct PassagePage {
    sort: Sort,
    upto: usize,
    total: usize,
    found: Vec<passages::PassageMatch>,
}

impl PassagePage {
    fn new(sort: Sort, upto: usize) -> PassagePage {
        PassagePage { sort, upto, total: 0, found: Vec::new() }
    }

    fn push(&mut self, m: passages::PassageMatch) {
        self.total += 1;
        self.found.push(m);
        if self.found.len() >= (2 * self.upto).max(PASSAGES_BEFORE_CUT) {
            let order = passage_order(self.sort);
            self.found.select_nth_unstable_by(self.upto, order);
            self.found.truncate(self.upto);
        }
    }

    /// How many matched, and the best `upto` of them in order.
    fn finish(mut self) -> (usize, Vec<passages::PassageMatch>) {
        rank_passages(&mut self.found, self.sort, self.upto);
        (self.total, self.found)
    }
}

/// The order of passage matches under `sort`: by score, or by their document's date
/// (undated last) and then score; ties by the key of the document's path, then in index
/// order, so no two matches are equal.
fn passage_order(sort: Sort) -> impl Fn(&passages::PassageMatch, &passages::PassageMatch) -> std::cmp::Ordering + Copy {
    use std::cmp::Ordering;
    move |a: &passages::PassageMatch, b: &passages::PassageMatch| {
        // Ties by the key of the document's path where the index keeps it (the same in any
        // index of the same files), then in index order.
        let by_score = || {
            b.score.total_cmp(&a.score).then((a.order, a.segment, a.doc, a.n).cmp(&(b.order, b.segment, b.doc, b.n)))
        };
        let by_date = || -> Ordering {
            match (a.date, b.date) {
                (Some(x), Some(y)) if sort == Sort::Newest => y.cmp(&x),
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        };
        match sort {
            Sort::Relevance => by_score(),
            Sort::Newest | Sort::Oldest => by_date().then_with(by_score),
        }
    }
}

/// Orders passage matches for a page that ends at `upto`: by score, or by their document's
/// date (undated last) and then score; ties by the key of the document's path, then in
/// index order.
fn rank_passages(found: &mut Vec<passages::PassageMatch>, sort: Sort, upto: usize) {
    let order = passage_order(sort);
    // Only the page is sorted: what ranks past it is cut first.
    if upto < found.len() {
        found.select_nth_unstable_by(upto, order);
        found.truncate(upto);
    }
    found.sort_by(order);
}

/// Removes segment files that the last commit does not refer to: what an abandoned or
/// failed run wrote. Runs under the writer lock, so no other writer is adding files.
fn remove_orphans(path: &Path, index: &Index) {
    let Ok(_lock) = index.directory().acquire_lock(&INDEX_WRITER_LOCK) else { return };
    let Ok(metas) = index.load_metas() else { return };
    let live: HashSet<String> = metas.segments.iter().map(|s| s.id().uuid_string()).collect();
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((uuid, _ext)) = name.split_once('.') else { continue };
        if uuid.len() == 32 && uuid.bytes().all(|b| b.is_ascii_hexdigit()) && !live.contains(uuid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The file nkdigi writes into every index folder it makes. nkdigi never renames, replaces
/// or removes a folder without it.
pub const MARKER: &str = "nkdigi-index.json";
/// Written after each commit: what `--rebuild` needs when the index can no longer be read.
/// Indexes made before the marker existed have it, so it marks a folder as nkdigi's too.
pub const RECOVERY_FILE: &str = "nkdigi-recovery.json";

/// Whether nkdigi made this folder (and may replace it).
pub fn is_nkdigi_folder(path: &Path) -> bool {
    path.join(MARKER).is_file() || path.join(RECOVERY_FILE).is_file()
}

/// The writer lock of an index folder, held without opening the index: what a rebuild of
/// an index that cannot be read holds while it replaces the folder.
pub struct FolderLock(#[allow(dead_code)] DirectoryLock);

/// Takes the writer lock of `path` (the one tantivy's writers take), waiting up to `wait`.
pub fn lock_folder(path: &Path, wait: Option<Duration>) -> Result<FolderLock, Error> {
    let dir = IndexDir::open(path)?;
    let deadline = wait.map(|w| Instant::now() + w);
    loop {
        match dir.0.acquire_lock(&INDEX_WRITER_LOCK) {
            Ok(lock) => return Ok(FolderLock(lock)),
            Err(LockError::LockBusy) => match deadline {
                Some(deadline) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                _ => return Err(Error::Locked { path: path.to_path_buf() }),
            },
            Err(LockError::IoError(err)) => return Err(io_error(path, &err)),
        }
    }
}

fn folder_has_entries(path: &Path) -> bool {
    std::fs::read_dir(path).map(|mut entries| entries.next().is_some()).unwrap_or(false)
}

fn write_marker(path: &Path) -> Result<(), Error> {
    let text = serde_json::json!({"nkdigi": "index", "schema": schema::SCHEMA_VERSION}).to_string();
    std::fs::write(path.join(MARKER), text + "\n").map_err(|e| io_error(path, &e))
}

/// The cause of an operating-system error in words a user acts on.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "no such file or folder".into(),
        K::PermissionDenied => "permission denied".into(),
        K::ReadOnlyFilesystem => "read-only file system".into(),
        K::StorageFull => "no space left on device".into(),
        K::QuotaExceeded => "disk quota exceeded".into(),
        _ => err.to_string(),
    }
}

fn io_error(path: &Path, err: &std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), reason: io_reason(err) }
}

/// Operating-system causes that tantivy's errors carry in their text, and how to say them.
const OS_CAUSES: [(&[&str], &str); 4] = [
    (&["os error 28", "StorageFull"], "no space left on device"),
    (&["os error 122", "QuotaExceeded"], "disk quota exceeded"),
    (&["os error 30", "ReadOnlyFilesystem"], "read-only file system"),
    (&["os error 13", "os error 1)", "code: 13,", "code: 1,", "PermissionDenied"], "permission denied"),
];

/// A tantivy error as an nkdigi error: its operating-system cause when it has one, else
/// damage to the index.
fn classify(path: &Path, err: &TantivyError) -> Error {
    let text = format!("{err} {err:?}");
    for (needles, reason) in OS_CAUSES {
        if needles.iter().any(|n| text.contains(n)) {
            return Error::Io { path: path.to_path_buf(), reason: reason.to_string() };
        }
    }
    Error::Corrupt { path: path.to_path_buf(), reason: short(err) }
}

/// The index folder as tantivy sees it: memory-mapped files, except that a reader of an
/// index it cannot write (a shared or read-only folder) reads without the meta lock file
/// it could not create.
#[derive(Clone, Debug)]
struct IndexDir(MmapDirectory);

impl IndexDir {
    fn open(path: &Path) -> Result<IndexDir, Error> {
        MmapDirectory::open(path).map(IndexDir).map_err(|e| match e {
            tantivy::directory::error::OpenDirectoryError::DoesNotExist(_) => {
                Error::NoIndex { path: path.to_path_buf() }
            }
            other => Error::Io { path: path.to_path_buf(), reason: other.to_string() },
        })
    }
}

impl Directory for IndexDir {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            // The meta lock keeps a writer's clean-up from deleting files while a reader
            // opens them; a folder this process cannot write has no writer of ours to fear
            // but one run by its owner, and reading without the lock is the only way in.
            Err(LockError::IoError(err))
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        err.kind(),
                        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
}

/// One hit: its snippet from `text` (the passage's, or the document's), the passage that
/// holds the snippet and the line to open.
fn hit(
    snippets: &SnippetGenerator,
    request: &SearchRequest,
    score: f32,
    doc: Document,
    passage: Option<Passage>,
    text: &str,
) -> Hit {
    let snippet = snippets.snippet(text);
    let (snippet_text, highlights) = if snippet.fragment().is_empty() {
        let lead: String = text.chars().take(request.snippet_chars).collect();
        (lead, Vec::new())
    } else {
        let fragment = snippet.fragment();
        let ranges = snippet
            .highlighted()
            .iter()
            .map(|r| (fragment[..r.start].chars().count(), fragment[..r.end].chars().count()))
            .collect();
        (fragment.to_string(), merge_ranges(ranges))
    };
    let best_passage = match passage {
        Some(p) => Some(p),
        None if !highlights.is_empty() => doc.passages.iter().find(|p| p.text.contains(snippet_text.trim())).cloned(),
        None => None,
    };
    let (snippet_text, highlights) = on_word_boundaries(text, &snippet_text, highlights);
    // The line to open: the hit's passage, or the first passage that holds the snippet's
    // first highlighted word (a snippet may span two passages).
    let line = best_passage.as_ref().and_then(|p| p.line).or_else(|| {
        let &(a, b) = highlights.first()?;
        let word: String = snippet_text.chars().skip(a).take(b - a).collect();
        doc.passages.iter().find(|p| p.text.contains(&word)).and_then(|p| p.line)
    });
    let doc = if request.passages { doc } else { doc.header() };
    Hit { score, doc, passage: best_passage, line, snippet: snippet_text, highlights }
}

/// Highlight ranges sorted, with overlapping or touching ones merged: the bigrams of a
/// Hangul word highlight as one range.
fn merge_ranges(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The first line of a tantivy error, cut to a readable length.
fn short(err: &TantivyError) -> String {
    let text = err.to_string();
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Deeper nesting than this is refused before parsing: the parser recurses once a level.
pub const MAX_QUERY_NESTING: usize = 32;

/// A snippet that starts and ends on word boundaries: a word cut at either end is left
/// out, and `…` marks that the text goes on. Highlights (character ranges) follow.
fn on_word_boundaries(text: &str, snippet: &str, highlights: Vec<(usize, usize)>) -> (String, Vec<(usize, usize)>) {
    let Some(at) = text.find(snippet).filter(|_| !snippet.is_empty()) else {
        return (snippet.to_string(), highlights);
    };
    let end = at + snippet.len();
    let word = |c: char| c.is_alphanumeric();
    let mut body = snippet;
    let mut dropped = 0; // characters left out at the front
    if at > 0 && text[..at].ends_with(word) && body.starts_with(word) {
        let cut = body.find(|c: char| !word(c)).unwrap_or(body.len());
        dropped += body[..cut].chars().count();
        body = &body[cut..];
    }
    if end < text.len() && text[end..].starts_with(word) && body.ends_with(word) {
        let keep = body.rfind(|c: char| !word(c)).map_or(0, |i| i + body[i..].chars().next().map_or(1, char::len_utf8));
        body = &body[..keep];
    }
    let trimmed = body.trim_start();
    dropped += body[..body.len() - trimmed.len()].chars().count();
    let body = trimmed.trim_end();
    // Where the shown words sit in the text: `…` where text goes on before or after.
    let start = at + (body.as_ptr() as usize - snippet.as_ptr() as usize);
    let (lead, trail) = (!text[..start].trim().is_empty(), !text[start + body.len()..].trim().is_empty());
    let shift = usize::from(lead);
    let length = body.chars().count();
    let highlights = highlights
        .into_iter()
        .filter(|&(a, b)| a >= dropped && b - dropped <= length)
        .map(|(a, b)| (a - dropped + shift, b - dropped + shift))
        .collect();
    let out = format!("{}{body}{}", if lead { "…" } else { "" }, if trail { "…" } else { "" });
    (out, highlights)
}

/// Refuses queries whose parentheses nest deeper than [`MAX_QUERY_NESTING`].
fn check_nesting(query: &str) -> Result<(), Error> {
    let (mut depth, mut quoted) = (0usize, false);
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                if depth > MAX_QUERY_NESTING {
                    return Err(Error::BadQuery(format!("parentheses nest deeper than {MAX_QUERY_NESTING} levels")));
                }
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn query_error(err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::FieldDoesNotExist(field) => {
            format!("unknown field {field:?}; fields are speaker:, institution:, topic:, title:, source:, event:")
        }
        E::AllButQueryForbidden => "a query cannot only exclude terms; add a term or a filter".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Documents of random passages over a small vocabulary (English, Hangul, a word too
    /// long to index, title words), some said by one of two speakers.
    fn random_documents(count: usize, seed: u64) -> Vec<Document> {
        let vocabulary = [
            "mobile",
            "network",
            "networks",
            "Koryolink",
            "4G",
            "smartphone",
            "hackers",
            "crypto",
            "said",
            "the",
            "of",
            "가입자가",
            "늘었다",
            "북한의",
            "이동통신",
            "망",
            &"x".repeat(45),
            "laundering",
            "AI",
        ];
        let mut state = seed;
        let mut next = move |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) % n as u64) as usize
        };
        (0..count)
            .map(|i| {
                let passages = (0..1 + next(5))
                    .map(|n| {
                        let words: Vec<&str> = (0..next(12)).map(|_| vocabulary[next(vocabulary.len())]).collect();
                        let speakers = match next(4) {
                            0 => vec!["Kim Min-jung".to_string()],
                            1 => vec!["Martyn Williams".to_string()],
                            _ => vec![],
                        };
                        Passage { n, line: Some(n + 1), text: words.join(" "), speakers, institutions: vec![], topics: vec![] }
                    })
                    .collect::<Vec<_>>();
                let mut speakers: Vec<String> = passages.iter().flat_map(|p| p.speakers.clone()).collect();
                speakers.sort();
                speakers.dedup();
                let title = ["Phones in the north", "Network notes", "Crypto theft"][next(3)].to_string();
                serde_json::from_value(serde_json::json!({
                    "id": format!("doc{i}"), "path": format!("doc{i}.txt"), "title": title, "date": null,
                    "source": null, "url": null, "event": null,
                    "speakers": speakers.iter().map(|s| serde_json::json!({"name": s, "affiliation": null, "mentions": [s]})).collect::<Vec<_>>(),
                    "institutions": [], "topics": [], "tags": [], "extra": {},
                    "passages": passages,
                }))
                .expect("a document")
            })
            .collect()
    }

    /// A test document as `index` hands it to the store: the `i`th of a run.
    fn indexed(doc: &Document, i: usize, other_text: &str) -> IndexedDoc {
        IndexedDoc {
            doc: doc.clone(),
            root: "r".into(),
            hash: i as u64,
            size: 1,
            mtime_ns: 1,
            tagged_with: 0,
            date: doc.date.as_deref().and_then(PartialDate::parse_loose),
            other_text: other_text.into(),
        }
    }

    /// The passages a query matches when each passage is an entry of its own, with its
    /// document's title: what `--passages` answered before a document's text was indexed once.
    fn reference_matches(docs: &[Document], query: &str, speaker: Option<&str>) -> BTreeSet<(String, usize)> {
        use tantivy::schema::{Schema, TextFieldIndexing, TextOptions, STORED, STRING};
        let mut b = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let id = b.add_text_field("id", STRING | STORED);
        let n = b.add_u64_field("n", STORED);
        let title = b.add_text_field("title", text.clone());
        let body = b.add_text_field("body", text);
        let said = b.add_text_field("speaker", STRING);
        let index = Index::create_in_ram(b.build());
        index.tokenizers().register(analyzer::NAME, analyzer::analyzer());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for doc in docs {
            for p in &doc.passages {
                let mut d = TantivyDocument::default();
                d.add_text(id, &doc.id);
                d.add_u64(n, p.n as u64);
                d.add_text(title, doc.title.as_deref().unwrap_or_default());
                d.add_text(body, &p.text);
                for s in &p.speakers {
                    d.add_text(said, s);
                }
                writer.add_document(d).unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut parser = QueryParser::for_index(&index, vec![title, body]);
        parser.set_conjunction_by_default();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, parser.parse_query(query).unwrap())];
        if let Some(s) = speaker {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(said, s), IndexRecordOption::Basic)),
            ));
        }
        let found = searcher.search(&BooleanQuery::new(clauses), &tantivy::collector::DocSetCollector).unwrap();
        found
            .into_iter()
            .map(|addr| {
                let d: TantivyDocument = searcher.doc(addr).unwrap();
                let id = d.get_first(id).and_then(|v| v.as_str()).unwrap().to_string();
                (id, d.get_first(n).and_then(|v| v.as_u64()).unwrap() as usize)
            })
            .collect()
    }

    #[test]
    fn verify_reports_passage_entries_that_do_not_follow_their_document() {
        let dir = tempfile::tempdir().unwrap();
        let mut docs = random_documents(2, 3);
        // One passage: its entry then the state's both have `n` 0, and only the ids differ.
        docs[1].passages.truncate(1);
        let item = |i: usize| indexed(&docs[i], i, "");
        let store = Store::open_or_create(&dir.path().join("ix")).unwrap();
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        writer.upsert(&item(0), false).unwrap();
        // The second document's entries, its own last: the counts still agree.
        let mut entries = writer.entries(&item(1));
        entries.rotate_left(1);
        for entry in entries {
            writer.writer.add_document(entry).unwrap();
        }
        writer.commit(&State::default(), &Registry::default()).unwrap();
        let report = Store::open(&dir.path().join("ix")).unwrap().verify().unwrap();
        assert_eq!(report.passages, docs.iter().map(|d| d.passages.len()).sum::<usize>(), "the counts agree");
        assert!(report.problems.iter().any(|p| p.contains("not where they belong")), "{:?}", report.problems);
        // In order, the same documents are sound.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(&dir.path().join("ix")).unwrap();
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        writer.upsert(&item(0), false).unwrap();
        writer.upsert(&item(1), false).unwrap();
        writer.commit(&State::default(), &Registry::default()).unwrap();
        assert_eq!(Store::open(&dir.path().join("ix")).unwrap().verify().unwrap().problems, Vec::<String>::new());
    }

    /// A store at `path` holding `docs`, committed and opened again.
    /// A request for the page `limit` long of `query`: relevance order, full hits with
    /// snippets of 60 characters, no filters.
    fn request(query: &str, passages: bool, limit: usize) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            passages,
            limit,
            offset: 0,
            sort: Sort::Relevance,
            snippet_chars: 60,
            detail: HitDetail::Full,
        }
    }

    fn store_of(path: &Path, docs: &[Document]) -> Store {
        let store = Store::open_or_create(path).unwrap();
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        for (i, doc) in docs.iter().enumerate() {
            writer.upsert(&indexed(doc, i, ""), false).unwrap();
        }
        writer.commit(&State::default(), &Registry::default()).unwrap();
        Store::open(path).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

        /// Matches past several cuts, with tied scores and dates: the page is the one a
        /// sort of every match gives, under every order.
        #[test]
        fn a_page_of_passages_is_that_of_every_match_sorted(
            seed in proptest::collection::vec((0u8..8, 0u8..4, proptest::option::of(0u64..5)), 9_000..9_001),
            upto in 1usize..2_048,
        ) {
            let matches: Vec<passages::PassageMatch> = seed
                .iter()
                .enumerate()
                .map(|(i, &(score, segment, date))| passages::PassageMatch {
                    segment: u32::from(segment),
                    doc: i as u32 / 3,
                    n: i as u32 % 3,
                    score: f32::from(score),
                    date,
                    // Few ids, so that ties by id are tied again and fall to index order.
                    order: Some((i as u64 / 3 * 7_919) % 11),
                })
                .collect();
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                let mut page = PassagePage::new(sort, upto);
                matches.iter().for_each(|m| page.push(*m));
                let (total, found) = page.finish();
                let mut all = matches.clone();
                rank_passages(&mut all, sort, usize::MAX);
                all.truncate(upto);
                proptest::prop_assert_eq!(total, matches.len());
                proptest::prop_assert_eq!(found, all);
            }
        }
    }

    #[test]
    fn documents_are_handed_over_in_path_order_until_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let docs = random_documents(12, 2);
        let store = store_of(&dir.path().join("ix"), &docs);
        let mut paths: Vec<String> = docs.iter().map(|d| d.path.clone()).collect();
        paths.sort();
        let mut seen = Vec::new();
        store
            .each_document(|doc| {
                seen.push(doc.path);
                Ok::<_, Error>(())
            })
            .unwrap();
        assert_eq!(seen, paths);
        // The first error of the caller ends the run: no document after it is read.
        let mut seen = 0;
        let refused = store.each_document(|_| {
            seen += 1;
            if seen == 3 {
                Err(Error::Interrupted)
            } else {
                Ok(())
            }
        });
        assert!(matches!(refused, Err(Error::Interrupted)), "{refused:?}");
        assert_eq!(seen, 3);
    }

    /// A store of `docs` in two segments that the merge policy leaves apart: the first 40
    /// documents (a few hundred entries), then the rest (thousands: a level above).
    fn two_segment_store(path: &Path, docs: &[Document]) -> Store {
        let store = Store::open_or_create(path).unwrap();
        for part in [0..40, 40..docs.len()] {
            let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
            for i in part {
                writer.upsert(&indexed(&docs[i], i, ""), false).unwrap();
            }
            writer.commit(&State::default(), &Registry::default()).unwrap();
        }
        let store = Store::open(path).unwrap();
        assert_eq!(store.searcher().unwrap().segment_readers().len(), 2);
        store
    }

    /// The store of 1,300 random documents (`seed`) in two segments, its searcher and its
    /// documents' addresses in store order.
    fn searched_store(path: &Path, seed: u64) -> (Store, Searcher, Vec<DocAddress>) {
        let store = two_segment_store(path, &random_documents(1_300, seed));
        let searcher = store.searcher().unwrap();
        let addresses = store.document_addresses(&searcher, false).unwrap();
        assert_eq!(addresses.len(), 1_300);
        (store, searcher, addresses)
    }

    /// Checks that each hit holds the record of its rank's document, and the passage ranked.
    fn assert_hits_hold_their_records(store: &Store, searcher: &Searcher, hits: &[Hit], ranked: &[Ranked]) {
        assert_eq!(hits.len(), ranked.len());
        for (hit, (_, addr, n)) in hits.iter().zip(ranked) {
            let record = store.record(searcher, *addr).unwrap();
            assert_eq!(hit.doc.id, record.id);
            assert_eq!(hit.doc.path, record.path);
            if let Some(n) = n {
                assert_eq!(hit.passage.as_ref(), Some(&record.passages[*n]));
            }
        }
    }

    #[test]
    fn hits_keep_their_rank_whatever_order_and_threads_their_records_are_read_in() {
        let dir = tempfile::tempdir().unwrap();
        let (store, searcher, addresses) = searched_store(&dir.path().join("ix"), 11);
        // Ranks against the store's order: documents last to first, then a passage of each
        // document first to last, so one record's hits are ranked far apart.
        let mut ranked: Vec<Ranked> = addresses.iter().rev().map(|&a| (1.0, a, None)).collect();
        ranked.extend(addresses.iter().map(|&a| (0.5, a, Some(0))));
        let request = request("network", false, ranked.len());
        let query = store.build_query(&request).unwrap();
        // One thread, and three: runs of 867, 867 and 866 hits, each run's records read apart.
        let hits = store.full_hits(&searcher, &*query, &request, ranked.clone(), 1).unwrap();
        let shared = store.full_hits(&searcher, &*query, &request, ranked.clone(), 3).unwrap();
        assert_eq!(format!("{hits:?}"), format!("{shared:?}"));
        assert_hits_hold_their_records(&store, &searcher, &hits, &ranked);
        let paths = collect::paths_of(&searcher, &ranked.iter().map(|r| r.1).collect::<Vec<_>>()).unwrap();
        for (hit, path) in hits.iter().zip(&paths) {
            assert_eq!(Some(&hit.doc.path), path.as_ref());
        }
        let distinct: HashSet<&String> = paths.iter().flatten().collect();
        assert_eq!(distinct.len(), 1_300, "every document has its own path");
    }

    #[test]
    fn a_record_keeps_its_block_only_beside_a_near_neighbour_of_its_segment() {
        let at = |segment, doc| DocAddress::new(segment, doc);
        let addresses = [at(0, 10), at(0, 100), at(0, 1_000), at(0, 1_000), at(0, 5_000), at(1, 5_100)];
        let keeps: Vec<bool> = (0..addresses.len()).map(|i| keeps_block(&addresses, i)).collect();
        // 10 and 100 are near each other; 1,000 (two passage hits) is far from both sides,
        // and so is 5,000; 5,100 is near 5,000 in number but in another segment.
        assert_eq!(keeps, [true, true, false, false, false, false]);
        let edge = [at(0, 0), at(0, NEAR_ENTRIES), at(0, 2 * NEAR_ENTRIES + 1)];
        let keeps: Vec<bool> = (0..edge.len()).map(|i| keeps_block(&edge, i)).collect();
        assert_eq!(keeps, [true, true, false]);
        assert!(!keeps_block(&[at(0, 7)], 0), "a lone record keeps nothing");
    }

    #[test]
    fn hits_far_apart_and_side_by_side_read_their_own_records() {
        let dir = tempfile::tempdir().unwrap();
        let (store, searcher, addresses) = searched_store(&dir.path().join("ix"), 5);
        // In turn, a pair of documents side by side (with a passage hit of the second) and
        // a document alone, each more than twice the distance of neighbours from the last.
        let mut ranked: Vec<Ranked> = Vec::new();
        let mut last: Option<DocAddress> = None;
        for pair in addresses.windows(2) {
            let far = last
                .is_none_or(|l| l.segment_ord != pair[0].segment_ord || pair[0].doc_id > l.doc_id + 2 * NEAR_ENTRIES);
            if far {
                ranked.push((1.0, pair[0], None));
                if ranked.len() % 3 == 1 {
                    ranked.push((0.9, pair[1], Some(0)));
                }
                last = Some(*ranked.last().map(|r| &r.1).expect("pushed above"));
            }
        }
        let mut order: Vec<DocAddress> = ranked.iter().map(|r| r.1).collect();
        order.sort();
        let keeps: Vec<bool> = (0..order.len()).map(|i| keeps_block(&order, i)).collect();
        assert!(keeps.contains(&true) && keeps.contains(&false), "both readers are used: {keeps:?}");
        let request = request("network", false, ranked.len());
        let query = store.build_query(&request).unwrap();
        let hits = store.full_hits(&searcher, &*query, &request, ranked.clone(), 1).unwrap();
        assert_hits_hold_their_records(&store, &searcher, &hits, &ranked);
    }

    #[test]
    fn runs_of_hits_cut_only_between_documents() {
        // Hits 0..10 in store order; the address of each is its document.
        let hits: Vec<usize> = (0..10).collect();
        let documents = [1, 1, 1, 2, 2, 2, 2, 3, 4, 4];
        let runs = runs_of_documents(&hits, |i| documents[i], 3);
        assert_eq!(runs.concat(), hits, "every hit once, in order");
        assert!(runs.len() <= 3);
        for pair in runs.windows(2) {
            let (last, next) = (pair[0][pair[0].len() - 1], pair[1][0]);
            assert_ne!(documents[last], documents[next], "a document split between runs: {runs:?}");
        }
        // One document's hits are one run, however many threads.
        assert_eq!(runs_of_documents(&hits, |_| 7, 4), vec![&hits[..]]);
        // Different documents share out evenly.
        assert_eq!(runs_of_documents(&hits, |i| i, 2), vec![&hits[..5], &hits[5..]]);
        assert!(runs_of_documents(&[], |i: usize| i, 2).is_empty());
    }

    #[test]
    fn long_lists_of_hits_read_on_the_cores_short_ones_on_one_thread() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(hit_threads(0), 1);
        assert_eq!(hit_threads(10), 1);
        assert_eq!(hit_threads(2 * HITS_PER_THREAD - 1), 1);
        assert_eq!(hit_threads(2 * HITS_PER_THREAD), cores.min(2));
        assert_eq!(hit_threads(1_000_000), cores.min(MAX_HIT_THREADS));
    }

    #[test]
    fn a_query_that_needs_a_word_of_the_text_is_not_intersected_with_the_documents_again() {
        let dir = tempfile::tempdir().unwrap();
        let docs = random_documents(400, 6);
        let store = store_of(&dir.path().join("ix"), &docs);
        let searcher = store.searcher().unwrap();
        let kind_clauses = |query: &dyn Query| {
            let mut n = 0;
            query.query_terms(&mut |term, _| n += usize::from(term.field() == store.fields.kind));
            n
        };
        for (query, only_documents) in [
            ("network", true),
            ("\"mobile network\"", true),
            ("title:notes", true),
            ("network -said", true),
            ("network OR said", true),
            ("network AND speaker:\"Martyn Williams\"", true),
            ("network OR speaker:\"Martyn Williams\"", false),
            ("speaker:\"Martyn Williams\"", false),
            ("speaker:\"Martyn Williams\" OR title:notes", false),
            ("(network OR *)^2", false),
            ("(network -said)^2", true),
            ("(* -said)^2 network", true),
            ("(network OR n:[0 TO 5])^2", false),
            ("\"!!!\" speaker:\"Martyn Williams\"", false),
            ("network~1", false),
            ("speaker:\"Martyn Williams\" -network", false),
            ("", false),
        ] {
            let mut request = request(query, false, 10);
            if query.is_empty() {
                request.filters.speakers = Some(vec!["Martyn Williams".into()]);
            }
            let built = store.build_query(&request).unwrap();
            assert_eq!(kind_clauses(built.as_ref()), usize::from(!only_documents), "{query:?}");
            // Whatever was left out, the same entries match, with the same scores.
            let mut with_kind = vec![store.kind_clause(KIND_DOC)];
            with_kind.extend(store.clauses(&request).unwrap());
            let with_kind = BooleanQuery::new(with_kind);
            let statistics = store.text_statistics(&searcher).unwrap();
            let top = |q: &dyn Query| {
                let collector = (TopDocs::with_limit(100_000).order_by_score(), Count);
                searcher.search_with_statistics_provider(q, &collector, &statistics).unwrap()
            };
            let (ours, theirs) = (top(built.as_ref()), top(&with_kind));
            assert_eq!(ours.1, theirs.1, "{query:?}");
            assert!(ours.1 > 0, "{query:?} matches nothing here");
            let bits = |hits: &[(f32, DocAddress)]| hits.iter().map(|(s, a)| (s.to_bits(), *a)).collect::<Vec<_>>();
            assert_eq!(bits(&ours.0), bits(&theirs.0), "{query:?}");
        }
    }

    /// A request of every hit gathers them and sorts them once (`collect::AllHits`); a page
    /// that could hold fewer takes tantivy's top-n. Both give the same hits in the same
    /// order, by score, by date, and among ties (a filter alone makes every score equal):
    /// by order key, or, in an index written before order keys, by address.
    #[test]
    fn every_hit_comes_in_the_order_of_a_top_n_that_holds_them_all() {
        let mut docs = random_documents(1_300, 13);
        for (i, doc) in docs.iter_mut().enumerate() {
            // A date on two documents in three, few enough distinct ones to tie.
            doc.date = (i % 3 != 0).then(|| format!("20{}-0{}-01", 10 + i % 5, 1 + i % 4));
        }
        let speaker = Filters { speakers: Some(vec!["Martyn Williams".to_string()]), ..Filters::default() };
        for keys in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("ix");
            if !keys {
                drop(Store::create_before_order_keys(&path).unwrap());
            }
            let store = two_segment_store(&path, &docs);
            assert_eq!(store.has_order_keys(), keys);
            let entries = store.searcher().unwrap().num_docs() as usize;
            let mut compared = 0;
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                for (query, filters) in
                    [("network", Filters::default()), ("said OR 4G", Filters::default()), ("", speaker.clone())]
                {
                    for offset in [0, 57] {
                        let request = |limit, detail| SearchRequest {
                            sort,
                            offset,
                            detail,
                            filters: filters.clone(),
                            ..request(query, false, limit)
                        };
                        let every = store.search(&request(usize::MAX, HitDetail::Full)).unwrap();
                        let page = store.search(&request(entries - offset - 1, HitDetail::Full)).unwrap();
                        assert_eq!(every.total, page.total, "{query} {sort:?}");
                        assert!(every.hits.len() > 100, "{query}: {} hits", every.hits.len());
                        let of = |hits: &[Hit]| {
                            hits.iter().map(|h| (h.doc.path.clone(), h.score.to_bits())).collect::<Vec<_>>()
                        };
                        assert_eq!(of(&every.hits), of(&page.hits), "{query} {sort:?} {offset} keys: {keys}");
                        let paths = store.search(&request(usize::MAX, HitDetail::Path)).unwrap();
                        let full: Vec<String> = page.hits.iter().map(|h| h.doc.path.clone()).collect();
                        assert_eq!(paths.paths, full, "{query} {sort:?} {offset} keys: {keys}");
                        compared += every.hits.len();
                    }
                }
            }
            assert!(compared > 3_000, "{compared}");
        }
    }

    #[test]
    fn paths_alone_are_the_paths_of_full_hits_in_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        let docs = random_documents(1_300, 12);
        let store = two_segment_store(&dir.path().join("ix"), &docs);
        for (query, passages, offset) in
            [("network", false, 0), ("network", false, 37), ("said OR 4G", true, 0), ("said OR 4G", true, 91)]
        {
            let request = |detail| SearchRequest { offset, detail, ..request(query, passages, 400) };
            let full = store.search(&request(HitDetail::Full)).unwrap();
            let paths = store.search(&request(HitDetail::Path)).unwrap();
            assert_eq!(full.total, paths.total);
            assert!(full.hits.len() >= 2 * HITS_PER_THREAD, "{query}: {} hits", full.hits.len());
            assert!(full.paths.is_empty() && paths.hits.is_empty());
            let of = |hits: &[Hit]| hits.iter().map(|h| h.doc.path.clone()).collect::<Vec<_>>();
            assert_eq!(of(&full.hits), paths.paths, "{query} {passages} {offset}");
        }
    }

    #[test]
    fn snippets_are_those_of_tantivys_own_generator() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let docs = random_documents(60, 5);
        let store = store_of(&path, &docs);
        let searcher = store.searcher().unwrap();
        let mut highlighted = 0;
        for query in
            ["networks", "mobile network", "\"mobile network\"", "crypto OR hackers", "Koryolink -said", "이동통신"]
        {
            let request = request(query, false, 10);
            let query = store.build_query(&request).unwrap();
            let ours = store.snippet_generator(&searcher, &*query, 60).unwrap();
            let mut theirs = SnippetGenerator::create(&searcher, &*query, store.fields.body).unwrap();
            theirs.set_max_num_chars(60);
            for doc in &docs {
                let text = doc.passages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n\n");
                let (a, b) = (ours.snippet(&text), theirs.snippet(&text));
                assert_eq!((a.fragment(), a.highlighted()), (b.fragment(), b.highlighted()), "{text}");
                highlighted += usize::from(!a.highlighted().is_empty());
            }
        }
        assert!(highlighted > 60, "the snippets found the query's words: {highlighted}");
    }

    #[test]
    fn scores_do_not_depend_on_how_many_entities_the_index_has() {
        let docs = random_documents(30, 3);
        let scores = |store: &Store| -> Vec<Vec<(String, u32)>> {
            let mut all = Vec::new();
            for (query, passages) in [("networks", false), ("mobile network", false), ("crypto OR hackers", true)] {
                let request = request(query, passages, 20);
                let hits = store.search(&request).unwrap().hits;
                all.push(hits.iter().map(|h| (h.doc.path.clone(), h.score.to_bits())).collect());
            }
            all
        };
        // The same documents and the same commits, with no entity and with hundreds (the
        // first commit's entity entries are then deleted but not yet merged away).
        let seeded = Registry::seeded(&crate::tagging::taxonomy::Taxonomy::builtin());
        assert!(seeded.speakers.len() + seeded.institutions.len() > 100);
        let mut results = Vec::new();
        for registry in [Registry::default(), seeded] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("ix");
            let store = store_of(&path, &docs);
            for _ in 0..2 {
                let writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
                writer.commit(&State::default(), &registry).unwrap();
            }
            let store = Store::open(&path).unwrap();
            let kind = Term::from_field_text(store.fields.kind, KIND_ENTITY);
            let entries = store.searcher().unwrap().search(&TermQuery::new(kind, IndexRecordOption::Basic), &Count);
            results.push((entries.unwrap(), scores(&store)));
        }
        let [(none, without), (some, with)] = <[_; 2]>::try_from(results).unwrap();
        assert_eq!(none, 0);
        assert!(some > 100, "{some}");
        assert!(without.iter().all(|hits| !hits.is_empty()), "{without:?}");
        assert_eq!(with, without);
    }

    #[test]
    fn suggestions_are_the_nearest_words_of_the_whole_dictionary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let mut docs = random_documents(40, 11);
        let extra =
            ["network", "netwerk", "networked", "launder", "laundry", "land", "hundred", "koryolink", "이동통신"];
        for (doc, word) in docs.iter_mut().zip(extra.iter().cycle()) {
            doc.passages[0].text.push_str(&format!(" {word}"));
        }
        let store = store_of(&path, &docs);
        let searcher = store.searcher().unwrap();
        // Every word of the dictionary, with its document count.
        let mut dictionary: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(store.fields.body).unwrap();
            let mut stream = inverted.terms().stream().unwrap();
            while stream.advance() {
                let word = std::str::from_utf8(stream.key()).unwrap().to_string();
                *dictionary.entry(word).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        for typo in ["netwrk", "laundring", "koryolnk", "smartphon", "zzzzqqq", "이동통실", "mobille", "netwo", "lend"]
        {
            let term = analyzer::first_token(typo).unwrap();
            let max = if term.chars().count() <= 5 { 1 } else { 2 };
            let mut near: Vec<(usize, u64, &String)> = dictionary
                .iter()
                .filter(|(w, _)| w.len().abs_diff(term.len()) <= max)
                .map(|(w, &n)| (crate::tagging::names::edit_distance(w, &term), n, w))
                .filter(|&(d, ..)| d <= max)
                .collect();
            near.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(b.2)));
            // A word the index holds needs no suggestion.
            let expected: Vec<String> = if dictionary.contains_key(&term) {
                Vec::new()
            } else {
                near.into_iter().take(3).map(|(.., w)| w.clone()).collect()
            };
            let found = store.closest_terms(typo).unwrap();
            let got = found.iter().find(|(w, _)| w == typo).map(|(_, s)| s.clone()).unwrap_or_default();
            assert_eq!(got, expected, "{typo}");
        }
        // The dictionary holds words near the typos: the comparison is not of empty lists.
        assert_eq!(store.closest_terms("netwrk").unwrap()[0].1[0], "network");
    }

    #[test]
    fn the_state_read_is_the_searchers_commit_when_another_commit_comes_between() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let registry = Registry::default();
        let options = WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 };
        let first = State { version: STATE_VERSION, topics: vec!["ai".into()], ..State::default() };
        Store::open_or_create(&path).unwrap().writer(options).unwrap().commit(&first, &registry).unwrap();
        let reading = Store::open(&path).unwrap();
        reading.searcher().unwrap();
        let second = State { topics: vec!["cyber".into()], ..first.clone() };
        Store::open(&path).unwrap().writer(options).unwrap().commit(&second, &registry).unwrap();
        // `meta.json` now holds the second state; the searcher still reads the first commit.
        assert_eq!(reading.state().unwrap().topics, vec!["ai".to_string()]);
        assert_eq!(Store::open(&path).unwrap().state().unwrap().topics, vec!["cyber".to_string()]);
    }

    #[test]
    fn the_state_is_read_without_the_registry_and_older_indexes_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let registry = Registry::seeded(&crate::tagging::taxonomy::Taxonomy::builtin());
        assert!(!registry.speakers.is_empty() && !registry.institutions.is_empty());
        let state = State { version: STATE_VERSION, topics: vec!["ai".into()], ..State::default() };
        let store = Store::open_or_create(&path).unwrap();
        let writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        writer.commit(&state, &registry).unwrap();
        let store = Store::open(&path).unwrap();
        // The state's entry holds the state alone.
        let searcher = store.searcher().unwrap();
        let query = TermQuery::new(Term::from_field_text(store.fields.kind, KIND_STATE), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(2).order_by_score()).unwrap();
        assert_eq!(top.len(), 1);
        let entry: TantivyDocument = searcher.doc(top[0].1).unwrap();
        assert!(entry.get_first(store.fields.registry).is_none());
        assert_eq!(serde_json::to_string(&store.state().unwrap()).unwrap(), serde_json::to_string(&state).unwrap());
        // The commit's payload holds the same state, and is what is read.
        let payload = store.index.load_metas().unwrap().payload.unwrap();
        assert_eq!(payload, serde_json::to_string(&state).unwrap());
        let mut without_entry =
            store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        without_entry.writer.delete_term(Term::from_field_text(without_entry.fields.kind, KIND_STATE));
        let mut prepared = without_entry.writer.prepare_commit().unwrap();
        prepared.set_payload(&payload);
        prepared.commit().unwrap();
        drop(without_entry);
        let store = Store::open(&path).unwrap();
        assert!(store.state_field(KIND_STATE, store.fields.state).unwrap().is_none());
        assert_eq!(serde_json::to_string(&store.state().unwrap()).unwrap(), serde_json::to_string(&state).unwrap());
        let read = store.registry().unwrap();
        assert_eq!(read.speakers.len(), registry.speakers.len());
        assert_eq!(read.institutions.len(), registry.institutions.len());

        // An index written with the registry inside the state's entry still has it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let store = Store::open_or_create(&path).unwrap();
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        let f = writer.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.kind, KIND_STATE);
        d.add_u64(f.n, 0);
        d.add_u64(f.span, 0);
        d.add_text(f.state, serde_json::to_string(&state).unwrap());
        d.add_text(f.registry, serde_json::to_string(&registry).unwrap());
        writer.writer.add_document(d).unwrap();
        writer.writer.commit().unwrap();
        drop(writer);
        let mut store = Store::open(&path).unwrap();
        // Such an index has no field for entity entries either.
        store.fields.entity_key = None;
        assert_eq!(serde_json::to_string(&store.state().unwrap()).unwrap(), serde_json::to_string(&state).unwrap());
        assert_eq!(store.registry().unwrap().speakers.len(), registry.speakers.len());
        assert_eq!(store.verify().unwrap().problems, Vec::<String>::new());
    }

    #[test]
    fn passages_found_inside_documents_are_those_of_one_entry_per_passage() {
        let dir = tempfile::tempdir().unwrap();
        let docs = random_documents(60, 7);
        let store = Store::open_or_create(&dir.path().join("ix")).unwrap();
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        let item = |i: usize, other_text: &str| indexed(&docs[i], i, other_text);
        for i in 0..docs.len() {
            writer.upsert(&item(i, ""), false).unwrap();
        }
        writer.commit(&State::default(), &Registry::default()).unwrap();
        // A second run replaces a third of the documents: their old entries are deleted, and
        // the two segments merged, which must keep each document's entries together.
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        for i in (0..docs.len()).step_by(3) {
            writer.upsert(&item(i, "Phones in the north"), true).unwrap();
        }
        writer.commit(&State::default(), &Registry::default()).unwrap();
        let store = Store::open(&dir.path().join("ix")).unwrap();
        assert_eq!(store.searcher().unwrap().segment_readers().len(), 1, "the two runs' segments merged");
        let queries = [
            "4G",
            "mobile network",
            "\"mobile network\"",
            "network OR crypto",
            "crypto -said",
            "Koryolink AND NOT 4G",
            "가입자",
            "\"가입자가 늘었다\"",
            "북한",
            "title:crypto",
            "crypto theft",
            "notes hackers",
            "\"of the\"",
            "(mobile OR smartphone) AND laundering",
            "x",
            "AI 망",
            "4G^2",
            "(mobile OR crypto)^3 network",
        ];
        let mut compared = 0;
        for query in queries {
            for speaker in [None, Some("Kim Min-jung")] {
                let request = SearchRequest {
                    filters: Filters { speakers: speaker.map(|s| vec![s.to_string()]), ..Filters::default() },
                    snippet_chars: 100,
                    ..request(query, true, 10_000)
                };
                let results = store.search(&request).unwrap();
                let ours: BTreeSet<(String, usize)> =
                    results.hits.iter().map(|h| (h.doc.id.clone(), h.passage.as_ref().unwrap().n)).collect();
                let expected = reference_matches(&docs, query, speaker);
                assert_eq!(ours, expected, "query {query:?}, speaker {speaker:?}");
                assert_eq!(results.total, expected.len());
                compared += expected.len();
            }
        }
        assert!(compared > 100, "the queries match passages ({compared})");
    }

    #[test]
    fn merges_take_segments_of_one_size_up_to_the_cap() {
        use tantivy::index::SegmentId;
        use tantivy::merge_policy::MergePolicy;
        let index = Index::create_in_ram(schema::build().0);
        let metas = |sizes: &[u32]| -> Vec<tantivy::index::SegmentMeta> {
            sizes.iter().map(|&n| index.new_segment_meta(SegmentId::generate_random(), n)).collect()
        };
        let merged = |policy: &BoundedMergePolicy, segments: &[tantivy::index::SegmentMeta]| -> Vec<Vec<u32>> {
            let docs = |id: &SegmentId| segments.iter().find(|s| s.id() == *id).unwrap().num_docs();
            policy.compute_merge_candidates(segments).iter().map(|c| c.0.iter().map(docs).collect()).collect()
        };
        let held = Arc::new(AtomicBool::new(false));
        let policy = BoundedMergePolicy { max_docs: 250_000, min_segments: 3, held: held.clone() };
        // Six segments of one run: two merges of three, each under the cap.
        let run = metas(&[70_000, 72_000, 71_000, 69_000, 70_500, 70_200]);
        let merges = merged(&policy, &run);
        assert_eq!(merges.len(), 2, "{merges:?}");
        assert!(merges.iter().all(|m| m.len() == 3 && m.iter().sum::<u32>() <= 250_000), "{merges:?}");
        // Small segments of cron runs merge together, not into a large segment, and a
        // segment over half the cap is never merged again.
        let cron = metas(&[3, 1, 120_000, 2, 130_000]);
        assert_eq!(merged(&policy, &cron), vec![vec![1, 2, 3]]);
        assert!(merged(&policy, &metas(&[2, 120_000])).is_empty());
        // Held, the same segments wait; released, they merge as before.
        held.store(true, Ordering::Relaxed);
        assert!(merged(&policy, &run).is_empty());
        held.store(false, Ordering::Relaxed);
        assert_eq!(merged(&policy, &run).len(), 2);
    }

    #[test]
    fn snippets_start_and_end_on_word_boundaries() {
        let text = "The Koryolink network grew fast in the provinces";
        let (snippet, highlights) = on_word_boundaries(text, "oryolink network gre", vec![(9, 16)]);
        assert_eq!(snippet, "…network…");
        assert_eq!(highlights, vec![(1, 8)]);
        let whole = "Koryolink grew.";
        assert_eq!(on_word_boundaries(whole, whole, vec![(0, 9)]), (whole.to_string(), vec![(0, 9)]));
        let (lead, _) = on_word_boundaries(text, "The Koryolink netw", Vec::new());
        assert_eq!(lead, "The Koryolink…");
    }
}
