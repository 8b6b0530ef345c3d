//! Word lists of the tagger, as data: head words of organisation names, words that are
//! never part of a person's name, attribution verbs and role words.

/// A fixed list of words, looked up in constant time: the tagger asks of nearly every
/// word whether it is in one of these lists.
pub(crate) struct WordList {
    words: &'static [&'static str],
    set: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>>,
}

impl WordList {
    const fn new(words: &'static [&'static str]) -> Self {
        WordList { words, set: std::sync::OnceLock::new() }
    }

    /// Whether `word` is in the list, exactly as written.
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.set.get_or_init(|| self.words.iter().copied().collect()).contains(word)
    }

    /// The words, in the order the list gives them.
    pub(crate) fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

/// `word` without a possessive ending (`KDI's` → `KDI`), as
/// `trim_end_matches("'s").trim_end_matches("’s")` would give, without building a substring
/// searcher for each word.
pub(crate) fn trim_possessive(mut word: &str) -> &str {
    while let Some(rest) = word.strip_suffix("'s") {
        word = rest;
    }
    while let Some(rest) = word.strip_suffix("’s") {
        word = rest;
    }
    word
}

/// Words that make a capitalized phrase an organization name.
pub(crate) static HEADS: WordList = WordList::new(&[
    "University",
    "Institute",
    "Institution",
    "Center",
    "Centre",
    "Commission",
    "Ministry",
    "Agency",
    "Council",
    "Corporation",
    "Bureau",
    "Group",
    "Foundation",
    "Academy",
    "Committee",
    "Service",
    "Office",
    "Association",
    "Laboratory",
    "Laboratories",
    "Lab",
    "Department",
    "Administration",
    "Authority",
    "Society",
    "Federation",
    "School",
    "College",
    "Program",
    "Programme",
    "Party",
    "Project",
    "Company",
    "Telecom",
    "Review",
    "Journal",
    "Herald",
    "Times",
    "Wire",
    "News",
    "Desk",
    "Initiative",
    "Forum",
    "Organization",
    "Organisation",
    "Union",
    "Bank",
    "Network",
    "Co",
    "Inc",
    "Corp",
    "Ltd",
    "LLC",
    "SAS",
    "GmbH",
    "PLC",
    "Holdings",
    "Holding",
    "Labs",
    "Library",
    "Club",
    "Watch",
    "Museum",
    "Hospital",
    "Exchange",
    "Partners",
    "Ventures",
    "Analytics",
    "Technologies",
]);

/// Lower-case words allowed inside an organization name.
pub(crate) const CONNECTORS: &[&str] = &["of", "for", "and", "on", "the", "in", "de", "&"];

/// Capitalized words that start sentences or qualify names but are not part of them.
pub(crate) static LEADING_STOP: WordList = WordList::new(&[
    "The",
    "A",
    "An",
    "At",
    "In",
    "On",
    "From",
    "According",
    "By",
    "For",
    "With",
    "Both",
    "And",
    "But",
    "When",
    "While",
    "As",
    "Then",
    "So",
    "Also",
    "Yet",
    "If",
    "After",
    "Before",
    "Since",
    "Meanwhile",
    "However",
    "Moreover",
    "Researcher",
    "Researchers",
    "Professor",
    "Prof",
    "Dr",
    "Analyst",
    "Analysts",
    "Fellow",
    "Director",
    "Expert",
    "Experts",
    "Senior",
    "Lecturer",
    "Economist",
    "Scholar",
    "Mr",
    "Mrs",
    "Ms",
    "Speaker",
    "Panelist",
    "Reporter",
    "Journalist",
    "Chair",
    "Chairman",
    "Host",
    "Moderator",
    "This",
    "That",
    "These",
    "Those",
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "Both",
    "Only",
    "Even",
    "Here",
    "There",
    "Today",
    "Yesterday",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "Under",
    "Former",
    "Acting",
    "Vice",
    "Deputy",
    "Minister",
    "Discussant",
    "Discussants",
    "Panelists",
    "Keynote",
    "Presenter",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
]);

