//! The only module that knows tantivy: opening and creating the index, the writer lock,
//! atomic updates with the index's state, queries, snippets and counts.

mod collect;
pub mod schema;

use crate::corpus::walk::Root;
use crate::date::PartialDate;
use crate::error::Error;
use crate::model::{Document, Passage};
use crate::tagging::registry::Registry;
use collect::{CountsCollector, ManifestCollector};
use schema::{Fields, KIND_DOC, KIND_PASSAGE, KIND_STATE};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

pub use collect::ManifestEntry;

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
    pub date: Option<PartialDate>,
    pub body: String,
}

/// An opened index.
pub struct Store {
    index: Index,
    fields: Fields,
    path: PathBuf,
    searcher: OnceLock<Searcher>,
}

/// How long to wait for another writer, and how hard to work.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    pub wait: Option<Duration>,
    pub threads: usize,
    pub memory_budget: usize,
}

impl Store {
    /// Opens an existing index.
    pub fn open(path: &Path) -> Result<Store, Error> {
        if !path.join("meta.json").exists() {
            return Err(Error::NoIndex { path: path.to_path_buf() });
        }
        let corrupt = |reason: String| Error::Corrupt { path: path.to_path_buf(), reason };
        let dir = MmapDirectory::open(path).map_err(|e| corrupt(e.to_string()))?;
        let index = Index::open(dir).map_err(|e| corrupt(short(&e)))?;
        let fields = schema::fields_of(&index.schema()).ok_or_else(|| corrupt("the schema is not nkdigi's".into()))?;
        Ok(Store { index, fields, path: path.to_path_buf(), searcher: OnceLock::new() })
    }

