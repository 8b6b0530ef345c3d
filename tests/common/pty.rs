//! Pseudo-terminal runs: util-linux `script -qfec LINE /dev/null` runs LINE (through
//! `/bin/sh`) with stdin, stdout and stderr on a pty and copies everything written to the
//! pty to its own stdout. `script` is started with stdin from /dev/null, so the pty starts
//! at 0x0; tests that care about the width set it with `stty rows 24 cols N` inside LINE
//! (a size with 0 rows counts as "unknown").

use super::{scrub, BIN};
use std::path::Path;
use std::process::Stdio;

/// One argument for /bin/sh, single-quoted.
pub fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// `<absolute nkdigi> ARGS…`, each quoted.
pub fn command_line(args: &[&str]) -> String {
    let mut line = quote(BIN);
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    line
}

/// What a pty showed (stdout and stderr both, unless the line redirects one) and the exit code.
#[derive(Debug)]
pub struct Pty {
    pub code: i32,
    /// The bytes written to the terminal, with the pty's `\r\n` turned back into `\n`.
    pub screen: String,
}

impl Pty {
    #[track_caller]
    pub fn code(self, expected: i32) -> Pty {
        assert_eq!(self.code, expected, "exit code; terminal showed:\n{}", self.screen);
        self
    }

    #[track_caller]
    pub fn ok(self) -> Pty {
        self.code(0)
    }
}

/// `script -qfec LINE /dev/null` in `dir`: LINE runs under `/bin/sh` with a pty as its
/// stdin, stdout and stderr; `-e` makes script exit with LINE's exit code. The environment
/// is the launcher's (`scrub`), which nkdigi inherits through script and the shell.
pub fn pty(dir: &Path, line: &str) -> Pty {
    let mut cmd = std::process::Command::new("script");
    scrub(&mut cmd, dir);
    let output = cmd
        .args(["-qfec", line, "/dev/null"])
        .current_dir(dir)
        .env("SHELL", "/bin/sh")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run util-linux `script` (is it installed?)");
    assert!(output.stderr.is_empty(), "script itself complained: {}", String::from_utf8_lossy(&output.stderr));
    Pty {
        code: output.status.code().expect("script exited, not killed"),
        screen: String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    }
}
