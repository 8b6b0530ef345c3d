//! Speakers of a document's passages: attribution patterns, transcript and interview
//! turns, lists of panelists, continuation by pronoun, role or surname, and the
//! affiliation given next to a name.

use super::hangul::Word;
use super::institutions::{clean_institution, overlaps, InstitutionSpan};
use super::names;
use super::words::{
    ko_post_end, ANONYMOUS_TURNS, CALENDAR, HEADS, INTERVIEWER_ROLES, KO_SUBJECT_PARTICLES, LEADERS, LEADING_STOP,
    NAME_STOP, ROLES, VERBS,
};
use crate::corpus::turns::{is_turn_start, KO_SOUNDBITE, KO_SOUNDBITE_NAMED, KO_TURN, MIXED_TURN, TURN_NAME};
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

const TOKEN: &str = r"[A-Z][A-Za-z]*[a-z](?:['’][A-Z][a-z]+)?(?:-[A-Za-z][a-z]*)*";

static NAME_RE: LazyLock<String> =
    LazyLock::new(|| format!(r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?{TOKEN}(?:\s+(?:[A-Z]\.\s+)?{TOKEN}){{1,3}}"));

/// `NAME [ (…)] [, appositive,] [also] VERB`: the pattern, which [`SUBJECT_VERB_AT`] searches
/// for in a run and [`SUBJECT_VERB`] in the tests that check it. A run never compiles
/// [`SUBJECT_VERB`]: it only stands for the pattern in [`name_patterns`], which
/// `Attribution::passage` tells apart by its address.
static SUBJECT_VERB_RE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r#"(?-u:\b)(?P<name>{name})(?P<paren>\s*\([^)\n]{{1,120}}\))?(?P<appos>,\s+[^,;\n]{{3,160}},|\s+(?:of|from|at|with)\s+(?:the\s+)?[A-Za-z0-9][^,;.\n"“”]{{1,100}}?(?:,\s+(?:(?:who|which)\s+[^,;\n]{{3,120}}|[a-z][^,;\n"“”]{{2,80}}),)?)?,?\s+(?:also\s+|further\s+|then\s+|later\s+|again\s+|now\s+|still\s+|has\s+|had\s+|have\s+|once\s+)?(?:{VERBS})(?-u:\b)"#,
        name = *NAME_RE
    )
});
static SUBJECT_VERB: LazyLock<Regex> = LazyLock::new(|| Regex::new(&SUBJECT_VERB_RE).expect("valid regex"));

/// `"…," said NAME` and `"…," NAME said`.
static QUOTE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"[,.!?]["”’']\s*(?:said|says|added|noted|warned|explained|argued|stressed|observed|remarked|wrote|continued|cautioned|concluded|according\s+to)\s+(?P<name>{name})"#,
        name = *NAME_RE
    ))
    .expect("valid regex")
});

static ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?-u:\b)[Aa]ccording\s+to\s+(?P<name>{name})", name = *NAME_RE)).expect("valid regex")
});

/// `NAME, a professor at …` — an appositive naming a research role: the pattern, which
/// [`APPOSITIVE_AT`] searches for in a run and [`APPOSITIVE`] in the tests that check it (a
/// run never compiles [`APPOSITIVE`]).
static APPOSITIVE_RE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"(?-u:\b)(?P<name>{name}),\s+(?:(?:a|an|the)\s+)?(?:[\w.-]+\s+){{0,3}}?(?:{ROLES})(?-u:\b)",
        name = *NAME_RE
    )
});
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&APPOSITIVE_RE).expect("valid regex"));

/// Any person's name: the pattern of [`PERSON_AT`], which finds every name in a passage,
/// and of [`PERSON`], which finds the names of a list.
static PERSON_RE: LazyLock<String> = LazyLock::new(|| format!(r"(?-u:\b){}", *NAME_RE));
static PERSON: LazyLock<Regex> = LazyLock::new(|| Regex::new(&PERSON_RE).expect("valid regex"));

/// `a talk by NAME`: the document conveys NAME's work.
static WORK_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?:talk|presentation|remarks|lecture|speech|keynote|briefing|testimony|paper|study|analysis|commentary|assessment|address|report|note|post|column|article|op-ed|survey|book)\s+(?:given\s+|delivered\s+|written\s+|published\s+|authored\s+|released\s+)?by\s+(?P<name>{name})",
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// `Outlet spoke to NAME`, `in an interview with NAME`: the interview is with NAME.
static SPOKE_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?:(?:spoke|speaking|talked|talking|sat\s+down)\s+(?:to|with)|interview(?:ed)?\s+(?:with\s+)?)\s*(?P<name>{name})",
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// `…, said Mr Lee Sung Ho, a researcher`: the verb first, after a comma.
static SAID_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[,;]\s*(?:said|says|added|noted|warned|explained|argued|stressed|wrote|observed)\s+(?:(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+)?(?P<name>{name})",
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// `"…" — NAME, Title, Org`: a quotation signed after a dash.
static QUOTE_DASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r#"["”]\s*[—–-]{{1,2}}\s*(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?\s+)?(?P<name>{name})"#, name = *NAME_RE))
        .expect("valid regex")
});

/// A name given in both scripts: `Park Min-ju (박민주)` or `박민주(Park Min-ju)`.
static PAIRED_SPELLINGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<l1>{name})\s*\((?P<h1>\p{{Hangul}}{{2,8}}(?:\s\p{{Hangul}}{{2,8}})?)\)|(?P<h2>\p{{Hangul}}{{2,8}}(?:\s\p{{Hangul}}{{2,8}})?)\s*\((?P<l2>{name})\)",
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// `My name is NAME` in an interview.
static MY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?-u:\b)[Mm]y name is\s+(?P<name>{name})", name = *NAME_RE)).expect("valid regex")
});

/// `panelists included A of B and C`: the people a summary lists as speaking. The group
/// `name` holds the list; each name in it is a speaker.
static PANEL_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:(?-u:\b)(?:panel(?:l)?ists?|experts|speakers|discussants|presenters|participants|keynote\s+speakers?)\s+(?:included|including|were|such\s+as|featured|from\s+[^,.;]{3,60}\s+including)|(?-u:\b)joined\s+by\s+(?:experts\s+|panel(?:l)?ists\s+)?(?:including\s+)?|(?-u:\b)featured\s+(?:presentations\s+by\s+)?|(?-u:\b)keynote\s+(?:address|speech|remarks)?\s*by\s+)(?P<name>[^.;:]{3,400})",
    )
    .expect("valid regex")
});

/// Korean attributions in a passage: a name followed by a post and a particle
/// (`이성호 연구위원은`), or by the particle alone when the passage quotes (`이성호는
/// "…"라고`), in a passage that reports speech; `NAME (post)에 따르면`; the people a
/// summary puts forward (`토론자로 나섰다`). A name is a Hangul personal name, or two Hangul
/// words that `known` accepts (a taxonomy alias: `마틴 윌리엄스`); a lone word before a post
/// comes back as a surname (`윌리엄스 연구원은`) for the caller to resolve. A reporter
/// (`기자`) never speaks, nor whoever `사회` (chairs) the session. The affiliation is the
/// institution written just before the name, or between the name and the post.
fn korean_speakers(
    text: &str,
    institutions: &[InstitutionSpan],
    quoted: &[(usize, usize)],
    known: &dyn Fn(&str) -> bool,
) -> Vec<KoreanSpeaker> {
    use super::hangul::{is_name, is_short_name};
    static QUOTED_SPEECH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"["”》』」]\s*(?:이?라고|고|이?라며|며|면서|이?라면서)(?:\s|$)"#).expect("valid regex")
    });
    static VERBS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(super::words::ko_verb_forms())
            .expect("valid patterns")
    });
    // Where speech is reported: each reporting verb and each quotation frame (`"…"라고`).
    let mut speech: Vec<usize> = VERBS.find_iter(text).map(|m| m.start()).collect();
    // `"…"고 물었다` asks; it reports no one's view.
    let asked = |m: &regex::Match| {
        let after: String = text[m.end()..].chars().take(6).collect();
        ["물었", "질문했", "물어"].iter().any(|q| after.trim_start().starts_with(q))
    };
    speech.extend(QUOTED_SPEECH.find_iter(text).filter(|m| !asked(m)).map(|m| m.start()));
    speech.sort_unstable();
    let reports = !speech.is_empty();
    let quotes = text.contains(['"', '“', '”', '《']);
    let put_forward = ["토론자로", "발표자로", "발제자로", "연사로", "패널로"].iter().any(|w| text.contains(w));
    let chairs = ["사회는", "사회를", "좌장은", "좌장을", "진행은", "진행을"].iter().any(|w| text.contains(w));
    let mut found = Vec::new();
    let words = KoreanWords::new(text);
    // `서지원(가명·34) 씨는`: what a parenthesis holds is said about the name before it.
    let bracketed = parentheses(text);
    let in_parens = |m: &Word| inside(&bracketed, m.start());
    // Words already read as the second half of a two-word name.
    let mut taken = 0;
    for (i, word) in words.iter().enumerate() {
        if i < taken
            || overlaps(institutions, word.start(), word.end())
            || in_parens(word)
            || inside(quoted, word.start())
        {
            continue;
        }
        // `고려대 정보보호대학원`: a university's short name, not a person.
        let unit_follows = words.get(i + 1).is_some_and(|n| {
            ["대학원", "연구소", "연구원", "센터", "학부", "학과", "대학"].iter().any(|u| n.as_str().ends_with(u))
        });
        let w = word.as_str();
        if w.ends_with('대') && unit_follows {
            continue;
        }
        // `제1차관`: an ordinal, not the family name 제.
        if w == "제" && text[word.end()..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // `그는 우리에게 《…》라고 말하였다`: the person named last speaks again.
        if ["그는", "그녀는", "그가", "그녀가"].contains(&w) {
            let subject_at = text[..word.start()].trim_end();
            if subject_at.is_empty() || subject_at.ends_with(['.', '"', '”', '》', '\'']) {
                found.push(KoreanSpeaker {
                    pos: word.start(),
                    name: String::new(),
                    affiliation: None,
                    surname_only: false,
                    speaks: reports,
                    subject: true,
                    pronoun: true,
                    post_at: None,
                });
            }
            continue;
        }
        // The name: one Hangul name, or two words a taxonomy knows or that read as a foreign
        // name before a post, or (before a post) a lone word that may be a surname.
        let with_particle =
            KO_SUBJECT_PARTICLES.iter().find_map(|p| w.strip_suffix(p).filter(|n| is_name(n)).map(|n| n.to_string()));
        // `리명철교원은`: a name with its post written on, as North Korean media write it.
        let fused = fused_post(text, word);
        let (name, name_words, particle) = match with_particle {
            Some(name) => (name, 1, true),
            None if fused.is_some() => (w[..fused.as_ref().map_or(0, |(len, _)| *len)].to_string(), 1, false),
            None if words.is_name(i) => (w.to_string(), 1, false),
            None => match words.get(i + 1).filter(|next| &text[word.end()..next.start()] == " ") {
                Some(next) => {
                    let second = next.as_str();
                    let bare = KO_SUBJECT_PARTICLES.iter().find_map(|p| second.strip_suffix(p)).unwrap_or(second);
                    if known(&format!("{w} {second}")) {
                        (format!("{w} {second}"), 2, false)
                    } else if bare != second && known(&format!("{w} {bare}")) {
                        (format!("{w} {bare}"), 2, true)
                    } else if foreign_name(text, &words, i, institutions, &bracketed) {
                        (format!("{w} {second}"), 2, false)
                    } else {
                        (w.to_string(), 1, false)
                    }
                }
                None => (w.to_string(), 1, false),
            },
        };
        let is_fused = fused.is_some();
        let post = match fused {
            Some((_, post)) => Some(post),
            None if particle => None,
            None => find_post(text, &words, i + name_words, institutions, &bracketed),
        };
        let short = name_words == 1 && is_short_name(&name);
        // `천웨이(陈伟) 대표는`: one foreign word, spelled in parentheses, right before its post.
        let spelled_one = name_words == 1
            && !particle
            && !is_fused
            && SPELLED_AFTER.is_match(&text[word.end()..])
            && (2..=5).contains(&name.chars().count())
            && !is_name(&name);
        let adjacent =
            post.as_ref().is_some_and(|p| p.adjacent && words.get(i + 1).is_some_and(|w| w.start() == p.start));
        let full_name = name_words == 2
            || is_name(&name)
            || (short && post.as_ref().is_some_and(|p| p.adjacent))
            || spelled_one && adjacent;
        let last_word = &words[i + name_words - 1];
        let rest = &text[last_word.end()..];
        if rest.trim_start().starts_with("기자") {
            continue;
        }
        let (speaks, subject, according) = match &post {
            Some(p) => {
                let asked_to_chair = chairs && ["가", "이"].contains(&p.after);
                let speaks = (p.subject && (reports || put_forward)) || p.according || (p.listed && put_forward);
                (!asked_to_chair && speaks, p.subject || p.listed && put_forward, p.according)
            }
            None => {
                let according = full_name && rest.trim_start().starts_with("에 따르면");
                // Without a quotation, only a name with its post before it (`체신성 부국장
                // 최광일은`, `원장 고태린은`): a bare word with a particle is too often a noun.
                // A word for someone's work counts too (`봉사원 로은별은`, `기술자 김철은`).
                let post_before = i > 0 && words[i - 1].end() + 1 == word.start() && {
                    let before = words[i - 1].as_str();
                    let agent = (2..=4).contains(&before.chars().count()) && before.ends_with(['원', '자', '사', '관']);
                    agent || ko_post_end(before) == Some(before.len())
                };
                (full_name && particle && (quotes || post_before) && reports || according, particle, according)
            }
        };
        // A lone word is a surname only right before its post (`김 씨는`).
        let next_is_post = post.as_ref().is_some_and(|p| words.get(i + 1).is_some_and(|w| w.start() == p.start));
        if name_words == 2 {
            taken = i + 2;
        }
        if !(full_name || next_is_post) || !(speaks || full_name && post.is_some()) {
            continue;
        }
        let name_start = word.start();
        let role_end = post.as_ref().map(|p| p.start);
        let affiliation = institutions
            .iter()
            .filter(|s| {
                (s.end <= name_start && name_start - s.end <= 40)
                    || role_end.is_some_and(|r| s.start >= last_word.end() && s.end <= r)
            })
            .max_by_key(|s| s.end)
            .map(|s| s.name.clone());
        found.push(KoreanSpeaker {
            pos: name_start,
            name,
            affiliation,
            surname_only: !full_name,
            speaks,
            subject: subject && !according,
            pronoun: false,
            post_at: role_end,
        });
    }
    // `수석연구원 Kenji Morimoto는 "…"`: a name in Latin letters with a Korean particle.
    if reports {
        for (start, end) in latin_subjects(text) {
            if inside(quoted, start) || inside(&bracketed, start) || overlaps(institutions, start, end) {
                continue;
            }
            let Some(name) = valid_person(&text[start..end]) else { continue };
            // `사회자 Hannah Reeves가 … 묻자`: who asks.
            let before = text[..start].trim_end();
            if KO_ASKERS.iter().chain(&["사회자", "진행자"]).any(|a| before.ends_with(a)) {
                continue;
            }
            let affiliation = institutions
                .iter()
                .filter(|s| s.end <= start && start - s.end <= 40)
                .max_by_key(|s| s.end)
                .map(|s| s.name.clone());
            found.push(KoreanSpeaker {
                pos: start,
                name,
                affiliation,
                surname_only: false,
                speaks: true,
                subject: true,
                pronoun: false,
                post_at: None,
            });
        }
        found.sort_by_key(|s| s.pos);
    }
    // A quotation or reporting verb belongs to the nearest subject before it: in `A 씨는 …
    // 살고 있다. B 대표는 "…"라고 했다` B speaks, A does not.
    // A later subject that is the same person (`김은별 씨는 … 김 씨는 "…"`) is no boundary.
    let family =
        |name: &str| name.split_whitespace().next_back().map(|w| super::hangul::surname(w).unwrap_or(w).to_string());
    // A lone word counts when it is a Korean family name or the family name of someone named
    // here (`던컨 분석관은`), not any word before a post (`정보보호대학원 교수는`).
    let families: Vec<Option<String>> = found.iter().filter(|s| !s.surname_only).map(|s| family(&s.name)).collect();
    // People who share one post (`성지환·용해나 의원이`) are one subject.
    let subjects: Vec<(usize, Option<String>, Option<usize>)> = found
        .iter()
        .filter(|s| s.subject)
        .filter(|s| !s.surname_only || s.name.chars().count() == 1 || families.contains(&family(&s.name)))
        .map(|s| (s.pos, family(&s.name), s.post_at))
        .collect();
    for speaker in found.iter_mut().filter(|s| s.speaks && s.subject) {
        let own = family(&speaker.name);
        let next_speech = speech.iter().find(|&&p| p > speaker.pos);
        let shares = |post: &Option<usize>| post.is_some() && *post == speaker.post_at;
        let next_subject =
            subjects.iter().find(|(p, f, post)| *p > speaker.pos && *f != own && !shares(post)).map(|(p, ..)| p);
        if let (Some(speech), Some(subject)) = (next_speech, next_subject) {
            speaker.speaks = subject > speech;
        }
    }
    found
}

