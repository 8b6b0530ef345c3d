//! Collectors that read fast fields instead of stored documents: the manifest of indexed
//! files (for incremental runs), paths (for ordered export) and tag counts (for stats).

use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};

/// What the index knows of one file, enough to skip it when unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub id: String,
    pub path: String,
    pub root: String,
    pub hash: u64,
    pub size: u64,
    pub mtime_ns: u64,
}

fn first_str(column: &Option<StrColumn>, doc: DocId, buf: &mut String) -> String {
    buf.clear();
    if let Some(col) = column {
        if let Some(ord) = col.term_ords(doc).next() {
            let _ = col.ord_to_str(ord, buf);
        }
    }
    buf.clone()
}

pub struct ManifestCollector;

pub struct ManifestSegment {
    id: Option<StrColumn>,
    path: Option<StrColumn>,
    root: Option<StrColumn>,
    hash: Column<u64>,
    size: Column<u64>,
    mtime: Column<u64>,
    out: Vec<ManifestEntry>,
    buf: String,
}

impl Collector for ManifestCollector {
    type Fruit = Vec<ManifestEntry>;
    type Child = ManifestSegment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<ManifestSegment> {
        let ff = reader.fast_fields();
        Ok(ManifestSegment {
            id: ff.str("id")?,
            path: ff.str("path")?,
            root: ff.str("root")?,
            hash: ff.u64("hash")?,
            size: ff.u64("size")?,
            mtime: ff.u64("mtime")?,
            out: Vec::new(),
            buf: String::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<ManifestEntry>>) -> tantivy::Result<Vec<ManifestEntry>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for ManifestSegment {
    type Fruit = Vec<ManifestEntry>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let entry = ManifestEntry {
            id: first_str(&self.id, doc, &mut self.buf),
            path: first_str(&self.path, doc, &mut self.buf),
            root: first_str(&self.root, doc, &mut self.buf),
            hash: self.hash.first(doc).unwrap_or(0),
            size: self.size.first(doc).unwrap_or(0),
            mtime_ns: self.mtime.first(doc).unwrap_or(0),
        };
        self.out.push(entry);
    }

    fn harvest(self) -> Vec<ManifestEntry> {
        self.out
    }
}

/// Collects (path, address) of matching documents.
pub struct PathCollector;

pub struct PathSegment {
    segment: SegmentOrdinal,
    path: Option<StrColumn>,
    out: Vec<(String, DocAddress)>,
    buf: String,
}

impl Collector for PathCollector {
    type Fruit = Vec<(String, DocAddress)>;
    type Child = PathSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PathSegment> {
        Ok(PathSegment { segment, path: reader.fast_fields().str("path")?, out: Vec::new(), buf: String::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for PathSegment {
    type Fruit = Vec<(String, DocAddress)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let path = first_str(&self.path, doc, &mut self.buf);
        self.out.push((path, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// Counts matching documents per value of a multi-valued string field, or per year of a
/// `YYYYMMDD` number field.
pub struct CountsCollector {
    pub field: String,
    pub year: bool,
}

pub enum CountsSegment {
    Strings { column: Option<StrColumn>, counts: BTreeMap<u64, u64> },
    Years { column: Column<u64>, counts: BTreeMap<u64, u64> },
}

impl Collector for CountsCollector {
    type Fruit = BTreeMap<String, u64>;
    type Child = CountsSegment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<CountsSegment> {
        let ff = reader.fast_fields();
        Ok(if self.year {
            CountsSegment::Years { column: ff.u64(&self.field)?, counts: BTreeMap::new() }
        } else {
            CountsSegment::Strings { column: ff.str(&self.field)?, counts: BTreeMap::new() }
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut total = BTreeMap::new();
        for fruit in fruits {
            for (k, v) in fruit {
                *total.entry(k).or_insert(0) += v;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for CountsSegment {
    type Fruit = BTreeMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self {
            CountsSegment::Strings { column: Some(column), counts } => {
                for ord in column.term_ords(doc) {
                    *counts.entry(ord).or_insert(0) += 1;
                }
            }
            CountsSegment::Strings { column: None, .. } => {}
            CountsSegment::Years { column, counts } => {
                if let Some(date) = column.first(doc) {
                    *counts.entry(date / 10_000).or_insert(0) += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        match self {
            CountsSegment::Strings { column: Some(column), counts } => {
                let mut buf = String::new();
                counts
                    .into_iter()
                    .filter_map(|(ord, n)| {
                        buf.clear();
                        column.ord_to_str(ord, &mut buf).ok().filter(|found| *found).map(|_| (buf.clone(), n))
                    })
                    .collect()
            }
            CountsSegment::Strings { column: None, .. } => BTreeMap::new(),
            CountsSegment::Years { counts, .. } => counts.into_iter().map(|(y, n)| (format!("{y:04}"), n)).collect(),
        }
    }
}
