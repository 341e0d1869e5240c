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
//! Reading distrusts the file: the declared length is checked against the real length
//! and the checksum is verified before anything is decoded; decoding is limited to the
//! payload's size, and the decoded model is checked for consistency.

use crate::features::Vocabulary;
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
/// as they did.
pub const FORMAT_VERSION: u32 = 2;

/// The payload of every version: what version 1 held.
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
/// fields in order, so this is [`PayloadRef`]'s flat layout.
#[derive(Deserialize)]
struct PayloadV2 {
    v1: Payload,
    context: f64,
}

/// The layout of [`PayloadV2`], flat and borrowed, so writing a model copies nothing.
/// Field order and types must match it exactly.
#[derive(Serialize)]
struct PayloadRef<'a> {
    params: &'a ModelParams,
    labels: &'a [String],
    vocabulary: &'a Vocabulary,
    idf: &'a Option<Vec<f64>>,
    class_log_prior: &'a [f64],
    weights: &'a Weights,
    bias: &'a [f64],
    temperature: f64,
    summary: &'a TrainingSummary,
    context: f64,
}

fn options(limit: u64) -> impl Options {
    bincode::DefaultOptions::new().with_limit(limit)
}

impl Model {
    /// The model file's bytes. The same model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let payload = PayloadRef {
            params: self.params.get(),
            labels: &self.labels,
            vocabulary: &self.vocab,
            idf: &self.idf,
            class_log_prior: &self.class_log_prior,
            weights: &self.weights,
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

    /// Reads a model file's bytes, refusing anything truncated, altered or inconsistent.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
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
        let (payload, context) = if version == 1 {
            (options(actual).deserialize::<Payload>(body).map_err(corrupt)?, 0.0)
        } else {
            let p: PayloadV2 = options(actual).deserialize(body).map_err(corrupt)?;
            (p.v1, p.context)
        };
        validate(payload, context)
    }
}

fn validate(p: Payload, context: f64) -> Result<Model> {
    let corrupt = |what: &str| Err(Error::Corrupt(what.to_string()));
    let params: ValidParams = p.params.check().map_err(|e| Error::Corrupt(e.to_string()))?;
    let (k, v) = (p.labels.len(), p.vocabulary.len());
    if k < 2 {
        return corrupt("fewer than two labels");
    }
    if !p.weights.is_consistent(k, v) {
        return corrupt("weights do not match labels and vocabulary");
    }
    if p.class_log_prior.len() != k || p.bias.len() != k || p.summary.documents_per_label.len() != k {
        return corrupt("per-label arrays do not match the labels");
    }
    if p.idf.as_ref().is_some_and(|idf| idf.len() != v) {
        return corrupt("idf does not match the vocabulary");
    }
    if p.idf.as_ref().is_some_and(|idf| !idf.iter().all(|x| x.is_finite() && *x > 0.0)) {
        return corrupt("idf has values that are not positive numbers");
    }
    if !(p.temperature.is_finite() && p.temperature > 0.0) {
        return corrupt("temperature is not a positive number");
    }
    if !(0.0..=1.0).contains(&context) {
        return corrupt("context weight is not in [0, 1]");
    }
    let finite = |x: &[f64]| x.iter().all(|v| v.is_finite());
    if !finite(&p.class_log_prior) || !finite(&p.bias) {
        return corrupt("non-finite parameters");
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
