//! Institutions in a passage: the taxonomy's names and acronyms, acronyms the document
//! defines (which win over the taxonomy's), and capitalised names built on head words.

use super::hangul::Word;
use super::lexicon::{Entry, Hit};
use super::names;
use super::taxonomy::{InstitutionDef, Taxonomy};
use super::words::{trim_possessive, Endings, CALENDAR, CONNECTORS, HEADS, LEADING_STOP};
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// `Y at X University`, `X University's Y`: the university of a body named inside it.
pub(crate) static PARENT_UNIVERSITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:at|of)\s+(?:the\s+)?(?P<tail>(?:\p{Lu}[\p{L}'’.-]*\s+){1,4}(?:University|College))\s*$|^(?P<head>(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}University)\s+(?:Institute|School|Center|Centre|College|Graduate|Department|Faculty|Laboratory|Lab|Hospital|Library|Museum)\b)")
        .expect("valid regex")
});

/// The university of an institute named with it (`… at Kyungnam University`,
/// `Kyungnam University Institute for …`): also an institution of the document.
pub fn parent_university(surface: &str) -> Option<&str> {
    let caps = PARENT_UNIVERSITY.captures(surface)?;
    caps.name("tail").or_else(|| caps.name("head")).map(|m| m.as_str().trim())
}

pub(crate) static ACRONYM_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\(\s*(?:the\s+|also\s+known\s+as\s+|known\s+as\s+)?(?P<acr>[A-Z][A-Za-z&]{1,9}[A-Z])\s*[),;]|,\s+(?:or|known\s+as|also\s+known\s+as)\s+(?P<acr2>[A-Z][A-Za-z&]{1,9}[A-Z])\b",
    )
    .expect("valid regex")
});

/// Head words of Korean organisation names.
const KO_HEADS: &[&str] = &[
    "대학교",
    "대학원",
    "대학",
    "연구원",
    "연구소",
    "위원회",
    "센터",
    "쎈터",
    "재단",
    "협회",
    "공사",
    "방송",
    "라디오",
    "신문",
    "통신",
    "일보",
    "뉴스",
    "연합회",
    "학회",
    "연구회",
    "포럼",
    "정보원",
    "진흥원",
    "개발원",
    "사령부",
    "기술사",
    "연합체",
    "당",
    "부",
    "청",
    "처",
];

/// Words built on a head word that are ordinary nouns, not bodies.
const KO_NOT_BODIES: &[&str] = &[
    "이동통신",
    "방송통신",
    "위성통신",
    "정보통신",
    "위성방송",
    "지도부",
    "사령부",
    "본부",
    "연구위원",
    "위원회의",
    "상임위원회",
    "중심부",
    "편집부",
    "수뇌부",
    "상층부",
    "주변부",
    "지휘부",
    "취재부",
    "연락처",
    "문의처",
    "거래처",
    "근무처",
    "판매처",
    "사용처",
    "공급처",
    "발행처",
    "관계부처",
    "해당",
    "정당",
    "장마당",
    "발신처",
    "식당",
    "강당",
    "성당",
    "정보기술사",
    // Per a unit: `달러당 1,300원` is per dollar, not a party.
    "달러당",
    "위안당",
    "유로당",
    "파운드당",
    "시간당",
    "가구당",
    "세대당",
    "배럴당",
];

/// Words that end in a head word but name a person's post: 선임연구원 is a senior researcher.
const KO_ROLE_PREFIXES: &[&str] =
    &["선임", "책임", "수석", "객원", "초빙", "전임", "위촉", "명예", "부", "연구", "정책", "방문", "전문", "박사후"];

/// Particles that follow a Korean noun, longest first.
const KO_PARTICLES: &[&str] = &[
    "에서는",
    "으로는",
    "에서도",
    "에게서",
    "에서",
    "에게",
    "으로",
    "이나",
    "이라",
    "과의",
    "와의",
    "에는",
    "에도",
    "측은",
    "측이",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "와",
    "과",
    "로",
    "도",
    "만",
    "측",
];

/// [`KO_PARTICLES`] and [`KO_HEADS`] by their last syllable.
static KO_PARTICLE_ENDINGS: LazyLock<Endings> = LazyLock::new(|| Endings::new(KO_PARTICLES));
static KO_HEAD_ENDINGS: LazyLock<Endings> = LazyLock::new(|| Endings::new(KO_HEADS));

