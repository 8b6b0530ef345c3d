//! `Sandbox`: a fresh temp dir per test, with the index (when there is one) at `<dir>/ix`.

use super::json::{Document, IndexSummary, SearchJson};
use super::pty::{command_line, pty, Pty};
use super::{nkdigi, Run};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fresh temp dir; the index (when there is one) is `<dir>/ix`. Commands run with the
/// launcher's scrubbed environment, plus NO_COLOR=1 for a sandbox made with
/// `new_no_color` or `indexed_no_color` (what tests/cli.rs has always run with).
pub struct Sandbox {
    dir: TempDir,
    no_color: bool,
}

impl Sandbox {
    fn with(no_color: bool) -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("temp dir"), no_color }
    }

    /// `files` written and indexed with `index notes`, which must succeed.
    fn with_indexed(self, files: &[(&str, &str)]) -> Sandbox {
        self.write_all(files);
        self.run(&["index", "notes"]).ok();
        self
    }

    pub fn new() -> Sandbox {
        Sandbox::with(false)
    }

    /// A sandbox whose every command also has NO_COLOR=1.
    pub fn new_no_color() -> Sandbox {
        Sandbox::with(true)
    }

    /// A sandbox with `files` written and indexed (`index notes`, which must succeed).
    pub fn indexed(files: &[(&str, &str)]) -> Sandbox {
        Sandbox::new().with_indexed(files)
    }

    /// `indexed`, with NO_COLOR=1 on every command, the indexing run included.
    pub fn indexed_no_color(files: &[(&str, &str)]) -> Sandbox {
        Sandbox::new_no_color().with_indexed(files)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn index_dir(&self) -> PathBuf {
        self.path().join("ix")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write fixture");
    }

    pub fn write_all(&self, files: &[(&str, &str)]) {
        for (rel, text) in files {
            self.write(rel, text);
        }
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).expect("remove fixture");
    }

    /// `nkdigi ARGS…` in the sandbox, without `--index` (for tests about finding the index).
    pub fn nkdigi(&self) -> assert_cmd::Command {
        let mut cmd = nkdigi(self.path());
        if self.no_color {
            cmd.env("NO_COLOR", "1");
        }
        assert_cmd::Command::from_std(cmd)
    }

    /// `nkdigi --index <dir>/ix ARGS…` in the sandbox, through pipes.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.nkdigi();
        cmd.arg("--index").arg(self.index_dir()).args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(&mut self.cmd(args))
    }

    /// `search ARGS… --format paths`, successful, as a list.
    #[track_caller]
    pub fn paths(&self, args: &[&str]) -> Vec<String> {
        let mut all = args.to_vec();
        all.extend(["--format", "paths"]);
        self.run(&all).ok().lines().into_iter().map(str::to_string).collect()
    }

    /// `search ARGS… --format json`, successful, parsed.
    #[track_caller]
    pub fn search(&self, args: &[&str]) -> SearchJson {
        let mut all = vec!["search"];
        all.extend(args);
        all.extend(["--format", "json"]);
        self.run(&all).ok().json()
    }

    /// `index ARGS… --format json`, with the exit code expected.
    #[track_caller]
    pub fn index(&self, args: &[&str], code: i32) -> IndexSummary {
        let mut all = vec!["index"];
        all.extend(args);
        all.extend(["--format", "json"]);
        self.run(&all).code(code).json()
    }

    #[track_caller]
    pub fn show(&self, doc: &str) -> Document {
        self.run(&["show", doc, "--format", "json"]).ok().json()
    }

    /// `export` output, bytes as printed.
    pub fn export(&self) -> String {
        self.run(&["export"]).ok().stdout
    }

    pub fn exported_paths(&self) -> BTreeSet<String> {
        self.export()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("export line is JSON")["path"].as_str().unwrap().to_string()
            })
            .collect()
    }

    /// The command line `nkdigi --index <dir>/ix ARGS…`, shell-quoted, for `pty`.
    pub fn line(&self, args: &[&str]) -> String {
        let index = self.index_dir();
        let mut all = vec!["--index", index.to_str().expect("UTF-8 temp path")];
        all.extend(args);
        command_line(&all)
    }

    /// Runs a shell line on a pseudo-terminal in the sandbox (the launcher's scrubbed
    /// environment; NO_COLOR only if the line sets it).
    pub fn pty(&self, line: &str) -> Pty {
        pty(self.path(), line)
    }
}
