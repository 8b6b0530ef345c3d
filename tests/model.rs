//! A model test: random sequences of adding, editing and deleting files and running
//! `index` (plain or `--full`) must leave exactly the documents a simple in-memory model
//! predicts, with each file's latest content, no duplicates and nothing else.

use nkdigi::commands::index::{self, IndexOptions, NoProgress};
use nkdigi::store::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Clone)]
enum Op {
    Write {
        file: usize,
        version: u32,
        nested: bool,
    },
    /// New content of the same size with the old modification time put back: only the
    /// content tells the change.
    SameStatEdit {
        file: usize,
        version: u32,
    },
    Delete {
        file: usize,
    },
    Index {
        full: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..6usize, 100..1000u32, any::<bool>()).prop_map(|(file, version, nested)| Op::Write { file, version, nested }),
        2 => (0..6usize, 100..1000u32).prop_map(|(file, version)| Op::SameStatEdit { file, version }),
        2 => (0..6usize).prop_map(|file| Op::Delete { file }),
        3 => any::<bool>().prop_map(|full| Op::Index { full }),
    ]
}

fn rel_path(file: usize, nested: bool) -> String {
    if nested {
        format!("notes/sub/f{file}.md")
    } else {
        format!("notes/f{file}.md")
    }
}

fn content(file: usize, version: u32) -> String {
    // Versions are three digits: every version of a file has the same size.
    format!("---\ntitle: F{file} v{version}\n---\nKoryolink note {version}, Martyn Williams said.\n")
}

fn run_index(dir: &Path, full: bool) {
    let options = IndexOptions {
        index: dir.join("ix"),
        paths: vec![dir.join("notes")],
        full,
        rebuild: false,
        dry_run: false,
        taxonomy: None,
        default_taxonomy: None,
        max_file_size: 1 << 20,
        wait: None,
        threads: 2,
        follow: false,
        list_changes: false,
    };
    index::run(&options, &NoProgress, &AtomicBool::new(false)).expect("index runs");
}

/// What the index holds: path suffix → title.
fn indexed(dir: &Path) -> BTreeMap<String, String> {
    let store = Store::open(&dir.join("ix")).expect("index opens");
    let docs = store.export().expect("export");
    let root = dir.join("notes").to_string_lossy().into_owned();
    let mut out = BTreeMap::new();
    for doc in docs {
        let rel = format!("notes{}", doc.path.strip_prefix(&root).expect("under the root"));
        let previous = out.insert(rel.clone(), doc.title.clone().unwrap_or_default());
        assert!(previous.is_none(), "{rel} indexed twice");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_index_matches_the_model(ops in proptest::collection::vec(op(), 1..14)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("notes/sub")).unwrap();
        // The model: relative path → title of the file's current content.
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        let mut expected: Option<BTreeMap<String, String>> = None;
        for op in ops.iter().chain(std::iter::once(&Op::Index { full: false })) {
            match op {
                Op::Write { file, version, nested } => {
                    // One file per number: writing it elsewhere moves it.
                    for other in [rel_path(*file, !nested)] {
                        if files.remove(&other).is_some() {
                            std::fs::remove_file(dir.path().join(&other)).unwrap();
                        }
                    }
                    let rel = rel_path(*file, *nested);
                    std::fs::write(dir.path().join(&rel), content(*file, *version)).unwrap();
                    files.insert(rel, format!("F{file} v{version}"));
                }
                Op::SameStatEdit { file, version } => {
                    for nested in [false, true] {
                        let rel = rel_path(*file, nested);
                        if files.contains_key(&rel) {
                            let path = dir.path().join(&rel);
                            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                            std::fs::write(&path, content(*file, *version)).unwrap();
                            std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
                            files.insert(rel, format!("F{file} v{version}"));
                        }
                    }
                }
                Op::Delete { file } => {
                    for nested in [false, true] {
                        let rel = rel_path(*file, nested);
                        if files.remove(&rel).is_some() {
                            std::fs::remove_file(dir.path().join(&rel)).unwrap();
                        }
                    }
                }
                Op::Index { full } => {
                    run_index(dir.path(), *full);
                    let got = indexed(dir.path());
                    prop_assert_eq!(&got, &files);
                    expected = Some(got);
                }
            }
        }
        // The last run left every file of the model, once, where a search counts them too.
        prop_assert_eq!(expected.map(|e| e.len()), Some(files.len()));
        let store = Store::open(&dir.path().join("ix")).expect("index opens");
        prop_assert_eq!(store.document_count().expect("a count"), files.len());
    }
}