/// Korean organisation names built on a head word, as byte spans (particles left out):
/// `정보통신정책연구원은` → `정보통신정책연구원`. Two syllables at least before the head;
/// posts such as 선임연구원 and nouns such as 이동통신 are not bodies.
fn korean_organizations(text: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    if !super::hangul::may_hold_hangul(text) {
        return spans;
    }
    // The Hangul words of the passage, found once for both passes below.
    let words: Vec<Word> = super::hangul::words(text).collect();
    // Every pattern below needs Hangul; most passages of an English report have none.
    if words.is_empty() {
        return spans;
    }
    let mut folded_end: Option<usize> = None;
    for (i, m) in words.iter().enumerate() {
        let (start, word) = (m.start(), m.as_str());
        let stem =
            KO_PARTICLE_ENDINGS.of(word).find_map(|p| word.strip_suffix(p).filter(|s| !s.is_empty())).unwrap_or(word);
        let Some(head) = &KO_HEAD_ENDINGS.of(stem).next() else { continue };
        // `1달러당`, `3만원당`: a word written on to a number counts or measures; no body
        // is named that way.
        if text[..start].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let before = &stem[..stem.len() - head.len()];
        let syllables = before.chars().count();
        if syllables < 2
            || KO_ROLE_PREFIXES.contains(&before)
            || KO_NOT_BODIES.contains(&stem)
            || !before.chars().all(super::hangul::is_syllable)
        {
            continue;
        }
        // `김책공업종합대학 정보과학부`: a department right after its university is part of it.
        // `김책공업종합대학 정보과학기술대학`: a college of the university before it.
        let college =
            head.starts_with("대학") && spans.last().is_some_and(|&(s, e)| text[s..e].ends_with(['학', '교']));
        // `고려대 정보보호대학원`: a graduate school of the university named before.
        let school = *head == "대학원"
            && i > 0
            && text[words[i - 1].end()..start].trim().is_empty()
            && university_short_name(words[i - 1].as_str()).is_some();
        if school {
            continue;
        }
        let unit = ["부", "처", "청", "학부"].contains(head) || college;
        // `김일성종합대학 정보과학부 인공지능기술연구소`: units of units fold too.
        let after = |end: usize| end <= start && text[end..start].trim().is_empty();
        let after_unit = folded_end.is_some_and(after) && ["센터", "쎈터", "연구소", "연구실"].contains(head);
        if (unit && spans.last().is_some_and(|&(_, end)| after(end))) || after_unit {
            folded_end = Some(start + stem.len());
            continue;
        }
        spans.push((start, start + stem.len()));
    }
    // `최윤서 아르고스 선임연구원은`, `코드브리지의 위소연 센터장은`, `고려대 정보보호대학원
    // 교수`: a body named next to a person and a post, with or without a head word.
    for (i, w) in words.iter().enumerate() {
        let spaced = |a: &Word, b: &Word| text[a.end()..b.start()].trim().is_empty();
        let next = words.get(i + 1).filter(|n| spaced(w, n));
        let after = next.and_then(|n| words.get(i + 2).filter(|a| spaced(n, a)));
        let before = i.checked_sub(1).map(|k| &words[k]).filter(|b| spaced(b, w));
        let person_before = before.is_some_and(|b| {
            (super::hangul::is_name(b.as_str()) || super::hangul::is_short_name(b.as_str()))
                && university_short_name(b.as_str()).is_none()
        });
        let post_next = next.is_some_and(|n| super::words::ko_post_end(n.as_str()).is_some());
        let word = w.as_str();
        let body = if person_before && post_next && plain_noun(word) {
            Some(word)
        } else if let (Some(stem), Some(n), Some(a)) = (word.strip_suffix('의'), next, after) {
            (super::hangul::is_name(n.as_str()) && super::words::ko_post_end(a.as_str()).is_some() && plain_noun(stem))
                .then_some(stem)
        } else if let Some(stem) = university_short_name(word) {
            let unit = |m: &Word| {
                super::words::ko_post_end(m.as_str()).is_some()
                    || ["학과", "학부", "대학원", "연구소", "연구원", "센터"].iter().any(|u| m.as_str().contains(u))
            };
            // `조지타운대의 캐서린 오코너(…) 교수`: the post comes within a few words.
            let post_soon = word.ends_with('의')
                && words[i + 1..].iter().take(4).any(|m| super::words::ko_post_end(m.as_str()).is_some());
            (next.is_some_and(unit) || post_soon).then_some(stem)
        } else {
            None
        };
        if let Some(body) = body {
            let (a, b) = (w.start(), w.start() + body.len());
            if !overlaps(&spans, a, b) {
                spans.push((a, b));
            }
        }
    }
    // `보안업체 시큐어노드(SecureNode)`, `소프트웨어 회사 '넘나들'`: a body introduced by its
    // kind, with its Latin name or in quotes.
    for caps in BY_KIND.captures_iter(text) {
        // `분석업체 체인워치의`, `로펌 하트앤리드의`: a plain word after a compound kind,
        // without its particle, that is neither a post nor a common noun.
        let plain = caps.name("plain").and_then(|m| {
            // Only as the subject or owner of what follows, or spelled after it.
            // `하이퍼월 위협인텔리전스센터는`: a unit or a post of it next.
            let next = super::hangul::words(&text[m.end()..]).next().filter(|n| n.start() == 1).map(|n| n.as_str());
            let unit_next = next.is_some_and(|n| {
                let n = KO_PARTICLE_ENDINGS.of(n).find_map(|p| n.strip_suffix(p)).unwrap_or(n);
                KO_HEAD_ENDINGS.of(n).any(|h| h.chars().count() > 1) || super::words::ko_post_end(n).is_some()
            });
            let followed = text[m.end()..].starts_with('(') || unit_next;
            let stem = ["에서", "의", "는", "은", "가", "이", "도", "와", "과"]
                .iter()
                .find_map(|p| m.as_str().strip_suffix(p))
                .or(followed.then_some(m.as_str()))?;
            let common = [
                "관계자",
                "직원",
                "대표",
                "가운데",
                "일부",
                "대부분",
                "상당수",
                "보고서",
                "분석",
                "자료",
                "서버",
                "취업",
                "서비스",
                "시스템",
                "계정",
                "고객",
                "이용자",
                "사용자",
                "내부",
                "지갑",
                "홈페이지",
                "해킹",
                "피해",
                "공격",
                "규모",
                "정보",
                "임원",
                "담당자",
                "전문가",
                "연구원",
            ];
            (plain_word(stem) && super::words::ko_post_end(stem).is_none() && !common.contains(&stem))
                .then(|| (m.start(), m.start() + stem.len()))
        });
        let name = match caps.name("quoted").or(caps.name("spelled")).or(caps.name("latin")) {
            Some(m) => (m.start(), m.end()),
            None => match plain {
                Some(span) => span,
                None => continue,
            },
        };
        let (start, end) = name;
        if !overlaps(&spans, start, end) {
            spans.push((start, end));
        }
    }
    // `(서울=코리아와이어) 배수아 기자 =`, `[뉴스온=선우재민 기자]`: outlets where copy credits them.
    for caps in DATELINE_OUTLET.captures_iter(text) {
        let Some(m) = caps.iter().skip(1).flatten().next() else { continue };
        let word = m.as_str();
        let outlet =
            !super::hangul::is_name(word) && super::words::ko_post_end(word).is_none() && word.chars().count() >= 2;
        if outlet && !overlaps(&spans, m.start(), m.end()) {
            spans.push((m.start(), m.end()));
        }
    }
    spans.sort_unstable();
    spans
}

