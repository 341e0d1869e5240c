//! Labelled data in every supported format.
//!
//! | format | what it is | text | label | group (article) |
//! |---|---|---|---|---|
//! | `labels` | our `.tsv` files: a `label` column and a `text` column, or an `id` column with a `# text-from: FILE.jsonl` line | `text`, or the JSONL record's `text` | `label` | `group`, else `article`, else the JSONL record's `source` |
//! | `csv`, `tsv` | a header row and named columns, or numbered columns (1-based) and no header; TSV has no quoting | `--text-field` (several are joined) | `--label-field` | `--group-field`, else [`default_group`], else the row |
//! | `jsonl` | one JSON object per line | `--text-field` | `--label-field` (a string or a list) | `--group-field`, else [`default_group`], else the record |
//! | `fasttext` | `__label__a __label__b text` lines | the rest of the line | every `__label__` prefix | the line |
//! | `folders` | `DIR/<label>/**/<file>` | the file | the folder name | the file |

use crate::articles::{input_key, InputKey};
use crate::decode::decode_text;
use crate::lines::{head_of, lines_of};
use crate::records::{repeated_header, CrAsLf};
use crate::{Error, Result, StdinCopy, STDIN};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The article a record names without `--group-field`: its `group` value, else its
/// `source` value when that is a page address (`https://...`): the page a paragraph was
/// taken from, as in the domain pool's records. A `source` that names an outlet
/// ("Reuters") names no article. Blank values, and fields that are the record's text,
/// label or id (`used`), are skipped.
pub fn default_group(get: impl Fn(&str) -> Option<String>, used: &[&str]) -> Option<String> {
    let field = |f: &str| if used.contains(&f) { None } else { get(f).filter(|v| !v.trim().is_empty()) };
    field("group").or_else(|| field("source").filter(|s| is_page(s)))
}

/// Whether a value reads as a URL: a scheme, `://`, then something.
fn is_page(s: &str) -> bool {
    s.trim().split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            && !rest.is_empty()
    })
}

/// The fields `opts` reads as text or label.
fn used_fields(opts: &ReadOptions) -> Vec<&str> {
    std::iter::once(opts.label_field.as_str()).chain(opts.text_fields.iter().map(String::as_str)).collect()
}

/// One labelled text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The text.
    pub text: String,
    /// Its label.
    pub label: String,
    /// The article it belongs to: examples of one group stay in one fold, and are each
    /// other's context. Never blank: a record without one is its own group.
    pub group: String,
    /// Where it came from, as `path:line`.
    pub origin: String,
}

/// The format of labelled input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Decide from the file name and first line (see [`read_labelled`]).
    Auto,
    /// Our own label files.
    Labels,
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON lines.
    Jsonl,
    /// fastText `__label__` lines.
    FastText,
    /// One folder per label.
    Folders,
}

/// What to do with a record that has several labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultiLabel {
    /// Leave it out (counted in [`Labelled::skipped_multi_label`]).
    Skip,
    /// One example per label.
    Expand,
    /// Keep the first label.
    First,
}

/// How to read labelled input.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The format.
    pub format: Format,
    /// Fields or columns joined (with a newline) into the text.
    pub text_fields: Vec<String>,
    /// Field or column of the label.
    pub label_field: String,
    /// Field or column of the group (article), if any.
    pub group_field: Option<String>,
    /// Keep only records whose field equals the value (JSONL, CSV, TSV).
    pub filters: Vec<(String, String)>,
    /// Records with several labels.
    pub multi_label: MultiLabel,
    /// Labels whose examples are left out (counted in [`Labelled::ignored`]).
    pub ignore_labels: Vec<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            text_fields: vec!["text".into()],
            label_field: "label".into(),
            group_field: None,
            filters: Vec::new(),
            multi_label: MultiLabel::Skip,
            ignore_labels: Vec::new(),
        }
    }
}

/// Labelled examples read from some inputs, with what was left out.
#[derive(Debug, Default)]
pub struct Labelled {
    /// The examples, in input order.
    pub examples: Vec<Example>,
    /// Records left out because they had several labels.
    pub skipped_multi_label: usize,
    /// Records left out because of `filters`.
    pub filtered: usize,
    /// Examples left out per ignored label.
    pub ignored: Vec<(String, usize)>,
    /// The records left out because every label of theirs is ignored, in input order,
    /// each with its first label: no example, but the context of their article's other
    /// paragraphs, as `label` reads an article whole.
    pub context: Vec<Example>,
    /// Texts that occur again with another label, in formats other than our label
    /// files (where that is an error). Public corpora have a few; they are kept.
    pub conflicting_duplicates: usize,
    /// The first such pair, as `path:line (label) and path:line (label)`.
    pub first_conflict: Option<String>,
    /// Examples whose text is empty or only white space, and the first one's origin.
    pub empty_texts: (usize, Option<String>),
    /// Files of records (JSONL, CSV) inside a directory of label files, which only its
    /// `.tsv` files are read from: name them to read them.
    pub files_not_read: Vec<PathBuf>,
    /// Files named more than once (directly, or also through their directory): read once.
    pub repeated: Vec<PathBuf>,
    /// Links in label folders that lead nowhere (a missing file, a loop), passed over,
    /// each with the reason.
    pub broken_links: Vec<(PathBuf, String)>,
    /// Files in label folders that were not UTF-8, with how they were decoded (as
    /// `label` warns of its articles).
    pub decoded: Vec<(PathBuf, String)>,
    /// JSONL files none of whose records has the `--group-field` chosen (a misspelt
    /// field, say): each record was its own article.
    pub without_group_field: Vec<PathBuf>,
}