/// Words that never occur in a person's name in these reports (days and months are in
/// [`CALENDAR`]).
pub(crate) static NAME_STOP: WordList = WordList::new(&[
    "North",
    "South",
    "Korea",
    "Korean",
    "Koreans",
    "Pyongyang",
    "Seoul",
    "China",
    "Chinese",
    "Russia",
    "Russian",
    "Japan",
    "Japanese",
    "United",
    "States",
    "American",
    "Americans",
    "America",
    "European",
    "Europe",
    "Asia",
    "Asian",
    "Red",
    "Star",
    "Internet",
    "Intranet",
    "Party",
    "Workers",
    "People",
    "Peoples",
    "Republic",
    "Democratic",
    "Government",
    "Report",
    "Reports",
    "Review",
    "Conference",
    "Session",
    "Panel",
    "Q",
    "Sinbo",
    "Choson",
    "Jindallae",
    "Arirang",
    "Koryolink",
    "Orascom",
    "Bybit",
    "Lazarus",
    "Kwangmyong",
    "Android",
    "Linux",
    "Apple",
    "Samsung",
    "Google",
    "Microsoft",
    "OpenAI",
    "ChatGPT",
    "Telegram",
    "Inter",
    "Broadcasting",
    "Communications",
    "International",
    "National",
    "Security",
    "Strategy",
    "Unification",
    "Education",
    "Overall",
    "Several",
    "Many",
    "Some",
    "Most",
    "Other",
    "Others",
    "Such",
    "Each",
    "Every",
    "All",
    "No",
    "Not",
    "Wire",
    "News",
    "Press",
    "Sample",
    "Note",
    "Province",
    "County",
    "City",
    "District",
    "Region",
    "Prefecture",
    "Island",
    "Dynasty",
    "Kingdom",
    "Empire",
    "Photo",
    "File",
    "Image",
    "Street",
    "Square",
]);

/// The country's leaders: named in passing in most reports, and quoted through state
/// media, never the analysts a report conveys.
pub(crate) const LEADERS: &[&str] = &[
    "Kim Jong Un",
    "Kim Jong Il",
    "Kim Il Sung",
    "Kim Yo Jong",
    "Kim Jong Un's",
    "김정은",
    "김정일",
    "김일성",
    "김여정",
];

/// Posts written after a Korean name (`이성호 연구위원은`): the person speaks in their role.
pub(crate) const KO_ROLES: &[&str] = &[
    "전문연구원",
    "사무관",
    "서기관",
    "사무국장",
    "수석연구위원",
    "선임연구위원",
    "연구위원",
    "책임연구원",
    "선임연구원",
    "연구원",
    "교수",
    "소장",
    "부소장",
    "박사",
    "위원장",
    "대표",
    "원장",
    "부원장",
    "센터장",
    "실장",
    "팀장",
    "본부장",
    "사무총장",
    "전문위원",
    "이사장",
    "총장",
    "학장",
    "회장",
    "국장",
    "차관보",
    "차관",
    "부상",
    "장관",
    "의원",
    "변호사",
    "애널리스트",
    "분석가",
    "분석관",
    "고문",
    "차장",
    "컨설턴트",
    "강사",
    "단장",
    "부단장",
    "연구사",
    "교원",
    "자문위원",
    "객원연구위원",
    "책임연구위원",
    "연구관",
    "연구실장",
    "씨",
    "대변인",
    "부대변인",
    "연구교수",
    "명예교수",
    "객원연구원",
    "처장",
    "청장",
    "부장",
    "이사",
    "상무",
    "기술부원",
    "부원",
    // Police, prosecutors, the military and officials.
    "경정",
    "경감",
    "총경",
    "경무관",
    "검사",
    "수사관",
    "조사관",
    "정책관",
    "비서관",
    "행정관",
    "보좌관",
    "대령",
    "준장",
    "대사",
    "부국장",
    "과장",
    // Firms, universities and North Korean bodies.
    "사장",
    "부사장",
    "전무",
    "부총장",
    "강좌장",
    "기사장",
    "의장",
    "엔지니어",
    "동무",
    "동지",
    "총괄",
    "책임자",
    "디렉터",
    "매니저",
    "파트너",
    "최고기술책임자",
    "최고경영자",
    "최고정보보호책임자",
];

