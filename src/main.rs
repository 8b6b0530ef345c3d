//! The `nkdigi` binary: parse the command line, run the command, print, exit.

use clap::Parser;
use nkdigi::cli::Opts;
use nkdigi::error::{exit_code_of, ExitCode};
use std::process;

fn main() {
    let opts = Opts::parse();
    let code = match nkdigi::app::run(opts) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                ExitCode::Success
            } else {
                eprintln!("nkdigi: {err:#}");
                exit_code_of(&err)
            }
        }
    };
    process::exit(code.code() as i32);
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