/// The label of a Korean turn: `이름>` or `이름:` (group `label`), or `[이름]` (`bracketed`).
fn ko_turn_label<'t>(caps: &regex::Captures<'t>) -> Option<regex::Match<'t>> {
    caps.name("label").or_else(|| caps.name("bracketed")).or_else(|| caps.name("with_post"))
}

/// The post after a Korean name (`연구위원은`, `교수에 따르면`, `소장(북한정보기술연구소)은`),
/// perhaps after the name's institution (`변솔 한국개발연구원 전문연구원은`).
struct Post<'t> {
    start: usize,
    /// What follows the post: a particle, or nothing.
    after: &'t str,
    subject: bool,
    according: bool,
    /// Only institutions (or nothing) stand between the name and the post.
    adjacent: bool,
    /// A comma follows: one of several people listed (`A 교수, B 연구위원이 토론자로`).
    listed: bool,
}

static ANALYSIS_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:분석|설명|주장|전망|지적|진단|평가|견해|판단|설명)(?:이)?다").expect("valid regex")
});

/// Whether `at` is inside one of `spans` (a parenthesis, a quotation), past its opening.
fn inside(spans: &[(usize, usize)], at: usize) -> bool {
    spans.iter().any(|&(a, b)| a < at && at < b)
}

/// Whether a Hangul word of `text` holds a post ([`ko_post_end`]): `연구위원`, `교수는`.
fn holds_post(text: &str) -> bool {
    super::hangul::words(text).any(|w| ko_post_end(w.as_str()).is_some())
}

/// The Hangul words of a passage, with what the rules ask of each word found once: whether
/// it is a name, and where the post it holds ends. A word is asked about in its own turn
/// and again as a later word in the look-ahead of each of the words before it.
struct KoreanWords<'t> {
    words: Vec<Word<'t>>,
    names: Vec<std::cell::OnceCell<bool>>,
    post_ends: Vec<std::cell::OnceCell<Option<usize>>>,
}

impl<'t> KoreanWords<'t> {
    fn new(text: &'t str) -> KoreanWords<'t> {
        let words: Vec<Word<'t>> = super::hangul::words(text).collect();
        let names = words.iter().map(|_| std::cell::OnceCell::new()).collect();
        let post_ends = words.iter().map(|_| std::cell::OnceCell::new()).collect();
        KoreanWords { words, names, post_ends }
    }

    /// Whether word `i` is a personal name ([`super::hangul::is_name`]).
    fn is_name(&self, i: usize) -> bool {
        *self.names[i].get_or_init(|| super::hangul::is_name(self.words[i].as_str()))
    }

    /// Where the post word `i` holds ends ([`ko_post_end`]).
    fn post_end(&self, i: usize) -> Option<usize> {
        *self.post_ends[i].get_or_init(|| ko_post_end(self.words[i].as_str()))
    }
}

impl<'t> std::ops::Deref for KoreanWords<'t> {
    type Target = [Word<'t>];

    fn deref(&self) -> &[Word<'t>] {
        &self.words
    }
}

fn find_post<'t>(
    text: &'t str,
    words: &KoreanWords<'t>,
    from: usize,
    institutions: &[InstitutionSpan],
    bracketed: &[(usize, usize)],
) -> Option<Post<'t>> {
    static PAREN_PARTICLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\([^()\n]{1,60}\)\s*(은|는|이|가|도|과|와|에)").expect("valid regex"));
    let mut adjacent = true;
    let candidates = (from..words.len()).filter(|&j| !inside(bracketed, words[j].start()));
    let mut before = from.checked_sub(1).map_or(0, |i| words[i].end());
    for j in candidates.take(3) {
        let next = &words[j];
        // `… 현황을 소개했다. 류 연구위원은`: a post is never in the next sentence.
        if text[before..next.start()].trim_end().ends_with(['.', '?', '!']) {
            return None;
        }
        before = next.end();
        let w = next.as_str();
        // `고태린 통일연구원장은`: the head of the body named in the same word.
        let body_end =
            institutions.iter().filter(|s| s.start < next.end() && next.start() < s.end).map(|s| s.end).max();
        let (next_start, w, role_end) = match body_end {
            Some(end) if end > next.start() && end < next.end() && text[end..].starts_with('장') => {
                (end, &text[end..next.end()], Some('장'.len_utf8()))
            }
            Some(_) => continue,
            None => (next.start(), w, words.post_end(j)),
        };
        if let Some(role_end) = role_end {
            let mut after = &w[role_end..];
            let tail = &text[next.end()..];
            if after.is_empty() {
                // `연구위원(통일연구원)은`: the particle after a parenthesis.
                if let Some(caps) = PAREN_PARTICLE.captures(tail) {
                    after = caps.get(1).expect("group").as_str();
                }
                // `차관보 대행은`, `원장 직무대행은`: the post's stand-in.
                if let Some(word) = tail.strip_prefix(' ').and_then(|t| t.split(char::is_whitespace).next()) {
                    if let Some(rest) = ["직무대행", "대행"].iter().find_map(|d| word.strip_prefix(d)) {
                        after = rest;
                    }
                }
            }
            let subject = KO_SUBJECT_PARTICLES.contains(&after) || ["과", "와"].contains(&after);
            // `… 허윤 연구위원의 분석이다`: the sentence was theirs.
            let judgement = after == "의" && ANALYSIS_OF.is_match(tail);
            let according =
                judgement || after.starts_with('에') && tail.chars().take(24).collect::<String>().contains("따르면");
            let listed = after.is_empty() && tail.trim_start().starts_with([',', '·']);
            return Some(Post { start: next_start, after, subject, according, adjacent, listed });
        }
        // A reporter's post, or another name before the post: not this word's, unless the
        // names share it (`성지환·용해나 의원이`).
        let shared = text[..next.start()].ends_with('·');
        if w.starts_with("기자") || (words.is_name(j) && !w.ends_with('대') && !shared) {
            return None;
        }
        adjacent = false;
    }
    None
}

/// `리명철교원은`, `량순희연구사는`: a Korean name with its post in the same word. Returns
/// the length of the name in bytes and the post.
fn fused_post<'t>(text: &'t str, word: &Word<'t>) -> Option<(usize, Post<'t>)> {
    let w = word.as_str();
    let ends: Vec<usize> = w.char_indices().map(|(at, _)| at).skip(2).take(3).collect();
    ends.into_iter().rev().find_map(|len| {
        let (name, rest) = w.split_at(len);
        if !super::hangul::is_name(name) {
            return None;
        }
        // The posts North Korean media write on to a name.
        const FUSED: &[&str] = &[
            "교원",
            "연구사",
            "책임연구사",
            "교수",
            "부교수",
            "박사",
            "연구원",
            "기사",
            "실장",
            "소장",
            "강좌장",
            "동무",
            "동지",
        ];
        let role = FUSED.iter().filter(|r| rest.starts_with(*r)).max_by_key(|r| r.len())?;
        let after = &rest[role.len()..];
        let subject = KO_SUBJECT_PARTICLES.contains(&after) || ["과", "와"].contains(&after);
        let tail = &text[word.end()..];
        let according = after == "에" && tail.chars().take(24).collect::<String>().contains("따르면");
        (after.is_empty() || subject || according).then(|| {
            (len, Post { start: word.start() + len, after, subject, according, adjacent: true, listed: false })
        })
    })
}

/// A name's spelling in parentheses right after it: Latin letters or Chinese characters.
static SPELLED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*(?:[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,3}|\p{Han}{2,4})\s*\)").expect("valid regex")
});

/// `클레어 던컨 연구원은`, `마크 피셔(Mark Fisher) 조지타운대학교 겸임교수는`: two Hangul
/// words at `words[i]`, neither a Korean name, before a post that makes them a subject: a
/// foreign name written in Hangul. Institutions may stand between only when the Latin
/// spelling follows in parentheses.
fn foreign_name(
    text: &str,
    words: &KoreanWords,
    i: usize,
    institutions: &[InstitutionSpan],
    bracketed: &[(usize, usize)],
) -> bool {
    static LATIN_PAREN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*\(\s*[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){1,3}\s*\)").expect("valid regex")
    });
    let (Some(first), Some(second)) = (words.get(i), words.get(i + 1)) else { return false };
    let institution = |m: &Word| overlaps(institutions, m.start(), m.end());
    if institution(first) || institution(second) {
        return false;
    }
    let spelled = LATIN_PAREN.is_match(&text[second.end()..]);
    // `존 할로웨이(John Holloway)`: a one-syllable first name when the spelling is given.
    let shortest = if spelled { 1 } else { 2 };
    let fits = |k: usize| (shortest..=5).contains(&words[k].as_str().chars().count()) && !words.is_name(k);
    // Not a department (`북한연구실 하진`), a word with an ending (`하는 천웨이`), or a
    // Korean name of one given syllable before its post.
    const NOT_FIRST: &[char] = &[
        '실', '팀', '단', '과', '국', '부', '처', '소', '원', '는', '한', '된', '던', '할', '의', '을', '를', '에',
        '서', '로', '고', '며', '면', '가', '은', '이',
    ];
    if !(fits(i) && fits(i + 1))
        || first.as_str().ends_with(NOT_FIRST)
        || !spelled && super::hangul::is_short_name(second.as_str())
    {
        return false;
    }
    // `화상으로 참여한 그레그 하틀리 체인와치 대표는`: after a modifier, a name, then a body
    // the text does not otherwise mark, then the post.
    // (`한 국내 블록체인 스타트업 대표는`: 한 is "a", no modifier.)
    let after_modifier = i > 0
        && words[i - 1].end() + 1 == first.start()
        && words[i - 1].as_str().chars().count() >= 2
        && words[i - 1].as_str().ends_with(['한', '된', '인', '던', '할', '의']);
    // `다니엘 오코너(Daniel O'Connor) 위협정보 부문 부사장은`: the name came before; `한
    // 국내 블록체인 스타트업 대표는`: someone described, not named.
    let described = words[i.saturating_sub(2)..i].iter().any(|w| w.as_str() == "한");
    if text[..first.start()].trim_end().ends_with(')') || described {
        return false;
    }
    // The post is a word of its own (`A씨도` is no post of the words before it).
    let own_word = |p: &Post| p.start == 0 || text[..p.start].ends_with(char::is_whitespace);
    let at = |k: usize, p: &Post| words.get(i + k).is_some_and(|w| w.start() == p.start) && own_word(p);
    find_post(text, words, i + 2, institutions, bracketed)
        .is_some_and(|p| spelled || (p.subject || p.according) && (at(2, &p) || after_modifier && at(3, &p)))
}

/// The person a Hangul list item starts with, and where the name ends: a Korean name
/// (`이성호 통일연구원 연구위원`), a name spelled in Latin letters after it (`마거릿
/// 콜린스(Margaret Collins) 호주국립대학교 교수`), or a short or foreign name followed by a
/// post (`탁진 한국과학기술원 교수`).
fn hangul_item(item: &str, at: usize, institutions: &[InstitutionSpan]) -> Option<(String, usize)> {
    static HANGUL_ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\*\*)?(?P<first>\p{Hangul}{2,5})\b(?: (?P<second>\p{Hangul}{1,5})\b)?(?:\*\*)?\s*(?P<latin>\(\s*[A-Z][A-Za-z.'’\- ]+(?:[,;][^()\n]{0,60})?\))?")
            .expect("valid regex")
    });
    use super::hangul::{is_name, is_short_name};
    let caps = HANGUL_ITEM.captures(item)?;
    let first = caps.name("first").expect("group");
    let institution = |m: regex::Match| overlaps(institutions, at + m.start(), at + m.end());
    if institution(first) {
        return None;
    }
    if is_name(first.as_str()) {
        return Some((first.as_str().to_string(), first.end()));
    }
    let post = super::hangul::words(item).skip(1).take(4).any(|w| ko_post_end(w.as_str()).is_some());
    let spelled = caps.name("latin").is_some();
    let second = caps
        .name("second")
        .filter(|s| !institution(*s) && !is_name(s.as_str()) && (spelled || s.as_str().chars().count() >= 2));
    match second {
        Some(second) if spelled || post => Some((format!("{} {}", first.as_str(), second.as_str()), second.end())),
        _ if (spelled || post) && is_short_name(first.as_str()) => Some((first.as_str().to_string(), first.end())),
        _ => None,
    }
}

/// Whether `text` ends with a Hangul name's Latin spelling in parentheses: `정민혁(Jung
/// Min-hyuk)`, after which a comma goes on about the same person.
fn latin_spelling_before(text: &str) -> bool {
    let text = text.trim_end();
    let Some(open) = text.rfind('(') else { return false };
    let inside = &text[open + 1..text.len() - 1];
    let hangul_before = text[..open].trim_end().chars().next_back().is_some_and(super::hangul::is_syllable);
    hangul_before
        && inside.starts_with(|c: char| c.is_ascii_uppercase())
        && inside.chars().all(|c| c.is_ascii_alphabetic() || " .'-’".contains(c))
}

/// A speaker found by `korean_speakers`.
struct KoreanSpeaker {
    pos: usize,
    name: String,
    affiliation: Option<String>,
    /// A lone word before a post: a surname of someone named before.
    surname_only: bool,
    /// False for a person named with a post who says nothing here (remembered: an
    /// interview's answers may be theirs).
    speaks: bool,
    /// Named as the subject of its clause (`이성호 연구위원은`).
    subject: bool,
    /// `그는`, `그녀는`: the person named last (`name` is empty).
    pronoun: bool,
    /// Where the post after the name starts.
    post_at: Option<usize>,
}

