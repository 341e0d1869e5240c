//! Records to label: JSONL objects, CSV/TSV rows or fastText lines, each one paragraph.
//!
//! A record's text is labelled as it is (not split into paragraphs). Its name is its id
//! field, else `path:line`; its article is its `--group-field`, else
//! [`default_group`], else the record alone.

use crate::labelled::{
    csv_error, default_group, json_object, next_start, no_text_field, quote_problem, scalar, CsvLines,
};
use crate::lines::lines_of;
use crate::{Error, Result, StdinCopy};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Formats of record files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row (or numbered columns).
    Csv,
    /// Tab-separated values with a header row (or numbered columns).
    Tsv,
    /// fastText lines: any `__label__` prefixes are dropped, the rest is the text.
    FastText,
}

impl RecordFormat {
    /// The format a file's extension names: `.jsonl`, `.ndjson` and `.json` are JSONL
    /// (as in labelled data), `.csv` CSV, `.tsv` TSV. Anything else is an article.
    pub fn of_path(path: &Path) -> Option<RecordFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Some(RecordFormat::Jsonl),
            "csv" => Some(RecordFormat::Csv),
            "tsv" => Some(RecordFormat::Tsv),
            _ => None,
        }
    }
}

/// How records are read.
#[derive(Clone, Debug)]
pub struct RecordOptions {
    /// Fields or columns of the text; several are joined with a newline. Numbers are
    /// 1-based columns of a CSV/TSV file without a header.
    pub text_fields: Vec<String>,
    /// Field or column of the record's name.
    pub id_field: String,
    /// Field or column of its article; `None`: [`default_group`].
    pub group_field: Option<String>,
    /// Keep only records whose field equals the value.
    pub filters: Vec<(String, String)>,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            text_fields: vec!["text".into()],
            id_field: "id".into(),
            group_field: None,
            filters: Vec::new(),
        }
    }
}

/// Counts of a file's records so far: those kept, those `--where` left out, and kept
/// ones that lacked the group field chosen (`--group-field`) or the id field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records read.
    pub kept: usize,
    /// Records a filter left out.
    pub filtered: usize,
    /// Records read without the chosen group field (counted only when one is chosen).
    pub without_group: usize,
    /// Records read without the id field (named `path:line` instead).
    pub without_id: usize,
}

/// The records of a file, read lazily, with a [`Tally`] of what was read so far.
pub struct Records {
    iter: Box<dyn Iterator<Item = Result<Record>> + Send>,
    tally: Arc<Mutex<Tally>>,
}

impl Iterator for Records {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        self.iter.next()
    }
}

