//! The grammar of transcript and interview turns, shared by the passage splitter and the
//! tagger: `NAME:`, `NAME (Affiliation):`, `NAME, ROLE:`, `MS. LEE:`, `Q:`, and mixed-case
//! labels (`Williams:`, `**Park Min-ju:**`) that a document uses as turns.

use regex::{Captures, Match, Regex};
use std::sync::LazyLock;

/// A label's pattern, anchored at the start of its text, with what the text must begin
/// with for the pattern to match: the first bytes tell most lines of prose from any label
/// before a search, and each search costs a cache from the regex's pool (and, on a second
/// thread, a lock).
pub struct Label {
    re: Regex,
    opens: fn(&str) -> bool,
}

impl Label {
    fn new(pattern: &str, opens: fn(&str) -> bool) -> Label {
        Label { re: Regex::new(pattern).expect("valid regex"), opens }
    }

    pub fn is_match(&self, text: &str) -> bool {
        (self.opens)(text) && self.re.is_match(text)
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        (self.opens)(text).then(|| self.re.find(text)).flatten()
    }

    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        (self.opens)(text).then(|| self.re.captures(text)).flatten()
    }
}

/// Opens with `**`, or with a capital no lower-case letter follows (`The …` is prose,
/// `THE MODERATOR:` a label).
fn opens_in_capitals(text: &str) -> bool {
    match text.as_bytes() {
        [b'*', ..] => true,
        [first, second, ..] => first.is_ascii_uppercase() && !second.is_ascii_lowercase(),
        [first] => first.is_ascii_uppercase(),
        [] => false,
    }
}

/// Opens with `**` or an upper-case letter.
fn opens_capitalised(text: &str) -> bool {
    text.starts_with(|c: char| c == '*' || c.is_uppercase())
}

/// Opens with Hangul or a mark (`▶`, `‹`), which are not ASCII, or with `[`, `<` or `**`.
fn opens_korean(text: &str) -> bool {
    text.as_bytes().first().is_some_and(|&b| !b.is_ascii() || matches!(b, b'[' | b'<' | b'*'))
}

pub static TURN_NAME: LazyLock<Label> = LazyLock::new(|| {
    Label::new(
        r"^(?:\*\*)?(?P<label>[A-Z][A-Z.'\-]*(?:\s+[A-Z][A-Z.'\-]*){0,4})(?:,\s*(?P<role>[A-Za-z][A-Za-z ]{1,30}))?(?:\s*\((?P<aff>[^)\n]{1,120})\))?(?:\*\*)?:",
        opens_in_capitals,
    )
});

/// A mixed-case label at the start of a passage: `Williams:`, `NK Pro:`, `**Park Min-ju:**`,
/// `Jane Doe, host:`, `Park Min-joo 교수(통일교육원):`. A turn only where the document opens two passages with it.
pub static MIXED_TURN: LazyLock<Label> = LazyLock::new(|| {
    Label::new(
        r"^(?:\*\*)?(?P<label>\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){0,3})(?:,\s*(?P<role>[A-Za-z][A-Za-z ]{1,30}))?(?:\s+(?P<kpost>\p{Hangul}{1,6}))?(?:\s*\((?P<aff>[^)\n]{1,120})\))?(?:\*\*)?\s*:(?:\*\*)?\s",
        opens_capitalised,
    )
});

/// A Korean turn: `문:`, `답:`, `질문:`, `답변:`, or a Hangul name with an optional
/// `(기관)` and a colon (`이성호(통일연구원):`), perhaps after a mark and before `>` as
/// broadcast transcripts write them (`▷엄기수> …`, `▶앵커> …`); the name may come with
/// its post and a body before it (`▶ 국민대 최성호 정치대학원장:`) or a role after a slash
/// (`▷ 김다은/사회자:`), or after a sound bite's tag in angle brackets (`<녹취> 이름(직함) :`,
/// as KBS scripts write them). In brackets, a name with the turn's words after it or on the
/// next line (`[이호령]`), or a name and its post on a line of its own (`[윌리엄스
/// 연구원]`; with words after it, two words in brackets are a tag, `[세미나 요약] …`).
pub static KO_TURN: LazyLock<Label> = LazyLock::new(|| {
    Label::new(
        r"^(?:(?:[▶▷►■□●○◆◇]\s*|[<‹〈](?:인터뷰|녹취|싱크)[>›〉]\s*)?(?:\*\*)?(?P<label>\p{Hangul}{1,5}(?: \p{Hangul}{2,8}){0,2})(?:\s*/\s*(?P<role>\p{Hangul}{2,5}))?\s*(?:\((?P<aff>[^)\n]{1,80})\))?(?:\*\*)?\s*[:：>=]\s*|\[(?P<bracketed>\p{Hangul}{2,5})\](?:\s+|$)|\[(?P<with_post>\p{Hangul}{2,5} \p{Hangul}{2,8})\]$)",
        opens_korean,
    )
});

