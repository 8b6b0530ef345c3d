//! Finding the files to index: walking folders (skipping hidden ones), following symlinks
//! with loop detection, and naming each file as the user gave its root.

use crate::error::FileError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use walkdir::WalkDir;

/// The file extensions nkdigi reads (compared case-insensitively).
pub const EXTENSIONS: [&str; 4] = ["txt", "md", "markdown", "text"];

/// A path the user asked to index: a folder to walk or a single file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    /// As the user wrote it (normalized: no `./` prefix, no trailing `/`).
    pub display: String,
    /// Absolute, symlink-free path: the root's identity.
    pub canonical: PathBuf,
}

impl Root {
    /// Resolves a user-given path. Fails when it does not exist.
    pub fn resolve(given: &str) -> Result<Root, FileError> {
        let display = normalize_display(given);
        let canonical =
            std::fs::canonicalize(given).map_err(|err| FileError::new(display.clone(), io_message(&err)))?;
        Ok(Root { display, canonical })
    }

    /// The key documents under this root are filed by.
    pub fn key(&self) -> String {
        self.canonical.to_string_lossy().into_owned()
    }
}

/// A file found by the walk, with the stat facts that let unchanged files be skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub display: String,
    pub canonical: PathBuf,
    pub root_key: String,
    pub size: u64,
    pub mtime_ns: u64,
    /// Named on the command line (as opposed to found by walking a folder).
    pub named: bool,
}

/// A problem met while walking. `missing` marks paths that no longer exist (as opposed to
/// paths that exist but cannot be read, whose indexed documents must be kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    pub error: FileError,
    pub missing: bool,
}

impl WalkProblem {
    fn io(path: String, err: &std::io::Error) -> WalkProblem {
        WalkProblem {
            error: FileError::new(path, io_message(err)),
            missing: err.kind() == std::io::ErrorKind::NotFound,
        }
    }
}

/// Strips `./` prefixes and trailing slashes so one path is spelled one way.
pub fn normalize_display(given: &str) -> String {
    let mut s = given;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.trim_start_matches('/');
    }
    let trimmed = s.trim_end_matches('/');
    if trimmed.is_empty() {
        if given.starts_with('/') {
            "/".into()
        } else {
            ".".into()
        }
    } else {
        trimmed.to_string()
    }
}

pub fn has_text_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

pub fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// Walks `root`, appending the text files found to `out` and the problems met to `problems`.
/// A root that is a file yields itself (whatever its extension: the user named it).
pub fn walk(root: &Root, out: &mut Vec<Candidate>, problems: &mut Vec<WalkProblem>) {
    let meta = match std::fs::metadata(&root.canonical) {
        Ok(meta) => meta,
        Err(err) => {
            problems.push(WalkProblem::io(root.display.clone(), &err));
            return;
        }
    };
    if meta.is_file() {
        out.push(candidate(root.display.clone(), root.canonical.clone(), root.key(), &meta, true));
        return;
    }
    let mut folders: std::collections::HashMap<PathBuf, PathBuf> = std::collections::HashMap::new();
    let walker = WalkDir::new(&root.canonical)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let at = err.path().map(|p| display_under(root, p)).unwrap_or_else(|| root.display.clone());
                let problem = if err.loop_ancestor().is_some() {
                    WalkProblem { error: FileError::new(at, "symlink loop; not followed"), missing: false }
                } else if let Some(io) = err.io_error() {
                    WalkProblem::io(at, io)
                } else {
                    WalkProblem { error: FileError::new(at, err.to_string()), missing: false }
                };
                problems.push(problem);
                continue;
            }
        };
        if !entry.file_type().is_file() || !has_text_extension(entry.path()) {
            continue;
        }
        let display = display_under(root, entry.path());
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(err) => {
                problems.push(match err.io_error() {
                    Some(io) => WalkProblem::io(display, io),
                    None => WalkProblem { error: FileError::new(display, err.to_string()), missing: false },
                });
                continue;
            }
        };
        // Symlinked files keep the link's display path but are identified by their target.
        // Folders are resolved once each: resolving every file costs a readlink per level.
        let canonical = if entry.path_is_symlink() {
            std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_path_buf())
        } else {
            let parent = entry.path().parent().unwrap_or(Path::new("/"));
            let dir = folders
                .entry(parent.to_path_buf())
                .or_insert_with(|| std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf()));
            dir.join(entry.file_name())
        };
        out.push(candidate(display, canonical, root.key(), &meta, false));
    }
}

fn candidate(
    display: String,
    canonical: PathBuf,
    root_key: String,
    meta: &std::fs::Metadata,
    named: bool,
) -> Candidate {
    let mtime_ns =
        meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_nanos() as u64).unwrap_or(0);
    Candidate { display, canonical, root_key, size: meta.len(), mtime_ns, named }
}

/// The display path of `path` found under `root`: the root as the user wrote it, then
/// the rest of the path with `/` separators.
fn display_under(root: &Root, path: &Path) -> String {
    match path.strip_prefix(&root.canonical) {
        Ok(rel) if rel.as_os_str().is_empty() => root.display.clone(),
        Ok(rel) => {
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if root.display == "." {
                rel
            } else {
                format!("{}/{}", root.display, rel)
            }
        }
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_normalized() {
        assert_eq!(normalize_display("./corpus/"), "corpus");
        assert_eq!(normalize_display("corpus"), "corpus");
        assert_eq!(normalize_display("./"), ".");
        assert_eq!(normalize_display("/abs/dir/"), "/abs/dir");
    }

    #[test]
    fn only_text_extensions_are_read() {
        for name in ["a.md", "b.TXT", "c.markdown", "d.text"] {
            assert!(has_text_extension(Path::new(name)), "{name}");
        }
        for name in ["a.pdf", "b", "c.md.bak"] {
            assert!(!has_text_extension(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn walks_text_files_and_skips_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "a").unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("c.pdf"), "c").unwrap();
        std::fs::write(dir.path().join(".git/d.md"), "d").unwrap();
        let root = Root { display: "notes".into(), canonical: std::fs::canonicalize(dir.path()).unwrap() };
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        walk(&root, &mut out, &mut problems);
        let names: Vec<&str> = out.iter().map(|c| c.display.as_str()).collect();
        assert_eq!(names, vec!["notes/b.txt", "notes/sub/a.md"]);
        assert!(problems.is_empty());
        assert!(out.iter().all(|c| !c.named && c.size == 1));
    }
}
