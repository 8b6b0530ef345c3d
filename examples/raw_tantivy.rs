//! The peer of `bench/run.sh`: what tantivy alone does with the same files, as
//! `tantivy-cli index` would with a schema of a stored path and a stored `en_stem` body
//! (no parsing, tagging or passages), on the same tantivy version as nkdigi.
//!
//! `cargo run --profile dist --example raw_tantivy -- CORPUS_DIR INDEX_DIR [THREADS]`

use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::{doc, Index};

fn main() {
    let mut args = std::env::args().skip(1);
    let (corpus, out) = match (args.next(), args.next()) {
        (Some(corpus), Some(out)) => (corpus, out),
        _ => panic!("usage: raw_tantivy CORPUS_DIR INDEX_DIR [THREADS]"),
    };
    let threads: usize = args.next().map_or(2, |t| t.parse().expect("THREADS is a number"));
    let mut builder = Schema::builder();
    let path = builder.add_text_field("path", STRING | STORED);
    let body = builder.add_text_field(
        "body",
        TEXT.set_indexing_options(
            tantivy::schema::TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
        ) | STORED,
    );
    std::fs::create_dir_all(&out).expect("create the index folder");
    let index = Index::create_in_dir(&out, builder.build()).expect("a new index");
    let mut writer = index.writer_with_num_threads(threads, 64_000_000 * threads).expect("a writer");
    let mut files = 0usize;
    for entry in walkdir::WalkDir::new(&corpus).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        writer.add_document(doc!(path => entry.path().display().to_string(), body => text)).expect("add a document");
        files += 1;
    }
    writer.commit().expect("commit");
    eprintln!("{files} files indexed into {out}");
}
