//! The model file: a fixed header, then a bincode payload.
//!
//! ```text
//! offset  size  field
//! 0       8     magic "CLASSIFY"
//! 8       4     format version, u32 little-endian
//! 12      8     payload length in bytes, u64 little-endian
//! 20      4     CRC-32 of the payload, u32 little-endian
//! 24      n     payload: bincode (varint) of the whole pipeline
//! ```
//!
//! Since version 3 the payload holds its large arrays (the n-gram list, idf, and the
//! weights' per-term and per-pair arrays) as byte strings of little-endian numbers,
//! which load at the speed of a copy; bincode's element-by-element decoding of them
//! took most of the time `classify label` spent on a small batch with a large model.
//!
//! Reading distrusts the file: the declared length is checked against the real length
//! and the checksum is verified before anything is decoded; decoding is limited to the
//! payload's size, and the decoded model is checked for consistency.

use crate::features::{StoredVocabulary, Vocabulary};
use crate::model::{Model, TrainingSummary};
use crate::params::{ModelParams, ValidParams};
use crate::weights::Weights;
use crate::{Error, Result};
use bincode::Options;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"CLASSIFY";
const HEADER: usize = 24;
/// The format version this build writes, and the newest it reads. Version 2 added the
/// context weight; version 1 models are read with a weight of 0, so they label exactly
/// as they did. Version 3 packs the large arrays (see the module documentation).
pub const FORMAT_VERSION: u32 = 3;

/// The payload of versions 1 and 2: what version 1 held.
#[derive(Deserialize)]
struct Payload {
    params: ModelParams,
    labels: Vec<String>,
    vocabulary: Vocabulary,
    idf: Option<Vec<f64>>,
    class_log_prior: Vec<f64>,
    weights: Weights,
    bias: Vec<f64>,
    temperature: f64,
    summary: TrainingSummary,
}

/// Version 2: the same, then the context weight. bincode writes a nested struct as its
/// fields in order, so this is version 1's fields, then `context`.
#[derive(Deserialize)]
struct PayloadV2 {
    v1: Payload,
    context: f64,
}

/// Version 3: version 2's fields in the same order, the large arrays packed.
#[derive(Deserialize)]
struct PayloadV3 {
    params: ModelParams,
    labels: Vec<String>,
    stems: Vec<String>,
    grams: Packed<u32>,
    idf: Option<Packed<f64>>,
    class_log_prior: Vec<f64>,
    scale: Vec<f64>,
    offset: Vec<f64>,
    base: Packed<f64>,
    start: Packed<u32>,
    class: Packed<u16>,
    delta: Packed<f64>,
    bias: Vec<f64>,
    temperature: f64,
    summary: TrainingSummary,
    context: f64,
}

/// The layout of [`PayloadV3`], borrowed where the model holds the data as it is
/// written. Field order and types must match it exactly.
#[derive(Serialize)]
struct PayloadV3Ref<'a> {
    params: &'a ModelParams,
    labels: &'a [String],
    stems: &'a [String],
    grams: PackedRef<'a, u32>,
    idf: Option<PackedRef<'a, f64>>,
    class_log_prior: &'a [f64],
    scale: &'a [f64],
    offset: &'a [f64],
    base: PackedRef<'a, f64>,
    start: PackedRef<'a, u32>,
    class: PackedRef<'a, u16>,
    delta: PackedRef<'a, f64>,
    bias: &'a [f64],
    temperature: f64,
    summary: &'a TrainingSummary,
    context: f64,
}

/// A number stored as little-endian bytes in a packed array.
trait LittleEndian: Copy {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! little_endian {
    ($($t:ty),*) => {$(
        impl LittleEndian for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes.try_into().expect("chunks of SIZE bytes"))
            }
        }
    )*};
}
little_endian!(u16, u32, f64);

/// An array written as one byte string of its little-endian numbers.
struct PackedRef<'a, T>(&'a [T]);

impl<T: LittleEndian> Serialize for PackedRef<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(self.0.len() * T::SIZE);
        for &x in self.0 {
            x.put(&mut bytes);
        }
        serializer.serialize_bytes(&bytes)
    }
}

/// An array read from one byte string of its little-endian numbers.
struct Packed<T>(Vec<T>);

impl<'de, T: LittleEndian> Deserialize<'de> for Packed<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<T: LittleEndian> serde::de::Visitor<'_> for Visit<T> {
            type Value = Packed<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a byte string of {}-byte numbers", T::SIZE)
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> std::result::Result<Packed<T>, E> {
                if bytes.len() % T::SIZE != 0 {
                    return Err(E::invalid_length(bytes.len(), &self));
                }
                Ok(Packed(bytes.chunks_exact(T::SIZE).map(T::get).collect()))
            }
        }
        deserializer.deserialize_bytes(Visit(std::marker::PhantomData))
    }
}

