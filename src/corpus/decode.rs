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

/// Decodes a file's bytes; returns the text (without BOM) and the encoding's name.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom_len..]);
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), UTF_8.name()));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    if guess == UTF_8 || guess == UTF_16LE || guess == UTF_16BE {
        return Err(DecodeError::Undecodable { tried: guess.name() });
    }
    strict(guess, bytes)
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
    fn broken_utf8_after_a_bom_is_refused() {
        let bytes = [0xEF, 0xBB, 0xBF, b'a', 0xC3, 0x28];
        assert!(matches!(decode(&bytes), Err(DecodeError::Undecodable { .. })));
    }
}
