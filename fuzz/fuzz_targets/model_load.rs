//! The model loader on any bytes: a model or an error, never a panic or a huge allocation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = classify_model::Model::from_bytes(data) {
        // A model that loads must also predict.
        let p = model.predict("Trade and border security talks in Astana.");
        assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }
});