/// Verbs of Korean reporting (`말했다`, `밝혔다`…).
pub(crate) const KO_VERBS: &[&str] = &[
    "말했다",
    "떠올렸다",
    "회상했다",
    "꼬집었다",
    "털어놨다",
    "토로했다",
    "귀띔했다",
    // North Korean spellings.
    "말하였다",
    "이야기하였다",
    "강조하였다",
    "지적하였다",
    "설명하였다",
    "밝히였다",
    "이야기했다",
    // Reports in note form (개조식).
    "말함",
    "분석함",
    "지적함",
    "전망함",
    "평가함",
    "주장함",
    "강조함",
    "설명함",
    "밝힘",
    "추정함",
    "집계함",
    "언급함",
    "밝혔다",
    "설명했다",
    "강조했다",
    "지적했다",
    "전망했다",
    "분석했다",
    "주장했다",
    "덧붙였다",
    "평가했다",
    "내다봤다",
    "우려했다",
    "예상했다",
    "진단했다",
    "답했다",
    "꼽았다",
    "경고했다",
    "소개했다",
    "언급했다",
    "제언했다",
    "제시했다",
    "발표했다",
    "말한다",
    "설명한다",
    "강조한다",
    "분석한다",
    "전했다",
    "라고 했다",
    "고 했다",
    "말했습니다",
    "밝혔습니다",
    "설명했습니다",
    "강조했습니다",
    "조언했다",
    "당부했다",
    "꼬집었다",
    "역설했다",
    "풀이했다",
    "해석했다",
    "말하였다",
    "강조하였다",
    "지적하였다",
    "이야기하였다",
    "밝히였다",
    "설명하였다",
    "추산했다",
    "추정했다",
    "내다봤습니다",
    "덧붙였습니다",
    "밝힌 바",
    "연설을 하였다",
    "연설을 했다",
    "밝히며",
    "밝히면서",
    "밝혔고",
    "밝혔으며",
];

/// Nouns that make a verb of reporting with 하다 (`분석하다`): each is read with every
/// ending of `KO_HADA_ENDINGS`, so `분석한 바 있다`, `발표할 예정이다`, `이야기하였다` and
/// `설명하면서` report speech as `분석했다` does.
pub(crate) const KO_HADA_STEMS: &[&str] = &[
    "말",
    "설명",
    "강조",
    "지적",
    "전망",
    "분석",
    "주장",
    "평가",
    "발표",
    "발제",
    "이야기",
    "언급",
    "소개",
    "제언",
    "제시",
    "제안",
    "경고",
    "진단",
    "예상",
    "예측",
    "우려",
    "조언",
    "당부",
    "토로",
    "회상",
    "답변",
    "증언",
    "역설",
    "비판",
    "촉구",
    "추정",
    "추산",
    "해석",
    "풀이",
    "귀띔",
    "진술",
    "보고",
    "기고",
    "토론",
    "논평",
    "답",
    "발언",
    "연설",
    "축사",
];

/// Endings of a 하다 verb that report speech: past, present, future, note form, and the
/// connective forms that run on into the next clause.
pub(crate) const KO_HADA_ENDINGS: &[&str] = &[
    "했다",
    "했습니다",
    "했고",
    "했으며",
    "했는데",
    "했지만",
    "한다",
    "합니다",
    "하였다",
    "하였으며",
    "하였고",
    "할 예정",
    "한 바",
    "함",
    "하며",
    "하면서",
    "해 왔다",
    "해왔다",
    "하기도",
];

