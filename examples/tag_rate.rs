//! Tagging alone, on one thread: how fast the default taxonomy's tagger reads a corpus that
//! is already parsed, best of several passes. Compare two builds of the tagger with it: the
//! line it prints ends with a checksum of everything found (each speaker, institution and
//! topic with its mentions, passages and evidence), which a change that only makes tagging
//! faster leaves as it was.
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
        match nkdigi::corpus::parse_bytes(&entry.path().display().to_string(), &data) {
            Ok(parsed) => {
                bytes += data.len();
                files.push(parsed);
            }
            Err(err) => eprintln!("{err}"),
        }
    }
    let tagger = Tagger::new(Taxonomy::builtin());
    let mut best = f64::MAX;
    let mut checksum = 0u64;
    for _ in 0..passes.max(1) {
        let started = std::time::Instant::now();
        let tags: Vec<_> = files.iter().map(|file| tagger.tag(file)).collect();
        best = best.min(started.elapsed().as_secs_f64());
        // FNV-1a of everything found (names, mentions, passages, rules, topics), file by file.
        checksum = 0xcbf2_9ce4_8422_2325;
        for byte in tags.iter().flat_map(|tags| format!("{tags:?}").into_bytes()) {
            checksum = (checksum ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!(
        "{} files, {:.1} MB: tagged in {best:.3} s ({:.1} MB/s, one thread), checksum {checksum:016x}",
        files.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best
    );
}
