//! Finding the files to index: walking folders (skipping hidden ones), following symlinks
//! only where they stay inside the indexed roots (or everywhere with `--follow`, but never
//! into pseudo-filesystems), and naming each file as the user gave its root.

use crate::error::FileError;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashSet;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::UNIX_EPOCH;
use walkdir::WalkDir;

/// The file extensions nkdigi reads (compared case-insensitively).
pub const EXTENSIONS: [&str; 4] = ["txt", "md", "markdown", "text"];

/// A path the user asked to index: a folder to walk or a single file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    /// As the user wrote it (normalized: no `./` prefix, no trailing `/`; bytes that are
    /// not UTF-8 escaped as `\xNN`).
    pub display: String,
    /// Absolute, symlink-free path: the root's identity.
    #[serde(with = "path_bytes")]
    pub canonical: PathBuf,
}

impl Root {
    /// Resolves a user-given path. Fails when it does not exist.
    pub fn resolve(given: &Path) -> Result<Root, FileError> {
        let display = normalize_display(&path_text(given));
        let canonical =
            std::fs::canonicalize(given).map_err(|err| FileError::new(display.clone(), io_message(&err)))?;
        Ok(Root { display, canonical })
    }

    /// The key documents under this root are filed by.
    pub fn key(&self) -> String {
        path_text(&self.canonical)
    }

    /// Where the root's files fall among the display paths of other roots' files: a
    /// folder's files start with its path and a `/` (nothing, for `.`), a file is its path.
    /// Roots walked in this order yield their files in the order of their display paths
    /// (but for files under `.`, whose paths have no common start).
    fn order_key(&self) -> String {
        match (self.display.as_str(), self.canonical.is_dir()) {
            (".", true) => String::new(),
            (display, true) => format!("{display}/"),
            (display, false) => display.to_string(),
        }
    }
}

/// A path as text without losing anything: UTF-8 as it is, every other byte as `\xNN`.
/// Two names that differ only in such bytes stay two names.
pub fn path_text(path: &Path) -> String {
    let mut bytes = path.as_os_str().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                out.push_str(rest);
                return out;
            }
            Err(err) => {
                let (valid, rest) = bytes.split_at(err.valid_up_to());
                out.push_str(std::str::from_utf8(valid).expect("checked valid"));
                let bad = err.error_len().unwrap_or(rest.len());
                for b in &rest[..bad] {
                    out.push_str(&format!("\\x{b:02X}"));
                }
                bytes = &rest[bad..];
            }
        }
    }
}

/// The id of a document: a short hash of its canonical path's bytes.
pub fn document_id(canonical: &Path) -> String {
    blake3::hash(canonical.as_os_str().as_bytes()).to_hex()[..16].to_string()
}

/// A file found by the walk, with the stat facts that let unchanged files be skipped.
///
/// A walk may find hundreds of thousands of files (`index` holds a few batches of them
/// at a time, `check` all it was given): a file found under its root keeps only the
/// rest of its path, shared by its display and canonical paths, and its id inline; the
/// root and its key are shared by all its files, and the rare file with a place of its
/// own keeps it behind one pointer: 64 bytes a file and the rest of its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    id: DocId,
    root: Arc<WalkedRoot>,
    place: Place,
    pub size: u64,
    pub mtime_ns: u64,
    /// Named on the command line (as opposed to found by walking a folder).
    pub named: bool,
}

/// The number a document id's 16 hexadecimal digits write, if they do.
pub fn id_number(id: &str) -> Option<u64> {
    let digits = id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit());
    digits.then(|| u64::from_str_radix(id, 16).ok()).flatten()
}

