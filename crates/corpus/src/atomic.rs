//! Reading whole files, and writing files so that a crash never leaves a half-written one.

use crate::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Reads a whole file.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(Error::input(path, "is a directory, not a file"));
    }
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// Writes `path` atomically: `write` fills a temporary file in the same directory,
/// which is synced to disk and then renamed over `path`. If anything fails or the
/// process dies, `path` keeps its previous content (or stays absent).
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    if path.is_dir() {
        return Err(Error::input(path, "is a directory; give a file path, such as models/topics.model"));
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
    let tmp =
        tempfile::Builder::new().prefix(".classify-").suffix(".tmp").tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    {
        let mut w = BufWriter::new(tmp.as_file());
        write(&mut w).map_err(|e| Error::io(path, e))?;
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    // A temporary file is private (0600); the result gets the permissions of the file it
    // replaces, or the usual 0644 for a new one.
    let permissions = match std::fs::metadata(path) {
        Ok(m) => m.permissions(),
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::Permissions::from_mode(0o644)
        }
    };
    tmp.as_file().set_permissions(permissions).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
