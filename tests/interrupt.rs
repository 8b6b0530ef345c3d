//! Interrupted runs keep their promises: a re-tag stopped half-way resumes, and a rebuild
//! is all or nothing. The interruption comes from the progress callback after a given
//! number of files, so the moment is exact, not a race with a signal.

use nkdigi::commands::index::{self, IndexOptions, IndexSummary, Progress};
use nkdigi::error::Error;
use nkdigi::store::Store;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Raises the interrupt flag once `after` files have been read.
struct StopAfter<'a> {
    after: usize,
    seen: AtomicUsize,
    flag: &'a AtomicBool,
}

impl Progress for StopAfter<'_> {
    fn advance(&self, _bytes: u64) {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
            self.flag.store(true, Ordering::SeqCst);
        }
    }
}

fn options(dir: &Path) -> IndexOptions {
    IndexOptions {
        index: dir.join("ix"),
        paths: vec![dir.join("notes")],
        full: false,
        rebuild: false,
        dry_run: false,
        taxonomy: None,
        default_taxonomy: None,
        max_file_size: 1 << 20,
        wait: None,
        // One worker: files are read strictly one after another.
        threads: 1,
        follow: false,
        list_changes: false,
    }
}

fn run(options: &IndexOptions, stop_after: Option<usize>) -> Result<IndexSummary, Error> {
    let flag = AtomicBool::new(false);
    match stop_after {
        Some(after) => index::run(options, &StopAfter { after, seen: AtomicUsize::new(0), flag: &flag }, &flag),
        None => index::run(options, &index::NoProgress, &flag),
    }
}

fn corpus(dir: &Path, files: usize) {
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    for i in 0..files {
        let text = format!("Note {i}\n\nThe harvest in county {i} was counted by the cooperative farm.\n");
        std::fs::write(dir.join(format!("notes/{i:03}.txt")), text).unwrap();
    }
}

fn topics_of_all(dir: &Path) -> Vec<Vec<String>> {
    Store::open(&dir.join("ix")).unwrap().export().unwrap().into_iter().map(|d| d.topics).collect()
}

#[test]
fn a_retag_stopped_half_way_resumes_with_the_documents_it_did_not_reach() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 40);
    run(&options(dir.path()), None).unwrap();
    assert!(topics_of_all(dir.path()).iter().all(|t| t.is_empty()));
    let taxonomy = dir.path().join("tax.yaml");
    std::fs::write(&taxonomy, "topics:\n  - id: farming\n    terms: [harvest, cooperative farm]\n").unwrap();
    let mut with_taxonomy = options(dir.path());
    with_taxonomy.taxonomy = Some(taxonomy);
    let stopped = run(&with_taxonomy, Some(10));
    assert!(matches!(stopped, Err(Error::Interrupted)), "{stopped:?}");
    let tagged = topics_of_all(dir.path()).iter().filter(|t| t.contains(&"farming".to_string())).count();
    assert!(tagged > 0 && tagged < 40, "half-way: {tagged} of 40 re-tagged");
    // Files are handed on in batches of several, but a stop comes before the next file:
    // the ten read are written, and no more.
    assert_eq!(tagged, 10, "an interruption waits for no batch to fill");
    // The taxonomy is saved with the index: the next plain run resumes the re-tag.
    let mut plain = options(dir.path());
    plain.paths.clear();
    let summary = run(&plain, None).unwrap();
    assert_eq!(summary.updated, 40 - tagged, "{summary:?}");
    assert!(topics_of_all(dir.path()).iter().all(|t| t == &vec!["farming".to_string()]));
    let summary = run(&plain, None).unwrap();
    assert_eq!((summary.updated, summary.unchanged), (0, 40));
}

#[test]
fn a_rebuild_stopped_half_way_leaves_the_index_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 30);
    run(&options(dir.path()), None).unwrap();
    let before = Store::open(&dir.path().join("ix")).unwrap().export().unwrap();
    let mut rebuild = options(dir.path());
    rebuild.paths.clear();
    rebuild.rebuild = true;
    let stopped = run(&rebuild, Some(5));
    assert!(matches!(stopped, Err(Error::Interrupted)), "{stopped:?}");
    let after = Store::open(&dir.path().join("ix")).unwrap().export().unwrap();
    assert_eq!(after, before, "nothing of the stopped rebuild is visible");
    let summary = run(&rebuild, None).unwrap();
    assert_eq!(summary.added, 30);
}

#[test]
fn a_rebuild_of_a_damaged_index_stopped_half_way_keeps_the_damaged_one() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 30);
    run(&options(dir.path()), None).unwrap();
    std::fs::write(dir.path().join("ix/meta.json"), b"{ damaged").unwrap();
    let mut rebuild = options(dir.path());
    rebuild.paths.clear();
    rebuild.rebuild = true;
    let stopped = run(&rebuild, Some(5));
    assert!(matches!(stopped, Err(Error::Interrupted)), "{stopped:?}");
    assert!(!dir.path().join("ix.rebuild").exists(), "the half-made index is cleared away");
    assert_eq!(std::fs::read(dir.path().join("ix/meta.json")).unwrap(), b"{ damaged");
    let summary = run(&rebuild, None).unwrap();
    assert_eq!(summary.added, 30);
    assert_eq!(Store::open(&dir.path().join("ix")).unwrap().export().unwrap().len(), 30);
}
