//! Name normalization: the keys that make spellings of one person (or one institution)
//! compare equal. Korean names are split into syllables and each syllable is mapped to a
//! canonical romanization; Western names compare by their letters, and near-misses are
//! detected for the registry to merge only when the affiliation agrees.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Spellings of one given-name syllable (from the romanization table), canonical first.
const GIVEN_VARIANTS: &[&[&str]] = &[
    &["bak", "park", "pak"],
    &["gim", "kim"],
    &["choe", "choi"],
    &["yun", "yoon"],
    &["jo", "cho"],
    &["jeong", "jung", "chung", "chong"],
    &["ju", "joo", "chu"],
    &["yeong", "young", "yong"],
    &["hun", "hoon"],
    &["hyeon", "hyun"],
    &["seo", "suh", "so"],
    &["su", "soo"],
    &["seong", "sung", "song"],
    &["gyeong", "kyung", "kyeong", "kyong"],
    &["eun", "un"],
    &["u", "woo"],
    &["cheol", "chul", "chol"],
    &["sin", "shin"],
    &["hui", "hee"],
];

/// Spellings of one surname. Ambiguous spellings (Song is also 송, So is also 소, Chu is
/// also 추) are left out here so that different family names never merge.
const SURNAME_VARIANTS: &[&[&str]] = &[
    &["bak", "park", "pak"],
    &["i", "lee", "yi", "rhee", "ri", "rhie", "li"],
    &["gim", "kim"],
    &["choe", "choi"],
    &["yun", "yoon"],
    &["jo", "cho"],
    &["jeong", "jung", "chung", "chong"],
    &["seo", "suh"],
    &["seong", "sung"],
    &["sin", "shin"],
    &["ju", "joo"],
    &["hyeon", "hyun"],
    &["u", "woo"],
    &["gang", "kang"],
    &["jang", "chang"],
    &["im", "lim"],
    &["o", "oh"],
    &["gwon", "kwon"],
    &["hwang"],
    &["an", "ahn"],
    &["yu", "yoo", "ryu"],
];

/// Korean surnames roughly by frequency: when both ends of a name are surnames, the more
/// common one is taken as the surname.
const SURNAMES: &[&str] = &[
    "kim", "gim", "lee", "yi", "rhee", "ri", "rhie", "park", "pak", "bak", "choi", "choe", "jung", "jeong", "chung",
    "chong", "kang", "cho", "jo", "yoon", "yun", "jang", "chang", "lim", "im", "han", "oh", "seo", "suh", "shin",
    "sin", "kwon", "hwang", "ahn", "an", "song", "jeon", "hong", "yoo", "yu", "ko", "go", "moon", "mun", "yang", "son",
    "bae", "baek", "paek", "heo", "hur", "nam", "sim", "shim", "noh", "roh", "ha", "kwak", "sung", "seong", "cha",
    "joo", "ju", "woo", "koo", "ku", "min", "ryu", "na", "jin", "ji", "eom", "chae", "won", "chun", "bang", "gong",
    "hyun", "ham", "byun", "yeom", "yeo", "choo", "do", "seok", "sun", "seol", "ma", "gil", "yeon", "wi", "pyo",
    "myung", "ban", "wang", "geum", "ok", "yook", "maeng", "je", "mo", "tak", "guk", "eo", "ri",
];

const INITIALS: &[&str] = &[
    "", "g", "k", "kk", "n", "d", "t", "tt", "r", "l", "m", "b", "p", "pp", "s", "ss", "j", "ch", "jj", "h", "sh", "rh",
];
const VOWELS: &[&str] = &[
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i", "oo", "ee", "ou", "oi", "ie", "yeou", "yoo", "eui", "uh",
];
const FINALS: &[&str] = &["", "k", "g", "n", "t", "d", "l", "r", "m", "p", "b", "ng", "h"];

static SYLLABLES: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
    let mut set = std::collections::HashSet::new();
    for i in INITIALS {
        for v in VOWELS {
            for f in FINALS {
                set.insert(format!("{i}{v}{f}"));
            }
        }
    }
    for group in GIVEN_VARIANTS.iter().chain(SURNAME_VARIANTS) {
        for s in *group {
            set.insert(s.to_string());
        }
    }
    set
});

static GIVEN_CANON: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| canon_map(GIVEN_VARIANTS));
static SURNAME_CANON: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| canon_map(SURNAME_VARIANTS));

