//! Segmenter, tokeniser, analyzer and text decoder on any bytes: never panic.
#![no_main]
use classify_text::{segment, tokenize, Analyzer, AnalyzerConfig};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// One analyzer per n-gram length, built once.
fn analyzers() -> &'static [Analyzer; 3] {
    static A: OnceLock<[Analyzer; 3]> = OnceLock::new();
    A.get_or_init(|| [1, 2, 3].map(|ngrams| Analyzer::new(AnalyzerConfig { ngrams, ..AnalyzerConfig::default() })))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let paragraphs = segment(&text);
    let _ = tokenize(&text);
    let analyzer = &analyzers()[data.first().map_or(0, |b| usize::from(b % 3))];
    for p in paragraphs {
        assert!(!p.text.is_empty());
        let _ = analyzer.terms(&p.text);
    }
    let _ = classify_corpus::decode_text(data.to_vec());
});
