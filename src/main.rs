//! The `nkdigi` binary: parse the command line, run the command, print, exit.

use clap::Parser;
use nkdigi::cli::Opts;
use nkdigi::error::{exit_code_of, ExitCode};
use std::process;

fn main() {
    // A bug must still end in one line on stderr and exit code 2, never a backtrace dump.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("nkdigi: internal error: {message}{at}");
    }));
    let opts = Opts::try_parse().unwrap_or_else(|err| usage_error(err));
    let code = match std::panic::catch_unwind(|| nkdigi::app::run(opts)) {
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

/// A command line clap cannot read ends as every other error does: `nkdigi: <what>` on one
/// line (with a pointer to `--help`), exit 2. Help and version go to stdout as usual.
fn usage_error(err: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        err.exit();
    }
    // Everything clap says before its usage block, on one line.
    let rendered = err.render().to_string();
    let what: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .map(|l| l.trim().trim_start_matches("error: "))
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect();
    eprintln!("nkdigi: {} (see nkdigi --help)", what.join(" "));
    process::exit(ExitCode::Error.code() as i32);
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
