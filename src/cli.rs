//! Command-line arguments (clap) and their resolution into library settings.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use classify_corpus::{Format, MultiLabel, OutputFormat, ReadOptions, RecordFormat, RecordOptions};
use classify_model::{ModelParams, Priors, TermWeight, Variant};
use classify_text::{AnalyzerConfig, Language};
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// The help of a command's `--model`: what the command does with the model, and which
/// model it reads without one (see `common::model_path`).
macro_rules! model_help {
    ($verb:literal) => {
        concat!(
            "The model to ",
            $verb,
            " [default: models/topics.model if it is in the working directory, else the copy built into classify]"
        )
    };
}

/// Label every paragraph of news and analysis articles with a topic.
///
/// classify splits articles into paragraphs and labels each with a topic using naive
/// Bayes. The shipped model (models/topics.model, built into classify) knows four topics
/// about Central and South Asia: diplomacy, economy, security and extremism. Train your
/// own on any labels with `classify train`.
///
/// Exit codes: 0 success; 1 done, but some inputs were skipped (each is reported);
/// 2 error, nothing was done.
#[derive(Parser, Debug)]
#[command(name = "classify", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Worker threads (1 to 1024).
    ///
    /// The output is identical for any number, except how many settings `tune` tries within its --budget.
    #[arg(long, short = 'j', global = true, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,
}

/// The most `--threads` takes: far more than any machine's cores, and few enough to
/// start (100,000 threads took minutes and half a gigabyte before any work).
const MAX_THREADS: usize = 1024;

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn parse_threads(s: &str) -> std::result::Result<NonZeroUsize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > MAX_THREADS => Err(format!("at most {MAX_THREADS} threads (this machine has {})", cores())),
        Ok(n) => NonZeroUsize::new(n).ok_or_else(|| "at least 1 thread is needed".to_string()),
        Err(_) => Err(format!("'{s}' is not a number of threads (1, 2, ...)")),
    }
}

/// A count that asks for something: a whole number from 1.
fn at_least_one(s: &str) -> std::result::Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("at least 1 is needed".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("'{s}' is not a whole number (1, 2, ...)")),
    }
}

/// Number of cores this process may use.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Train(TrainArgs),
    Label(LabelArgs),
    Eval(EvalArgs),
    Cv(CvArgs),
    Tune(TuneArgs),
    Suggest(SuggestArgs),
    Explain(ExplainArgs),
}

/// Train a model from labelled paragraphs.
///
/// Reads labelled data (by default every .tsv file in labels/), fits naive Bayes and
/// writes the model atomically: a crash never leaves a half-written file. Prints the
/// paragraphs per topic, the vocabulary size and the time taken.
///
/// Example:
///   classify train labels/ --model models/topics.model
///   classify train --input-format jsonl --where split=train 20news.jsonl --model news.model --variant complement --ngrams 2
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct TrainArgs {
    /// Labelled data: files, directories, or - for stdin (with --input-format) [default: labels/].
    #[arg(value_name = "LABELLED")]
    pub paths: Vec<PathBuf>,
    /// Labelled data, as an option (the same as LABELLED).
    #[arg(long, short = 'l', value_name = "PATH", num_args = 1.., conflicts_with = "paths")]
    pub labels: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, short = 'm', value_name = "FILE", default_value = "models/topics.model")]
    pub model: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Folds of cross-validation used to calibrate probabilities (temperature scaling); 0 turns calibration off.
    #[arg(long, value_name = "K", default_value_t = DEFAULT_CALIBRATE_FOLDS)]
    pub calibrate_folds: usize,
    /// Unlabelled paragraphs (files of records, .jsonl, .ndjson, .json, .csv or .tsv with a `text`
    /// field, or articles) added by expectation-maximisation (Nigam et al. 2000). Use a small --alpha with it, such as
    /// 0.01: the vocabulary then comes from all texts, and with alpha 1 EM can collapse
    /// into one topic (docs/benchmarks.md has the figures).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub unlabelled: Vec<PathBuf>,
    /// Weight of an unlabelled paragraph relative to a labelled one, in (0, 1].
    #[arg(long, value_name = "W", default_value_t = 0.1, allow_negative_numbers = true, requires = "unlabelled")]
    pub unlabelled_weight: f64,
    /// Most EM iterations; EM stops earlier when the posteriors settle.
    #[arg(long, value_name = "N", default_value_t = 10, requires = "unlabelled")]
    pub em_iterations: usize,
}

