//! `nkdigi index`: find files, read and tag the changed ones in parallel, resolve names in
//! path order, and commit documents, removals and state in one commit.

use crate::corpus::walk::{self, Candidate, Root};
use crate::corpus::{self, ParsedFile};
use crate::error::{Error, FileError};
use crate::model::{Document, InstitutionRef, Passage, SpeakerRef};
use crate::store::{
    self, IndexedDoc, ManifestEntry, State, Store, TaxonomyFile, WriterOptions, RECOVERY_FILE, STATE_VERSION,
};
use crate::tagging::registry::Registry;
use crate::tagging::taxonomy::Taxonomy;
use crate::tagging::{Tagger, Tags};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Resolved options of one `index` run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub index: PathBuf,
    pub paths: Vec<PathBuf>,
    pub full: bool,
    pub rebuild: bool,
    pub dry_run: bool,
    pub taxonomy: Option<PathBuf>,
    /// The config file's taxonomy: used when neither `taxonomy` is given nor the index has
    /// one saved.
    pub default_taxonomy: Option<PathBuf>,
    pub max_file_size: u64,
    pub wait: Option<Duration>,
    pub threads: usize,
    /// Follow symlinks that lead outside the indexed roots.
    pub follow: bool,
    /// Keep the path of every change in the summary (for `--verbose`). Off, a run holds
    /// no list that grows with the files it adds.
    pub list_changes: bool,
}

/// A file that could not be indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub error: String,
}

impl Rejected {
    pub fn from(err: FileError) -> Rejected {
        Rejected { path: err.path, line: err.line, error: err.message }
    }
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = crate::error::printable(&self.path);
        match self.line {
            Some(line) => write!(f, "{path}:{line}: {}", self.error),
            None => write!(f, "{path}: {}", self.error),
        }
    }
}

/// What an `index` run did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub rejected: Vec<Rejected>,
    /// Files skipped with a warning (binary files found by walking, symlink loops…).
    pub skipped: Vec<Rejected>,
    pub elapsed_ms: u128,
    pub dry_run: bool,
    pub documents: usize,
    /// Each change, in order: ("added" | "updated" | "removed", path). Printed by `-v`.
    #[serde(skip)]
    pub changes: Vec<(&'static str, String)>,
}

/// Progress callbacks for a terminal bar.
pub trait Progress: Sync {
    /// More files to read, found while the first ones are read: the totals grow until the
    /// walk ends.
    fn found(&self, _files: u64, _bytes: u64) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

/// Files modified less than this before they are read are always re-hashed next time.
const RACY_WINDOW_NS: u64 = 2_000_000_000;

/// The taxonomy in force: the built-in one extended by `--taxonomy` (or NKDIGI_TAXONOMY),
/// else by the file saved with the index (re-read when it still exists).
pub fn load_taxonomy(
    option: Option<&Path>,
    saved: Option<&TaxonomyFile>,
    default: Option<&Path>,
) -> Result<(Taxonomy, Option<TaxonomyFile>), Error> {
    let mut taxonomy = Taxonomy::builtin();
    // Given (flag or environment), else the one saved with the index, else the default.
    let option = option.or(if saved.is_none() { default } else { None });
    let file = match (option, saved) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| FileError::new(path.display().to_string(), walk::io_message(&e)))?;
            Some(TaxonomyFile { path: path.to_path_buf(), text })
        }
        (None, Some(saved)) => match std::fs::read_to_string(&saved.path) {
            Ok(text) => Some(TaxonomyFile { path: saved.path.clone(), text }),
            Err(_) => Some(saved.clone()),
        },
        (None, None) => None,
    };
    if let Some(file) = &file {
        let user = Taxonomy::parse(&file.text).map_err(|e| {
            let path = file.path.display().to_string();
            match e.line {
                Some(line) => FileError::at_line(path, line, format!("taxonomy: {}", e.message)),
                None => FileError::new(path, format!("taxonomy: {}", e.message)),
            }
        })?;
        taxonomy.extend(user);
    }
    Ok((taxonomy, file))
}

/// A file read, parsed and tagged, waiting for name resolution.
pub(crate) struct Prepared {
    pub candidate: Candidate,
    hash: u64,
    pub parsed: ParsedFile,
    pub tags: Tags,
    /// Indexed, but with something the user should hear about.
    pub warning: Option<FileError>,
}

