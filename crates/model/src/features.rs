//! From text to sparse term weights: the vocabulary, counting, and weighting.
//!
//! Text is analysed into a sequence of stems (the text crate's tokenizer, stemmer and
//! stop-word filter); stems get integer ids, and a feature is an n-gram of stem ids
//! packed into one `u128` key. N-grams are thus built without making strings, and a
//! feature's text (for explanations) is its stems joined by spaces.

use crate::params::{ModelParams, TermWeight};
use crate::tokens::TokenMap;
use classify_text::{for_each_token, Analyzer};
use hashbrown::hash_table::{Entry, HashTable};
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::Deserialize;
use std::hash::BuildHasher;
use std::sync::Mutex;

/// A sparse document: term indices in increasing order, with their values.
pub(crate) type Sparse = Vec<(u32, f64)>;

/// A stem id no vocabulary has: n-grams containing it are never features.
const UNKNOWN: u32 = u32::MAX;
/// Marks a stop word in a token cache.
const STOP: u32 = u32::MAX - 1;

/// An n-gram of 1 to 3 stem ids: the length in bits 96.., then the ids.
type Key = u128;

fn pack(ids: &[u32]) -> Key {
    let mut k = (ids.len() as u128) << 96;
    for (i, &id) in ids.iter().enumerate() {
        k |= u128::from(id) << (64 - 32 * i);
    }
    k
}

/// The stem ids of an n-gram key, without allocating.
#[derive(Clone, Copy)]
struct Gram {
    ids: [u32; 3],
    len: usize,
}

impl std::ops::Deref for Gram {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.ids[..self.len]
    }
}

fn unpack(k: Key) -> Gram {
    let len = ((k >> 96) as usize).min(3);
    let mut ids = [0; 3];
    for (i, id) in ids.iter_mut().enumerate().take(len) {
        *id = (k >> (64 - 32 * i)) as u32;
    }
    Gram { ids, len }
}

/// Calls `f` with the key of every n-gram (1..=n) of a stem-id sequence, each position's
/// unigram first, then the longer n-grams ending there.
fn for_each_key(seq: &[u32], n: usize, mut f: impl FnMut(Key)) {
    for i in 0..seq.len() {
        for len in 1..=n.min(i + 1) {
            let ids = &seq[i + 1 - len..=i];
            if !ids.contains(&UNKNOWN) {
                f(pack(ids));
            }
        }
    }
}

/// A per-thread memo from token to stem id (or stop word), so each distinct token is
/// stemmed and looked up once. Cleared when it grows past a bound, so memory stays flat
/// on endless input.
#[derive(Debug, Default)]
pub struct TermCache {
    map: TokenMap,
}

impl TermCache {
    /// About 65,000 distinct tokens, a few MB: a news vocabulary's frequent words fit.
    const CAPACITY: usize = 1 << 16;
}

/// One [`TermCache`] per worker thread of the rayon pool, and one for a caller outside
/// it, kept as long as this value lives. A cache made per batch, or per rayon job
/// (`map_init` makes dozens), stems every word again each time. The caches belong to
/// one model: its stem ids are in them.
#[derive(Debug)]
pub struct TermCaches(Vec<Mutex<TermCache>>);

impl Default for TermCaches {
    fn default() -> Self {
        TermCaches((0..=rayon::current_num_threads()).map(|_| Mutex::default()).collect())
    }
}

impl TermCaches {
    /// Runs `f` with the calling thread's cache.
    pub fn with<R>(&self, f: impl FnOnce(&mut TermCache) -> R) -> R {
        let slot = rayon::current_thread_index().map_or(0, |i| i + 1);
        match self.0.get(slot).map(|m| m.try_lock()) {
            Some(Ok(mut cache)) => f(&mut cache),
            // Busy (a nested call on the same thread) or poisoned: a fresh cache gives
            // the same result, only slower.
            _ => f(&mut TermCache::default()),
        }
    }
}