/// Whether `text` is a Korean turn's label and nothing more (`[이호령]`, `▶ 국민대 최성호
/// 정치대학원장:`): the turn's words are in the next paragraph. (An English label alone,
/// `PARTICIPANTS:`, heads a list as often as it opens a turn.)
pub fn is_label_only(text: &str) -> bool {
    // Tags of a broadcast script's parts stay lines of their own, as they were written.
    const PART_TAGS: &[&str] = &["[앵커]", "[기자]", "[인터뷰]", "[녹취]", "[싱크]", "[리포트]", "[질문]", "[답변]"];
    let text = text.trim_end();
    !PART_TAGS.contains(&text) && KO_TURN.find(text).is_some_and(|m| m.end() == text.len())
}

/// A broadcast sound bite: `[이름 / 소속 직함 : 말]`, `[인터뷰] 이름 / 소속 직함 : "말"`,
/// `▶ 인터뷰 : 이름 / 소속 직함 - "말"`, and the label alone on its line (`[인터뷰] 이름 / 소속`).
pub static KO_SOUNDBITE: LazyLock<Label> = LazyLock::new(|| {
    Label::new(
        r#"^(?:\[(?:인터뷰|녹취|싱크)\]\s*|\[|[▶▷]\s*(?:인터뷰|녹취|싱크)\s*[:：]\s*)(?P<label>\p{Hangul}{2,5}(?: \p{Hangul}{2,5})?)\s*/\s*(?P<aff>[^:：\]\n"“]{1,80}?)\s*(?:[:：]\s|-\s*["“]|["“]|\]\s|$)"#,
        opens_korean,
    )
});

/// A sound bite with the name after a colon: `[녹취: 레이철 모건 / 사이버보안 컨설턴트]
/// "…"`, `[녹취: 캐서린 오코너 교수] "…"`.
pub static KO_SOUNDBITE_NAMED: LazyLock<Label> = LazyLock::new(|| {
    Label::new(
        r"^\[(?:인터뷰|녹취|싱크)\s*[:：]\s*(?P<label>\p{Hangul}{2,5}(?: \p{Hangul}{1,5})?)\s*(?:/\s*(?P<aff>[^\]\n]{1,80}?)|\s+(?P<role>\p{Hangul}{1,8}))?\s*\]",
        opens_korean,
    )
});

