//! Prints where an index's bytes go, per component and field:
//! `cargo run --release --example space_usage -- .nkdigi`

use std::collections::BTreeMap;
use tantivy::Index;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| ".nkdigi".into());
    let index = Index::open_in_dir(&path).expect("an nkdigi index");
    let searcher = index.reader().expect("a reader").searcher();
    let usage = searcher.space_usage().expect("space usage");
    let mut rows: BTreeMap<(String, String), u64> = BTreeMap::new();
    for segment in usage.segments() {
        for (part, per_field) in [
            ("postings", segment.postings()),
            ("positions", segment.positions()),
            ("termdict", segment.termdict()),
            ("fast", segment.fast_fields()),
            ("fieldnorms", segment.fieldnorms()),
        ] {
            for field_usage in per_field.fields() {
                let name = field_usage.field_name().to_string();
                *rows.entry((part.to_string(), name)).or_default() += field_usage.total().get_bytes();
            }
        }
        *rows.entry(("store".into(), "(all)".into())).or_default() += segment.store().total().get_bytes();
    }
    let total: u64 = usage.total().get_bytes();
    let mut sorted: Vec<_> = rows.into_iter().collect();
    sorted.sort_by_key(|row| std::cmp::Reverse(row.1));
    println!("{:<12} {:<22} {:>10} {:>6}", "part", "field", "bytes", "share");
    for ((part, field), bytes) in sorted.iter().filter(|(_, b)| *b > 0) {
        println!("{part:<12} {field:<22} {bytes:>10} {:>5.1}%", *bytes as f64 * 100.0 / total as f64);
    }
    println!("{:<12} {:<22} {:>10}", "total", "", total);
}
