//! Reliability: bad input, crashes, interrupts, locks and corruption never lose or corrupt
//! anything. Each test runs the real binary in a fresh temporary folder,
//! through the shared launcher (tests/common), with NO_COLOR=1.

mod common;
use common::{nkdigi, scrub, BIN};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(dir: &Path, args: &[&str]) -> Output {
    nkdigi(dir).env("NO_COLOR", "1").args(args).output().expect("nkdigi runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[derive(Debug, Deserialize)]
struct Summary {
    added: usize,
    updated: usize,
    unchanged: usize,
    removed: usize,
    rejected: Vec<Problem>,
    skipped: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    path: String,
    line: Option<usize>,
    error: String,
}

fn index_json(dir: &Path, args: &[&str]) -> (i32, Summary, String) {
    let mut all = vec!["--index", "ix", "index", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    let summary: Summary = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("summary JSON: {e}\nstdout: {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), stderr(&out))
    });
    (code(&out), summary, stderr(&out))
}

#[derive(Debug, Deserialize, Clone)]
struct Exported {
    id: String,
    path: String,
    title: Option<String>,
    passages: Vec<serde_json::Value>,
}

fn export(dir: &Path) -> Vec<Exported> {
    let out = run(dir, &["--index", "ix", "export"]);
    assert_eq!(code(&out), 0, "export: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const NOTE: &str = "---\ntitle: Koryolink note\ndate: 2025-05\n---\nKoryolink counted seven million 4G subscribers, Martyn Williams said.\n";

// ---- 1. encodings ----

#[test]
fn every_supported_encoding_comes_out_as_the_same_hangul() {
    let dir = tempfile::tempdir().unwrap();
    let korean = "북한 스마트폰 보급\n\n통일교육원 연구에 따르면 휴대전화 가입자는 약 700만 명이다.\n";
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend_from_slice(korean.as_bytes());
    let mut utf16le = vec![0xFF, 0xFE];
    let mut utf16be = vec![0xFE, 0xFF];
    for unit in korean.encode_utf16() {
        utf16le.extend_from_slice(&unit.to_le_bytes());
        utf16be.extend_from_slice(&unit.to_be_bytes());
    }
    let (euc_kr, _, unmappable) = encoding_rs::EUC_KR.encode(korean);
    assert!(!unmappable);
    write(dir.path(), "n/utf8.txt", korean);
    write(dir.path(), "n/utf8-bom.txt", &utf8_bom);
    write(dir.path(), "n/utf16le.txt", &utf16le);
    write(dir.path(), "n/utf16be.txt", &utf16be);
    write(dir.path(), "n/euc-kr.txt", &*euc_kr);
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 5), "{err}");
    let docs = export(dir.path());
    assert_eq!(docs.len(), 5);
    for doc in &docs {
        assert_eq!(doc.title.as_deref(), Some("북한 스마트폰 보급"), "{}", doc.path);
        assert!(doc.passages[0]["text"].as_str().unwrap().contains("통일교육원"), "{}", doc.path);
    }
}

#[test]
fn undecodable_text_is_rejected_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/good.md", NOTE);
    // A UTF-8 BOM promises UTF-8; the bytes after it are not.
    write(dir.path(), "n/broken-utf8.txt", [0xEF, 0xBB, 0xBF, b'a', 0xC3, 0x28, b'b']);
    // A UTF-16 BOM followed by an unpaired surrogate.
    write(dir.path(), "n/broken-utf16.txt", [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]);
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!(rc, 1);
    assert_eq!(summary.added, 1);
    let rejected: BTreeSet<&str> = summary.rejected.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(rejected, BTreeSet::from(["n/broken-utf16.txt", "n/broken-utf8.txt"]));
    assert!(
        summary.rejected.iter().all(|r| r.error.contains("not decodable") || r.error.contains("not valid")),
        "{err}"
    );
    assert!(err.lines().any(|l| l.starts_with("nkdigi: n/broken-utf8.txt: ")), "{err}");
}

// ---- 2. binary files ----

#[test]
fn binary_files_are_skipped_when_walked_and_rejected_when_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/good.md", NOTE);
    write(dir.path(), "n/image.md", b"PK\x03\x04\x00\x00\x01binary");
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!(rc, 0, "a skipped binary file is a warning, not a failure: {err}");
    assert_eq!(summary.added, 1);
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].path, "n/image.md");
    assert!(err.contains("warning: n/image.md: binary"), "{err}");

    let (rc, summary, err) = index_json(dir.path(), &["n/image.md"]);
    assert_eq!(rc, 1);
    assert_eq!(summary.rejected.len(), 1, "{err}");
    assert!(summary.rejected[0].error.contains("binary"));

    // Named beside a folder that holds it (which the walk reaches first): still named.
    let (rc, summary, err) = index_json(dir.path(), &["n", "n/image.md"]);
    assert_eq!(rc, 1, "{err}");
    assert_eq!(summary.rejected.len(), 1, "{err}");
    assert_eq!(summary.rejected[0].path, "n/image.md");
    assert!(summary.skipped.is_empty(), "{err}");
}