/// Byte ranges of the parentheses in `text`, outermost.
fn parentheses(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut open = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    spans.push((open, i));
                }
            }
            _ => {}
        }
    }
    spans
}

/// Byte ranges of the quotations in `text` (straight or curly double quotes).
fn quotations(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('“' | '《', _) => open = Some(i),
            ('”' | '》', Some(a)) => {
                spans.push((a, i));
                open = None;
            }
            ('"', None) => open = Some(i),
            ('"', Some(a)) => {
                spans.push((a, i));
                open = None;
            }
            _ => {}
        }
    }
    spans
}

/// Words without which [`PRONOUN`] cannot match, as written: checked first, because the
/// pattern starts with words that every passage has (`the`).
const PRONOUN_WORDS: [&str; 16] = [
    "He ",
    "She ",
    " he ",
    " she ",
    "\"he ",
    "\"she ",
    "professor",
    "researcher",
    "analyst",
    "expert",
    "scholar",
    "fellow",
    "economist",
    "scientist",
    "engineer",
    "former",
];

/// Words without which [`PANEL_PROSE`], which ignores case, cannot match, in any case.
const PANEL_WORDS: [&str; 9] =
    ["panel", "expert", "speaker", "discussant", "presenter", "participant", "keynote", "joined", "featur"];

/// The gates of the patterns that need a word of their own: which of them a text passes,
/// as bits ([`Gates::VERB`], …). Each gate's words are looked for in one pass over the
/// text, by one automaton for all of them.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct Gates(u8);

impl Gates {
    /// A reporting verb ([`VERBS`]): `X said`.
    const VERB: u8 = 1;
    /// A role ([`ROLES`]): `X, a professor at Y`.
    const ROLE: u8 = 2;
    /// A word of [`PANEL_WORDS`], in any case: `panelists included X`.
    const PANEL: u8 = 4;
    /// A word of [`PRONOUN_WORDS`], or `he ` or `she ` at the text's start: `she added`.
    const PRONOUN: u8 = 8;
    const ALL: u8 = Self::VERB | Self::ROLE | Self::PANEL | Self::PRONOUN;

    /// The gates `text` passes.
    fn of(text: &str) -> Gates {
        /// For each word of the automaton, the gates it opens: in any case, or only as it
        /// is written (`said` opens no gate as `Said`, and `He ` none as ` HE `).
        struct Word {
            written: &'static str,
            any_case: u8,
            as_written: u8,
        }
        static GATE_WORDS: LazyLock<(aho_corasick::AhoCorasick, Vec<Word>)> = LazyLock::new(|| {
            let mut words: Vec<Word> = Vec::new();
            let mut add = |written: &'static str, gate: u8, any_case: bool| {
                let i = match words.iter().position(|w| w.written.eq_ignore_ascii_case(written)) {
                    Some(i) => i,
                    None => {
                        words.push(Word { written, any_case: 0, as_written: 0 });
                        words.len() - 1
                    }
                };
                let word = &mut words[i];
                if any_case {
                    word.any_case |= gate;
                } else {
                    // Two spellings of one word in one case-sensitive list would need two
                    // entries; none of the lists has them.
                    assert!(word.as_written == 0 || word.written == written, "{written} twice");
                    word.written = written;
                    word.as_written |= gate;
                }
            };
            for (list, gate) in [(VERBS, Gates::VERB), (ROLES, Gates::ROLE)] {
                for word in literal_prefixes(list) {
                    add(word, gate, false);
                }
            }
            for word in PRONOUN_WORDS {
                add(word, Gates::PRONOUN, false);
            }
            for word in PANEL_WORDS {
                add(word, Gates::PANEL, true);
            }
            let automaton = aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .build(words.iter().map(|w| w.written))
                .expect("valid patterns");
            (automaton, words)
        });
        let (automaton, words) = &*GATE_WORDS;
        // ` he ` and ` she ` are words of the list; at the start of a text, with nothing
        // before them, they are not.
        let mut gates = if text.starts_with("he ") || text.starts_with("she ") { Self::PRONOUN } else { 0 };
        // Overlapping: `analyst` opens the role gate though `analy` (of `analy[sz]ed`) ends
        // first.
        for m in automaton.find_overlapping_iter(text) {
            let word = &words[m.pattern().as_usize()];
            gates |= word.any_case;
            if word.as_written != 0 && &text[m.start()..m.end()] == word.written {
                gates |= word.as_written;
            }
            if gates == Self::ALL {
                break;
            }
        }
        Gates(gates)
    }

    fn pass(self, gate: u8) -> bool {
        self.0 & gate != 0
    }
}

/// The literal start of each alternative of `alternation`, a `|`-list of words in which
/// only `\s+` and classes such as `[sz]` are not literal: each alternative up to its first
/// class or space (`analy` for `analy[sz]ed`, `pointed` for `pointed\s+out`), which every
/// match of it holds.
fn literal_prefixes(alternation: &'static str) -> impl Iterator<Item = &'static str> {
    alternation.split('|').map(|alt| alt.split(['\\', '[']).next().unwrap_or(alt))
}

/// `She added`, `he warned`, `"…," she said`.
static PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?:^|[.!?]\s+|["”’],?\s*|;\s*|,\s*)(?:She|He|she|he|[Tt]he\s+(?:professor|researcher|analyst|expert|scholar|fellow|economist|scientist|engineer|former\s+official))\s+(?:also\s+|further\s+|then\s+|later\s+|now\s+)?(?:{VERBS})\b"#
    ))
    .expect("valid regex")
});

/// A single capitalized word followed by an attribution verb: `Williams also pointed to`.
static SURNAME_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<name>{TOKEN})(?:['’]s\s+(?:view|assessment|analysis|estimate))?\s+(?:also\s+|further\s+|then\s+|later\s+|again\s+)?(?:{VERBS})(?-u:\b)"
    ))
    .expect("valid regex")
});

/// A name of one word at the very start of a text, as [`SURNAME_VERB`]'s `name` group
/// matches one.
static TOKEN_AT: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^(?:{TOKEN})")).expect("valid regex"));

/// The `name` group of each match of [`SURNAME_VERB`], as byte spans. The match begins
/// with the name, followed by `'s` or white space, which no name continues with: the name
/// is the longest at the match's start, found without resolving the pattern's groups (which
/// took most of its time).
fn surname_verbs(text: &str) -> Vec<(usize, usize)> {
    SURNAME_VERB
        .find_iter(text)
        .map(|m| (m.start(), TOKEN_AT.find(&text[m.start()..]).map_or(m.start(), |t| m.start() + t.end())))
        .collect()
}

/// `"…," said Williams.` with a surname only.
static QUOTE_SURNAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r#"[,.!?]["”’']\s*(?:said|says|added|noted|warned|explained|argued)\s+(?P<name>{TOKEN})\b"#))
        .expect("valid regex")
});

/// Korean turn labels of people who ask or introduce.
const KO_ASKERS: &[&str] =
    &["앵커", "진행", "진행자", "사회", "사회자", "기자", "아나운서", "리포터", "특파원", "질문자", "좌장"];

/// Labels of a broadcast transcript's header lines: the date, time, place or programme.
const KO_HEADER_LABELS: &[&str] =
    &["방송일", "방송일시", "방송시간", "방송", "일시", "일자", "날짜", "장소", "주제", "제목", "프로그램", "주파수"];

/// List heads of people who ask or introduce, not speak.
const LIST_ASK_HEADS: &[&str] = &["moderat", "host", "chair", "사회", "좌장", "전체 사회", "진행"];

/// The head of a list of people: `Panelists:`, `Keynote —`, `PARTICIPANTS:`.
static LIST_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^(?:\d{1,2}:\d{2}\s*[~–-]\s*\d{1,2}:\d{2}\s+)?(?:[-*•·■□▶▷●○◆◇]\s*)?(?:\*\*|\[)?(?P<head>panel(?:l)?ists?|panel|speakers?|discussants?|presenters?|presentations?(?:\s*\d{1,2})?|keynote(?:\s+(?:speakers?|address|speech|remarks))?|participants|guests?|featuring|moderators?|hosts?|chair(?:s|ed by)?|welcoming remarks|opening remarks|closing remarks|(?:[^:\n]{1,16}\s|종합|지정|주제|자유|특별)?(?:발표자?|발제자?|토론자?|패널|기조연설자?|연사|참석자|사회자?|좌장|출연자?|진행자?|기조발표|기조강연)(?:\s*\d{1,2})?(?:\s*\([^)\n]{1,20}\))?(?:\s*[「『"“][^」』"”\n]{1,120}[」』"”])?)(?:\*\*)?(?:,\s*[^:\n]{1,160})?(?:\s*[:—–|=]|\]|\s*$)\s*(?:\*\*)?\s*(?P<rest>.*)$"#,
    )
    .expect("valid regex")
});

/// A line of a list of people: a name first, then a comma, dash, parenthesis or colon.
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*•·]\s*)?(?:\*\*)?(?:\p{Hangul}{2,4}|\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){1,3})(?:\*\*)?\s*(?:,|—|–|-|\(|:|\||\s{2,}|$)")
        .expect("valid regex")
});

/// The name at the start of a list item (upper case allowed: `KIM MIN-JUNG, INSS`).
static LIST_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*)?(?:\p{Hangul}{2,4}|(?:(?i:dr|prof|professor|mr|mrs|ms)\.?\s+)?\p{Lu}[\p{L}'’\-]*(?:\s+(?:\p{Lu}\.\s+)?\p{Lu}[\p{L}'’\-]*){1,3})(?:\*\*)?")
        .expect("valid regex")
});

/// Column names of people and of affiliations in a programme table.
static PEOPLE_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:speakers?|presenters?|panel(?:l)?ists?|names?|participants?|discussants?|who)$")
        .expect("valid regex")
});
static AFFILIATION_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:affiliations?|organi[sz]ations?|institutions?|org|from)$").expect("valid regex"));

/// A heading that says the lines under it are the people who speak: `## Speakers`,
/// `### Panelists`.
pub fn is_people_heading(heading: &str) -> bool {
    PEOPLE_HEADING.is_match(heading.trim())
}

static PEOPLE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the\s+)?(?:speakers|panel(?:l)?ists|presenters|discussants|participants|keynote\s+speakers?|featured\s+speakers)\s*:?$")
        .expect("valid regex")
});

/// A list item that names a moderator or host.
static ITEM_ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:moderator|moderating|moderated|host|hosted|chair|chaired|emcee)(?-u:\b)")
        .expect("valid regex")
});

/// A speaker found in a document, with the passages attributed to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSpeaker {
    pub name: String,
    pub mentions: BTreeSet<String>,
    pub affiliation: Option<String>,
    pub passages: BTreeSet<usize>,
    /// Why: each passage credited to the speaker (None: front matter) and the rule.
    pub evidence: Vec<(Option<usize>, &'static str)>,
}

/// Whether two capitalized words follow each other (`Park Min-ju`, `Martyn Williams`):
/// without one, no pattern that needs a full name can match.
pub(crate) fn has_capitalized_pair(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut prev_capitalized = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_uppercase() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'-' || bytes[i] == b'\'') {
                i += 1;
            }
            let word_is_name_like = i - start >= 2 && bytes[start + 1..i].iter().any(u8::is_ascii_lowercase);
            if word_is_name_like && prev_capitalized {
                return true;
            }
            prev_capitalized = word_is_name_like && i < bytes.len() && bytes[i] == b' ';
            // `Dr. Hannah Berger`: a title's period keeps the chain going.
            if i < bytes.len() && bytes[i] == b'.' && i - start <= 4 {
                prev_capitalized = true;
            }
            continue;
        }
        if b != b' ' {
            prev_capitalized = false;
        }
        i += 1;
    }
    false
}

/// A name found by a pattern, checked: titles and sentence words dropped, 2–4 tokens, no
/// place or organization words.
fn valid_person(raw: &str) -> Option<String> {
    let mut tokens: Vec<&str> = raw.split_whitespace().collect();
    while let Some(first) = tokens.first() {
        if LEADING_STOP.contains(first.trim_end_matches('.')) {
            tokens.remove(0);
        } else {
            break;
        }
    }
    if !(2..=4).contains(&tokens.len()) {
        return None;
    }
    if tokens.iter().any(|t| {
        let t = t.trim_end_matches('.');
        NAME_STOP.contains(t)
            || CALENDAR.contains(t)
            || HEADS.contains(t)
            || LEADING_STOP.contains(t)
            || t.contains(['’', '\'']) && t.ends_with('s')
    }) {
        return None;
    }
    Some(names::tidy_person(&tokens.join(" ")))
}

/// `Kenji Morimoto는 `: a name in Latin letters with a Korean particle. The word boundary
/// before it is checked by [`at_word_start`]: Unicode's `\b` in the pattern would make the
/// regex engine give up its DFA on Korean text, for a far slower automaton.
static LATIN_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}(?:는|은|이|가)\s").expect("valid regex"));

/// The names of [`LATIN_SUBJECT`] in `text`, as byte spans: each match up to its particle,
/// the first letter that is not ASCII.
fn latin_subjects(text: &str) -> Vec<(usize, usize)> {
    let name_end = |m: &regex::Match| m.start() + m.as_str().find(|c: char| !c.is_ascii()).unwrap_or(m.len());
    at_word_start(&LATIN_SUBJECT, text).iter().map(|m| (m.start(), name_end(m))).collect()
}

/// The matches of `re`, a non-empty pattern that starts with `(?-u:\b)` before a letter, that start
/// where Unicode's `\b` would have them: after no letter, digit or other word character.
/// Every such start is one for ASCII's `\b` too, so a match refused here is passed over
/// for the next one from the character after its start. The rest of the pattern matches
/// the same either way.
fn at_word_start<'t>(re: &Regex, text: &'t str) -> Vec<regex::Match<'t>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(m) = re.find_at(text, at) {
        if text[..m.start()].chars().next_back().is_some_and(regex_syntax::is_word_character) {
            at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        at = m.end();
        found.push(m);
    }
    found
}

/// How many patterns name a person speaking.
const NAME_PATTERNS: usize = 10;

/// What a name pattern's `name` group holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    /// A person speaking.
    Speaker,
    /// The person an interview is with, who answers its questions.
    Interviewee,
    /// A list of the people a summary says spoke (`panelists included A of B and C`).
    List,
}

/// A pattern that names a person speaking.
struct NamePattern {
    /// The pattern, compiled when [`NamePattern::names`] first needs it: never in a run for
    /// a pattern searched through `leads`, nor for one whose gate no text has passed.
    re: &'static LazyLock<Regex>,
    /// The rule it reports as evidence.
    rule: &'static str,
    /// What its `name` group holds.
    named: Named,
    /// Whether its match begins with the name, followed by what no name can continue (a
    /// comma, a parenthesis, or a space and a lower-case word). The name is then the
    /// longest name at the match's start, which [`NAME_AT`] finds without the costly
    /// resolution of the pattern's groups. Such a pattern is searched for anchored where
    /// a name may begin (see [`leading_matches`]): this is it, built for that.
    leads: Option<&'static regex_automata::meta::Regex>,
    /// The gate ([`Gates`]) whose words every match holds: a text it does not pass is not
    /// searched. 0 for a pattern searched in every text.
    gate: u8,
}