/// Rank unlabelled paragraphs by how unsure the model is.
///
/// Active learning: the paragraphs with the smallest margin between the model's two most
/// probable topics are the ones whose labels teach it most. Label those next. Paragraphs
/// of articles are scored in the context of their article, as `label` scores them;
/// consecutive records with the same `group`, else `source` URL, field are one article,
/// and records with neither are scored alone.
///
/// Example:
///   classify suggest --model models/topics.model --unlabelled ../shared/domain/pool.jsonl -n 50
///   classify suggest --unlabelled articles/ -n 20 --json
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct SuggestArgs {
    #[arg(long, short = 'm', value_name = "FILE", help = model_help!("ask"))]
    pub model: Option<PathBuf>,
    /// Unlabelled paragraphs: files of records (.jsonl, .ndjson, .json, .csv or .tsv: a `text` field, named by `id`; see --input-format) or articles.
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    pub unlabelled: Vec<PathBuf>,
    #[command(flatten)]
    pub records: RecordArgs,
    /// How many to suggest.
    #[arg(short = 'n', long, default_value_t = 50, value_parser = at_least_one)]
    pub count: usize,
    /// Leave out paragraphs already labelled in these label files or directories.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub exclude: Vec<PathBuf>,
    /// One JSON object per suggestion.
    #[arg(long)]
    pub json: bool,
}

/// Label every paragraph of articles with a topic.
///
/// Takes files, directories (recursively, in name order, passing over hidden files and
/// folders such as .git) and - for stdin. Splits each article into paragraphs, dropping
/// page furniture, and prints each paragraph's topic and the probability of every
/// topic, then each article's topic distribution and main topic. Each paragraph is read
/// in the context of the rest of its article, at the weight stored in the model (train
/// --context). Files of records (.jsonl, .json, .csv, .tsv) give one paragraph per record;
/// consecutive records of one `group` (or `source` URL) are one article.
/// Unreadable or binary files are reported and skipped; the rest are labelled.
///
/// Example:
///   classify label seeds/
///   classify label --format jsonl --output labels.jsonl articles/
///   cat article.txt | classify label -
///   classify label --format csv paragraphs.jsonl
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct LabelArgs {
    /// Articles or files of records: files, directories, or - for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, short = 'm', value_name = "FILE", help = model_help!("use"))]
    pub model: Option<PathBuf>,
    /// Output format [default: from --output's extension (.jsonl or .ndjson, .csv, .tsv), else table].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FormatArg>,
    /// Write results to FILE (atomically) instead of stdout (- is stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Mark paragraphs whose top probability is below P as `uncertain`.
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub min_confidence: Option<f64>,
    /// Show the terms that pushed each paragraph to its topic (table and jsonl formats).
    ///
    /// The rest of its article is one of them when it pushed the paragraph too; with a Bernoulli model, so are the terms the paragraph lacks.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub records: RecordArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LabelInputArg {
    Auto,
    Articles,
    Jsonl,
    Csv,
    Tsv,
    Fasttext,
}