// ---- 3. size cap ----

#[test]
fn files_over_the_size_cap_are_rejected_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/good.md", NOTE);
    write(dir.path(), "n/big.txt", "Koryolink 4G. ".repeat(100));
    let (rc, summary, _) = index_json(dir.path(), &["n", "--max-file-size", "1000"]);
    assert_eq!(rc, 1);
    assert_eq!(summary.added, 1);
    assert_eq!(summary.rejected[0].path, "n/big.txt");
    assert!(summary.rejected[0].error.contains("size limit"));
}

/// Peak resident memory of finished child processes, in bytes.
fn children_max_rss() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_40_mb_text_file_is_indexed_in_under_1_gib() {
    let dir = tempfile::tempdir().unwrap();
    let paragraph = "The mobile network grew as subscribers bought handsets in the markets of the provinces, \
                     and the operator extended coverage along the railway lines toward the northern border.\n\n";
    let body = paragraph.repeat(40 * 1024 * 1024 / paragraph.len());
    write(dir.path(), "n/huge.txt", &body);
    write(dir.path(), "n/good.md", NOTE);
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 2), "{err}");
    // RUSAGE_CHILDREN is the largest of all children this test process has waited for.
    let peak = children_max_rss();
    assert!(peak < 1024 * 1024 * 1024, "peak RSS {} MiB", peak / (1024 * 1024));
}

// ---- 4. front matter attacks ----

fn alias_bomb() -> String {
    let mut text =
        String::from("---\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for (prev, name) in ('a'..'i').zip('b'..='i') {
        text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
    }
    text.push_str("---\nbody\n");
    text
}

#[test]
fn hostile_front_matter_is_a_per_file_error_with_a_line_in_under_a_second() {
    let cases: Vec<(&str, String, usize)> = vec![
        ("alias-bomb.md", alias_bomb(), 2),
        ("deep.md", format!("---\ntitle: x\nlist: {}{}\n---\nbody\n", "[".repeat(20_000), "]".repeat(20_000)), 3),
        ("wrong-type.md", "---\ntitle: x\nspeakers: 42\n---\nbody\n".into(), 3),
        ("bad-date.md", "---\ntitle: x\ndate: 2025-02-30\n---\nbody\n".into(), 3),
        ("duplicate.md", "---\ntitle: x\ntitle: y\n---\nbody\n".into(), 3),
        ("multi-doc.md", "---\ntitle: x\n---\ntitle: y\n---\nbody\n".into(), 0),
        ("unclosed.md", "---\ntitle: x\nno end in sight\n".into(), 1),
    ];
    for (name, text, line) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "n/good.md", NOTE);
        write(dir.path(), &format!("n/{name}"), &text);
        let started = Instant::now();
        let (rc, summary, err) = index_json(dir.path(), &["n"]);
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(1), "{name} took {elapsed:?}");
        if name == "multi-doc.md" {
            // `---` closes the front matter; what follows is body text, not a second document.
            assert_eq!((rc, summary.added), (0, 2), "{name}: {err}");
            continue;
        }
        assert_eq!(rc, 1, "{name}: {err}");
        assert_eq!(summary.added, 1, "{name}: the good file is indexed");
        assert_eq!(summary.rejected.len(), 1, "{name}");
        assert_eq!(summary.rejected[0].line, Some(line), "{name}: {:?}", summary.rejected[0]);
        assert!(!err.contains("internal error"), "{name}: {err}");
        assert!(err.contains(&format!("nkdigi: n/{name}:{line}: ")), "{name}: {err}");
    }
}

#[test]
fn a_second_yaml_document_inside_the_fences_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/two.md", "---\ntitle: x\n...\n---\ntitle: y\n---\nbody\n");
    write(dir.path(), "n/explicit.md", "---\n--- \ntitle: y\n---\nbody\n");
    let (_, summary, _) = index_json(dir.path(), &["n"]);
    // `...` ends the front matter; `--- ` right after `---` is an empty front matter.
    assert_eq!(summary.rejected.len() + summary.added, 2);
}