/// A document id: 16 hexadecimal digits, held without an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct DocId([u8; 16]);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Under the root, where the display path is the root's then `/` and `rest`, and the
    /// canonical path the root's joined with `rest`.
    Under { rest: Box<str> },
    /// Anywhere else: through a symlink, a path that is not UTF-8, the root itself.
    Own(Box<OwnPlace>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OwnPlace {
    display: Box<str>,
    canonical: Box<Path>,
}

/// A root as the files found under it share it: the root and its key.
#[derive(Debug, PartialEq, Eq)]
pub struct WalkedRoot {
    root: Root,
    key: Box<str>,
}

impl WalkedRoot {
    pub fn new(root: &Root) -> Arc<WalkedRoot> {
        Arc::new(WalkedRoot { root: root.clone(), key: root.key().into() })
    }
}

impl Candidate {
    /// A file at `display` (as shown) and `canonical` (as read), found under `root`.
    pub fn new(
        display: String,
        canonical: PathBuf,
        walked: &Arc<WalkedRoot>,
        meta: &std::fs::Metadata,
        named: bool,
    ) -> Candidate {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let id = DocId(document_id(&canonical).as_bytes().try_into().expect("an id has 16 digits"));
        let root = &walked.root;
        let rest = canonical.strip_prefix(&root.canonical).ok().and_then(Path::to_str).filter(|rest| !rest.is_empty());
        let place = match rest {
            Some(rest) if display == shown_under(&root.display, rest) => Place::Under { rest: rest.into() },
            _ => Place::Own(Box::new(OwnPlace { display: display.into(), canonical: canonical.into() })),
        };
        Candidate { id, root: walked.clone(), place, size: meta.len(), mtime_ns, named }
    }

    /// The key of the root the file was found under.
    pub fn root_key(&self) -> &str {
        &self.root.key
    }

    pub fn id(&self) -> &str {
        std::str::from_utf8(&self.id.0).expect("hexadecimal digits")
    }

    /// The id as the number its digits write: eight bytes where a run keeps every id seen.
    pub fn id_number(&self) -> u64 {
        id_number(self.id()).expect("an id has 16 hexadecimal digits")
    }

    /// The path as the user sees it: under the root as they gave it.
    pub fn display(&self) -> Cow<'_, str> {
        match &self.place {
            Place::Under { rest } if self.root.root.display == "." => Cow::Borrowed(rest),
            Place::Under { rest } => Cow::Owned(shown_under(&self.root.root.display, rest)),
            Place::Own(own) => Cow::Borrowed(&own.display),
        }
    }

    /// The absolute, symlink-free path the file is read from.
    pub fn canonical(&self) -> Cow<'_, Path> {
        match &self.place {
            Place::Under { rest } => Cow::Owned(self.root.root.canonical.join(&**rest)),
            Place::Own(own) => Cow::Borrowed(&own.canonical),
        }
    }

    /// Orders by display path without building the paths of files under one root.
    pub fn cmp_display(&self, other: &Candidate) -> std::cmp::Ordering {
        match (&self.place, &other.place) {
            (Place::Under { rest: x }, Place::Under { rest: y }) if Arc::ptr_eq(&self.root, &other.root) => x.cmp(y),
            _ => self.display().cmp(&other.display()),
        }
    }
}

/// A problem met while walking. `missing` marks paths that no longer exist (as opposed to
/// paths that exist but cannot be read, whose indexed documents must be kept); a `warning`
/// is a path passed over on purpose, which does not fail the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    pub error: FileError,
    pub missing: bool,
    pub warning: bool,
}

impl WalkProblem {
    fn io(path: String, err: &std::io::Error) -> WalkProblem {
        WalkProblem {
            error: FileError::new(path, io_message(err)),
            missing: err.kind() == std::io::ErrorKind::NotFound,
            warning: false,
        }
    }

    fn warning(path: String, message: impl Into<String>) -> WalkProblem {
        WalkProblem { error: FileError::new(path, message), missing: false, warning: true }
    }
}

/// Where a walk may go, and when it must stop.
pub struct Scope<'a> {
    /// Canonical paths of every indexed root: symlinks into them are followed.
    pub roots: Vec<PathBuf>,
    /// Follow every symlink (still never into pseudo-filesystems).
    pub follow: bool,
    /// Set by Ctrl-C: the walk stops at the next entry.
    pub interrupted: &'a AtomicBool,
}