const SPOKE_TO_RULE: &str = "Outlet spoke to X / interview with X";

/// `spoke to`, `talked with`: what makes the subject before it the interviewer when a
/// person is named after it.
static SPOKE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:also\s+|recently\s+|later\s+)?(?:spoke|talked|sat\s+down)\s+(?:to|with)\s+")
        .expect("valid regex")
});

/// How far past `spoke to` the person spoken to is looked for: a body and a role may come
/// first (`spoke to Stimson Center fellow Martyn Williams`).
const SPOKE_OBJECT_BYTES: usize = 80;

/// How far past a subject `spoke to` is looked for: the searches read a few bytes, not the
/// rest of the passage, however many subjects it has.
const SPOKE_VERB_BYTES: usize = 40;

/// The largest character boundary of `text` at or before `at` (its length past its end):
/// `str::floor_char_boundary`, which needs a newer compiler than the one this crate supports.
fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The patterns that name a person speaking, in the order they claim a name.
fn name_patterns() -> [NamePattern; NAME_PATTERNS] {
    let pattern = |re, rule, named, leads| NamePattern { re, rule, named, leads, gate: 0 };
    [
        NamePattern {
            gate: Gates::VERB,
            ..pattern(&SUBJECT_VERB, "X said / noted / warned…", Named::Speaker, Some(&*SUBJECT_VERB_AT))
        },
        pattern(&QUOTE_FIRST, "\"…,\" said X", Named::Speaker, None),
        pattern(&QUOTE_DASH, "\"…\" — X, Title", Named::Speaker, None),
        pattern(&SAID_NAME, "…, said X", Named::Speaker, None),
        pattern(&ACCORDING, "according to X", Named::Speaker, None),
        NamePattern {
            gate: Gates::ROLE,
            ..pattern(&APPOSITIVE, "X, a <role> at Y", Named::Speaker, Some(&*APPOSITIVE_AT))
        },
        pattern(&WORK_BY, "a talk / report / study by X", Named::Speaker, None),
        pattern(&SPOKE_TO, SPOKE_TO_RULE, Named::Interviewee, None),
        pattern(&MY_NAME, "My name is X", Named::Interviewee, None),
        NamePattern { gate: Gates::PANEL, ..pattern(&PANEL_PROSE, "panelists included X", Named::List, None) },
    ]
}

/// A name at the very start of a text, as the patterns' `name` groups match one.
static NAME_AT: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^(?:{})", *NAME_RE)).expect("valid regex"));

/// The leading patterns, for searches anchored where a name can begin (see
/// [`leading_matches`]).
static SUBJECT_VERB_AT: LazyLock<regex_automata::meta::Regex> =
    LazyLock::new(|| regex_automata::meta::Regex::new(&SUBJECT_VERB_RE).expect("valid regex"));
static PERSON_AT: LazyLock<regex_automata::meta::Regex> =
    LazyLock::new(|| regex_automata::meta::Regex::new(&PERSON_RE).expect("valid regex"));
static APPOSITIVE_AT: LazyLock<regex_automata::meta::Regex> =
    LazyLock::new(|| regex_automata::meta::Regex::new(&APPOSITIVE_RE).expect("valid regex"));

/// Where a name of [`NAME_RE`] may begin in `text`, in order: an upper-case ASCII letter
/// after no ASCII letter, digit or underscore, that [`may_begin_name`] lets pass. Found in
/// one pass over the passage, shared by [`PERSON`] and every leading pattern (see
/// [`leading_matches`]). `None` for a passage with a run of word characters (letters, `'`,
/// `-`, and any character from U+2000 to U+2FFF, such as `’`) longer than any name's: a
/// start after a hyphen or an apostrophe in the run is a candidate too, so a run far longer
/// than any name (`Ab-Ab-Ab-…`) would have every anchored search read it to its end. Such
/// a passage is searched unanchored, in one pass, instead; counting more characters into
/// runs only sends more passages there.
fn name_starts(text: &str) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    // The length of the run of word characters that ends at the current byte, and whether
    // the byte before it is an ASCII letter, digit or underscore. Both are kept without a
    // branch: a passage alternates words and spaces too often for one to be predicted.
    let mut run = 0usize;
    let mut after_word = false;
    for (s, &b) in bytes.iter().enumerate() {
        let class = NAME_BYTE_CLASS[usize::from(b)];
        run = (run + 1) * usize::from(class & IN_RUN != 0);
        if run > LONGEST_WORD_RUN + 1 {
            return None;
        }
        if class & UPPER != 0 && !after_word && may_begin_name(&text[s..]) {
            starts.push(s);
        }
        after_word = class & AFTER_WORD != 0;
    }
    Some(starts)
}

/// What [`name_starts`] asks of a byte, as bits of [`NAME_BYTE_CLASS`].
const IN_RUN: u8 = 1;
const UPPER: u8 = 2;
const AFTER_WORD: u8 = 4;

/// [`IN_RUN`]: a character of a word's run (an ASCII letter, `'`, `-`, or a byte of a
/// character from U+2000 to U+2FFF, whose encodings are 0xE2 and continuation bytes).
/// [`UPPER`]: an upper-case ASCII letter. [`AFTER_WORD`]: an ASCII letter, digit or
/// underscore, after which no name begins.
static NAME_BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let mut class = 0;
        if byte.is_ascii_alphabetic() || matches!(byte, b'\'' | b'-' | 0x80..=0xBF | 0xE2) {
            class |= IN_RUN;
        }
        if byte.is_ascii_uppercase() {
            class |= UPPER;
        }
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            class |= AFTER_WORD;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// The starts and ends of the matches of `re`, as `find_iter` gives them, for a pattern
/// whose every match begins with a name at an ASCII word boundary, given the places such a
/// name may begin ([`name_starts`] of `text`). Only those places are tried, each by a
/// search anchored there, in order: the first that matches is the leftmost match, and an
/// anchored search ends it where the unanchored one would. Anchored at one place, the
/// automaton is small and soon fails, where an unanchored one carries every name begun in
/// the passage through long optional clauses. Without the places (a passage of long runs),
/// the whole text is searched unanchored.
fn leading_matches(
    re: &'static regex_automata::meta::Regex,
    text: &str,
    starts: Option<&[usize]>,
) -> Vec<(usize, usize)> {
    let Some(starts) = starts else {
        return re.find_iter(text).map(|m| (m.start(), m.end())).collect();
    };
    if starts.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut at = 0;
    // Each thread keeps a search cache per pattern (a static, so its address names it):
    // creating one costs more than the searches of a passage, and the regex's own pool is
    // shared by all threads.
    thread_local! {
        static CACHES: std::cell::RefCell<Vec<(usize, regex_automata::meta::Cache)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let key = std::ptr::from_ref(re) as usize;
    let mut cache = CACHES.with(|c| {
        let mut c = c.borrow_mut();
        match c.iter().position(|(k, _)| *k == key) {
            Some(i) => c.swap_remove(i).1,
            None => re.create_cache(),
        }
    });
    for &s in starts {
        if s < at {
            continue;
        }
        let input = regex_automata::Input::new(text).range(s..).anchored(regex_automata::Anchored::Yes);
        if let Some(m) = re.search_with(&mut cache, &input) {
            found.push((m.start(), m.end()));
            at = m.end();
        }
    }
    CACHES.with(|c| c.borrow_mut().push((key, cache)));
    found
}

/// The longest run of word characters [`leading_matches`] searches anchored in: far
/// longer than any name's word (`Kim Jong-un`, `O’Brien-Smith`).
const LONGEST_WORD_RUN: usize = 64;

/// Whether a name of [`NAME_RE`] may begin `text` (which begins with an upper-case ASCII
/// letter): a title, or a first word whose letters end in lower case, then white space and
/// another upper-case letter. Every name passes; most capitalized words (`The`, `In`, `US`)
/// do not.
fn may_begin_name(text: &str) -> bool {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if matches!(&text[..letters], "Dr" | "Prof" | "Mr" | "Mrs" | "Ms") {
        return true;
    }
    if letters < 2 || !text.as_bytes()[letters - 1].is_ascii_lowercase() {
        return false;
    }
    // The rest of the first word (`O’Brien`, `Min-ju`), then the space before the next.
    let rest = text[letters..].trim_start_matches(|c: char| c.is_ascii_alphabetic() || matches!(c, '\'' | '’' | '-'));
    let next = rest.trim_start_matches(char::is_whitespace);
    next.len() < rest.len() && next.starts_with(|c: char| c.is_ascii_uppercase())
}

impl NamePattern {
    /// The byte spans of the `name` group of each match in `text`, given where names may
    /// begin in it ([`name_starts`]) and the gates it passes.
    fn names(&self, text: &str, starts: Option<&[usize]>, gates: Gates) -> Vec<(usize, usize)> {
        if self.gate != 0 && !gates.pass(self.gate) {
            return Vec::new();
        }
        if let Some(anchored) = self.leads {
            let name_at = |start: usize| NAME_AT.find(&text[start..]).map_or(start, |m| start + m.end());
            let found = leading_matches(anchored, text, starts);
            return found.into_iter().map(|(start, _)| (start, name_at(start))).collect();
        }
        name_groups(self.re, text)
    }
}

/// The byte spans of the `name` group of each match of `re` in `text`.
fn name_groups(re: &Regex, text: &str) -> Vec<(usize, usize)> {
    re.captures_iter(text).map(|c| c.name("name").expect("group")).map(|m| (m.start(), m.end())).collect()
}

/// Where persons are named in each passage of a document: every name ([`PERSON`]) and the
/// `name` group of each of [`name_patterns`], as byte spans. Each pattern runs over all the
/// passages before the next one starts, rather than all patterns over one passage: an
/// automaton then stays in the processor's caches while it runs, which took two thirds off
/// the costliest one.
pub struct NameMatches {
    /// The number of the first passage.
    first: usize,
    passages: Vec<PassageNames>,
}

#[derive(Default)]
struct PassageNames {
    /// The gates the passage passes, for the name patterns and the pronouns.
    gates: Gates,
    persons: Vec<(usize, usize)>,
    named: [Vec<(usize, usize)>; NAME_PATTERNS],
}

impl NameMatches {
    /// The names in `texts`, one per passage from passage `first` on (an empty text for a
    /// passage not attributed).
    pub fn new(first: usize, texts: &[&str]) -> Self {
        let mut passages: Vec<PassageNames> =
            texts.iter().map(|text| PassageNames { gates: Gates::of(text), ..PassageNames::default() }).collect();
        // Every pattern needs a name of two capitalized words (some also a word of their
        // gate).
        let possible: Vec<bool> = texts.iter().map(|text| has_capitalized_pair(text)).collect();
        // Where names may begin: one pass over each passage, shared by every pattern.
        let starts: Vec<Option<Vec<usize>>> = (texts.iter().zip(&possible))
            .map(|(text, &possible)| if possible { name_starts(text) } else { Some(Vec::new()) })
            .collect();
        for (((text, &possible), starts), out) in texts.iter().zip(&possible).zip(&starts).zip(&mut passages) {
            if possible {
                out.persons = leading_matches(&PERSON_AT, text, starts.as_deref());
            }
        }
        for (k, pattern) in name_patterns().iter().enumerate() {
            for (((text, &possible), starts), out) in texts.iter().zip(&possible).zip(&starts).zip(&mut passages) {
                if possible {
                    out.named[k] = pattern.names(text, starts.as_deref(), out.gates);
                }
            }
        }
        NameMatches { first, passages }
    }
}

/// Speaker attribution state for one document. Every lookup goes through a map, so the
/// cost of a name does not grow with the number of names seen before it.
pub struct Attribution<'a> {
    /// Person key of each taxonomy speaker's name and aliases → the taxonomy's name.
    taxonomy_names: &'a HashMap<String, String>,
    pub speakers: Vec<FoundSpeaker>,
    last: Option<usize>,
    /// The person last named as the subject of a Korean clause, for `그는`.
    last_subject: Option<(String, Option<String>)>,
    /// Person key of every spelling of a speaker → the speaker.
    speaker_keys: HashMap<String, usize>,
    /// First and last word (lower-case) of every spelling of a speaker → the speakers.
    speaker_words: HashMap<String, BTreeSet<usize>>,
    /// People named so far (speakers or not), by person key, with the affiliation given next
    /// to the name: a later `Moon said` or `She added` may refer to them.
    people: HashMap<String, (String, Option<String>)>,
    /// First and last word (lower-case) of a person's name → their person keys.
    people_words: HashMap<String, BTreeSet<String>>,
    /// Mixed-case labels this document uses for turns.
    turn_labels: std::collections::HashSet<String>,
    /// Inside a list of participants (one a line): whether they are speakers.
    pub list_mode: Option<bool>,
    /// Inside a programme table: the columns of people and of affiliations.
    table: Option<(usize, Option<usize>)>,
    /// The person an interview is with: who answers `A:` turns.
    interviewee: Option<usize>,
    /// The document asks its questions on lines opened by a dash (`― 이유는.`), and its
    /// answers are quotations.
    dash_questions: bool,
    /// The first person named in the document: who answers when no one else can.
    first_person: Option<String>,
    /// Spellings the document gives together (`Park Min-ju (박민주)`): person key → the
    /// other spellings, mentions of the same person.
    paired: HashMap<String, Vec<String>>,
    /// Person keys of hosts and reporters seen in turns (`NAME, HOST:`).
    askers: std::collections::HashSet<String>,
    /// The slot attributions to a leader go to (dropped at the end).
    leader: Option<usize>,
    /// Initials of the people named (`MW`, `PMJ`) → their person keys: interview turns
    /// labelled with initials.
    initials: HashMap<String, BTreeSet<String>>,
    /// The rule behind the attribution being made (for `--explain`).
    pub rule: &'static str,
}

/// The rule of the speakers a document's front matter lists.
const FRONT_MATTER: &str = "front matter";

static LEADER_KEYS: LazyLock<std::collections::HashSet<String>> =
    LazyLock::new(|| LEADERS.iter().map(|n| names::person_key(n)).collect());

/// The initials of a name, by words and by words and hyphenated parts: `Park Min-ju` →
/// `PM`, `PMJ`.
fn initials_of(name: &str) -> Vec<String> {
    let by_words: String =
        name.split_whitespace().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect();
    let by_parts: String = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if by_words == by_parts {
        vec![by_words]
    } else {
        vec![by_words, by_parts]
    }
}

/// The first and last word of a name, lower-cased: what a one-word reference may be.
fn end_words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = name.split_whitespace();
    let first = words.next();
    let last = words.next_back();
    // `강 대표는` continues 강하람: a Hangul name's family name counts as a word of it.
    let family = first.filter(|_| last.is_none()).and_then(super::hangul::surname);
    first.into_iter().chain(last).chain(family).map(str::to_lowercase)
}

impl<'a> Attribution<'a> {
    pub fn new(taxonomy_names: &'a HashMap<String, String>) -> Self {
        Attribution {
            taxonomy_names,
            speakers: Vec::new(),
            last: None,
            last_subject: None,
            speaker_keys: HashMap::new(),
            speaker_words: HashMap::new(),
            people: HashMap::new(),
            people_words: HashMap::new(),
            turn_labels: Default::default(),
            list_mode: None,
            table: None,
            interviewee: None,
            dash_questions: false,
            first_person: None,
            paired: HashMap::new(),
            askers: Default::default(),
            leader: None,
            initials: HashMap::new(),
            rule: FRONT_MATTER,
        }
    }

