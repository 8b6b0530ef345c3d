//! The front matter splitter and parser: any text gives a split or an error with a line
//! inside the text, never a panic, a hang or a line number past the end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nkdigi::corpus::frontmatter;

fuzz_target!(|text: &str| {
    match frontmatter::split(text) {
        Ok(split) => {
            assert!(split.body.len() <= text.len());
            if let Some(yaml) = split.yaml {
                if let Ok(meta) = frontmatter::parse(yaml, 2) {
                    let _ = meta.checked_date(yaml, 2);
                }
            }
        }
        Err(err) => assert!(err.line >= 1),
    }
});
