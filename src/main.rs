//! The `mimeo` binary: the command line over the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must never look like bad input: report it and exit with 2.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("mimeo: internal error: {info}");
        eprintln!("  hint: this is a bug in mimeo; please report it with the input that caused it");
    }));
    std::panic::catch_unwind(mimeo::cli::run).unwrap_or(ExitCode::from(mimeo::cli::EXIT_INTERNAL))
}
