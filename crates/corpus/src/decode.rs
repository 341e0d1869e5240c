//! Bytes to text, by a decided policy.
//!
//! - Binary data is refused: a NUL byte in the first 8 KiB, or the signature of a PDF,
//!   PNG, JPEG, GIF, gzip, zip or bzip2 file.
//! - UTF-8 is read as it is (a byte-order mark is dropped).
//! - Anything else is decoded as Windows-1252, the superset of Latin-1 that browsers
//!   assume for unlabelled Western pages, and a warning says so.

/// Text decoded from bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Set when the bytes were not UTF-8 and were decoded as Windows-1252.
    pub warning: Option<String>,
}

const SIGNATURES: [(&[u8], &str); 8] = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip data"),
    (b"PK\x03\x04", "a zip archive"),
    (b"BZh", "bzip2 data"),
    (b"\x7fELF", "an executable"),
];

/// Why the bytes starting a file are not text, if they are not.
pub(crate) fn sniff_binary(prefix: &[u8]) -> Option<String> {
    for (sig, what) in SIGNATURES {
        if prefix.starts_with(sig) {
            return Some(format!("binary file ({what}), skipped"));
        }
    }
    if prefix[..prefix.len().min(8192)].contains(&0) {
        return Some("binary file (contains NUL bytes), skipped".into());
    }
    None
}

/// Decodes a file's bytes, or says why it is not text.
pub fn decode_text(bytes: Vec<u8>) -> Result<Decoded, String> {
    if let Some(why) = sniff_binary(&bytes) {
        return Err(why);
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(Decoded { text, warning: None })
        }
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            Ok(Decoded {
                text: text.into_owned(),
                warning: Some("not valid UTF-8; decoded as Windows-1252 (Latin-1)".into()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_page_is_decoded_with_a_warning() {
        // "Kazakhstan’s café" in Windows-1252: 0x92 is the right single quote, 0xE9 é.
        let d = decode_text(b"Kazakhstan\x92s caf\xe9".to_vec()).unwrap();
        assert_eq!(d.text, "Kazakhstan’s café");
        assert!(d.warning.is_some());
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode_text(b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap_err().contains("PNG"));
        assert!(decode_text(b"text\0more".to_vec()).unwrap_err().contains("NUL"));
        assert!(decode_text(b"\x1f\x8b\x08\x00".to_vec()).unwrap_err().contains("gzip"));
    }

    #[test]
    fn utf8_with_bom() {
        assert_eq!(
            decode_text(b"\xef\xbb\xbfhello".to_vec()).unwrap(),
            Decoded { text: "hello".into(), warning: None }
        );
    }
}
