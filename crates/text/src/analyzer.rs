//! The analysis chain, in the order it runs: tokenizer (with lower-caser), stemmer,
//! stop-word filter, n-grams.

use crate::{for_each_token, stopwords, Language};
use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Settings of the analysis chain. Stored in every model file, so that labelling
/// analyses text exactly as training did.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `language` | English | Snowball stemmer and stop-word list | [`Language::ALL`] |
/// | `stop_words` | true | drop the language's stop words | |
/// | `stem` | true | reduce words to their Snowball stem | |
/// | `ngrams` | 1 | longest word n-gram emitted | 1..=3 |
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerConfig {
    /// Stemmer and stop-word language.
    pub language: Language,
    /// Whether stop words are removed.
    pub stop_words: bool,
    /// Whether words are stemmed.
    pub stem: bool,
    /// Longest word n-gram: 1 gives single words, 2 adds pairs, 3 adds triples.
    pub ngrams: usize,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig { language: Language::English, stop_words: true, stem: true, ngrams: 1 }
    }
}

/// A memo of token -> stem (or `None` for a stop word), owned by one thread.
///
/// Stemming dominates analysis time and natural text repeats its words, so callers
/// that analyse many documents keep one cache per thread.
#[derive(Default, Debug)]
pub struct StemCache {
    map: HashMap<String, Option<Box<str>>>,
}

impl StemCache {
    /// Largest number of distinct tokens remembered; past it the cache is cleared,
    /// so memory stays bounded on endless input.
    const CAPACITY: usize = 1 << 20;
}

/// Turns text into terms: stems and, if asked, word n-grams of stems joined by a space.
pub struct Analyzer {
    config: AnalyzerConfig,
    stemmer: Stemmer,
    stop: HashSet<String>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("config", &self.config).finish()
    }
}

impl Analyzer {
    /// Builds the chain. `ngrams` outside 1..=3 is clamped into that range.
    pub fn new(mut config: AnalyzerConfig) -> Analyzer {
        config.ngrams = config.ngrams.clamp(1, 3);
        let stemmer = Stemmer::create(config.language.algorithm());
        let mut stop = HashSet::new();
        if config.stop_words {
            for w in stopwords::for_language(config.language) {
                stop.insert(w.to_string());
                // Stop words are stemmed with the same stemmer as the text.
                if config.stem {
                    stop.insert(stemmer.stem(w).into_owned());
                }
            }
        }
        Analyzer { config, stemmer, stop }
    }

    /// The settings this analyzer was built with.
    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// The stem of one token from [`crate::for_each_token`], or `None` if it is a stop
    /// word. The stemmer expects lower-cased tokens, which the tokenizer gives.
    pub fn stem(&self, token: &str) -> Option<Box<str>> {
        let stem = if self.config.stem { self.stemmer.stem(token) } else { token.into() };
        if self.stop.contains(token) || self.stop.contains(stem.as_ref()) {
            None
        } else {
            Some(stem.into_owned().into_boxed_str())
        }
    }

    /// Calls `f` with every term of `text`: first each stem in order, each followed by
    /// the n-grams that end with it (longest last).
    pub fn for_each_term(&self, text: &str, cache: &mut StemCache, mut f: impl FnMut(&str)) {
        let n = self.config.ngrams;
        // The last n-1 stems, for n-grams; and a buffer to join them.
        let mut window: Vec<Box<str>> = Vec::with_capacity(n);
        let mut joined = String::new();
        if cache.map.len() > StemCache::CAPACITY {
            cache.map.clear();
        }
        for_each_token(text, |token| {
            let stem = match cache.map.get(token) {
                Some(s) => s.clone(),
                None => {
                    let s = self.stem(token);
                    cache.map.insert(token.to_owned(), s.clone());
                    s
                }
            };
            let Some(stem) = stem else { return };
            f(&stem);
            if n > 1 {
                if window.len() == n {
                    window.remove(0);
                }
                window.push(stem);
                for start in (0..window.len().saturating_sub(1)).rev() {
                    joined.clear();
                    for (i, s) in window[start..].iter().enumerate() {
                        if i > 0 {
                            joined.push(' ');
                        }
                        joined.push_str(s);
                    }
                    f(&joined);
                }
            }
        });
    }

    /// Every term of `text`, in order. Convenience over [`Analyzer::for_each_term`].
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut cache = StemCache::default();
        let mut out = Vec::new();
        self.for_each_term(text, &mut cache, |t| out.push(t.to_owned()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer(ngrams: usize) -> Analyzer {
        Analyzer::new(AnalyzerConfig { ngrams, ..AnalyzerConfig::default() })
    }

    #[test]
    fn stems_and_drops_stop_words_on_a_seed_sentence() {
        // seeds/000, first real paragraph.
        let terms = analyzer(1).terms(
            "The Central Asian Security and Cooperation Forum serves as a catalyst for exploring collaborations",
        );
        assert_eq!(terms, ["central", "asian", "secur", "cooper", "forum", "serv", "catalyst", "explor", "collabor"]);
    }

    #[test]
    fn stop_words_match_after_stemming() {
        // "having" and "doing" are stop words whose stems ("have", "do") must also be filtered.
        assert_eq!(analyzer(1).terms("having doing ourselves militants"), ["milit"]);
    }

    #[test]
    fn bigrams_and_trigrams_follow_their_last_word() {
        assert_eq!(
            analyzer(2).terms("regional security threats"),
            ["region", "secur", "region secur", "threat", "secur threat"]
        );
        assert_eq!(
            analyzer(3).terms("regional security threats"),
            ["region", "secur", "region secur", "threat", "secur threat", "region secur threat"]
        );
    }

    #[test]
    fn every_language_builds_and_stems() {
        for language in Language::ALL {
            let a = Analyzer::new(AnalyzerConfig { language, ..AnalyzerConfig::default() });
            // Never fails, even on text in another script.
            let _ = a.terms("Kazakhstan Қазақстан 2021");
        }
        let ru = Analyzer::new(AnalyzerConfig { language: Language::Russian, ..AnalyzerConfig::default() });
        assert_eq!(ru.terms("безопасности"), ["безопасн"]);
    }

    #[test]
    fn empty_text_has_no_terms() {
        assert!(analyzer(3).terms("").is_empty());
        assert!(analyzer(1).terms("the of and").is_empty());
    }
}