/// True when `line` opens a transcript turn (`NAME:`, `NAME (Org):`, `NAME, HOST:`, `Q:`).
pub fn is_turn_start(line: &str) -> bool {
    TURN_NAME.find(line).is_some_and(|m| line[m.end()..].chars().next().is_none_or(char::is_whitespace))
        || KO_TURN.is_match(line)
        || KO_SOUNDBITE.is_match(line)
        || KO_SOUNDBITE_NAMED.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The five labels, each with its name.
    fn labels() -> [(&'static str, &'static Label); 5] {
        [
            ("TURN_NAME", &TURN_NAME),
            ("MIXED_TURN", &MIXED_TURN),
            ("KO_TURN", &KO_TURN),
            ("KO_SOUNDBITE", &KO_SOUNDBITE),
            ("KO_SOUNDBITE_NAMED", &KO_SOUNDBITE_NAMED),
        ]
    }

    /// `is_turn_start` without the labels' guards.
    fn is_turn_start_searched(line: &str) -> bool {
        TURN_NAME.re.find(line).is_some_and(|m| line[m.end()..].chars().next().is_none_or(char::is_whitespace))
            || KO_TURN.re.is_match(line)
            || KO_SOUNDBITE.re.is_match(line)
            || KO_SOUNDBITE_NAMED.re.is_match(line)
    }

    /// Lines shaped like turns and like prose: an opener (a mark, a bracket, a sound bite's
    /// tag, a quotation mark, a word), a label (capitals, a capitalised word, Hangul, `Q`),
    /// what may follow it, a separator and the turn's words.
    fn turn_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::sample::select;
        use proptest::strategy::Strategy;
        const OPENERS: &[&str] =
            &["", "", "**", "▶ ", "□", "<녹취> ", "‹인터뷰› ", "<", "[", "[녹취: ", "[인터뷰] ", " ", "\"", "x ", "4"];
        const AFTER: &[&str] =
            &["", "", "**", " (INSS)", "(통일연구원)", " / 소속 직함", "/사회자", ", HOST", " 연구원"];
        const SEPARATORS: &[&str] = &[":", ":", " :", "：", "]", ">", " -", "", ":**"];
        const WORDS: &[&str] = &[" 네", " Yes.", "", "x", " \"말\""];
        let label = "[A-Z]{1,6}( [A-Z][A-Z.\\-]{0,5})?|[A-Z][a-z]{1,6}|[가-힣]{1,5}( [가-힣]{2,4})?|Q|[a-z]{1,5}";
        (select(OPENERS), label, select(AFTER), select(SEPARATORS), select(WORDS))
            .prop_map(|(opener, label, after, separator, words)| format!("{opener}{label}{after}{separator}{words}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// No label's guard turns away a line its pattern would take.
        #[test]
        fn the_first_byte_guards_keep_every_turn(line in turn_like()) {
            for (name, label) in labels() {
                proptest::prop_assert!(!label.re.is_match(&line) || (label.opens)(&line), "{} {:?}", name, line);
            }
            proptest::prop_assert_eq!(is_turn_start(&line), is_turn_start_searched(&line), "{:?}", line);
        }
    }

    proptest::proptest! {
        /// Every text a mixed-case label opens passes the guard before its search.
        #[test]
        fn a_mixed_turn_opens_with_what_its_guard_lets_through(
            text in "(\\*\\*|\\PC)?\\PC?[A-Za-zÀ-ÿǅⒶ가-힣]{1,6}( [A-Z][a-z]{1,5})?( 교수)?( \\([A-Za-z ]{1,12}\\))?(\\*\\*)? ?:(\\*\\*)? x"
        ) {
            proptest::prop_assert!(!MIXED_TURN.re.is_match(&text) || (MIXED_TURN.opens)(&text), "{:?}", text);
        }
    }

    #[test]
    fn turns_the_guard_lets_through_and_prose_it_turns_away() {
        for turn in [
            "Q: When?",
            "**KIM MIN-JU**: Yes.",
            "김민정: 네.",
            "▶ 김다은/사회자: 네",
            "<녹취> 남궁현(안랩) : 네",
            "[녹취: 레이철 모건 / 컨설턴트] 네",
            "[조한범] 네",
        ] {
            assert!(is_turn_start(turn), "{turn}");
        }
        for prose in ["the figures: 7.51 million", "\"Yes,\" she said: no.", " KIM: indented", "", "4G: the network"] {
            assert!(!is_turn_start(prose), "{prose}");
            assert_eq!(is_turn_start(prose), is_turn_start_searched(prose), "{prose}");
        }
    }

    #[test]
    fn korean_labels_with_a_body_a_post_or_a_role_and_labels_alone() {
        let caps = KO_TURN.captures("▶ 국민대 최성호 정치대학원장: 기지국이 늘었습니다.").unwrap();
        assert_eq!(&caps["label"], "국민대 최성호 정치대학원장");
        let caps = KO_TURN.captures("▷ 김다은/사회자: 어떻게 보십니까?").unwrap();
        assert_eq!((&caps["label"], &caps["role"]), ("김다은", "사회자"));
        assert_eq!(&KO_TURN.captures("□진행: 물었다").unwrap()["label"], "진행");
        assert_eq!(&KO_TURN.captures("[윌리엄스 연구원]").unwrap()["with_post"], "윌리엄스 연구원");
        assert!(!is_turn_start("[세미나 요약] 북한의 디지털 전환"));
        let caps = KO_TURN.captures("<인터뷰> 남궁현(안랩 시큐리티대응센터 센터장) : \"같습니다\"").unwrap();
        assert_eq!((&caps["label"], &caps["aff"]), ("남궁현", "안랩 시큐리티대응센터 센터장"));
        assert!(is_label_only("[조한범]"));
        assert!(is_label_only("▶ 국민대 최성호 정치대학원장:"));
        assert!(!is_label_only("PARTICIPANTS:"));
        assert!(!is_label_only("[앵커]"));
        assert!(!is_label_only("[조한범] 지금 보면 그렇습니다."));
        assert!(!is_label_only("MARTYN WILLIAMS: Models doubled."));
        assert!(!is_label_only("[사진=연합뉴스] 평양 거리"));
    }

    #[test]
    fn turn_labels_are_read_with_their_role_and_affiliation() {
        let caps = TURN_NAME.captures("SARAH KLEIN, HOST: Welcome.").unwrap();
        assert_eq!((&caps["label"], &caps["role"]), ("SARAH KLEIN", "HOST"));
        let caps = TURN_NAME.captures("KIM MIN-JUNG (INSS): Yes.").unwrap();
        assert_eq!((&caps["label"], &caps["aff"]), ("KIM MIN-JUNG", "INSS"));
        assert!(is_turn_start("MS. LEE: Phishing rose."));
        assert!(!is_turn_start("Note: this is prose"));
        let caps = MIXED_TURN.captures("**Park Min-ju:** Universities use AI.").unwrap();
        assert_eq!(&caps["label"], "Park Min-ju");
        let caps = KO_TURN.captures("이성호(통일연구원): 휴대전화가 늘었다.").unwrap();
        assert_eq!((&caps["label"], &caps["aff"]), ("이성호", "통일연구원"));
        assert!(is_turn_start("답: 그렇다."));
        let caps = KO_SOUNDBITE.captures("[주동혁 / 고려대학교 교수 : 피해가 커집니다.]").unwrap();
        assert_eq!((&caps["label"], &caps["aff"]), ("주동혁", "고려대학교 교수"));
        let caps = KO_SOUNDBITE.captures("[인터뷰] 안현석 / 한국인터넷진흥원 단장 : \"어렵습니다.\"").unwrap();
        assert_eq!(&caps["label"], "안현석");
        assert_eq!(&KO_TURN.captures("▷엄기수> 방송을 봤습니다.").unwrap()["label"], "엄기수");
    }
}