// ---- 5. walking ----

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a/good.md", NOTE);
    write(dir.path(), "n/b/other.md", NOTE.replace("Koryolink note", "Second note"));
    std::os::unix::fs::symlink("..", dir.path().join("n/a/loop")).unwrap();
    // A link back into the indexed root leads to files indexed anyway: not followed.
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 2), "{err}");
    assert!(summary.rejected.is_empty(), "{:?}", summary.rejected);
    // Following every link, the loop is found, reported, and the walk goes on.
    let (rc, summary, err) = index_json(dir.path(), &["n", "--follow", "--full"]);
    assert_eq!((rc, summary.updated), (0, 2), "{err}");
    assert!(summary.skipped.iter().any(|r| r.path == "n/a/loop" && r.error.contains("loop")), "{:?}", summary.skipped);
}

#[cfg(unix)]
#[test]
fn a_file_reachable_by_two_paths_is_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/real/note.md", NOTE);
    std::os::unix::fs::symlink("real", dir.path().join("n/alias")).unwrap();
    std::os::unix::fs::symlink("real/note.md", dir.path().join("n/link.md")).unwrap();
    let (rc, summary, err) = index_json(dir.path(), &["n", "n/real/note.md"]);
    assert_eq!((rc, summary.added), (0, 1), "{err}");
    assert_eq!(export(dir.path()).len(), 1);
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(unix)]
#[test]
fn unreadable_and_dangling_entries_are_reported_and_the_rest_indexed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/good.md", NOTE);
    std::os::unix::fs::symlink("missing-target.md", dir.path().join("n/dangling.md")).unwrap();
    let secret = write(dir.path(), "n/locked/secret.md", NOTE);
    std::fs::set_permissions(secret.parent().unwrap(), std::fs::Permissions::from_mode(0o000)).unwrap();
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    std::fs::set_permissions(secret.parent().unwrap(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(rc, 1, "{err}");
    assert!(summary.rejected.iter().any(|r| r.path == "n/dangling.md"), "{:?}", summary.rejected);
    // Root reads every folder; elsewhere the locked folder is reported.
    if !is_root() {
        assert!(summary.rejected.iter().any(|r| r.path.starts_with("n/locked") && r.error.contains("permission")));
        assert_eq!(summary.added, 1);
    }
    assert!(export(dir.path()).iter().any(|d| d.path == "n/good.md"));
}

#[test]
fn a_file_gone_before_it_is_read_is_reported_and_removed_next_time() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    write(dir.path(), "n/b.md", NOTE.replace("Koryolink note", "B note"));
    let (rc, _, _) = index_json(dir.path(), &["n"]);
    assert_eq!(rc, 0);
    // A listed path that vanished: reported, and the rest of the list is indexed.
    write(dir.path(), "list.txt", "n/a.md\nn/vanished.md\nn/b.md\n");
    let (rc, summary, err) = index_json(dir.path(), &["--from-list", "list.txt"]);
    assert_eq!(rc, 1, "{err}");
    assert_eq!(summary.rejected[0].path, "n/vanished.md");
    assert_eq!(summary.unchanged, 2);
    std::fs::remove_file(dir.path().join("n/b.md")).unwrap();
    let (_, summary, _) = index_json(dir.path(), &[]);
    assert_eq!(summary.removed, 1);
}

// ---- 6. locking ----

#[test]
fn a_lock_file_left_behind_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    // What a killed writer leaves: the file exists, but no process holds the lock.
    std::fs::write(dir.path().join("ix/.tantivy-writer.lock"), b"").unwrap();
    write(dir.path(), "n/b.md", NOTE.replace("Koryolink note", "B note"));
    let started = Instant::now();
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(dir.path().join("ix/.tantivy-writer.lock").exists(), "lock files are never deleted");
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_writer_exits_75_within_a_second_naming_the_index() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    // Hold the writer lock the way a running writer does.
    let mut holder = Command::new("flock")
        .args(["--exclusive", "ix/.tantivy-writer.lock", "sleep", "30"])
        .current_dir(dir.path())
        .spawn()
        .expect("flock(1) is available");
    let lock = dir.path().join("ix/.tantivy-writer.lock");
    wait_until_locked(&lock);
    let started = Instant::now();
    let out = run(dir.path(), &["--index", "ix", "index", "n"]);
    let elapsed = started.elapsed();
    let search = run(dir.path(), &["--index", "ix", "search", "Koryolink"]);
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(code(&out), 75, "{}", stderr(&out));
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    assert!(stderr(&out).contains("ix") && stderr(&out).contains("locked"), "{}", stderr(&out));
    assert_eq!(code(&search), 0, "searches never take the writer lock");
}

