//! Articles to label: files, directories (recursively, in name order) and stdin.

use crate::decode::decode_text;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One article source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input, given as `-`.
    Stdin,
}

impl Input {
    /// Its path: the file's, or `-`.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) => p,
            Input::Stdin => Path::new(crate::STDIN),
        }
    }

    /// How the article is named in output: its path, or `-`.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
        }
    }
}

/// An input that could not be labelled, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file or directory.
    pub name: String,
    /// Why, in a few words.
    pub reason: String,
}

/// An article's text.
#[derive(Debug)]
pub struct Article {
    /// Its name in output.
    pub name: String,
    /// The decoded text.
    pub text: String,
    /// Set when the text needed a fallback decoding.
    pub warning: Option<String>,
}

/// Expands the paths given on the command line into inputs, in order: a file as it is,
/// a directory as every file under it (recursively, sorted by name, following
/// symbolic links; a link back to an ancestor is reported as a loop), `-` as stdin.
/// Paths that cannot be walked come out as skipped. An input reached twice (a file named
/// and also found in a named directory, a file behind two links, `-` twice) comes out
/// once, where it is first reached. Lazy: directories are walked as the caller goes, so
/// memory grows with the number of files only by a set of their identities.
pub fn walk(paths: &[PathBuf]) -> impl Iterator<Item = Result<Input, Skipped>> + '_ {
    let mut seen = HashSet::new();
    expand(paths).filter(move |item| match item {
        Ok(input) => seen.insert(input_key(input.path())),
        Err(_) => true,
    })
}

/// What tells one input from another, so that one named or reached twice is read once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InputKey {
    /// Standard input, `-`.
    Stdin,
    /// A file by its device and inode: a link, a hard link, `./a` and `a` are one file.
    Inode(u64, u64),
    /// Where there is no inode (or the file cannot be read): the resolved path, else the
    /// path as given.
    Path(PathBuf),
}

/// The [`InputKey`] of a path given on the command line or found by a walk.
pub fn input_key(path: &Path) -> InputKey {
    if path == Path::new(crate::STDIN) {
        return InputKey::Stdin;
    }
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return InputKey::Inode(m.dev(), m.ino());
    }
    InputKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn expand(paths: &[PathBuf]) -> impl Iterator<Item = Result<Input, Skipped>> + '_ {
    paths.iter().flat_map(|path| -> Box<dyn Iterator<Item = Result<Input, Skipped>>> {
        if path.as_os_str() == "-" {
            return Box::new(std::iter::once(Ok(Input::Stdin)));
        }
        match std::fs::metadata(path) {
            Err(e) => {
                Box::new(std::iter::once(Err(Skipped { name: path.display().to_string(), reason: io_reason(&e) })))
            }
            Ok(m) if m.is_dir() => {
                let entries = walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name().into_iter();
                Box::new(entries.filter_entry(|e| !hidden(e)).filter_map(move |entry| match entry {
                    Ok(e) if e.file_type().is_file() => Some(Ok(Input::File(e.into_path()))),
                    Ok(_) => None,
                    Err(e) => {
                        let name = e.path().unwrap_or(path).display().to_string();
                        let reason = match (e.loop_ancestor(), e.io_error()) {
                            (Some(_), _) => "symbolic link loop, skipped".to_string(),
                            (_, Some(io)) => io_reason(io),
                            _ => e.to_string(),
                        };
                        Some(Err(Skipped { name, reason }))
                    }
                }))
            }
            Ok(_) => Box::new(std::iter::once(Ok(Input::File(path.clone())))),
        }
    })
}

/// Whether a walked entry below the walk's root is hidden (its name starts with `.`:
/// .git, .DS_Store, and our own temporary files, `.classify-*.tmp`, of an output being
/// written). Walks pass over them, as rg and fd do; a hidden file named on the command
/// line is read.
pub(crate) fn hidden(e: &walkdir::DirEntry) -> bool {
    e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied, skipped".into(),
        _ => format!("{e}, skipped"),
    }
}

/// Articles up to this size are read whole; larger ones (and longer stdin) are
/// streamed block by block, so memory stays flat whatever the input size.
pub const WHOLE_LIMIT: usize = 4 << 20;
/// Longest block a stream hands out; a longer run without a blank line is cut after the
/// last closing HTML block tag, else the last sentence end, else white space, before
/// this size.
pub const MAX_BLOCK: usize = 64 << 10;
const READ_SIZE: usize = 1 << 16;