/// Reads labelled examples from files and directories.
///
/// With [`Format::Auto`], a directory holding `.tsv` files is read as our label files
/// (every `*.tsv` directly inside it, in name order; subdirectories are not read), any
/// other directory as one folder per label; a file by its extension: `.tsv` whose header
/// has `label` and `text` or `id` columns is a label file (unless record options are
/// given and it has no `#` directive), other `.tsv` is TSV, `.csv` is
/// CSV, `.jsonl`, `.ndjson` and `.json` are JSONL, and a file whose first line starts with
/// `__label__` is fastText.
pub fn read_labelled(paths: &[PathBuf], opts: &ReadOptions) -> Result<Labelled> {
    let mut out = Labelled::default();
    let mut ignored: HashMap<String, usize> = HashMap::new();
    let mut strict = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let mut raw = Vec::new();
        read_path(path, opts, &mut seen, &mut raw, &mut out)?;
        for record in raw {
            let mut labels = match (record.labels.len(), opts.multi_label) {
                (1, _) => record.labels,
                (_, MultiLabel::Skip) => {
                    out.skipped_multi_label += 1;
                    continue;
                }
                (_, MultiLabel::First) => record.labels.into_iter().take(1).collect(),
                (_, MultiLabel::Expand) => record.labels,
            };
            // --ignore-label leaves out examples: of an expanded record, only those with
            // an ignored label.
            let first = labels.first().cloned();
            labels.retain(|l| {
                let ignore = opts.ignore_labels.contains(l);
                if ignore {
                    *ignored.entry(l.clone()).or_default() += 1;
                }
                !ignore
            });
            // A blank group names no article: the record is its own group, not one
            // big group with every other record that lacks one.
            let group = if record.group.trim().is_empty() { record.origin.clone() } else { record.group };
            let Some((last, rest)) = labels.split_last() else {
                if let Some(label) = first {
                    out.context.push(Example { text: record.text, label, group, origin: record.origin });
                }
                continue;
            };
            for label in rest {
                strict.push(record.strict);
                out.examples.push(Example {
                    text: record.text.clone(),
                    label: label.clone(),
                    group: group.clone(),
                    origin: record.origin.clone(),
                });
            }
            strict.push(record.strict);
            out.examples.push(Example { text: record.text, label: last.clone(), group, origin: record.origin });
        }
    }
    let mut ignored: Vec<(String, usize)> = ignored.into_iter().collect();
    ignored.sort();
    out.ignored = ignored;
    (out.conflicting_duplicates, out.first_conflict) = check_conflicts(&out.examples, &strict)?;
    let mut empty = out.examples.iter().filter(|e| e.text.trim().is_empty());
    let first_empty = empty.next().map(|e| e.origin.clone());
    out.empty_texts = (first_empty.iter().count() + empty.count(), first_empty);
    Ok(out)
}

/// A record before multi-label handling.
struct Raw {
    text: String,
    labels: Vec<String>,
    group: String,
    origin: String,
    /// From our own label files, where a conflicting duplicate is an error.
    strict: bool,
}

/// Whether `file` is read for the first time; notes it in `out.repeated` if not.
fn first_reading(file: &Path, seen: &mut HashSet<InputKey>, out: &mut Labelled) -> bool {
    if seen.insert(input_key(file)) {
        return true;
    }
    out.repeated.push(file.to_path_buf());
    false
}

/// Refuses a binary file (an image, a model given in place of data) for what it is,
/// before any reader calls it text in the wrong encoding. UTF-16 text is let through,
/// to be told how to convert it.
fn check_text(path: &Path) -> Result<()> {
    let mut head = Vec::with_capacity(8192);
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.take(8192).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    if crate::decode::utf16_bom(&head).is_some() {
        return Ok(());
    }
    match crate::decode::sniff_binary(&head) {
        Some(why) => Err(Error::input(
            path,
            format!(
                "{}: labelled data is text (a label file, CSV, TSV, JSONL or fastText lines); a model is given with --model",
                why.trim_end_matches(", skipped")
            ),
        )),
        None => Ok(()),
    }
}