fn canon_map(groups: &[&[&'static str]]) -> HashMap<&'static str, &'static str> {
    groups.iter().flat_map(|g| g.iter().map(move |s| (*s, g[0]))).collect()
}

/// Common Japanese and Chinese surnames (lower case), by which a two-word name in either
/// order finds its surname.
const EAST_ASIAN_SURNAMES: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "watanabe",
    "ito",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "shimizu",
    "yamazaki",
    "mori",
    "abe",
    "ikeda",
    "hashimoto",
    "ishikawa",
    "ogawa",
    "okada",
    "goto",
    "hasegawa",
    "fujita",
    "murakami",
    "kondo",
    "ishii",
    "saito",
    "sakamoto",
    "endo",
    "aoki",
    "fujii",
    "nishimura",
    "fukuda",
    "ota",
    "miura",
    "fujiwara",
    "okamoto",
    "matsuda",
    "nakagawa",
    "nakano",
    "harada",
    "ono",
    "tamura",
    "takeuchi",
    "kaneko",
    "wada",
    "nakayama",
    "ishida",
    "ueda",
    "morita",
    "hara",
    "shibata",
    "sakai",
    "kudo",
    "yokoyama",
    "miyazaki",
    "miyamoto",
    "uchida",
    "takagi",
    "ando",
    "taniguchi",
    "ohno",
    "maruyama",
    "imai",
    "takada",
    "fujimoto",
    "takeda",
    "murata",
    "ueno",
    "sugiyama",
    "masuda",
    "sugawara",
    "hirano",
    "otsuka",
    "chiba",
    "kubo",
    "matsui",
    "iwasaki",
    "sakurai",
    "kinoshita",
    "noguchi",
    "matsuo",
    "kikuchi",
    "nomura",
    "arai",
    "watanabe",
    "morimoto",
    "nakajima",
    "koizumi",
    "wang",
    "zhang",
    "liu",
    "chen",
    "yang",
    "zhao",
    "huang",
    "zhou",
    "wu",
    "xu",
    "sun",
    "zhu",
    "ma",
    "hu",
    "guo",
    "he",
    "lin",
    "luo",
    "gao",
    "zheng",
    "liang",
    "xie",
    "song",
    "tang",
    "han",
    "feng",
    "deng",
    "cao",
    "peng",
    "zeng",
    "xiao",
    "tian",
    "dong",
    "pan",
    "yuan",
    "cai",
    "jiang",
    "yu",
    "du",
    "ye",
    "cheng",
    "wei",
    "su",
    "lu",
    "ding",
    "ren",
    "shen",
    "yao",
    "lv",
    "zhong",
    "fan",
    "fang",
    "shi",
    "tan",
    "jin",
    "wan",
    "qian",
    "dai",
];

/// Titles and honorifics dropped in front of names.
const TITLES: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "sir",
    "dame",
    "amb",
    "ambassador",
    "rev",
    "gen",
    "col",
    "vice",
    "deputy",
    "minister",
    "director",
    "discussant",
    "panelist",
    "panellist",
    "moderator",
    "chairman",
    "chairwoman",
    "chair",
    "president",
    "senator",
    "sen",
    "rep",
    "representative",
    "general",
    "secretary",
    "keynote",
    "researcher",
    "analyst",
    "fellow",
    "former",
    "acting",
    "spokesperson",
    "spokesman",
    "spokeswoman",
];

/// The name without titles, possessive and surrounding punctuation.
pub fn strip_titles(name: &str) -> String {
    let name = super::words::trim_possessive(name.trim());
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_title = |w: &str| {
        let w = w.trim_end_matches('.');
        TITLES.iter().any(|t| t.eq_ignore_ascii_case(w))
    };
    let skip = words.iter().take_while(|w| is_title(w)).count();
    words[skip.min(words.len())..]
        .iter()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '"' | '“' | '”' | '(' | ')')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Upper-case transcript names become name case: `PARK MIN-JU` → `Park Min-ju`.
pub fn tidy_person(name: &str) -> String {
    let name = strip_titles(name);
    let words: Vec<&str> = name.split(' ').collect();
    let all_caps = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase);
    if name.chars().any(|c| c.is_lowercase()) {
        // `HALVORSEN Ingrid`, `CHOE Un-hee`: a programme's SURNAME Given. Korean and East
        // Asian names keep that order; others take the given name first.
        if words.len() >= 2 && all_caps(words[0]) && words[1..].iter().all(|w| !all_caps(w)) {
            let surname = name_case(words[0]);
            let rest = words[1..].join(" ");
            let surname_first = format!("{surname} {rest}");
            let east_asian = matches!(PersonName::parse(&surname_first), PersonName::Korean { .. })
                || EAST_ASIAN_SURNAMES.contains(&surname.to_lowercase().as_str());
            return if east_asian { surname_first } else { format!("{rest} {surname}") };
        }
        return name;
    }
    words.iter().map(|w| name_case(w)).collect::<Vec<_>>().join(" ")
}

