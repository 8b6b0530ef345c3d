//! `--passages`: the passages that match a query, found inside the documents that match it.
//!
//! A document's text is indexed once, in its own entry, one `body` value per passage; each
//! passage entry holds the passage's tags and its span of positions in that `body`, and
//! follows its document's entry in the segment. A query is read as a tree: its words and
//! phrases are matched against the positions of each passage's span, its tag filters
//! against the passage's entry, and everything else (title, source, dates) against the
//! document's entry, where passages inherit it. Passages are ranked by BM25 over their own
//! words, with the document's statistics.

use super::schema::Fields;
use super::TextStatistics;
use tantivy::columnar::Column;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::TermQuery;
use tantivy::query::{
    AllQuery, BooleanQuery, EnableScoring, FuzzyTermQuery, Occur, PhraseQuery, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, TantivyError, Term, TERMINATED};

/// One matching passage: its document's entry (segment and doc id), its number and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassageMatch {
    pub segment: u32,
    pub doc: DocId,
    pub n: u32,
    pub score: Score,
    /// The document's `date_start`, for sorting by date.
    pub date: Option<u64>,
    /// The document's order key, which orders matches of equal score (`None` in an index
    /// written before it was kept).
    pub order: Option<u64>,
}

/// Where a clause that is not about the text's words is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// On the passage's entry: its speakers, institutions and topics.
    Passage,
    /// On the document's entry: title, source, event, dates.
    Document,
}

enum Node {
    Bool {
        must: Vec<Node>,
        should: Vec<Node>,
        not: Vec<Node>,
        min_should: usize,
    },
    /// Any of these words of the text (one, or what a fuzzy word stands for): indices into
    /// the finder's words.
    Words(Vec<usize>),
    /// Words at consecutive positions, `slop` positions apart at most in all.
    Phrase {
        words: Vec<usize>,
        slop: u32,
    },
    Leaf {
        weight: Box<dyn Weight>,
        at: At,
    },
    All,
}

/// A node opened on one segment.
enum Open {
    Bool { must: Vec<Open>, should: Vec<Open>, not: Vec<Open>, min_should: usize },
    Words(Vec<usize>),
    Phrase { words: Vec<usize>, slop: u32 },
    Leaf { scorer: Box<dyn Scorer>, at: At },
    All,
}

/// A word of the text with its inverse document frequency.
struct Word {
    term: Term,
    idf: Score,
}

const K1: Score = 1.2;
const B: Score = 0.75;

pub struct PassageFinder<'a> {
    searcher: &'a Searcher,
    /// What words are weighed by (see `Store::text_statistics`).
    statistics: &'a TextStatistics<'a>,
    fields: Fields,
    tree: Node,
    words: Vec<Word>,
    /// The query that selects the documents whose passages may match (a superset).
    documents: Box<dyn Weight>,
    average_len: Score,
    /// Whether no passage can match without a word of the query.
    needs_words: bool,
    /// Whether matches are sorted by date, and need their document's.
    pub by_date: bool,
}

/// The passage being looked at.
struct Here<'a> {
    doc: DocId,
    passage: DocId,
    first: u32,
    end: u32,
    positions: &'a [Vec<u32>],
}