/// Outlets where news copy credits them: a dateline `(서울=X)`, a byline `[X=이름 기자]` or
/// `/X 이름 기자`, `ⓒ X`, a photo credit `(사진=X DB)`, a sign-off `X 뉴스 이름입니다`, a
/// programme line `방송: X …`, and `X와의 인터뷰에서`.
static DATELINE_OUTLET: LazyLock<Regex> = LazyLock::new(|| {
    // Each form's one group is the outlet.
    let outlet = r"([\p{Hangul}A-Za-z0-9]{2,15})";
    Regex::new(
        &[
            format!(r"\((?:\p{{Hangul}}{{1,6}}[·,]?){{1,3}}={outlet}\)"),
            format!(r"\[{outlet}=\p{{Hangul}}{{2,4}}\s*기자\]"),
            format!(r"/\s*{outlet} \p{{Hangul}}{{2,4}} 기자\s*$"),
            format!(r"ⓒ\s*{outlet}"),
            format!(r"\(사진=\s*{outlet}(?: DB)?\)"),
            format!(r"(?:^|\. ){outlet} ?뉴스 \p{{Hangul}}{{2,4}}입니다"),
            format!(r"방송\s*[:：]\s*{outlet}\s"),
            format!(r"{outlet}(?:와|과)의 (?:서면 |전화 |단독 |화상 )?인터뷰"),
            format!(r"{outlet}의 편집 방향"),
        ]
        .join("|"),
    )
    .expect("valid regex")
});

/// A word that can be a body's name: two to eight syllables, no particle or ending after
/// it, not a person's name, a rank, a department or a country.
fn plain_noun(word: &str) -> bool {
    plain_word(word) && !super::hangul::is_name(word) && !super::hangul::is_short_name(word)
}

/// A word that can be a body's name where it is introduced as one (`운영사 두나무는`): as
/// [`plain_noun`], but it may read as a personal name.
fn plain_word(word: &str) -> bool {
    const NOT_BODIES: &[&str] = &[
        "미국",
        "중국",
        "일본",
        "러시아",
        "한국",
        "북한",
        "남한",
        "영국",
        "독일",
        "프랑스",
        "대만",
        "호주",
        "정부",
        "당국",
        "보안",
        "본지",
        "업체",
        "회사",
        "기업",
        "학교",
        "선임",
        "수석",
        "책임",
        "전임",
        "명예",
        "객원",
        "초빙",
        "상임",
        "공동",
        "현직",
        "전직",
    ];
    let syllables = word.chars().count();
    (2..=8).contains(&syllables)
        && !NOT_BODIES.contains(&word)
        && !word.ends_with([
            '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '실', '팀', '과', '국', '단', '한',
            '된', '던', '할', '른', '게', '운', '될',
        ])
}

/// `고려대`, `조지타운대의`: a university's short name (the stem without the particle).
fn university_short_name(word: &str) -> Option<&str> {
    const NOT_UNIVERSITIES: &[&str] =
        &["부대", "연대", "세대", "시대", "무대", "지대", "확대", "증대", "강대", "년대", "교대"];
    let stem = word.strip_suffix('의').unwrap_or(word);
    (stem.ends_with('대') && stem.chars().count() >= 3 && !NOT_UNIVERSITIES.iter().any(|n| stem.ends_with(n)))
        .then_some(stem)
}

static BY_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:업체|기업|회사|스타트업|단체|매체|언론사|거래소)\s+(?:['‘](?P<quoted>\p{Hangul}[\p{Hangul} ]{1,20})['’]|(?P<spelled>\p{Hangul}{2,12})\s*\([A-Za-z][A-Za-z0-9 .&-]{1,40}\))|(?:\p{Hangul}{1,6} ?(?:업체|기업)|투자회사|분석회사|보안회사|컨설팅사|운영사|로펌|싱크탱크|연구기관|선전매체|플랫폼|거래소)\s+(?:(?P<plain>\p{Hangul}{2,12})(?:\s|$|[,(])|(?P<latin>[A-Z][A-Za-z0-9&.-]+(?: [A-Z][A-Za-z0-9&.-]+){0,3})(?:의|는|은|가|이|와|과|에서)?(?:\s|$|[,(]))",
    )
    .expect("valid regex")
});

/// Capitalised phrases that are countries, historical states or periods, not bodies.
const NOT_INSTITUTIONS: &[&str] = &[
    "democratic people's republic of korea",
    "republic of korea",
    "korean empire",
    "joseon dynasty",
    "goryeo dynasty",
    "soviet union",
    "korean peninsula",
    "korean war",
    "cold war",
];

