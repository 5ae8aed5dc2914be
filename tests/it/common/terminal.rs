//! Runs `veille` on a pseudo-terminal (util-linux `script`), for what only a terminal shows: the
//! progress bar of `fetch`, tables cut to the terminal's width. Same clean environment as `veille`.

use super::{Run, Workspace, COMMAND_TIMEOUT};
use std::process::{Command, Stdio};

/// The width of the pseudo-terminal, in columns.
pub const COLUMNS: usize = 80;

/// Quotes `arg` for `sh -c`.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', "'\\''"))
}

/// `veille --config <ws>/feeds.toml <args>` with stdout and stderr on one pseudo-terminal of
/// [`COLUMNS`] columns; `Run::stdout` holds everything the terminal received.
pub fn run_on_terminal(ws: &Workspace, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("veille");
    let mut line = format!(
        "stty cols {COLUMNS} rows 24; exec {} --config {}",
        quote(&bin.to_string_lossy()),
        quote(&ws.config_path().to_string_lossy())
    );
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    let timeout = format!("{}", COMMAND_TIMEOUT.as_secs());
    let output = Command::new("timeout")
        .args([&timeout, "script", "-qefc", &line, "/dev/null"])
        .current_dir(ws.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_CONFIG_HOME", ws.path().join("xdg/config"))
        .env("XDG_DATA_HOME", ws.path().join("xdg/data"))
        .env("XDG_CACHE_HOME", ws.path().join("xdg/cache"))
        .env("HOME", ws.path())
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .expect("run `script` (util-linux) to give veille a terminal");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