/// Every reporting verb form: `KO_VERBS` and each 하다 stem with each ending.
pub(crate) fn ko_verb_forms() -> Vec<String> {
    let mut forms: Vec<String> = KO_VERBS.iter().map(|v| v.to_string()).collect();
    for stem in KO_HADA_STEMS {
        forms.extend(KO_HADA_ENDINGS.iter().map(|e| format!("{stem}{e}")));
    }
    forms
}

/// Days and months: `… Club on Wednesday` ends at the Club.
pub(crate) static CALENDAR: WordList = WordList::new(&[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]);

/// Transcript labels that are roles, not people.
pub(crate) const ANONYMOUS_TURNS: &[&str] = &[
    "MODERATOR",
    "Q",
    "A",
    "AUDIENCE",
    "AUDIENCE MEMBER",
    "PARTICIPANT",
    "HOST",
    "CHAIR",
    "INTERVIEWER",
    "UNIDENTIFIED",
    "QUESTION",
    "ANSWER",
    "NOTE",
    "NOTES",
    "SPEAKER",
    "PANELIST",
    "PANEL",
    "ATTENDEE",
    "REPORTER",
    "EDITOR",
    "SUMMARY",
    "DATE",
    "SOURCE",
    "EVENT",
    "TITLE",
    "UPDATE",
    "TRANSLATOR",
    "INTERPRETER",
];

/// Role words that make an appositive (`X, a professor at Y`) an attribution of analysis.
pub(crate) const ROLES: &str = r"professor|researcher|research\s+fellow|fellow|analyst|scholar|expert|economist|director|head|lecturer|specialist|scientist|engineer|chief|dean|adviser|advisor|consultant|author|founder|president|chair|chairman|chairwoman|official|investigator|strategist|associate|manager|partner|editor|observer|commentator";

pub(crate) const VERBS: &str = r"said|says|noted|notes|added|adds|argued|argues|warned|warns|estimated|estimates|analy[sz]ed|analy[sz]es|emphasi[sz]ed|emphasi[sz]es|cautioned|cautions|pointed\s+out|pointed\s+to|points\s+out|points\s+to|explained|explains|observed|observes|stressed|stresses|told|suggested|suggests|predicted|predicts|concluded|concludes|claimed|claims|stated|states|remarked|wrote|writes|described|describes|highlighted|highlights|cited|cites|assessed|assesses|acknowledged|insisted|countered|recalled|urged|presented|mentioned|believes|contended|contends|maintained|maintains|asserted|revealed|indicated|shared|outlined|projected|calculated|reckoned|reckons|answered|replied|responded|agreed|disagreed|testified|elaborated|underscored|underlined|reported\s+that|summarized|summed\s+up|framed|described|characterized|identified|focused|spoke|put\s+it|went\s+on|declared|announced|vowed|admitted|denied|confirmed|disclosed|recommended|proposed|forecast|expects|expected|thinks|told\s+reporters";

/// Roles of people who ask or introduce rather than speak.
pub(crate) const INTERVIEWER_ROLES: &[&str] =
    &["host", "byline", "moderat", "anchor", "reporter", "interviewer", "correspondent", "chair", "presenter"];