fn hash_stem(stem: &str) -> u64 {
    FxBuildHasher.hash_one(stem)
}

/// The stems and n-gram features a model knows; a feature's index is its position.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(from = "StoredVocabulary")]
pub struct Vocabulary {
    stems: Vec<String>,
    features: Vec<Key>,
    /// Stem ids, found by hashing the stem and comparing with `stems` (the table holds
    /// ids only, so loading a model copies no string).
    #[serde(skip)]
    stem_index: HashTable<u32>,
    /// How a feature is found from its stem ids.
    #[serde(skip)]
    index: GramIndex,
}

/// Lookup tables from stem ids to features, built on load in one pass with no hashing.
///
/// Features are sorted by key (length, then stem ids), so the bigrams that start with
/// stem `a` are consecutive, in order of their second stem: a bigram is found by a
/// binary search among them, in a dense copy of their second stems (a few cache lines
/// where the keys would take many). Trigrams likewise, by their last two stems. (Hash
/// maps of n-grams took longer to build on load than a large model took to label a
/// test set.)
#[derive(Clone, Debug, Default)]
struct GramIndex {
    /// The unigram feature of each stem, or `UNKNOWN`.
    unigram: Vec<u32>,
    bigram: Tails<u32>,
    trigram: Tails<u64>,
}

/// The n-grams of one length, grouped by first stem.
#[derive(Clone, Debug, Default)]
struct Tails<T> {
    /// Feature index of the first of them.
    first: usize,
    /// Where the n-grams starting with each stem begin, relative to `first`
    /// (`n_stems + 1` entries), or empty when there are none.
    starts: Vec<u32>,
    /// The stems after the first, of each n-gram in order.
    rest: Vec<T>,
}

impl<T: Ord + Copy> Tails<T> {
    /// For the features of length `n` (sorted by key); `rest` gives the stems after the
    /// first of a key.
    fn build(features: &[Key], n: u128, n_stems: usize, rest: impl Fn(Key) -> T) -> Tails<T> {
        let lo = features.partition_point(|&k| k >> 96 < n);
        let hi = features.partition_point(|&k| k >> 96 <= n);
        if lo == hi {
            return Tails { first: lo, starts: Vec::new(), rest: Vec::new() };
        }
        let grams = &features[lo..hi];
        let mut starts = Vec::with_capacity(n_stems + 1);
        let mut i = 0;
        for a in 0..=n_stems {
            while i < grams.len() && ((grams[i] >> 64) as u32 as usize) < a {
                i += 1;
            }
            starts.push(i as u32);
        }
        Tails { first: lo, starts, rest: grams.iter().map(|&k| rest(k)).collect() }
    }

    fn get(&self, a: u32, rest: T) -> Option<u32> {
        let a = a as usize;
        let (from, to) = (*self.starts.get(a)? as usize, *self.starts.get(a + 1)? as usize);
        self.rest[from..to].binary_search(&rest).ok().map(|at| (self.first + from + at) as u32)
    }
}

impl GramIndex {
    /// Builds the tables; `None` if the features are not in increasing key order
    /// (which rules out repeats) or a feature names a stem that does not exist.
    fn build(features: &[Key], n_stems: usize) -> Option<GramIndex> {
        if !features.windows(2).all(|w| w[0] < w[1]) {
            return None;
        }
        let mut unigram = vec![UNKNOWN; n_stems];
        for (i, &k) in features.iter().enumerate() {
            let g = unpack(k);
            if g.is_empty() || g.iter().any(|&id| id as usize >= n_stems) {
                return None;
            }
            if let [a] = *g {
                unigram[a as usize] = i as u32;
            }
        }
        Some(GramIndex {
            unigram,
            bigram: Tails::build(features, 2, n_stems, |k| (k >> 32) as u32),
            trigram: Tails::build(features, 3, n_stems, |k| k as u64),
        })
    }

