//! The model loader on any bytes: a model or an error, never a panic or a huge allocation.
//!
//! The first byte chooses how the rest is read. Odd: as a whole file, as it comes. Even:
//! as a file whose header is then sealed, its length and checksum set to match the
//! payload, so that mutations reach the payload's decoder and the consistency checks
//! instead of stopping at the checksum.
#![no_main]
use libfuzzer_sys::fuzz_target;

/// Header: magic (8), version (4), payload length (8), CRC-32 of the payload (4).
const HEADER: usize = 24;

fuzz_target!(|data: &[u8]| {
    let Some((&how, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    if how % 2 == 0 && bytes.len() >= HEADER {
        let len = (bytes.len() - HEADER) as u64;
        let crc = crc32fast::hash(&bytes[HEADER..]);
        bytes[12..20].copy_from_slice(&len.to_le_bytes());
        bytes[20..24].copy_from_slice(&crc.to_le_bytes());
    }
    if let Ok(model) = classify_model::Model::from_bytes(&bytes) {
        // A model that loads must also predict.
        let p = model.predict("Trade and border security talks in Astana.");
        assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }
});
