//! Tagging alone, on one thread: how fast the default taxonomy's tagger reads a corpus that
//! is already parsed, best of several passes. Compare two builds of the tagger with it (the
//! line it prints ends with a checksum of what was found, which a change that only makes
//! tagging faster leaves as it was).
//!
//! `cargo run --release --example tag_rate -- CORPUS_DIR [PASSES]`

use nkdigi::tagging::{taxonomy::Taxonomy, Tagger};

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = args.next().expect("usage: tag_rate CORPUS_DIR [PASSES]");
    let passes: usize = args.next().map_or(3, |p| p.parse().expect("PASSES is a number"));
    let mut files = Vec::new();
    let mut bytes = 0;
    for entry in walkdir::WalkDir::new(&corpus).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let data = std::fs::read(entry.path()).expect("read a file");
        bytes += data.len();
        match nkdigi::corpus::parse_bytes(&entry.path().display().to_string(), &data) {
            Ok(parsed) => files.push(parsed),
            Err(err) => eprintln!("{err}"),
        }
    }
    let tagger = Tagger::new(Taxonomy::builtin());
    let mut best = f64::MAX;
    let mut checksum = 0usize;
    for _ in 0..passes.max(1) {
        let started = std::time::Instant::now();
        checksum = 0;
        for file in &files {
            let tags = tagger.tag(file);
            let passages: usize = tags.speakers.iter().map(|s| s.passages.len()).sum();
            checksum = checksum.wrapping_mul(31).wrapping_add(tags.speakers.len() * 7 + tags.institutions.len() * 3);
            checksum = checksum.wrapping_add(tags.topics.len() + passages);
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{} files, {:.1} MB: tagged in {best:.3} s ({:.1} MB/s, one thread), checksum {checksum}",
        files.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best
    );
}