    /// Registers a speaker (or finds them again) and attributes passage `n` to them.
    pub fn add(&mut self, surface: &str, affiliation: Option<String>, passage: Option<usize>) -> usize {
        let surface_key = names::person_key(surface);
        if LEADER_KEYS.contains(&surface_key) {
            // Remembered as a person (a pronoun may still point at him), never a speaker:
            // the attribution is dropped by the caller through `last`.
            return self.leader_slot();
        }
        let name = self.taxonomy_names.get(&surface_key).cloned().unwrap_or_else(|| surface.to_string());
        let key = if name == surface { surface_key.clone() } else { names::person_key(&name) };
        let known = self.speaker_keys.get(&key).or_else(|| self.speaker_keys.get(&surface_key)).copied();
        let idx = known.unwrap_or_else(|| {
            self.speakers.push(FoundSpeaker {
                name: name.clone(),
                mentions: BTreeSet::new(),
                affiliation: None,
                passages: BTreeSet::new(),
                evidence: Vec::new(),
            });
            let idx = self.speakers.len() - 1;
            self.speaker_keys.insert(key, idx);
            for word in end_words(&name) {
                self.speaker_words.entry(word).or_default().insert(idx);
            }
            idx
        });
        // The spellings given with this one (`Park Min-ju (박민주)`) are the same person's.
        for other in self.paired.get(&surface_key).cloned().unwrap_or_default() {
            if self.speakers[idx].mentions.insert(other.clone()) {
                self.speaker_keys.entry(names::person_key(&other)).or_insert(idx);
                for word in end_words(&other) {
                    self.speaker_words.entry(word).or_default().insert(idx);
                }
            }
        }
        let speaker = &mut self.speakers[idx];
        // Registered without a passage, a speaker has no evidence yet: the passage credited
        // to them next brings it (the front matter's list records its own, see
        // `add_listed`).
        if let Some(n) = passage {
            speaker.evidence.push((Some(n), self.rule));
        }
        if !speaker.mentions.contains(surface) && speaker.mentions.insert(surface.to_string()) {
            self.speaker_keys.entry(surface_key).or_insert(idx);
            for word in end_words(surface) {
                self.speaker_words.entry(word).or_default().insert(idx);
            }
        }
        if speaker.affiliation.is_none() {
            speaker.affiliation = affiliation;
        }
        if let Some(n) = passage {
            speaker.passages.insert(n);
        }
        self.last = Some(idx);
        idx
    }

    /// Registers a speaker the front matter lists: the front matter is their evidence.
    pub fn add_listed(&mut self, surface: &str, affiliation: Option<String>) {
        let i = self.add(surface, affiliation, None);
        let evidence = &mut self.speakers[i].evidence;
        if !evidence.contains(&(None, FRONT_MATTER)) {
            evidence.push((None, FRONT_MATTER));
        }
    }

    /// Credits passage `n` to speaker `i` by `rule`.
    fn credit(&mut self, i: usize, n: usize, rule: &'static str) {
        let speaker = &mut self.speakers[i];
        speaker.passages.insert(n);
        speaker.evidence.push((Some(n), rule));
    }

    /// Where attributions to a leader go: a speaker entry that is removed before the
    /// speakers are handed out (see `finish`).
    fn leader_slot(&mut self) -> usize {
        if let Some(i) = self.leader {
            return i;
        }
        self.speakers.push(FoundSpeaker {
            name: String::new(),
            mentions: BTreeSet::new(),
            affiliation: None,
            passages: BTreeSet::new(),
            evidence: Vec::new(),
        });
        self.leader = Some(self.speakers.len() - 1);
        self.speakers.len() - 1
    }

    /// The speakers found, without the leaders' slot.
    pub fn finish(mut self) -> Vec<FoundSpeaker> {
        if let Some(i) = self.leader {
            self.speakers.remove(i);
        }
        self.speakers
    }

    /// A later piece of a long transcript turn: said by whoever said the piece before.
    pub fn continue_turn(&mut self, n: usize) {
        if let Some(i) = self.last {
            self.credit(i, n, "a long turn, continued");
        }
    }

    /// A single word (surname or given name) naming a speaker already seen in the document.
    /// Speakers first, then people named earlier in the document.
    fn by_one_word(&mut self, word: &str) -> Option<usize> {
        let word = word.to_lowercase();
        if let Some(matches) = self.speaker_words.get(&word).filter(|m| !m.is_empty()) {
            return (matches.len() == 1).then(|| *matches.iter().next().expect("one"));
        }
        let keys = self.people_words.get(&word)?;
        if keys.len() != 1 {
            return None;
        }
        let (name, affiliation) = self.people.get(keys.iter().next().expect("one"))?.clone();
        let saved = self.last;
        let i = self.add(&name, affiliation, None);
        self.last = saved;
        Some(i)
    }

    fn remember_person(&mut self, name: &str, affiliation: Option<String>) {
        let key = names::person_key(name);
        // Named again as before: the words, initials and first person are those filed then.
        if self.people.get(&key).is_some_and(|(n, a)| n == name && *a == affiliation) {
            return;
        }
        if self.first_person.is_none() && !LEADER_KEYS.contains(&key) {
            self.first_person = Some(key.clone());
        }
        for initials in initials_of(name) {
            self.initials.entry(initials).or_default().insert(key.clone());
        }
        for word in end_words(name) {
            self.people_words.entry(word).or_default().insert(key.clone());
        }
        self.people.insert(key, (name.to_string(), affiliation));
    }