fn read_path(
    path: &Path,
    opts: &ReadOptions,
    seen: &mut HashSet<InputKey>,
    raw: &mut Vec<Raw>,
    out: &mut Labelled,
) -> Result<()> {
    if path == Path::new(STDIN) {
        return if first_reading(path, seen, out) { read_stdin(opts, raw, out) } else { Ok(()) };
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() && !first_reading(path, seen, out) {
        return Ok(());
    }
    if !meta.is_dir() {
        check_text(path)?;
    }
    let format = match opts.format {
        Format::Auto => detect(path, meta.is_dir(), !record_options(opts).is_empty())?,
        f => f,
    };
    if format == Format::Labels {
        if let Some(first) = record_options(opts).first() {
            let (what, how) = if meta.is_dir() {
                ("holds label files", "name its .tsv files with --input-format tsv to read them as plain TSV")
            } else {
                ("is a label file", "pass --input-format tsv to read it as plain TSV")
            };
            return Err(Error::input(
                path,
                format!(
                    "{what} (see labels/README.md), whose columns are fixed: {first} applies to CSV, TSV and \
                     JSONL; {how}"
                ),
            ));
        }
    }
    if meta.is_dir() && format != Format::Folders {
        if format != Format::Labels {
            return Err(Error::input(path, "is a directory; only --input-format labels or folders read directories"));
        }
        let (mut files, mut others): (Vec<PathBuf>, Vec<PathBuf>) = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .partition(|p| p.extension().is_some_and(|x| x == "tsv"));
        others.retain(|p| p.extension().is_some_and(|x| ["jsonl", "ndjson", "csv"].iter().any(|e| x == *e)));
        others.sort();
        out.files_not_read.extend(others);
        files.sort();
        if files.is_empty() {
            return Err(Error::input(path, "holds no .tsv label files"));
        }
        for f in files {
            if first_reading(&f, seen, out) {
                check_text(&f)?;
                read_labels_file(&f, raw)?;
            }
        }
        return Ok(());
    }
    match format {
        Format::Labels => read_labels_file(path, raw),
        Format::Csv => read_delimited(path, b',', opts, raw, out),
        Format::Tsv => read_delimited(path, b'\t', opts, raw, out),
        Format::Jsonl => read_jsonl(path, opts, raw, out),
        Format::FastText => read_fasttext(path, raw),
        Format::Folders => read_folders(path, seen, raw, out),
        Format::Auto => unreachable!("detected above"),
    }
}

/// Standard input, `-`, as a file in the format `--input-format` names (it has no name
/// to tell it by); see [`StdinCopy`].
fn read_stdin(opts: &ReadOptions, raw: &mut Vec<Raw>, out: &mut Labelled) -> Result<()> {
    let read: fn(&Path, &ReadOptions, &mut Vec<Raw>, &mut Labelled) -> Result<()> = match opts.format {
        Format::Csv => |p, o, r, out| read_delimited(p, b',', o, r, out),
        Format::Tsv => |p, o, r, out| read_delimited(p, b'\t', o, r, out),
        Format::Jsonl => read_jsonl,
        Format::FastText => |p, _, r, _| read_fasttext(p, r),
        Format::Auto | Format::Labels | Format::Folders => {
            return Err(Error::input(
                STDIN,
                "standard input has no name to tell its format by; pass --input-format csv, tsv, jsonl or fasttext",
            ))
        }
    };
    let copy = StdinCopy::new()?;
    let first = raw.len();
    let result = read(copy.path(), opts, raw, out);
    for r in &mut raw[first..] {
        r.origin = copy.rename(&r.origin);
        r.group = copy.rename(&r.group);
    }
    for p in &mut out.without_group_field {
        if p == copy.path() {
            *p = PathBuf::from(STDIN);
        }
    }
    result.map_err(|e| copy.rename_error(e))
}

/// The record options (`--text-field`, `--label-field`, `--group-field`, `--where`)
/// that `opts` sets to other than their defaults.
fn record_options(opts: &ReadOptions) -> Vec<&'static str> {
    let defaults = ReadOptions::default();
    let mut given = Vec::new();
    if opts.text_fields != defaults.text_fields {
        given.push("--text-field");
    }
    if opts.label_field != defaults.label_field {
        given.push("--label-field");
    }
    if opts.group_field.is_some() {
        given.push("--group-field");
    }
    if !opts.filters.is_empty() {
        given.push("--where");
    }
    given
}

