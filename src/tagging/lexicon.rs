//! One Aho-Corasick automaton over every taxonomy term (topic terms, institution names,
//! aliases and acronyms, speaker names and aliases), built once per run and scanned once
//! per passage. Whole words only; terms in capitals match only in capitals.

use super::taxonomy::Taxonomy;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// How much text is scanned before the lexicon builds its DFA. For the default taxonomy's
/// 1,192 terms the DFA scans twice as fast as the automaton built first, but takes some
/// 60 ms and 14 MB to build: worth it for a run over a corpus, not for a `check` of one
/// report or an `index` run that finds a file or two changed.
const DFA_AFTER_BYTES: usize = 8 << 20;

/// A taxonomy whose NFA takes more than this keeps the NFA. A DFA's size grows with its
/// NFA's (0.8 MB and 14 MB for the default taxonomy) and with the number of distinct bytes
/// the terms use: this keeps the DFA to some tens of MB, where a taxonomy of tens of
/// thousands of names would make one of hundreds.
const DFA_MAX_NFA_BYTES: usize = 2 << 20;

/// What a matched term stands for. One string can stand for several things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Topic { topic: usize, weak: bool },
    Institution { institution: usize, acronym: bool },
    Speaker { speaker: usize },
}

#[derive(Debug)]
struct Pattern {
    text: String,
    case_sensitive: bool,
    proper_noun: bool,
    entries: Vec<Entry>,
}

/// A whole-word match of a taxonomy term in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a> {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
    pub entries: &'a [Entry],
}

#[derive(Debug)]
pub struct Lexicon {
    /// The automaton the library picks: for a taxonomy of more than a hundred terms, an
    /// NFA, quick to build and slower to scan.
    automaton: AhoCorasick,
    /// The same terms as a DFA, built by the scan that takes [`Lexicon::scanned`] past
    /// `dfa_after` (never, when `automaton` is one already or the taxonomy is too large for
    /// one; `None` if it could not be built). It finds the same matches, so which of the two
    /// scanned a text never shows; threads that scan while it is being built go on with
    /// `automaton`.
    dfa: OnceLock<Option<AhoCorasick>>,
    /// Bytes scanned so far, by every thread.
    scanned: AtomicUsize,
    dfa_after: usize,
    patterns: Vec<Pattern>,
}

/// Terms without lower-case letters (AI, 4G, KCC) are case-sensitive.
fn is_case_sensitive(term: &str) -> bool {
    term.chars().any(|c| c.is_ascii_uppercase()) && !term.chars().any(|c| c.is_lowercase())
}