fn options(limit: u64) -> impl Options {
    bincode::DefaultOptions::new().with_limit(limit)
}

impl Model {
    /// The model file's bytes. The same model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (stems, grams) = self.vocab.stored();
        let w = &self.weights;
        let payload = PayloadV3Ref {
            params: self.params.get(),
            labels: &self.labels,
            stems,
            grams: PackedRef(&grams),
            idf: self.idf.as_deref().map(PackedRef),
            class_log_prior: &self.class_log_prior,
            scale: &w.scale,
            offset: &w.offset,
            base: PackedRef(&w.base),
            start: PackedRef(&w.start),
            class: PackedRef(&w.class),
            delta: PackedRef(&w.delta),
            bias: &self.bias,
            temperature: self.temperature,
            summary: &self.summary,
            context: self.context,
        };
        let size = options(u64::MAX).serialized_size(&payload).expect("a model always serialises") as usize;
        let mut out = Vec::with_capacity(HEADER + size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(size as u64).to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        options(u64::MAX).serialize_into(&mut out, &payload).expect("a model always serialises");
        let crc = crc32fast::hash(&out[HEADER..]);
        out[20..24].copy_from_slice(&crc.to_le_bytes());
        out
    }

    /// Whether `head`, the first bytes of a file (8 suffice), starts as a model file does.
    pub fn starts_like_a_model(head: &[u8]) -> bool {
        head.len() >= MAGIC.len() && &head[..MAGIC.len()] == MAGIC
    }

    /// Reads a model file's bytes, refusing anything truncated, altered or inconsistent.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        if bytes.is_empty() {
            return Err(Error::Empty);
        }
        if !Model::starts_like_a_model(bytes) {
            return Err(Error::NotAModel);
        }
        if bytes.len() < HEADER {
            return Err(Error::TruncatedHeader(bytes.len()));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version == 0 || version > FORMAT_VERSION {
            return Err(Error::UnsupportedVersion { found: version, supported: FORMAT_VERSION });
        }
        let declared = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
        let actual = (bytes.len() - HEADER) as u64;
        if declared != actual {
            return Err(Error::WrongLength { declared, actual });
        }
        let crc = u32::from_le_bytes(bytes[20..24].try_into().expect("4 bytes"));
        let body = &bytes[HEADER..];
        if crc32fast::hash(body) != crc {
            return Err(Error::Checksum);
        }
        let corrupt = |e: bincode::Error| Error::Corrupt(e.to_string());
        let (payload, context) = match version {
            1 => (options(actual).deserialize::<Payload>(body).map_err(corrupt)?, 0.0),
            2 => {
                let p: PayloadV2 = options(actual).deserialize(body).map_err(corrupt)?;
                (p.v1, p.context)
            }
            _ => {
                let p: PayloadV3 = options(actual).deserialize(body).map_err(corrupt)?;
                let vocabulary = Vocabulary::from(StoredVocabulary { stems: p.stems, grams: p.grams.0 });
                let weights = Weights {
                    scale: p.scale,
                    offset: p.offset,
                    base: p.base.0,
                    start: p.start.0,
                    class: p.class.0,
                    delta: p.delta.0,
                };
                let v1 = Payload {
                    params: p.params,
                    labels: p.labels,
                    vocabulary,
                    idf: p.idf.map(|x| x.0),
                    class_log_prior: p.class_log_prior,
                    weights,
                    bias: p.bias,
                    temperature: p.temperature,
                    summary: p.summary,
                };
                (v1, p.context)
            }
        };
        validate(payload, context)
    }
}

/// The largest magnitude of a parameter a model file may hold.
const MAX_PARAMETER: f64 = 1e6;
/// The temperatures a model file may hold: around the calibration's search range.
const MIN_TEMPERATURE: f64 = 1e-3;
const MAX_TEMPERATURE: f64 = 1e5;

/// Why fitted or decoded parameters could not be a model's, if they could not: weights
/// that do not match `k` labels and `v` terms, or numbers that are not finite or out of
/// range. Finite is not enough: sums of values near f64::MAX overflow to NaN
/// probabilities. Training never comes near the bounds (log-probabilities of counts,
/// and their differences, are tens at most; priors and biases are log-probabilities, at
/// most 0).
pub(crate) fn parameters_problem(
    weights: &Weights,
    k: usize,
    v: usize,
    class_log_prior: &[f64],
    bias: &[f64],
) -> Option<&'static str> {
    if !weights.is_consistent(k, v) {
        return Some("weights do not match labels and vocabulary");
    }
    if class_log_prior.len() != k || bias.len() != k {
        return Some("per-label arrays do not match the labels");
    }
    let finite = |x: &[f64]| x.iter().all(|v| v.is_finite());
    if !finite(class_log_prior) || !finite(bias) {
        return Some("non-finite parameters");
    }
    let bounded = |x: &[f64]| x.iter().all(|v| v.abs() <= MAX_PARAMETER);
    if !weights.is_bounded(MAX_PARAMETER)
        || !bounded(class_log_prior)
        || !bounded(bias)
        || class_log_prior.iter().chain(bias).any(|&v| v > 1e-9)
    {
        return Some("parameters out of range");
    }
    None
}

