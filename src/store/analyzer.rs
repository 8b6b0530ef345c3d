//! The analyzer of nkdigi's text fields, for indexing and queries alike: Latin text (and
//! any other script written with spaces) is split into words, lower-cased and stemmed in
//! English; a run of Hangul is indexed as overlapping syllable bigrams, as Lucene's CJK
//! analyzer does, so that a word finds its forms with particles (`가입자` finds
//! `가입자가`, `가입자는`).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// The name the analyzer is registered under, and the tokenizer of the text fields.
pub const NAME: &str = "nk_text";

/// The analyzer: words and Hangul bigrams, long tokens dropped, lower case, stems (one
/// pass; the same tokens as tantivy's `RemoveLongFilter`, `LowerCaser` and English
/// `Stemmer` after these words, which the tests check).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordsAndBigrams).build()
}

/// The first token of `text` as the index holds it (`Koryolnk` → `koryolnk`).
pub fn first_token(text: &str) -> Option<String> {
    let mut stream = WordsAndBigramsStream::new(text, None);
    stream.advance().then(|| std::mem::take(&mut stream.token.text))
}

/// Tokens this long (bytes, before lower-casing) are dropped, as tantivy's
/// `RemoveLongFilter::limit(40)` drops them.
const LONGEST: usize = 40;

/// Stems of the words this thread has seen: most words of a corpus recur, and the stemmer
/// is the costliest step of indexing a word. Cleared when it grows past its bound: the
/// words that recur are back in it within a few documents, and a bound of 200,000 held
/// 14 MB a thread once a corpus of a gigabyte had filled it.
const STEM_CACHE_BOUND: usize = 50_000;

thread_local! {
    static STEMS: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> = Default::default();
}

/// Writes `raw` lower-cased as tantivy's `LowerCaser` does into `out`, or returns false
/// for a word too long to index.
fn lower_case_into(raw: &str, out: &mut String) -> bool {
    if raw.len() >= LONGEST {
        return false;
    }
    out.clear();
    if raw.is_ascii() {
        out.push_str(raw);
        out.make_ascii_lowercase();
    } else {
        for c in raw.chars() {
            out.extend(c.to_lowercase());
        }
    }
    true
}

/// Replaces the lower-cased word in `word` with its English Snowball stem (as
/// `Stemmer::new(Language::English)` gives it).
fn stem_in_place(word: &mut String) {
    static STEMMER: std::sync::LazyLock<frostem::Stemmer> =
        std::sync::LazyLock::new(|| frostem::Stemmer::new(frostem::Algorithm::English));
    // Numbers stem to themselves, and a corpus holds ever more of them than of words.
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = STEMMER.stem(word).into_owned();
        if cache.len() >= STEM_CACHE_BOUND {
            cache.clear();
        }
        // The key is a copy of the word's length: the reused buffer has room for the
        // longest word seen, which a cache of 50,000 keys would hold on to.
        let key = word.as_str().to_owned();
        word.clear();
        word.push_str(&stem);
        cache.insert(key, stem);
    })
}

/// The analyzer that finds a query's terms in a hit's text for its snippet: the tokens of
/// [`analyzer`] at the same offsets, except that a word whose first letter begins none of
/// `terms` is left unstemmed. A stem begins with its word's first letter, so such a word
/// matches no term either way, and most words of a hit skip the stemmer.
pub fn snippet_analyzer<'t>(terms: impl IntoIterator<Item = &'t str>) -> TextAnalyzer {
    let mut initials: Vec<char> = terms.into_iter().filter_map(|t| t.chars().next()).collect();
    initials.sort_unstable();
    initials.dedup();
    TextAnalyzer::builder(SnippetWords { initials: initials.into() }).build()
}

/// The tokenizer of [`snippet_analyzer`].
#[derive(Clone)]
struct SnippetWords {
    initials: std::sync::Arc<[char]>,
}

impl Tokenizer for SnippetWords {
    type TokenStream<'a> = WordsAndBigramsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordsAndBigramsStream<'a> {
        WordsAndBigramsStream::new(text, Some(&self.initials))
    }
}

/// Whether `c` is a Hangul syllable or jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Splits text into alphanumeric words, and Hangul runs into overlapping bigrams (a run of
/// one syllable is one token).
#[derive(Clone, Default)]
pub struct WordsAndBigrams;