/// Polls (without sleeping a fixed time) until another process holds `lock`.
#[cfg(target_os = "linux")]
fn wait_until_locked(lock: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let status = Command::new("flock").args(["--nonblock", "--exclusive"]).arg(lock).arg("true").status().unwrap();
        if !status.success() {
            return;
        }
        std::thread::yield_now();
    }
    panic!("the lock was never taken");
}

// ---- 7. crash safety ----

/// A deterministic corpus of `n` reports.
fn make_corpus(root: &Path, n: usize) {
    for i in 0..n {
        let topic = ["4G subscribers", "smartphone models", "crypto theft", "facial recognition"][i % 4];
        let text = format!(
            "---\ntitle: Report {i}\ndate: 20{:02}-0{}\n---\nReport {i} on {topic}. Martyn Williams said the figure grew by {i} percent.\n\n{}\n",
            15 + i % 10,
            1 + i % 9,
            "Analysts compared provincial markets, railway lines and border trade in some detail. ".repeat(20)
        );
        write(root, &format!("c/{:02}/r{i:04}.md", i / 100), text);
    }
}

#[test]
fn kill_9_at_20_moments_never_breaks_search_and_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    make_corpus(dir.path(), 400);
    // A clean run elsewhere: the reference document set and the duration to spread kills over.
    let clean = tempfile::tempdir().unwrap();
    make_corpus(clean.path(), 400);
    let started = Instant::now();
    assert_eq!(index_json(clean.path(), &["c"]).0, 0);
    let full = started.elapsed();
    let reference: BTreeSet<String> = export(clean.path()).into_iter().map(|d| d.path).collect();
    assert_eq!(reference.len(), 400);

    let kill_points = 24;
    for k in 0..kill_points {
        // Kill points spread over the whole run, the later ones past what earlier runs committed.
        let delay = full.mul_f64((k as f64 + 0.5) / kill_points as f64);
        let mut child = nkdigi(dir.path())
            .env("NO_COLOR", "1")
            .args(["--index", "ix", "index", "c", "--full"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + delay;
        while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
            std::thread::yield_now();
        }
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        if dir.path().join("ix/meta.json").exists() {
            let out = run(dir.path(), &["--index", "ix", "search", "Williams", "--format", "paths", "--limit", "1000"]);
            assert!(code(&out) == 0 || code(&out) == 1, "kill point {k}: search failed: {}", stderr(&out));
            let docs = export(dir.path());
            let unique: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
            assert_eq!(unique.len(), docs.len(), "kill point {k}: duplicates after a crash");
        }
    }
    let (rc, _, err) = index_json(dir.path(), &["c"]);
    assert_eq!(rc, 0, "{err}");
    let docs = export(dir.path());
    let paths: BTreeSet<String> = docs.iter().map(|d| d.path.clone()).collect();
    assert_eq!(docs.len(), paths.len(), "no duplicates");
    let ids: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), docs.len(), "one id per document");
    assert_eq!(paths, reference, "the final document set equals a clean run's");
}

// ---- 8. corruption ----

#[test]
fn a_corrupted_index_is_a_clean_error_and_rebuild_recovers() {
    for damage in ["garbage-meta", "truncated-segments"] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "n/a.md", NOTE);
        write(dir.path(), "n/b.md", NOTE.replace("Koryolink note", "B note"));
        assert_eq!(index_json(dir.path(), &["n"]).0, 0);
        let ix = dir.path().join("ix");
        match damage {
            "garbage-meta" => std::fs::write(ix.join("meta.json"), b"{ this is not json").unwrap(),
            _ => {
                for entry in std::fs::read_dir(&ix).unwrap() {
                    let path = entry.unwrap().path();
                    if matches!(path.extension().and_then(|e| e.to_str()), Some("store" | "term" | "idx" | "fast")) {
                        let len = std::fs::metadata(&path).unwrap().len();
                        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                        file.set_len(len / 2).unwrap();
                    }
                }
            }
        }
        for args in [vec!["search", "Koryolink"], vec!["export"], vec!["stats"], vec!["index", "n"]] {
            let mut all = vec!["--index", "ix"];
            all.extend(args.iter());
            let out = run(dir.path(), &all);
            assert_eq!(code(&out), 2, "{damage} {args:?}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains("--rebuild"), "{damage} {args:?}: the error gives a hint: {err}");
            assert!(!err.contains("internal error") && err.lines().count() == 1, "{damage} {args:?}: {err}");
        }
        let (rc, summary, err) = index_json(dir.path(), &["--rebuild"]);
        assert_eq!((rc, summary.added), (0, 2), "{damage}: {err}");
        let out = run(dir.path(), &["--index", "ix", "search", "Koryolink", "--format", "paths"]);
        assert_eq!(code(&out), 0, "{damage}: {}", stderr(&out));
        assert_eq!(export(dir.path()).len(), 2);
    }
}

