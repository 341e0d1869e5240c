//! Bytes to text, by a decided policy.
//!
//! - Text with a UTF-16 byte-order mark (what Notepad's "Unicode" and PowerShell's `>`
//!   write) is decoded as UTF-16.
//! - Binary data is refused: a NUL byte in the first 8 KiB, or the signature of a PDF,
//!   PNG, JPEG, GIF, gzip, zip or bzip2 file.
//! - UTF-8 is read as it is (a byte-order mark is dropped). Text that starts with a UTF-8
//!   byte-order mark is UTF-8: an invalid byte in it becomes U+FFFD, with a warning.
//! - Anything else is decoded in the charset an HTML page declares in its first 1,024
//!   bytes (`<meta charset="windows-1251">`, or `charset=` in a `Content-Type`), else as
//!   Windows-1252, the superset of Latin-1 that browsers assume for unlabelled Western
//!   pages; a warning says which.

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

/// The encoding a UTF-16 byte-order mark at the start names, if there is one.
pub(crate) fn utf16_bom(prefix: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match prefix {
        [0xff, 0xfe, ..] => Some(encoding_rs::UTF_16LE),
        [0xfe, 0xff, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// The charset an HTML page declares in a `<meta>` tag in its first 1,024 bytes
/// (`<meta charset=...>`, or `charset=` in a `Content-Type` meta), if encoding_rs knows
/// it. As the WHATWG rules have it, a declared UTF-16 is no use to bytes read as ASCII
/// (none is returned), nor is the "replacement" encoding of a few unsafe labels.
pub(crate) fn declared_charset(prefix: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = prefix[..prefix.len().min(1024)].to_ascii_lowercase();
    for at in memchr::memmem::find_iter(&head, b"<meta") {
        let tag = &head[at..];
        let tag = &tag[..memchr::memchr(b'>', tag).unwrap_or(tag.len())];
        let Some(k) = memchr::memmem::find(tag, b"charset") else { continue };
        let mut i = k + b"charset".len();
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'') {
            i += 1;
        }
        let end = tag[i..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/'))
            .map_or(tag.len(), |n| i + n);
        let usable = |e: &&'static encoding_rs::Encoding| {
            *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE && *e != encoding_rs::REPLACEMENT
        };
        if let Some(e) = encoding_rs::Encoding::for_label(&tag[i..end]).filter(usable) {
            return Some(e);
        }
    }
    None
}

/// The UTF-8 byte-order mark.
pub(crate) const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The warning for UTF-8 with bytes that are not.
pub(crate) const INVALID_UTF8: &str = "invalid UTF-8 bytes replaced by U+FFFD";

/// Decodes a file's bytes, or says why it is not text.
pub fn decode_text(bytes: Vec<u8>) -> Result<Decoded, String> {
    if let Some(encoding) = utf16_bom(&bytes) {
        let (text, _, had_errors) = encoding.decode(&bytes);
        let warning = had_errors.then(|| format!("invalid {} replaced by U+FFFD", encoding.name()));
        return Ok(Decoded { text: text.into_owned(), warning });
    }
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
        Err(e) if e.as_bytes().starts_with(UTF8_BOM) => {
            // The byte-order mark says UTF-8: a bad byte further on is damage, not
            // another charset.
            let text = String::from_utf8_lossy(&e.as_bytes()[UTF8_BOM.len()..]).into_owned();
            Ok(Decoded { text, warning: Some(INVALID_UTF8.into()) })
        }
        Err(e) => {
            let bytes = e.into_bytes();
            let declared = declared_charset(&bytes).filter(|&e| e != encoding_rs::UTF_8);
            let (text, _, _) = declared.unwrap_or(encoding_rs::WINDOWS_1252).decode(&bytes);
            let warning = match declared {
                Some(e) => format!("not valid UTF-8; decoded as {}, the charset the page declares", e.name()),
                None => "not valid UTF-8; decoded as Windows-1252 (Latin-1)".into(),
            };
            Ok(Decoded { text: text.into_owned(), warning: Some(warning) })
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
    fn utf16_with_a_byte_order_mark_is_text() {
        let text = "Kazakhstan’s café\r\nline two";
        let le: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xfe, 0xff].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for bytes in [le, be] {
            assert_eq!(decode_text(bytes).unwrap(), Decoded { text: text.into(), warning: None });
        }
    }

    #[test]
    fn a_page_is_decoded_in_the_charset_it_declares() {
        // "Министры" in Windows-1251.
        let word = b"\xcc\xe8\xed\xe8\xf1\xf2\xf0\xfb";
        for head in [
            &b"<html><head><meta charset=\"windows-1251\">"[..],
            b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=cp1251\">",
            b"<meta charset=windows-1251>",
        ] {
            let bytes = [head, b"<p>", word, b"</p>"].concat();
            let d = decode_text(bytes).unwrap();
            assert!(d.text.contains("Министры"), "{}", d.text);
            assert!(d.warning.unwrap().contains("windows-1251, the charset the page declares"));
        }
        // Valid UTF-8 stays UTF-8 whatever is declared; an unknown label is Windows-1252.
        let utf8 = "<meta charset=\"windows-1251\"><p>Министры</p>".as_bytes().to_vec();
        assert_eq!(decode_text(utf8).unwrap().warning, None);
        let unknown = b"<meta charset=\"klingon\"><p>caf\xe9</p>".to_vec();
        assert!(decode_text(unknown).unwrap().text.contains("café"));
        // Only a <meta> declares; UTF-16 and the "replacement" encoding are passed over.
        for text in [
            &b"the charset=utf-16 setting of caf\xe9"[..],
            b"<meta charset=\"utf-16\"><p>caf\xe9</p>",
            b"<meta charset=\"iso-2022-kr\"><p>caf\xe9</p>",
        ] {
            let d = decode_text(text.to_vec()).unwrap();
            assert!(d.text.contains("café") && d.warning.unwrap().contains("Windows-1252"), "{}", d.text);
        }
    }

    #[test]
    fn utf8_with_bom() {
        assert_eq!(
            decode_text(b"\xef\xbb\xbfhello".to_vec()).unwrap(),
            Decoded { text: "hello".into(), warning: None }
        );
        // A bad byte after the mark is replaced, and the warning says so (not that the
        // text was taken for Windows-1252).
        assert_eq!(
            decode_text("\u{feff}café \u{2014}".bytes().chain([0xff]).collect()).unwrap(),
            Decoded { text: "café \u{2014}\u{fffd}".into(), warning: Some(INVALID_UTF8.into()) }
        );
    }
}