/// A list of word endings (particles, head words), looked up by a word's last character:
/// the endings of the list that end a word, in the list's order, found without comparing
/// the word with the others. Running Korean text asks this of every word. An empty ending
/// (which would end every word) is left out; the lists have none.
pub(crate) struct Endings(rustc_hash::FxHashMap<char, Vec<&'static str>>);

impl Endings {
    pub(crate) fn new(list: &[&'static str]) -> Endings {
        let mut by_last: rustc_hash::FxHashMap<char, Vec<&'static str>> = Default::default();
        for ending in list {
            if let Some(last) = ending.chars().next_back() {
                by_last.entry(last).or_default().push(ending);
            }
        }
        Endings(by_last)
    }

    /// The endings of the list that end `word`, in the list's order.
    pub(crate) fn of<'e>(&'e self, word: &'e str) -> impl Iterator<Item = &'static str> + 'e {
        let candidates = word.chars().next_back().and_then(|last| self.0.get(&last)).map_or(&[][..], Vec::as_slice);
        candidates.iter().copied().filter(move |ending| word.ends_with(ending))
    }
}

/// Particles that make a Korean word the subject of its clause.
pub(crate) const KO_SUBJECT_PARTICLES: [&str; 5] = ["은", "는", "이", "가", "도"];

/// The end (in bytes) of the post a word holds: the post ends the word or a particle
/// follows it, with at most a rank before it (석좌연구위원, 명예교수, 위협분석팀장).
pub(crate) fn ko_post_end(word: &str) -> Option<usize> {
    // `한국사이버안보학회장은`: the head (장) of a body named in the same word.
    const BODIES: &[&str] = &["학회", "협회", "연구원", "연구소", "센터", "재단", "위원회", "포럼", "연구회"];
    let stem = KO_SUBJECT_PARTICLES.iter().chain(&["에", "의"]).find_map(|p| word.strip_suffix(p)).unwrap_or(word);
    if let Some(body) = stem.strip_suffix('장') {
        if BODIES.iter().any(|b| body.ends_with(b) && body.len() > b.len()) {
            return Some(stem.len());
        }
    }
    // The first post of the list whose first place in the word fits, found in one pass.
    static POSTS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(KO_ROLES).expect("valid patterns"));
    let mut seen = 0u128;
    let mut best: Option<(usize, usize)> = None;
    for m in POSTS.find_overlapping_iter(word) {
        let p = m.pattern().as_usize();
        if seen & (1 << p) != 0 {
            continue;
        }
        seen |= 1 << p;
        let prefix = word[..m.start()].chars().count();
        // `정보보호기획과장`, `침해사고분석단장`: the head of a unit named in the same word.
        let limit = if KO_ROLES[p].ends_with('장') { 8 } else { 2 };
        if prefix <= limit && word.len() - m.end() <= 9 && best.is_none_or(|(q, _)| p < q) {
            best = Some((p, m.end()));
        }
    }
    best.map(|(_, end)| end)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The endings found by the last character are the list's, in its order.
        #[test]
        fn endings_are_those_a_scan_of_the_list_finds(word in "[가-힣a-z]{0,3}(은|는|에서|에서는|연구원|원|서|)") {
            const LIST: &[&str] = &["에서는", "에서", "는", "은", "연구원", "원", "서", "가"];
            let endings = Endings::new(LIST);
            let scanned: Vec<&str> = LIST.iter().copied().filter(|e| word.ends_with(e)).collect();
            proptest::prop_assert_eq!(endings.of(&word).collect::<Vec<_>>(), scanned);
        }
    }

    #[test]
    fn possessives_are_stripped_as_trim_end_matches_strips_them() {
        for word in ["KDI's", "KDI’s", "KDI", "Stimson's's", "Kim's’s", "’s", "'s", "s", "James'", "Lee’s's"] {
            let expected = word.trim_end_matches("'s").trim_end_matches("’s");
            assert_eq!(trim_possessive(word), expected, "{word}");
        }
        assert_eq!(trim_possessive("Stimson's's"), "Stimson");
    }

    #[test]
    fn word_lists_hold_their_words_exactly() {
        assert!(HEADS.contains("University"));
        assert!(!HEADS.contains("university"));
        assert!(!HEADS.contains("Universit"));
        assert!(HEADS.words().iter().all(|w| HEADS.contains(w)));
        assert!(CALENDAR.contains("Monday") && !CALENDAR.contains("Mon"));
    }
}