/// The format of a file or directory, from its name and first line. A `.tsv` file with
/// a `label` and a `text` or `id` column is a label file, unless record options are
/// given (`records`) and it has no `#` directive: then it is plain TSV, which they apply to.
fn detect(path: &Path, is_dir: bool, records: bool) -> Result<Format> {
    if is_dir {
        let has_tsv = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .filter_map(|e| e.ok())
            .any(|e| e.path().extension().is_some_and(|x| x == "tsv"));
        return Ok(if has_tsv { Format::Labels } else { Format::Folders });
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let head = head_of(path)?;
    let first = head.first;
    Ok(match ext.as_str() {
        "tsv" => {
            let cols: Vec<&str> = first.split('\t').collect();
            let label_columns = cols.contains(&"label") && (cols.contains(&"text") || cols.contains(&"id"));
            if label_columns && (!records || head.directive) {
                Format::Labels
            } else {
                Format::Tsv
            }
        }
        "csv" => Format::Csv,
        "jsonl" | "ndjson" | "json" => Format::Jsonl,
        _ if first.starts_with("__label__") => Format::FastText,
        _ => {
            return Err(Error::input(
                path,
                "cannot tell its format from the name; pass --input-format labels|csv|tsv|jsonl|fasttext|folders",
            ))
        }
    })
}

/// Our label files. Comment lines start with `#`; two are directives:
/// `# labels: a b c` lists the allowed labels, and `# text-from: FILE` names the JSONL
/// file (relative to this one) whose records, keyed by `id`, give the text of `id` rows.
fn read_labels_file(path: &Path, raw: &mut Vec<Raw>) -> Result<()> {
    let mut allowed: Option<Vec<String>> = None;
    let mut text_from: Option<HashMap<String, (String, String)>> = None;
    let mut header: Option<Vec<String>> = None;
    for item in lines_of(path)? {
        let (line, s) = item?;
        if let Some(comment) = s.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(list) = comment.strip_prefix("labels:") {
                allowed = Some(list.split_whitespace().map(String::from).collect());
            } else if let Some(file) = comment.strip_prefix("text-from:") {
                let target = path.parent().unwrap_or(Path::new(".")).join(file.trim());
                text_from = Some(load_texts(&target, path, line)?);
            }
            continue;
        }
        if s.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = s.split('\t').collect();
        let Some(h) = &header else {
            let h: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
            if !h.iter().any(|c| c == "label") || !h.iter().any(|c| c == "text" || c == "id") {
                return Err(Error::parse(
                    path,
                    line,
                    "header must name a 'label' column and a 'text' or 'id' column, separated by tabs",
                ));
            }
            header = Some(h);
            continue;
        };
        if cols.len() != h.len() {
            return Err(Error::parse(
                path,
                line,
                format!("{} tab-separated fields, the header has {}", cols.len(), h.len()),
            ));
        }
        let get = |name: &str| h.iter().position(|c| c == name).map(|i| cols[i]);
        let label = get("label").unwrap_or("").trim();
        if label.is_empty() {
            return Err(Error::parse(path, line, "empty label"));
        }
        if let Some(allowed) = &allowed {
            if !allowed.iter().any(|a| a == label) {
                return Err(Error::parse(
                    path,
                    line,
                    format!("unknown label '{label}'; this file allows: {}", allowed.join(", ")),
                ));
            }
        }
        let origin = format!("{}:{line}", path.display());
        let (text, group) = match (get("text"), get("id")) {
            (Some(text), _) => (text.to_string(), get("group").or(get("article")).unwrap_or(&origin).to_string()),
            (None, Some(id)) => {
                let Some(texts) = &text_from else {
                    return Err(Error::parse(
                        path,
                        line,
                        "an 'id' row needs a '# text-from: FILE.jsonl' line before the header",
                    ));
                };
                let Some((text, source)) = texts.get(id) else {
                    return Err(Error::parse(path, line, format!("id '{id}' is not in the text-from file")));
                };
                (text.clone(), source.clone())
            }
            (None, None) => unreachable!("header checked"),
        };
        if text.trim().is_empty() {
            return Err(Error::parse(path, line, "empty text"));
        }
        raw.push(Raw { text, labels: vec![label.to_string()], group, origin, strict: true });
    }
    Ok(())
}

/// `id -> (text, source)` of a JSONL file of paragraphs.
fn load_texts(target: &Path, from: &Path, from_line: usize) -> Result<HashMap<String, (String, String)>> {
    if !target.is_file() {
        return Err(Error::parse(
            from,
            from_line,
            format!("text-from file {} not found; these labels need it (the domain pool lives in ../shared/domain beside the repository)", target.display()),
        ));
    }
    let mut map = HashMap::new();
    for item in lines_of(target)? {
        let (line, s) = item?;
        if s.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(&s).map_err(|e| Error::parse(target, line, format!("malformed JSON: {e}")))?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
        let (Some(id), Some(text)) = (field("id"), field("text")) else {
            return Err(Error::parse(target, line, "record needs string fields 'id' and 'text'"));
        };
        map.insert(id, (text, field("source").unwrap_or_default()));
    }
    Ok(map)
}

/// A JSON value as label strings: a string, a number, or a list of them. White space
/// around a label is no part of it, as in CSV and TSV.
fn labels_of(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.trim().to_string()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        Value::Array(items) => items.iter().map(|i| labels_of(i).and_then(|mut l| l.pop())).collect(),
        _ => None,
    }
}

/// A line of JSONL as a JSON object, or an error that says what the line is instead. A
/// JSON document over several lines, or an array of objects, is told apart, with how
/// to convert it.
pub(crate) fn json_object(path: &Path, line: usize, s: &str) -> Result<Value> {
    const CONVERT: &str = "JSONL has one JSON object per line (jq -c '.[]' FILE converts an array of objects)";
    let v: Value = serde_json::from_str(s).map_err(|e| {
        let t = s.trim();
        let message = if line == 1 && e.is_eof() && (t.starts_with('[') || t.starts_with('{')) {
            format!("malformed JSON: {e}; is this one JSON document over several lines? {CONVERT}")
        } else {
            format!("malformed JSON: {e}")
        };
        Error::parse(path, line, message)
    })?;
    match v {
        Value::Object(_) => Ok(v),
        Value::Array(_) => Err(Error::parse(path, line, format!("a JSON array, not an object: {CONVERT}"))),
        _ => Err(Error::parse(path, line, "each line must be a JSON object")),
    }
}

/// The error for a record whose text field `f` is missing, or holds no text (null, a
/// list, an object).
pub(crate) fn no_text_field(path: &Path, line: usize, record: &Value, f: &str) -> Error {
    let message = match record.get(f) {
        None => format!("no text field '{f}'; choose it with --text-field"),
        Some(Value::Null) => format!("text field '{f}' is null"),
        Some(v) => format!("text field '{f}' holds {}, not text", if v.is_array() { "a list" } else { "an object" }),
    };
    Error::parse(path, line, message)
}

pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_jsonl(path: &Path, opts: &ReadOptions, raw: &mut Vec<Raw>, out: &mut Labelled) -> Result<()> {
    let first = raw.len();
    read_jsonl_records(path, opts, raw, out)?;
    // A record without the chosen group field is its own group, named by its origin.
    let kept = &raw[first..];
    if opts.group_field.is_some() && !kept.is_empty() && kept.iter().all(|r| r.group == r.origin) {
        out.without_group_field.push(path.to_path_buf());
    }
    Ok(())
}

