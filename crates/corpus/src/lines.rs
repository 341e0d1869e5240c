//! Lines of a line-oriented file (JSONL, fastText, our label files), read as editors
//! count them: a line ends at `\n`, `\r\n` or a lone `\r` (old Mac files, and some
//! exports), and no line is read into memory past a limit.

use crate::error::{Error, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The longest line read: a longer one is an error, found without holding it all. A
/// record's text is at most [`crate::records::MAX_RECORD`] (4 MiB); its JSON, with
/// escapes and other fields, may be longer.
pub(crate) const MAX_LINE: usize = 16 << 20;

/// The next line of `r` into `buf` (cleared first, without its line end). Returns
/// `Ok(false)` at the end of input. A line longer than `limit` bytes is read to its end
/// but only its first `limit + 1` bytes are kept, so `buf.len() > limit` tells it.
pub(crate) fn next_line(r: &mut impl BufRead, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<bool> {
    buf.clear();
    let mut any = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any);
        }
        any = true;
        let end = memchr::memchr2(b'\n', b'\r', available);
        let take = end.unwrap_or(available.len());
        let room = (limit + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&available[..take.min(room)]);
        match end {
            None => {
                let n = available.len();
                r.consume(n);
            }
            Some(i) => {
                let cr = available[i] == b'\r';
                r.consume(i + 1);
                if cr {
                    // `\r\n` is one line end, even when a read falls between the two.
                    loop {
                        match r.fill_buf() {
                            Ok(next) => {
                                if next.first() == Some(&b'\n') {
                                    r.consume(1);
                                }
                                break;
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                            Err(e) => return Err(e),
                        }
                    }
                }
                return Ok(true);
            }
        }
    }
}

/// The lines of a file, numbered from 1, as UTF-8 text: a byte-order mark before the
/// first is dropped; a line that is not UTF-8, or longer than [`MAX_LINE`], is an error
/// naming the file and line, and ends the lines.
pub(crate) fn lines_of(path: &Path) -> Result<impl Iterator<Item = Result<(usize, String)>>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let owned = path.to_path_buf();
    let mut reader = BufReader::with_capacity(64 << 10, f);
    let mut n = 0;
    let mut done = false;
    Ok(std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut buf = Vec::new();
        n += 1;
        match next_line(&mut reader, &mut buf, MAX_LINE) {
            Ok(false) => None,
            Ok(true) => {
                if buf.len() > MAX_LINE {
                    done = true;
                    return Some(Err(Error::parse(
                        &owned,
                        n,
                        format!("a line of more than {} MiB; a record holds at most 4 MiB of text", MAX_LINE >> 20),
                    )));
                }
                if n == 1 && buf.starts_with("\u{feff}".as_bytes()) {
                    // A byte-order mark before the first line.
                    buf.drain(..3);
                }
                let utf16 = n == 1 && crate::decode::utf16_bom(&buf).is_some();
                let line = String::from_utf8(buf).map(|s| (n, s)).map_err(|_| {
                    let from = if utf16 { "UTF-16" } else { "WINDOWS-1252" };
                    Error::parse(&owned, n, format!("not valid UTF-8; convert the file with iconv -f {from} -t UTF-8"))
                });
                done = line.is_err();
                Some(line)
            }
            Err(e) => {
                done = true;
                Some(Err(Error::io(&owned, e)))
            }
        }
    }))
}

/// The start of a file: its first line that is neither blank nor a `#` comment,
/// decoded leniently and without a byte-order mark (what tells a file's format), and
/// whether a comment before it is a label file's directive (`# labels:` or
/// `# text-from:`).
pub(crate) struct Head {
    pub(crate) first: String,
    pub(crate) directive: bool,
}

pub(crate) fn head_of(path: &Path) -> Result<Head> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut r = BufReader::new(f);
    let mut buf = Vec::new();
    let mut at_start = true;
    let mut directive = false;
    // The first line's start is enough to tell a format.
    while next_line(&mut r, &mut buf, 1 << 20).map_err(|e| Error::io(path, e))? {
        if std::mem::take(&mut at_start) && buf.starts_with("\u{feff}".as_bytes()) {
            buf.drain(..3);
        }
        let s = String::from_utf8_lossy(&buf);
        if let Some(comment) = s.strip_prefix('#') {
            let c = comment.trim_start();
            directive |= c.starts_with("labels:") || c.starts_with("text-from:");
        } else if !s.trim().is_empty() {
            return Ok(Head { first: s.into_owned(), directive });
        }
    }
    Ok(Head { first: String::new(), directive })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8], capacity: usize, limit: usize) -> Vec<Vec<u8>> {
        let mut r = BufReader::with_capacity(capacity, bytes);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while next_line(&mut r, &mut buf, limit).unwrap() {
            out.push(buf.clone());
        }
        out
    }

    #[test]
    fn lf_crlf_and_lone_cr_each_end_a_line() {
        let text = b"one\ntwo\r\nthree\rfour\r\rsix";
        let want: Vec<&[u8]> = vec![b"one", b"two", b"three", b"four", b"", b"six"];
        // Every buffer size, so that a read falls between `\r` and `\n` somewhere.
        for capacity in 1..=text.len() {
            assert_eq!(lines(text, capacity, 100), want, "capacity {capacity}");
        }
        assert_eq!(lines(b"a\n", 4, 100), vec![b"a".to_vec()]);
        assert!(lines(b"", 4, 100).is_empty());
    }

    #[test]
    fn a_long_line_is_kept_only_to_the_limit_and_the_next_line_is_whole() {
        let got = lines(b"0123456789\nok\n", 3, 4);
        assert_eq!(got, vec![b"01234".to_vec(), b"ok".to_vec()]);
    }
}
