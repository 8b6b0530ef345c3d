//! Bytes to text: BOMs, UTF-8, UTF-16 and legacy encodings (EUC-KR/CP949 and others)
//! detected by chardetng; binary and undecodable input is refused, never guessed at.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How far into a file to look for a NUL byte, the mark of a binary file.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Binary,
    Undecodable { tried: &'static str },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Binary => write!(f, "binary file (NUL byte in the first 8 KiB)"),
            DecodeError::Undecodable { tried } => {
                write!(f, "not valid UTF-8, and not decodable as {tried} either")
            }
        }
    }
}

/// True when the start of `bytes` holds a NUL byte and no UTF-16 byte order mark.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    bytes[..bytes.len().min(BINARY_SNIFF_LEN)].contains(&0)
}

/// Text decoded from a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Bytes that were not valid UTF-8 in an otherwise UTF-8 file, each now U+FFFD.
    pub replaced: usize,
}

/// Decodes a file's bytes; returns the text (without BOM) and the encoding's name.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    decode_lenient(bytes).map(|d| (d.text, d.encoding))
}

/// Decodes a file's bytes. A file that is UTF-8 but for a few stray bytes stays UTF-8 with
/// those bytes replaced (and counted); legacy detection is only for files that clearly are
/// not UTF-8.
pub fn decode_lenient(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = &bytes[bom_len..];
        if encoding == UTF_8 {
            if looks_binary(rest) {
                return Err(DecodeError::Binary);
            }
            return almost_utf8(rest, true).ok_or(DecodeError::Undecodable { tried: UTF_8.name() });
        }
        return strict(encoding, rest).map(|(text, encoding)| Decoded { text, encoding, replaced: 0 });
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Some(decoded) = almost_utf8(bytes, false) {
        return Ok(decoded);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    if guess == UTF_8 || guess == UTF_16LE || guess == UTF_16BE {
        return Err(DecodeError::Undecodable { tried: guess.name() });
    }
    strict(guess, bytes).map(|(text, encoding)| Decoded { text, encoding, replaced: 0 })
}

/// At most one byte in this many may be invalid in a file still read as UTF-8.
const STRAY_BYTES_PER: usize = 100;

/// `bytes` as UTF-8 when they are, or nearly are: at most one byte in a hundred invalid,
/// or at most one for every four valid multi-byte characters (a short Korean note with one
/// stray byte); without a BOM to say so, valid multi-byte characters must be there.
fn almost_utf8(bytes: &[u8], bom: bool) -> Option<Decoded> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(Decoded { text: text.to_owned(), encoding: UTF_8.name(), replaced: 0 });
    }
    let (mut rest, mut bad, mut multibyte) = (bytes, 0usize, 0usize);
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                multibyte += valid.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(err) => {
                let valid = &rest[..err.valid_up_to()];
                multibyte += valid.iter().filter(|b| **b >= 0xC0).count();
                let len = err.error_len().unwrap_or(rest.len() - err.valid_up_to());
                bad += len;
                rest = &rest[err.valid_up_to() + len..];
            }
        }
    }
    let few = bad * STRAY_BYTES_PER <= bytes.len() || bad * 4 <= multibyte;
    if !few || (!bom && multibyte == 0) {
        return None;
    }
    Some(Decoded { text: String::from_utf8_lossy(bytes).into_owned(), encoding: UTF_8.name(), replaced: bad })
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), encoding.name())),
        None => Err(DecodeError::Undecodable { tried: encoding.name() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KOREAN: &str =
        "북한의 인공지능 연구와 스마트폰 보급에 관한 회의 기록입니다. 통일교육원 박민주 교수가 발표했다.";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("plain text".as_bytes()).unwrap().0, "plain text");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(KOREAN.as_bytes());
        assert_eq!(decode(&with_bom).unwrap(), (KOREAN.to_string(), "UTF-8"));
    }

    #[test]
    fn utf16_both_byte_orders() {
        for (encoding, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut bytes = bom.to_vec();
            for unit in KOREAN.encode_utf16() {
                let pair = if encoding == UTF_16LE { unit.to_le_bytes() } else { unit.to_be_bytes() };
                bytes.extend_from_slice(&pair);
            }
            assert_eq!(decode(&bytes).unwrap(), (KOREAN.to_string(), encoding.name()));
        }
    }

    #[test]
    fn legacy_korean_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(KOREAN);
        assert!(std::str::from_utf8(&bytes).is_err());
        let (text, name) = decode(&bytes).unwrap();
        assert_eq!(text, KOREAN);
        assert_eq!(name, "EUC-KR");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(decode(b"PK\x03\x04\x00\x00binary"), Err(DecodeError::Binary));
        assert!(!looks_binary(b"text only"));
    }

    #[test]
    fn a_stray_byte_in_utf8_korean_is_replaced_not_guessed() {
        let mut bytes = KOREAN.as_bytes().to_vec();
        let at = KOREAN.find(" 스마트폰").unwrap();
        bytes.insert(at, 0xFF);
        let decoded = decode_lenient(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.replaced, 1);
        assert!(decoded.text.contains("북한의 인공지능"), "{}", decoded.text);
        assert!(decoded.text.contains('\u{FFFD}'));
    }

    #[test]
    fn legacy_text_with_no_utf8_in_it_is_still_detected() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(KOREAN);
        assert_eq!(decode_lenient(&bytes).unwrap().encoding, "EUC-KR");
        let latin1 = b"Caf\xe9 au lait, cr\xe8me br\xfbl\xe9e and a long enough sentence to judge.";
        assert_ne!(decode_lenient(latin1).unwrap().encoding, "UTF-8");
    }

    #[test]
    fn a_utf8_bom_followed_by_nul_bytes_is_binary() {
        let bytes = [0xEF, 0xBB, 0xBF, 0, 0, 0, 1, 2];
        assert_eq!(decode_lenient(&bytes), Err(DecodeError::Binary));
    }

    #[test]
    fn broken_utf8_after_a_bom_is_refused() {
        let bytes = [0xEF, 0xBB, 0xBF, b'a', 0xC3, 0x28];
        assert!(matches!(decode(&bytes), Err(DecodeError::Undecodable { .. })));
    }
}