fn read_jsonl_records(path: &Path, opts: &ReadOptions, raw: &mut Vec<Raw>, out: &mut Labelled) -> Result<()> {
    // Lines are read in order and parsed in parallel a block at a time; results keep
    // line order, and the first bad line (in order) is the error reported, whether the
    // line is bad JSON or cannot be read at all. A block is capped in bytes (counting
    // each line's overhead, so blank lines count too) and in lines.
    const BLOCK_BYTES: usize = 8 << 20;
    const BLOCK_LINES: usize = 1 << 16;
    let mut lines = lines_of(path)?.fuse();
    loop {
        let mut block = Vec::new();
        let mut size = 0;
        let mut read_error = None;
        let mut ended = true;
        for item in lines.by_ref() {
            let (line, s) = match item {
                Ok(l) => l,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            size += s.len() + 1;
            block.push((line, s));
            if size >= BLOCK_BYTES || block.len() >= BLOCK_LINES {
                ended = false;
                break;
            }
        }
        let parsed: Vec<Result<JsonlRecord>> =
            block.par_iter().map(|(line, s)| parse_jsonl_record(path, opts, *line, s)).collect();
        for record in parsed {
            match record? {
                JsonlRecord::Blank => {}
                JsonlRecord::Filtered => out.filtered += 1,
                JsonlRecord::Kept(r) => raw.push(r),
            }
        }
        if let Some(e) = read_error {
            return Err(e);
        }
        if ended {
            return Ok(());
        }
    }
}

enum JsonlRecord {
    Blank,
    Filtered,
    Kept(Raw),
}

fn parse_jsonl_record(path: &Path, opts: &ReadOptions, line: usize, s: &str) -> Result<JsonlRecord> {
    if s.trim().is_empty() {
        return Ok(JsonlRecord::Blank);
    }
    let v = json_object(path, line, s)?;
    if !opts.filters.iter().all(|(k, want)| v.get(k).and_then(scalar).as_deref() == Some(want.as_str())) {
        return Ok(JsonlRecord::Filtered);
    }
    let labels = v.get(&opts.label_field).and_then(labels_of).ok_or_else(|| {
        Error::parse(
            path,
            line,
            format!("no label field '{}' (a string or a list); choose it with --label-field", opts.label_field),
        )
    })?;
    let mut parts = Vec::new();
    for f in &opts.text_fields {
        let t = v.get(f).and_then(scalar).ok_or_else(|| no_text_field(path, line, &v, f))?;
        parts.push(t);
    }
    let origin = format!("{}:{line}", path.display());
    let group = match &opts.group_field {
        Some(g) => v.get(g).and_then(scalar),
        None => default_group(|f| v.get(f).and_then(scalar), &used_fields(opts)),
    }
    .unwrap_or_else(|| origin.clone());
    if labels.is_empty() || labels.iter().any(|l| l.trim().is_empty()) {
        return Err(Error::parse(path, line, "empty label"));
    }
    let text = if parts.len() == 1 { parts.pop().expect("one part") } else { parts.join("\n") };
    Ok(JsonlRecord::Kept(Raw { text, labels, group, origin, strict: false }))
}

fn read_delimited(
    path: &Path,
    delimiter: u8,
    opts: &ReadOptions,
    raw: &mut Vec<Raw>,
    out: &mut Labelled,
) -> Result<()> {
    // Numbered fields (1-based) mean a file without a header row.
    let numbered = std::iter::once(&opts.label_field).chain(&opts.text_fields).all(|f| f.parse::<usize>().is_ok());
    // TSV has no quoting: a field cannot hold a tab or a line break, and a `"` is text.
    // Lines starting with `#` are comments, and a `\r` ends a line, as when `label` reads
    // TSV records (see `records::delimited`).
    let tsv = delimiter == b'\t';
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let input: Box<dyn Read> = if tsv { Box::new(CrAsLf(file)) } else { Box::new(file) };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(!tsv)
        .comment(if tsv { Some(b'#') } else { None })
        .has_headers(!numbered)
        .flexible(false)
        .from_reader(input);
    let mut lines = CsvLines::of(path, !tsv, tsv);
    let headers =
        if numbered { None } else { Some(reader.headers().map_err(|e| csv_error(path, &mut lines, e))?.clone()) };
    if headers.as_ref().is_some_and(|h| h.iter().all(|c| c.trim().is_empty())) {
        return Err(Error::input(path, "has no header row (an empty file?)"));
    }
    let header_line = lines.header;
    let index = |name: &str, headers: &Option<csv::StringRecord>| -> Result<usize> {
        if numbered {
            let i: usize = name.parse().map_err(|_| {
                Error::input(
                    path,
                    format!(
                        "'{name}' is no column number: with --text-field and --label-field as numbers, the \
                         file has no header row, and every column is named by its number, from 1"
                    ),
                )
            })?;
            if i == 0 {
                return Err(Error::input(path, "column numbers start at 1"));
            }
            return Ok(i - 1);
        }
        let h = headers.as_ref().expect("headers read");
        h.iter().position(|c| c == name).ok_or_else(|| {
            Error::parse(path, header_line, format!("no column '{name}' in the header ({}); choose with --text-field/--label-field, or use column numbers", h.iter().collect::<Vec<_>>().join(", ")))
        })
    };
    let label_i = index(&opts.label_field, &headers)?;
    let text_i: Vec<usize> = opts.text_fields.iter().map(|f| index(f, &headers)).collect::<Result<_>>()?;
    let group_i = opts.group_field.as_ref().map(|g| index(g, &headers)).transpose()?;
    let used = used_fields(opts);
    let column = |name: &str| headers.as_ref().and_then(|h| h.iter().position(|c| c == name));
    let defaults: Vec<(&str, usize)> =
        ["group", "source"].into_iter().filter_map(|f| column(f).map(|i| (f, i))).collect();
    let filter_i: Vec<(usize, &str)> =
        opts.filters.iter().map(|(k, v)| index(k, &headers).map(|i| (i, v.as_str()))).collect::<Result<_>>()?;
    let mut records = reader.records().peekable();
    let mut first = true;
    while let Some(rec) = records.next() {
        let rec = rec.map_err(|e| csv_error(path, &mut lines, e))?;
        let line = rec.position().map_or(0, |p| lines.line(p));
        if delimiter != b'\t' {
            if let Some(e) = quote_problem(path, line, &rec, next_start(records.peek())) {
                return Err(e);
            }
        }
        let field = |i: usize| -> Result<&str> {
            rec.get(i).ok_or_else(|| {
                Error::parse(path, line, format!("missing column {} (the row has {})", i + 1, rec.len()))
            })
        };
        if let Some(e) = repeated_header(path, line, headers.as_ref().map(|h| h.iter()), &rec) {
            return Err(e);
        }
        let first_row = std::mem::replace(&mut first, false);
        if numbered && first_row && field(label_i)?.trim().eq_ignore_ascii_case("label") {
            return Err(Error::parse(
                path,
                line,
                format!(
                    "reads as a header row (its label column holds '{}'): with --text-field and --label-field \
                     as numbers, every row is data; name the columns instead (--text-field text --label-field label)",
                    field(label_i)?.trim()
                ),
            ));
        }
        if !filter_i.iter().all(|&(i, want)| rec.get(i) == Some(want)) {
            out.filtered += 1;
            continue;
        }
        let label = field(label_i)?.trim().to_string();
        if label.is_empty() {
            return Err(Error::parse(path, line, "empty label"));
        }
        let text = text_i.iter().map(|&i| field(i)).collect::<Result<Vec<_>>>()?.join("\n");
        let origin = format!("{}:{line}", path.display());
        let group = match group_i {
            Some(i) => field(i)?.to_string(),
            None => default_group(
                |f| defaults.iter().find(|(d, _)| *d == f).and_then(|&(_, i)| rec.get(i)).map(str::to_string),
                &used,
            )
            .unwrap_or_else(|| origin.clone()),
        };
        raw.push(Raw { text, labels: vec![label], group, origin, strict: false });
    }
    Ok(())
}

/// Line numbers of CSV and TSV rows, as a text editor counts them.
///
/// The csv crate's own line count leaves out blank lines, starts a row that follows a
/// CRLF ending at that ending's `\n`, and gives the header row line 1 even after blank
/// or comment lines. So lines are counted here, from the file's bytes: `\n`, `\r\n` and
/// a lone `\r` each end a line, and a row's line is that of its first byte that is not
/// a line ending (nor, where `#` starts a comment, in a comment line). Rows come in
/// file order, so the file is read once, alongside the csv reader; an earlier offset
/// (an error on the header, say) starts the count again. If the file cannot be read
/// again, the csv crate's count is used.
pub(crate) struct CsvLines {
    path: PathBuf,
    /// Whether fields may be quoted (CSV; TSV has no quoting).
    quoted: bool,
    /// Whether lines starting with `#` are comments.
    comments: bool,
    /// The line of the header row (of the first row, without a header).
    pub(crate) header: usize,
    reader: Option<BufReader<std::fs::File>>,
    at: Counted,
}

/// Where the count of [`CsvLines`] is.
struct Counted {
    /// Bytes counted, and the line of the next byte (0 before any is counted).
    byte: u64,
    line: usize,
    /// Whether the last byte counted was a `\r`, and whether it ended a line.
    after_cr: bool,
    line_start: bool,
}

impl Counted {
    fn start() -> Counted {
        Counted { byte: 0, line: 1, after_cr: false, line_start: true }
    }

    /// Counts one byte: a `\n` not after a `\r`, or a `\r`, ends a line.
    fn count(&mut self, b: u8) {
        match b {
            b'\n' if self.after_cr => {}
            b'\n' | b'\r' => self.line += 1,
            _ => {}
        }
        self.after_cr = b == b'\r';
        self.line_start = matches!(b, b'\n' | b'\r');
        self.byte += 1;
    }
}

impl CsvLines {
    pub(crate) fn of(path: &Path, quoted: bool, comments: bool) -> CsvLines {
        let mut lines =
            CsvLines { path: path.to_path_buf(), quoted, comments, header: 1, reader: None, at: Counted::start() };
        lines.header = lines.line_at(0).unwrap_or(1);
        lines
    }

    /// The line of the row at byte `at`: lines counted up to it, then past line endings
    /// and comment lines to the row's first byte.
    fn line_at(&mut self, at: u64) -> Option<usize> {
        if self.reader.is_none() || at < self.at.byte {
            self.reader = Some(BufReader::with_capacity(1 << 16, std::fs::File::open(&self.path).ok()?));
            self.at = Counted::start();
        }
        let (reader, c) = (self.reader.as_mut()?, &mut self.at);
        let mut in_comment = false;
        loop {
            let buf = reader.fill_buf().ok()?;
            if buf.is_empty() {
                return Some(c.line);
            }
            // The bytes before `at` are counted in bulk: every `\n`, and every `\r` not
            // followed by one (a `\r` that ends the bulk counts now, and the `\n` after
            // it, if any, does not). From `at` on, bytes are skipped to the row's first.
            let before = buf.len().min(usize::try_from(at.saturating_sub(c.byte)).unwrap_or(usize::MAX));
            let (bulk, rest) = buf.split_at(before);
            if let Some(&last) = bulk.last() {
                let newlines = memchr::memchr_iter(b'\n', bulk).count();
                let lone_cr = memchr::memchr_iter(b'\r', bulk).filter(|&i| bulk.get(i + 1) != Some(&b'\n')).count();
                c.line += newlines + lone_cr - usize::from(c.after_cr && bulk[0] == b'\n');
                c.after_cr = last == b'\r';
                c.line_start = matches!(last, b'\n' | b'\r');
                c.byte += before as u64;
            }
            let mut used = before;
            for &b in rest {
                // A UTF-8 byte-order mark is no row's first byte, and no line's.
                if c.byte < 3 && buf.starts_with(b"\xef\xbb\xbf") && used < 3 && c.byte == used as u64 {
                    c.byte += 1;
                    used += 1;
                    continue;
                }
                if !in_comment {
                    if self.comments && b == b'#' && c.line_start {
                        in_comment = true;
                    } else if b != b'\n' && b != b'\r' {
                        reader.consume(used);
                        return Some(c.line);
                    }
                }
                if matches!(b, b'\n' | b'\r') {
                    in_comment = false;
                }
                c.count(b);
                used += 1;
            }
            reader.consume(used);
        }
    }

    pub(crate) fn line(&mut self, p: &csv::Position) -> usize {
        self.line_at(p.byte()).unwrap_or(p.line() as usize)
    }
}

/// The error for a CSV row, starting on `line`, whose quoting would swallow other rows:
/// the csv crate reads a quote left open up to the next quote in the file, or to its
/// end, without a word, and the rows in between are lost.
///
/// Only a quoted field holds a line break, so only such rows are checked: their bytes,
/// from their start to `end` (the next row's start, see [`next_start`], or the end of
/// the file), are read again and scanned as RFC 4180 has it. A quote still open at the
/// end, or text other than blanks after a closing quote, is the error.
pub(crate) fn quote_problem(path: &Path, line: usize, rec: &csv::StringRecord, end: Option<u64>) -> Option<Error> {
    if !rec.iter().any(|f| memchr::memchr2(b'\n', b'\r', f.as_bytes()).is_some()) {
        return None;
    }
    let raw = read_range(path, rec.position().map_or(0, csv::Position::byte), end)?;
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// After a quote in a quoted field: its end, or the first of a doubled `""`.
        QuoteInQuoted,
        /// After a closing quote and blanks.
        Closed,
    }
    let mut state = State::FieldStart;
    for &b in &raw {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::QuoteInQuoted | State::Closed, b' ' | b'\t') => State::Closed,
            (State::FieldStart, b'"') => State::Quoted,
            (_, b',' | b'\n' | b'\r') => State::FieldStart,
            (State::QuoteInQuoted | State::Closed, _) => {
                // Line breaks as an editor counts them: LF, CRLF or a lone CR.
                let lines = memchr::memchr_iter(b'\n', &raw).count()
                    + memchr::memchr_iter(b'\r', &raw).filter(|&i| raw.get(i + 1) != Some(&b'\n')).count();
                return Some(Error::parse(
                    path,
                    line,
                    format!(
                        "text follows a closing quote in this row, whose quoting runs over {lines} lines: a quote \
                         opened in it is probably never closed, so rows would be read into one field; close it, \
                         or double a quote that is part of the text (\"\")"
                    ),
                ));
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
        };
    }
    (state == State::Quoted).then(|| {
        Error::parse(
            path,
            line,
            "a quote opened in this row is never closed, so the rest of the file would be one field; \
             close it, or double a quote that is part of the text (\"\")",
        )
    })
}

