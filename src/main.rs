//! The `nkdigi` binary: parse the command line, run the command, print, exit.

use nkdigi::error::{exit_code_of, ExitCode};
use std::process;

fn main() {
    nkdigi::memory::set_up_allocator();
    // A bug must still end in one line on stderr and exit code 2, never a backtrace dump.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        // On a terminal, the line may hold a progress bar: clear it first.
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprint!("\r\x1b[2K");
        }
        eprintln!("nkdigi: internal error: {message}{at}");
    }));
    // A shell asking for completions gets them, and nothing else runs.
    nkdigi::cli::complete_if_asked();
    let invocation = match nkdigi::cli::parse() {
        Ok(invocation) => invocation,
        Err(err) => {
            eprintln!("nkdigi: {err}");
            process::exit(err.exit_code().code() as i32);
        }
    };
    let code = match std::panic::catch_unwind(|| nkdigi::app::run(invocation)) {
        Err(_) => ExitCode::Error,
        Ok(result) => match result {
            Ok(code) => code,
            Err(err) => {
                if is_broken_pipe(&err) {
                    ExitCode::Success
                } else {
                    eprintln!("nkdigi: {err:#}");
                    exit_code_of(&err)
                }
            }
        },
    };
    process::exit(code.code() as i32);
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Tagging allocates many small strings on every thread and the writer frees them on
/// another: mimalloc's per-thread heaps and free lists keep that from contending.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