    /// What the document's turn labels say, read in one pass before its passages: labels
    /// that open two or more passages in mixed case (`Williams:`, `NK Pro:`,
    /// `**Park Min-ju:**`) are the turns of an interview or a transcript, and Korean hosts.
    pub fn learn_labels<'t>(&mut self, passages: impl Iterator<Item = &'t str>) {
        // Korean turns that ask, greet, introduce or thank (`◇ 홍세라> … 와 있습니까?`): a
        // label whose every turn (two or more) does is the host of a programme, no speaker.
        const HOSTING: &[&str] = &[
            "안녕하십니까",
            "고맙습니다",
            "감사합니다",
            "연결돼 있습니다",
            "연결되어 있습니다",
            "나와 계십니다",
            "모셨습니다",
            "모시겠습니다",
            "이었습니다",
            "였습니다",
        ];
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut korean: HashMap<String, (usize, usize)> = HashMap::new();
        for text in passages {
            if let Some(caps) = MIXED_TURN.captures(text) {
                *counts.entry(caps["label"].to_string()).or_default() += 1;
            }
            let Some(caps) = KO_TURN.captures(text) else { continue };
            let Some(label) = ko_turn_label(&caps) else { continue };
            let said = text[caps.get(0).expect("match").end()..].trim_end();
            let hosting = said.ends_with('?') || HOSTING.iter().any(|h| said.contains(h));
            let entry = korean.entry(names::person_key(label.as_str().trim())).or_default();
            entry.0 += 1;
            entry.1 += usize::from(hosting);
        }
        self.turn_labels = counts.into_iter().filter(|(_, c)| *c >= 2).map(|(label, _)| label).collect();
        self.askers.extend(korean.into_iter().filter(|(_, (n, asking))| *n >= 2 && asking == n).map(|(key, _)| key));
    }

    /// Finds the speakers of passage `n`.
    pub fn passage(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan], names: &NameMatches) {
        // A list's head first (`PARTICIPANTS:` looks like a turn), then turns, then the
        // lines of a list.
        if LIST_HEAD.is_match(text) && self.list(n, text, institutions) {
            return;
        }
        if self.turn(n, text, institutions) {
            self.list_mode = None;
            return;
        }
        if self.list(n, text, institutions) {
            return;
        }
        if self.author_line(n, text, institutions) {
            return;
        }
        // (position, name, affiliation, rule)
        let mut found: Vec<(usize, String, Option<String>, &'static str)> = Vec::new();
        // Every person named in the passage, speaking or not.
        let mut named: Vec<(usize, String, Option<String>)> = Vec::new();
        let found_names = &names.passages[n - names.first];
        // Names inside a quotation belong to the quotation, not to the speakers.
        let quoted = quotations(text);
        let in_quote = |pos: usize| quoted.iter().any(|&(a, b)| a <= pos && pos < b);
        for &(start, end) in &found_names.persons {
            if overlaps(institutions, start, end) || in_quote(start) {
                continue;
            }
            if let Some(name) = valid_person(&text[start..end]) {
                let affiliation = affiliation_near(text, start, end, institutions);
                self.remember_person(&name, affiliation.clone());
                named.push((start, name, affiliation));
            }
        }
        // The first person named from `from` on, before the clause ends: whoever is spoken
        // to, after a body and a role if need be (`spoke to Stimson Center fellow Martyn
        // Williams`).
        let spoken_to = |from: usize| -> Option<(usize, usize, String)> {
            let window = &text[from..char_floor(text, from + SPOKE_OBJECT_BYTES)];
            let stop = window.find([',', '.', ';', '(']).map_or(from + window.len(), |i| from + i);
            let window = &text[from..stop];
            let starts = window.char_indices().filter(|&(i, c)| {
                c.is_ascii_uppercase() && window[..i].ends_with(|b: char| b.is_whitespace() || b == '"' || b == '“')
                    || i == 0
            });
            starts.map(|(i, _)| from + i).find_map(|a| {
                if in_quote(a) || institutions.iter().any(|s| s.start <= a && a < s.end) {
                    return None;
                }
                let b = a + NAME_AT.find(&text[a..stop])?.end();
                if overlaps(institutions, a, b) {
                    return None;
                }
                valid_person(&text[a..b]).map(|person| (a, b, person))
            })
        };
        let mut claimed: Vec<(usize, usize)> = Vec::new();
        // Who spoke to a person named: not a speaker, nor any word of the name.
        let mut interviewers: Vec<(usize, usize)> = Vec::new();
        // A name inside a body is the body's (`spoke to Stimson Center fellow …`).
        let in_body = |a: usize, b: usize| institutions.iter().any(|s| s.start <= a && b <= s.end);
        for (NamePattern { re, rule, named, .. }, matches) in name_patterns().into_iter().zip(&found_names.named) {
            for &(mut start, mut end) in matches {
                if named == Named::List {
                    // `panelists included A of B, C and D`: everyone listed speaks.
                    for person in PERSON.find_iter(&text[start..end]) {
                        let (a, b) = (start + person.start(), start + person.end());
                        let taken = overlaps(&claimed, a, b);
                        if taken || in_quote(a) || overlaps(institutions, a, b) {
                            continue;
                        }
                        if let Some(name) = valid_person(person.as_str()) {
                            claimed.push((a, b));
                            let affiliation = affiliation_near(text, a, b, institutions);
                            found.push((a, name, affiliation, rule));
                        }
                    }
                    continue;
                }
                // `spoke to Stimson Center fellow Martyn Williams`: the body first, then the person.
                if std::ptr::eq(re, &SPOKE_TO)
                    && (overlaps(institutions, start, end) || valid_person(&text[start..end]).is_none())
                {
                    let Some((a, b, _)) = spoken_to(start) else { continue };
                    (start, end) = (a, b);
                }
                if overlaps(&claimed, start, end) || in_quote(start) {
                    continue;
                }
                let Some(name) = valid_person(&text[start..end]) else { continue };
                if in_body(start, end) {
                    continue;
                }
                // `Global Tech Weekly spoke with Park Min-ju`, `… spoke to Stimson Center
                // fellow Martyn Williams`: whoever speaks *to* a person named next is the
                // interviewer; the person is the one interviewed.
                if std::ptr::eq(re, &SUBJECT_VERB) {
                    let after = &text[end..char_floor(text, end + SPOKE_VERB_BYTES)];
                    let object = SPOKE_AFTER.find(after).and_then(|after| spoken_to(end + after.end()));
                    if let Some((a, b, person)) = object {
                        interviewers.push((start, end));
                        if !overlaps(&claimed, a, b) {
                            let affiliation = affiliation_near(text, a, b, institutions);
                            claimed.push((a, b));
                            self.interviewee = Some(self.add(&person, affiliation.clone(), None));
                            found.push((a, person, affiliation, SPOKE_TO_RULE));
                        }
                        continue;
                    }
                }
                let affiliation = affiliation_near(text, start, end, institutions);
                claimed.push((start, end));
                if named == Named::Interviewee {
                    self.interviewee = Some(self.add(&name, affiliation.clone(), None));
                }
                found.push((start, name, affiliation, rule));
            }
        }
        // `Park Min-ju (박민주)`, `박민주(Park Min-ju)`: two spellings of one person.
        let paired = text.contains('(') && super::hangul::has_syllable(text);
        for caps in PAIRED_SPELLINGS.captures_iter(if paired { text } else { "" }) {
            let (latin, hangul) = match (caps.name("l1"), caps.name("h1"), caps.name("h2"), caps.name("l2")) {
                (Some(l), Some(h), _, _) | (_, _, Some(h), Some(l)) => (l.as_str(), h.as_str()),
                _ => continue,
            };
            let Some(latin) = valid_person(latin) else { continue };
            for (a, b) in [(&latin, hangul), (&hangul.to_string(), latin.as_str())] {
                let entry = self.paired.entry(names::person_key(a)).or_default();
                if !entry.iter().any(|x| x == b) {
                    entry.push(b.to_string());
                }
            }
        }
        let mut continued: Vec<(usize, usize, &'static str)> = Vec::new();
        // Korean: `이성호 연구위원은 … 말했다`, `이성호는 "…"라고`, `이성호 교수에 따르면`.
        if super::hangul::has_syllable(text) {
            let names = self.taxonomy_names;
            let known = |name: &str| names.contains_key(&names::person_key(name));
            for speaker in korean_speakers(text, institutions, &quoted, &known) {
                let KoreanSpeaker { pos, name, affiliation, surname_only, speaks, subject, pronoun, .. } = speaker;
                if pronoun {
                    // The nearest person named before, in this passage or the ones before.
                    let before = found.iter().filter(|(p, ..)| *p < pos).max_by_key(|(p, ..)| *p);
                    let person =
                        before.map(|(_, n, a, _)| (n.clone(), a.clone())).or_else(|| self.last_subject.clone());
                    if let Some((name, affiliation)) = person.filter(|_| speaks) {
                        let i = self.add(&name, affiliation, None);
                        continued.push((pos, i, "Korean: 그는 … 말했다 (the person named before)"));
                    }
                    continue;
                }
                if subject && !surname_only && !name.is_empty() {
                    self.last_subject = Some((name.clone(), affiliation.clone()));
                }
                if claimed.iter().any(|&(s, e)| s <= pos && pos < e) || in_quote(pos) {
                    continue;
                }
                if !speaks {
                    self.remember_person(&name, affiliation);
                    continue;
                }
                claimed.push((pos, pos + name.len()));
                if surname_only {
                    if let Some(i) = self.by_one_word(&name) {
                        continued.push((pos, i, "Korean: 성 직함은 … (a speaker named before)"));
                    }
                } else if let Some(i) = super::hangul::is_short_name(&name).then(|| self.by_one_word(&name)).flatten() {
                    // `모건 컨설턴트는` after `레이철 모건`: the surname of someone named before,
                    // though it reads as a two-syllable Korean name.
                    continued.push((pos, i, "Korean: 성 직함은 … (a speaker named before)"));
                } else {
                    found.push((pos, name, affiliation, "Korean: 이름 직함은 … 말했다 / 에 따르면"));
                }
            }
        }
        // Pronoun and surname continuations.
        let gates = names.passages[n - names.first].gates;
        let pronouns = if gates.pass(Gates::PRONOUN) { PRONOUN.find_iter(text).collect() } else { Vec::new() };
        for m in pronouns {
            if let Some(last) = self.last_before(&found, &named, m.start()) {
                continued.push((m.start(), last, "pronoun or role continuation (she added, the professor said)"));
            }
        }
        // A lone surname can only continue someone already named.
        let continuations = if self.speakers.is_empty() && self.people.is_empty() {
            Vec::new()
        } else {
            let mut spans = surname_verbs(text);
            spans.extend(name_groups(&QUOTE_SURNAME, text));
            spans
        };
        // The names found before a surname are registered first, for it to continue them:
        // each once, and the one found last again (it is the last one named).
        let mut registered = vec![false; found.len()];
        for (start, end) in continuations {
            if claimed.iter().chain(&interviewers).any(|&(s, e)| s <= start && end <= e) {
                continue;
            }
            let word = &text[start..end];
            if LEADING_STOP.contains(word) || NAME_STOP.contains(word) || CALENDAR.contains(word) {
                continue;
            }
            // Earlier in this passage, or earlier in the document.
            let before: Vec<usize> = (0..found.len()).filter(|&k| found[k].0 < start).collect();
            if let Some((&last, rest)) = before.split_last() {
                for &k in rest {
                    if !registered[k] {
                        self.add(&found[k].1, None, None);
                        registered[k] = true;
                    }
                }
                self.add(&found[last].1, None, None);
                registered[last] = true;
            }
            if let Some(i) = self.by_one_word(word) {
                continued.push((start, i, "surname continuation (Williams also said)"));
            }
        }
        let mut events: Vec<(usize, Event)> =
            found.into_iter().map(|(p, n, a, rule)| (p, Event::Named(n, a, rule))).collect();
        events.extend(continued.into_iter().map(|(p, i, rule)| (p, Event::Known(i, rule))));
        events.sort_by_key(|(p, _)| *p);
        for (_, event) in events {
            match event {
                Event::Named(name, affiliation, rule) => {
                    self.rule = rule;
                    self.add(&name, affiliation, Some(n));
                }
                Event::Known(i, rule) => {
                    self.credit(i, n, rule);
                    self.last = Some(i);
                }
            }
        }
    }

    /// A transcript or interview turn: `NAME:`, `NAME (Org):`, `MS. LEE:`, `NAME, HOST:`,
    /// or a mixed-case label this document uses as one. Returns whether `text` is a turn.
    fn turn(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan]) -> bool {
        // `― 북한이 AI에 공을 들이는 이유는.` then `"…"`: a question, then the answer.
        let hangul = super::hangul::has_syllable(text);
        // `-북한 IT 인력은 어느 정도 규모인가.`: a question after a hyphen, as papers print them.
        let hyphen_question = hangul
            && text
                .strip_prefix(['-', '–'])
                .is_some_and(|t| t.starts_with(|c: char| super::hangul::is_syllable(c) || c.is_ascii_alphabetic()))
            && !text.contains(['"', '“'])
            && (text.ends_with('?')
                || text
                    .strip_suffix('.')
                    .is_some_and(|t| t.ends_with(['가', '나', '까', '냐', '지', '는', '은', '요'])));
        if text.starts_with('―') || hangul && text.starts_with("— ") && text.chars().count() <= 200 || hyphen_question
        {
            self.dash_questions = true;
            return true;
        }
        // `Q. …` then `A. …`, as printed interviews write them.
        if ["Q. ", "Q) ", "문) "].iter().any(|q| text.starts_with(q)) {
            return true;
        }
        if ["A. ", "A) ", "답) "].iter().any(|a| text.starts_with(a)) {
            self.answer(n);
            return true;
        }
        if self.dash_questions && text.starts_with(['"', '“']) {
            self.answer(n);
            return true;
        }
        // The Korean labels hold Hangul; each search for their groups costs an allocation.
        let korean = super::hangul::may_hold_hangul(text).then(|| {
            KO_SOUNDBITE.captures(text).or_else(|| KO_SOUNDBITE_NAMED.captures(text)).or_else(|| KO_TURN.captures(text))
        });
        let caps = if let Some(caps) = korean.flatten() {
            Some(caps)
        } else if is_turn_start(text) {
            TURN_NAME.captures(text)
        } else {
            // `Park Min-joo (National Institute for Unification Education): …` in notes: a
            // label used once is a turn when an institution is given with the name, unless
            // what follows is a question from the floor.
            let asks = text.trim_end().ends_with('?');
            MIXED_TURN.is_match(text).then(|| MIXED_TURN.captures(text)).flatten().filter(|c| {
                let with_institution = c
                    .name("aff")
                    .is_some_and(|a| institutions.iter().any(|s| s.start >= a.start() && s.end <= a.end()));
                let post = c.name("kpost").is_some_and(|p| ko_post_end(p.as_str()).is_some());
                self.turn_labels.contains(&c["label"])
                    || (with_institution || post) && !asks && valid_person(&c["label"]).is_some()
            })
        };
        let Some(caps) = caps else { return false };
        // `[김민정] …`: a bracketed label is a turn only for a person; `[앵커]` and `[기자]`
        // lines are read as prose, for the people they quote.
        if let Some(bracketed) = caps.name("bracketed").or_else(|| caps.name("with_post")) {
            // `[윌리엄스 연구원]`: a name with its post, read below as `윌리엄스 연구원:` is.
            let with_post = bracketed.as_str().rsplit_once(' ').is_some_and(|(_, post)| ko_post_end(post).is_some());
            let key = names::person_key(bracketed.as_str());
            let known = self.people.contains_key(&key) || self.speaker_keys.contains_key(&key);
            if !(super::hangul::is_name(bracketed.as_str()) || known || with_post) {
                return false;
            }
        }
        let Some(label) = ko_turn_label(&caps) else { return false };
        let raw = label.as_str().trim();
        let upper = raw.to_uppercase();
        if matches!(upper.as_str(), "Q" | "QUESTION" | "문" | "질문") {
            return true;
        }
        if matches!(upper.as_str(), "A" | "ANSWER" | "A." | "답" | "답변") {
            self.answer(n);
            return true;
        }
        if KO_ASKERS.contains(&raw) {
            return true;
        }
        // `■ 방송일 : 2025년 9월 17일`: a programme's header, not a person's turn.
        if KO_HEADER_LABELS.contains(&raw) {
            return false;
        }
        // `문채원 앵커:` asks; `김민정 연구위원:` speaks; the post may also come in the label's
        // own group (`[녹취: 캐서린 오코너 교수]`).
        let (raw, post) = match raw.rsplit_once(' ') {
            Some((name, post)) if ko_post_end(post).is_some() || KO_ASKERS.contains(&post) => (name, Some(post)),
            _ => (raw, caps.name("role").map(|r| r.as_str()).filter(|r| ko_post_end(r).is_some())),
        };
        // `▶ 국민대 최성호 정치대학원장:`: the body, then the name and the post. Between the
        // two, a family name and two syllables are a name even when the syllables are rare
        // in names (`▶ 국민대 박휘락 정치대학원장:`).
        // (Only a label of three words: `[녹취: 캐서린 오코너 교수]` is a name of two.)
        let full_name = |w: &str| w.chars().count() >= 3 && super::hangul::split_name(w).is_some();
        let three_words = label.as_str().split_whitespace().count() == 3;
        let (body, raw) = match raw.split_once(' ') {
            Some((body, name)) if three_words && post.is_some() && full_name(name) => {
                let at = label.start();
                let span = institutions.iter().find(|s| s.start < at + body.len() && at < s.end);
                (Some(span.map_or_else(|| clean_institution(body), |s| s.name.clone())), name)
            }
            _ => (None, raw),
        };
        let name_between = body.is_some();
        // `박휘락(이하 박) :`, `국민대 박휘락 정치대학원장(이하 박휘락):`: a parenthesis that gives
        // the short form the transcript calls the label by ("hereafter") is no affiliation,
        // and a short form that begins the name says the label is a person's, even one whose
        // syllables are rare in names.
        let short_form = caps.name("aff").and_then(|a| a.as_str().trim().strip_prefix("이하")).map(str::trim);
        let aliased = short_form.is_some_and(|s| !s.is_empty() && raw.starts_with(s)) && full_name(raw);
        if post.is_some_and(|p| KO_ASKERS.contains(&p) || p == "기자") {
            // A reporter's or anchor's turn: no one's statement, but it may quote people.
            return false;
        }
        let role = caps.name("role").map(|r| r.as_str().trim().to_lowercase());
        // `NAME, HOST:` or `ANCHOR NAME:`: someone who asks or introduces.
        let first_word = raw.split_whitespace().next().unwrap_or("").trim_end_matches('.').to_lowercase();
        let asks =
            role.as_deref().is_some_and(|r| INTERVIEWER_ROLES.iter().any(|x| r.contains(x)) || KO_ASKERS.contains(&r))
                || raw.split_whitespace().count() > 1 && INTERVIEWER_ROLES.iter().any(|x| first_word.starts_with(x));
        let is_org = overlaps(institutions, label.start(), label.end());
        if ANONYMOUS_TURNS.contains(&upper.as_str()) || is_org {
            return true;
        }
        let name = names::tidy_person(raw);
        let key = names::person_key(&name);
        if asks || self.askers.contains(&key) {
            // The host or reporter of a programme asks; they are not a speaker, in this turn
            // or any later one.
            if let Some(name) = valid_person(&name) {
                self.remember_person(&name, None);
            }
            self.askers.insert(key);
            for word in name.split_whitespace() {
                self.askers.insert(names::person_key(word));
            }
            return true;
        }
        let affiliation = caps
            .name("aff")
            .filter(|_| short_form.is_none())
            .map(|a| {
                institutions
                    .iter()
                    .find(|s| s.start >= a.start() && s.end <= a.end())
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| clean_institution(a.as_str()))
            })
            .or(body);
        self.rule = "transcript turn (NAME:)";
        if super::hangul::is_name(raw) || name_between || aliased {
            // `▶ 인터뷰 : 한지원 / 교수 - "…"`, then `그는 …`: the pronoun is the person heard last.
            self.last_subject = Some((raw.to_string(), affiliation.clone()));
            self.add(raw, affiliation, Some(n));
            return true;
        }
        if raw.chars().any(super::hangul::is_syllable) {
            // A Hangul label that is no Korean name: a known or foreign name given with an
            // affiliation (`[마틴 윌리엄스 / 스팀슨센터 : …]`), a surname, or no turn at all
            // (`개인 메모: …`).
            let known = self.taxonomy_names.contains_key(&key)
                || self.paired.contains_key(&key)
                || self.people.contains_key(&key)
                || self.speaker_keys.contains_key(&key);
            let two_words = raw.split_whitespace().count() == 2;
            let given = affiliation.is_some() || post.is_some();
            if known || (two_words && given) || super::hangul::is_short_name(raw) && given {
                self.add(raw, affiliation, Some(n));
                return true;
            }
            if !two_words && !self.askers.contains(&names::person_key(raw)) {
                if let Some(i) = self.by_one_word(raw) {
                    self.credit(i, n, "transcript turn (NAME:)");
                    self.last = Some(i);
                    return true;
                }
            }
            return false;
        }
        if (2..=3).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_uppercase()) {
            // `MW:` — the initials of someone named earlier.
            let person = self.initials.get(raw).filter(|keys| keys.len() == 1).and_then(|keys| keys.iter().next());
            if let Some((name, affiliation)) = person.and_then(|key| self.people.get(key)).cloned() {
                self.add(&name, affiliation, Some(n));
                return true;
            }
        }
        if name.split_whitespace().count() == 1 {
            if let Some(i) = self.by_one_word(&name) {
                self.credit(i, n, "transcript turn (NAME:)");
                self.last = Some(i);
            }
        } else if let Some(name) = valid_person(&name) {
            self.add(&name, affiliation, Some(n));
        }
        true
    }

    /// `조수빈 (통일연구원 북한연구실 연구위원)` on a line of its own: the author of a
    /// report, whose analysis the report is.
    fn author_line(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan]) -> bool {
        // Each form below names its author in Hangul.
        if !super::hangul::may_hold_hangul(text) {
            return false;
        }
        static AUTHOR_LINE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"^(?:필자\s*[:：]?\s*|글\s*[:：]\s*)?(?P<names>\p{Hangul}{2,4}(?:\s*[·,]\s*\p{Hangul}{2,4}){0,3})\s*(?:\((?P<aff>[^()\n]{2,80})\)|[|/]\s*(?P<bar>[^|/\n]{2,80}))$",
            )
            .expect("valid regex")
        });
        // `발행: 통일연구원 | 저자: 윤세린 통일연구원 연구위원 | 2025년 10월`
        static AUTHOR_FIELD: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?:^|[|│]\s*)(?:저자|필자|집필|글쓴이)\s*[:：]\s*(?P<name>\p{Hangul}{2,4})\b(?P<rest>[^|│\n]*)",
            )
            .expect("valid regex")
        });
        if let Some(caps) = AUTHOR_FIELD.captures(text) {
            let (name, rest) = (caps.name("name").expect("group"), caps.name("rest").expect("group"));
            if super::hangul::is_name(name.as_str()) {
                let affiliation = institutions
                    .iter()
                    .find(|s| s.start >= rest.start() && s.end <= rest.end())
                    .map(|s| s.name.clone());
                self.rule = "author line (저자: 이름 소속 직함)";
                self.add(name.as_str(), affiliation.clone(), Some(n));
                // `집필: 표지원 연구위원, 나예원 선임연구원`: co-authors after commas, each with
                // the body named in their part, else the first author's.
                let mut start = rest.start();
                for (k, part) in rest.as_str().split([',', '·', '、']).enumerate() {
                    let end = start + part.len();
                    let own = institutions.iter().find(|s| s.start >= start && s.end <= end).map(|s| s.name.clone());
                    // The next part begins after this one's separator.
                    start = end + text[end..].chars().next().map_or(0, char::len_utf8);
                    if k == 0 {
                        continue;
                    }
                    let Some(other) = part.split_whitespace().next().filter(|w| super::hangul::is_name(w)) else {
                        break;
                    };
                    self.add(other, own.or_else(|| affiliation.clone()), Some(n));
                }
                return true;
            }
        }
        // `선우현정 디지털통일연구소 소장` on a line of its own, under a column's title.
        // Seven words are enough to tell a line of more than six.
        let words: Vec<&str> = text.split_whitespace().take(7).collect();
        if let [name, .., post] = words.as_slice() {
            let whole_post = ko_post_end(post) == Some(post.len()) && !["기자", "앵커", "특파원"].contains(post);
            let plain = words.iter().all(|w| w.chars().all(|c| c.is_alphanumeric() || c == '·'));
            if words.len() <= 6 && whole_post && plain && super::hangul::is_name(name) {
                let affiliation = institutions.first().map(|s| s.name.clone());
                self.rule = "author line (이름 소속 직함)";
                self.add(name, affiliation, Some(n));
                return true;
            }
        }
        let Some(caps) = AUTHOR_LINE.captures(text.trim()) else { return false };
        let names: Vec<&str> = caps["names"].split(['·', ',']).map(str::trim).collect();
        let aff = caps.name("aff").or(caps.name("bar")).expect("one of the groups");
        let offset = text.len() - text.trim_start().len();
        let institution = institutions
            .iter()
            .find(|s| s.start >= offset + aff.start() && s.end <= offset + aff.end())
            .map(|s| s.name.clone());
        let post = holds_post(aff.as_str());
        // `김민정·여은채 | 국가안보전략연구원 신안보연구실`: names, then their body or post.
        if !names.iter().all(|name| super::hangul::is_name(name)) || !(post || institution.is_some()) {
            return false;
        }
        self.rule = "author line (이름 (소속 직함))";
        for name in names {
            self.add(name, institution.clone(), Some(n));
        }
        true
    }

    /// An answer of an interview: said by the person the interview is with.
    fn answer(&mut self, n: usize) {
        let first = match (self.interviewee.or(self.last), self.first_person.clone()) {
            (Some(i), _) => Some(i),
            (None, Some(key)) => self.people.get(&key).cloned().map(|(name, affiliation)| {
                let i = self.add(&name, affiliation, None);
                self.interviewee = Some(i);
                i
            }),
            (None, None) => None,
        };
        if let Some(i) = first {
            self.credit(i, n, "answer turn (A:) of the interviewee");
        }
    }

    /// The people a programme, event summary or transcript lists: `Panelists: X, Senior
    /// Fellow, Y; Z, …`, `Keynote: X (Y)`, or a `PARTICIPANTS:` line followed by one person
    /// a line. Moderators and hosts are remembered (a later `MS. LEE:` may be them), not
    /// made speakers. Returns whether `text` was such a list or list line.
    fn list(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan]) -> bool {
        if let Some(caps) = LIST_HEAD.captures(text) {
            let head = caps["head"].to_lowercase();
            let speaks = !LIST_ASK_HEADS.iter().any(|r| head.starts_with(r) || head.ends_with(r))
                && !ITEM_ASKS.is_match(&caps["rest"]);
            let rest = caps.name("rest").expect("group");
            if rest.as_str().trim().is_empty() {
                self.list_mode = Some(speaks);
                return true;
            }
            self.list_mode = None;
            // Items end at `;`, or at a comma after a closing parenthesis: `A (X), B (Y)`.
            let items = rest.as_str();
            let mut bounds = vec![0];
            for (i, c) in items.char_indices() {
                let after_paren = c == ','
                    && items[..i].trim_end().ends_with(')')
                    && !items.contains(';')
                    && !latin_spelling_before(&items[..i]);
                // `엄기수 통일미래연구소 선임연구위원, 윤채원 이화여자대학교 교수`
                // or `…, 레이철 모건(Rachel Morgan) 미국 사이버정책연구소 선임연구원`: a comma
                // between two people given with their posts.
                let before_name = c == ',' && {
                    let next = &items[i + 1..];
                    let next = &next[..next.find(',').unwrap_or(next.len())];
                    let last = bounds.last().copied().unwrap_or(0);
                    super::hangul::words(next).next().is_some_and(|w| {
                        w.start() <= 1 && (super::hangul::is_name(w.as_str()) || holds_post(&items[last..i]))
                    }) && holds_post(next)
                };
                if c == ';' || after_paren || before_name {
                    bounds.push(i + 1);
                }
            }
            bounds.push(items.len() + 1);
            for pair in bounds.windows(2) {
                let (a, b) = (rest.start() + pair[0], rest.start() + pair[1] - 1);
                if a < b {
                    self.list_item(n, text, a, b, speaks, institutions);
                }
            }
            return true;
        }
        if let Some(row) = self.table_row(n, text, institutions) {
            return row;
        }
        if let Some(speaks) = self.list_mode {
            if text.chars().count() <= 250 && LIST_ITEM.is_match(text) {
                let speaks = speaks && !ITEM_ASKS.is_match(text);
                self.list_item(n, text, 0, text.len(), speaks, institutions);
                return true;
            }
            self.list_mode = None;
        }
        false
    }

    /// A markdown table of a programme: a header row naming a people column (`Speaker`,
    /// `Presenter`, `Name`…) makes each later row's cell in it a speaker, with the
    /// `Affiliation` column as affiliation. Returns `Some` for table rows.
    fn table_row(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan]) -> Option<bool> {
        let line = text.trim();
        if !(line.starts_with('|') && line.ends_with('|')) {
            self.table = None;
            return None;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        if let Some(person) = lower.iter().position(|c| PEOPLE_COLUMN.is_match(c)) {
            let affiliation = lower.iter().position(|c| AFFILIATION_COLUMN.is_match(c));
            self.table = Some((person, affiliation));
            return Some(true);
        }
        let (person, affiliation) = self.table?;
        let cell = cells.get(person).copied().unwrap_or("");
        if cell.is_empty() || cell.chars().all(|c| c == '-' || c == ':') {
            return Some(true);
        }
        let speaks = !ITEM_ASKS.is_match(cell);
        if let Some(m) = LIST_NAME.find(cell) {
            if let Some(name) = valid_person(&names::tidy_person(m.as_str().trim_matches('*'))) {
                let given = affiliation.and_then(|a| cells.get(a)).filter(|a| !a.is_empty()).map(|a| {
                    institutions
                        .iter()
                        .find(|s| text[s.start..s.end].contains(*a) || a.contains(&text[s.start..s.end]))
                        .map(|s| s.name.clone())
                        .unwrap_or_else(|| clean_institution(a))
                });
                if speaks {
                    let saved = self.last;
                    self.rule = "listed as a speaker (programme table)";
                    self.add(&name, given, Some(n));
                    self.last = saved;
                } else {
                    self.remember_person(&name, given);
                }
            }
        }
        Some(true)
    }

    /// One person of a list: the name at the start of `text[start..end]`, the institution
    /// given with it as the affiliation.
    fn list_item(
        &mut self,
        n: usize,
        text: &str,
        start: usize,
        end: usize,
        speaks: bool,
        institutions: &[InstitutionSpan],
    ) {
        let item = &text[start..end];
        let offset = item.len() - item.trim_start_matches(|c: char| c.is_whitespace() || "-*•·".contains(c)).len();
        let (mut a, b) = (start + offset, end);
        // `발제 1: 제목 — 박민주 (국립통일교육원 교수)`: the title first, the person after a dash.
        if let Some(dash) = text[a..b].rfind(" — ").or_else(|| text[a..b].rfind(" – ")) {
            let after = a + dash + " — ".len();
            if hangul_item(&text[after..b], after, institutions).is_some() {
                a = after;
            }
        }
        let item = &text[a..b];
        let (name, name_end) = match hangul_item(item, a, institutions) {
            Some(found) => found,
            None => {
                let Some(m) = LIST_NAME.find(item) else { return };
                match valid_person(&names::tidy_person(m.as_str().trim_matches('*'))) {
                    Some(name) if !name.chars().any(super::hangul::is_syllable) => (name, m.end()),
                    _ => return,
                }
            }
        };
        let affiliation = institutions.iter().find(|s| s.start >= a + name_end && s.end <= b).map(|s| s.name.clone());
        // `출연: 성도윤 기자`: a reporter of the programme, who reports and asks.
        let reporter = text[a + name_end..b].split_whitespace().next().is_some_and(|w| w.starts_with("기자"));
        let speaks = speaks && !reporter;
        if speaks {
            let saved = self.last;
            self.rule = "listed as a speaker (programme, summary or participants)";
            self.add(&name, affiliation, Some(n));
            self.last = saved;
        } else {
            // A moderator or host of the list asks in later turns (`MS. FUJIMORI:`).
            self.askers.insert(names::person_key(&name));
            for word in name.split_whitespace() {
                self.askers.insert(names::person_key(word));
            }
            // `탁현정(이하 탁)>`, then `탁>`: the family name is the asker's too.
            if let Some(family) = super::hangul::surname(&name) {
                self.askers.insert(names::person_key(family));
            }
            self.remember_person(&name, affiliation);
        }
    }

    /// The speaker a pronoun at `pos` refers to: the last named before it in this passage,
    /// else the last speaker of the document so far.
    fn last_before(
        &mut self,
        found: &[(usize, String, Option<String>, &'static str)],
        named: &[(usize, String, Option<String>)],
        pos: usize,
    ) -> Option<usize> {
        let found = found.iter().map(|(p, n, a, _)| (p, n, a));
        let named = named.iter().map(|(p, n, a)| (p, n, a));
        let nearest = found.chain(named).filter(|(p, _, _)| **p < pos).max_by_key(|(p, _, _)| **p);
        if let Some((_, name, affiliation)) = nearest {
            let saved = self.last;
            let i = self.add(name, affiliation.clone(), None);
            self.last = saved;
            return Some(i);
        }
        self.last
    }
}

enum Event {
    Named(String, Option<String>, &'static str),
    Known(usize, &'static str),
}

/// The institution a speaker is tied to next to their name: `X, a … at Y`, `X of Y`,
/// `X (Y)`, `X from Y`, or `Y's X`.
/// Role words that may stand between an institution and a name: `Chainalysis analyst X`.
static ROLE_BEFORE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:(?:senior|chief|principal|lead|head|former)\s+)*(?:{ROLES}|spokesperson|spokesman|spokeswoman)s?$"
    ))
    .expect("valid regex")
});