pub(crate) enum Outcome {
    Unchanged,
    Ready(Box<Prepared>),
    Rejected(FileError),
    Skipped(FileError),
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
struct Recovery {
    roots: Vec<Root>,
    taxonomy: Option<PathBuf>,
}

fn read_recovery(index: &Path) -> Recovery {
    std::fs::read_to_string(index.join(RECOVERY_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_recovery(index: &Path, state: &State) {
    let recovery =
        Recovery { roots: state.roots.clone(), taxonomy: state.taxonomy_file.as_ref().map(|f| f.path.clone()) };
    let tmp = index.join(format!("{RECOVERY_FILE}.tmp"));
    let json = serde_json::to_vec_pretty(&recovery).expect("recovery serializes");
    // Best effort: the file only helps a later --rebuild of an unreadable index.
    if std::fs::write(&tmp, json).is_ok() {
        let _ = std::fs::rename(&tmp, index.join(RECOVERY_FILE));
    }
}

pub fn run(options: &IndexOptions, progress: &dyn Progress, interrupted: &AtomicBool) -> Result<IndexSummary, Error> {
    // A first run that fails, or indexes nothing because every path is missing or
    // rejected, leaves no index behind: a later search there would find an empty index
    // and answer nothing instead of saying there is none.
    let first = !options.dry_run && !options.index.exists();
    let result = run_checked(options, progress, interrupted);
    let failed = match &result {
        // Stopped by Ctrl-C, a run keeps what it committed.
        Err(Error::Interrupted) => false,
        Err(_) => true,
        Ok(summary) => summary.documents == 0 && !summary.rejected.is_empty(),
    };
    if first && failed && store::is_nkdigi_folder(&options.index) {
        let _ = std::fs::remove_dir_all(&options.index);
    }
    result
}

fn run_checked(
    options: &IndexOptions,
    progress: &dyn Progress,
    interrupted: &AtomicBool,
) -> Result<IndexSummary, Error> {
    if options.rebuild && !options.dry_run {
        // An index whose files cannot be read is rebuilt beside it, as is one without the
        // fields of now; any other in place.
        // A folder nkdigi did not make, or cannot write, is never touched.
        let readable = Store::open(&options.index).and_then(|store| {
            store.state().and(store.manifest()).map(|_| store.has_entity_entries() && store.has_order_keys())
        });
        // (`Ok(false)`: an index from before entities had entries, or documents order keys.)
        if let Err(Error::Corrupt { .. } | Error::Outdated { .. }) | Ok(false) = readable {
            return rebuild_aside(options, progress, interrupted);
        }
    }
    run_in_place(options, &[], progress, interrupted)
}

/// `--rebuild` of an index that cannot be opened: index the known roots into a fresh
/// folder beside it, then swap the folders. Only a folder nkdigi made is ever replaced,
/// and only under its writer lock, so two rebuilds cannot undo each other.
fn rebuild_aside(
    options: &IndexOptions,
    progress: &dyn Progress,
    interrupted: &AtomicBool,
) -> Result<IndexSummary, Error> {
    if !store::is_nkdigi_folder(&options.index) {
        return Err(Error::NotAnIndex { path: options.index.clone(), marker: store::MARKER });
    }
    let _lock = store::lock_folder(&options.index, options.wait)?;
    let recovery = read_recovery(&options.index);
    if recovery.roots.is_empty() && options.paths.is_empty() {
        return Err(Error::Usage(format!(
            "{}: the index cannot be read and its roots are unknown; run `nkdigi index --rebuild PATH...`",
            options.index.display()
        )));
    }
    let name = options.index.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into());
    let fresh = options.index.with_file_name(format!("{name}.rebuild"));
    if fresh.exists() {
        // Left by a rebuild that was stopped: ours to clear. Anything else stays.
        if !store::is_nkdigi_folder(&fresh) {
            return Err(Error::NotAnIndex { path: fresh, marker: store::MARKER });
        }
        std::fs::remove_dir_all(&fresh).map_err(|e| Error::Io { path: fresh.clone(), reason: store::io_reason(&e) })?;
    }
    let mut aside = options.clone();
    aside.index = fresh.clone();
    aside.rebuild = false;
    if aside.taxonomy.is_none() {
        aside.taxonomy = recovery.taxonomy.clone().filter(|p| p.exists());
    }
    let summary = match run_in_place(&aside, &recovery.roots, progress, interrupted) {
        Ok(summary) => summary,
        Err(err) => {
            // All or nothing: the damaged index stays where it was until a rebuild completes.
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(err);
        }
    };
    let old = options.index.with_file_name(format!("{name}.corrupt-{}", std::process::id()));
    std::fs::rename(&options.index, &old).and_then(|_| std::fs::rename(&fresh, &options.index)).map_err(|e| {
        Error::Io {
            path: options.index.clone(),
            reason: format!("cannot put the rebuilt index in place: {}", store::io_reason(&e)),
        }
    })?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(summary)
}

fn run_in_place(
    options: &IndexOptions,
    known_roots: &[Root],
    progress: &dyn Progress,
    interrupted: &AtomicBool,
) -> Result<IndexSummary, Error> {
    let started = Instant::now();
    let store = if options.dry_run && !options.index.join("meta.json").exists() {
        None
    } else {
        Some(Store::open_or_create(&options.index)?)
    };
    // The lock is taken before the state is read, so no other writer changes it under us.
    let mut writer = match (&store, options.dry_run) {
        (Some(store), false) => Some(store.writer(WriterOptions {
            wait: options.wait,
            threads: options.threads.clamp(1, 8),
            // 32 MB a thread. The threads fill their buffers at the same pace and write
            // their segments at about the same moment, so a run's peak is where those
            // writes meet: with 48 MB, 200 MB runs peaked 184–215 MB and 1 GB runs up to
            // 244 MB; with 32 MB, 172–182 and 177–179 MB, at no cost in speed or size.
            // Merges are bounded too (see the store's merge policy): the peak stays flat
            // as the index grows.
            memory_budget: 32_000_000 * options.threads.clamp(1, 4),
        })?),
        _ => None,
    };
    let state = match &store {
        Some(store) => store.state()?,
        None => State::default(),
    };
    let (taxonomy, taxonomy_file) =
        load_taxonomy(options.taxonomy.as_deref(), state.taxonomy_file.as_ref(), options.default_taxonomy.as_deref())?;
    let fingerprint = taxonomy.fingerprint();
    let tagged_with = taxonomy.fingerprint_u64();
    let fresh_index = state.taxonomy_fingerprint.is_empty();
    let manifest = match &store {
        Some(store) if !options.rebuild => store.manifest()?,
        _ => HashMap::new(),
    };
    // Every document records the taxonomy it was tagged with: a re-tag that was stopped
    // half-way resumes with the documents it did not reach.
    let retag_all = options.full || options.rebuild;
    let stale_tags = manifest.values().any(|e| e.tagged_with != tagged_with);

    let mut summary = IndexSummary { dry_run: options.dry_run, ..Default::default() };
    let mut roots: Vec<Root> = state.roots.clone();
    for root in known_roots {
        if !roots.iter().any(|r| r.canonical == root.canonical) {
            roots.push(root.clone());
        }
    }
    let mut walk_roots: Vec<Root> = Vec::new();
    if options.paths.is_empty() {
        if roots.is_empty() {
            return Err(Error::Usage(
                "no PATH given and the index has no roots yet; run `nkdigi index PATH` first".into(),
            ));
        }
        walk_roots = roots.clone();
    } else {
        for given in &options.paths {
            match Root::resolve(given) {
                Ok(root) => {
                    if !roots.iter().any(|r| r.canonical == root.canonical) {
                        roots.push(root.clone());
                    }
                    if !walk_roots.iter().any(|r| r.canonical == root.canonical) {
                        walk_roots.push(root);
                    }
                }
                Err(err) => summary.rejected.push(Rejected::from(err)),
            }
        }
        if retag_all || stale_tags {
            for root in &roots {
                if !walk_roots.iter().any(|r| r.canonical == root.canonical) {
                    walk_roots.push(root.clone());
                }
            }
        }
    }

    // A stored root that is gone: its documents go, and so does the root. (Its key stays
    // among the walked ones, so that its documents are found gone below.)
    let walked: HashSet<String> = walk_roots.iter().map(Root::key).collect();
    walk_roots.retain(|root| {
        let exists = root.canonical.exists();
        if !exists {
            summary.skipped.push(Rejected {
                path: root.display.clone(),
                line: None,
                error: "no longer exists; its documents are removed from the index".into(),
            });
            roots.retain(|r| r.canonical != root.canonical);
        }
        exists
    });
    // The walk's problems are reported ahead of the files'.
    let (rejected_at, skipped_at) = (summary.rejected.len(), summary.skipped.len());

    if options.rebuild {
        if let Some(writer) = writer.as_mut() {
            writer.clear();
        }
    }
    let tagger = Tagger::new(taxonomy.clone());
    // Canonical names stay while the taxonomy stays: only a new taxonomy (or a rebuild)
    // starts the registry over.
    let stored_registry = match &store {
        Some(store) => store.registry()?,
        None => Registry::default(),
    };
    let taxonomy_changed = !fresh_index && fingerprint != state.taxonomy_fingerprint;
    let mut registry = if options.rebuild
        || taxonomy_changed
        || stored_registry.speakers.is_empty() && stored_registry.institutions.is_empty()
    {
        Registry::seeded(&taxonomy)
    } else {
        stored_registry
    };

    // Walk, read, parse and tag at once: one thread walks the roots and hands the files it
    // finds on in batches, in path order; the workers read, parse and tag a batch at a
    // time; this thread resolves names and writes, in path order. A run holds no list of
    // its files: only the id of each file found, to know which documents are gone.
    let scope =
        walk::Scope { roots: roots.iter().map(|r| r.canonical.clone()).collect(), follow: options.follow, interrupted };
    let workers = options.threads.clamp(1, 16);
    let mut pending: BTreeMap<usize, Vec<Outcome>> = BTreeMap::new();
    let mut next_to_write = 0;
    let mut write_error: Option<Error> = None;
    // Set by a failed write: the workers stop reading and tagging files nothing will write.
    let halt = AtomicBool::new(false);
    // Counts or writes one file's outcome, in path order; after a failed write, nothing more.
    let mut write = |outcome: Outcome| {
        if write_error.is_some() {
            return;
        }
        match outcome {
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Rejected(err) => summary.rejected.push(Rejected::from(err)),
            Outcome::Skipped(err) => summary.skipped.push(Rejected::from(err)),
            Outcome::Ready(prepared) => {
                let existed = manifest.contains_key(prepared.candidate.id());
                if let Some(warning) = &prepared.warning {
                    summary.skipped.push(Rejected::from(warning.clone()));
                }
                let item = resolve(*prepared, &mut registry, tagged_with);
                if let Some(writer) = writer.as_mut() {
                    if let Err(err) = writer.upsert(&item, existed) {
                        write_error = Some(err);
                        halt.store(true, Ordering::Relaxed);
                        return;
                    }
                }
                if existed {
                    summary.updated += 1
                } else {
                    summary.added += 1
                }
                if options.list_changes {
                    summary.changes.push((if existed { "updated" } else { "added" }, item.doc.path.clone()));
                }
            }
        }
    };
    let found = std::thread::scope(|scope_| {
        let (work_tx, work_rx) = mpsc::sync_channel::<Batch<Candidate>>(2 * workers);
        // Each worker holds the receiving end: when the last one stops (interrupted), the
        // walk's next hand-over fails instead of waiting for ever.
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (tx, rx) = mpsc::sync_channel::<Batch<Outcome>>(workers);
        let walker = scope_.spawn(|| find(&walk_roots, &scope, work_tx, progress));
        for _ in 0..workers {
            let (tx, work_rx) = (tx.clone(), Arc::clone(&work_rx));
            let (manifest, tagger, halt) = (&manifest, &tagger, &halt);
            scope_.spawn(move || loop {
                let next = work_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok((start, batch)) = next else { break };
                let mut outcomes = Vec::with_capacity(batch.len());
                for candidate in &batch {
                    if interrupted.load(Ordering::Relaxed) || halt.load(Ordering::Relaxed) {
                        break;
                    }
                    let known = if retag_all { None } else { manifest.get(candidate.id()) };
                    outcomes.push(prepare(candidate, known, tagger, tagged_with, options.max_file_size));
                    progress.advance(candidate.size);
                }
                let stopped = outcomes.len() < batch.len();
                if tx.send((start, outcomes)).is_err() || stopped {
                    break;
                }
            });
        }
        drop((tx, work_rx));
        for (start, outcomes) in rx.iter() {
            pending.insert(start, outcomes);
            // A batch cut short by an interruption leaves a gap: nothing after it is written.
            while let Some(outcomes) = pending.remove(&next_to_write) {
                next_to_write += outcomes.len();
                outcomes.into_iter().for_each(&mut write);
            }
        }
        walker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    progress.finish();
    if let Some(err) = write_error {
        if let Some(writer) = writer {
            writer.abandon();
        }
        return Err(err);
    }
    let was_interrupted = interrupted.load(Ordering::Relaxed);
    if was_interrupted && options.rebuild {
        // A rebuild is all or nothing: stopped, it leaves the index as it was.
        if let Some(writer) = writer {
            writer.abandon();
        }
        return Err(Error::Interrupted);
    }

    // Documents under paths that exist but cannot be read are kept as they are.
    let Found { ids: seen, problems } = found;
    let mut protected: Vec<String> = Vec::new();
    let (mut rejected, mut skipped) = (Vec::new(), Vec::new());
    for problem in problems {
        if problem.warning {
            skipped.push(Rejected::from(problem.error));
            continue;
        }
        if !problem.missing {
            protected.push(problem.error.path.clone());
        }
        rejected.push(Rejected::from(problem.error));
    }
    summary.rejected.splice(rejected_at..rejected_at, rejected);
    summary.skipped.splice(skipped_at..skipped_at, skipped);

    // Files gone from the walked roots are removed, unless their folder could not be read.
    // (An index that held nothing has nothing to remove.)
    if !was_interrupted && !manifest.is_empty() {
        let unreadable = &protected;
        let mut gone: Vec<&ManifestEntry> = manifest
            .values()
            .filter(|e| walked.contains(&e.root) && walk::id_number(&e.id).is_none_or(|id| !seen.contains(&id)))
            .filter(|e| !unreadable.iter().any(|p| e.path == *p || e.path.starts_with(&format!("{p}/"))))
            .collect();
        gone.sort_by(|a, b| a.path.cmp(&b.path));
        for entry in gone {
            if let Some(writer) = writer.as_mut() {
                writer.remove(&entry.id);
            }
            summary.removed += 1;
            if options.list_changes {
                summary.changes.push(("removed", entry.path.clone()));
            }
        }
    }
    // What was kept per file is not needed past this point: the commit, which writes the
    // last segments and runs the merges held back until now, does not share the memory
    // with it.
    drop(seen);
    drop(manifest);

    let new_state = State {
        version: STATE_VERSION,
        taxonomy_fingerprint: fingerprint,
        taxonomy_file,
        roots,
        topics: taxonomy.topic_ids().iter().map(|t| t.to_string()).collect(),
    };
    let changed = summary.added + summary.updated + summary.removed > 0
        || new_state.taxonomy_fingerprint != state.taxonomy_fingerprint
        || new_state.roots != state.roots
        || new_state.taxonomy_file != state.taxonomy_file
        || new_state.topics != state.topics;
    if let Some(writer) = writer {
        if changed || options.rebuild {
            writer.commit(&new_state, &registry)?;
            write_recovery(&options.index, &new_state);
        }
    }
    if store.is_some() && !options.dry_run {
        // A fresh store: the one opened above still sees the commit before this run.
        summary.documents = Store::open(&options.index)?.document_count()?;
    }
    summary.elapsed_ms = started.elapsed().as_millis();
    if was_interrupted {
        return Err(Error::Interrupted);
    }
    Ok(summary)
}

/// The most files a worker reads, parses and tags before it hands them on: one message
/// and one wake-up of the writing thread a batch instead of a file. Batches hold files in
/// path order.
const FILES_PER_BATCH: usize = 16;

/// The most bytes of files in a batch (a batch holds one file at least): what a batch
/// keeps in memory until it is written stays small whatever the files' sizes.
const BYTES_PER_BATCH: u64 = 256 << 10;

/// A batch: the index (in path order) of its first file, and its files or their outcomes.
type Batch<T> = (usize, Vec<T>);

/// Cuts files, as they are found, into consecutive batches of at most [`FILES_PER_BATCH`]
/// files and [`BYTES_PER_BATCH`] bytes (or one larger file).
#[derive(Debug)]
struct Batcher<T> {
    next: usize,
    files: Vec<T>,
    bytes: u64,
}

impl<T> Default for Batcher<T> {
    fn default() -> Self {
        Batcher { next: 0, files: Vec::new(), bytes: 0 }
    }
}

impl<T> Batcher<T> {
    /// Adds a file of `size` bytes; gives the batch it closes, if it does not fit in it.
    fn push(&mut self, file: T, size: u64) -> Option<Batch<T>> {
        let full = self.files.len() == FILES_PER_BATCH || self.bytes.saturating_add(size) > BYTES_PER_BATCH;
        let closed = (!self.files.is_empty() && full).then(|| self.take());
        self.bytes = self.bytes.saturating_add(size);
        self.files.push(file);
        closed
    }

    /// The last batch, if any file is left.
    fn finish(mut self) -> Option<Batch<T>> {
        (!self.files.is_empty()).then(|| self.take())
    }

    fn take(&mut self) -> Batch<T> {
        let files = std::mem::replace(&mut self.files, Vec::with_capacity(FILES_PER_BATCH));
        let start = self.next;
        self.next += files.len();
        self.bytes = 0;
        (start, files)
    }
}

/// What a walk leaves for the end of a run: the id of every file found, and the problems met.
struct Found {
    ids: HashSet<u64>,
    problems: Vec<walk::WalkProblem>,
}

/// Walks `roots` and hands the files found to `to` in batches (see [`walk::walk_all`]).
fn find(
    roots: &[Root],
    scope: &walk::Scope<'_>,
    to: mpsc::SyncSender<Batch<Candidate>>,
    progress: &dyn Progress,
) -> Found {
    let mut problems = Vec::new();
    let mut batcher = Batcher::default();
    let mut open = true;
    let mut hand_on = |batch: Batch<Candidate>| {
        if open {
            progress.found(batch.1.len() as u64, batch.1.iter().map(|c| c.size).sum());
            open = to.send(batch).is_ok();
        }
    };
    let mut take = |candidate: Candidate| {
        let size = candidate.size;
        if let Some(batch) = batcher.push(candidate, size) {
            hand_on(batch);
        }
    };
    let ids = walk::walk_all(roots, scope, &mut take, &mut problems);
    if let Some(batch) = batcher.finish() {
        hand_on(batch);
    }
    Found { ids, problems }
}

/// Reads, decodes, parses and tags one file: the one path from a file to a document,
/// shared by `index` and `check`. `known` is what the index holds of the file, if anything
/// worth comparing with.
pub(crate) fn prepare(
    candidate: &Candidate,
    known: Option<&ManifestEntry>,
    tagger: &Tagger,
    tagged_with: u64,
    max_size: u64,
) -> Outcome {
    let known = known.filter(|entry| entry.tagged_with == tagged_with && entry.path == *candidate.display());
    if let Some(entry) = known {
        if entry.size == candidate.size && entry.mtime_ns == candidate.mtime_ns {
            return Outcome::Unchanged;
        }
    }
    let reject = |message: String| Outcome::Rejected(FileError::new(candidate.display().into_owned(), message));
    if candidate.size > max_size {
        return reject(corpus::too_large(candidate.size, max_size));
    }
    let bytes = match corpus::read_file(&candidate.canonical(), max_size) {
        Ok(bytes) => bytes,
        Err(message) => return reject(message),
    };
    if corpus::decode::looks_binary(&bytes) && !candidate.named {
        return Outcome::Skipped(FileError::new(candidate.display().into_owned(), "binary file, skipped"));
    }
    let digest = blake3::hash(&bytes);
    let hash = u64::from_le_bytes(digest.as_bytes()[..8].try_into().expect("8 bytes"));
    if known.is_some_and(|entry| entry.hash == hash) {
        return Outcome::Unchanged;
    }
    let parsed = match std::panic::catch_unwind(|| corpus::parse_bytes(&candidate.display(), &bytes)) {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(err)) => return Outcome::Rejected(err),
        Err(_) => return reject("internal error while parsing this file".into()),
    };
    let tags = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tagger.tag(&parsed))) {
        Ok(tags) => tags,
        Err(_) => return reject("internal error while tagging this file".into()),
    };
    let warning = (parsed.replaced_bytes > 0).then(|| {
        FileError::new(
            candidate.display().into_owned(),
            format!(
                "{} byte(s) that are not valid UTF-8 replaced with U+FFFD; the rest is UTF-8",
                parsed.replaced_bytes
            ),
        )
    });
    let mut candidate = candidate.clone();
    candidate.size = bytes.len() as u64;
    // A file modified moments ago may change again within the same timestamp tick; its
    // stat is not stored, so the next run compares its content instead (git's "racy" rule).
    let now_ns =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    if now_ns.saturating_sub(candidate.mtime_ns) < RACY_WINDOW_NS {
        candidate.mtime_ns = 0;
    }
    Outcome::Ready(Box::new(Prepared { candidate, hash, parsed, tags, warning }))
}

/// Gives the tags canonical names and builds the stored document.
fn resolve(prepared: Prepared, registry: &mut Registry, tagged_with: u64) -> IndexedDoc {
    let Prepared { candidate, hash, parsed, tags, .. } = prepared;
    let (date, other_text) = (parsed.date, parsed.other_text());
    let doc = to_document(candidate.id().to_string(), &candidate.display(), parsed, &tags, registry);
    IndexedDoc {
        doc,
        root: candidate.root_key().to_string(),
        hash,
        size: candidate.size,
        mtime_ns: candidate.mtime_ns,
        tagged_with,
        date,
        other_text,
    }
}

/// A tagged file as a document, with names resolved through the registry. The file's
/// text moves into the document.
pub fn to_document(id: String, path: &str, parsed: ParsedFile, tags: &Tags, registry: &mut Registry) -> Document {
    let mut speakers: Vec<SpeakerRef> = Vec::new();
    let mut speaker_index: HashMap<String, usize> = HashMap::new();
    let mut speaker_mentions: Vec<BTreeSet<String>> = Vec::new();
    let mut passage_speakers: Vec<Vec<String>> = vec![Vec::new(); parsed.passages.len()];
    for found in &tags.speakers {
        let name = registry.resolve_speaker(found);
        let affiliation = found
            .affiliation
            .as_ref()
            .map(|a| registry.institution_name(a).map(str::to_string).unwrap_or_else(|| a.clone()));
        let i = *speaker_index.entry(name.clone()).or_insert_with(|| {
            speakers.push(SpeakerRef { name: name.clone(), affiliation: None, mentions: Vec::new() });
            speaker_mentions.push(BTreeSet::new());
            speakers.len() - 1
        });
        speaker_mentions[i].extend(found.mentions.iter().cloned());
        if speakers[i].affiliation.is_none() {
            speakers[i].affiliation = affiliation;
        }
        for &n in &found.passages {
            if let Some(list) = passage_speakers.get_mut(n) {
                if !list.contains(&name) {
                    list.push(name.clone());
                }
            }
        }
    }
    for (speaker, mentions) in speakers.iter_mut().zip(speaker_mentions) {
        speaker.mentions = mentions.into_iter().collect();
    }
    let mut institutions: Vec<InstitutionRef> = Vec::new();
    let mut institution_index: HashMap<String, usize> = HashMap::new();
    let mut institution_mentions: Vec<BTreeSet<String>> = Vec::new();
    let mut passage_institutions: Vec<Vec<String>> = vec![Vec::new(); parsed.passages.len()];
    for found in &tags.institutions {
        let name = registry.resolve_institution(found);
        let i = *institution_index.entry(name.clone()).or_insert_with(|| {
            institutions.push(InstitutionRef { name: name.clone(), mentions: Vec::new() });
            institution_mentions.push(BTreeSet::new());
            institutions.len() - 1
        });
        institution_mentions[i].extend(found.mentions.iter().cloned());
        for &n in &found.passages {
            if let Some(list) = passage_institutions.get_mut(n) {
                if !list.contains(&name) {
                    list.push(name.clone());
                }
            }
        }
    }
    for (institution, mentions) in institutions.iter_mut().zip(institution_mentions) {
        institution.mentions = mentions.into_iter().collect();
    }
    let passages = parsed
        .passages
        .into_iter()
        .enumerate()
        .map(|(n, p)| Passage {
            n,
            line: Some(p.line),
            text: p.text,
            speakers: std::mem::take(&mut passage_speakers[n]),
            institutions: std::mem::take(&mut passage_institutions[n]),
            topics: tags.passage_topics.get(n).cloned().unwrap_or_default(),
        })
        .collect();
    let meta = parsed.meta;
    Document {
        id,
        path: path.to_string(),
        title: parsed.title,
        date: parsed.date.map(|d| d.to_string()),
        source: meta.source,
        url: meta.url,
        event: meta.event,
        author: meta.author,
        speakers,
        institutions,
        topics: tags.topics.clone(),
        tags: meta.tags.unwrap_or_default(),
        extra: meta.extra,
        passages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::registry::Kind;

    proptest::proptest! {
        #[test]
        fn batches_hold_every_file_once_in_order_and_stay_small(
            sizes in proptest::collection::vec(proptest::prop_oneof![0u64..40_000, 0u64..3_000_000], 0..400)
        ) {
            let mut batcher = Batcher::default();
            let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
            for &size in &sizes {
                batches.extend(batcher.push(size, size).map(|(start, files)| start..start + files.len()));
            }
            batches.extend(batcher.finish().map(|(start, files)| start..start + files.len()));
            let mut next = 0;
            for batch in &batches {
                proptest::prop_assert_eq!(batch.start, next);
                proptest::prop_assert!(!batch.is_empty() && batch.len() <= FILES_PER_BATCH);
                let bytes: u64 = sizes[batch.clone()].iter().sum();
                proptest::prop_assert!(bytes <= BYTES_PER_BATCH || batch.len() == 1, "{batch:?}: {bytes} bytes");
                // A batch ends only when the next file would not fit.
                if let Some(&after) = sizes.get(batch.end) {
                    proptest::prop_assert!(batch.len() == FILES_PER_BATCH || bytes + after > BYTES_PER_BATCH);
                }
                next = batch.end;
            }
            proptest::prop_assert_eq!(next, sizes.len());
        }
    }

    /// An index of one note (a speaker's variant spelling) that `create` made empty first,
    /// as an earlier nkdigi would have: the folder, its index, and the options that indexed it.
    fn indexed_into_an_older_index(
        create: fn(&std::path::Path) -> Result<Store, Error>,
    ) -> (tempfile::TempDir, PathBuf, IndexOptions) {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        std::fs::write(notes.join("a.md"), "Park Min-joo said the 4G network grew.\n").unwrap();
        let index = dir.path().join("ix");
        drop(create(&index).unwrap());
        let options = IndexOptions {
            index: index.clone(),
            paths: vec![notes],
            full: false,
            rebuild: false,
            dry_run: false,
            taxonomy: None,
            default_taxonomy: None,
            max_file_size: u64::MAX,
            wait: None,
            threads: 1,
            follow: false,
            list_changes: false,
        };
        // Indexed in place, it keeps its fields.
        assert_eq!(run(&options, &NoProgress, &AtomicBool::new(false)).unwrap().added, 1);
        (dir, index, options)
    }

    /// `index --rebuild` of `options`' index: its one document, sound, rebuilt beside it.
    fn rebuilt(dir: &tempfile::TempDir, index: &std::path::Path, options: IndexOptions) -> Store {
        let rebuild = IndexOptions { rebuild: true, paths: Vec::new(), ..options };
        assert_eq!(run(&rebuild, &NoProgress, &AtomicBool::new(false)).unwrap().documents, 1);
        let store = Store::open(index).unwrap();
        assert_eq!(store.verify().unwrap().problems, Vec::<String>::new());
        assert!(!dir.path().join("ix.rebuild").exists());
        store
    }

    #[test]
    fn a_rebuild_gives_an_index_from_before_order_keys_its_keys() {
        let (dir, index, options) = indexed_into_an_older_index(Store::create_before_order_keys);
        let store = Store::open(&index).unwrap();
        assert!(store.has_entity_entries() && !store.has_order_keys());
        drop(store);
        assert!(rebuilt(&dir, &index, options).has_order_keys());
    }

    #[test]
    fn a_rebuild_gives_an_index_from_before_entity_entries_the_fields_of_now() {
        let (dir, index, options) = indexed_into_an_older_index(Store::create_before_entity_entries);
        // Names resolve through the registry.
        let store = Store::open(&index).unwrap();
        assert!(!store.has_entity_entries());
        assert_eq!(store.entity_name(Kind::Speaker, "Park Min-joo").unwrap(), None);
        drop(store);
        // Rebuilt, it has entity entries, and the same document.
        let store = rebuilt(&dir, &index, options);
        assert!(store.has_entity_entries());
        assert_eq!(store.entity_name(Kind::Speaker, "Park Min-joo").unwrap().as_deref(), Some("Park Min-ju"));
    }
}