/// `PARK` → `Park`, `MIN-JU` → `Min-ju`, `O'CONNELL` → `O'connell`.
fn name_case(word: &str) -> String {
    word.split('-')
        .enumerate()
        .map(|(i, part)| {
            let lower = part.to_lowercase();
            if i > 0 {
                return lower;
            }
            let mut chars = lower.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join("-")
}

/// Splits a run of letters into romanized Korean syllables: fewest syllables, then fewest
/// non-initial syllables starting with a vowel. `None` when it is not romanized Korean.
pub fn syllables(word: &str) -> Option<Vec<String>> {
    let word = word.to_ascii_lowercase();
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) || word.len() > 18 {
        return None;
    }
    let n = word.len();
    // best[i] = (cost, previous cut) for the prefix of length i.
    let mut best: Vec<Option<(u32, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in end.saturating_sub(7)..end {
            let Some((cost, _)) = best[start] else { continue };
            let piece = &word[start..end];
            if !SYLLABLES.contains(piece) {
                continue;
            }
            let vowel_start = start > 0 && matches!(piece.as_bytes()[0], b'a' | b'e' | b'i' | b'o' | b'u');
            let cost = cost + 2 + u32::from(vowel_start);
            if best[end].is_none_or(|(c, _)| cost < c) {
                best[end] = Some((cost, start));
            }
        }
    }
    best[n]?;
    let mut cuts = vec![n];
    let mut at = n;
    while at > 0 {
        at = best[at]?.1;
        cuts.push(at);
    }
    cuts.reverse();
    Some(cuts.windows(2).map(|w| word[w[0]..w[1]].to_string()).collect())
}

fn surname_rank(token: &str) -> Option<usize> {
    SURNAMES.iter().position(|s| *s == token)
}

/// Letters of a name token, lower-case, with apostrophes and periods dropped.
fn letters(token: &str) -> String {
    token.chars().filter(|c| c.is_alphanumeric() || *c == '-').flat_map(char::to_lowercase).collect()
}

/// A person's name split for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonName {
    Korean { surname: String, given: Vec<String> },
    Western { given: Vec<String>, surname: String },
    Single(String),
}

impl PersonName {
    pub fn parse(name: &str) -> PersonName {
        let cleaned = strip_titles(name);
        // A name in Hangul: family name by table, the rest by Revised Romanization, then the
        // same variant tables as Latin spellings.
        if let Some((surname, given)) = super::hangul::split_name(&cleaned) {
            let surname = SURNAME_CANON.get(surname.as_str()).map(|s| s.to_string()).unwrap_or(surname);
            let given =
                given.into_iter().map(|s| GIVEN_CANON.get(s.as_str()).map(|c| c.to_string()).unwrap_or(s)).collect();
            return PersonName::Korean { surname, given };
        }
        let tokens: Vec<String> =
            cleaned.split_whitespace().map(letters).filter(|t| !t.trim_matches('-').is_empty()).collect();
        if tokens.len() == 1 {
            return PersonName::Single(tokens[0].replace('-', ""));
        }
        if let Some(korean) = korean(&tokens) {
            return korean;
        }
        let mut words: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
        // Japanese and Chinese names come in either order: `Tanaka Hiroshi` is
        // `Hiroshi Tanaka`, `Zhou Ben` is `Ben Zhou`.
        if words.len() == 2
            && EAST_ASIAN_SURNAMES.contains(&words[0].as_str())
            && !EAST_ASIAN_SURNAMES.contains(&words[1].as_str())
        {
            words.swap(0, 1);
        }
        let surname = words.pop().unwrap_or_default();
        // Middle initials (J., A) do not tell people apart in reports.
        let given: Vec<String> =
            words.into_iter().enumerate().filter(|(i, w)| *i == 0 || w.len() > 1).map(|(_, w)| w).collect();
        PersonName::Western { given, surname }
    }

