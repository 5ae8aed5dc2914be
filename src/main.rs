//! The `veille` binary: parse the command line, run, turn the outcome into a message and an
//! exit status (0 success, 1 runtime failure, 2 usage or configuration, 3 some source failed).

use clap::Parser;
use std::process::ExitCode;
use veille::app::{self, Outcome, UsageError};
use veille::cli::Cli;
use veille::config::ConfigError;

fn main() -> ExitCode {
    limit_malloc_arenas();
    // `COMPLETE=bash veille` prints the dynamic completion script; the shell then calls veille
    // back with the words typed, and this answers them (source and topic names, ids) and exits.
    clap_complete::CompleteEnv::with_factory(veille::app::shell::command).complete();
    let cli = Cli::parse();
    match app::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::SomeSourcesFailed) => ExitCode::from(3),
        Ok(Outcome::Interrupted(code)) => ExitCode::from(code),
        // A reader that stopped early (`veille search | head`) is not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let usage = error.is::<ConfigError>() || error.is::<UsageError>();
            if error.is::<ConfigError>() {
                eprintln!("{error}");
            } else {
                eprintln!("error: {error:#}");
            }
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// glibc gives each thread that allocates a malloc arena of its own (up to 8 a core), and an
/// arena keeps what was freed in it: a fetch's parsing threads made the process 40% larger
/// than its heap. Two arenas serve our few threads without contention worth measuring
/// (`cargo bench --bench fetch`: as fast, and 59 → 47 MiB peak).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets a tunable of the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
