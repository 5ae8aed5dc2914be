//! One `fetch` at a time per database: an OS file lock beside the database, holding the pid and
//! start time of its owner. The OS releases it when the owner dies, however it dies, so a lock is
//! never stale.

use anyhow::Context as _;
use chrono::{DateTime, Local};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a waiting fetch looks at the lock again.
const POLL: Duration = Duration::from_millis(100);

/// Held for as long as the fetch runs; dropping it releases the lock.
pub struct FetchLock {
    _file: File,
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Take the lock of `database`, waiting up to `wait` for another fetch to finish.
pub fn acquire(database: &Path, wait: Duration) -> anyhow::Result<FetchLock> {
    let path = lock_path(database);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) if started.elapsed() < wait => std::thread::sleep(POLL),
            Err(TryLockError::WouldBlock) => {
                let mut owner = String::new();
                file.read_to_string(&mut owner).ok();
                anyhow::bail!(
                    "{} (waited {} s; the lock is {})",
                    busy_message(&owner),
                    wait.as_secs(),
                    path.display()
                );
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }
    let owner = format!("{} {}\n", std::process::id(), Local::now().to_rfc3339());
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(owner.as_bytes())?;
    file.flush()?;
    Ok(FetchLock { _file: file })
}

/// « another fetch (pid N) has held the lock since HH:MM »
fn busy_message(owner: &str) -> String {
    let mut parts = owner.split_whitespace();
    let pid = parts.next().unwrap_or("?");
    let since = parts
        .next()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Local).format("%H:%M").to_string())
        .unwrap_or_else(|| "an unknown time".into());
    format!("another fetch (pid {pid}) has held the lock since {since}")
}
