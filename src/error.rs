//! Error types shared by the library, and the process exit codes they map to.

use std::fmt;
use std::path::PathBuf;

/// The exit codes of the `nkdigi` process (see the README's "Exit codes").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Success; `search` found something.
    Success = 0,
    /// `search` found nothing; `index` rejected some files (the rest is committed).
    Partial = 1,
    /// Usage error, bad query, missing index, fatal error.
    Error = 2,
    /// Interrupted by Ctrl-C (128 + SIGINT).
    Interrupted = 130,
    /// Another process holds the index writer lock.
    Locked = 75,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A problem with one input file. Reported as `nkdigi: PATH[:LINE]: message`; the run goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl FileError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FileError { path: path.into(), line: None, message: message.into() }
    }

    pub fn at_line(path: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        FileError { path: path.into(), line: Some(line), message: message.into() }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", printable(&self.path), line, self.message),
            None => write!(f, "{}: {}", printable(&self.path), self.message),
        }
    }
}

/// A path (or any name) fit for a one-line message: control characters such as a newline
/// in a file name are written as escapes (`\n`, `\t`, `\u{1b}`), so one problem stays one line.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\n' => "\\n".to_string(),
                '\r' => "\\r".to_string(),
                '\t' => "\\t".to_string(),
                c if c.is_control() => c.escape_unicode().to_string(),
                c => c.to_string(),
            })
            .collect(),
    )
}

impl std::error::Error for FileError {}

/// Failures that end a command. Each maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no index here; create one with `nkdigi index PATH` (or point --index / NKDIGI_INDEX at an existing one)")]
    NoIndex { path: PathBuf },
    #[error("{path}: the index is locked by another nkdigi writer; retry later or use --wait SECS")]
    Locked { path: PathBuf },
    #[error("{path}: the index cannot be read ({reason}); run `nkdigi index --rebuild` to start over from its roots")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path}: not an nkdigi index (no {marker} in it); nkdigi leaves this folder alone: point --index at another folder")]
    NotAnIndex { path: PathBuf, marker: &'static str },
    #[error("{path}: the index was written by an older nkdigi; run `nkdigi index --rebuild` to re-index its roots")]
    Outdated { path: PathBuf },
    /// An operating-system failure with a known cause: permission denied, read-only file
    /// system, no space left on device. Never a reason to rebuild.
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("bad query: {0}")]
    BadQuery(String),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    File(#[from] FileError),
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Locked { .. } => ExitCode::Locked,
            Error::Interrupted => ExitCode::Interrupted,
            _ => ExitCode::Error,
        }
    }
}

/// The exit code for any error that reached the top of the program.
pub fn exit_code_of(err: &anyhow::Error) -> ExitCode {
    err.chain().find_map(|cause| cause.downcast_ref::<Error>()).map(Error::exit_code).unwrap_or(ExitCode::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_documented_numbers() {
        assert_eq!(ExitCode::Success.code(), 0);
        assert_eq!(ExitCode::Partial.code(), 1);
        assert_eq!(ExitCode::Error.code(), 2);
        assert_eq!(ExitCode::Locked.code(), 75);
        assert_eq!(ExitCode::Interrupted.code(), 130);
    }

    #[test]
    fn errors_deep_in_a_chain_keep_their_exit_code() {
        let err = anyhow::Error::new(Error::Locked { path: "x".into() }).context("while indexing");
        assert_eq!(exit_code_of(&err), ExitCode::Locked);
        let plain = anyhow::anyhow!("something else");
        assert_eq!(exit_code_of(&plain), ExitCode::Error);
    }

    #[test]
    fn control_characters_in_names_are_escaped_in_messages() {
        let err = FileError::new("notes/a\nb\x1b.md", "binary file");
        assert_eq!(err.to_string(), "notes/a\\nb\\u{1b}.md: binary file");
        assert_eq!(printable("plain/path.md"), "plain/path.md");
    }

    #[test]
    fn file_errors_name_path_and_line() {
        assert_eq!(FileError::at_line("a.md", 3, "bad date").to_string(), "a.md:3: bad date");
        assert_eq!(FileError::new("a.md", "binary file").to_string(), "a.md: binary file");
    }
}