    /// The key under which spellings of one person meet.
    pub fn key(&self) -> String {
        match self {
            PersonName::Korean { surname, given } => format!("k:{}:{}", surname, given.join("-")),
            PersonName::Western { given, surname } => format!("w:{}:{}", given.join(" "), surname),
            PersonName::Single(word) => format!("s:{word}"),
        }
    }

    /// The surname in its canonical spelling.
    pub fn surname(&self) -> &str {
        match self {
            PersonName::Korean { surname, .. } | PersonName::Western { surname, .. } => surname,
            PersonName::Single(word) => word,
        }
    }
}

fn korean(tokens: &[String]) -> Option<PersonName> {
    if !(2..=4).contains(&tokens.len()) {
        return None;
    }
    let first = surname_rank(&tokens[0]);
    let last = surname_rank(&tokens[tokens.len() - 1]);
    let last_is_hyphenated = tokens[tokens.len() - 1].contains('-');
    let surname_first = match (first, last) {
        (Some(f), Some(l)) => f <= l || last_is_hyphenated,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => return None,
    };
    let (surname, rest) = if surname_first {
        (&tokens[0], &tokens[1..])
    } else {
        (&tokens[tokens.len() - 1], &tokens[..tokens.len() - 1])
    };
    let mut given = Vec::new();
    for token in rest {
        for part in token.split('-').filter(|p| !p.is_empty()) {
            if SYLLABLES.contains(part) {
                given.push(part.to_string());
            } else {
                given.extend(syllables(part)?);
            }
        }
    }
    if given.is_empty() || given.len() > 3 {
        return None;
    }
    let surname = SURNAME_CANON.get(surname.as_str()).map(|s| s.to_string()).unwrap_or_else(|| surname.clone());
    let given = given.into_iter().map(|s| GIVEN_CANON.get(s.as_str()).map(|c| c.to_string()).unwrap_or(s)).collect();
    Some(PersonName::Korean { surname, given })
}

/// The key of a person's name (see [`PersonName::key`]).
pub fn person_key(name: &str) -> String {
    PERSON_KEYS.with(|cache| memo(cache, name, |n| PersonName::parse(n).key()))
}

/// Keys this thread has computed: names recur through a corpus, and a key is parsed,
/// romanized and normalized with an allocation a word. Cleared when a cache reaches this.
const KEY_CACHE_BOUND: usize = 50_000;

type KeyCache = std::cell::RefCell<rustc_hash::FxHashMap<String, String>>;

thread_local! {
    static PERSON_KEYS: KeyCache = Default::default();
    static INSTITUTION_KEYS: KeyCache = Default::default();
}

fn memo(cache: &KeyCache, name: &str, compute: impl FnOnce(&str) -> String) -> String {
    if let Some(key) = cache.borrow().get(name) {
        return key.clone();
    }
    let key = compute(name);
    let mut cache = cache.borrow_mut();
    if cache.len() >= KEY_CACHE_BOUND {
        cache.clear();
    }
    cache.insert(name.to_string(), key.clone());
    key
}

/// Edit distance, for near-miss detection on short strings.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Two Western names with one surname whose given names differ by a letter or two
/// (Martyn / Martin). Such names merge only with the same affiliation.
/// Whether `word` is the family name of `name`: `Park` (or `Pak`, `박`) of Park Min-ju,
/// `Williams` of Martyn Williams.
pub fn has_surname(name: &PersonName, word: &str) -> bool {
    let lower = word.trim().to_lowercase();
    match name {
        PersonName::Korean { surname, .. } => {
            let hangul = super::hangul::SURNAMES.iter().find(|(h, _)| *h == word.trim()).map(|(_, l)| *l);
            let latin = hangul.unwrap_or(lower.as_str());
            SURNAME_CANON.get(latin).copied().unwrap_or(latin) == surname
        }
        PersonName::Western { surname, .. } => surname.to_lowercase() == lower,
        PersonName::Single(only) => only.to_lowercase() == lower,
    }
}

pub fn western_near_miss(a: &PersonName, b: &PersonName) -> bool {
    match (a, b) {
        (PersonName::Western { given: ga, surname: sa }, PersonName::Western { given: gb, surname: sb }) => {
            let (Some(ga), Some(gb)) = (ga.first(), gb.first()) else { return false };
            sa == sb && ga != gb && ga.chars().next() == gb.chars().next() && edit_distance(ga, gb) <= 2
        }
        _ => false,
    }
}