/// Where the row after this one starts, given the next item of the records iterator
/// (None at the end of the file).
pub(crate) fn next_start(peeked: Option<&csv::Result<csv::StringRecord>>) -> Option<u64> {
    match peeked {
        Some(Ok(next)) => next.position().map(csv::Position::byte),
        _ => None,
    }
}

/// The bytes of a file from `start` to `end` (or its end), or None when they cannot
/// be read.
fn read_range(path: &Path, start: u64, end: Option<u64>) -> Option<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    f.seek(SeekFrom::Start(start)).ok()?;
    let mut raw = Vec::new();
    match end {
        Some(end) => f.take(end.saturating_sub(start)).read_to_end(&mut raw).ok()?,
        None => f.read_to_end(&mut raw).ok()?,
    };
    Some(raw)
}

pub(crate) fn csv_error(path: &Path, lines: &mut CsvLines, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| lines.line(p));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            if lines.quoted {
                format!("{len} fields where the first row has {expected_len}; check the quoting of this row")
            } else {
                format!("{len} fields where the first row has {expected_len}; a field holds a tab, or one is missing")
            }
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8; convert the file to UTF-8".into(),
        _ => e.to_string(),
    };
    if line > 0 {
        Error::parse(path, line, message)
    } else {
        Error::input(path, message)
    }
}