/// The tokens of a text, made one at a time in one reused token: a word costs no
/// allocation once its stem is in the thread's cache.
pub struct WordsAndBigramsStream<'a> {
    text: &'a str,
    segments: Segments<'a>,
    /// The position of the next segment.
    position: usize,
    /// For the snippet analyzer: the first letters of the query's terms (only words that
    /// begin with one are stemmed).
    initials: Option<&'a [char]>,
    token: Token,
}

impl<'a> WordsAndBigramsStream<'a> {
    fn new(text: &'a str, initials: Option<&'a [char]>) -> Self {
        WordsAndBigramsStream { text, segments: Segments::new(text), position: 0, initials, token: Token::default() }
    }
}

impl Tokenizer for WordsAndBigrams {
    type TokenStream<'a> = WordsAndBigramsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordsAndBigramsStream<'a> {
        WordsAndBigramsStream::new(text, None)
    }
}

impl TokenStream for WordsAndBigramsStream<'_> {
    fn advance(&mut self) -> bool {
        for (from, to) in self.segments.by_ref() {
            let position = self.position;
            self.position += 1;
            let token = &mut self.token;
            if !lower_case_into(&self.text[from..to], &mut token.text) {
                continue;
            }
            let can_match =
                |initials: &[char]| token.text.chars().next().is_some_and(|c| initials.binary_search(&c).is_ok());
            if self.initials.is_none_or(can_match) {
                stem_in_place(&mut token.text);
            }
            token.offset_from = from;
            token.offset_to = to;
            token.position = position;
            token.position_length = 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// How many positions `text` takes when indexed as one value of a text field: the
/// position after its last token (0 for text without tokens). Values of a field follow one
/// another with a gap of one position, so the positions of a passage inside its document
/// are known without stemming it.
pub fn span(text: &str) -> u32 {
    if text.is_ascii() {
        return ascii_span(text.as_bytes());
    }
    segments_span(text)
}

/// [`span`] by the segments themselves.
fn segments_span(text: &str) -> u32 {
    let mut end = 0;
    for (position, (from, to)) in Segments::new(text).enumerate() {
        if to - from < LONGEST {
            end = position as u32 + 1;
        }
    }
    end
}

/// [`span`] of ASCII text, where a segment is a run of letters and digits: one pass over
/// the bytes, without the segmenter's handling of other characters.
fn ascii_span(bytes: &[u8]) -> u32 {
    // Without a branch on each byte: where a run ends is as unpredictable as the text.
    let (mut count, mut end, mut run) = (0u32, 0u32, 0usize);
    let mut in_run = false;
    for &b in bytes {
        let alphanumeric = b.is_ascii_alphanumeric();
        let ended = in_run & !alphanumeric;
        count += u32::from(ended);
        end = if ended & (run < LONGEST) { count } else { end };
        run = if alphanumeric { run + 1 } else { 0 };
        in_run = alphanumeric;
    }
    if in_run {
        count += 1;
        if run < LONGEST {
            end = count;
        }
    }
    end
}

/// The byte ranges of the words and Hangul bigrams of a text, long ones included: a
/// segment's position is its number, so positions count the tokens that lower-casing drops,
/// as they did when a filter dropped them.
struct Segments<'a> {
    text: &'a str,
    /// Where to read on.
    at: usize,
    /// Inside a run of Hangul: where the syllable before `at` begins (the first half of the
    /// next bigram).
    syllable: Option<usize>,
}

impl<'a> Segments<'a> {
    fn new(text: &'a str) -> Self {
        Segments { text, at: 0, syllable: None }
    }

    /// The Hangul character at `at`, if there is one, and where it ends.
    fn hangul_at(&self, at: usize) -> Option<usize> {
        self.text[at..].chars().next().filter(|&c| is_hangul(c)).map(|c| at + c.len_utf8())
    }
}

impl Iterator for Segments<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        // The run goes on: the syllable before and this one are the next bigram.
        if let Some(first) = self.syllable.take() {
            if let Some(end) = self.hangul_at(self.at) {
                self.syllable = Some(self.at);
                self.at = end;
                return Some((first, end));
            }
        }
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let start = self.at;
            let b = bytes[start];
            if b.is_ascii() {
                self.at += 1;
                if !b.is_ascii_alphanumeric() {
                    continue;
                }
            } else {
                let c = self.text[start..].chars().next().expect("a character");
                self.at += c.len_utf8();
                if is_hangul(c) {
                    // A run's first syllable: a token of its own if the run ends here,
                    // else the first half of its first bigram.
                    return Some(match self.hangul_at(self.at) {
                        Some(end) => {
                            self.syllable = Some(self.at);
                            self.at = end;
                            (start, end)
                        }
                        None => (start, self.at),
                    });
                }
                if !c.is_alphanumeric() {
                    continue;
                }
            }
            // A word: letters and digits up to the first other character or Hangul.
            while self.at < bytes.len() {
                let b = bytes[self.at];
                if b.is_ascii() {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    self.at += 1;
                } else {
                    let c = self.text[self.at..].chars().next().expect("a character");
                    if !c.is_alphanumeric() || is_hangul(c) {
                        break;
                    }
                    self.at += c.len_utf8();
                }
            }
            return Some((start, self.at));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word as the index stores it.
    fn normalize(raw: &str) -> Option<String> {
        let mut word = String::new();
        lower_case_into(raw, &mut word).then(|| {
            stem_in_place(&mut word);
            word
        })
    }

    #[test]
    fn numbers_skip_the_stemmer_because_it_leaves_them_as_they_are() {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let numbers =
            (0..20_000u64).map(|n| n.to_string()).chain(["007", "0000", "12345678901234567890"].map(String::from));
        for n in numbers {
            assert_eq!(stemmer.stem(&n), n.as_str());
            assert_eq!(normalize(&n).as_deref(), Some(n.as_str()));
        }
        assert_eq!(normalize("Systems").as_deref(), Some("system"), "words are still stemmed");
    }

    fn texts(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// The words of [`WordsAndBigrams`] as they are, for tantivy's own filters.
    #[derive(Clone)]
    struct RawWords;

    impl Tokenizer for RawWords {
        type TokenStream<'a> = tantivy::tokenizer::PreTokenizedStream;

        fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
            // Long tokens stay for `RemoveLongFilter` to drop.
            let tokens = (Segments::new(text).enumerate())
                .map(|(position, (from, to))| Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text: text[from..to].to_string(),
                    position_length: 1,
                })
                .collect();
            tantivy::tokenizer::PreTokenizedString { text: text.to_string(), tokens }.into()
        }
    }

    #[test]
    fn one_pass_gives_the_tokens_of_tantivys_filters() {
        use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, Stemmer};
        let mut reference = TextAnalyzer::builder(RawWords)
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let long = "x".repeat(45);
        let text = format!(
            "Mobile NETWORKS running Ünïcode ΣΊΣΥΦΟΣ {long} generously 가입자가 늘었다 4G subscribers' \
             İstanbul Straße {long}s again, again and again"
        );
        let mut ours = analyzer();
        let collect = |analyzer: &mut TextAnalyzer| {
            let mut stream = analyzer.token_stream(&text);
            let mut out = Vec::new();
            while stream.advance() {
                let t = stream.token();
                out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            out
        };
        let (a, b) = (collect(&mut ours), collect(&mut reference));
        assert_eq!(a, b);
        assert!(a.iter().any(|(t, ..)| t == "mobil") && !a.iter().any(|(t, ..)| t.len() >= 40));
        // A second pass answers from the cache with the same stems.
        assert_eq!(collect(&mut ours), b);
    }

    /// Forms of `word` that exercise the stemmer's suffix rules and its exceptions.
    fn forms(word: &str) -> Vec<String> {
        let suffixes = ["", "s", "es", "ies", "ied", "ed", "ing", "ly", "ness", "ational", "ization", "fulness", "y"];
        suffixes.iter().map(|s| format!("{word}{s}")).collect()
    }

    #[test]
    fn a_stem_begins_with_its_words_first_letter() {
        // What the snippet analyzer relies on: a word can only stem to a term that begins
        // as it does.
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let exceptions =
            ["dying", "lying", "tying", "skies", "skis", "idly", "gently", "ugly", "early", "only", "news"];
        let words: Vec<String> = include_str!("../../bench/words.txt")
            .split_whitespace()
            .chain(exceptions)
            .chain(["y", "yes", "youth", "yielding", "ay", "é", "ölçü", "çay", "σοφία", "가입자", "1990s", "4g"])
            .flat_map(|w| forms(&w.to_lowercase()))
            .collect();
        assert!(words.len() > 50_000);
        for word in &words {
            let stem = stemmer.stem(word);
            assert_eq!(stem.chars().next(), word.chars().next(), "{word} → {stem}");
        }
    }

    /// The segments of a text as a plain reading cuts them: runs of alphanumeric
    /// characters other than Hangul, and each run of Hangul into overlapping bigrams.
    fn plain_segments(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if is_hangul(c) {
                let mut bounds = vec![start, start + c.len_utf8()];
                while let Some(&(i, d)) = chars.peek().filter(|(_, d)| is_hangul(*d)) {
                    bounds.push(i + d.len_utf8());
                    chars.next();
                }
                if bounds.len() == 2 {
                    out.push((bounds[0], bounds[1]));
                }
                out.extend(bounds.windows(3).map(|w| (w[0], w[2])));
            } else if c.is_alphanumeric() {
                let mut end = start + c.len_utf8();
                while let Some(&(i, d)) = chars.peek().filter(|(_, d)| d.is_alphanumeric() && !is_hangul(*d)) {
                    end = i + d.len_utf8();
                    chars.next();
                }
                out.push((start, end));
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn segments_are_those_of_a_plain_reading(text in "[a-zA-Z0-9 .,'’\\-é_ßΣİ가-힣ㄱ-ㅎᄀ-ᄒ中·\n]{0,40}") {
            proptest::prop_assert_eq!(Segments::new(&text).collect::<Vec<_>>(), plain_segments(&text));
        }

        #[test]
        fn the_span_of_ascii_text_is_that_of_its_segments(
            text in "([a-zA-Z0-9]{0,8}|[ .,'_\n-]{1,3}|[a-z]{38,42}){0,12}",
        ) {
            proptest::prop_assert_eq!(ascii_span(text.as_bytes()), segments_span(&text), "{}", text);
        }

        #[test]
        fn a_stem_of_any_word_begins_with_its_first_letter(word in "[a-zy'é]{1,14}") {
            let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
            let first = word.chars().next();
            // Words as the tokenizer cuts them: no apostrophe first.
            proptest::prop_assume!(first != Some('\''));
            proptest::prop_assert_eq!(stemmer.stem(&word).chars().next(), first);
        }
    }

    #[test]
    fn the_snippet_analyzer_stems_only_words_that_can_match() {
        let text = "Networks running 4G NETWORKED Koryolink generously 가입자가 늘었다 skies dying network";
        let collect = |mut analyzer: TextAnalyzer| {
            let mut stream = analyzer.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                let t = stream.token();
                out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            out
        };
        let full = collect(analyzer());
        let snippet = collect(snippet_analyzer(["network", "가입", "dy"]));
        assert_eq!(full.len(), snippet.len());
        for (f, s) in full.iter().zip(&snippet) {
            // The same token at the same place, stemmed when it begins as a term does.
            assert_eq!((f.1, f.2, f.3), (s.1, s.2, s.3));
            let initial = f.0.chars().next().unwrap();
            if ['n', '가', 'd'].contains(&initial) {
                assert_eq!(f.0, s.0);
            } else {
                assert_eq!(s.0, text[s.2..s.3].to_lowercase());
            }
        }
        // Both analyzers agree on every word a term could be.
        assert_eq!(snippet.iter().filter(|t| t.0 == "network").count(), 3);
        // A word no term begins as is left as it is.
        assert!(full.iter().any(|t| t.0 == "run") && snippet.iter().any(|t| t.0 == "running"));
    }

    #[test]
    fn latin_words_are_stemmed_as_before() {
        assert_eq!(texts("Mobile networks, 4G subscribers!"), vec!["mobil", "network", "4g", "subscrib"]);
    }

    #[test]
    fn hangul_runs_become_overlapping_bigrams() {
        assert_eq!(texts("가입자가 늘었다"), vec!["가입", "입자", "자가", "늘었", "었다"]);
        assert_eq!(texts("망"), vec!["망"]);
        // A query word's bigrams are a phrase inside the particle-bearing form.
        let word = texts("가입자");
        let inflected = texts("가입자는");
        assert!(inflected.windows(word.len()).any(|w| w == word.as_slice()));
    }

    #[test]
    fn mixed_text_keeps_both() {
        assert_eq!(texts("AI를 쓴다 KINU"), vec!["ai", "를", "쓴다", "kinu"]);
    }

    #[test]
    fn offsets_are_bytes_of_the_original_text() {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream("4G 가입자");
        let mut offsets = Vec::new();
        while stream.advance() {
            let t = stream.token();
            offsets.push((t.offset_from, t.offset_to));
        }
        assert_eq!(offsets, vec![(0, 2), (3, 9), (6, 12)]);
    }
}