    /// The feature of an n-gram of stem ids.
    fn get(&self, gram: &[u32]) -> Option<u32> {
        match *gram {
            [a] => self.unigram.get(a as usize).copied().filter(|&f| f != UNKNOWN),
            [a, b] => self.bigram.get(a, b),
            [a, b, c] => self.trigram.get(a, u64::from(b) << 32 | u64::from(c)),
            _ => None,
        }
    }
}

/// How a vocabulary is stored: its stems, and its features as a flat list of
/// `n, id_1, ..., id_n`. Format version 1 and 2 files hold this struct; later ones hold
/// the same two lists, the second as packed bytes (see [`Vocabulary::stored`]).
#[derive(Deserialize)]
pub(crate) struct StoredVocabulary {
    pub stems: Vec<String>,
    pub grams: Vec<u32>,
}

impl From<StoredVocabulary> for Vocabulary {
    /// A malformed list gives features that [`Vocabulary::rebuild_index`] rejects.
    fn from(s: StoredVocabulary) -> Self {
        let mut features = Vec::with_capacity(s.grams.len() / 2);
        let mut rest = s.grams.as_slice();
        while let Some((&n, tail)) = rest.split_first() {
            let n = n as usize;
            if n == 0 || n > 3 || tail.len() < n {
                // Unpacks to zero ids, which rebuild_index refuses.
                features.push(0);
                break;
            }
            features.push(pack(&tail[..n]));
            rest = &tail[n..];
        }
        Vocabulary { stems: s.stems, features, ..Vocabulary::default() }
    }
}

impl PartialEq for Vocabulary {
    fn eq(&self, other: &Self) -> bool {
        self.stems == other.stems && self.features == other.features
    }
}

impl Vocabulary {
    /// Rebuilds the lookup tables; false if stems or features repeat, or a feature
    /// names a stem that does not exist.
    pub(crate) fn rebuild_index(&mut self) -> bool {
        // The two tables are independent: build them at the same time.
        let stems = &self.stems;
        let (stem_index, index) = rayon::join(
            || {
                let mut table = HashTable::with_capacity(stems.len());
                for (i, stem) in stems.iter().enumerate() {
                    let at = |&j: &u32| stems[j as usize] == *stem;
                    match table.entry(hash_stem(stem), at, |&j| hash_stem(&stems[j as usize])) {
                        Entry::Occupied(_) => return None,
                        Entry::Vacant(slot) => slot.insert(i as u32),
                    };
                }
                Some(table)
            },
            || GramIndex::build(&self.features, self.stems.len()),
        );
        match (stem_index, index) {
            (Some(stem_index), Some(index)) => {
                self.stem_index = stem_index;
                self.index = index;
                true
            }
            _ => false,
        }
    }

    /// The stems, and the features as the flat list of [`StoredVocabulary`].
    pub(crate) fn stored(&self) -> (&[String], Vec<u32>) {
        let mut grams = Vec::with_capacity(self.features.len() * 3);
        for &k in &self.features {
            let ids = unpack(k);
            grams.push(ids.len() as u32);
            grams.extend_from_slice(&ids);
        }
        (&self.stems, grams)
    }

    /// The id of a stem.
    fn stem_id(&self, stem: &str) -> Option<u32> {
        self.stem_index.find(hash_stem(stem), |&j| self.stems[j as usize] == stem).copied()
    }

    /// Number of features (terms and n-grams).
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The text of feature `i`: its stems joined by spaces.
    pub fn term(&self, i: usize) -> String {
        unpack(self.features[i]).iter().map(|&s| self.stems[s as usize].as_str()).collect::<Vec<_>>().join(" ")
    }

    /// The index of a feature given as text (stems joined by single spaces).
    pub fn get(&self, term: &str) -> Option<u32> {
        let ids: Option<Vec<u32>> = term.split(' ').map(|s| self.stem_id(s)).collect();
        let ids = ids?;
        if ids.is_empty() || ids.len() > 3 {
            return None;
        }
        self.index.get(&ids)
    }

