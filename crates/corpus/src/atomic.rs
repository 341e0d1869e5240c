//! Reading whole files, and writing files so that a crash never leaves a half-written one.

use crate::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files [`write_atomic`] has open, with their targets, so that an
/// interrupted process can remove them ([`remove_temporary_files`]).
static PENDING: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

/// Removes the temporary files of writes in progress, then calls `then` with their
/// targets (which keep their previous content) while still holding the registry: a
/// write waiting to rename its file, or to register a new one, waits until `then`
/// returns. For a signal handler, whose `then` ends the process: no write can then
/// rename after its file was removed, and no temporary file is left behind. A write
/// that is between creating its temporary file and registering it, or renaming it and
/// unregistering it, finishes that step first (both hold the same lock).
pub fn remove_temporary_files<R>(then: impl FnOnce(&[PathBuf]) -> R) -> R {
    for scratch in SCRATCH.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        let _ = std::fs::remove_file(scratch);
    }
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let targets: Vec<PathBuf> = pending
        .drain(..)
        .map(|(tmp, target)| {
            let _ = std::fs::remove_file(tmp);
            target
        })
        .collect();
    then(&targets)
}

/// Temporary files of the user's data that are no output (a copy of standard input):
/// [`remove_temporary_files`] removes them too, as an interrupted process never drops
/// them.
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Notes a scratch file for [`remove_temporary_files`], or forgets it (`keep` false)
/// once its owner has removed it.
pub(crate) fn scratch(path: &Path, keep: bool) {
    let mut files = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    files.retain(|p| p != path);
    if keep {
        files.push(path.to_path_buf());
    }
}

/// Forgets a temporary file that has been renamed or removed.
fn unregister(pending: &mut Vec<(PathBuf, PathBuf)>, tmp: &Path) {
    pending.retain(|(t, _)| t != tmp);
}

/// Reads a whole file.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(Error::input(path, "is a directory, not a file"));
    }
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// Refuses to write `output` where one of `inputs` is (compared after resolving links
/// and relative parts): the write would replace data the run reads. `what` names what
/// would be written (a model, the output).
pub fn check_not_an_input(output: &Path, inputs: &[PathBuf], what: &str) -> Result<()> {
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(()); // Not there yet, so no input.
    };
    if inputs.iter().any(|i| std::fs::canonicalize(i).is_ok_and(|i| i == out)) {
        return Err(Error::input(
            output,
            format!("is also an input: writing the {what} there would replace it; give another path"),
        ));
    }
    Ok(())
}

/// The names of [`write_atomic`]'s temporary files: `.classify-XXXXXX.tmp`, hidden, so
/// that walks of input directories pass over them.
const TEMPORARY_PREFIX: &str = ".classify-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Refuses to write `output` where it already is a file inside one of the directories
/// `inputs` names: a walk of that directory would read it as an input and the write
/// then replace it.
pub fn check_not_in_an_input_directory(output: &Path, inputs: &[PathBuf], what: &str) -> Result<()> {
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(()); // Not there yet: nothing of the user's is replaced.
    };
    for dir in inputs.iter().filter(|i| i.is_dir()) {
        if std::fs::canonicalize(dir).is_ok_and(|d| out.starts_with(d)) {
            return Err(Error::input(
                output,
                format!(
                    "is inside {}, an input directory: it would be read as an input and then replaced by the {what}; \
                     give a path outside it",
                    dir.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses, before any work is done, a path [`write_atomic`] could not write: a
/// directory, or a file in a directory that does not exist. Returns that directory.
pub fn check_output(path: &Path) -> Result<&Path> {
    if path.is_dir() {
        return Err(Error::input(path, "is a directory; give the path of a file to write"));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::input(
            path,
            format!("directory {} does not exist; create it first (mkdir -p {})", dir.display(), dir.display()),
        ));
    }
    Ok(dir)
}

/// Writes `path` atomically: `write` fills a temporary file in the same directory,
/// which is synced to disk and then renamed over `path`. If anything fails or the
/// process dies, `path` keeps its previous content (or stays absent).
///
/// A symbolic link is written through: the file it names is replaced and the link stays,
/// as when a shell writes through it. A pipe, a terminal or a device (a FIFO,
/// `/dev/null`), or a process's open file (`-o /dev/stdout`, a link into `/proc`), is
/// written to as it is, appending: it holds nothing to keep, or what it holds is the
/// caller's, and replacing it with a file would lose the reader.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let Some(target) = replaced_file(path) else {
        let file = std::fs::OpenOptions::new().append(true).open(path).map_err(|e| Error::io(path, e))?;
        let mut w = BufWriter::new(file);
        write(&mut w).map_err(|e| Error::io(path, e))?;
        return w.flush().map_err(|e| Error::io(path, e));
    };
    let dir = check_output(&target)?;
    let tmp = {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = tempfile::Builder::new()
            .prefix(TEMPORARY_PREFIX)
            .suffix(TEMPORARY_SUFFIX)
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        pending.push((tmp.path().to_path_buf(), path.to_path_buf()));
        tmp
    };
    let tmp_path = tmp.path().to_path_buf();
    let result = finish(path, &target, tmp, write);
    unregister(&mut PENDING.lock().unwrap_or_else(|e| e.into_inner()), &tmp_path);
    result
}

/// The file a write to `path` replaces: `path`, or the file a symbolic link there names
/// (which may not exist yet; links are followed at most 40 deep, as the kernel does).
/// None where nothing is to be replaced: a pipe, a device, a process's open file.
fn replaced_file(path: &Path) -> Option<PathBuf> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return None;
    }
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if p.starts_with("/proc") {
            return None;
        }
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&p) {
                Ok(to) => p = p.parent().unwrap_or(Path::new("")).join(to),
                Err(_) => break,
            },
            _ => break,
        }
    }
    Some(p)
}

/// Fills, syncs and renames the temporary file over `target` (`path`, or the file it
/// links to); dropping it on failure removes it. Errors name `path`.
fn finish(
    path: &Path,
    target: &Path,
    tmp: tempfile::NamedTempFile,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    {
        let mut w = BufWriter::new(tmp.as_file());
        write(&mut w).map_err(|e| Error::io(path, e))?;
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    // A temporary file is private (0600); the result gets the permissions of the file it
    // replaces, or the usual 0644 for a new one.
    let permissions = match std::fs::metadata(target) {
        Ok(m) => m.permissions(),
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::Permissions::from_mode(0o644)
        }
    };
    tmp.as_file().set_permissions(permissions).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // Renamed under the lock, so that an interrupt removes either the temporary file
    // before the rename or nothing after it.
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let tmp_path = tmp.path().to_path_buf();
    tmp.persist(target).map_err(|e| Error::io(path, e.error))?;
    unregister(&mut pending, &tmp_path);
    Ok(())
}