/// The words of `text` for finding organization names, with their byte spans: what the
/// pattern `[\p{L}\p{N}][\p{L}\p{N}.'’&-]*|&` finds (a letter or number, then letters,
/// numbers and `.'’&-`; or a lone `&`), scanned by hand: a regex's per-match cost was
/// most of the time on passages of short words.
pub(crate) fn words(text: &str) -> Vec<(usize, usize, &str)> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_letter_or_number(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(at, d)) = chars.peek() {
                if !(is_letter_or_number(d) || matches!(d, '.' | '\'' | '’' | '&' | '-')) {
                    break;
                }
                end = at + d.len_utf8();
                chars.next();
            }
            found.push((start, end, &text[start..end]));
        } else if c == '&' {
            found.push((start, start + 1, "&"));
        }
    }
    found
}

/// Whether `c` is a letter or a number (`[\p{L}\p{N}]`, general categories L and N).
fn is_letter_or_number(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if super::hangul::is_syllable(c) {
        return true;
    }
    // The class's ranges, from the same Unicode tables the regex engine uses.
    static RANGES: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::Parser::new().parse(r"[\p{L}\p{N}]").expect("valid class");
        match hir.kind() {
            HirKind::Class(Class::Unicode(class)) => class.ranges().iter().map(|r| (r.start(), r.end())).collect(),
            _ => unreachable!("a Unicode class"),
        }
    });
    let i = RANGES.partition_point(|&(_, end)| end < c);
    RANGES.get(i).is_some_and(|&(start, _)| start <= c)
}

/// A span of text naming an institution, resolved to the name it is filed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionSpan {
    pub start: usize,
    pub end: usize,
    pub surface: String,
    pub name: String,
    /// The rule that found it (for `--explain`).
    pub rule: &'static str,
}

/// An institution found in a document, with the passages naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundInstitution {
    pub name: String,
    pub mentions: BTreeSet<String>,
    pub passages: BTreeSet<usize>,
    /// Why: the passage (None: front matter, title, header or caption), the rule and the
    /// mention.
    pub evidence: Vec<(Option<usize>, &'static str, String)>,
}

/// Per-run data built from the taxonomy for extraction: built once, used for every document.
pub struct Extractor {
    institutions: Vec<InstitutionDef>,
    /// institution key (of names and aliases) → index in `institutions`
    institution_keys: HashMap<String, usize>,
    /// person key (of names and aliases) → the taxonomy's name of the speaker
    pub speaker_names: HashMap<String, String>,
}