    /// Counts of known features in one text, in increasing index order.
    pub(crate) fn count(&self, analyzer: &Analyzer, text: &str, cache: &mut TermCache) -> Vec<(u32, u32)> {
        if cache.map.len() > TermCache::CAPACITY {
            cache.map.clear();
        }
        let mut seq = Vec::new();
        for_each_token(text, |tok| {
            let id = cache.map.get_or_insert_with(tok, || match analyzer.stem(tok) {
                None => STOP,
                Some(stem) => self.stem_id(&stem).unwrap_or(UNKNOWN),
            });
            if id != STOP {
                seq.push(id);
            }
        });
        let n = analyzer.config().ngrams;
        let mut ids = Vec::with_capacity(seq.len() * n);
        for i in 0..seq.len() {
            // The same features as `for_each_key`.
            for len in 1..=n.min(i + 1) {
                let gram = &seq[i + 1 - len..=i];
                if !gram.contains(&UNKNOWN) {
                    if let Some(f) = self.index.get(gram) {
                        ids.push(f);
                    }
                }
            }
        }
        run_lengths(ids)
    }
}

fn run_lengths<T: Ord + Copy>(mut ids: Vec<T>) -> Vec<(T, u32)> {
    ids.sort_unstable();
    let mut out: Vec<(T, u32)> = Vec::with_capacity(ids.len());
    for i in ids {
        match out.last_mut() {
            Some((last, n)) if *last == i => *n += 1,
            _ => out.push((i, 1)),
        }
    }
    out
}

/// N-gram key to id: a table indexed by stem id for unigrams (the default model has no
/// other features), a hash map for longer n-grams and for unigrams whose stem id lies
/// beyond the table.
struct KeyIds {
    unigram: Vec<u32>,
    longer: FxHashMap<Key, u32>,
}

impl KeyIds {
    /// A table for stem ids below `width`.
    fn new(width: usize) -> KeyIds {
        KeyIds { unigram: vec![UNKNOWN; width], longer: FxHashMap::default() }
    }

    fn get(&self, key: Key) -> Option<u32> {
        match unpack(key) {
            Gram { len: 1, ids } if (ids[0] as usize) < self.unigram.len() => {
                Some(self.unigram[ids[0] as usize]).filter(|&id| id != UNKNOWN)
            }
            _ => self.longer.get(&key).copied(),
        }
    }

    fn get_or_insert_with(&mut self, key: Key, make: impl FnOnce() -> u32) -> u32 {
        match unpack(key) {
            Gram { len: 1, ids } if (ids[0] as usize) < self.unigram.len() => {
                let slot = &mut self.unigram[ids[0] as usize];
                if *slot == UNKNOWN {
                    *slot = make();
                }
                *slot
            }
            _ => *self.longer.entry(key).or_insert_with(make),
        }
    }
}