/// How `label` reads its inputs: articles, or records of one paragraph each.
#[derive(Args, Debug, Clone)]
pub struct RecordArgs {
    /// What the inputs are: articles, or records of one paragraph each.
    ///
    /// Articles are split into paragraphs; a record (a JSONL object, a CSV/TSV row, a fastText line) is one paragraph, labelled as it is. auto: files ending in .jsonl, .ndjson or .json are JSONL records, .csv and .tsv CSV and TSV records (with a header row), anything else an article, standard input (-) included. Records on standard input are read to its end before any is labelled.
    #[arg(long, value_enum, default_value_t = LabelInputArg::Auto)]
    pub input_format: LabelInputArg,
    /// Records: field(s) or column(s) holding the text.
    ///
    /// Comma-separated; several are joined. Numbers are 1-based columns of a file without header.
    #[arg(long, value_name = "FIELDS", default_value = DEFAULT_TEXT_FIELD)]
    pub text_field: String,
    /// Records: field or column naming each record (else `file:line`).
    ///
    /// The output names records by it: as the output names it (label: `id` in JSONL output, and an `id` column in CSV and TSV output when a file of records is named on the command line or --input-format names a record format). A record alone is also its article's name.
    #[arg(long, value_name = "FIELD", default_value = DEFAULT_ID_FIELD)]
    pub id_field: String,
    /// Records: field or column naming the article a record belongs to.
    ///
    /// Consecutive records of one article are read as the paragraphs of one article, each other's context (label reads a run of more than 256 records or 1 MiB in windows of that size). Without it, a `group` field names the article, else a `source` field holding a URL (the page a paragraph came from; an outlet's name is no article); where none is given or it is blank, the record is alone.
    #[arg(long, value_name = "FIELD")]
    pub group_field: Option<String>,
    /// Records: keep only records whose FIELD equals VALUE; repeatable.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filters: Vec<String>,
}

impl RecordArgs {
    /// The record format of an input file, or `None` for an article.
    pub fn format_of(&self, path: &std::path::Path) -> Option<RecordFormat> {
        match self.input_format {
            LabelInputArg::Auto => RecordFormat::of_path(path),
            LabelInputArg::Articles => None,
            LabelInputArg::Jsonl => Some(RecordFormat::Jsonl),
            LabelInputArg::Csv => Some(RecordFormat::Csv),
            LabelInputArg::Tsv => Some(RecordFormat::Tsv),
            LabelInputArg::Fasttext => Some(RecordFormat::FastText),
        }
    }

    /// Whether every input is read as records, stdin included.
    pub fn forced(&self) -> bool {
        !matches!(self.input_format, LabelInputArg::Auto | LabelInputArg::Articles)
    }

    pub fn resolve(&self) -> Result<RecordOptions> {
        Ok(RecordOptions {
            filters: where_filters(&self.filters)?,
            text_fields: text_fields(&self.text_field),
            id_field: self.id_field.clone(),
            group_field: self.group_field.clone(),
        })
    }
}

/// `--where FIELD=VALUE` flags as pairs.
fn where_filters(flags: &[String]) -> Result<Vec<(String, String)>> {
    flags
        .iter()
        .map(|f| match f.split_once('=') {
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => bail!("--where expects FIELD=VALUE, such as --where split=train; got '{f}'"),
        })
        .collect()
}

/// `--text-field a,b` as field names.
fn text_fields(flag: &str) -> Vec<String> {
    flag.split(',').map(|s| s.trim().to_string()).collect()
}