impl Extractor {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let mut institution_keys = HashMap::new();
        for (i, def) in taxonomy.institutions.iter().enumerate() {
            for name in std::iter::once(&def.name).chain(&def.aliases) {
                institution_keys.entry(names::institution_key(name)).or_insert(i);
            }
        }
        let mut speaker_names = HashMap::new();
        for def in &taxonomy.speakers {
            for name in std::iter::once(&def.name).chain(&def.aliases) {
                speaker_names.entry(names::person_key(name)).or_insert_with(|| def.name.clone());
            }
        }
        Extractor { institutions: taxonomy.institutions.clone(), institution_keys, speaker_names }
    }

    /// The taxonomy's name for an institution written `name`, if it knows it.
    pub fn known_institution(&self, name: &str) -> Option<&str> {
        self.institution_keys.get(&names::institution_key(name)).map(|&i| self.institutions[i].name.as_str())
    }

    fn file_under(&self, surface: &str) -> String {
        self.known_institution(surface).map(str::to_string).unwrap_or_else(|| clean_institution(surface))
    }

    /// Acronyms defined in the document: `Full Name (ACR)` → ACR ↦ name.
    pub fn acronym_definitions(&self, text: &str) -> HashMap<String, String> {
        let mut defs = HashMap::new();
        for caps in ACRONYM_DEF.captures_iter(text) {
            let acr = caps.name("acr").or_else(|| caps.name("acr2")).expect("one group").as_str();
            let before = &text[..caps.get(0).expect("match").start()];
            if let Some(full) = expansion(acr, before) {
                if looks_like_institution(&full) || self.known_institution(&full).is_some() {
                    defs.entry(acr.to_string()).or_insert_with(|| self.file_under(&full));
                }
            }
        }
        defs
    }

    /// Institutions named in one passage.
    pub fn institutions(
        &self,
        text: &str,
        hits: &[Hit<'_>],
        acronyms: &HashMap<String, String>,
        doc: &mut DocumentNames,
    ) -> Vec<InstitutionSpan> {
        let mut spans: Vec<InstitutionSpan> = Vec::new();
        for hit in hits {
            let surface = &text[hit.start..hit.end];
            // `코인데스크코리아` is not `코인데스크`: Hangul right after a name must begin a
            // particle (`고려링크의`) or a post of the body (`통일연구원장`).
            const PARTICLE_STARTS: &str = "은는이가을를의에와과로으도만까부처보라였측장께랑하조마밖뿐야며고나든서엔";
            if text[hit.end..]
                .chars()
                .next()
                .is_some_and(|c| super::hangul::is_syllable(c) && !PARTICLE_STARTS.contains(c))
            {
                continue;
            }
            let mut chosen: Option<String> = None;
            let candidates: Vec<(usize, bool)> = hit
                .entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Institution { institution, acronym } => Some((*institution, *acronym)),
                    _ => None,
                })
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let is_acronym = candidates.iter().all(|(_, a)| *a);
            if is_acronym {
                let bare = surface.trim_end_matches('s');
                if let Some(def) = acronyms.get(surface).or_else(|| acronyms.get(bare)) {
                    chosen = Some(def.clone());
                } else if candidates.len() == 1 {
                    chosen = Some(self.institutions[candidates[0].0].name.clone());
                } else {
                    // Several bodies share this acronym and the document does not define it:
                    // take the one the document names in full, or none.
                    let named: Vec<&str> = candidates
                        .iter()
                        .filter(|(i, _)| doc.names_in_full(*i, &self.institutions[*i]))
                        .map(|(i, _)| self.institutions[*i].name.as_str())
                        .collect();
                    if named.len() == 1 {
                        chosen = Some(named[0].to_string());
                    }
                }
            } else {
                chosen = Some(self.institutions[candidates[0].0].name.clone());
            }
            if let Some(name) = chosen {
                let rule = if is_acronym { "taxonomy acronym" } else { "gazetteer" };
                // `미국 법무부`, then `법무부는`: the short form is the same body here.
                if let Some(short) = KO_COUNTRY_PREFIXES.iter().find_map(|p| surface.strip_prefix(p)) {
                    doc.short_forms.insert(short.to_string(), name.clone());
                }
                spans.push(InstitutionSpan {
                    start: hit.start,
                    end: hit.end,
                    surface: surface.to_string(),
                    name,
                    rule,
                });
            }
        }
        // Acronyms the document defines that the taxonomy does not know: one scan of the
        // passage for all of them.
        if let Some(finder) = &doc.finder {
            for m in finder.find_overlapping_iter(text) {
                let (acr, name) = &doc.acronyms[m.pattern().as_usize()];
                let (start, end) = (m.start(), m.end());
                let before_ok = start == 0 || !text[..start].chars().next_back().is_some_and(char::is_alphanumeric);
                let after = text[end..].trim_start_matches('s');
                let after_ok = !after.starts_with(char::is_alphanumeric);
                if before_ok && after_ok && !overlaps(&spans, start, end) {
                    spans.push(InstitutionSpan {
                        start,
                        end,
                        surface: acr.clone(),
                        name: name.clone(),
                        rule: "acronym defined in the document",
                    });
                }
            }
        }
        let mut phrases = if has_head_word(text) { organization_phrases(text) } else { Vec::new() };
        phrases.extend(korean_organizations(text));
        // Units named right after their body (`국가정보원 사이버안보센터`, `국회 정보위원회`,
        // `하이퍼월 위협인텔리전스센터`) are part of it.
        const UNIT_HEADS: &[&str] =
            &["센터", "쎈터", "연구소", "연구실", "위원회", "대학", "학부", "대학원", "지사", "부", "처", "청"];
        let mut folded_end: Option<usize> = None;
        for (start, end) in phrases {
            // Only spaces, or the body's acronym in parentheses (`한국과학기술원(KAIST)`).
            let between = |from: usize| {
                let gap = text[from..start].trim();
                gap.is_empty()
                    || gap.starts_with('(')
                        && gap.ends_with(')')
                        && gap[1..gap.len() - 1].chars().all(|c| c.is_ascii_alphanumeric())
            };
            let after_body = spans.iter().any(|s| s.end < start && between(s.end))
                || folded_end.is_some_and(|e| e <= start && between(e));
            let surface = &text[start..end];
            let hangul = surface.chars().next().is_some_and(super::hangul::is_syllable);
            if after_body && hangul && UNIT_HEADS.iter().any(|h| surface.ends_with(h)) {
                folded_end = Some(end);
                continue;
            }
            if overlaps(&spans, start, end) {
                // A longer phrase around a taxonomy match ("Hanyang University's …") keeps the match.
                continue;
            }
            let surface = &text[start..end];
            if NOT_INSTITUTIONS.contains(&surface.trim_start_matches("the ").to_lowercase().as_str()) {
                continue;
            }
            if surface.ends_with("Party") && party_meeting(surface, &text[end..]) {
                continue;
            }
            let (name, rule) = match doc.short_forms.get(surface) {
                Some(name) => (name.clone(), "short form of a body named before"),
                None if self.known_institution(surface).is_some() => (self.file_under(surface), "gazetteer"),
                None => (self.file_under(surface), "name built on a head word"),
            };
            spans.push(InstitutionSpan { start, end, surface: surface.to_string(), name, rule });
        }
        spans.sort_by_key(|s| s.start);
        spans
    }
}

/// `the Eighth Party Congress`, `a Party plenum`: a party's meeting or its number, not a
/// body (`the ruling Democratic Party` is one).
fn party_meeting(surface: &str, after: &str) -> bool {
    const ORDINALS: &[&str] = &["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth"];
    let first = surface.split_whitespace().next().unwrap_or("");
    let numbered = ORDINALS.contains(&first)
        || ["st", "nd", "rd", "th"].iter().any(|s| first.ends_with(s))
            && first.starts_with(|c: char| c.is_ascii_digit());
    let next = after.split_whitespace().next().unwrap_or("").trim_end_matches(|c: char| !c.is_alphanumeric());
    numbered || ["Congress", "Conference", "Plenum", "Plenary", "Meeting", "Session"].contains(&next)
}

