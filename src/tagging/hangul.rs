//! Hangul personal names in Latin letters: the surname by a table of the common family
//! names, every other syllable by Revised Romanization, so that 박민주 meets Park Min-ju
//! and Park Min-joo through the same per-syllable variant rules as Latin spellings; and
//! the runs of Hangul in a text, which the Korean rules read word by word.

/// A run of Hangul in a text (`\p{Hangul}+`): a Korean word with whatever particle
/// follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Word<'t> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// The runs of Hangul in `text`, left to right: what a regex search for `\p{Hangul}+`
/// finds, in one pass over the bytes, where the regex engine's search of Hangul costs
/// several times more. Running Korean text asks this of every passage.
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Every character of the script is three bytes long, led by a byte that
    // [`leads_hangul`]; the character there is decoded only then.
    let hangul_at = move |at: usize| -> bool {
        leads_hangul(bytes[at]) && {
            let c = (u32::from(bytes[at] & 0x0F) << 12)
                | (u32::from(bytes[at + 1] & 0x3F) << 6)
                | u32::from(bytes[at + 2] & 0x3F);
            char::from_u32(c).is_some_and(in_script)
        }
    };
    std::iter::from_fn(move || {
        while at < bytes.len() && !hangul_at(at) {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && hangul_at(at) {
            at += 3;
        }
        Some(Word { text, start, end: at })
    })
}

/// Whether `c` is of the Hangul script (`\p{Hangul}`, with halfwidth and enclosed forms,
/// where the analyzer's `is_hangul` takes syllables and jamo for its bigrams): syllables at
/// once, the rest by the regex library's own table.
fn in_script(c: char) -> bool {
    static RANGES: std::sync::LazyLock<Vec<(char, char)>> = std::sync::LazyLock::new(|| {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::Parser::new().parse(r"\p{Hangul}").expect("a Unicode script");
        match hir.kind() {
            HirKind::Class(Class::Unicode(class)) => class.ranges().iter().map(|r| (r.start(), r.end())).collect(),
            kind => panic!("\\p{{Hangul}} parsed as {kind:?}"),
        }
    });
    is_syllable(c)
        || c >= '\u{1100}' && {
            let ranges = RANGES.as_slice();
            let i = ranges.partition_point(|&(_, end)| end < c);
            ranges.get(i).is_some_and(|&(start, _)| start <= c)
        }
}

/// Whether `text` may hold a character of the Hangul script: one whose UTF-8 begins with
/// a byte that [`leads_hangul`]. A byte loop with no setup, where a regex search costs a
/// cache from its pool on every short passage.
pub(crate) fn may_hold_hangul(text: &str) -> bool {
    text.bytes().any(leads_hangul)
}

/// Whether `b` may begin a character of the Hangul script: every one is three bytes long
/// and begins with one of these, which most English text (curly quotes and dashes begin
/// with 0xE2) has none of; a ligature, a byte-order mark or CJK punctuation passes too.
fn leads_hangul(b: u8) -> bool {
    matches!(b, 0xE1 | 0xE3 | 0xEA..=0xED | 0xEF)
}

/// Whether `c` is a precomposed Hangul syllable.
pub fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Whether `text` holds a precomposed Hangul syllable ([`is_syllable`]): a text that
/// [`may_hold_hangul`] turns away (most English passages) is answered without decoding it.
pub fn has_syllable(text: &str) -> bool {
    may_hold_hangul(text) && text.chars().any(is_syllable)
}

const INITIALS: [&str; 19] =
    ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];
const MEDIALS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
    "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t",
    "t", "k", "t", "p", "t",
];

/// One syllable in Revised Romanization, as written in a given name (`민` → `min`).
pub fn romanize(c: char) -> Option<String> {
    if !is_syllable(c) {
        return None;
    }
    let index = c as u32 - 0xAC00;
    let (initial, medial, last) = (index / (21 * 28), (index % (21 * 28)) / 28, index % 28);
    Some(format!("{}{}{}", INITIALS[initial as usize], MEDIALS[medial as usize], FINALS[last as usize]))
}

