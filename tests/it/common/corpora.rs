//! Where the third-party corpora are: the folder named by `VEILLE_CORPORA` (`.ci/run` sets it to
//! `../shared/corpora`). Without the variable a corpus test does not run and says so once, in one
//! line, so that a public clone passes its own test command; with it, a missing folder fails loudly.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Once;

/// The variable that names the corpora folder.
pub const VARIABLE: &str = "VEILLE_CORPORA";

/// The corpora folder, or `None` (after one line on stderr) when `VEILLE_CORPORA` is not set.
/// Panics when the variable names a folder that does not exist: CI must never skip them quietly.
pub fn corpora() -> Option<PathBuf> {
    let Some(value) = std::env::var_os(VARIABLE).filter(|v| !v.is_empty()) else {
        static SAID: Once = Once::new();
        SAID.call_once(|| {
            // Straight to the process's stderr: the test harness captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "note: the corpus tests did not run: set {VARIABLE} to the shared corpora folder \
                 (.ci/run sets it to ../shared/corpora)"
            );
        });
        return None;
    };
    let dir = PathBuf::from(value);
    assert!(
        dir.is_dir(),
        "{VARIABLE}={} is not a folder: the corpus tests need the shared corpora there",
        dir.display()
    );
    Some(dir)
}
