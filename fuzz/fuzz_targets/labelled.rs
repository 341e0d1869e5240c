//! Every labelled-data and record parser, and the text decoder, on any file content: Ok
//! or Err, never a panic.
#![no_main]
use classify_corpus::{decode_text, read_labelled, read_records, Format, ReadOptions, RecordFormat, RecordOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else { return };
    let (format, name) = match pick % 5 {
        0 => (Format::Labels, "l.tsv"),
        1 => (Format::Csv, "d.csv"),
        2 => (Format::Tsv, "d.tsv"),
        3 => (Format::Jsonl, "d.jsonl"),
        _ => (Format::FastText, "d.ft"),
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let opts = ReadOptions { format, ..ReadOptions::default() };
    let _ = read_labelled(&[path.clone()], &opts);
    // Numbered columns, filters and a group field too.
    let opts = ReadOptions {
        format,
        text_fields: vec!["2".into(), "3".into()],
        label_field: "1".into(),
        filters: vec![("1".into(), "a".into())],
        ..ReadOptions::default()
    };
    let _ = read_labelled(&[path.clone()], &opts);
    // The same file as records to label, read to the end or the first error.
    let records = match pick % 5 {
        1 => Some(RecordFormat::Csv),
        2 => Some(RecordFormat::Tsv),
        3 => Some(RecordFormat::Jsonl),
        4 => Some(RecordFormat::FastText),
        _ => None,
    };
    if let Some(Ok(records)) = records.map(|f| read_records(&path, f, &RecordOptions::default())) {
        for r in records {
            if r.is_err() {
                break;
            }
        }
    }
    let _ = decode_text(content.to_vec());
});
