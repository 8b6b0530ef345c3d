//! What the integration tests share: running the binary and reading what it printed.
#![allow(dead_code)] // each test crate uses its own part of this module

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::process::Output;

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