    /// Opens the index, creating an empty one when there is none yet.
    pub fn open_or_create(path: &Path) -> Result<Store, Error> {
        if path.join("meta.json").exists() {
            return Store::open(path);
        }
        std::fs::create_dir_all(path)
            .map_err(|e| Error::Usage(format!("{}: cannot create the index folder: {e}", path.display())))?;
        let (schema, fields) = schema::build();
        let dir = MmapDirectory::open(path).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        let settings = IndexSettings {
            // zstd over 64 KiB blocks stores text at about half of what lz4 over 16 KiB does.
            docstore_compression: Compressor::Zstd(ZstdCompressor { compression_level: Some(3) }),
            docstore_blocksize: 64 * 1024,
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .open_or_create(dir)
            .map_err(|e| Error::Corrupt { path: path.to_path_buf(), reason: short(&e) })?;
        Ok(Store { index, fields, path: path.to_path_buf(), searcher: OnceLock::new() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn corrupt(&self, err: impl std::fmt::Display) -> Error {
        Error::Corrupt { path: self.path.clone(), reason: err.to_string() }
    }

    /// Takes the writer lock, waiting up to `options.wait` for another writer to finish.
    pub fn writer(&self, options: WriterOptions) -> Result<StoreWriter, Error> {
        let deadline = options.wait.map(|w| Instant::now() + w);
        loop {
            match self.index.writer_with_num_threads::<TantivyDocument>(options.threads.max(1), options.memory_budget) {
                Ok(writer) => return Ok(StoreWriter { writer, fields: self.fields, path: self.path.clone() }),
                Err(TantivyError::LockFailure(..)) => match deadline {
                    Some(deadline) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                    _ => return Err(Error::Locked { path: self.path.clone() }),
                },
                Err(err) => return Err(self.corrupt(short(&err))),
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
            .map_err(|e: TantivyError| self.corrupt(short(&e)))?;
        Ok(self.searcher.get_or_init(|| reader.searcher()).clone())
    }

    /// A stored field of the state document (`None` for a new index).
    fn state_field(&self, field: tantivy::schema::Field) -> Result<Option<String>, Error> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_STATE), IndexRecordOption::Basic);
        let top =
            searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).map_err(|e| self.corrupt(short(&e)))?;
        let Some((_, addr)) = top.first() else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(*addr).map_err(|e| self.corrupt(short(&e)))?;
        Ok(doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string))
    }

    /// The state committed with the index (empty for a new index).
    pub fn state(&self) -> Result<State, Error> {
        match self.state_field(self.fields.state)? {
            Some(json) => serde_json::from_str(&json).map_err(|e| self.corrupt(format!("state: {e}"))),
            None => Ok(State::default()),
        }
    }

    /// The entity registry committed with the index. Kept apart from the state: only name
    /// resolution needs it, and it grows with the corpus.
    pub fn registry(&self) -> Result<Registry, Error> {
        let mut registry: Registry = match self.state_field(self.fields.registry)? {
            Some(json) => serde_json::from_str(&json).map_err(|e| self.corrupt(format!("registry: {e}")))?,
            None => Registry::default(),
        };
        registry.rebuild_maps();
        Ok(registry)
    }

    /// Every indexed file: document id → what is known of it.
    pub fn manifest(&self) -> Result<HashMap<String, ManifestEntry>, Error> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_DOC), IndexRecordOption::Basic);
        let entries = searcher.search(&query, &ManifestCollector).map_err(|e| self.corrupt(short(&e)))?;
        Ok(entries.into_iter().map(|e| (e.id.clone(), e)).collect())
    }

    /// Number of documents in the index.
    pub fn document_count(&self) -> Result<usize, Error> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_DOC), IndexRecordOption::Basic);
        searcher.search(&query, &Count).map_err(|e| self.corrupt(short(&e)))
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
            let top = searcher
                .search(&query, &TopDocs::with_limit(1).order_by_score())
                .map_err(|e| self.corrupt(short(&e)))?;
            if let Some((_, addr)) = top.first() {
                return self.record(&searcher, *addr).map(Some);
            }
        }
        Ok(None)
    }

    fn record(&self, searcher: &Searcher, addr: DocAddress) -> Result<Document, Error> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.corrupt(short(&e)))?;
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| self.corrupt("a document has no record"))?;
        serde_json::from_str(json).map_err(|e| self.corrupt(format!("record: {e}")))
    }

    /// Every document, ordered by path.
    pub fn export(&self) -> Result<Vec<Document>, Error> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_DOC), IndexRecordOption::Basic);
        let mut addrs: Vec<(String, DocAddress)> =
            searcher.search(&query, &collect::PathCollector).map_err(|e| self.corrupt(short(&e)))?;
        addrs.sort();
        addrs.into_iter().map(|(_, addr)| self.record(&searcher, addr)).collect()
    }

    fn build_query(&self, request: &SearchRequest) -> Result<Box<dyn Query>, Error> {
        let f = &self.fields;
        let kind = if request.passages { KIND_PASSAGE } else { KIND_DOC };
        // Filters are constant-score: they select, only the query ranks.
        let filter =
            |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) { (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))) };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![filter(Box::new(TermQuery::new(Term::from_field_text(f.kind, kind), IndexRecordOption::Basic)))];
        if !request.query.trim().is_empty() {
            let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
            parser.set_conjunction_by_default();
            parser.set_field_boost(f.title, 2.0);
            let parsed = parser.parse_query(&request.query).map_err(|e| Error::BadQuery(query_error(&e)))?;
            clauses.push((Occur::Must, parsed));
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
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Runs a search: the total and one page of hits with snippets.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, Error> {
        let searcher = self.searcher()?;
        let query = self.build_query(request)?;
        let fail = |e: TantivyError| self.corrupt(short(&e));
        let limit = request.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(request.offset);
        let (total, ranked): (usize, Vec<(f32, DocAddress)>) = match request.sort {
            Sort::Relevance => {
                let (hits, total) = searcher.search(&query, &(top.order_by_score(), Count)).map_err(fail)?;
                (total, hits)
            }
            Sort::Newest | Sort::Oldest => {
                let order = if request.sort == Sort::Newest { Order::Desc } else { Order::Asc };
                let by_date = (SortByStaticFastValue::<u64>::for_field("date_start"), order);
                let (hits, total) = searcher
                    .search(&query, &(top.order_by((by_date, (SortBySimilarityScore, Order::Desc))), Count))
                    .map_err(fail)?;
                (total, hits.into_iter().map(|((_, score), addr)| (score, addr)).collect())
            }
        };
        let ranked = if request.limit == 0 { Vec::new() } else { ranked };
        let mut snippets = SnippetGenerator::create(&searcher, &*query, self.fields.body).map_err(fail)?;
        snippets.set_max_num_chars(request.snippet_chars);
        let mut hits = Vec::with_capacity(ranked.len());
        let mut parents: HashMap<String, Document> = HashMap::new();
        for (score, addr) in ranked {
            let stored: TantivyDocument = searcher.doc(addr).map_err(fail)?;
            let id = stored.get_first(self.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let (doc, passage) = if request.passages {
                let n = stored.get_first(self.fields.n).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
                if !parents.contains_key(&id) {
                    let doc =
                        self.get(&id)?.ok_or_else(|| self.corrupt(format!("passage of a missing document {id}")))?;
                    parents.insert(id.clone(), doc);
                }
                let doc = parents[&id].clone();
                let passage = doc.passages.get(n).cloned();
                (doc, passage)
            } else {
                (self.record(&searcher, addr)?, None)
            };
            let text = match &passage {
                Some(p) => p.text.clone(),
                None => doc.passages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n\n"),
            };
            let snippet = snippets.snippet(&text);
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
                (fragment.to_string(), ranges)
            };
            let best_passage = match passage {
                Some(p) => Some(p),
                None if !highlights.is_empty() => {
                    doc.passages.iter().find(|p| p.text.contains(snippet_text.trim())).cloned()
                }
                None => None,
            };
            hits.push(Hit { score, doc, passage: best_passage, snippet: snippet_text, highlights });
        }
        Ok(SearchResults { total, hits })
    }

    /// Document counts by a tag, over the documents a request matches.
    pub fn counts(&self, request: &SearchRequest, by: CountBy) -> Result<Vec<(String, u64)>, Error> {
        let searcher = self.searcher()?;
        let query = self.build_query(request)?;
        let field = match by {
            CountBy::Topic => "topic",
            CountBy::Speaker => "speaker",
            CountBy::Institution => "institution",
            CountBy::Source => "source_exact",
            CountBy::Year => "date_start",
        };
        let collector = CountsCollector { field: field.to_string(), year: by == CountBy::Year };
        let counts: BTreeMap<String, u64> =
            searcher.search(&*query, &collector).map_err(|e| self.corrupt(short(&e)))?;
        let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
        if by != CountBy::Year {
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(counts)
    }
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
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub score: f32,
    pub doc: Document,
    pub passage: Option<Passage>,
    pub snippet: String,
    /// Character ranges into `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// The writer of one `index` run. Changes become visible all at once on `commit`.
pub struct StoreWriter {
    writer: IndexWriter,
    fields: Fields,
    path: PathBuf,
}

impl StoreWriter {
    fn fail(&self, err: TantivyError) -> Error {
        Error::Corrupt { path: self.path.clone(), reason: short(&err) }
    }

    /// Replaces every entry of a document (its record and passages).
    pub fn upsert(&mut self, item: &IndexedDoc) -> Result<(), Error> {
        let f = self.fields;
        self.writer.delete_term(Term::from_field_text(f.id, &item.doc.id));
        let doc = &item.doc;
        let shared = |d: &mut TantivyDocument, kind: &str| {
            d.add_text(f.kind, kind);
            d.add_text(f.id, &doc.id);
            d.add_text(f.path, &doc.path);
            if let Some(title) = &doc.title {
                d.add_text(f.title, title);
            }
            if let Some(source) = &doc.source {
                d.add_text(f.source, source);
            }
            if let Some(event) = &doc.event {
                d.add_text(f.event, event);
            }
            if let Some(date) = item.date {
                d.add_u64(f.date_start, date.start_key());
                d.add_u64(f.date_end, date.end_key());
            }
        };
        let mut d = TantivyDocument::default();
        shared(&mut d, KIND_DOC);
        d.add_text(f.root, &item.root);
        d.add_u64(f.hash, item.hash);
        d.add_u64(f.size, item.size);
        d.add_u64(f.mtime, item.mtime_ns);
        d.add_text(f.body, &item.body);
        for s in &doc.speakers {
            d.add_text(f.speaker, &s.name);
            for m in s.mentions.iter().chain(std::iter::once(&s.name)) {
                d.add_text(f.speaker_mention, m.to_lowercase());
            }
        }
        for i in &doc.institutions {
            d.add_text(f.institution, &i.name);
            for m in i.mentions.iter().chain(std::iter::once(&i.name)) {
                d.add_text(f.institution_mention, m.to_lowercase());
            }
        }
        for t in &doc.topics {
            d.add_text(f.topic, t);
        }
        if let Some(source) = &doc.source {
            d.add_text(f.source_exact, source);
        }
        d.add_text(f.record, serde_json::to_string(doc).expect("documents serialize"));
        self.writer.add_document(d).map_err(|e| self.fail(e))?;
        for p in &doc.passages {
            let mut d = TantivyDocument::default();
            shared(&mut d, KIND_PASSAGE);
            d.add_u64(f.n, p.n as u64);
            d.add_text(f.body, &p.text);
            for s in &p.speakers {
                d.add_text(f.speaker, s);
                if let Some(r) = doc.speakers.iter().find(|r| &r.name == s) {
                    for m in r.mentions.iter().chain(std::iter::once(&r.name)) {
                        d.add_text(f.speaker_mention, m.to_lowercase());
                    }
                }
            }
            for i in &p.institutions {
                d.add_text(f.institution, i);
                if let Some(r) = doc.institutions.iter().find(|r| &r.name == i) {
                    for m in r.mentions.iter().chain(std::iter::once(&r.name)) {
                        d.add_text(f.institution_mention, m.to_lowercase());
                    }
                }
            }
            for t in &p.topics {
                d.add_text(f.topic, t);
            }
            self.writer.add_document(d).map_err(|e| self.fail(e))?;
        }
        Ok(())
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

    /// Commits the documents and the state together, then lets merges finish.
    pub fn commit(mut self, state: &State, registry: &Registry) -> Result<(), Error> {
        let f = self.fields;
        self.writer.delete_term(Term::from_field_text(f.kind, KIND_STATE));
        let mut d = TantivyDocument::default();
        d.add_text(f.kind, KIND_STATE);
        d.add_text(f.state, serde_json::to_string(state).expect("state serializes"));
        d.add_text(f.registry, serde_json::to_string(registry).expect("registry serializes"));
        self.writer.add_document(d).map_err(|e| self.fail(e))?;
        let mut prepared =
            self.writer.prepare_commit().map_err(|e| Error::Corrupt { path: self.path.clone(), reason: short(&e) })?;
        prepared.set_payload(&format!("nkdigi state v{}", state.version));
        prepared.commit().map_err(|e| Error::Corrupt { path: self.path.clone(), reason: short(&e) })?;
        let path = self.path.clone();
        self.writer.wait_merging_threads().map_err(|e| Error::Corrupt { path, reason: short(&e) })
    }
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