impl Records {
    /// What has been read so far.
    pub fn tally(&self) -> Tally {
        *self.tally.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Adds to a shared tally.
fn note(tally: &Mutex<Tally>, f: impl FnOnce(&mut Tally)) {
    f(&mut tally.lock().unwrap_or_else(|e| e.into_inner()));
}

/// One record to label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Its id field, else `path:line`.
    pub id: String,
    /// Its article: records with the same group are one article. Its id when it has none.
    pub group: String,
    /// The line it starts on.
    pub line: usize,
    /// Its text.
    pub text: String,
}

/// The longest record text read: a longer one is an error (a CSV quote left open would
/// otherwise swallow the rest of the file into one record).
pub const MAX_RECORD: usize = 4 << 20;

/// The group of a record from its fields: the chosen field, or [`default_group`].
fn group_of(opts: &RecordOptions, get: impl Fn(&str) -> Option<String>) -> Option<String> {
    match &opts.group_field {
        Some(g) => get(g).filter(|v| !v.trim().is_empty()),
        None => {
            let used: Vec<&str> =
                std::iter::once(opts.id_field.as_str()).chain(opts.text_fields.iter().map(String::as_str)).collect();
            default_group(get, &used)
        }
    }
}

/// Refuses a record text over [`MAX_RECORD`] bytes. In CSV, a quote left open is the
/// likely cause (`quoted`).
fn checked(path: &Path, line: usize, text: String, quoted: bool) -> Result<String> {
    if text.len() > MAX_RECORD {
        let hint = if quoted { "; check the quoting of this record" } else { "" };
        return Err(Error::parse(
            path,
            line,
            format!("a record of {} MiB: more than 4 MiB of text{hint}", text.len() >> 20),
        ));
    }
    Ok(text)
}

/// The records of a file, in order, read lazily. An error names the file and line; the
/// caller stops reading the file there.
pub fn read_records(path: &Path, format: RecordFormat, opts: &RecordOptions) -> Result<Records> {
    if path.is_dir() {
        return Err(Error::input(path, "is a directory, not a file of records"));
    }
    let opts = opts.clone();
    let owned = path.to_path_buf();
    let name = move |line: usize| format!("{}:{line}", owned.display());
    let tally = Arc::new(Mutex::new(Tally::default()));
    let counts = Arc::clone(&tally);
    let iter: Box<dyn Iterator<Item = Result<Record>> + Send> = match format {
        RecordFormat::Jsonl => {
            let path = path.to_path_buf();
            Box::new(lines_of(&path)?.filter_map(move |item| {
                let (line, s) = match item {
                    Ok(x) => x,
                    Err(e) => return Some(Err(e)),
                };
                if s.trim().is_empty() {
                    return None;
                }
                jsonl_record(&path, line, &s, &opts, name(line), &counts).transpose()
            }))
        }
        RecordFormat::FastText => {
            let path = path.to_path_buf();
            Box::new(lines_of(&path.clone())?.filter_map(move |item| {
                let (line, s) = match item {
                    Ok(x) => x,
                    Err(e) => return Some(Err(e)),
                };
                let mut rest = s.trim_start();
                while let Some(after) = rest.strip_prefix("__label__") {
                    rest = after[after.find(char::is_whitespace).unwrap_or(after.len())..].trim_start();
                }
                if rest.trim().is_empty() {
                    return None;
                }
                let id = name(line);
                note(&counts, |t| {
                    t.kept += 1;
                    t.without_id += 1;
                });
                Some(checked(&path, line, rest.to_string(), false).map(|text| Record {
                    group: id.clone(),
                    id,
                    line,
                    text,
                }))
            }))
        }
        RecordFormat::Csv | RecordFormat::Tsv => delimited(path, format == RecordFormat::Csv, opts, name, counts)?,
    };
    Ok(Records { iter, tally })
}

/// A reader that gives every `\r` as `\n`.
pub(crate) struct CrAsLf<R>(pub(crate) R);

impl<R: Read> Read for CrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
    }
}

/// Records of a file, or of standard input ([`read_stdin_records`]).
pub fn read_input_records(input: &crate::Input, format: RecordFormat, opts: &RecordOptions) -> Result<Records> {
    match input {
        crate::Input::File(p) => read_records(p, format, opts),
        crate::Input::Stdin => read_stdin_records(format, opts),
    }
}

/// The records of standard input, read to its end first (see [`StdinCopy`]); errors,
/// ids and groups name it `-`.
pub fn read_stdin_records(format: RecordFormat, opts: &RecordOptions) -> Result<Records> {
    let copy = StdinCopy::new()?;
    let records = read_records(copy.path(), format, opts).map_err(|e| copy.rename_error(e))?;
    let tally = Arc::clone(&records.tally);
    let iter = Box::new(records.map(move |r| match r {
        Ok(rec) => Ok(Record { id: copy.rename(&rec.id), group: copy.rename(&rec.group), ..rec }),
        Err(e) => Err(copy.rename_error(e)),
    }));
    Ok(Records { iter, tally })
}

