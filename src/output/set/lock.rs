//! The lock on `--out`: one run at a time, held for the whole run and released by
//! the operating system when the process ends, however it ends.
//!
//! The lock is `flock` (through std's [`File::try_lock`]) on `--out/.upgrade-recon.lock`.
//! A pid file would outlive a killed run and block every later one until someone
//! deleted it; a kernel lock belongs to the open file and dies with the process.
//! The holder writes its pid and start time into the file so that a contender can
//! name it. A contender changes nothing: it opens the existing file without
//! creating or truncating it, fails to lock it and reads who holds it.
//!
//! The lock file stays in a folder that holds reports — removing it would let a run
//! that opened the old file and one that created a new one each hold "the" lock.
//! The one exception is a folder that did not exist when the run started and that
//! it leaves holding nothing but the lock file (a failed first run): the run removes
//! the lock file while it still holds the lock, then the empty folders it found
//! missing. That is safe because every run, after locking, checks that the path
//! still names the file it locked, and starts over when it does not (the usual
//! protocol for removable lock files); and a folder is removed only when empty.
//! The holder also empties the file before it lets go, so that only a killed run
//! leaves its name behind.
//!
//! Accepted race: when two runs start in the same instant on a `--out` that does
//! not exist yet, the one that created it loses the lock, and the winner then fails,
//! the folder stays, holding only the lock file — the loser exits 75 while the lock
//! is held and cannot remove it, and the winner cannot tell it from a folder an
//! operator made. The next run simply uses it.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, SecondsFormat};

/// The lock file's name in `--out`.
pub const LOCK_FILE: &str = ".upgrade-recon.lock";

/// How often locking starts over because the lock file was removed between opening
/// and locking it. Each removal needs a failed run to finish in that instant.
const ATTEMPTS: usize = 8;

/// Bytes of the lock file read to name its holder; it holds two short lines.
const HOLDER_BYTES: u64 = 256;

/// Reads of a lock file that names no holder yet: its holder writes it right after
/// locking, so a contender that comes in that instant looks again, for at most
/// `HOLDER_READS` milliseconds, before it says "pid unknown".
const HOLDER_READS: u32 = 20;

/// The exclusive lock on an output folder, held until dropped.
#[derive(Debug)]
pub struct OutLock {
    out: PathBuf,
    /// Declared before `created`: the lock is released before the folders go.
    file: File,
    created: CreatedFolders,
}

/// Why the lock on `--out` was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(transparent)]
    Held(#[from] HeldBy),
    /// `--out` or its lock file could not be created, opened or locked.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Another run holds the lock on `out`: who, as far as its lock file tells.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: locked by another upgrade-recon run ({}); nothing written", out.display(), self.holder())]
pub struct HeldBy {
    pub out: PathBuf,
    pub pid: Option<u32>,
    pub started: Option<DateTime<FixedOffset>>,
}

impl HeldBy {
    fn holder(&self) -> String {
        match (self.pid, self.started) {
            (Some(pid), Some(started)) => format!(
                "pid {pid}, started {}",
                started.to_rfc3339_opts(SecondsFormat::Secs, false)
            ),
            (Some(pid), None) => format!("pid {pid}"),
            (None, _) => "pid unknown".to_owned(),
        }
    }
}

impl OutLock {
    /// Takes the lock on `out`, creating the folder (and missing parents) when it
    /// does not exist; fails at once with [`LockError::Held`] when another process
    /// holds it.
    pub fn acquire(out: &Path) -> Result<OutLock, LockError> {
        // `--out ""` means the current folder, as it does to `create_dir_all`.
        let out = if out.as_os_str().is_empty() {
            Path::new(".")
        } else {
            out
        };
        let lock_path = out.join(LOCK_FILE);
        let io_error = |path: &Path| {
            let path = path.to_owned();
            move |source| LockError::Io { path, source }
        };
        // Folders created by any attempt; removed again (when empty) on failure.
        let mut created = CreatedFolders(Vec::new());
        for _ in 0..ATTEMPTS {
            match create_missing_folders(out, &mut created) {
                Ok(()) => {}
                // A failed first run removed a parent after we saw it: start over.
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(io_error(out)(error)),
            }
            // Without truncation: opening an existing lock file changes nothing.
            let file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_path)
            {
                Ok(file) => file,
                // A failed first run removed the folder after we saw it: start over.
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(io_error(&lock_path)(error)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Held(read_holder(&file, out)));
                }
                Err(TryLockError::Error(error)) => return Err(io_error(&lock_path)(error)),
            }
            if !still_linked(&file, &lock_path).map_err(io_error(&lock_path))? {
                continue;
            }
            let lock = OutLock {
                out: out.to_owned(),
                file,
                created,
            };
            lock.write_holder().map_err(io_error(&lock_path))?;
            return Ok(lock);
        }
        Err(io_error(&lock_path)(io::Error::other(format!(
            "the lock file was removed while locking it, {ATTEMPTS} times"
        ))))
    }

    /// The locked output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Names this process as the holder: `pid N` and `started <RFC 3339>` lines.
    fn write_holder(&self) -> io::Result<()> {
        let started = chrono::Local::now().to_rfc3339_opts(SecondsFormat::Secs, false);
        let text = format!("pid {}\nstarted {started}\n", std::process::id());
        let mut file = &self.file;
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(text.as_bytes())
    }
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Emptied while still held: the next holder's name is then the only one a
        // contender can read (only a killed run leaves its name behind).
        let _ = self.file.set_len(0);
        // A folder this run created and leaves holding nothing but the lock file
        // (the run failed) goes again. The file is removed while the lock is held;
        // a run that opened it before locks the removed file, sees that, and starts
        // over (see `still_linked`). Anything else in the folder keeps it.
        if self.created.0.is_empty() || !holds_only_lock_file(&self.out) {
            return;
        }
        // Should this fail, the folder stays (not empty) — nothing worse.
        let _ = fs::remove_file(self.out.join(LOCK_FILE));
    }
}

