//! What the integration tests share: one launcher for the binary, the `Sandbox` a test
//! runs in, the fixtures, the JSON shapes of spec.md, pseudo-terminal runs, and reading
//! what a run printed.
//!
//! Every run of the binary, from every test file, starts from `nkdigi(dir)` (or, for a
//! run through `script` or `setpriv`, from `scrub`): none of the caller's settings that
//! change what nkdigi does or prints get through, so results depend only on the fixtures.
#![allow(dead_code)] // each test crate uses its own part of this module

pub mod fixtures;
pub mod json;
pub mod pty;
pub mod sandbox;

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_nkdigi");

/// The caller's environment, scrubbed for a run of nkdigi in `dir` (directly, or through a
/// program that starts it): no NKDIGI_* settings, no shell-completion request, no
/// NO_COLOR, COLUMNS or LINES; `XDG_CONFIG_HOME` is `<dir>/xdg`, so a developer's own
/// config file is never read; `TERM=xterm-256color`. A test that wants NO_COLOR=1 (or
/// any of these) sets it on the command afterwards.
pub fn scrub<'a>(cmd: &'a mut std::process::Command, dir: &Path) -> &'a mut std::process::Command {
    for name in [
        "NKDIGI_INDEX",
        "NKDIGI_TAXONOMY",
        "NKDIGI_COLOR",
        "NKDIGI_PAGE_SIZE",
        "NKDIGI_CONFIG",
        "COMPLETE",
        "NO_COLOR",
        "COLUMNS",
        "LINES",
    ] {
        cmd.env_remove(name);
    }
    cmd.env("XDG_CONFIG_HOME", dir.join("xdg")).env("TERM", "xterm-256color")
}

/// The launcher: the binary, run in `dir`, with the caller's environment scrubbed.
pub fn nkdigi(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    scrub(&mut cmd, dir).current_dir(dir);
    cmd
}

/// A command that can be run to completion: std's and assert_cmd's.
pub trait Runnable {
    fn run(&mut self) -> Output;
}

impl Runnable for std::process::Command {
    fn run(&mut self) -> Output {
        self.output().expect("run nkdigi")
    }
}

impl Runnable for assert_cmd::Command {
    fn run(&mut self) -> Output {
        self.output().expect("run nkdigi")
    }
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(cmd: &mut impl Runnable) -> Run {
        let output = cmd.run();
        Run {
            code: output.status.code().expect("exited, not killed by a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    #[track_caller]
    pub fn code(self, expected: i32) -> Run {
        assert_eq!(self.code, expected, "exit code; stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        self.code(0)
    }

    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not the JSON expected: {e}\n{}", self.stdout))
    }

    #[track_caller]
    pub fn value(&self) -> Value {
        self.json()
    }

    /// Lines of stdout.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Lines of stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}