fn jsonl_record(
    path: &Path,
    line: usize,
    s: &str,
    opts: &RecordOptions,
    fallback: String,
    tally: &Mutex<Tally>,
) -> Result<Option<Record>> {
    let v = json_object(path, line, s)?;
    let get = |f: &str| v.get(f).and_then(scalar);
    if !opts.filters.iter().all(|(k, want)| get(k).as_deref() == Some(want.as_str())) {
        note(tally, |t| t.filtered += 1);
        return Ok(None);
    }
    let mut parts = Vec::with_capacity(opts.text_fields.len());
    for f in &opts.text_fields {
        parts.push(get(f).ok_or_else(|| no_text_field(path, line, &v, f))?);
    }
    let given_id = get(&opts.id_field).filter(|i| !i.trim().is_empty());
    let without_id = given_id.is_none();
    let id = given_id.unwrap_or(fallback);
    let without_group = opts.group_field.as_ref().is_some_and(|g| get(g).is_none());
    note(tally, |t| {
        t.kept += 1;
        t.without_id += usize::from(without_id);
        t.without_group += usize::from(without_group);
    });
    let group = group_of(opts, get).unwrap_or_else(|| id.clone());
    Ok(Some(Record { id, group, line, text: checked(path, line, parts.join("\n"), false)? }))
}

fn delimited(
    path: &Path,
    comma: bool,
    opts: RecordOptions,
    name: impl Fn(usize) -> String + Send + 'static,
    tally: Arc<Mutex<Tally>>,
) -> Result<Box<dyn Iterator<Item = Result<Record>> + Send>> {
    let numbered = opts.text_fields.iter().all(|f| f.parse::<usize>().is_ok());
    // TSV has no quoting (a field cannot hold a tab or a line break, and a `"` is text),
    // and lines starting with `#` are comments, as in our label files.
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // The csv crate ends a comment only at `\n`: in a file with CR line endings, a
    // comment would swallow the rows after it. TSV has no quoting, so a `\r` in it can
    // only end a line, and is read as `\n` (same length: positions stay the file's).
    let input: Box<dyn Read + Send> = if comma { Box::new(file) } else { Box::new(CrAsLf(file)) };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if comma { b',' } else { b'\t' })
        .quoting(comma)
        .comment(if comma { None } else { Some(b'#') })
        .has_headers(!numbered)
        .flexible(false)
        .from_reader(input);
    let mut lines = CsvLines::of(path, comma, !comma);
    let header_line = lines.header;
    let headers: Option<Vec<String>> = if numbered {
        None
    } else {
        Some(reader.headers().map_err(|e| csv_error(path, &mut lines, e))?.iter().map(str::to_string).collect())
    };
    if headers.as_ref().is_some_and(|h| h.iter().all(|c| c.trim().is_empty())) {
        return Err(Error::input(path, "has no header row (an empty file?)"));
    }
    let index = |field: &str| -> Option<usize> {
        match &headers {
            None => field.parse::<usize>().ok().filter(|&i| i > 0).map(|i| i - 1),
            Some(h) => h.iter().position(|c| c == field),
        }
    };
    let mut text_i = Vec::new();
    for f in &opts.text_fields {
        text_i.push(index(f).ok_or_else(|| match &headers {
            Some(h) => Error::parse(
                path,
                header_line,
                format!("no column '{f}' in the header ({}); choose it with --text-field", h.join(", ")),
            ),
            None => Error::input(path, "column numbers start at 1"),
        })?);
    }
    let mut filter_i = Vec::new();
    for (k, v) in &opts.filters {
        let i = index(k).ok_or_else(|| Error::parse(path, header_line, format!("no column '{k}' for --where")))?;
        filter_i.push((i, v.clone()));
    }
    let id_i = index(&opts.id_field);
    if let Some(g) = &opts.group_field {
        index(g).ok_or_else(|| Error::parse(path, header_line, format!("no column '{g}' for --group-field")))?;
    }
    // Columns a group can come from, by name.
    let named: Vec<(String, usize)> = match &headers {
        Some(h) => h.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect(),
        None => Vec::new(),
    };
    let path: PathBuf = path.to_path_buf();
    let mut records = reader.into_records().peekable();
    // Each record with the byte where the next starts.
    Ok(Box::new(std::iter::from_fn(move || records.next().map(|rec| (rec, next_start(records.peek())))).filter_map(
        move |(rec, end)| {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => return Some(Err(csv_error(&path, &mut lines, e))),
            };
            let line = rec.position().map_or(0, |p| lines.line(p));
            if comma {
                if let Some(e) = quote_problem(&path, line, &rec, end) {
                    return Some(Err(e));
                }
            }
            if let Some(e) = repeated_header(&path, line, headers.as_ref().map(|h| h.iter().map(String::as_str)), &rec)
            {
                return Some(Err(e));
            }
            if !filter_i.iter().all(|(i, want)| rec.get(*i) == Some(want.as_str())) {
                note(&tally, |t| t.filtered += 1);
                return None;
            }
            let mut parts = Vec::with_capacity(text_i.len());
            for &i in &text_i {
                match rec.get(i) {
                    Some(t) => parts.push(t),
                    None => {
                        return Some(Err(Error::parse(
                            &path,
                            line,
                            format!("missing column {} (the row has {})", i + 1, rec.len()),
                        )))
                    }
                }
            }
            let field =
                |i: Option<usize>| i.and_then(|i| rec.get(i)).filter(|v| !v.trim().is_empty()).map(str::to_string);
            let given_id = field(id_i);
            note(&tally, |t| {
                t.kept += 1;
                t.without_id += usize::from(given_id.is_none());
            });
            let id = given_id.unwrap_or_else(|| name(line));
            let by_name = |f: &str| field(named.iter().find(|(c, _)| c == f).map(|&(_, i)| i));
            let group = group_of(&opts, by_name).unwrap_or_else(|| id.clone());
            Some(checked(&path, line, parts.join("\n"), comma).map(|text| Record { id, group, line, text }))
        },
    )))
}

