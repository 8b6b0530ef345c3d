//! Collectors that read fast fields instead of stored documents: the manifest of indexed
//! files (for incremental runs), paths (for ordered export and `--format paths`), tag
//! counts (for stats), and every hit of a query ranked (for requests of every hit).

use super::schema;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::io;
use tantivy::collector::sort_key::{Comparator, ComparatorEnum};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal};

/// What the index knows of one file, enough to skip it when unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub id: String,
    pub path: String,
    pub root: String,
    pub hash: u64,
    pub size: u64,
    pub mtime_ns: u64,
    /// Fingerprint of the taxonomy the document was tagged with.
    pub tagged_with: u64,
}

/// The first term ordinal of a document in a string column.
fn first_ord(column: &Option<StrColumn>, doc: DocId) -> Option<u64> {
    column.as_ref().and_then(|col| col.term_ords(doc).next())
}

/// The strings of many ordinals, read in one ordered pass over the column's dictionary
/// (one block decompression per block instead of one per lookup). A collector's harvest
/// cannot fail: a read error leaves out the strings past it.
fn ord_strings(column: &Option<StrColumn>, ords: impl IntoIterator<Item = u64>) -> FxHashMap<u64, String> {
    let Some(col) = column else { return FxHashMap::default() };
    let mut sorted: Vec<u64> = ords.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let (strings, _) = strings_in_order(col, &sorted);
    sorted.into_iter().zip(strings).collect()
}

/// The strings of `sorted` (ordinals in ascending order, each once), in that order, read
/// in one pass over the column's dictionary, with the dictionary's read error beside the
/// strings read before it. A string that is not UTF-8 is read lossily.
fn strings_in_order(col: &StrColumn, sorted: &[u64]) -> (Vec<String>, io::Result<()>) {
    let mut strings = Vec::with_capacity(sorted.len());
    let read = col.dictionary().sorted_ords_to_term_cb(sorted, |bytes| {
        // Checked whole first: `from_utf8_lossy` walks a valid string chunk by chunk.
        let string = String::from_utf8(bytes.to_vec())
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
        strings.push(string);
    });
    (strings, read.map(drop))
}

pub struct ManifestCollector;

/// Per segment: ordinals and numbers first; strings are looked up once at harvest.
pub struct ManifestSegment {
    id: Option<StrColumn>,
    path: Option<StrColumn>,
    root: Option<StrColumn>,
    hash: Column<u64>,
    size: Column<u64>,
    mtime: Column<u64>,
    tagged_with: Column<u64>,
    rows: Vec<[Option<u64>; 3]>,
    numbers: Vec<[u64; 4]>,
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
            tagged_with: ff.u64("tagged_with")?,
            rows: Vec::new(),
            numbers: Vec::new(),
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
        self.rows.push([first_ord(&self.id, doc), first_ord(&self.path, doc), first_ord(&self.root, doc)]);
        self.numbers.push([
            self.hash.first(doc).unwrap_or(0),
            self.size.first(doc).unwrap_or(0),
            self.mtime.first(doc).unwrap_or(0),
            self.tagged_with.first(doc).unwrap_or(0),
        ]);
    }

    fn harvest(self) -> Vec<ManifestEntry> {
        let ids = ord_strings(&self.id, self.rows.iter().filter_map(|r| r[0]));
        let paths = ord_strings(&self.path, self.rows.iter().filter_map(|r| r[1]));
        let roots = ord_strings(&self.root, self.rows.iter().filter_map(|r| r[2]));
        let text =
            |map: &FxHashMap<u64, String>, ord: Option<u64>| ord.and_then(|o| map.get(&o).cloned()).unwrap_or_default();
        self.rows
            .iter()
            .zip(&self.numbers)
            .map(|(r, n)| ManifestEntry {
                id: text(&ids, r[0]),
                path: text(&paths, r[1]),
                root: text(&roots, r[2]),
                hash: n[0],
                size: n[1],
                mtime_ns: n[2],
                tagged_with: n[3],
            })
            .collect()
    }
}

/// Collects (path, address) of matching documents.
pub struct PathCollector;

pub struct PathSegment {
    segment: SegmentOrdinal,
    path: Option<StrColumn>,
    rows: Vec<(Option<u64>, DocId)>,
}

impl Collector for PathCollector {
    type Fruit = Vec<(String, DocAddress)>;
    type Child = PathSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PathSegment> {
        Ok(PathSegment { segment, path: reader.fast_fields().str("path")?, rows: Vec::new() })
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
        self.rows.push((first_ord(&self.path, doc), doc));
    }

    fn harvest(self) -> Self::Fruit {
        let paths = ord_strings(&self.path, self.rows.iter().filter_map(|r| r.0));
        self.rows
            .into_iter()
            .map(|(ord, doc)| {
                let path = ord.and_then(|o| paths.get(&o).cloned()).unwrap_or_default();
                (path, DocAddress::new(self.segment, doc))
            })
            .collect()
    }
}