impl<'a> PassageFinder<'a> {
    /// `clauses` are the query's clauses without the entry kind; `documents` selects the
    /// documents' entries that may hold matching passages.
    pub fn new(
        searcher: &'a Searcher,
        statistics: &'a TextStatistics<'a>,
        fields: Fields,
        clauses: Vec<(Occur, Box<dyn Query>)>,
        documents: Box<dyn Query>,
    ) -> tantivy::Result<PassageFinder<'a>> {
        let query = BooleanQuery::new(clauses);
        let documents = documents.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut finder = PassageFinder {
            searcher,
            statistics,
            fields,
            tree: Node::All,
            words: Vec::new(),
            documents,
            average_len: 1.0,
            needs_words: false,
            by_date: false,
        };
        finder.tree = finder.node(&query)?;
        finder.needs_words = needs_words(&finder.tree);
        let mut tokens = 0u64;
        for segment in searcher.segment_readers() {
            tokens += segment.inverted_index(fields.body)?.total_num_tokens();
        }
        let passages = searcher.doc_freq(&Term::from_field_text(fields.kind, super::schema::KIND_PASSAGE))?;
        finder.average_len = (tokens as Score / passages.max(1) as Score).max(1.0);
        Ok(finder)
    }

    fn word(&mut self, term: &Term) -> tantivy::Result<usize> {
        if let Some(i) = self.words.iter().position(|w| &w.term == term) {
            return Ok(i);
        }
        let all = self.statistics.live_entries() as Score;
        let df = self.searcher.doc_freq(term)? as Score;
        let idf = (1.0 + (all - df + 0.5) / (df + 0.5)).ln();
        self.words.push(Word { term: term.clone(), idf });
        Ok(self.words.len() - 1)
    }

    fn node(&mut self, query: &dyn Query) -> tantivy::Result<Node> {
        let body = self.fields.body;
        if let Some(b) = query.downcast_ref::<BooleanQuery>() {
            let (mut must, mut should, mut not) = (Vec::new(), Vec::new(), Vec::new());
            for (occur, clause) in b.clauses() {
                let node = self.node(clause.as_ref())?;
                match occur {
                    Occur::Must => must.push(node),
                    Occur::Should => should.push(node),
                    Occur::MustNot => not.push(node),
                }
            }
            return Ok(Node::Bool { must, should, not, min_should: b.get_minimum_number_should_match() });
        }
        if let Some(t) = query.downcast_ref::<TermQuery>() {
            if t.term().field() == body {
                return Ok(Node::Words(vec![self.word(t.term())?]));
            }
        }
        if let Some(p) = query.downcast_ref::<PhraseQuery>() {
            if p.field() == body {
                let words = p.phrase_terms().iter().map(|t| self.word(t)).collect::<tantivy::Result<_>>()?;
                return Ok(Node::Phrase { words, slop: slop_of(p) });
            }
        }
        if let Some(fuzzy) = query.downcast_ref::<FuzzyTermQuery>() {
            // The words of the index within the distance, in every segment.
            let automaton = fuzzy.automaton()?;
            let mut words = Vec::new();
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(body)?;
                let mut stream = inverted.terms().search(&automaton).into_stream()?;
                while stream.advance() {
                    words.push(Term::from_field_bytes(body, stream.key()));
                }
            }
            words.sort();
            words.dedup();
            let ids = words.iter().map(|t| self.word(t)).collect::<tantivy::Result<_>>()?;
            return Ok(Node::Words(ids));
        }
        if query.downcast_ref::<AllQuery>().is_some() {
            return Ok(Node::All);
        }
        // Anything else is decided by tantivy on one entry: the passage's when every term it
        // has is a tag a passage holds, else the document's (title, source, dates; a clause
        // of the text the tree cannot read, which then holds for every passage).
        let f = self.fields;
        let passage_fields = [f.speaker, f.speaker_mention, f.institution, f.institution_mention, f.topic, f.kind];
        let mut fields: Vec<Field> = Vec::new();
        query.query_terms(&mut |t, _| fields.push(t.field()));
        let at = if !fields.is_empty() && fields.iter().all(|f| passage_fields.contains(f)) {
            At::Passage
        } else {
            At::Document
        };
        let scoring = EnableScoring::enabled_from_statistics_provider(self.statistics, self.searcher);
        Ok(Node::Leaf { weight: query.weight(scoring)?, at })
    }

    /// Hands `each` every matching passage, in index order.
    pub fn find(&self, each: &mut dyn FnMut(PassageMatch)) -> tantivy::Result<()> {
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let ff = segment.fast_fields();
            let count: Column<u64> = ff.u64("n")?;
            let ids = ff.str("id")?;
            let id_of = |entry: DocId| ids.as_ref().and_then(|c| c.term_ords(entry).next());
            let span: Column<u64> = ff.u64("span")?;
            let date: Column<u64> = ff.u64(super::schema::DATE_START)?;
            let mut order_key = super::order_key_column(segment);
            let inverted = segment.inverted_index(self.fields.body)?;
            let mut postings: Vec<Option<SegmentPostings>> = self
                .words
                .iter()
                .map(|w| inverted.read_postings(&w.term, IndexRecordOption::WithFreqsAndPositions))
                .collect::<std::io::Result<_>>()?;
            let mut positions: Vec<Vec<u32>> = vec![Vec::new(); self.words.len()];
            // (passage, first position, end) of the passages to try.
            let mut candidates: Vec<(u32, u32, u32)> = Vec::new();
            let mut all_positions: Vec<u32> = Vec::new();
            let mut tree = open(&self.tree, segment)?;
            let mut documents = self.documents.scorer(segment, 1.0)?;
            let alive = segment.alive_bitset();
            while documents.doc() != TERMINATED {
                let doc = documents.doc();
                documents.advance();
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                for (p, buffer) in postings.iter_mut().zip(positions.iter_mut()) {
                    buffer.clear();
                    if let Some(p) = p {
                        if p.doc() < doc {
                            p.seek(doc);
                        }
                        if p.doc() == doc {
                            p.positions(buffer);
                        }
                    }
                }
                let passages = count.first(doc).unwrap_or(0) as u32;
                // The last passage entry must be where the count says, and be of this
                // document: entries out of place would give passages of the wrong one.
                if passages > 0
                    && (doc + passages >= segment.max_doc()
                        || count.first(doc + passages) != Some(u64::from(passages - 1))
                        || id_of(doc + passages) != id_of(doc))
                {
                    return Err(TantivyError::InternalError(format!(
                        "the passages of a document are not where they belong (entries {} to {})",
                        doc + 1,
                        doc + passages
                    )));
                }
                let span_of = |n: u32| {
                    let s = span.first(doc + 1 + n).unwrap_or(0);
                    ((s >> 32) as u32, s as u32)
                };
                // A query that needs words is tried only on the passages that hold one of
                // its words, found by their positions; so is any other that no passage of
                // this document can match without one (`ChatGPT` in no title); any other,
                // on every passage.
                candidates.clear();
                if self.needs_words || without_words(&mut tree, doc) == Some(false) {
                    all_positions.clear();
                    all_positions.extend(positions.iter().flatten().copied());
                    all_positions.sort_unstable();
                    // Positions in order: each is looked up only past the passage of the
                    // one before, and not at all when that passage holds it too.
                    let mut from = 0;
                    let mut current: Option<(u32, u32)> = None;
                    for &p in all_positions.iter() {
                        if current.is_some_and(|(first, end)| first <= p && p < end) {
                            continue;
                        }
                        // The last passage whose span starts at or before the position.
                        let (mut lo, mut hi) = (from, passages);
                        while lo < hi {
                            let mid = (lo + hi) / 2;
                            if span_of(mid).0 <= p {
                                lo = mid + 1;
                            } else {
                                hi = mid;
                            }
                        }
                        if lo == 0 {
                            continue;
                        }
                        let (first, end) = span_of(lo - 1);
                        from = lo - 1;
                        if p < end {
                            candidates.push((lo - 1, first, end));
                            current = Some((first, end));
                        }
                    }
                } else {
                    candidates.extend((0..passages).map(|n| {
                        let (first, end) = span_of(n);
                        (n, first, end)
                    }));
                }
                let day = if self.by_date { date.first(doc) } else { None };
                let order = order_key(doc);
                for &(n, first, end) in candidates.iter() {
                    let here = Here { doc, passage: doc + 1 + n, first, end, positions: &positions };
                    if let Some(score) = self.eval(&mut tree, &here) {
                        each(PassageMatch { segment: ord as u32, doc, n, score, date: day, order });
                    }
                }
            }
        }
        Ok(())
    }

    fn eval(&self, node: &mut Open, here: &Here<'_>) -> Option<Score> {
        match node {
            Open::All => Some(0.0),
            Open::Leaf { scorer, at } => {
                let target = if *at == At::Passage { here.passage } else { here.doc };
                if scorer.doc() < target {
                    scorer.seek(target);
                }
                (scorer.doc() == target).then(|| scorer.score())
            }
            Open::Words(ids) => {
                let mut score = 0.0;
                let mut any = false;
                for &i in ids.iter() {
                    let tf = in_span(&here.positions[i], here.first, here.end).len();
                    if tf > 0 {
                        any = true;
                        score += self.words[i].idf * self.tf_norm(tf as Score, here);
                    }
                }
                any.then_some(score)
            }
            Open::Phrase { words, slop } => {
                let freq = phrase_freq(words, *slop, here);
                (freq > 0).then(|| {
                    let idf: Score = words.iter().map(|&i| self.words[i].idf).sum();
                    idf * self.tf_norm(freq as Score, here)
                })
            }
            Open::Bool { must, should, not, min_should } => {
                if must.is_empty() && should.is_empty() {
                    return None;
                }
                let mut score = 0.0;
                for m in must.iter_mut() {
                    score += self.eval(m, here)?;
                }
                for n in not.iter_mut() {
                    if self.eval(n, here).is_some() {
                        return None;
                    }
                }
                let mut matched = 0;
                for s in should.iter_mut() {
                    if let Some(v) = self.eval(s, here) {
                        matched += 1;
                        score += v;
                    }
                }
                let needed = if must.is_empty() { (*min_should).max(1) } else { *min_should };
                (matched >= needed).then_some(score)
            }
        }
    }

    fn tf_norm(&self, tf: Score, here: &Here<'_>) -> Score {
        let len = here.end.saturating_sub(here.first) as Score;
        tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.average_len))
    }
}