/// A CSV or TSV row that repeats the header (two files joined): an error at its line,
/// for labelled data and for records to label alike.
pub(crate) fn repeated_header<'a>(
    path: &Path,
    line: usize,
    header: Option<impl Iterator<Item = &'a str>>,
    row: &csv::StringRecord,
) -> Option<Error> {
    header
        .is_some_and(|h| h.eq(row.iter()))
        .then(|| Error::parse(path, line, "repeats the header row (were two files joined?); remove this line"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, content: &str, format: RecordFormat, opts: &RecordOptions) -> Vec<Result<Record>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        read_records(&p, format, opts).unwrap().collect()
    }

    #[test]
    fn jsonl_records_take_id_group_and_source() {
        let jsonl = "{\"id\": \"a\", \"source\": \"https://x/1\", \"text\": \"One.\"}\n\n\
                     {\"id\": \"b\", \"source\": \"\", \"text\": \"Two.\"}\n\
                     {\"group\": \"g\", \"source\": \"https://x/1\", \"text\": \"Three.\"}\n";
        let r: Vec<Record> = read("r.jsonl", jsonl, RecordFormat::Jsonl, &RecordOptions::default())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(r[0], Record { id: "a".into(), group: "https://x/1".into(), line: 1, text: "One.".into() });
        assert_eq!((r[1].id.as_str(), r[1].group.as_str(), r[1].line), ("b", "b", 3), "a blank source is no article");
        assert_eq!(r[2].group, "g", "group comes before source");
        assert!(r[2].id.ends_with("r.jsonl:4"), "no id: path:line");
    }

    #[test]
    fn bad_jsonl_names_file_and_line() {
        let r = read(
            "r.jsonl",
            "{\"text\": \"ok\"}\n{\"txt\": \"no\"}\nnot json\n",
            RecordFormat::Jsonl,
            &RecordOptions::default(),
        );
        assert!(r[0].is_ok());
        let e = r[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("r.jsonl") && e.contains('2') && e.contains("no text field 'text'"), "{e}");
        let e = r[2].as_ref().unwrap_err().to_string();
        assert!(e.contains("malformed JSON"), "{e}");
    }

    #[test]
    fn line_numbers_count_crlf_endings_and_the_lines_before_the_header() {
        let lines = |name: &str, content: &str| -> Vec<usize> {
            read(name, content, RecordFormat::Csv, &RecordOptions::default())
                .into_iter()
                .map(|r| r.unwrap().line)
                .collect()
        };
        let lf = "id,text\n1,one\n2,\"two\nlines\"\n3,three\n";
        assert_eq!(lines("lf.csv", lf), [2, 3, 5]);
        assert_eq!(lines("crlf.csv", &lf.replace('\n', "\r\n")), [2, 3, 5]);
        let bad = "id,text\n1,one\n2,two,three\n";
        for (name, content) in [("bad.csv", bad.to_string()), ("badcr.csv", bad.replace('\n', "\r\n"))] {
            let r = read(name, &content, RecordFormat::Csv, &RecordOptions::default());
            let e = r.into_iter().find_map(Result::err).expect("the bad row is an error").to_string();
            assert!(e.contains(&format!("{name}:3")), "{e}");
        }
        // The header comes after comment and blank lines: an error about it names its line.
        let tsv = "# a comment\n\n# another\nid\tbody\n1\tx\n";
        for (name, content) in [("c.tsv", tsv.to_string()), ("ccr.tsv", tsv.replace('\n', "\r\n"))] {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join(name);
            std::fs::write(&p, content).unwrap();
            let e = read_records(&p, RecordFormat::Tsv, &RecordOptions::default())
                .err()
                .expect("no text column")
                .to_string();
            assert!(e.contains(&format!("{name}:4")) && e.contains("no column 'text'"), "{e}");
        }
        // Blank lines between rows, comment lines in TSV, and old Mac (CR-only) line
        // endings: rows and errors get the lines an editor shows.
        let blank = "text\n\none\n\n\ntwo\n";
        assert_eq!(lines("blank.csv", blank), [3, 6]);
        assert_eq!(lines("blankcr.csv", &blank.replace('\n', "\r")), [3, 6]);
        assert_eq!(lines("blankcrlf.csv", &blank.replace('\n', "\r\n")), [3, 6]);
        let tsv = "# c\nid\ttext\n# more\n\n1\tone\n#\n2\ttwo\n";
        let tsv_lines: Vec<usize> = read("c.tsv", tsv, RecordFormat::Tsv, &RecordOptions::default())
            .into_iter()
            .map(|r| r.unwrap().line)
            .collect();
        assert_eq!(tsv_lines, [5, 7]);
        // A comment in a TSV file with CR line endings ends at its CR: no row after it
        // is lost (the csv crate ends comments at LF only).
        let cr: Vec<(usize, String)> = read(
            "cr.tsv",
            "id\ttext\r# note\r1\tone\r2\ttwo\r3\tthree\n4\tfour\n",
            RecordFormat::Tsv,
            &RecordOptions::default(),
        )
        .into_iter()
        .map(|r| r.map(|r| (r.line, r.text)).unwrap())
        .collect();
        assert_eq!(cr, [(3, "one".into()), (4, "two".into()), (5, "three".into()), (6, "four".into())]);
        // A byte-order mark before the header: the header's line is still found.
        for (name, content) in [("bom.tsv", "\u{feff}# c\nid\tbody\n1\tx\n"), ("bom.csv", "\u{feff}\n\nid,body\n1,x\n")]
        {
            let format = if name.ends_with("tsv") { RecordFormat::Tsv } else { RecordFormat::Csv };
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join(name);
            std::fs::write(&p, content).unwrap();
            let e = read_records(&p, format, &RecordOptions::default()).err().expect("no text column");
            let header = if name.ends_with("tsv") { 2 } else { 3 };
            assert!(e.to_string().contains(&format!("{name}:{header}: no column 'text'")), "{e}");
        }
        let bad = "id,text\n\n\n1,one\n\n2,\"two\nlines\"\n\n3,three,four\n";
        let e = read("b.csv", bad, RecordFormat::Csv, &RecordOptions::default())
            .into_iter()
            .find_map(Result::err)
            .expect("the bad row is an error")
            .to_string();
        assert!(e.contains("b.csv:9:"), "{e}");
    }

    #[test]
    fn csv_and_fasttext_records() {
        let opts = RecordOptions { filters: vec![("split".into(), "test".into())], ..RecordOptions::default() };
        let csv =
            "id,split,source,text\n1,test,https://p,\"Hello, world\"\n2,train,p,skipped\n3,test,,\"two\nlines\"\n";
        let r: Vec<Record> = read("r.csv", csv, RecordFormat::Csv, &opts).into_iter().map(Result::unwrap).collect();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0], Record { id: "1".into(), group: "https://p".into(), line: 2, text: "Hello, world".into() });
        assert_eq!((r[1].id.as_str(), r[1].group.as_str(), r[1].text.as_str()), ("3", "3", "two\nlines"));
        let ft = "__label__a __label__b Some text here\nplain line\n\n";
        let r: Vec<Record> = read("r.txt", ft, RecordFormat::FastText, &RecordOptions::default())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(r.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(), ["Some text here", "plain line"]);
    }

    #[test]
    fn an_outlet_in_source_is_no_article_and_tsv_has_no_quoting() {
        let jsonl = "{\"id\": \"a\", \"source\": \"Reuters\", \"text\": \"One.\"}\n";
        let r = read("r.jsonl", jsonl, RecordFormat::Jsonl, &RecordOptions::default());
        assert_eq!(r[0].as_ref().unwrap().group, "a", "an outlet is not a page");
        // An unbalanced quote in TSV is text; `#` lines are comments, as in label files.
        let tsv = "# labels: a b\nid\ttext\n1\t\"We will not retreat, the minister said.\n2\tTrade talks.\n";
        let r: Vec<Record> =
            read("r.tsv", tsv, RecordFormat::Tsv, &RecordOptions::default()).into_iter().map(Result::unwrap).collect();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].text, "\"We will not retreat, the minister said.");
        assert_eq!((r[1].id.as_str(), r[1].text.as_str()), ("2", "Trade talks."));
        // A record over the limit is an error (a quote left open swallows lines up to the
        // next quote in the file).
        let csv = format!("id,text\n1,\"{}\"\n2,x\n", "word ".repeat(MAX_RECORD / 4));
        let r = read("r.csv", &csv, RecordFormat::Csv, &RecordOptions::default());
        let e = r.iter().find_map(|x| x.as_ref().err()).expect("an error").to_string();
        assert!(e.contains("r.csv:2") && e.contains("more than 4 MiB"), "{e}");
        // One left open in the last field, with no quote after it, is named at its row.
        let r = read("r.csv", "id,text\n1,One.\n2,\"Two\n3,Three.\r\n", RecordFormat::Csv, &RecordOptions::default());
        assert_eq!(r[0].as_ref().unwrap().text, "One.");
        let e = r[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("r.csv:3") && e.contains("never closed"), "{e}");
        // One left open up to a later quote in the file, too: the row after it would be lost.
        let csv = "id,text\n1,One.\n2,\"Two\n3,\"Three.\"\n4,Four.\n";
        let r = read("r.csv", csv, RecordFormat::Csv, &RecordOptions::default());
        let e = r[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("r.csv:3") && e.contains("text follows a closing quote"), "{e}");
        // Closed ones are fine, also after doubled quotes, before blanks or many blank lines.
        let blank_lines = format!("id,text\n1,\"Two\nlines\"\n{}", "\n".repeat(5000));
        for csv in [
            "id,text\n1,\"Two\nlines\"\n\n",
            "id,text\n1,\"Two\n\"\"lines\"\"\"\r\n",
            "id,text,x\n1,\"a\nb\",c\n",
            "id,text\n1,\"Two\nlines\"  \n2,x\n",
            &blank_lines,
        ] {
            let r = read("r.csv", csv, RecordFormat::Csv, &RecordOptions::default());
            assert!(r.iter().all(Result::is_ok), "{csv:?}: {r:?}");
        }
        // In TSV a quote is text, open or not.
        let r = read("r.tsv", "id\ttext\n1\t\"Two\n", RecordFormat::Tsv, &RecordOptions::default());
        assert_eq!(r[0].as_ref().unwrap().text, "\"Two");
        let r = read_records(&std::env::temp_dir(), RecordFormat::Csv, &RecordOptions::default());
        assert!(r.is_err());
    }

    #[test]
    fn extensions_name_formats() {
        assert_eq!(RecordFormat::of_path(Path::new("a/b.JSONL")), Some(RecordFormat::Jsonl));
        assert_eq!(RecordFormat::of_path(Path::new("b.tsv")), Some(RecordFormat::Tsv));
        assert_eq!(RecordFormat::of_path(Path::new("article.txt")), None);
        assert_eq!(RecordFormat::of_path(Path::new("page.html")), None);
    }
}