/// Analyses every text in parallel and builds the vocabulary, applying the document
/// frequency limits and the vocabulary cap. Returns it with each text's feature counts.
///
/// Determinism: stems are numbered in order of first occurrence in the input, which
/// does not depend on how the work is split; features are ordered by key; all counts
/// are integers. So the result is the same for any thread count.
pub(crate) fn build(analyzer: &Analyzer, texts: &[&str], params: &ModelParams) -> (Vocabulary, Vec<Vec<(u32, u32)>>) {
    // Phase 1, parallel: each chunk numbers its own tokens and turns its texts into
    // sequences of local token ids.
    struct Chunk {
        tokens: Vec<Box<str>>,
        docs: Vec<Vec<u32>>,
    }
    let chunk_size = texts.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let chunks: Vec<Chunk> = texts
        .par_chunks(chunk_size)
        .map(|chunk| {
            let mut index = TokenMap::default();
            let mut tokens = Vec::new();
            let docs = chunk
                .iter()
                .map(|text| {
                    let mut seq = Vec::new();
                    for_each_token(text, |tok| {
                        seq.push(index.get_or_insert_with(tok, || {
                            tokens.push(Box::from(tok));
                            (tokens.len() - 1) as u32
                        }));
                    });
                    seq
                })
                .collect();
            Chunk { tokens, docs }
        })
        .collect();

    // Phase 2: global token ids in order of first occurrence; each distinct token is
    // stemmed once, in parallel; stems numbered in order of first occurrence (the first
    // occurrence of a stem is that of its first token).
    let mut global = TokenMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    let to_global: Vec<Vec<u32>> = chunks
        .iter()
        .map(|c| {
            c.tokens
                .iter()
                .map(|t| {
                    global.get_or_insert_with(t, || {
                        distinct.push(t);
                        (distinct.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let stemmed: Vec<Option<Box<str>>> = distinct.par_iter().map(|t| analyzer.stem(t)).collect();
    let mut stem_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut stems: Vec<&str> = Vec::new();
    let stem_of: Vec<u32> = stemmed
        .iter()
        .map(|s| match s {
            None => STOP,
            Some(s) => *stem_ids.entry(s).or_insert_with(|| {
                stems.push(s);
                (stems.len() - 1) as u32
            }),
        })
        .collect();
    // Chunk-local token id to stem id (or STOP).
    let maps: Vec<Vec<u32>> = to_global.iter().map(|m| m.iter().map(|&g| stem_of[g as usize]).collect()).collect();

    // Phase 3, parallel: each chunk numbers its own n-gram keys, counts its documents
    // with them, and sums document frequencies and totals per key.
    struct Keyed {
        keys: Vec<Key>,
        df: Vec<u32>,
        total: Vec<u64>,
        docs: Vec<Vec<(u32, u32)>>,
    }
    let n = analyzer.config().ngrams;
    let keyed: Vec<Keyed> = chunks
        .par_iter()
        .zip(maps.par_iter())
        .map(|(chunk, map)| {
            // A chunk's table covers the stem ids it uses, unless that would be far
            // larger than the chunk itself (many threads, a huge vocabulary): then its
            // unigrams go to the hash map.
            let width = map.iter().filter(|&&id| id != STOP).max().map_or(0, |&m| m as usize + 1);
            let mut index = KeyIds::new(if width <= 8 * map.len() + 1024 { width } else { 0 });
            let mut k = Keyed {
                keys: Vec::new(),
                df: Vec::new(),
                total: Vec::new(),
                docs: Vec::with_capacity(chunk.docs.len()),
            };
            let mut seq = Vec::new();
            let mut ids = Vec::new();
            for local in &chunk.docs {
                seq.clear();
                seq.extend(local.iter().map(|&l| map[l as usize]).filter(|&id| id != STOP));
                ids.clear();
                for_each_key(&seq, n, |key| {
                    ids.push(index.get_or_insert_with(key, || {
                        k.keys.push(key);
                        k.df.push(0);
                        k.total.push(0);
                        (k.keys.len() - 1) as u32
                    }));
                });
                ids.sort_unstable();
                let mut doc: Vec<(u32, u32)> = Vec::new();
                for &id in &ids {
                    match doc.last_mut() {
                        Some((last, c)) if *last == id => *c += 1,
                        _ => doc.push((id, 1)),
                    }
                }
                doc.shrink_to_fit();
                for &(id, c) in &doc {
                    k.df[id as usize] += 1;
                    k.total[id as usize] += u64::from(c);
                }
                k.docs.push(doc);
            }
            k
        })
        .collect();

    // Phase 4: document frequencies and totals over all chunks, then the limits.
    let mut seen = KeyIds::new(stems.len());
    let mut stats: Vec<(Key, u32, u64)> = Vec::new();
    for k in &keyed {
        for (i, &key) in k.keys.iter().enumerate() {
            let at = seen.get_or_insert_with(key, || {
                stats.push((key, 0, 0));
                (stats.len() - 1) as u32
            });
            let e = &mut stats[at as usize];
            e.1 += k.df[i];
            e.2 += k.total[i];
        }
    }
    drop(seen);
    let max_df = (params.max_df * texts.len() as f64).floor() as u32;
    let mut kept: Vec<(Key, u64)> = stats
        .into_iter()
        .filter(|&(_, df, _)| df as usize >= params.min_df && (params.max_df >= 1.0 || df <= max_df))
        .map(|(k, _, total)| (k, total))
        .collect();
    if let Some(cap) = params.max_features {
        if kept.len() > cap {
            // Most frequent first; ties by key, so the cut is deterministic.
            kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            kept.truncate(cap);
        }
    }
    let mut keys: Vec<Key> = kept.into_iter().map(|(k, _)| k).collect();
    keys.sort_unstable();

    // Keep only the stems that kept features use, renumbered in the same order (so
    // the renumbering keeps keys sorted).
    let mut used = vec![false; stems.len()];
    for &k in &keys {
        for &id in unpack(k).iter() {
            used[id as usize] = true;
        }
    }
    let mut renumber = vec![UNKNOWN; stems.len()];
    let mut kept_stems = Vec::new();
    for (i, s) in stems.iter().enumerate() {
        if used[i] {
            renumber[i] = kept_stems.len() as u32;
            kept_stems.push(s.to_string());
        }
    }
    let mut feature_of = KeyIds::new(stems.len());
    for (i, &k) in keys.iter().enumerate() {
        feature_of.get_or_insert_with(k, || i as u32);
    }
    let features: Vec<Key> =
        keys.iter().map(|&k| pack(&unpack(k).iter().map(|&i| renumber[i as usize]).collect::<Vec<_>>())).collect();
    let mut vocab = Vocabulary { stems: kept_stems, features, ..Vocabulary::default() };
    // Keys are sorted and unique, and the renumbering keeps their order: the index
    // always builds. A failure here would write a model that does not load.
    let built = vocab.rebuild_index();
    assert!(built, "training built a vocabulary that is not sorted by key");

    // Phase 5, parallel: documents in feature indices.
    let counts = keyed
        .into_par_iter()
        .flat_map_iter(|k| {
            let to_feature: Vec<Option<u32>> = k.keys.iter().map(|&key| feature_of.get(key)).collect();
            k.docs.into_iter().map(move |doc| {
                let mut d: Vec<(u32, u32)> =
                    doc.into_iter().filter_map(|(l, c)| to_feature[l as usize].map(|f| (f, c))).collect();
                d.sort_unstable_by_key(|&(f, _)| f);
                d
            })
        })
        .collect();
    (vocab, counts)
}

/// Smoothed inverse document frequency, `ln((1 + n) / (1 + df)) + 1`, as scikit-learn.
pub(crate) fn idf(docs: &[Vec<(u32, u32)>], n_terms: usize) -> Vec<f64> {
    let mut df = vec![0u32; n_terms];
    for doc in docs {
        for &(i, _) in doc {
            df[i as usize] += 1;
        }
    }
    let n = docs.len() as f64;
    df.into_iter().map(|d| ((1.0 + n) / (1.0 + f64::from(d))).ln() + 1.0).collect()
}

/// Turns counts into the weights the model sees.
pub(crate) fn weigh(counts: &[(u32, u32)], params: &ModelParams, idf: Option<&[f64]>) -> Sparse {
    let mut out: Sparse = counts
        .iter()
        .map(|&(i, n)| {
            let n = f64::from(n);
            let mut v = match params.tf {
                TermWeight::Raw => n,
                TermWeight::Sublinear => 1.0 + n.ln(),
                TermWeight::Binary => 1.0,
            };
            if let Some(idf) = idf {
                v *= idf[i as usize];
            }
            (i, v)
        })
        .collect();
    if params.normalize {
        let norm = out.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut out {
                *v /= norm;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use classify_text::AnalyzerConfig;

    #[test]
    fn key_ids_agree_whatever_the_table_width() {
        let keys: Vec<Key> =
            [&[0][..], &[5], &[1, 5], &[2], &[0], &[5], &[4, 0, 2], &[1, 5]].iter().map(|k| pack(k)).collect();
        let numbered = |width| {
            let mut ids = KeyIds::new(width);
            let mut next = 0;
            let got: Vec<u32> = keys
                .iter()
                .map(|&k| {
                    ids.get_or_insert_with(k, || {
                        next += 1;
                        next - 1
                    })
                })
                .collect();
            let looked: Vec<Option<u32>> = keys.iter().chain(&[pack(&[3])]).map(|&k| ids.get(k)).collect();
            (got, looked)
        };
        let (got, looked) = numbered(6);
        assert_eq!(got, [0, 1, 2, 3, 0, 1, 4, 2]);
        assert_eq!(looked.last(), Some(&None));
        for width in [0, 1, 3] {
            assert_eq!(numbered(width), (got.clone(), looked.clone()), "width {width}");
        }
    }

    fn vocabulary(stems: &[&str], features: &[&[u32]]) -> Vocabulary {
        Vocabulary {
            stems: stems.iter().map(|s| s.to_string()).collect(),
            features: features.iter().map(|f| pack(f)).collect(),
            ..Vocabulary::default()
        }
    }

    #[test]
    fn index_finds_stems_and_n_grams_and_refuses_bad_vocabularies() {
        // Features in key order: unigrams, bigrams, trigrams, each by stem ids.
        let grams: &[&[u32]] = &[&[0], &[1], &[2], &[0, 2], &[1, 0], &[1, 2], &[2, 0], &[1, 0, 2], &[2, 0, 1]];
        let mut v = vocabulary(&["secur", "region", "asia"], grams);
        assert!(v.rebuild_index());
        for (i, g) in grams.iter().enumerate() {
            let term = g.iter().map(|&s| ["secur", "region", "asia"][s as usize]).collect::<Vec<_>>().join(" ");
            assert_eq!(v.get(&term), Some(i as u32), "{term}");
        }
        for absent in ["secur region", "asia asia", "region region", "secur asia region", "asia secur secur", "trade"] {
            assert_eq!(v.get(absent), None, "{absent}");
        }
        // A stem listed twice, a feature naming a stem that does not exist, a repeated
        // feature, features out of key order.
        assert!(!vocabulary(&["secur", "region", "secur"], &[&[0], &[1]]).rebuild_index());
        assert!(!vocabulary(&["secur"], &[&[0], &[1]]).rebuild_index());
        assert!(!vocabulary(&["secur", "region"], &[&[0], &[1], &[1]]).rebuild_index());
        assert!(!vocabulary(&["secur", "region"], &[&[0], &[1, 0], &[1]]).rebuild_index());
    }

    #[test]
    fn features_are_the_analyzers_terms() {
        // The id-based n-grams must name exactly the terms the string analyzer gives.
        let text = "Regional security threats and regional security cooperation in Central Asia.";
        for n in 1..=3 {
            let analyzer = Analyzer::new(AnalyzerConfig { ngrams: n, ..AnalyzerConfig::default() });
            let params = ModelParams { analyzer: analyzer.config().clone(), ..ModelParams::default() };
            let (vocab, counts) = build(&analyzer, &[text], &params);
            let mut from_vocab: Vec<(String, u32)> =
                counts[0].iter().map(|&(i, c)| (vocab.term(i as usize), c)).collect();
            from_vocab.sort();
            let mut expected: Vec<(String, u32)> = Vec::new();
            for t in analyzer.terms(text) {
                match expected.iter_mut().find(|(e, _)| *e == t) {
                    Some((_, c)) => *c += 1,
                    None => expected.push((t, 1)),
                }
            }
            expected.sort();
            assert_eq!(from_vocab, expected, "n = {n}");
            // And counting a new text through the vocabulary agrees.
            let again = vocab.count(&analyzer, text, &mut TermCache::default());
            assert_eq!(again, counts[0]);
            assert_eq!(vocab.get("secur"), vocab.get("secur"));
        }
    }
}
