//! Standard input as a file of records: copied to a temporary file first, because the
//! CSV reader reads a row with a line break in it a second time, and named `-` in
//! every error, id and origin.

use crate::error::{Error, Result};
use std::path::Path;

/// What a user types for standard input.
pub const STDIN: &str = "-";

/// Standard input, read to its end into a temporary file that is removed when this
/// is dropped.
pub struct StdinCopy(tempfile::NamedTempFile);

impl StdinCopy {
    /// Reads standard input to its end. An error names `-`.
    pub fn new() -> Result<StdinCopy> {
        let file = tempfile::NamedTempFile::new().map_err(|e| Error::io(STDIN, e))?;
        // Noted at once, so that an interrupt while copying removes it too.
        crate::atomic::scratch(file.path(), true);
        let mut copy = StdinCopy(file);
        std::io::copy(&mut std::io::stdin().lock(), copy.0.as_file_mut()).map_err(|e| Error::io(STDIN, e))?;
        Ok(copy)
    }

    /// The copy, to read.
    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// A name made from the copy's path (`/tmp/.tmpXXXX:3`) as the user knows it (`-:3`);
    /// other names as they are.
    pub fn rename(&self, name: &str) -> String {
        let copy = self.path().display().to_string();
        match name.strip_prefix(copy.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with(':') => format!("{STDIN}{rest}"),
            _ => name.to_string(),
        }
    }

    /// An error about the copy as an error about `-`.
    pub fn rename_error(&self, e: Error) -> Error {
        e.with_path(self.path(), Path::new(STDIN))
    }
}

impl Drop for StdinCopy {
    fn drop(&mut self) {
        crate::atomic::scratch(self.path(), false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_copy_become_stdin_and_others_stay() {
        let copy = StdinCopy(tempfile::NamedTempFile::new().unwrap());
        let p = copy.path().display().to_string();
        assert_eq!(copy.rename(&p), "-");
        assert_eq!(copy.rename(&format!("{p}:12")), "-:12");
        assert_eq!(copy.rename(&format!("{p}x:12")), format!("{p}x:12"), "a longer name is another file");
        assert_eq!(copy.rename("article-7"), "article-7");
        let e = copy.rename_error(Error::parse(copy.path(), 3, "malformed JSON"));
        assert_eq!(e.to_string(), "-:3: malformed JSON");
        let other = copy.rename_error(Error::parse("a.jsonl", 3, "malformed JSON"));
        assert_eq!(other.to_string(), "a.jsonl:3: malformed JSON");
    }
}