/// Family names as most often romanized (two-syllable ones first).
pub(crate) const SURNAMES: &[(&str, &str)] = &[
    ("남궁", "namgung"),
    ("황보", "hwangbo"),
    ("제갈", "jegal"),
    ("선우", "sunwoo"),
    ("독고", "dokgo"),
    ("사공", "sagong"),
    ("서문", "seomun"),
    ("김", "kim"),
    ("이", "lee"),
    ("리", "lee"),
    ("박", "park"),
    ("최", "choi"),
    ("정", "jung"),
    ("강", "kang"),
    ("조", "cho"),
    ("윤", "yoon"),
    ("장", "jang"),
    ("임", "lim"),
    ("림", "lim"),
    ("한", "han"),
    ("오", "oh"),
    ("서", "seo"),
    ("신", "shin"),
    ("권", "kwon"),
    ("황", "hwang"),
    ("안", "ahn"),
    ("송", "song"),
    ("전", "jeon"),
    ("홍", "hong"),
    ("유", "yoo"),
    ("류", "ryu"),
    ("고", "ko"),
    ("문", "moon"),
    ("양", "yang"),
    ("량", "yang"),
    ("렴", "yeom"),
    ("손", "son"),
    ("배", "bae"),
    ("백", "baek"),
    ("허", "heo"),
    ("남", "nam"),
    ("심", "shim"),
    ("노", "roh"),
    ("로", "roh"),
    ("하", "ha"),
    ("곽", "kwak"),
    ("성", "sung"),
    ("차", "cha"),
    ("주", "joo"),
    ("우", "woo"),
    ("구", "koo"),
    ("민", "min"),
    ("진", "jin"),
    ("나", "na"),
    ("지", "ji"),
    ("엄", "um"),
    ("채", "chae"),
    ("원", "won"),
    ("천", "cheon"),
    ("방", "bang"),
    ("공", "kong"),
    ("현", "hyun"),
    ("함", "ham"),
    ("변", "byun"),
    ("염", "yeom"),
    ("여", "yeo"),
    ("추", "choo"),
    ("도", "do"),
    ("소", "so"),
    ("석", "seok"),
    ("선", "sun"),
    ("설", "seol"),
    ("마", "ma"),
    ("길", "gil"),
    ("연", "yeon"),
    ("위", "wi"),
    ("표", "pyo"),
    ("명", "myung"),
    ("기", "ki"),
    ("반", "ban"),
    ("왕", "wang"),
    ("금", "keum"),
    ("옥", "ok"),
    ("육", "yook"),
    ("인", "in"),
    ("맹", "maeng"),
    ("제", "je"),
    ("모", "mo"),
    ("탁", "tak"),
    ("국", "kook"),
    ("은", "eun"),
    ("편", "pyun"),
    ("용", "yong"),
    ("예", "ye"),
    ("경", "kyung"),
    ("봉", "bong"),
    ("태", "tae"),
    ("목", "mok"),
    ("형", "hyung"),
    ("피", "pi"),
    ("두", "doo"),
    ("감", "kam"),
    ("호", "ho"),
    ("동", "dong"),
    ("시", "si"),
    ("범", "beom"),
    ("승", "seung"),
    ("상", "sang"),
    ("갈", "gal"),
    ("가", "ka"),
    ("어", "eo"),
];

/// A Hangul name (two to five syllables, spaces allowed) as surname and given syllables
/// in Latin letters; `None` when it does not start with a known family name.
pub fn split_name(name: &str) -> Option<(String, Vec<String>)> {
    let syllables: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if !syllables.chars().all(is_syllable) || !(2..=5).contains(&syllables.chars().count()) {
        return None;
    }
    let (hangul, latin) = family_name(&syllables)?;
    let given: Vec<String> = syllables[hangul.len()..].chars().filter_map(romanize).collect();
    (!given.is_empty() && given.len() <= 3).then(|| (latin.to_string(), given))
}

/// The family name a Hangul name starts with (`남궁` of `남궁현우`, `강` of `강하람`).
pub fn surname(name: &str) -> Option<&'static str> {
    split_name(name)?;
    family_name(name).map(|(h, _)| *h)
}

/// The first of [`SURNAMES`] that `word` starts with. Every Hangul word of a passage asks,
/// so it is tried only against the surnames that begin with its first syllable.
fn family_name(word: &str) -> Option<&'static (&'static str, &'static str)> {
    type ByFirst = rustc_hash::FxHashMap<char, Vec<&'static (&'static str, &'static str)>>;
    static BY_FIRST: std::sync::LazyLock<ByFirst> = std::sync::LazyLock::new(|| {
        let mut by_first = ByFirst::default();
        for entry in SURNAMES {
            by_first.entry(entry.0.chars().next().expect("a surname")).or_default().push(entry);
        }
        by_first
    });
    let first = word.chars().next()?;
    BY_FIRST.get(&first)?.iter().copied().find(|(h, _)| word.starts_with(h))
}

/// Whether a word of running Korean text is a personal name: a family name and two given
/// syllables (four syllables in all with a two-syllable family name, or three), each a
/// syllable that Korean given names use, and no common noun. Shorter words are too often
/// ordinary nouns (정부, 한국): see [`is_short_name`].
pub fn is_name(word: &str) -> bool {
    let Some((family, given)) = shape(word) else { return false };
    let compound = family == 2;
    let full = (!compound && given == 2) || (compound && (1..=2).contains(&given));
    full && given_syllables_plausible(word, compound) && !NOT_NAMES.contains(&word)
}