/// A job title: a role word somewhere in it (`Research Fellow`, `Head of Investigations`).
static ROLE_IN_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)(?-u:\b)(?:{ROLES})(?-u:\b)")).expect("valid regex"));

/// The longest gap between a body and a name that `Y analyst X` reads: three words and
/// their spaces, however long the words.
const ROLE_GAP_BYTES: usize = 120;

fn affiliation_near(text: &str, start: usize, end: usize, institutions: &[InstitutionSpan]) -> Option<String> {
    // `Y's X`
    if let Some(span) = institutions.iter().find(|s| {
        let gap = &text[s.end..start.max(s.end)];
        s.end <= start && (gap == "'s " || gap == "’s " || gap == " " && s.surface.ends_with("'s"))
    }) {
        return Some(span.name.clone());
    }
    // `Y analyst X`, `Y researcher X`: a role word between the institution and the name.
    // (Only a gap a few words long is read: reading every gap before every name made long
    // passages cost the square of their names.)
    if let Some(span) = institutions.iter().find(|s| {
        s.end <= start && start - s.end <= ROLE_GAP_BYTES && {
            let gap = text[s.end..start].trim();
            !gap.is_empty() && gap.split_whitespace().count() <= 3 && ROLE_BEFORE_NAME.is_match(gap)
        }
    }) {
        return Some(span.name.clone());
    }
    // Forward: within the same clause, after a connecting word.
    let after = &text[end..];
    let clause_end = after
        .char_indices()
        .find(|&(i, c)| c == '.' && !after[..i].ends_with(char::is_uppercase) || c == ';' || c == '"' || c == '”')
        .map(|(i, _)| i)
        .unwrap_or(after.len());
    // At most 200 bytes, cut on a character boundary (the text may be Hangul).
    let window = &after[..char_floor(after, clause_end.min(200))];
    let lead = window.trim_start();
    let connects = lead.starts_with(',')
        || lead.starts_with("who heads ")
        || lead.starts_with("who leads ")
        || lead.starts_with('(')
        || lead.starts_with("of ")
        || lead.starts_with("from ")
        || lead.starts_with("at ");
    if !connects {
        return None;
    }
    // An appositive ends at the next comma unless the institution comes before it.
    institutions
        .iter()
        .filter(|s| s.start >= end && s.start < end + window.len())
        .find(|s| {
            let between = &text[end..s.start];
            let commas = between.matches(',').count();
            // `X, Research Fellow, Org`: a title between two commas, then the body.
            let titled = commas == 2 && between.split(',').nth(1).is_some_and(|t| ROLE_IN_TITLE.is_match(t));
            (commas <= 1 || titled) && !between.contains(" said") && !between.contains(" and ")
        })
        .map(|s| s.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn korean(text: &str) -> Vec<(String, bool, bool)> {
        korean_speakers(text, &[], &quotations(text), &|_| false)
            .into_iter()
            .map(|s| (s.name, s.speaks, s.surname_only))
            .collect()
    }

    #[test]
    fn korean_speech_goes_to_the_nearest_subject_before_it() {
        let found = korean("김은별 씨(2021년 탈북)는 경험을 들려줬다. 김 씨는 \"버티기 어렵다\"고 말했다.");
        assert_eq!(found[0], ("김은별".to_string(), true, false), "{found:?}");
        let found = korean("이성호 연구위원은 \"장사하는 사람들은 어렵다\"고 말했다.");
        assert_eq!(found, vec![("이성호".to_string(), true, false)]);
        let found = korean("강 대표의 어머니 윤복순 씨는 함경북도에 산다. 강 대표는 \"꿈\"이라고 했다.");
        assert!(found.iter().any(|(n, speaks, _)| n == "윤복순" && !speaks), "{found:?}");
    }

    #[test]
    fn initials_by_words_and_by_parts() {
        assert_eq!(initials_of("Martyn Williams"), vec!["MW"]);
        assert_eq!(initials_of("Park Min-ju"), vec!["PM", "PMJ"]);
    }

    #[test]
    fn affiliation_windows_cut_on_character_boundaries() {
        // Found by the `document` fuzzer: a 200-byte window ending inside a two-byte character.
        let text = format!("Martyn Williams said, {} of the Stimson Center.", "ÿ".repeat(150));
        let spans = [InstitutionSpan { start: 0, end: 0, surface: String::new(), name: String::new(), rule: "test" }];
        assert_eq!(affiliation_near(&text, 0, "Martyn Williams".len(), &spans[..0]), None);
        let korean = format!("Park Min-ju, {}", "통일교육원 연구위원 ".repeat(30));
        let _ = affiliation_near(&korean, 0, "Park Min-ju".len(), &spans[..0]);
    }

    /// The `name` group of each match, resolved by the regex.
    #[test]
    fn a_leading_name_is_the_name_group() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = Vec::new();
        for dir in ["corpus", "tests/eval", "tests/holdout"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                texts.extend(text.lines().map(str::to_string));
            }
        }
        texts.extend(
            [
                "Dr Park Min-ju said so.",
                "Dr. Kim said so. Mr. Lee Sung Ho (KINU), who studies it, noted that.",
                "Mrs Kim Jong Un Ho Lee said it; John F. Kennedy also said it.",
                "Sean O'Brien, a professor at Seoul National University, argued.",
                "Rachel Minyoung Lee of the Stimson Center, who tracks it, said.",
                "Park Min-ju's view, Lee Sang-yong has pointed out",
                "PANELISTS INCLUDED Park Min-ju of KINU and Martyn Williams.",
            ]
            .map(String::from),
        );
        // A pattern searched only where a name may begin, or only in a text that passes its
        // gate, finds what searching every text whole finds.
        let mut compared = 0;
        for pattern in name_patterns().iter().filter(|p| p.leads.is_some() || p.gate != 0) {
            for text in &texts {
                let expected = name_groups(pattern.re, text);
                let found = pattern.names(text, name_starts(text).as_deref(), Gates::of(text));
                assert_eq!(found, expected, "{}: {text}", pattern.rule);
                compared += expected.len();
            }
        }
        assert!(compared > 200, "the texts name people: {compared}");
        let mut surnames = 0;
        for text in &texts {
            let expected = name_groups(&SURNAME_VERB, text);
            assert_eq!(surname_verbs(text), expected, "{text}");
            surnames += expected.len();
        }
        assert!(surnames > 100, "the texts name people by one word: {surnames}");
    }

    #[test]
    fn every_verb_and_role_holds_a_word_looked_for() {
        for (alternation, gate) in [(VERBS, Gates::VERB), (ROLES, Gates::ROLE)] {
            let alternatives: Vec<&str> = alternation.split('|').collect();
            assert!(alternatives.len() > 30);
            for alternative in alternatives {
                for class in ["s", "z"] {
                    let written = alternative.replace(r"\s+", " ").replace("[sz]", class);
                    let re = Regex::new(&format!("^(?:{alternative})$")).unwrap();
                    assert!(re.is_match(&written), "{alternative} as {written}");
                    assert!(Gates::of(&written).pass(gate), "{alternative} as {written}");
                    // The patterns ask for the words in lower case, and so do the gates.
                    assert!(!Gates::of(&written.to_uppercase()).pass(gate), "{alternative} as {written}");
                }
            }
            // Prose without any of them is skipped.
            assert!(!Gates::of("Kim Jong Un, of Pyongyang, travelled abroad").pass(gate));
        }
    }

    #[test]
    fn each_gate_opens_on_its_own_words_only() {
        let gates = |text: &str| {
            let g = Gates::of(text);
            [Gates::VERB, Gates::ROLE, Gates::PANEL, Gates::PRONOUN].map(|gate| g.pass(gate))
        };
        // [verb, role, panel, pronoun]
        assert_eq!(gates("Lee said so."), [true, false, false, false]);
        // Overlapping: `analy` (of `analy[sz]ed`) ends inside `analyst`, which still opens
        // the role gate (and the pronoun's, `the analyst said`).
        assert_eq!(gates("Lee, an analyst in Seoul"), [true, true, false, true]);
        // Panel words open their gate in any case; the others only as the patterns write them.
        assert_eq!(gates("PANELISTS INCLUDED LEE. SAID. PROFESSOR. HE "), [false, false, true, false]);
        assert_eq!(gates("Panelists included Lee"), [false, false, true, false]);
        // `expert` is a role, a pronoun's noun (`the expert said`) and a panel word.
        assert_eq!(gates("the expert"), [false, true, true, true]);
        assert_eq!(gates("The Expert"), [false, false, true, false]);
        assert_eq!(gates("He left. she left"), [false, false, false, true]);
        assert_eq!(gates("she added that"), [true, false, false, true]);
        assert_eq!(gates("the left"), [false; 4]);
        assert_eq!(gates("Nothing here at all"), [false; 4]);
    }

    /// A sentence a name pattern may match, or nearly: title, name words, what follows the
    /// name, then a verb.
    fn sentence() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::sample::select;
        const WORDS: &[&str] = &[
            "Kim",
            "Jong",
            "Un",
            "O'Brien",
            "Min-ju",
            "McDonald",
            "F.",
            "Lee’s",
            "KINU",
            "the",
            "of",
            "박민주",
            "US",
            "éLee",
            "_Kim",
            "In",
        ];
        (
            select(&["", "Dr ", "Dr. ", "Mr ", "Mrs ", "Prof. ", "When "][..]),
            proptest::collection::vec((select(WORDS), select(&[" ", "  ", "\n", "-", "\u{a0}", "\u{2003}"][..])), 1..6),
            select(
                &[
                    "",
                    " (KINU)",
                    "(KINU)",
                    ", a professor at KINU,",
                    "'s view",
                    "’s assessment",
                    "’s",
                    " of the Stimson Center",
                    " of KINU, who studies it,",
                    ",",
                    " at",
                ][..],
            ),
            select(&["", " also", " has", " then"][..]),
            select(&[" said", " noted", " pointed out", " Said", " argued.", "", ", a senior fellow at"][..]),
        )
            .prop_map(|(title, name, tail, adverb, verb)| {
                let name: String = name.iter().flat_map(|(w, g)| [*w, *g]).collect();
                format!("{title}{}{tail}{adverb}{verb} so", name.trim_end_matches(['-', ' ', '\n']))
            })
    }

    /// Where names may begin, found byte by byte with a branch for each question, as
    /// [`name_starts`] was first written: what its table must agree with.
    fn name_starts_by_branches(text: &str) -> Option<Vec<usize>> {
        let bytes = text.as_bytes();
        let mut starts = Vec::new();
        let mut run_start = 0;
        for (s, &b) in bytes.iter().enumerate() {
            let in_run = b.is_ascii_alphabetic() || matches!(b, b'\'' | b'-' | 0x80..=0xBF | 0xE2);
            if !in_run {
                run_start = s + 1;
            } else if s - run_start > LONGEST_WORD_RUN {
                return None;
            }
            let after_word = s > 0 && (bytes[s - 1].is_ascii_alphanumeric() || bytes[s - 1] == b'_');
            if b.is_ascii_uppercase() && !after_word && may_begin_name(&text[s..]) {
                starts.push(s);
            }
        }
        Some(starts)
    }

    /// A text of words that may or may not begin names, and runs of word characters about
    /// as long as the longest [`name_starts`] allows.
    fn worded_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            "(Dr|Prof|Mr|Mrs|Ms)\\.? ",
            "[A-Z][a-z]{1,8}(-[a-z]{1,5})? ",
            "[A-Z][A-Za-z'’-]{0,3}",
            // Runs of word characters around the longest allowed (ASCII: a byte a character).
            " [a-zA-Z'-]{64,67} ",
            "[a-zA-Z'’-]{30,40}",
            "[ ,.;_0-9\"“”()\u{2013}\u{2014}\u{a0}]{1,3}",
            "[가-힣]{1,3}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #[test]
        fn name_starts_agree_with_a_scan_by_branches(text in worded_text()) {
            proptest::prop_assert_eq!(name_starts(&text), name_starts_by_branches(&text), "{}", text);
        }

        /// Every text a gated pattern matches passes its gate, whatever the case of its
        /// letters: a gate only ever spares a search that would find nothing.
        #[test]
        fn a_gate_never_closes_on_a_match(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "Park Min-ju", " said", " says", ", a professor at KINU", ", an analyst", " he added",
                "She warned", "the expert noted", "panelists included ", "Experts were ",
                "joined by ", "featuring ", "keynote speech by ", "Martyn Williams", " of ", ". ",
                "\"", " and ", "former official ", "research fellow", "spoke", "pointed out", "he noted ", "she said ",
            ]), 1..8),
            flips in proptest::collection::vec(proptest::bool::weighted(0.15), 0..160),
        ) {
            let text: String = pieces.concat().chars().zip(flips.iter().chain(std::iter::repeat(&false))).map(|(c, &flip)| {
                if !flip { c } else if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }
            }).collect();
            let gates = Gates::of(&text);
            for pattern in name_patterns().iter().filter(|p| p.gate != 0) {
                if name_groups(pattern.re, &text).is_empty() {
                    continue;
                }
                proptest::prop_assert!(gates.pass(pattern.gate), "{}: {}", pattern.rule, text);
            }
            if PRONOUN.is_match(&text) {
                proptest::prop_assert!(gates.pass(Gates::PRONOUN), "pronoun: {}", text);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_leading_name_is_the_name_group_of_any_sentence(sentences in proptest::collection::vec(sentence(), 1..4)) {
            let text = sentences.join(". ");
            for pattern in name_patterns().iter().filter(|p| p.leads.is_some()) {
                let starts = name_starts(&text);
                let found = pattern.names(&text, starts.as_deref(), Gates::of(&text));
                proptest::prop_assert_eq!(found, name_groups(pattern.re, &text), "{}", text);
            }
            proptest::prop_assert_eq!(surname_verbs(&text), name_groups(&SURNAME_VERB, &text), "{}", text);
        }
    }

    /// The patterns searched only where a name may begin: each as searched over the whole
    /// text, and as searched anchored.
    fn leading() -> [(&'static Regex, &'static regex_automata::meta::Regex); 3] {
        [(&SUBJECT_VERB, &SUBJECT_VERB_AT), (&APPOSITIVE, &APPOSITIVE_AT), (&PERSON, &PERSON_AT)]
    }

    proptest::proptest! {
        /// Searching only where a name may begin, anchored, finds what searching the whole
        /// text finds, start and end.
        #[test]
        fn anchored_leading_matches_are_those_of_the_whole_text(
            text in "([A-Z][a-z]{0,5}|Dr|Mrs|Prof|O’Brien|Min-ju|J\\.|[ÉéŁ_1a]|US|, a professor at |, who |\\(KINU\\)| of the | said| noted| |\u{a0}|\n|-|\\.|Ab-Ab-Ab-Ab-Ab-Ab-Ab-){1,24}",
        ) {
            let starts = name_starts(&text);
            for (unanchored, anchored) in leading() {
                let expected: Vec<(usize, usize)> = unanchored.find_iter(&text).map(|m| (m.start(), m.end())).collect();
                proptest::prop_assert_eq!(leading_matches(anchored, &text, starts.as_deref()), expected, "{}", text);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn latin_subjects_start_where_unicode_word_boundaries_are(
            text in "([가-힣]{1,2}|[A-Z][a-z]{1,4}|[ÉéŁ_1]|Kim Min|Park-Lee| |-|는 |은 |이\n|가){1,12}",
        ) {
            let unicode = Regex::new(r"\b(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})(?:는|은|이|가)\s").unwrap();
            let expected: Vec<(usize, usize)> = name_groups(&unicode, &text);
            proptest::prop_assert_eq!(latin_subjects(&text), expected, "{}", text);
        }
    }

    #[test]
    fn a_passage_with_a_run_longer_than_any_name_gives_the_matches_of_the_whole_text() {
        let chain = "Ab-".repeat(2_000);
        let text = format!("Park Min-ju said so. {chain}Ab Cd said so. Lee Sung-ho noted it.");
        let starts = name_starts(&text);
        assert!(starts.is_none(), "a run longer than any name sends the passage to an unanchored search");
        for (unanchored, anchored) in leading() {
            let expected: Vec<(usize, usize)> = unanchored.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(leading_matches(anchored, &text, starts.as_deref()), expected);
        }
        assert_eq!(leading_matches(&SUBJECT_VERB_AT, &text, starts.as_deref()).len(), 3);
    }

    #[test]
    fn only_a_name_may_begin_where_a_leading_pattern_is_tried() {
        for text in ["Park Min-ju said", "Sean O’Brien, a fellow", "Dr. Kim", "Ms Lee", "Martyn\u{a0}Williams noted"]
        {
            assert!(may_begin_name(text), "{text}");
        }
        for text in ["The report", "US officials", "In the", "I Said", "Kim, the", "KINU said", "Park\nmin"] {
            assert!(!may_begin_name(text), "{text}");
        }
    }

    #[test]
    fn person_names_are_checked() {
        assert_eq!(valid_person("Dr. Hannah Berger").as_deref(), Some("Hannah Berger"));
        assert_eq!(valid_person("When Park Min-ju").as_deref(), Some("Park Min-ju"));
        assert_eq!(valid_person("North Korea"), None);
        assert_eq!(valid_person("Stimson Center"), None);
        assert_eq!(valid_person("Williams"), None);
    }
}

#[cfg(test)]
mod profile {
    use super::*;

    /// `NKDIGI_PROFILE_DIR=… cargo test --release --lib profile -- --ignored --nocapture`:
    /// the time each attribution pattern takes over the paragraphs of a corpus.
    #[test]
    #[ignore]
    fn time_each_pattern() {
        let Ok(dir) = std::env::var("NKDIGI_PROFILE_DIR") else { return };
        let mut paragraphs = Vec::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            paragraphs.extend(text.split('\n').filter(|p| !p.trim().is_empty()).map(str::to_string));
        }
        // Where names may begin, found once for every pattern, as attribution does.
        let start = std::time::Instant::now();
        let starts: Vec<Option<Vec<usize>>> = paragraphs.iter().map(|p| name_starts(p)).collect();
        let found: usize = starts.iter().flatten().map(Vec::len).sum();
        println!("{:36} {:>8.1} ms {found:>8} starts", "name_starts", start.elapsed().as_secs_f64() * 1000.0);
        // The gates, for every pattern and the pronouns.
        let start = std::time::Instant::now();
        let gates: Vec<Gates> = paragraphs.iter().map(|p| Gates::of(p)).collect();
        let open = gates.iter().filter(|g| g.0 != 0).count();
        println!("{:36} {:>8.1} ms {open:>8} open", "gates", start.elapsed().as_secs_f64() * 1000.0);
        // The name patterns as attribution runs them (a leading name without its groups).
        for pattern in name_patterns() {
            let start = std::time::Instant::now();
            let found: usize = (paragraphs.iter().zip(&starts).zip(&gates))
                .map(|((p, s), g)| pattern.names(p, s.as_deref(), *g).len())
                .sum();
            println!("{:36} {:>8.1} ms {found:>8} matches", pattern.rule, start.elapsed().as_secs_f64() * 1000.0);
        }
        let start = std::time::Instant::now();
        let found: usize =
            paragraphs.iter().zip(&starts).map(|(p, s)| leading_matches(&PERSON_AT, p, s.as_deref()).len()).sum();
        println!("{:36} {:>8.1} ms {found:>8} matches", "PERSON", start.elapsed().as_secs_f64() * 1000.0);
        let patterns: Vec<(&str, &Regex)> = vec![
            ("PRONOUN", &PRONOUN),
            ("SURNAME_VERB", &SURNAME_VERB),
            ("QUOTE_SURNAME", &QUOTE_SURNAME),
            ("PAIRED_SPELLINGS", &PAIRED_SPELLINGS),
            ("LIST_HEAD", &LIST_HEAD),
        ];
        for (name, re) in patterns {
            let start = std::time::Instant::now();
            // Resolving the groups is most of a match's cost, and `count` alone skips it.
            let found: usize =
                paragraphs.iter().map(|p| re.captures_iter(p).filter(|c| c.get(0).is_some()).count()).sum();
            println!("{name:36} {:>8.1} ms {found:>8} matches", start.elapsed().as_secs_f64() * 1000.0);
        }
        let start = std::time::Instant::now();
        let found: usize = paragraphs.iter().map(|p| surname_verbs(p).len()).sum();
        println!("{:36} {:>8.1} ms {found:>8} matches", "surname_verbs", start.elapsed().as_secs_f64() * 1000.0);
        let start = std::time::Instant::now();
        // Only paragraphs with Hangul, as in attribution.
        let korean = paragraphs.iter().filter(|p| p.chars().any(super::super::hangul::is_syllable));
        let n: usize = korean.map(|p| korean_speakers(p, &[], &quotations(p), &|_| false).len()).sum();
        println!("{:36} {:>8.1} ms {n:>8} found", "korean_speakers", start.elapsed().as_secs_f64() * 1000.0);
        assert!(!paragraphs.is_empty());
    }
}
