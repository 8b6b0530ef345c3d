//! The passage splitter: passages are non-empty, trimmed, in order, and never longer than
//! the text they come from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nkdigi::corpus::passages;

fuzz_target!(|text: &str| {
    let found = passages::split(text);
    let mut last_line = 0;
    for p in &found {
        assert!(!p.text.is_empty());
        assert_eq!(p.text.trim(), p.text);
        assert!(p.line >= last_line);
        last_line = p.line;
        assert!(p.text.len() <= text.len());
    }
});