/// Folders created to hold the lock (by this run, or by another that started at the
/// same moment), outermost first. Dropping removes the empty ones, innermost first,
/// stopping at the first that is not empty.
#[derive(Debug)]
struct CreatedFolders(Vec<PathBuf>);

impl Drop for CreatedFolders {
    fn drop(&mut self) {
        for folder in self.0.iter().rev() {
            // remove_dir removes only an empty folder: one another run uses stays.
            if fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// Creates `out` and its missing parents one by one, recording each as created —
/// also one another run created at the same moment: it did not exist when this run
/// started, and is removed only when empty.
fn create_missing_folders(out: &Path, created: &mut CreatedFolders) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut folder = out;
    loop {
        match fs::metadata(folder) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                missing.push(folder);
                match folder.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => folder = parent,
                    _ => break,
                }
            }
            Err(error) => return Err(error),
        }
    }
    for folder in missing.into_iter().rev() {
        match fs::create_dir(folder) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && folder.is_dir() => {}
            Err(error) => return Err(error),
        }
        if !created.0.iter().any(|known| known == folder) {
            created.0.push(folder.to_owned());
        }
    }
    Ok(())
}

/// Whether `lock_path` still names the file we locked: a failed first run may
/// have removed it (and its folder) after we opened it.
fn still_linked(file: &File, lock_path: &Path) -> io::Result<bool> {
    match fs::metadata(lock_path) {
        Ok(named) => Ok(same_file(&file.metadata()?, &named)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Elsewhere an open file cannot be removed, so the path always names it.
#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

fn holds_only_lock_file(out: &Path) -> bool {
    let Ok(entries) = fs::read_dir(out) else {
        return false;
    };
    for entry in entries {
        match entry {
            Ok(entry) if entry.file_name() == LOCK_FILE => {}
            _ => return false,
        }
    }
    true
}

/// The holder named in a lock file (read through the contender's own handle).
fn read_holder(mut file: &File, out: &Path) -> HeldBy {
    let mut held = HeldBy {
        out: out.to_owned(),
        pid: None,
        started: None,
    };
    for read in 0..HOLDER_READS {
        if read > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let mut bytes = Vec::new();
        let text = match file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.take(HOLDER_BYTES).read_to_end(&mut bytes))
        {
            Ok(_) => std::str::from_utf8(&bytes).unwrap_or_default(),
            Err(_) => "",
        };
        (held.pid, held.started) = parse_holder(text);
        if held.pid.is_some() {
            break;
        }
    }
    held
}

/// `pid N` and `started <RFC 3339>` lines; anything else is not known.
pub(super) fn parse_holder(text: &str) -> (Option<u32>, Option<DateTime<FixedOffset>>) {
    let mut pid = None;
    let mut started = None;
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("pid", value)) => pid = value.parse().ok(),
            Some(("started", value)) => started = DateTime::parse_from_rfc3339(value).ok(),
            _ => {}
        }
    }
    (pid, started)
}