/// Two Korean names with one surname whose given names differ by one syllable, or two
/// Western near-misses: candidates for `entities --suggest`, never merged automatically.
pub fn near_miss(a: &PersonName, b: &PersonName) -> bool {
    if western_near_miss(a, b) {
        return true;
    }
    match (a, b) {
        (PersonName::Korean { surname: sa, given: ga }, PersonName::Korean { surname: sb, given: gb }) => {
            let differing: Vec<(&String, &String)> = ga.iter().zip(gb).filter(|(x, y)| x != y).collect();
            sa == sb
                && ga.len() == gb.len()
                && differing.len() == 1
                && differing[0].0.chars().next() == differing[0].1.chars().next()
        }
        _ => false,
    }
}

/// The key of an institution name: case, punctuation, leading article, `Centre`/`Center`
/// and `&`/`and` do not matter.
pub fn institution_key(name: &str) -> String {
    INSTITUTION_KEYS.with(|cache| memo(cache, name, compute_institution_key))
}

fn compute_institution_key(name: &str) -> String {
    let lower = name.to_lowercase().replace('&', " and ").replace("centre", "center");
    let mut words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    // A company's legal form does not tell two bodies apart: `DMM Bitcoin Co.`.
    while words.len() > 1 && CORPORATE_FORMS.contains(&words[words.len() - 1].as_str()) {
        words.pop();
    }
    // One body, two word orders: `Department of Justice` / `Justice Department`,
    // `Institute for Far Eastern Studies at Kyungnam University` / `Kyungnam University
    // Institute for Far Eastern Studies`.
    if let Some(at) = words.iter().position(|w| w == "at").filter(|&i| i > 0 && i + 1 < words.len()) {
        let (head, place) = words.split_at(at);
        words = place[1..].iter().chain(head).cloned().collect();
    }
    if words.len() > 2
        && ["department", "ministry", "bureau", "office"].contains(&words[0].as_str())
        && words[1] == "of"
    {
        let head = words[0].clone();
        words = words[2..].iter().cloned().chain(std::iter::once(head)).collect();
    }
    words.join(" ")
}