fn validate(p: Payload, context: f64) -> Result<Model> {
    let corrupt = |what: &str| Err(Error::Corrupt(what.to_string()));
    let params: ValidParams = p.params.check().map_err(|e| Error::Corrupt(e.to_string()))?;
    let (k, v) = (p.labels.len(), p.vocabulary.len());
    if k < 2 {
        return corrupt("fewer than two labels");
    }
    if let Some(why) = parameters_problem(&p.weights, k, v, &p.class_log_prior, &p.bias) {
        return corrupt(why);
    }
    if p.summary.documents_per_label.len() != k {
        return corrupt("per-label arrays do not match the labels");
    }
    if params.get().idf != p.idf.is_some() {
        return corrupt("idf does not match the settings");
    }
    if p.idf.as_ref().is_some_and(|idf| idf.len() != v) {
        return corrupt("idf does not match the vocabulary");
    }
    if p.idf.as_ref().is_some_and(|idf| !idf.iter().all(|x| x.is_finite() && *x > 0.0)) {
        return corrupt("idf has values that are not positive numbers");
    }
    if !(0.0..=1.0).contains(&context) {
        return corrupt("context weight is not in [0, 1]");
    }
    if !(MIN_TEMPERATURE..=MAX_TEMPERATURE).contains(&p.temperature) {
        return corrupt("temperature out of range");
    }
    let mut names: Vec<&String> = p.labels.iter().collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return corrupt("a label is named twice");
    }
    let mut vocab = p.vocabulary;
    if !vocab.rebuild_index() {
        return corrupt("vocabulary has repeated or dangling entries");
    }
    let mut model = Model::assemble(params, p.labels, vocab, p.idf, p.class_log_prior, p.weights, p.bias, p.summary);
    model.temperature = p.temperature;
    model.context = context;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ModelParams;

    #[test]
    fn finite_but_extreme_or_ambiguous_models_are_refused() {
        let texts =
            ["trade exports tariffs growth", "exports trade pipeline", "militants attack troops", "troops attack"];
        let fit = || Model::fit(&ModelParams::default().check().unwrap(), &texts, &["a", "a", "b", "b"]).unwrap();
        assert!(Model::from_bytes(&fit().to_bytes()).is_ok());
        // Each of these loaded before, and printed NaN probabilities or duplicate keys.
        type Change = (&'static str, fn(&mut Model));
        let changes: [Change; 7] = [
            ("parameters out of range", |m| m.class_log_prior = vec![f64::MAX, -f64::MAX]),
            ("parameters out of range", |m| m.bias = vec![f64::MAX, 0.0]),
            ("parameters out of range", |m| m.weights.offset[0] = -1e300),
            ("temperature out of range", |m| m.temperature = 1e-300),
            ("a label is named twice", |m| m.labels = vec!["a".into(), "a".into()]),
            ("idf does not match the settings", |m| m.idf = Some(vec![5.0; m.vocab.len()])),
            ("idf does not match the settings", |m| m.params.0.idf = true),
        ];
        for (why, change) in changes {
            let mut m = fit();
            change(&mut m);
            let Err(e) = Model::from_bytes(&m.to_bytes()) else { panic!("loaded; expected: {why}") };
            assert!(e.to_string().contains(why), "{e}");
        }
    }

    #[test]
    fn packed_arrays_round_trip_and_a_partial_number_is_refused() {
        let data = [0.5, -1.25, f64::MAX];
        let bytes = options(u64::MAX).serialize(&PackedRef(&data[..])).unwrap();
        assert_eq!(bytes.len(), 1 + 24, "a varint length, then 8 bytes a number");
        let back: Packed<f64> = options(bytes.len() as u64).deserialize(&bytes).unwrap();
        assert_eq!(back.0, data);
        let ids: Packed<u16> = options(u64::MAX).deserialize(&[4, 1, 0, 0, 1]).unwrap();
        assert_eq!(ids.0, [1, 256]);
        // Five bytes are not a whole number of u32s.
        let e = options(u64::MAX).deserialize::<Packed<u32>>(&[5, 1, 2, 3, 4, 5]).err().expect("refused");
        assert!(e.to_string().contains("4-byte numbers"), "{e}");
        // A length beyond the payload is refused before anything is allocated for it.
        assert!(options(16).deserialize::<Packed<u32>>(&[252, 0, 0, 0, 64, 0]).is_err());
    }
}