/// The query's documents-side superset: the same query without its exclusions and with
/// optional clauses dropped where required ones exist. `None`: every document.
pub fn positive(query: &dyn Query) -> Option<Box<dyn Query>> {
    let Some(b) = query.downcast_ref::<BooleanQuery>() else { return Some(query.box_clone()) };
    if b.clauses().is_empty() {
        return Some(query.box_clone());
    }
    let must: Vec<(Occur, Box<dyn Query>)> = b
        .clauses()
        .iter()
        .filter(|(o, _)| *o == Occur::Must)
        .filter_map(|(_, q)| positive(q.as_ref()))
        .map(|q| (Occur::Must, q))
        .collect();
    let has_must = b.clauses().iter().any(|(o, _)| *o == Occur::Must);
    if has_must {
        return (!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>);
    }
    let mut should = Vec::new();
    for (_, q) in b.clauses().iter().filter(|(o, _)| *o == Occur::Should) {
        // An optional clause that holds everywhere makes the union everything.
        should.push((Occur::Should, positive(q.as_ref())?));
    }
    (!should.is_empty()).then(|| Box::new(BooleanQuery::new(should)) as Box<dyn Query>)
}

/// Whether a node can match only a passage that holds one of the query's words.
/// Whether a passage of document `doc` that holds none of the query's words matches:
/// `None` when that depends on the passage's own tags. Read as `eval` reads the tree.
fn without_words(node: &mut Open, doc: DocId) -> Option<bool> {
    match node {
        Open::All => Some(true),
        Open::Words(_) | Open::Phrase { .. } => Some(false),
        Open::Leaf { at: At::Passage, .. } => None,
        Open::Leaf { scorer, at: At::Document } => {
            if scorer.doc() < doc {
                scorer.seek(doc);
            }
            Some(scorer.doc() == doc)
        }
        Open::Bool { must, should, not, min_should } => {
            if must.is_empty() && should.is_empty() {
                return Some(false);
            }
            let mut known = true;
            for m in must.iter_mut() {
                match without_words(m, doc) {
                    Some(false) => return Some(false),
                    Some(true) => {}
                    None => known = false,
                }
            }
            for n in not.iter_mut() {
                match without_words(n, doc) {
                    Some(true) => return Some(false),
                    Some(false) => {}
                    None => known = false,
                }
            }
            let (mut yes, mut maybe) = (0, 0);
            for s in should.iter_mut() {
                match without_words(s, doc) {
                    Some(true) => yes += 1,
                    Some(false) => {}
                    None => maybe += 1,
                }
            }
            let needed = if must.is_empty() { (*min_should).max(1) } else { *min_should };
            if yes + maybe < needed {
                return Some(false);
            }
            (known && yes >= needed).then_some(true)
        }
    }
}