#[test]
fn rebuild_of_a_healthy_index_starts_over_in_one_commit() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    write(dir.path(), "n/b.md", NOTE.replace("Koryolink note", "B note"));
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    let (rc, summary, _) = index_json(dir.path(), &["--rebuild"]);
    assert_eq!((rc, summary.added, summary.updated, summary.removed), (0, 2, 0, 0));
    assert_eq!(export(dir.path()).len(), 2);
}

// ---- 9. Ctrl-C ----

#[cfg(unix)]
#[test]
fn ctrl_c_stops_between_files_commits_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    make_corpus(dir.path(), 1500);
    let child = nkdigi(dir.path())
        .env("NO_COLOR", "1")
        .args(["--index", "ix", "index", "c"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the index exists, that is once the run is under way.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !dir.path().join("ix/meta.json").exists() && Instant::now() < deadline {
        std::thread::yield_now();
    }
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let rc = out.status.code();
    let docs = export(dir.path());
    let unique: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(unique.len(), docs.len());
    if rc == Some(130) {
        assert!(docs.len() < 1500, "an interrupted run stops early");
    } else {
        // The run finished before the signal arrived.
        assert_eq!(rc, Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(docs.len(), 1500);
    }
    let (rc, summary, _) = index_json(dir.path(), &["c"]);
    assert_eq!(rc, 0);
    assert_eq!(summary.added + summary.unchanged, 1500, "the next run completes the work");
    assert_eq!(export(dir.path()).len(), 1500);
    let _ = summary.updated + summary.removed;
}

// ---- second round: what an adversary found ----

/// A tmpfs mounted for one test and unmounted when dropped; `None` where mounting is not
/// allowed (not root, or a sandbox without mounts), and the test then says so and stops.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("cannot mount a tmpfs here: the mount part of this test is skipped");
        }
        ok.then(|| Mount(at.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount").args(["-o", &format!("remount,{options}")]).arg(&self.0).status().unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Runs nkdigi as the unprivileged user `nobody` (needs root and setpriv).
fn run_as_nobody(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("setpriv");
    scrub(&mut cmd, dir)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .expect("setpriv runs")
}

fn chmod_tree(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chmod_tree(&entry.unwrap().path(), mode);
        }
    }
}

#[test]
fn rebuild_never_touches_a_folder_nkdigi_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    // A user's project folder that happens to hold a meta.json of something else.
    write(dir.path(), "proj/thesis.txt", "chapter one");
    write(dir.path(), "proj/meta.json", "{\"version\": 3, \"authors\": [\"me\"]}");
    let out = run(dir.path(), &["--index", "proj", "search", "Koryolink"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not an nkdigi index"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--rebuild"), "no advice to rebuild what is not ours: {}", stderr(&out));
    let out = run(dir.path(), &["--index", "proj", "index", "--rebuild", "n"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("not an nkdigi index"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("proj/thesis.txt")).unwrap(), "chapter one");
    assert!(std::fs::read_to_string(dir.path().join("proj/meta.json")).unwrap().contains("authors"));
    let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(siblings.len(), 2, "nothing moved or made beside it: {siblings:?}");
    // A folder with other files in it is not made into an index either.
    write(dir.path(), "docs/readme.txt", "mine");
    let out = run(dir.path(), &["--index", "docs", "index", "n"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!dir.path().join("docs/meta.json").exists());
    assert_eq!(std::fs::read_dir(dir.path().join("docs")).unwrap().count(), 1);
}

#[test]
fn an_index_that_is_only_readable_answers_searches_and_index_names_the_cause() {
    if !is_root() {
        eprintln!("not root: cannot switch users, skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    // Another user's index: readable by all, writable by its owner only, no lock files yet.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(dir.path().join("ix").join(lock));
    }
    chmod_tree(dir.path(), 0o755);
    for args in [
        vec!["--index", "ix", "search", "Koryolink"],
        vec!["--index", "ix", "export"],
        vec!["--index", "ix", "stats"],
        vec!["--index", "ix", "show", "n/a.md"],
        vec!["--index", "ix", "entities"],
        vec!["--index", "ix", "verify"],
    ] {
        let out = run_as_nobody(dir.path(), &args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    }
    for args in [vec!["--index", "ix", "index", "n"], vec!["--index", "ix", "index", "--rebuild"]] {
        let out = run_as_nobody(dir.path(), &args);
        assert_eq!(code(&out), 2, "{args:?}: not 75, which cron would retry forever: {}", stderr(&out));
        assert!(stderr(&out).contains("permission denied"), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("--rebuild"), "{args:?}: {}", stderr(&out));
    }
    assert!(dir.path().join("ix/meta.json").exists(), "the index stays where it is");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "nothing moved beside it");
}

#[test]
fn a_read_only_mount_is_searchable_and_index_says_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(&dir.path().join("ro"), "16m") else { return };
    write(dir.path(), "n/a.md", NOTE);
    let out = run(dir.path(), &["--index", "ro/ix", "index", "n", "-q"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(dir.path().join("ro/ix").join(lock));
    }
    mount.remount("ro");
    let out = run(dir.path(), &["--index", "ro/ix", "search", "Koryolink", "--format", "paths"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "n/a.md");
    let out = run(dir.path(), &["--index", "ro/ix", "index", "n"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("read-only file system"), "{}", stderr(&out));
}

/// Segment ids (32 hex digits) named by files in an index folder, and those meta.json names.
fn segment_ids(ix: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let on_disk = std::fs::read_dir(ix)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|name| name.split_once('.').map(|(id, _)| id.to_string()))
        .filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(ix.join("meta.json")).unwrap()).unwrap();
    let live = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    (on_disk, live)
}

#[test]
fn a_full_disk_fails_cleanly_and_the_next_run_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(&dir.path().join("small"), "600k") else { return };
    write(dir.path(), "n/a.md", NOTE);
    let out = run(dir.path(), &["--index", "small/ix", "index", "n", "-q"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Three megabytes of distinct words: an index far larger than the space left.
    let mut words = String::new();
    let mut x: u64 = 7;
    for _ in 0..300_000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let len = 3 + (x >> 60) as usize % 8;
        words.extend((0..len).map(|i| (b'a' + ((x >> (i * 5)) % 26) as u8) as char));
        words.push(' ');
    }
    write(dir.path(), "n/big.txt", &words);
    let out = run(dir.path(), &["--index", "small/ix", "index", "n"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no space left on device"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--rebuild"), "{}", stderr(&out));
    let (on_disk, live) = segment_ids(&dir.path().join("small/ix"));
    assert_eq!(on_disk, live, "the segment files of the failed run are gone");
    let out = run(dir.path(), &["--index", "small/ix", "search", "Koryolink", "--format", "paths"]);
    assert_eq!(code(&out), 0, "the last commit still answers: {}", stderr(&out));
    mount.remount("size=64m");
    let out = run(dir.path(), &["--index", "small/ix", "index", "n", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["documents"], 2);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_roots_are_not_followed_and_special_files_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    std::os::unix::fs::symlink("/", dir.path().join("n/everything")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("n/zero.md")).unwrap();
    std::os::unix::fs::symlink("/proc", dir.path().join("n/proc")).unwrap();
    let started = Instant::now();
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    for (link, what) in [("n/everything", "not followed"), ("n/proc", "not followed"), ("n/zero.md", "device")] {
        assert!(
            summary.skipped.iter().any(|s| s.path == link && s.error.contains(what)),
            "{link}: {:?}",
            summary.skipped
        );
    }
    // Following every link still never walks a kernel filesystem or reads a device.
    std::fs::remove_file(dir.path().join("n/everything")).unwrap();
    let started = Instant::now();
    let (rc, summary, err) = index_json(dir.path(), &["n", "--follow"]);
    assert_eq!((rc, summary.added + summary.unchanged), (0, 1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(export(dir.path()).len(), 1);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_named_on_the_command_line_are_rejected_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    let fifo = dir.path().join("n/pipe.md");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // Walking the folder passes the FIFO by.
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 1), "{err}");
    let started = Instant::now();
    let (rc, summary, err) = index_json(dir.path(), &["n/pipe.md", "/dev/zero"]);
    assert_eq!(rc, 1, "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        summary.rejected.iter().any(|r| r.path == "n/pipe.md" && r.error.contains("named pipe")),
        "{:?}",
        summary.rejected
    );
    assert!(
        summary.rejected.iter().any(|r| r.path == "/dev/zero" && r.error.contains("device")),
        "{:?}",
        summary.rejected
    );
    let out = run(dir.path(), &["check", "n/pipe.md"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn pathological_inputs_cost_what_their_size_does() {
    let dir = tempfile::tempdir().unwrap();
    // 10,000 distinct people who each said something, in one file.
    let surnames = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"];
    let given = ["Min", "Ji", "Seo", "Hyun", "Eun", "Soo", "Jae", "Young", "Sung", "Hee"];
    let second = ["ho", "jin", "woo", "min", "ah", "bin", "rim", "kyu", "sik", "yeon"];
    let mut said = String::new();
    let mut speakers = String::from("---\ntitle: Many speakers\nspeakers:\n");
    let mut n = 0;
    'outer: for s in surnames {
        for g in given {
            for t in second {
                for w in ["Anna", "Brian", "Clara", "David", "Elena", "Frank", "Grace", "Henry", "Irene", "James"] {
                    said.push_str(&format!("{w} {s} {g}{t} said the mobile network grew.\n\n"));
                    if n < 3000 {
                        // Under the 64 KiB front matter cap: 1,000 names, each thrice.
                        speakers.push_str(&format!("  - {s} {g}-{t}\n"));
                    }
                    n += 1;
                    if n == 10_000 {
                        break 'outer;
                    }
                }
            }
        }
    }
    speakers.push_str("---\nSmartphones were discussed.\n");
    write(dir.path(), "said/many.txt", &said);
    write(dir.path(), "fm/speakers.md", &speakers);
    // One paragraph of a megabyte of attributions.
    let attribution = "Martyn Williams of the Stimson Center said the 4G network grew, and Park Min-ju noted \
                       that Kim Chaek University of Technology uses AI. ";
    write(dir.path(), "para/one.txt", attribution.repeat(1_000_000 / attribution.len()));
    for folder in ["said", "fm", "para"] {
        let started = Instant::now();
        let out = run(dir.path(), &["--index", &format!("ix-{folder}"), "index", folder, "-q"]);
        assert_eq!(code(&out), 0, "{folder}: {}", stderr(&out));
        // Before: 154 s, 9.6 s and 17 s in a release build; linear now, even unoptimized.
        assert!(started.elapsed() < Duration::from_secs(60), "{folder}: {:?}", started.elapsed());
    }
    let started = Instant::now();
    let out = run(dir.path(), &["--index", "ix-said", "entities", "--suggest", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(20), "suggest: {:?}", started.elapsed());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["entities"].as_array().unwrap().len() >= 9_000, "the speakers were found");
    // Limits past the index's size are clamped, not allocated.
    let out = run(
        dir.path(),
        &["--index", "ix-said", "search", "network", "--limit", "4294967296", "--offset", "4294967296"],
    );
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    let out =
        run(dir.path(), &["--index", "ix-said", "search", "network", "--limit", "4294967296", "--format", "paths"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    // A query nested 10,000 parentheses deep is refused in words.
    let deep = format!("{}network{}", "(".repeat(10_000), ")".repeat(10_000));
    let out = run(dir.path(), &["--index", "ix-said", "search", &deep]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nest deeper"), "{}", stderr(&out));
}

#[test]
fn passage_results_from_one_huge_document_stay_small() {
    let dir = tempfile::tempdir().unwrap();
    let para = "The 4G network of Koryolink grew as Martyn Williams said, while handsets spread through markets.";
    write(dir.path(), "n/huge.txt", vec![para; 8_000_000 / para.len()].join("\n\n"));
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    let out =
        run(dir.path(), &["--index", "ix", "search", "Koryolink", "--passages", "--limit", "100", "--format", "jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 100);
    // Before: every hit carried a copy of the whole document (6.3 GB for 40 MB).
    let peak = children_max_rss();
    assert!(peak < 1024 * 1024 * 1024, "peak RSS {} MiB", peak / (1024 * 1024));
}

#[test]
fn two_rebuilds_of_a_damaged_index_do_not_undo_each_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    std::fs::write(dir.path().join("ix/meta.json"), b"{ damaged").unwrap();
    // Another rebuild holds the writer lock.
    let mut holder = Command::new("flock")
        .args(["--exclusive", "ix/.tantivy-writer.lock", "sleep", "30"])
        .current_dir(dir.path())
        .spawn()
        .expect("flock(1) is available");
    wait_until_locked(&dir.path().join("ix/.tantivy-writer.lock"));
    let out = run(dir.path(), &["--index", "ix", "index", "--rebuild"]);
    holder.kill().unwrap();
    let _ = holder.wait();
    assert_eq!(code(&out), 75, "{}", stderr(&out));
    assert!(!dir.path().join("ix.rebuild").exists());
    assert_eq!(std::fs::read(dir.path().join("ix/meta.json")).unwrap(), b"{ damaged");
    let (rc, summary, err) = index_json(dir.path(), &["--rebuild", "--wait", "30"]);
    assert_eq!((rc, summary.added), (0, 1), "{err}");
}

#[test]
fn stray_bytes_names_and_lists_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    // A Korean UTF-8 note with one stray byte stays UTF-8, and says so.
    let mut bytes = "북한의 이동통신 가입자는 늘었다. Koryolink said so.\n".as_bytes().to_vec();
    bytes.insert(10, 0xFF);
    write(dir.path(), "n/korean.txt", &bytes);
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!((rc, summary.added), (0, 1), "{err}");
    assert!(
        summary.skipped.iter().any(|s| s.path == "n/korean.txt" && s.error.contains("replaced")),
        "{:?}",
        summary.skipped
    );
    let doc = &export(dir.path())[0];
    assert!(doc.passages[0].to_string().contains("이동통신 가입자는"), "{:?}", doc.passages);
    // Two names that differ only in bytes that are not UTF-8 are two documents.
    let raw = dir.path().join("raw");
    std::fs::create_dir_all(&raw).unwrap();
    for name in [&b"a\xff.md"[..], &b"a\xfe.md"[..]] {
        std::fs::write(raw.join(std::ffi::OsStr::from_bytes(name)), NOTE).unwrap();
    }
    let (rc, summary, err) = index_json(dir.path(), &["raw"]);
    assert_eq!((rc, summary.added), (0, 2), "{err}");
    let paths: BTreeSet<String> = export(dir.path()).into_iter().map(|d| d.path).collect();
    assert!(paths.contains("raw/a\\xFF.md") && paths.contains("raw/a\\xFE.md"), "{paths:?}");
    // The same names through `find -print0 | nkdigi index --from-list - -0`.
    let mut child = nkdigi(dir.path())
        .env("NO_COLOR", "1")
        .args(["--index", "ix2", "index", "--from-list", "-", "-0", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"raw/a\xff.md\0raw/a\xfe.md\0").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["added"], 2);
    // A file name with a newline is one line in a message.
    write(dir.path(), "odd/bad\nname.md", b"\x00\x01binary");
    let out = run(dir.path(), &["--index", "ix3", "index", "odd"]);
    let err = stderr(&out);
    let line = err.lines().find(|l| l.contains("binary")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("odd/bad\\nname.md"), "{err}");
}

#[test]
fn the_small_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/nested-dup.md", "---\ntitle: x\nreview:\n  by: a\n  by: b\n---\nText.\n");
    write(dir.path(), "n/empty-speaker.md", "---\ntitle: y\nspeakers:\n  - \"\"\n---\nText.\n");
    let mut bom_nul = vec![0xEF, 0xBB, 0xBF];
    bom_nul.extend_from_slice(b"\x00\x00\x00binary after a BOM");
    write(dir.path(), "n/bom-nul.txt", &bom_nul);
    write(dir.path(), "n/custom-topic.md", "---\ntitle: Harvest\ntopics: [agriculture]\n---\nThe harvest was good.\n");
    let (rc, summary, err) = index_json(dir.path(), &["n"]);
    assert_eq!(rc, 1, "{err}");
    let rejected = |path: &str, what: &str| summary.rejected.iter().any(|r| r.path == path && r.error.contains(what));
    assert!(rejected("n/nested-dup.md", "duplicate"), "{:?}", summary.rejected);
    assert!(rejected("n/empty-speaker.md", "empty name"), "{:?}", summary.rejected);
    assert!(summary.rejected.iter().all(|r| r.line.is_some()), "{:?}", summary.rejected);
    assert!(
        summary.skipped.iter().any(|s| s.path == "n/bom-nul.txt" && s.error.contains("binary")),
        "{:?}",
        summary.skipped
    );
    assert_eq!(summary.added, 1);
    // A topic that only front matter gives is found by --topic, as stats counts it.
    let out = run(dir.path(), &["--index", "ix", "stats", "--by", "topic", "--format", "json"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("agriculture"));
    let out = run(dir.path(), &["--index", "ix", "search", "--topic", "agriculture", "--format", "paths"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "n/custom-topic.md");
    let out = run(dir.path(), &["--index", "ix", "search", "--topic", "agricultur"]);
    assert_eq!(code(&out), 2, "an unknown id is still an error: {}", stderr(&out));
}

#[test]
fn verify_finds_a_flipped_bit() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n/a.md", NOTE);
    write(dir.path(), "n/b.md", NOTE.replace("Koryolink note", "B note"));
    assert_eq!(index_json(dir.path(), &["n"]).0, 0);
    let out = run(dir.path(), &["--index", "ix", "verify"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sound"));
    let store = std::fs::read_dir(dir.path().join("ix"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut bytes = std::fs::read(&store).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&store, bytes).unwrap();
    let out = run(dir.path(), &["--index", "ix", "verify", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].as_array().unwrap();
    let name = store.file_name().unwrap().to_string_lossy().into_owned();
    assert!(problems.iter().any(|p| p.as_str().unwrap().contains(&name)), "{problems:?}");
}