/// The paths of the documents at `addresses`, in their order, read from the path column:
/// each segment's ordinals first, then their strings in one pass over its dictionary, each
/// string moved to a place that wants it (and copied only for a document given more than
/// once). `None` for a document the column has no path for.
pub fn paths_of(searcher: &Searcher, addresses: &[DocAddress]) -> tantivy::Result<Vec<Option<String>>> {
    let mut paths = vec![None; addresses.len()];
    let mut by_segment: BTreeMap<SegmentOrdinal, Vec<usize>> = BTreeMap::new();
    for (i, addr) in addresses.iter().enumerate() {
        by_segment.entry(addr.segment_ord).or_default().push(i);
    }
    for (segment, at) in by_segment {
        let Some(column) = searcher.segment_reader(segment).fast_fields().str("path")? else { continue };
        // (ordinal, place in `addresses`), in the dictionary's order.
        let mut wanted: Vec<(u64, usize)> =
            at.into_iter().filter_map(|i| column.term_ords(addresses[i].doc_id).next().map(|ord| (ord, i))).collect();
        wanted.sort_unstable();
        let mut ords: Vec<u64> = wanted.iter().map(|&(ord, _)| ord).collect();
        ords.dedup();
        let (strings, read) = strings_in_order(&column, &ords);
        read?;
        // Each ordinal's places follow one another in `wanted`, in the order of `ords`.
        for (string, group) in strings.into_iter().zip(wanted.chunk_by(|a, b| a.0 == b.0)) {
            let (last, rest) = group.split_last().expect("a group is not empty");
            for &(_, i) in rest {
                paths[i] = Some(string.clone());
            }
            paths[last.1] = Some(string);
        }
    }
    Ok(paths)
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

/// The key of documents without a date in a count by year, and the row it becomes.
const UNDATED: u64 = u64::MAX;
pub const UNDATED_ROW: &str = "undated";

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
                // Documents without a date are counted too, under one key of their own.
                let year = column.first(doc).map_or(UNDATED, |date| date / 10_000);
                *counts.entry(year).or_insert(0) += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        match self {
            CountsSegment::Strings { column: Some(column), counts } => {
                let column = Some(column);
                let names = ord_strings(&column, counts.keys().copied());
                counts.into_iter().filter_map(|(ord, n)| Some((names.get(&ord)?.clone(), n))).collect()
            }
            CountsSegment::Strings { column: None, .. } => BTreeMap::new(),
            CountsSegment::Years { counts, .. } => counts
                .into_iter()
                .map(|(y, n)| (if y == UNDATED { UNDATED_ROW.to_string() } else { format!("{y:04}") }, n))
                .collect(),
        }
    }
}

/// What orders a hit among every hit of a query (see [`AllHits`]).
#[derive(Debug, Clone, Copy)]
pub struct RankedHit {
    /// The document's first date, when hits are ordered by date.
    pub date: Option<u64>,
    pub score: Score,
    /// The document's order key (see the store's `order_key`).
    pub key: Option<u64>,
    pub address: DocAddress,
}

/// How hits are ranked: by date first when asked, then by score, then by order key, each
/// in its `Order` (with tantivy's meaning: `Desc` ranks the greatest first, `Asc` the
/// least, and either ranks a missing value last), then by address. The store's top-n and
/// [`AllHits`] both take their keys from one of these.
#[derive(Debug, Clone, Copy)]
pub struct Ranking {
    pub date: Option<Order>,
    pub score: Order,
    pub key: Order,
}

impl Ranking {
    /// Which of two hits ranks first (`Less`): the comparisons tantivy's top-n makes
    /// (`compare_for_top_k`), from the same comparators. Scores that are not numbers have
    /// no defined place, in either.
    fn compare(&self, a: &RankedHit, b: &RankedHit) -> std::cmp::Ordering {
        let date =
            self.date.map_or(std::cmp::Ordering::Equal, |order| ComparatorEnum::from(order).compare(&a.date, &b.date));
        date.then_with(|| ComparatorEnum::from(self.score).compare(&a.score, &b.score))
            .then_with(|| ComparatorEnum::from(self.key).compare(&a.key, &b.key))
            // A comparator says which of two is greater; the greatest ranks first.
            .reverse()
            .then_with(|| a.address.cmp(&b.address))
    }
}

/// The order keys of a segment's documents (see the store's `order_key`): none in an index
/// written before them.
pub fn order_keys(segment: &SegmentReader) -> Option<Column<u64>> {
    segment.fast_fields().column_opt::<u64>(schema::ORDER).ok().flatten()
}

/// Every hit of a query, ranked as a top-n of tantivy's with the same [`Ranking`] ranks
/// them. For a request that may take every hit (machine formats ask for all of them by
/// default): the hits are gathered as they come and sorted once, where a top-n would size
/// its buffers by the index, sort each segment's hits and sort them all again when merging.
pub struct AllHits(pub Ranking);

pub struct AllHitsSegment {
    segment: SegmentOrdinal,
    date: Option<Column<u64>>,
    key: Option<Column<u64>>,
    hits: Vec<RankedHit>,
}

impl Collector for AllHits {
    type Fruit = Vec<RankedHit>;
    type Child = AllHitsSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<AllHitsSegment> {
        // Every segment has a column of every fast field of the schema (empty if no
        // document has a value).
        let date = match self.0.date {
            Some(_) => reader.fast_fields().column_opt::<u64>(schema::DATE_START)?,
            None => None,
        };
        Ok(AllHitsSegment { segment, date, key: order_keys(reader), hits: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<RankedHit>>) -> tantivy::Result<Vec<RankedHit>> {
        let mut hits: Vec<RankedHit> = fruits.into_iter().flatten().collect();
        hits.sort_unstable_by(|a, b| self.0.compare(a, b));
        Ok(hits)
    }
}

impl SegmentCollector for AllHitsSegment {
    type Fruit = Vec<RankedHit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let date = self.date.as_ref().and_then(|column| column.first(doc));
        let key = self.key.as_ref().and_then(|column| column.first(doc));
        self.hits.push(RankedHit { date, score, key, address: DocAddress::new(self.segment, doc) });
    }

    fn harvest(self) -> Vec<RankedHit> {
        self.hits
    }
}