fn needs_words(node: &Node) -> bool {
    match node {
        Node::Words(_) | Node::Phrase { .. } => true,
        Node::Leaf { .. } | Node::All => false,
        Node::Bool { must, .. } if !must.is_empty() => must.iter().any(needs_words),
        // Without required clauses, one optional clause must match.
        Node::Bool { should, .. } => !should.is_empty() && should.iter().all(needs_words),
    }
}

fn open(node: &Node, segment: &tantivy::SegmentReader) -> tantivy::Result<Open> {
    let all = |nodes: &[Node]| nodes.iter().map(|n| open(n, segment)).collect::<tantivy::Result<Vec<_>>>();
    Ok(match node {
        Node::Bool { must, should, not, min_should } => {
            Open::Bool { must: all(must)?, should: all(should)?, not: all(not)?, min_should: *min_should }
        }
        Node::Words(ids) => Open::Words(ids.clone()),
        Node::Phrase { words, slop } => Open::Phrase { words: words.clone(), slop: *slop },
        Node::Leaf { weight, at } => Open::Leaf { scorer: weight.scorer(segment, 1.0)?, at: *at },
        Node::All => Open::All,
    })
}

/// The positions of a sorted list inside `first..end`.
fn in_span(positions: &[u32], first: u32, end: u32) -> &[u32] {
    let a = positions.partition_point(|&p| p < first);
    let b = positions.partition_point(|&p| p < end);
    &positions[a..b.max(a)]
}