/// Syllables of the family name and of the given name, without romanizing anything: the
/// shape [`split_name`] would find.
fn shape(word: &str) -> Option<(usize, usize)> {
    let mut count = 0;
    for c in word.chars() {
        if !is_syllable(c) {
            return None;
        }
        count += 1;
    }
    if !(2..=5).contains(&count) {
        return None;
    }
    let (hangul, _) = family_name(word)?;
    let family = hangul.chars().count();
    let given = count - family;
    (1..=3).contains(&given).then_some((family, given))
}

/// A family name and one given syllable (`변솔`, `탁진`): a name only where a post follows.
pub fn is_short_name(word: &str) -> bool {
    matches!(shape(word), Some((1, 1))) && given_syllables_plausible(word, false) && !NOT_NAMES.contains(&word)
}

/// Words that look like names and are not.
const NOT_NAMES: &[&str] = &[
    // Nouns before a post (`국가안보 조사 책임자`) that read as a family name and one syllable.
    "조사",
    "보안",
    "정보",
    "연구",
    "기술",
    "분석",
    "수사",
    "감시",
    "전략",
    "정책",
    "안보",
    "국방",
    "경제",
    "사업",
    "개발",
    "공격",
    "위협",
    "대응",
    "기획",
    "홍보",
    "연구소",
    "변호사",
    "함경남",
    "함경북",
    "평안남",
    "평안북",
    "황해남",
    "황해북",
    "경상남",
    "경상북",
    "전라남",
    "전라북",
    "충청남",
    "충청북",
    "연구원",
    "연구진",
    "관계자",
    "소식통",
    "대변인",
    "위원장",
    "전문가",
    "이번에",
    "정부가",
    "조선의",
    "기지국",
    "가입자",
    "경애하",
    "주민들",
    "전문연",
    "이날",
    "지난해",
    "올해",
    "현재",
    "최근",
    "정부",
    "한국",
    "조선",
    "남북",
    "이번",
    "지난",
    "전체",
    "이후",
    "동영상",
    "가명",
    "이어",
    "이에",
    "이와",
    "이를",
    "이는",
    "한편",
    "당시",
    "신임",
    "전임",
    "전직",
    "현직",
    "공동",
    "수석",
    "선임",
    "책임",
    "명예",
    "고위",
    "차기",
    "초대",
    "주요",
    "주한",
    "주미",
    "주중",
];

/// Syllables Korean given names are made of (the common ones).
const GIVEN: &str = "우늘름빛봄결샘솜가각간갈감강개건걸검겸경계고곤공관광교구국군권규균근금기길나난남녀년노누능다단달담당대덕도돈동두득라란람랑래량려련렬령례로록뢰룡루류륜률리린림마만말매맹면명모목몽묘무묵문미민바박반방배백범법벽변별병보복본봉부분비빈사산삼상새색생서석선설섬섭성세소속손솔송수숙순술숭슬승시식신실심아악안애야약양어언엄여역연열염엽영예오옥온완왕요욱운웅원월위유육윤율은을음응의이익인일임입자작장재전절점정제조종주준중지진집찬창채천철청초총추춘출충치탁태택판평표풍필하학한함해행향헌혁현협형혜호홍화환활황회효후훈휘휴흠흥희힘";

fn given_syllables_plausible(word: &str, compound: bool) -> bool {
    let skip = if compound { 2 } else { 1 };
    word.chars().skip(skip).all(is_given_syllable)
}