fn read_fasttext(path: &Path, raw: &mut Vec<Raw>) -> Result<()> {
    for item in lines_of(path)? {
        let (line, s) = item?;
        if s.trim().is_empty() {
            continue;
        }
        let mut labels = Vec::new();
        let mut rest = s.trim_start();
        while let Some(after) = rest.strip_prefix("__label__") {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            labels.push(after[..end].to_string());
            rest = after[end..].trim_start();
        }
        if labels.is_empty() || labels.iter().any(String::is_empty) {
            return Err(Error::parse(path, line, "line does not start with __label__<name>"));
        }
        let origin = format!("{}:{line}", path.display());
        raw.push(Raw { text: rest.to_string(), labels, group: origin.clone(), origin, strict: false });
    }
    Ok(())
}

/// One folder per label. Links are followed, as `label` follows them; a file reached
/// twice (also through a link, or a folder named twice) is read once.
fn read_folders(path: &Path, seen: &mut HashSet<InputKey>, raw: &mut Vec<Raw>, out: &mut Labelled) -> Result<()> {
    let mut any = false;
    // Hidden files and folders (.DS_Store, .git) are no labelled text.
    let entries = walkdir::WalkDir::new(path).min_depth(1).follow_links(true).sort_by_file_name().into_iter();
    for entry in entries.filter_entry(|e| !crate::articles::hidden(e)) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().unwrap_or(path).to_path_buf();
                let link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink());
                if link || e.loop_ancestor().is_some() {
                    // As `label` does: a broken link or a loop is reported and passed over.
                    let why = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error().map_or_else(|| e.to_string(), crate::articles::io_reason)
                    };
                    out.broken_links.push((at, why));
                    continue;
                }
                return Err(Error::input(at, e.to_string()));
            }
        };
        if entry.depth() < 2 || !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(path).expect("walked under path");
        let label = rel.components().next().expect("depth >= 2").as_os_str().to_string_lossy().to_string();
        any = true;
        if !first_reading(entry.path(), seen, out) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        let decoded = decode_text(bytes).map_err(|why| {
            let why = why.trim_end_matches(", skipped");
            Error::input(entry.path(), format!("{why}: a label folder holds text files only; move it out"))
        })?;
        if let Some(w) = decoded.warning {
            out.decoded.push((entry.path().to_path_buf(), w));
        }
        // A saved web page is trained on as `label` reads it, its paragraphs' text: its
        // tags and page furniture are no words of its topic. Other files are read whole.
        let text = if classify_text::looks_like_html(&decoded.text) {
            let paragraphs: Vec<String> = classify_text::segment(&decoded.text).into_iter().map(|p| p.text).collect();
            paragraphs.join("\n\n")
        } else {
            decoded.text
        };
        let origin = entry.path().display().to_string();
        raw.push(Raw { text, labels: vec![label], group: origin.clone(), origin, strict: false });
    }
    if !any {
        let records =
            std::fs::read_dir(path).into_iter().flatten().flatten().any(|e| {
                e.path().extension().is_some_and(|x| ["jsonl", "ndjson", "csv", "tsv"].iter().any(|r| x == *r))
            });
        let hint = if records { "; to read its files of records, name them (train DIR/*.jsonl)" } else { "" };
        return Err(Error::input(path, format!("holds no files in label folders (expected DIR/<label>/<file>){hint}")));
    }
    Ok(())
}