impl Lexicon {
    pub fn new(taxonomy: &Taxonomy) -> Lexicon {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut by_text: HashMap<String, usize> = HashMap::new();
        let mut add = |text: &str, entry: Entry, proper_noun: bool| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            let case_sensitive = is_case_sensitive(text);
            let key = if case_sensitive { text.to_string() } else { text.to_ascii_lowercase() };
            let idx = *by_text.entry(key).or_insert_with(|| {
                patterns.push(Pattern { text: text.to_string(), case_sensitive, proper_noun, entries: Vec::new() });
                patterns.len() - 1
            });
            let pattern = &mut patterns[idx];
            pattern.proper_noun &= proper_noun;
            if !pattern.entries.contains(&entry) {
                pattern.entries.push(entry);
            }
        };
        for (topic, def) in taxonomy.topics.iter().enumerate() {
            for term in &def.terms {
                add(term, Entry::Topic { topic, weak: false }, false);
            }
            for term in &def.weak_terms {
                add(term, Entry::Topic { topic, weak: true }, false);
            }
        }
        for (institution, def) in taxonomy.institutions.iter().enumerate() {
            for name in std::iter::once(&def.name).chain(&def.aliases) {
                add(name, Entry::Institution { institution, acronym: false }, true);
            }
            for acronym in &def.acronyms {
                add(acronym, Entry::Institution { institution, acronym: true }, true);
            }
        }
        for (speaker, def) in taxonomy.speakers.iter().enumerate() {
            for name in std::iter::once(&def.name).chain(&def.aliases) {
                add(name, Entry::Speaker { speaker }, true);
            }
        }
        let automaton = build(&patterns, None).unwrap_or_else(|err| panic!("taxonomy terms build no automaton: {err}"));
        let upgrade = automaton.kind() != AhoCorasickKind::DFA && automaton.memory_usage() <= DFA_MAX_NFA_BYTES;
        let dfa_after = if upgrade { DFA_AFTER_BYTES } else { usize::MAX };
        Lexicon { automaton, dfa: OnceLock::new(), scanned: AtomicUsize::new(0), dfa_after, patterns }
    }

    /// The automaton to scan `len` more bytes with, counting them: the DFA once it is built,
    /// or built now by the scan that takes the bytes scanned past `dfa_after`.
    fn automaton_for(&self, len: usize) -> &AhoCorasick {
        if self.dfa_after == usize::MAX {
            return &self.automaton;
        }
        if let Some(dfa) = self.dfa.get() {
            return dfa.as_ref().unwrap_or(&self.automaton);
        }
        let before = self.scanned.fetch_add(len, Ordering::Relaxed);
        if before <= self.dfa_after && before.saturating_add(len) > self.dfa_after {
            let dfa = self.dfa.get_or_init(|| build(&self.patterns, Some(AhoCorasickKind::DFA)).ok());
            return dfa.as_ref().unwrap_or(&self.automaton);
        }
        &self.automaton
    }

    /// Whole-word matches of taxonomy terms in `text`, left to right.
    pub fn scan<'a>(&'a self, text: &str) -> Vec<Hit<'a>> {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        for m in self.automaton_for(text.len()).find_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let (start, mut end) = (m.start(), m.end());
            if pattern.case_sensitive && text[start..end] != pattern.text {
                continue;
            }
            // Hangul has no capitals: a Hangul name is a name as written.
            let capital = |c: char| c.is_uppercase() || c.is_ascii_digit() || super::hangul::is_syllable(c);
            if pattern.proper_noun && !text[start..].starts_with(capital) {
                continue;
            }
            // Whole words only; punctuation such as `·`, `「` or `“` is no part of a word.
            let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            if word_char(text[..start].chars().next_back()) && word_char(text[start..].chars().next()) {
                continue;
            }
            // Korean attaches particles to words: a term (Hangul or not) may be followed by
            // Hangul (`가입자가`, `해킹으로`, `AI를`), but must start a word.
            if text[end..].starts_with(super::hangul::is_syllable) {
                hits.push(Hit { start, end, pattern: m.pattern().as_usize(), entries: &pattern.entries });
                continue;
            }
            // A plural or possessive-less `s`/`es` may follow the term.
            let rest = &bytes[end..];
            let plural = if rest.starts_with(b"es") && !rest.get(2).copied().is_some_and(is_word_byte) {
                2
            } else if rest.starts_with(b"s") && !rest.get(1).copied().is_some_and(is_word_byte) {
                1
            } else {
                0
            };
            end += plural;
            if word_char(text[end..].chars().next()) && word_char(text[..end].chars().next_back()) {
                continue;
            }
            hits.push(Hit { start, end, pattern: m.pattern().as_usize(), entries: &pattern.entries });
        }
        hits
    }

    /// The term as written in the taxonomy.
    pub fn pattern_text(&self, pattern: usize) -> &str {
        &self.patterns[pattern].text
    }
}