/// Whether `c` is one of [`GIVEN`]: one bit per syllable, where `str::contains` compared
/// hundreds of bytes.
fn is_given_syllable(c: char) -> bool {
    const SYLLABLES: usize = 0xD7A4 - 0xAC00;
    static BITS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        let mut bits = vec![0u64; SYLLABLES.div_ceil(64)];
        for c in GIVEN.chars() {
            let i = c as usize - 0xAC00;
            bits[i / 64] |= 1 << (i % 64);
        }
        bits
    });
    let Some(i) = (c as usize).checked_sub(0xAC00).filter(|&i| i < SYLLABLES) else { return false };
    BITS[i / 64] & (1 << (i % 64)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regex the byte passes stand for.
    static WORD: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\p{Hangul}+").expect("valid regex"));

    #[test]
    fn every_character_is_hangul_as_the_regex_says() {
        let mut buf = [0; 4];
        let differ: Vec<char> =
            (char::MIN..=char::MAX).filter(|&c| in_script(c) != WORD.is_match(c.encode_utf8(&mut buf))).collect();
        assert!(differ.is_empty(), "{differ:?}");
        // Every character of the script is three bytes long, led by a byte `words` and
        // `may_hold_hangul` look for: no text with one is turned away.
        let script: Vec<char> = (char::MIN..=char::MAX).filter(|&c| in_script(c)).collect();
        assert!(script.len() > 11_000, "{}", script.len());
        for c in script {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert!(bytes.len() == 3 && leads_hangul(bytes[0]), "{c:?}");
            assert!(may_hold_hangul(&c.to_string()), "{c:?}");
        }
    }

    proptest::proptest! {
        /// The runs are those of the regex, in texts of Hangul of every block (syllables,
        /// jamo, compatibility and halfwidth jamo, tone marks) among other scripts.
        #[test]
        fn words_are_the_runs_the_regex_finds(
            text in "[a-z 0-9.\u{2019}\u{3000}-\u{3030}\u{4E00}-\u{4E10}\u{1100}-\u{1110}\u{11F0}-\u{1210}\u{3131}-\u{3140}\u{318C}-\u{3190}\u{3200}-\u{3220}\u{A960}-\u{A980}\u{AC00}-\u{AC20}\u{D790}-\u{D7FF}\u{FFA0}-\u{FFE0}가-힣]{0,40}",
        ) {
            let ours: Vec<(usize, usize)> = words(&text).map(|w| (w.start(), w.end())).collect();
            let regex: Vec<(usize, usize)> = WORD.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(ours, regex);
        }
    }

    #[test]
    fn the_given_syllables_are_the_bits_set() {
        assert!(GIVEN.chars().all(is_syllable), "a given syllable is no syllable");
        for c in ('\u{AB00}'..='\u{D7FF}').chain(['a', '가', '힣', '\u{D7A4}']) {
            assert_eq!(is_given_syllable(c), GIVEN.contains(c), "{c:?}");
        }
    }

    proptest::proptest! {
        /// Any text with a Hangul character passes; ASCII, punctuation and other scripts
        /// around it (`’`, `—`, CJK, Cyrillic) never pass alone.
        #[test]
        fn text_with_hangul_may_hold_hangul(
            text in "[a-z .\u{2019}\u{2014}\u{4E00}-\u{4E20}\u{0400}-\u{0420}]{0,80}",
            hangul in "[\u{1100}-\u{11FF}\u{3131}-\u{318E}\u{A960}-\u{A97C}\u{AC00}-\u{D7A3}\u{FFA0}-\u{FFBE}]",
            at in 0usize..80,
        ) {
            proptest::prop_assert!(!may_hold_hangul(&text));
            proptest::prop_assert!(!WORD.is_match(&text));
            let at = text.char_indices().map(|(i, _)| i).nth(at).unwrap_or(text.len());
            let mixed = format!("{}{hangul}{}", &text[..at], &text[at..]);
            proptest::prop_assert!(WORD.is_match(&mixed));
            proptest::prop_assert!(may_hold_hangul(&mixed));
        }

        #[test]
        fn has_syllable_is_any_char_a_syllable(text in "[a-z .\u{2019}\u{2014}\u{A000}-\u{ABFF}\u{AC00}-\u{AC10}\u{D790}-\u{D7FF}\u{E000}-\u{E010}\u{1100}-\u{11FF}]{0,40}") {
            proptest::prop_assert_eq!(has_syllable(&text), text.chars().any(is_syllable), "{}", text);
        }

        #[test]
        fn a_family_name_is_the_first_surname_the_word_starts_with(
            word in "(남궁|황보|제갈|선우|김|이|리|박|서|서문|사|사공|독|독고|[가-힣]){1,4}",
        ) {
            let first = SURNAMES.iter().find(|(h, _)| word.starts_with(h));
            proptest::prop_assert_eq!(family_name(&word), first);
        }
    }

    #[test]
    fn syllables_romanize_by_the_revised_system() {
        let rr: Vec<String> = "민주정영훈".chars().filter_map(romanize).collect();
        assert_eq!(rr, vec!["min", "ju", "jeong", "yeong", "hun"]);
        assert_eq!(romanize('a'), None);
    }

    #[test]
    fn names_split_into_family_name_and_given_syllables() {
        assert_eq!(split_name("박민주"), Some(("park".into(), vec!["min".into(), "ju".into()])));
        assert_eq!(split_name("남궁 민"), Some(("namgung".into(), vec!["min".into()])));
        assert_eq!(split_name("스마트폰을"), None);
        assert!(!is_name("박"));
        assert!(is_name("이정훈") && is_name("남궁민수") && is_name("황보경"));
        assert!(!is_name("가입자") && !is_name("기지국") && !is_name("경애하"));
        assert!(is_short_name("변솔") && !is_short_name("정부"));
        assert!(!is_name("정부") && !is_name("연구위원") && !is_name("연구원"));
    }
}
