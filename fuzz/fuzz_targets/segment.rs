//! Segmenter, tokeniser and analyzer on any text: never panic.
#![no_main]
use classify_text::{segment, tokenize, Analyzer, AnalyzerConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let paragraphs = segment(&text);
    let _ = tokenize(&text);
    let ngrams = data.first().map_or(1, |b| usize::from(b % 3) + 1);
    let analyzer = Analyzer::new(AnalyzerConfig { ngrams, ..AnalyzerConfig::default() });
    for p in paragraphs {
        assert!(!p.text.is_empty());
        let _ = analyzer.terms(&p.text);
    }
    let _ = classify_corpus::decode_text(data.to_vec());
});