/// An article, read whole or as a stream of blocks.
pub enum Opened {
    /// Read whole (up to [`WHOLE_LIMIT`]).
    Whole(Article),
    /// Too large to read whole.
    Stream(BlockStream),
}

/// Opens an article: reads it whole if it is small, else returns a stream of its
/// blank-line-separated blocks.
///
/// Decoding policy: whole articles as [`crate::decode_text`]. A stream is UTF-8 if its
/// first 4 MiB are valid UTF-8 (a later invalid byte becomes U+FFFD, with a warning),
/// else in the charset the page declares in its first 1,024 bytes, else Windows-1252.
/// UTF-16 over 4 MiB is refused with the advice to convert it.
pub fn open_article(input: &Input) -> Result<Opened, Skipped> {
    let name = input.name();
    let skip = |e: std::io::Error| Skipped { name: name.clone(), reason: io_reason(&e) };
    let mut reader: Box<dyn Read + Send> = match input {
        Input::File(p) => Box::new(std::fs::File::open(p).map_err(skip)?),
        Input::Stdin => Box::new(std::io::stdin()),
    };
    let mut head = Vec::new();
    (&mut reader).take(WHOLE_LIMIT as u64 + 1).read_to_end(&mut head).map_err(skip)?;
    if head.len() <= WHOLE_LIMIT {
        let decoded = decode_text(head).map_err(|reason| Skipped { name: name.clone(), reason })?;
        return Ok(Opened::Whole(Article { name, text: decoded.text, warning: decoded.warning }));
    }
    if crate::decode::utf16_bom(&head).is_some() {
        let reason = "UTF-16 text over 4 MiB is not streamed; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)";
        return Err(Skipped { name, reason: reason.into() });
    }
    if let Some(reason) = crate::decode::sniff_binary(&head) {
        return Err(Skipped { name, reason });
    }
    let declared = crate::decode::declared_charset(&head).filter(|&e| e != encoding_rs::UTF_8);
    // A head of plain ASCII (a large inline image, say) says nothing against the
    // charset the page declares.
    // A UTF-8 byte-order mark says UTF-8, whatever follows; it is no part of the text.
    let bom = head.starts_with(crate::decode::UTF8_BOM);
    if bom {
        head.drain(..crate::decode::UTF8_BOM.len());
    }
    let utf8 = bom
        || match std::str::from_utf8(&head) {
            Ok(_) => !(head.is_ascii() && declared.is_some()),
            Err(e) => e.error_len().is_none(),
        };
    let encoding = declared.unwrap_or(encoding_rs::WINDOWS_1252);
    let mut stream = BlockStream {
        name,
        reader,
        pending: head,
        text: String::new(),
        pos: 0,
        scan: 0,
        line: 1,
        eof: false,
        decoder: (!utf8).then(|| encoding.new_decoder_without_bom_handling()),
        warning: None,
    };
    if !utf8 {
        stream.warning = Some(match declared {
            Some(e) => format!("not valid UTF-8; decoded as {}, the charset the page declares", e.name()),
            None => "not valid UTF-8; decoded as Windows-1252 (Latin-1)".into(),
        });
    }
    stream.decode_pending();
    Ok(Opened::Stream(stream))
}

/// Blocks of a large article, each with the line it starts on.
pub struct BlockStream {
    name: String,
    reader: Box<dyn Read + Send>,
    /// Bytes read but not yet decoded (an incomplete UTF-8 sequence at most, after decoding).
    pending: Vec<u8>,
    /// Decoded text; `text[pos..]` is not yet handed out.
    text: String,
    pos: usize,
    /// Where in `text` the search for a blank line resumes.
    scan: usize,
    /// Line number of the start of `text`.
    line: usize,
    eof: bool,
    /// The decoder of a stream that is not UTF-8.
    decoder: Option<encoding_rs::Decoder>,
    warning: Option<String>,
}