/// How many times the phrase's words occur in order inside the span: each at the position
/// after the one before, or with `slop` positions of play between them in all.
fn phrase_freq(words: &[usize], slop: u32, here: &Here<'_>) -> usize {
    let lists: Vec<&[u32]> = words.iter().map(|&i| in_span(&here.positions[i], here.first, here.end)).collect();
    let Some((head, rest)) = lists.split_first() else { return 0 };
    head.iter()
        .filter(|&&start| {
            let (mut at, mut budget) = (start, slop);
            rest.iter().all(|list| {
                // The nearest position to the expected one, within what slop remains.
                let expected = at + 1;
                let lo = expected.saturating_sub(budget);
                let hi = expected.saturating_add(budget);
                let next = in_span(list, lo, hi.saturating_add(1)).iter().min_by_key(|&&p| p.abs_diff(expected));
                match next {
                    Some(&p) => {
                        budget -= p.abs_diff(expected);
                        at = p;
                        true
                    }
                    None => false,
                }
            })
        })
        .count()
}

/// A phrase's slop (`"mobile network"~2`), which tantivy shows only in its debug form.
fn slop_of(phrase: &PhraseQuery) -> u32 {
    let debug = format!("{phrase:?}");
    debug.rsplit_once("slop: ").and_then(|(_, rest)| rest.trim_end_matches(['}', ' ']).parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_without_the_query_s_words_match_only_through_the_document_or_their_tags() {
        /// The entries a leaf matches.
        struct Entries(Vec<DocId>, usize);
        impl DocSet for Entries {
            fn advance(&mut self) -> DocId {
                self.1 += 1;
                self.doc()
            }
            fn doc(&self) -> DocId {
                self.0.get(self.1).copied().unwrap_or(TERMINATED)
            }
            fn size_hint(&self) -> u32 {
                self.0.len() as u32
            }
        }
        impl Scorer for Entries {
            fn score(&mut self) -> Score {
                1.0
            }
        }
        // Documents 3 and 9 have the word in their title; passage entry 4 the speaker.
        let title = || Open::Leaf { scorer: Box::new(Entries(vec![3, 9], 0)), at: At::Document };
        let speaker = || Open::Leaf { scorer: Box::new(Entries(vec![4], 0)), at: At::Passage };
        let words = || Open::Words(vec![0]);
        let or = |should: Vec<Open>| Open::Bool { must: vec![], should, not: vec![], min_should: 0 };
        let and = |must: Vec<Open>| Open::Bool { must, should: vec![], not: vec![], min_should: 0 };
        // `ChatGPT`: in the title, every passage; elsewhere, only those with the word.
        let mut tree = or(vec![title(), words()]);
        let found: Vec<Option<bool>> = (0..12).map(|doc| without_words(&mut tree, doc)).collect();
        let expected: Vec<Option<bool>> = (0..12).map(|doc| Some(doc == 3 || doc == 9)).collect();
        assert_eq!(found, expected);
        // A passage's own tags are not known before the passage is.
        assert_eq!(without_words(&mut and(vec![title(), speaker()]), 3), None);
        assert_eq!(without_words(&mut and(vec![title(), speaker()]), 5), Some(false));
        assert_eq!(without_words(&mut or(vec![speaker(), words()]), 5), None);
        // What is excluded in the title excludes every passage.
        let mut not_title = Open::Bool { must: vec![Open::All], should: vec![], not: vec![title()], min_should: 0 };
        assert_eq!(without_words(&mut not_title, 3), Some(false));
        assert_eq!(without_words(&mut not_title, 4), Some(true));
        assert_eq!(without_words(&mut and(vec![words(), title()]), 3), Some(false));
    }

    #[test]
    fn a_phrase_slop_is_read_from_tantivy() {
        let t = |w: &str| Term::from_field_text(Field::from_field_id(0), w);
        let mut phrase = PhraseQuery::new(vec![t("mobile"), t("network")]);
        assert_eq!(slop_of(&phrase), 0);
        phrase.set_slop(3);
        assert_eq!(slop_of(&phrase), 3);
    }

    #[test]
    fn positions_inside_a_span_are_cut_from_a_sorted_list() {
        let list = [1, 4, 9, 12, 20];
        assert_eq!(in_span(&list, 4, 13), &[4, 9, 12]);
        assert_eq!(in_span(&list, 13, 20), &[] as &[u32]);
        assert_eq!(in_span(&list, 0, 100), &list);
    }

    #[test]
    fn phrases_match_in_order_inside_the_span_with_their_slop() {
        // "mobile" at 3 and 10, "network" at 4 and 13, "plan" at 5.
        let positions = vec![vec![3, 10], vec![4, 13], vec![5]];
        let here = |first, end| Here { doc: 0, passage: 1, first, end, positions: &positions };
        assert_eq!(phrase_freq(&[0, 1], 0, &here(0, 20)), 1);
        assert_eq!(phrase_freq(&[0, 1, 2], 0, &here(0, 20)), 1);
        // A span that cuts the phrase holds none of it.
        assert_eq!(phrase_freq(&[0, 1], 0, &here(4, 20)), 0);
        assert_eq!(phrase_freq(&[0, 1], 0, &here(0, 4)), 0);
        // "mobile" at 10, "network" at 13: two positions of play.
        assert_eq!(phrase_freq(&[0, 1], 2, &here(8, 20)), 1);
        assert_eq!(phrase_freq(&[0, 1], 1, &here(8, 20)), 0);
    }
}