/// Legal forms of companies, left out of institution keys.
const CORPORATE_FORMS: &[&str] = &["co", "ltd", "inc", "corp", "llc", "sas", "gmbh", "plc", "ag", "sa", "limited"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_korean_name_share_a_key() {
        let same = [
            ["Park Min-ju", "Park Min-joo"],
            ["Park Min-ju", "Park Minju"],
            ["Park Min-ju", "Park Min Ju"],
            ["Park Min-ju", "Min-ju Park"],
            ["Park Min-ju", "PARK MIN-JU"],
            ["Park Min-ju", "Pak Min-ju"],
            ["Choi Ji-hoon", "Choe Ji-hun"],
            ["Choi Ji-hoon", "Ji-hoon Choi"],
            ["Lee Seong-hoon", "Lee Sung-hun"],
            ["Lee Seong-hoon", "Rhee Seonghoon"],
            ["Yoon Young-soo", "Yun Yeong-su"],
            ["Kim Jong-un", "Kim Jong Un"],
            ["Dr. Kim Min-jung", "Kim Min-jung"],
        ];
        for [a, b] in same {
            assert_eq!(person_key(a), person_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn different_syllables_stay_apart() {
        let different = [
            ["Kim Min-jung", "Kim Min-jun"],
            ["Lee Ji-hoon", "Lee Ji-hyun"],
            ["Park Min-ju", "Park Min-ji"],
            ["Song Min-ho", "Sung Min-ho"],
            ["Kim Min-jung", "Park Min-jung"],
        ];
        for [a, b] in different {
            assert_ne!(person_key(a), person_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn western_names_compare_by_letters_and_near_misses_are_flagged() {
        assert_eq!(person_key("Martyn Williams"), person_key("MARTYN WILLIAMS"));
        assert_ne!(person_key("Martyn Williams"), person_key("Martin Williams"));
        let (a, b) = (PersonName::parse("Martyn Williams"), PersonName::parse("Martin Williams"));
        assert!(western_near_miss(&a, &b));
        assert!(!western_near_miss(&a, &PersonName::parse("Martyn Wilson")));
        assert!(!western_near_miss(&a, &PersonName::parse("Peter Williams")));
        assert!(matches!(PersonName::parse("Hannah Berger"), PersonName::Western { .. }));
        assert!(matches!(PersonName::parse("Daniel Hart"), PersonName::Western { .. }));
    }

    #[test]
    fn korean_near_misses_are_suggestions() {
        assert!(near_miss(&PersonName::parse("Kim Min-jung"), &PersonName::parse("Kim Min-jun")));
        assert!(!near_miss(&PersonName::parse("Kim Min-jung"), &PersonName::parse("Kim Min-jung")));
        assert!(!near_miss(&PersonName::parse("Kim Min-jung"), &PersonName::parse("Lee Min-jun")));
    }

    #[test]
    fn joined_given_names_are_segmented() {
        assert_eq!(syllables("minju").unwrap(), vec!["min", "ju"]);
        assert_eq!(syllables("seonghoon").unwrap(), vec!["seong", "hoon"]);
        assert_eq!(syllables("jihoon").unwrap(), vec!["ji", "hoon"]);
        assert_eq!(syllables("williams"), None);
    }

    #[test]
    fn titles_and_transcript_capitals_are_tidied() {
        assert_eq!(tidy_person("PARK MIN-JU"), "Park Min-ju");
        assert_eq!(tidy_person("Prof. Kim Min-jung"), "Kim Min-jung");
        assert_eq!(tidy_person("Dr Hannah Berger"), "Hannah Berger");
        assert_eq!(tidy_person("MARTYN WILLIAMS"), "Martyn Williams");
    }

    #[test]
    fn programme_surnames_in_capitals_are_put_in_their_place() {
        assert_eq!(tidy_person("CHOE Un-hee"), "Choe Un-hee");
        assert_eq!(tidy_person("WATANABE Daisuke"), "Watanabe Daisuke");
        assert_eq!(tidy_person("HALVORSEN Ingrid"), "Ingrid Halvorsen");
        assert_eq!(tidy_person("PARK MIN-JU"), "Park Min-ju");
    }

    #[test]
    fn hangul_names_meet_their_romanizations() {
        assert_eq!(person_key("박민주"), person_key("Park Min-ju"));
        assert_eq!(person_key("박민주"), person_key("Park Min-joo"));
        assert_eq!(person_key("김민정"), person_key("Kim Min-jung"));
        assert_eq!(person_key("이성호"), person_key("Lee Sung-ho"));
        assert_eq!(person_key("최경수"), person_key("Choe Kyong-su"));
        assert_ne!(person_key("김민정"), person_key("김민준"));
        assert_ne!(person_key("김민준"), person_key("Kim Min-jung"));
    }

    #[test]
    fn japanese_and_chinese_names_meet_in_either_order() {
        assert_eq!(person_key("Tanaka Hiroshi"), person_key("Hiroshi Tanaka"));
        assert_eq!(person_key("Zhou Ben"), person_key("Ben Zhou"));
        assert_ne!(person_key("Hiroshi Tanaka"), person_key("Hiroshi Sato"));
    }

    #[test]
    fn korean_names_in_every_written_form_meet() {
        let key = person_key("Lee Ji-won");
        for form in ["Jiwon Lee", "Ji-won Lee", "Lee Jiwon", "Lee Ji Won", "LEE JI-WON", "Yi Ji-won", "Rhee Jiwon"] {
            assert_eq!(person_key(form), key, "{form}");
        }
        assert_eq!(person_key("Lee Sung Ho"), person_key("Sungho Lee"));
        assert_eq!(person_key("Choi Eun Ji"), person_key("Eun-ji Choe"));
        assert_ne!(person_key("Kim Min-jung"), person_key("Kim Min-jun"));
    }

    #[test]
    fn institution_keys_ignore_legal_form_and_word_order() {
        assert_eq!(institution_key("DMM Bitcoin Co."), institution_key("DMM Bitcoin"));
        assert_eq!(institution_key("Huawei Technologies Co., Ltd."), institution_key("Huawei Technologies"));
        assert_eq!(institution_key("Department of Justice"), institution_key("Justice Department"));
        assert_eq!(institution_key("Ministry of Unification"), institution_key("Unification Ministry"));
        assert_eq!(
            institution_key("Institute for Far Eastern Studies at Kyungnam University"),
            institution_key("Kyungnam University Institute for Far Eastern Studies")
        );
        assert_ne!(institution_key("Korea Computer Center"), institution_key("Korea Communications Commission"));
    }

    #[test]
    fn institution_keys_ignore_form() {
        assert_eq!(institution_key("the Stimson Center"), institution_key("Stimson Centre"));
        assert_eq!(
            institution_key("Korea Posts & Telecommunications"),
            institution_key("Korea Posts and Telecommunications")
        );
        assert_ne!(institution_key("Korea Computer Center"), institution_key("Korea Communications Commission"));
    }
}