impl BlockStream {
    /// The article's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A decoding warning, once known (it may appear while streaming).
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    fn decode_pending(&mut self) {
        if let Some(decoder) = &mut self.decoder {
            // A character cut by a read is kept in the decoder until the next.
            let mut src: &[u8] = &self.pending;
            loop {
                self.text.reserve(decoder.max_utf8_buffer_length(src.len()).unwrap_or(src.len() * 3 + 16));
                let (result, read, _) = decoder.decode_to_string(src, &mut self.text, self.eof);
                src = &src[read..];
                if result == encoding_rs::CoderResult::InputEmpty {
                    break;
                }
            }
            self.pending.clear();
            return;
        }
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.text.push_str(s);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    self.text.push_str(std::str::from_utf8(good).expect("valid prefix"));
                    match e.error_len() {
                        Some(n) => {
                            self.text.push('\u{fffd}');
                            self.warning.get_or_insert_with(|| crate::decode::INVALID_UTF8.into());
                            rest = &bad[n..];
                        }
                        None if self.eof => {
                            self.text.push('\u{fffd}');
                            rest = &[];
                            break;
                        }
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
    }

    /// The end of the first blank line in `text` at or after `scan`, if any. A line
    /// ends at `\n`, `\r\n` or a lone `\r`; a `\r` at the end of the text read so far
    /// waits for the next read, which may bring its `\n`.
    fn find_blank_line(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        // The end of the line end at `at`, or `None` when it cannot be told yet.
        let line_end = |at: usize| -> Option<usize> {
            match bytes[at] {
                b'\r' if at + 1 == len => None,
                b'\r' if bytes[at + 1] == b'\n' => Some(at + 2),
                _ => Some(at + 1),
            }
        };
        let mut i = self.scan.max(self.pos);
        while let Some(nl) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let first = i + nl;
            let Some(mut j) = line_end(first) else {
                self.scan = first;
                return None;
            };
            while j < len && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            if j >= len {
                self.scan = first;
                return None;
            }
            if matches!(bytes[j], b'\n' | b'\r') {
                let end = line_end(j);
                if end.is_none() {
                    self.scan = first;
                }
                return end;
            }
            i = first + 1;
        }
        self.scan = len;
        None
    }

    fn take(&mut self, end: usize) -> (String, usize) {
        let block = self.text[self.pos..end].to_string();
        self.pos = end;
        self.scan = end;
        let start = self.line;
        self.line += line_ends(&block);
        (block, start)
    }

    /// Drops the text already handed out, before reading more.
    fn compact(&mut self) {
        if self.pos > 0 {
            self.text.drain(..self.pos);
            self.scan = self.scan.saturating_sub(self.pos);
            self.pos = 0;
        }
    }

    /// The next block and its first line, or `None` at the end.
    pub fn next_block(&mut self) -> Option<Result<(String, usize), Skipped>> {
        loop {
            if let Some(end) = self.find_blank_line() {
                return Some(Ok(self.take(end)));
            }
            if self.text.len() - self.pos >= MAX_BLOCK {
                let mut cut = self.pos + MAX_BLOCK;
                while !self.text.is_char_boundary(cut) {
                    cut -= 1;
                }
                // Prefer the end of an HTML block (a page with no blank line, minified
                // say: a cut inside a <p> would split its paragraph), then the end of a
                // sentence, then any white space.
                let head = &self.text[self.pos..cut];
                let mut cut = classify_text::html_block_end(head)
                    .or_else(|| classify_text::sentence_break_end(head))
                    .or_else(|| {
                        head.char_indices().rev().find(|(_, c)| c.is_whitespace()).map(|(w, c)| w + c.len_utf8())
                    })
                    .filter(|&i| i > 0)
                    .map_or(cut, |i| self.pos + i);
                // A cut between the CR and the LF of a CRLF would count one line end
                // twice: the LF goes with this block, or, when it may come with the next
                // read, the CR goes with the next block.
                if self.text[..cut].ends_with('\r') {
                    if self.text[cut..].starts_with('\n') {
                        cut += 1;
                    } else if cut == self.text.len() && !self.eof && cut - 1 > self.pos {
                        cut -= 1;
                    }
                }
                return Some(Ok(self.take(cut)));
            }
            if self.eof {
                if self.pos == self.text.len() {
                    return None;
                }
                let end = self.text.len();
                return Some(Ok(self.take(end)));
            }
            self.compact();
            let mut buf = vec![0u8; READ_SIZE];
            match self.reader.read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(Skipped { name: self.name.clone(), reason: io_reason(&e) })),
            }
            self.decode_pending();
        }
    }
}

/// The line ends in `s`: `\n`, `\r\n` and a lone `\r` count one each.
fn line_ends(s: &str) -> usize {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', b).filter(|&i| !(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n'))).count()
}

/// Reads and decodes one article whole (see [`crate::decode_text`] for the policy).
pub fn read_article(input: &Input) -> Result<Article, Skipped> {
    let name = input.name();
    let bytes = match input {
        Input::File(p) => std::fs::read(p),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
    }
    .map_err(|e| Skipped { name: name.clone(), reason: io_reason(&e) })?;
    let decoded = decode_text(bytes).map_err(|reason| Skipped { name: name.clone(), reason })?;
    Ok(Article { name, text: decoded.text, warning: decoded.warning })
}