/// The same text with two different labels is a labelling mistake: refused in our
/// label files, counted elsewhere.
/// Returns how many, and the first pair. Empty texts are no mistake of this kind (see
/// [`Labelled::empty_texts`]).
fn check_conflicts(examples: &[Example], strict: &[bool]) -> Result<(usize, Option<String>)> {
    let mut seen: rustc_hash::FxHashMap<&str, (&Example, bool)> = rustc_hash::FxHashMap::default();
    let mut conflicts = 0;
    let mut first = None;
    for (e, &strict_e) in examples.iter().zip(strict) {
        if e.text.trim().is_empty() {
            continue;
        }
        if let Some(&(prev, strict_prev)) = seen.get(e.text.trim()) {
            if prev.label != e.label && prev.origin != e.origin {
                if !(strict_e || strict_prev) {
                    conflicts += 1;
                    first.get_or_insert_with(|| {
                        format!("{} ({}) and {} ({})", prev.origin, prev.label, e.origin, e.label)
                    });
                    continue;
                }
                let (path, line) = split_origin(&e.origin);
                return Err(Error::parse(
                    path,
                    line,
                    format!(
                        "same text as {} but labelled '{}' there and '{}' here; keep one label",
                        prev.origin, prev.label, e.label
                    ),
                ));
            }
        } else {
            seen.insert(e.text.trim(), (e, strict_e));
        }
    }
    Ok((conflicts, first))
}

fn split_origin(origin: &str) -> (PathBuf, usize) {
    let (path, line) = origin_place(origin);
    (PathBuf::from(path), line)
}

/// The file and line of an [`Example`]'s origin (`path:line`); line 0 for an origin with
/// no line (a file of a label folder).
pub fn origin_place(origin: &str) -> (&str, usize) {
    match origin.rsplit_once(':') {
        Some((p, l)) if l.parse::<usize>().is_ok() => (p, l.parse().expect("checked")),
        _ => (origin, 0),
    }
}