/// An automaton of `kind` (or of the library's choice) over the terms: leftmost-longest,
/// ASCII letters in either case (terms in capitals are checked against the text after a
/// match).
fn build(patterns: &[Pattern], kind: Option<AhoCorasickKind>) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .kind(kind)
        .build(patterns.iter().map(|p| p.text.as_str()))
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics_in(text: &str) -> Vec<(String, bool)> {
        let tax = Taxonomy::builtin();
        let lex = Lexicon::new(&tax);
        lex.scan(text)
            .iter()
            .flat_map(|h| h.entries.iter())
            .filter_map(|e| match e {
                Entry::Topic { topic, weak } => Some((tax.topics[*topic].id.clone(), *weak)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn acronyms_match_only_in_capitals_and_as_whole_words() {
        assert_eq!(topics_in("The AI lab"), vec![("ai".to_string(), false)]);
        assert!(topics_in("She SAID it, said the maid, Mr. Kai").is_empty());
        assert!(topics_in("add 4g of rice").is_empty());
        assert!(topics_in("a 4G network").contains(&("4g".to_string(), false)));
    }

    #[test]
    fn phrases_and_plurals_match_in_any_case() {
        let found = topics_in("Smartphones and Facial Recognition");
        assert!(found.contains(&("smartphones".to_string(), false)));
        assert!(found.contains(&("ai".to_string(), false)));
    }

    #[test]
    fn terms_end_at_punctuation_outside_ascii() {
        let lexicon = Lexicon::new(&Taxonomy::builtin());
        let names: Vec<&str> =
            lexicon.scan("「고려링크·강성네트 경쟁」").iter().map(|h| lexicon.pattern_text(h.pattern)).collect();
        assert!(names.contains(&"고려링크") && names.contains(&"강성네트"), "{names:?}");
    }

    #[test]
    fn korean_terms_match_at_the_start_of_a_word_with_any_particle_after() {
        assert_eq!(
            topics_in("북한의 해킹으로 가상자산이 털렸다"),
            vec![("cyber".to_string(), false), ("cyber".to_string(), false)]
        );
        assert_eq!(topics_in("지능형손전화기를 샀다"), vec![("smartphones".to_string(), false)]);
        assert_eq!(topics_in("AI를 쓴다"), vec![("ai".to_string(), false)]);
        // Not inside a word: KAIST is not AI, 세탁기 (a washing machine) is not laundering.
        assert!(topics_in("KAIST 연구진").is_empty());
        assert!(topics_in("새 세탁기를 들였다").is_empty());
    }

    #[test]
    fn the_dfa_built_after_enough_text_finds_what_the_first_automaton_found() {
        let text = "Koryolink's 4G network, AI at KAIST, the Stimson Center and KCC; 해킹으로 가상자산이. \
                    Smartphones, facial recognition, the Ministry of Unification (MOU) and kcc.";
        let hits = |lexicon: &Lexicon| -> Vec<(usize, usize, usize)> {
            lexicon.scan(text).iter().map(|h| (h.start, h.end, h.pattern)).collect()
        };
        let mut lexicon = Lexicon::new(&Taxonomy::builtin());
        lexicon.dfa_after = text.len();
        let first = hits(&lexicon);
        assert!(lexicon.dfa.get().is_none(), "built before the text scanned passed the mark");
        assert!(first.len() >= 8, "{first:?}");
        // This scan takes the count past the mark: it builds the DFA and scans with it.
        assert_eq!(hits(&lexicon), first);
        assert!(lexicon.dfa.get().is_some(), "not built");
        assert_eq!(hits(&lexicon), first);
    }

    #[test]
    fn a_taxonomy_too_large_for_a_dfa_keeps_its_nfa() {
        let mut taxonomy = Taxonomy::builtin();
        for i in 0..30_000 {
            let name = format!("Speaker{i:05} Surname{}", i * 7919 % 30_000);
            taxonomy.speakers.push(super::super::taxonomy::SpeakerDef { name, aliases: Vec::new(), affiliation: None });
        }
        let lexicon = Lexicon::new(&taxonomy);
        assert_eq!(lexicon.dfa_after, usize::MAX, "NFA of {} bytes", lexicon.automaton.memory_usage());
        assert_eq!(lexicon.scan("Speaker00042 Surname2598 said the AI network grew.").len(), 3);
        assert!(lexicon.dfa.get().is_none(), "a DFA was built");
        // The default taxonomy's is small enough; a taxonomy of a few terms gets a DFA at once.
        assert_eq!(Lexicon::new(&Taxonomy::builtin()).dfa_after, DFA_AFTER_BYTES);
        let small = Taxonomy { topics: Taxonomy::builtin().topics[..1].to_vec(), ..Default::default() };
        let small = Lexicon::new(&small);
        assert_eq!((small.automaton.kind(), small.dfa_after), (AhoCorasickKind::DFA, usize::MAX));
    }

    #[test]
    fn weak_terms_are_marked_weak() {
        assert_eq!(topics_in("a network of smugglers"), vec![("4g".to_string(), true)]);
    }

    #[test]
    fn institution_names_need_capitals() {
        let tax = Taxonomy::builtin();
        let lex = Lexicon::new(&tax);
        let institutions = |text: &str| {
            lex.scan(text)
                .iter()
                .flat_map(|h| h.entries.iter())
                .filter(|e| matches!(e, Entry::Institution { .. }))
                .count()
        };
        assert_eq!(institutions("the Stimson Center said"), 1);
        assert_eq!(institutions("the stimson center said"), 0);
        assert_eq!(institutions("KCC and kcc"), 2, "KCC stands for two bodies");
    }
}