/// What the extractor learns of one document before reading its passages: the acronyms
/// it defines (found in each passage by one automaton) and, asked once per taxonomy
/// entry, whether it names that entry in full.
pub struct DocumentNames<'t> {
    text: &'t str,
    acronyms: Vec<(String, String)>,
    finder: Option<AhoCorasick>,
    named_in_full: HashMap<usize, bool>,
    /// Korean names of bodies given with their country first (`미국 법무부`), by the rest
    /// (`법무부`), which later names the same body.
    short_forms: HashMap<String, String>,
}

/// Countries written before a body's name in Korean: `미국 재무부`, `美 법무부`.
const KO_COUNTRY_PREFIXES: &[&str] = &["미국 ", "미 ", "美 ", "영국 ", "일본 ", "중국 ", "러시아 ", "북한 ", "北 "];

impl<'t> DocumentNames<'t> {
    pub fn new(text: &'t str, acronyms: &HashMap<String, String>) -> Self {
        let mut list: Vec<(String, String)> = acronyms.iter().map(|(a, n)| (a.clone(), n.clone())).collect();
        list.sort();
        let finder = (!list.is_empty())
            .then(|| AhoCorasick::new(list.iter().map(|(a, _)| a.as_str())).expect("acronyms make an automaton"));
        DocumentNames { text, acronyms: list, finder, named_in_full: HashMap::new(), short_forms: HashMap::new() }
    }

    fn names_in_full(&mut self, i: usize, def: &InstitutionDef) -> bool {
        let text = self.text;
        *self
            .named_in_full
            .entry(i)
            .or_insert_with(|| std::iter::once(&def.name).chain(&def.aliases).any(|n| text.contains(n.as_str())))
    }
}

/// Something that covers a range of bytes of a text.
pub(crate) trait Span {
    fn bounds(&self) -> (usize, usize);
}

impl Span for InstitutionSpan {
    fn bounds(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

impl Span for (usize, usize) {
    fn bounds(&self) -> (usize, usize) {
        *self
    }
}

/// Whether any of `spans` shares a byte with `start..end`.
pub(crate) fn overlaps<S: Span>(spans: &[S], start: usize, end: usize) -> bool {
    spans.iter().any(|s| {
        let (a, b) = s.bounds();
        a < end && start < b
    })
}

/// `Full Name` before `(ACR)` whose initials spell the acronym (Schwartz–Hearst style).
pub(crate) fn expansion(acr: &str, before: &str) -> Option<String> {
    let words: Vec<&str> = before.split_whitespace().rev().take(acr.len() + 6).collect();
    let letters: Vec<char> = acr.chars().filter(|c| c.is_ascii_uppercase()).collect();
    let mut need = letters.len();
    let mut taken = 0;
    for word in &words {
        let clean = word.trim_matches(|c: char| !c.is_alphanumeric());
        taken += 1;
        if clean.is_empty() {
            return None;
        }
        let first = clean.chars().next()?;
        if first.is_lowercase() {
            if CONNECTORS.contains(&clean) || clean == "the" {
                continue;
            }
            return None;
        }
        // A word may contribute more than one letter (e.g. "KCTV" words), but normally one.
        if need > 0 && first == letters[need - 1] {
            need -= 1;
            if need == 0 {
                break;
            }
        } else if need > 0 && clean.chars().any(|c| c == letters[need - 1]) && clean.chars().all(char::is_uppercase) {
            need -= 1;
        } else {
            return None;
        }
    }
    if need != 0 {
        return None;
    }
    let phrase: Vec<&str> = words[..taken].iter().rev().copied().collect();
    let phrase = phrase.join(" ");
    Some(clean_institution(&phrase))
}

/// Whether a phrase is an organization name by its head word.
pub fn looks_like_institution(phrase: &str) -> bool {
    phrase.split_whitespace().any(|w| HEADS.contains(w.trim_matches(|c: char| !c.is_alphanumeric())))
}

/// Drops leading articles and qualifiers: "the U.S.-based Stimson Center" → "Stimson Center".
pub fn clean_institution(surface: &str) -> String {
    let mut words: Vec<&str> = surface.split_whitespace().collect();
    while let Some(first) = words.first() {
        let lower = first.to_lowercase();
        if lower == "the" || lower.ends_with("-based") || lower.ends_with("'s") || lower.ends_with("’s") {
            words.remove(0);
        } else {
            break;
        }
    }
    let joined = words.join(" ");
    trim_possessive(joined.trim_end_matches(['.', ',', ';', ':'])).to_string()
}

/// Capitalized phrases built on a head word, as byte spans.
pub(crate) fn organization_phrases<'t>(text: &'t str) -> Vec<(usize, usize)> {
    let words = words(text);
    let is_cap = |w: &str| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) && !w.ends_with("-based");
    let bare = |w: &'t str| -> &'t str { w.trim_end_matches(['.', ',', ';', ':']) };
    let possessive = |w: &str| w.ends_with("'s") || w.ends_with("’s");
    // Words separated by punctuation other than spaces do not join.
    let joined = |a: usize, b: usize| -> bool {
        let gap = &text[words[a].1..words[b].0];
        gap.chars().all(|c| c == ' ')
    };
    let mut spans = Vec::new();
    for (i, (_, _, w)) in words.iter().enumerate() {
        let head = trim_possessive(bare(w));
        if !HEADS.contains(head) {
            continue;
        }
        // Extend left over capitalized words and inner connectors.
        let mut left = i;
        while left > 0 && joined(left - 1, left) {
            let prev = words[left - 1].2;
            if possessive(prev) || prev.ends_with(['.', ',', ';', ':']) && !prev.ends_with("U.S.") {
                break;
            }
            if is_cap(prev) && !LEADING_STOP.contains(prev) {
                left -= 1;
            } else if ["and", "&", "de"].contains(&prev)
                && left >= 2
                && joined(left - 2, left - 1)
                && is_cap(words[left - 2].2)
                && !possessive(words[left - 2].2)
                && !HEADS.contains(bare(words[left - 2].2))
                && !LEADING_STOP.contains(words[left - 2].2)
                && !(prev == "and" && left >= 3 && ["of", "for", "on"].contains(&words[left - 3].2))
            {
                left -= 2;
            } else {
                break;
            }
            if i - left > 8 {
                break;
            }
        }
        // Extend right over `of/for/on [the] Capitalized…` and further capitalized words.
        let mut right = i;
        if !possessive(w) && !w.ends_with([',', ';', ':']) {
            loop {
                let mut j = right + 1;
                if j < words.len() && joined(right, j) && ["of", "for", "on"].contains(&words[j].2) {
                    j += 1;
                    if j < words.len() && words[j].2 == "the" {
                        j += 1;
                    }
                    let mut k = j;
                    while k < words.len()
                        && joined(k - 1, k)
                        && (is_cap(words[k].2) || (words[k].2 == "and" && and_continues(&words, k)))
                        && !LEADING_STOP.contains(words[k].2)
                        && !CALENDAR.contains(bare(words[k].2))
                        && k - j < 5
                    {
                        let stop = possessive(words[k].2) || words[k].2.ends_with([',', ';', ':', '.']);
                        k += 1;
                        if stop {
                            break;
                        }
                    }
                    if k > j && words[k - 1].2 != "and" {
                        right = k - 1;
                        if possessive(words[right].2) || words[right].2.ends_with([',', ';', ':', '.']) {
                            break;
                        }
                        continue;
                    }
                }
                break;
            }
        }
        if left == i && right == i {
            continue; // a lone head word ("the Institute") is generic
        }
        let start = words[left].0;
        let mut end = words[right].1;
        let surface = &text[start..end];
        let trimmed = trim_possessive(surface.trim_end_matches(['.', ',', ';', ':']));
        end = start + trimmed.len();
        spans.push((start, end));
    }
    // Keep the longest of overlapping phrases.
    spans.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for span in spans {
        if let Some(last) = kept.last_mut() {
            if span.0 < last.1 {
                if span.1 - span.0 > last.1 - last.0 {
                    *last = span;
                }
                continue;
            }
        }
        kept.push(span);
    }
    kept
}

