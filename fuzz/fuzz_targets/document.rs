//! A whole file: decoding, front matter, fallbacks and passages from arbitrary bytes, then
//! tagging; errors name the file, nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nkdigi::corpus;
use nkdigi::tagging::{taxonomy::Taxonomy, Tagger};
use std::sync::OnceLock;

static TAGGER: OnceLock<Tagger> = OnceLock::new();

fuzz_target!(|bytes: &[u8]| {
    match corpus::parse_bytes("fuzz.md", bytes) {
        Ok(parsed) => {
            let tagger = TAGGER.get_or_init(|| Tagger::new(Taxonomy::builtin()));
            let tags = tagger.tag(&parsed);
            assert_eq!(tags.passage_topics.len(), parsed.passages.len());
        }
        Err(err) => assert_eq!(err.path, "fuzz.md"),
    }
});