/// Measure a model on labelled data.
///
/// Prints accuracy, macro-F1, per-topic precision, recall, F1 and support, the confusion
/// matrix, and accuracy against coverage at several confidence thresholds.
///
/// Example:
///   classify eval --model models/topics.model labels/dev/
///   classify eval --model news.model --input-format jsonl --where split=test 20news.jsonl --json
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct EvalArgs {
    /// Labelled data: files, directories, or - for stdin (with --input-format).
    #[arg(value_name = "LABELLED", required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, short = 'm', value_name = "FILE", help = model_help!("evaluate"))]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Print the figures as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Cross-validate settings on labelled data, folds grouped by article.
///
/// Stratified k-fold with a fixed seed; all paragraphs of one article fall in the same
/// fold, because paragraphs of one article are not independent. Prints each fold's
/// accuracy and the pooled accuracy and macro-F1.
///
/// Example:
///   classify cv --folds 5 labels/
///   classify cv --folds 10 --alpha 0.1 --ngrams 2 labels/
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CvArgs {
    /// Labelled data: files, directories, or - for stdin (with --input-format).
    #[arg(value_name = "LABELLED", default_value = "labels/")]
    pub paths: Vec<PathBuf>,
    /// Number of folds (at least 2).
    #[arg(long, short = 'k', default_value_t = 5)]
    pub folds: usize,
    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Print the figures as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Search model settings by cross-validation within a time budget.
///
/// Starting from the settings given, first tries the main combinations (variant, term
/// weighting, n-grams, alpha), then refines one setting at a time (also weight
/// normalisation, trigrams, minimum document frequency, stop words, stemming), keeping what
/// improves grouped k-fold accuracy, until nothing improves or the budget is spent.
/// Prints a table of what it tried, then trains the best settings on all the data
/// and writes that model; its settings are recorded in it (`classify explain` shows them).
///
/// Example:
///   classify tune --budget 60s labels/ --model models/tuned.model
///   classify tune --budget 5m --input-format jsonl --where split=train 20news.jsonl --model news.model
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct TuneArgs {
    /// Labelled data: files, directories, or - for stdin (with --input-format) [default: labels/].
    #[arg(value_name = "LABELLED")]
    pub paths: Vec<PathBuf>,
    /// Labelled data, as an option (the same as LABELLED).
    #[arg(long, short = 'l', value_name = "PATH", num_args = 1.., conflicts_with = "paths")]
    pub labels: Vec<PathBuf>,
    /// Where to write the best model.
    #[arg(long, short = 'm', value_name = "FILE", default_value = "models/tuned.model")]
    pub model: PathBuf,
    /// Time budget of the search, such as 60s, 5m or 1h.
    ///
    /// No new settings are tried once the next would end past it (the first always runs). Reading the data before it, and the final fit and calibration after it, are not counted. How many settings fit in it depends on the machine and on -j.
    #[arg(long, default_value = "60s")]
    pub budget: String,
    /// Folds of the cross-validation.
    #[arg(long, short = 'k', default_value_t = 5)]
    pub folds: usize,
    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    /// Folds used to calibrate the best model's probabilities; 0 turns calibration off.
    #[arg(long, value_name = "K", default_value_t = DEFAULT_CALIBRATE_FOLDS)]
    pub calibrate_folds: usize,
}

/// Show a model's settings and the terms that most distinguish each topic.
///
/// First what the model is: the `train` options that rebuild it (`(defaults)` when it
/// was trained with none; the unlabelled data of `train --unlabelled` is not recorded,
/// so such a model is rebuilt by giving it again), what it was trained on, its
/// vocabulary, calibration and context weight. Then, for each topic, the terms whose
/// weight for it most exceeds their mean weight for the other topics. Terms are stems
/// (and n-grams of stems) as the model sees them.
///
/// Example:
///   classify explain --model models/topics.model -n 15
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    #[arg(long, short = 'm', value_name = "FILE", help = model_help!("explain"))]
    pub model: Option<PathBuf>,
    /// Terms per topic.
    #[arg(short = 'n', long, default_value_t = 20, value_parser = at_least_one)]
    pub top: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Jsonl,
    Csv,
    Tsv,
}

impl LabelArgs {
    /// `--format`, else the format `--output`'s extension names, else a table.
    pub fn output_format(&self) -> FormatArg {
        let by_extension = || {
            let ext = self.output.as_ref()?.extension()?.to_str()?.to_ascii_lowercase();
            match ext.as_str() {
                "jsonl" | "ndjson" => Some(FormatArg::Jsonl),
                "csv" => Some(FormatArg::Csv),
                "tsv" => Some(FormatArg::Tsv),
                _ => None,
            }
        };
        self.format.or_else(by_extension).unwrap_or(FormatArg::Table)
    }
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => OutputFormat::Table,
            FormatArg::Jsonl => OutputFormat::Jsonl,
            FormatArg::Csv => OutputFormat::Csv,
            FormatArg::Tsv => OutputFormat::Tsv,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Auto,
    Labels,
    Csv,
    Tsv,
    Jsonl,
    Fasttext,
    Folders,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum MultiLabelArg {
    Skip,
    Expand,
    First,
}

/// How labelled data is read.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Format of labelled data.
    ///
    /// Auto: a .tsv file whose header names `label` and `text` (or `id`) is a label file (labels/README.md: `#` comments, `# labels:` and `# text-from:` lines; with --text-field, --label-field, --group-field or --where, only if it has such a line, else TSV), another .tsv TSV, .csv CSV, .jsonl/.ndjson/.json JSONL, a file whose first line starts with __label__ fastText lines; a directory holding .tsv files is read as the label files directly in it, else as one folder per label (DIR/<label>/<file>, each file one example; a web page is read as the text of its paragraphs, as label reads it). CSV and TSV have a header row unless the fields are column numbers; in TSV, `#` lines are comments.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    /// Field(s) or column(s) holding the text.
    ///
    /// Comma-separated; several are joined. Numbers are 1-based columns of a file without header.
    #[arg(long, value_name = "FIELDS", default_value = "text")]
    pub text_field: String,
    /// Field or column holding the label.
    #[arg(long, value_name = "FIELD", default_value = "label")]
    pub label_field: String,
    /// Field or column naming the article a record belongs to.
    ///
    /// Records of one article share a cross-validation fold, and consecutive records of one article in one file are each other's context, as label reads them. Without it, a `group` field names the article, else a `source` field holding a URL (the page a paragraph came from; an outlet's name is no article), in JSONL and in CSV/TSV with a header; where none is given or it is blank, each record is its own article.
    #[arg(long, value_name = "FIELD")]
    pub group_field: Option<String>,
    /// Keep only records whose FIELD equals VALUE (JSONL, CSV, TSV); repeatable.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filters: Vec<String>,
    /// Records with several labels: skip them, expand into one per label, or keep the first.
    ///
    /// A record has several labels as a JSON array in JSONL (`"labels": ["acq", "earn"]`) or
    /// as several `__label__` words in fastText. A CSV or TSV cell holds one label, commas
    /// and all.
    #[arg(long, value_enum, default_value_t = MultiLabelArg::Skip)]
    pub multi_label: MultiLabelArg,
    /// Leave out examples with this label (`none` keeps all); repeatable.
    ///
    /// Such examples are never trained on or scored, but read as context of the other paragraphs of their article, as label reads an article whole.
    #[arg(long, value_name = "LABEL", default_value = "other")]
    pub ignore_label: Vec<String>,
}

impl DataArgs {
    pub fn resolve(&self) -> Result<ReadOptions> {
        let filters = where_filters(&self.filters)?;
        Ok(ReadOptions {
            format: match self.input_format {
                InputFormatArg::Auto => Format::Auto,
                InputFormatArg::Labels => Format::Labels,
                InputFormatArg::Csv => Format::Csv,
                InputFormatArg::Tsv => Format::Tsv,
                InputFormatArg::Jsonl => Format::Jsonl,
                InputFormatArg::Fasttext => Format::FastText,
                InputFormatArg::Folders => Format::Folders,
            },
            text_fields: text_fields(&self.text_field),
            label_field: self.label_field.clone(),
            group_field: self.group_field.clone(),
            filters,
            multi_label: match self.multi_label {
                MultiLabelArg::Skip => MultiLabel::Skip,
                MultiLabelArg::Expand => MultiLabel::Expand,
                MultiLabelArg::First => MultiLabel::First,
            },
            ignore_labels: self.ignore_label.iter().filter(|l| l.as_str() != "none").cloned().collect(),
        })
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum VariantArg {
    Multinomial,
    Complement,
    Bernoulli,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum TfArg {
    Raw,
    Sublinear,
    Binary,
}

/// Model settings.
#[derive(Args, Debug, Clone)]
pub struct ParamArgs {
    /// Naive Bayes event model.
    #[arg(long, value_enum, default_value_t = VariantArg::Multinomial)]
    pub variant: VariantArg,
    /// Lidstone smoothing added to every term count (> 0).
    #[arg(long, default_value_t = 0.3, allow_negative_numbers = true)]
    pub alpha: f64,
    /// Longest word n-gram (1 to 3).
    #[arg(long, default_value_t = 1)]
    pub ngrams: usize,
    /// Stemmer and stop-word language.
    #[arg(long, default_value = "english")]
    pub language: Language,
    /// Keep stop words.
    #[arg(long)]
    pub no_stop_words: bool,
    /// Do not stem.
    #[arg(long)]
    pub no_stem: bool,
    /// Term count transform.
    #[arg(long, value_enum, default_value_t = TfArg::Raw)]
    pub tf: TfArg,
    /// Weight terms by inverse document frequency.
    #[arg(long)]
    pub idf: bool,
    /// Scale each document to unit length (L2).
    #[arg(long)]
    pub normalize: bool,
    /// Rennie's weight normalisation (complement variant only).
    #[arg(long)]
    pub weight_norm: bool,
    /// Drop terms found in fewer documents.
    #[arg(long, default_value_t = 1)]
    pub min_df: usize,
    /// Drop terms found in more than this fraction of documents.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub max_df: f64,
    /// Keep only the N most frequent terms.
    #[arg(long, value_name = "N")]
    pub max_features: Option<usize>,
    /// Class priors: fitted, uniform, or LABEL=P,... (normalised).
    #[arg(long, default_value = "fitted")]
    pub priors: String,
    /// Weight (0 to 1) of the rest of the article when labelling a paragraph; 0 labels
    /// each paragraph alone. train and tune store it in the model, for label and eval.
    #[arg(long, value_name = "W", default_value_t = DEFAULT_CONTEXT, allow_negative_numbers = true)]
    pub context: f64,
}

/// The default weight of the rest of the article (`--context`).
pub const DEFAULT_CONTEXT: f64 = 0.25;

/// The defaults of `label --text-field` and `--id-field`.
pub const DEFAULT_TEXT_FIELD: &str = "text";
pub const DEFAULT_ID_FIELD: &str = "id";

/// The default of `--calibrate-folds`.
pub const DEFAULT_CALIBRATE_FOLDS: usize = 5;

/// The `train` options that rebuild a model from the same data: [`flags`] with its
/// context weight, and `--calibrate-folds` when it is not the default (0 for a model
/// whose probabilities were not calibrated).
pub fn train_flags(p: &ModelParams, context: f64, calibrate_folds: usize) -> String {
    let f = flags(p, Some(context));
    if calibrate_folds == DEFAULT_CALIBRATE_FOLDS {
        return f;
    }
    let k = format!("--calibrate-folds {calibrate_folds}");
    if f == "(defaults)" {
        k
    } else {
        format!("{f} {k}")
    }
}

/// The `train` options that give these settings, defaults left out, and `--context` when
/// a weight is given that is not the default: the inverse of [`ParamArgs::resolve`].
pub fn flags(p: &ModelParams, context: Option<f64>) -> String {
    let d = ModelParams::default();
    let mut f = Vec::new();
    if p.variant != d.variant {
        f.push(format!("--variant {}", format!("{:?}", p.variant).to_lowercase()));
    }
    if p.weight_norm {
        f.push("--weight-norm".into());
    }
    if p.alpha != d.alpha {
        f.push(format!("--alpha {}", number(p.alpha)));
    }
    if p.analyzer.ngrams != d.analyzer.ngrams {
        f.push(format!("--ngrams {}", p.analyzer.ngrams));
    }
    if p.analyzer.language != d.analyzer.language {
        f.push(format!("--language {}", p.analyzer.language));
    }
    if p.tf != d.tf {
        f.push(format!("--tf {}", format!("{:?}", p.tf).to_lowercase()));
    }
    if p.idf {
        f.push("--idf".into());
    }
    if p.normalize {
        f.push("--normalize".into());
    }
    if p.min_df != d.min_df {
        f.push(format!("--min-df {}", p.min_df));
    }
    if p.max_df != d.max_df {
        f.push(format!("--max-df {}", number(p.max_df)));
    }
    if let Some(n) = p.max_features {
        f.push(format!("--max-features {n}"));
    }
    match &p.priors {
        Priors::Fitted => {}
        Priors::Uniform => f.push("--priors uniform".into()),
        Priors::Given(given) => {
            let list: Vec<String> = given.iter().map(|(l, v)| format!("{l}={}", number(*v))).collect();
            f.push(format!("--priors {}", list.join(",")));
        }
    }
    if !p.analyzer.stop_words {
        f.push("--no-stop-words".into());
    }
    if !p.analyzer.stem {
        f.push("--no-stem".into());
    }
    if let Some(w) = context.filter(|&w| w != DEFAULT_CONTEXT) {
        f.push(format!("--context {w}"));
    }
    if f.is_empty() {
        "(defaults)".into()
    } else {
        f.join(" ")
    }
}

/// A number as it reads back to the same value, in the shorter of its two forms:
/// `0.1` and `3`, but `1e-300` rather than three hundred digits.
fn number(v: f64) -> String {
    let (plain, short) = (format!("{v}"), format!("{v:?}"));
    if plain.len() <= short.len() {
        plain
    } else {
        short
    }
}

impl ParamArgs {
    pub fn resolve(&self) -> Result<ModelParams> {
        // Settings the chosen variant has no use for are accepted (tune's lines can be
        // pasted whatever they hold), but said to do nothing.
        if self.weight_norm && !matches!(self.variant, VariantArg::Complement) {
            eprintln!("classify: note: --weight-norm applies to --variant complement only; it changes nothing here");
        }
        if matches!(self.variant, VariantArg::Bernoulli)
            && (!matches!(self.tf, TfArg::Raw) || self.idf || self.normalize)
        {
            eprintln!(
                "classify: note: Bernoulli naive Bayes sees only whether a term occurs; --tf, --idf and --normalize change nothing"
            );
        }
        if matches!(self.variant, VariantArg::Complement) && self.priors != "fitted" {
            eprintln!(
                "classify: note: Complement naive Bayes leaves class priors out of its decision (Rennie et al. 2003); --priors changes nothing"
            );
        }
        let priors = match self.priors.as_str() {
            "fitted" => Priors::Fitted,
            "uniform" => Priors::Uniform,
            given => {
                let mut p = Vec::new();
                for item in given.split(',') {
                    let (l, v) = item
                        .split_once('=')
                        .with_context(|| format!("--priors expects fitted, uniform or LABEL=P,...; got '{given}'"))?;
                    let v: f64 = v.parse().with_context(|| format!("--priors: '{v}' is not a number"))?;
                    if p.iter().any(|(seen, _)| seen == l) {
                        bail!("--priors gives label '{l}' twice");
                    }
                    p.push((l.to_string(), v));
                }
                Priors::Given(p)
            }
        };
        Ok(ModelParams {
            analyzer: AnalyzerConfig {
                language: self.language,
                stop_words: !self.no_stop_words,
                stem: !self.no_stem,
                ngrams: self.ngrams,
            },
            variant: match self.variant {
                VariantArg::Multinomial => Variant::Multinomial,
                VariantArg::Complement => Variant::Complement,
                VariantArg::Bernoulli => Variant::Bernoulli,
            },
            alpha: self.alpha,
            tf: match self.tf {
                TfArg::Raw => TermWeight::Raw,
                TfArg::Sublinear => TermWeight::Sublinear,
                TfArg::Binary => TermWeight::Binary,
            },
            idf: self.idf,
            normalize: self.normalize,
            weight_norm: self.weight_norm,
            min_df: self.min_df,
            max_df: self.max_df,
            max_features: self.max_features,
            priors,
        })
    }
}

/// The labelled paths of `train` and `tune`: LABELLED, else --labels, else labels/.
pub fn labelled_paths(paths: &[PathBuf], labels: &[PathBuf]) -> Vec<PathBuf> {
    if !paths.is_empty() {
        paths.to_vec()
    } else if !labels.is_empty() {
        labels.to_vec()
    } else {
        vec![PathBuf::from("labels/")]
    }
}