/// Whether a head word (University, Institute…) occurs at all: most passages name no
/// organization, and the phrase scanner is the costly part of institution finding.
pub(crate) fn has_head_word(text: &str) -> bool {
    static HEAD_FINDER: LazyLock<aho_corasick::AhoCorasick> =
        LazyLock::new(|| aho_corasick::AhoCorasick::new(HEADS.words()).expect("head words build an automaton"));
    HEAD_FINDER.is_match(text)
}

/// `and` inside a name continues it ("Ministry of Science and Technology") unless what
/// follows is another organization ("… of Technology and Kim Il Sung University").
pub(crate) fn and_continues(words: &[(usize, usize, &str)], at: usize) -> bool {
    let next_is_cap = words.get(at + 1).is_some_and(|w| w.2.starts_with(char::is_uppercase));
    let run_has_head = words[at + 1..]
        .iter()
        .take_while(|w| w.2.starts_with(char::is_uppercase))
        .any(|w| HEADS.contains(w.2.trim_end_matches(['.', ',', ';', ':'])));
    next_is_cap && !run_has_head
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::speakers::has_capitalized_pair;

    #[test]
    fn spans_overlap_when_they_share_a_byte_not_when_they_touch() {
        let pairs = [(3, 7)];
        assert!(overlaps(&pairs, 6, 9));
        assert!(overlaps(&pairs, 0, 4));
        assert!(!overlaps(&pairs, 7, 9));
        assert!(!overlaps(&pairs, 0, 3));
        let body = InstitutionSpan { start: 3, end: 7, surface: "KINU".into(), name: "KINU".into(), rule: "test" };
        assert!(overlaps(std::slice::from_ref(&body), 4, 5));
        assert!(!overlaps(&[body], 7, 8));
    }

    #[test]
    fn korean_organisations_are_found_by_their_head_word_without_particles() {
        let text = "정보통신정책연구원은 통일연구원 선임연구원과 함께 김일성종합대학의 자료를 봤다";
        let found: Vec<&str> = korean_organizations(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, vec!["정보통신정책연구원", "통일연구원", "김일성종합대학"]);
        let text = "통일부는 이동통신 연구위원이 말한 경제강국 구상을 검토했다";
        let found: Vec<&str> = korean_organizations(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, vec!["통일부"]);
    }

    #[test]
    fn korean_bodies_without_a_head_word_next_to_a_person_and_a_post() {
        let found = |text: &'static str| -> Vec<&'static str> {
            korean_organizations(text).iter().map(|&(s, e)| &text[s..e]).collect()
        };
        assert_eq!(found("최윤서 아르고스 선임연구원은 말했다"), vec!["아르고스"]);
        assert_eq!(found("코드브리지의 위소연 센터장은 말했다"), vec!["코드브리지"]);
        assert_eq!(found("제갈민수 고려대 정보보호대학원 교수는"), vec!["고려대"]);
        assert_eq!(found("보안업체 시큐어노드(SecureNode)의 분석"), vec!["시큐어노드"]);
        // Countries, ranks, eras and army units are no bodies.
        assert!(found("미국의 이성호 교수는 말했다").is_empty());
        assert!(found("이성호 선임 연구위원은 말했다").is_empty());
        assert!(found("디지털시대 교수는, 군부대 대표는").is_empty());
    }

    #[test]
    fn korean_bodies_by_their_kind_their_dateline_and_their_head() {
        let found = |text: &'static str| -> Vec<&'static str> {
            korean_organizations(text).iter().map(|&(s, e)| &text[s..e]).collect()
        };
        // A firm after a compound kind, as the subject or owner of what follows.
        assert_eq!(found("블록체인 분석업체 체인워치의 분석"), vec!["체인워치"]);
        assert_eq!(found("로펌 하트앤리드의 변호사"), vec!["하트앤리드"]);
        // Not a noun in another role, nor the kind's own business.
        assert!(found("무역회사 대금으로 위장해").is_empty());
        assert!(found("업체 관계자는 말했다").is_empty());
        // The outlet of a dateline.
        assert_eq!(found("(서울=코리아와이어) 배수아 기자 ="), vec!["코리아와이어"]);
        assert_eq!(found("(카이로·서울=코리아와이어) 노승희 기자"), vec!["코리아와이어"]);
        // A party by its head word; a market is not one.
        // Outlets where copy credits them.
        assert_eq!(found("[뉴스온=선우재민 기자] 북한이"), vec!["뉴스온"]);
        assert_eq!(found("물었다. /테크플로어 반시우 기자"), vec!["테크플로어"]);
        assert_eq!(found("ⓒ 코리아인사이트 / 무단 전재"), vec!["코리아인사이트"]);
        assert_eq!(found("KBN 뉴스 위다은입니다."), vec!["KBN"]);
        assert_eq!(found("부사장은 머니플로우와의 서면 인터뷰에서"), vec!["머니플로우"]);
        assert!(found("박민주 교수와의 인터뷰에서").is_empty());
        assert_eq!(found("노동당은 밝혔다"), vec!["노동당"]);
        assert!(found("장마당에서 팔린다").is_empty());
        // A rate per a unit is no party, with its number or without.
        assert!(found("환율은 1달러당 8천 원대였다").is_empty());
        assert!(found("달러당 환율이 올랐다").is_empty());
        assert!(found("2만달러당 수수료").is_empty());
        assert_eq!(found("정의당과 노동당이 합의했다"), vec!["정의당", "노동당"]);
    }

    #[test]
    fn acronyms_given_after_a_name_without_parentheses_are_defined() {
        let extractor = Extractor::new(&Taxonomy::builtin());
        let defs =
            extractor.acronym_definitions("The Pacific Digital Security Agency, or PDSA, warned. PDSA said more.");
        assert_eq!(defs.get("PDSA").map(String::as_str), Some("Pacific Digital Security Agency"));
    }

    proptest::proptest! {
        /// The hand-written word scanner finds what the word pattern finds.
        #[test]
        fn words_are_those_of_the_word_pattern(
            text in "([A-Za-z0-9]{1,4}|[가-힣]{1,3}|[.'’&\\- ,;()]|[\u{80}-\u{10FFFF}]|ǅ|Ⅻ|٣|\u{301}|_){0,16}",
        ) {
            static WORD: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}.'’&-]*|&").expect("valid regex"));
            let expected: Vec<(usize, usize, &str)> =
                WORD.find_iter(&text).map(|m| (m.start(), m.end(), m.as_str())).collect();
            proptest::prop_assert_eq!(words(&text), expected);
        }
    }

    #[test]
    fn organization_phrases_by_head_word() {
        let text = "Researchers at Kim Chaek University of Technology and Kim Il Sung University met the U.S.-based Stimson Center and Hanyang University's Unification Education Leading University Project Group.";
        let found: Vec<&str> = organization_phrases(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            found,
            vec![
                "Kim Chaek University of Technology",
                "Kim Il Sung University",
                "Stimson Center",
                "Hanyang University",
                "Unification Education Leading University Project Group"
            ]
        );
    }

    #[test]
    fn prefilters_see_names_and_head_words() {
        for text in ["Martyn Williams said so.", "said Park Min-ju.", "Dr. Hannah Berger argued", "x. Kim Jong-un"] {
            assert!(has_capitalized_pair(text), "{text}");
        }
        for text in ["The network grew. It was big.", "said Williams.", "KCC and INSS", "the 4G Network"] {
            assert!(!has_capitalized_pair(text), "{text}");
        }
        assert!(has_head_word("the Stimson Center"));
        assert!(!has_head_word("the stimson center"));
    }

    #[test]
    fn lone_head_words_are_not_names() {
        assert!(organization_phrases("The Institute said the University would.").is_empty());
    }

    #[test]
    fn acronym_expansions() {
        assert_eq!(
            expansion("KCC", "engineers at the Korea Computer Center").as_deref(),
            Some("Korea Computer Center")
        );
        assert_eq!(
            expansion("INSS", "a fellow at the Institute for National Security Strategy").as_deref(),
            Some("Institute for National Security Strategy")
        );
        assert_eq!(expansion("KCC", "something else entirely"), None);
    }

    #[test]
    fn cleaning_strips_articles_and_qualifiers() {
        assert_eq!(clean_institution("the U.S.-based Stimson Center"), "Stimson Center");
        assert_eq!(
            clean_institution("Seoul's Korea Institute for Digital Policy"),
            "Korea Institute for Digital Policy"
        );
    }
}