impl Scope<'_> {
    fn inside_roots(&self, target: &Path) -> bool {
        self.roots.iter().any(|root| target.starts_with(root))
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
    name.as_bytes().first() == Some(&b'.') && name != "." && name != ".."
}

pub fn io_message(err: &std::io::Error) -> String {
    crate::store::io_reason(err)
}

/// What a path that is neither a file nor a folder is, in words.
pub fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if file_type.is_char_device() || file_type.is_block_device() {
        Some("a device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

/// Kernel and device filesystems: never walked, whatever links point into them.
pub fn is_pseudo_filesystem(path: &Path) -> bool {
    if ["/proc", "/sys", "/dev"].iter().any(|p| path.starts_with(p)) {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        const PSEUDO: [i64; 14] = [
            0x9fa0,      // proc
            0x6265_6572, // sysfs
            0x1cd1,      // devpts
            0x0027_e0eb, // cgroup
            0x6367_7270, // cgroup2
            0x6462_6720, // debugfs
            0x7363_6673, // securityfs
            0x7472_6163, // tracefs
            0xcafe_4a11, // bpf
            0x6165_676c, // pstore
            0x6265_6570, // configfs
            0x6573_5543, // fusectl
            0x1980_0202, // mqueue
            0x4249_4e4d, // binfmt_misc
        ];
        let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return false };
        let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: a valid NUL-terminated path and a zeroed out-parameter of the right type.
        if unsafe { libc::statfs(c_path.as_ptr(), &mut stat) } == 0 {
            #[allow(clippy::unnecessary_cast)]
            return PSEUDO.contains(&(stat.f_type as i64));
        }
    }
    false
}

/// Walks `roots` one after another in the order of their files' paths, whatever the order
/// they were given in, and hands each file found to `out` once: a file found again
/// (through a link, or under a second root) keeps its first path, and a file given as a
/// root stays named when a folder's walk reaches it first. Gives the ids of the files
/// found, as numbers (8 bytes a file), which tell the indexed documents that are gone.
pub fn walk_all(
    roots: &[Root],
    scope: &Scope<'_>,
    out: &mut impl FnMut(Candidate),
    problems: &mut Vec<WalkProblem>,
) -> HashSet<u64> {
    let mut ordered: Vec<&Root> = roots.iter().collect();
    ordered.sort_by_cached_key(|root| root.order_key());
    let named: HashSet<u64> = roots
        .iter()
        .filter(|root| root.canonical.is_file())
        .filter_map(|root| id_number(&document_id(&root.canonical)))
        .collect();
    let mut seen = HashSet::new();
    for root in ordered {
        let mut take = |mut candidate: Candidate| {
            let id = candidate.id_number();
            if seen.insert(id) {
                candidate.named |= named.contains(&id);
                out(candidate);
            }
        };
        walk(root, scope, &mut take, problems);
    }
    seen
}

/// Walks `root`, handing the text files found to `out` in the order of their display paths
/// and appending the problems met to `problems`. A root that is a file yields itself
/// (whatever its extension: the user named it).
pub fn walk(root: &Root, scope: &Scope<'_>, out: &mut impl FnMut(Candidate), problems: &mut Vec<WalkProblem>) {
    let meta = match std::fs::metadata(&root.canonical) {
        Ok(meta) => meta,
        Err(err) => {
            problems.push(WalkProblem::io(root.display.clone(), &err));
            return;
        }
    };
    let shared = WalkedRoot::new(root);
    if meta.is_file() {
        out(Candidate::new(root.display.clone(), root.canonical.clone(), &shared, &meta, true));
        return;
    }
    if let Some(kind) = special_kind(meta.file_type()) {
        problems.push(WalkProblem {
            error: FileError::new(root.display.clone(), format!("{kind}, not a regular file")),
            missing: false,
            warning: false,
        });
        return;
    }
    if is_pseudo_filesystem(&root.canonical) {
        problems.push(WalkProblem::warning(root.display.clone(), "a kernel or device filesystem; not walked"));
        return;
    }
    let mut folders: std::collections::HashMap<PathBuf, PathBuf> = std::collections::HashMap::new();
    let walker =
        WalkDir::new(&root.canonical).follow_links(scope.follow).sort_by(in_display_order).into_iter().filter_entry(
            |entry| {
                let pseudo = scope.follow && entry.file_type().is_dir() && is_pseudo_filesystem(entry.path());
                entry.depth() == 0 || !(is_hidden(entry.file_name()) || pseudo)
            },
        );
    for entry in walker {
        if scope.interrupted.load(Ordering::Relaxed) {
            return;
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let at = err.path().map(|p| display_under(root, p)).unwrap_or_else(|| root.display.clone());
                let problem = if err.loop_ancestor().is_some() {
                    WalkProblem::warning(at, "symlink loop; not followed")
                } else if let Some(io) = err.io_error() {
                    WalkProblem::io(at, io)
                } else {
                    WalkProblem { error: FileError::new(at, err.to_string()), missing: false, warning: false }
                };
                problems.push(problem);
                continue;
            }
        };
        let display = display_under(root, entry.path());
        if entry.file_type().is_symlink() {
            // Only without --follow: a link is followed when its target is indexed anyway.
            link(&shared, scope, &entry, display, out, problems);
            continue;
        }
        if !entry.file_type().is_file() || !has_text_extension(entry.path()) {
            continue;
        }
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(err) => {
                problems.push(match err.io_error() {
                    Some(io) => WalkProblem::io(display, io),
                    None => {
                        WalkProblem { error: FileError::new(display, err.to_string()), missing: false, warning: false }
                    }
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
        out(Candidate::new(display, canonical, &shared, &meta, false));
    }
}

/// Orders the entries of a folder so that a depth-first walk meets files in the order of
/// their paths as strings: a folder sorts as its name and a `/` (so `a.md`, `a-b.md` and
/// `a b.md` come before the files in `a/`), a file as its name.
/// A name that is not UTF-8 sorts as it is shown (its other bytes as `\xNN`).
fn in_display_order(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    fn key(entry: &walkdir::DirEntry) -> (Cow<'_, str>, &'static str) {
        let name = entry.file_name();
        let shown = name.to_str().map_or_else(|| Cow::Owned(path_text(Path::new(name))), Cow::Borrowed);
        (shown, if entry.file_type().is_dir() { "/" } else { "" })
    }
    let ((a, a_slash), (b, b_slash)) = (key(a), key(b));
    a.bytes().chain(a_slash.bytes()).cmp(b.bytes().chain(b_slash.bytes()))
}

/// A symlink met by a walk that does not follow links: a file inside the indexed roots is
/// taken (as one document with its target); a folder inside them is indexed through its
/// root already; anything outside is passed over with a warning.
fn link(
    root: &Arc<WalkedRoot>,
    scope: &Scope<'_>,
    entry: &walkdir::DirEntry,
    display: String,
    out: &mut impl FnMut(Candidate),
    problems: &mut Vec<WalkProblem>,
) {
    let target = match std::fs::canonicalize(entry.path()) {
        Ok(target) => target,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            problems.push(WalkProblem {
                error: FileError::new(display, "symlink to nothing (its target does not exist)"),
                missing: true,
                warning: false,
            });
            return;
        }
        Err(err) => {
            problems.push(WalkProblem::io(display, &err));
            return;
        }
    };
    let meta = match std::fs::metadata(&target) {
        Ok(meta) => meta,
        Err(err) => {
            problems.push(WalkProblem::io(display, &err));
            return;
        }
    };
    if meta.is_dir() {
        if !scope.inside_roots(&target) {
            problems.push(WalkProblem::warning(
                display,
                "symlink to a folder outside the indexed roots; not followed (use --follow)",
            ));
        }
        return;
    }
    if !has_text_extension(entry.path()) {
        return;
    }
    if !meta.is_file() {
        let kind = special_kind(meta.file_type()).unwrap_or("not a file");
        problems.push(WalkProblem::warning(display, format!("symlink to {kind}; not read")));
    } else if !scope.inside_roots(&target) {
        problems.push(WalkProblem::warning(
            display,
            "symlink to a file outside the indexed roots; not followed (use --follow)",
        ));
    } else {
        out(Candidate::new(display, target, root, &meta, false));
    }
}

/// The display path of `path` found under `root`: the root as the user wrote it, then
/// the rest of the path with `/` separators.
fn display_under(root: &Root, path: &Path) -> String {
    match path.strip_prefix(&root.canonical) {
        Ok(rel) if rel.as_os_str().is_empty() => root.display.clone(),
        Ok(rel) => {
            let rel = rel.components().map(|c| path_text(Path::new(c.as_os_str()))).collect::<Vec<_>>().join("/");
            shown_under(&root.display, &rel)
        }
        Err(_) => path_text(path),
    }
}

/// The display path of `rest` under a root shown as `root`.
fn shown_under(root: &str, rest: &str) -> String {
    if root == "." {
        rest.to_string()
    } else {
        format!("{root}/{rest}")
    }
}

/// Serializes a path as a string when it is UTF-8, else as its bytes.
mod path_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::ffi::OsString;
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    use std::path::{Path, PathBuf};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Bytes(Vec<u8>),
    }

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        match path.to_str() {
            Some(text) => Repr::Text(text.to_string()),
            None => Repr::Bytes(path.as_os_str().as_bytes().to_vec()),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Ok(match Repr::deserialize(d)? {
            Repr::Text(text) => PathBuf::from(text),
            Repr::Bytes(bytes) => PathBuf::from(OsString::from_vec(bytes)),
        })
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
    fn an_interrupted_walk_stops() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..50 {
            std::fs::write(dir.path().join(format!("{i}.md")), "a").unwrap();
        }
        let root = Root { display: "n".into(), canonical: std::fs::canonicalize(dir.path()).unwrap() };
        let stop = AtomicBool::new(true);
        let scope = Scope { roots: vec![root.canonical.clone()], follow: false, interrupted: &stop };
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        walk(&root, &scope, &mut |c| out.push(c), &mut problems);
        assert!(out.is_empty() && problems.is_empty());
        stop.store(false, Ordering::Relaxed);
        walk(&root, &scope, &mut |c| out.push(c), &mut problems);
        assert_eq!(out.len(), 50);
    }

    #[test]
    fn roots_are_walked_in_the_order_of_their_files_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        for rel in ["n/a.md", "n/b/c.md", "n-b/d.md"] {
            std::fs::create_dir_all(base.join(rel).parent().unwrap()).unwrap();
            std::fs::write(base.join(rel), "x").unwrap();
        }
        let root = |rel: &str| Root { display: rel.into(), canonical: base.join(rel) };
        // Given inner before outer, and `n` before `n-b` (which comes first: `-` < `/`).
        let roots = [root("n/b/c.md"), root("n"), root("n/b"), root("n-b")];
        let stop = AtomicBool::new(false);
        let scope = Scope { roots: vec![base.clone()], follow: false, interrupted: &stop };
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        let ids = walk_all(&roots, &scope, &mut |c| out.push(c), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let shown: Vec<String> = out.iter().map(|c| c.display().into_owned()).collect();
        assert_eq!(shown, ["n-b/d.md", "n/a.md", "n/b/c.md"]);
        // The file given as a root is found first by the walk of `n`, and stays named.
        let named: Vec<bool> = out.iter().map(|c| c.named).collect();
        assert_eq!(named, [false, false, true]);
        assert_eq!(ids, out.iter().map(Candidate::id_number).collect::<HashSet<u64>>());
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn names_that_are_not_utf8_are_walked_in_the_order_they_are_shown() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        for name in [&b"a\xff.md"[..], b"ab.md", b"a.md"] {
            std::fs::write(base.join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
        }
        let root = Root { display: "n".into(), canonical: base.clone() };
        let stop = AtomicBool::new(false);
        let scope = Scope { roots: vec![base], follow: false, interrupted: &stop };
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        walk(&root, &scope, &mut |c| out.push(c), &mut problems);
        let shown: Vec<String> = out.iter().map(|c| c.display().into_owned()).collect();
        // `\` comes before `b`: the byte 0xFF, shown `\xFF`, sorts as shown.
        assert_eq!(shown, ["n/a.md", "n/a\\xFF.md", "n/ab.md"]);
    }

    #[test]
    fn path_text_keeps_every_byte() {
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(std::ffi::OsStr::from_bytes(b"notes/a\xff.md"));
        let b = Path::new(std::ffi::OsStr::from_bytes(b"notes/a\xfe.md"));
        assert_eq!(path_text(a), "notes/a\\xFF.md");
        assert_ne!(path_text(a), path_text(b));
        assert_ne!(document_id(a), document_id(b));
        assert_eq!(path_text(Path::new("notes/박민주.md")), "notes/박민주.md");
        // Ids of UTF-8 paths are what they were when paths were strings.
        assert_eq!(document_id(Path::new("/n/a.md")), blake3::hash(b"/n/a.md").to_hex()[..16].to_string());
    }

    #[test]
    fn candidates_under_a_root_keep_one_rest_and_give_both_paths() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(base.join("b")).unwrap();
        std::fs::create_dir_all(base.join("a")).unwrap();
        for name in ["a.md", "b/c.md", "b.md", "ab.md", "a b.md", "박민주.md", "a/x.md"] {
            std::fs::write(base.join(name), "x").unwrap();
        }
        std::os::unix::fs::symlink(base.join("a.md"), base.join("link.md")).unwrap();
        let stop = AtomicBool::new(false);
        for shown in ["notes", ".", "/abs/notes"] {
            let root = Root { display: shown.into(), canonical: base.clone() };
            let scope = Scope { roots: vec![base.clone()], follow: false, interrupted: &stop };
            let (mut out, mut problems) = (Vec::new(), Vec::new());
            walk(&root, &scope, &mut |c| out.push(c), &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(out.len(), 8);
            for c in &out {
                let rest = c.display().strip_prefix(&format!("{shown}/")).map(str::to_string);
                let rest = if shown == "." { c.display().into_owned() } else { rest.unwrap() };
                if rest == "link.md" {
                    // Through a symlink: shown as the link, read (and identified) as its target.
                    assert!(matches!(c.place, Place::Own { .. }));
                    assert_eq!(c.canonical(), base.join("a.md"));
                } else {
                    assert!(matches!(c.place, Place::Under { .. }), "{rest}");
                    assert_eq!(c.canonical(), base.join(&rest));
                }
                assert_eq!(c.id(), document_id(&c.canonical()));
                assert_eq!(c.root_key(), root.key(), "{rest}");
            }
            // Found in the order of their display paths (`a b.md`, `a.md`, then `a/x.md`),
            // which is also how they compare.
            let mut by_rest = out.clone();
            by_rest.sort_by(|a, b| a.cmp_display(b));
            let mut by_display = out.clone();
            by_display.sort_by_key(|c| c.display().into_owned());
            assert_eq!(by_rest, by_display);
            assert_eq!(out, by_display);
        }
        // The whole entry is small: `check` holds one for every file it is given.
        assert!(std::mem::size_of::<Candidate>() <= 64, "{}", std::mem::size_of::<Candidate>());
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
        let stop = AtomicBool::new(false);
        let scope = Scope { roots: vec![root.canonical.clone()], follow: false, interrupted: &stop };
        walk(&root, &scope, &mut |c| out.push(c), &mut problems);
        let names: Vec<String> = out.iter().map(|c| c.display().into_owned()).collect();
        assert_eq!(names, vec!["notes/b.txt", "notes/sub/a.md"]);
        assert!(problems.is_empty());
        assert!(out.iter().all(|c| !c.named && c.size == 1));
    }
}
