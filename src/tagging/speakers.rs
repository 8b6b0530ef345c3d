//! Speakers of a document's passages: attribution patterns, transcript and interview
//! turns, lists of panelists, continuation by pronoun, role or surname, and the
//! affiliation given next to a name.

use super::institutions::{clean_institution, InstitutionSpan};
use super::names;
use super::words::{
    ANONYMOUS_TURNS, CALENDAR, HEADS, INTERVIEWER_ROLES, KO_ROLES, KO_VERBS, LEADERS, LEADING_STOP, NAME_STOP, ROLES,
    VERBS,
};
use crate::corpus::turns::{is_turn_start, KO_TURN, MIXED_TURN, TURN_NAME};
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

const TOKEN: &str = r"[A-Z][A-Za-z]*[a-z](?:['’][A-Z][a-z]+)?(?:-[A-Za-z][a-z]*)*";

static NAME_RE: LazyLock<String> =
    LazyLock::new(|| format!(r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?{TOKEN}(?:\s+(?:[A-Z]\.\s+)?{TOKEN}){{1,3}}"));

/// `NAME [ (…)] [, appositive,] [also] VERB`
static SUBJECT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"\b(?P<name>{name})(?P<paren>\s*\([^)\n]{{1,120}}\))?(?P<appos>,\s+[^,;\n]{{3,160}},|\s+(?:of|from|at|with)\s+(?:the\s+)?[A-Za-z0-9][^,;.\n"“”]{{1,100}}?(?:,\s+(?:(?:who|which)\s+[^,;\n]{{3,120}}|[a-z][^,;\n"“”]{{2,80}}),)?)?,?\s+(?:also\s+|further\s+|then\s+|later\s+|again\s+|now\s+|still\s+|has\s+|had\s+|have\s+|once\s+)?(?:{VERBS})\b"#,
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// `"…," said NAME` and `"…," NAME said`.
static QUOTE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"[,.!?]["”’']\s*(?:said|says|added|noted|warned|explained|argued|stressed|observed|remarked|wrote|continued|cautioned|concluded|according\s+to)\s+(?P<name>{name})"#,
        name = *NAME_RE
    ))
    .expect("valid regex")
});

static ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b[Aa]ccording\s+to\s+(?P<name>{name})", name = *NAME_RE)).expect("valid regex")
});

/// `NAME, a professor at …` — an appositive naming a research role.
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<name>{name}),\s+(?:(?:a|an|the)\s+)?(?:[\w.-]+\s+){{0,3}}?(?:{ROLES})\b",
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// Any person's name.
static PERSON: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"\b{}", *NAME_RE)).expect("valid regex"));

/// `a talk by NAME`: the document conveys NAME's work.
static WORK_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:talk|presentation|remarks|lecture|speech|keynote|briefing|testimony|paper|study|analysis|commentary|assessment|address|report|note|post|column|article|op-ed|survey|book)\s+(?:given\s+|delivered\s+|written\s+|published\s+|authored\s+|released\s+)?by\s+(?P<name>{name})",
        name = *NAME_RE
    ))
    .expect("valid regex")
});

/// `Outlet spoke to NAME`, `in an interview with NAME`: the interview is with NAME.
static SPOKE_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:spoke|speaking|talked|talking|sat\s+down)\s+(?:to|with)|interview(?:ed)?\s+(?:with\s+)?)\s*(?P<name>{name})",
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
    Regex::new(&format!(r"\b[Mm]y name is\s+(?P<name>{name})", name = *NAME_RE)).expect("valid regex")
});

/// `panelists included A of B and C`: the people a summary lists as speaking. The group
/// `name` holds the list; each name in it is a speaker.
static PANEL_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:\b(?:panel(?:l)?ists?|experts|speakers|discussants|presenters|participants|keynote\s+speakers?)\s+(?:included|including|were|such\s+as|featured|from\s+[^,.;]{3,60}\s+including)|\bjoined\s+by\s+(?:experts\s+|panel(?:l)?ists\s+)?(?:including\s+)?|\bfeatured\s+(?:presentations\s+by\s+)?|\bkeynote\s+(?:address|speech|remarks)?\s*by\s+)(?P<name>[^.;:]{3,400})",
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
fn korean_speakers(text: &str, institutions: &[InstitutionSpan], known: &dyn Fn(&str) -> bool) -> Vec<KoreanSpeaker> {
    static QUOTED_SPEECH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"["”》』」]\s*(?:이?라고|고|이?라며|며|면서|이?라면서)(?:\s|$)"#).expect("valid regex")
    });
    let reports = KO_VERBS.iter().any(|v| text.contains(v)) || QUOTED_SPEECH.is_match(text);
    let quotes = text.contains(['"', '“', '”', '《']);
    let put_forward = ["토론자로", "발표자로", "발제자로", "연사로", "패널로"].iter().any(|w| text.contains(w));
    let chairs = ["사회는", "사회를", "좌장은", "좌장을", "진행은", "진행을"].iter().any(|w| text.contains(w));
    let mut found = Vec::new();
    let words: Vec<regex::Match> = super::hangul::WORD.find_iter(text).collect();
    let subject_particles = ["은", "는", "이", "가", "도"];
    for (i, word) in words.iter().enumerate() {
        if institutions.iter().any(|s| s.start < word.end() && word.start() < s.end) {
            continue;
        }
        // `고려대 정보보호대학원`: a university's short name, not a person.
        let unit_follows = words.get(i + 1).is_some_and(|n| {
            ["대학원", "연구소", "연구원", "센터", "학부", "학과", "대학"].iter().any(|u| n.as_str().ends_with(u))
        });
        if word.as_str().ends_with('대') && unit_follows {
            continue;
        }
        // The name: one Hangul name, or two words a taxonomy knows, or (before a post) a
        // lone word that may be a surname.
        let mut name_words = 1;
        let (name, particle) = match subject_particles.iter().find_map(|p| {
            word.as_str().strip_suffix(p).filter(|n| super::hangul::is_name(n)).map(|n| (n.to_string(), true))
        }) {
            Some(found) => found,
            None if super::hangul::is_name(word.as_str()) => (word.as_str().to_string(), false),
            None => match (words.get(i + 1), words.get(i + 2)) {
                (Some(next), after)
                    if next.start() == word.end() + 1
                        && (known(&format!("{} {}", word.as_str(), next.as_str()))
                            || after.is_some_and(|a| {
                                foreign_name_before_post(word.as_str(), next.as_str(), a.as_str())
                            })) =>
                {
                    name_words = 2;
                    (format!("{} {}", word.as_str(), next.as_str()), false)
                }
                _ => (word.as_str().to_string(), false),
            },
        };
        let post_follows =
            words.get(i + name_words).is_some_and(|w| KO_ROLES.iter().any(|r| w.as_str().starts_with(r)));
        let full_name =
            name_words == 2 || super::hangul::is_name(&name) || (post_follows && super::hangul::is_short_name(&name));
        let last_word = &words[i + name_words - 1];
        let rest = &text[last_word.end()..];
        let mut speaks = full_name && particle && quotes && reports;
        let mut role_end = None;
        let mut by_post = false;
        if !particle {
            // The post: the next word, or the one after an institution of one or two words.
            for next in words.iter().skip(i + name_words).take(3) {
                let w = next.as_str();
                let institution = institutions.iter().any(|s| s.start < next.end() && next.start() < s.end);
                if institution {
                    continue;
                }
                // The post, perhaps with a rank before it (석좌연구위원, 명예교수): the role
                // word ends the word, or only a particle follows it.
                let role = KO_ROLES.iter().find_map(|r| {
                    let at = w.find(r)?;
                    let prefix = w[..at].chars().count();
                    (prefix <= 2 && w.len() - at - r.len() <= 9).then_some(at + r.len())
                });
                if let Some(role_end_byte) = role {
                    let after = &w[role_end_byte..];
                    let subject = subject_particles.contains(&after) || ["과", "와"].contains(&after);
                    let according = rest.contains("따르면") && after.starts_with('에');
                    let asked_to_chair = chairs && ["가", "이"].contains(&after);
                    speaks = !asked_to_chair && ((subject && (reports || put_forward)) || according);
                    role_end = Some(next.start());
                    by_post = true;
                    break;
                }
                // A reporter's post, or another name before the post: not this word's.
                let university = w.ends_with('대');
                if w.starts_with("기자") || (super::hangul::is_name(w) && !university) {
                    break;
                }
            }
            if full_name && role_end.is_none() && rest.trim_start().starts_with("에 따르면") {
                speaks = true;
            }
        }
        if rest.trim_start().starts_with("기자") || !(full_name || by_post) {
            continue;
        }
        if !(speaks || full_name && by_post) {
            continue;
        }
        let name_start = word.start();
        let affiliation = institutions
            .iter()
            .filter(|s| {
                (s.end <= name_start && name_start - s.end <= 40)
                    || role_end.is_some_and(|r| s.start >= last_word.end() && s.end <= r)
            })
            .max_by_key(|s| s.end)
            .map(|s| s.name.clone());
        found.push(KoreanSpeaker { pos: name_start, name, affiliation, surname_only: !full_name, speaks });
    }
    found
}

/// `클레어 던컨 연구원은`: two Hangul words, neither a Korean name, right before a post and
/// a subject particle: a foreign name written in Hangul.
fn foreign_name_before_post(first: &str, second: &str, post: &str) -> bool {
    let fits = |w: &str| (2..=5).contains(&w.chars().count()) && !super::hangul::is_name(w);
    fits(first)
        && fits(second)
        && KO_ROLES.iter().any(|r| post.strip_prefix(r).is_some_and(|rest| ["은", "는", "이", "가"].contains(&rest)))
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
        r"\b(?P<name>{TOKEN})(?:['’]s\s+(?:view|assessment|analysis|estimate))?\s+(?:also\s+|further\s+|then\s+|later\s+|again\s+)?(?:{VERBS})\b"
    ))
    .expect("valid regex")
});

/// `"…," said Williams.` with a surname only.
static QUOTE_SURNAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r#"[,.!?]["”’']\s*(?:said|says|added|noted|warned|explained|argued)\s+(?P<name>{TOKEN})\b"#))
        .expect("valid regex")
});

/// List heads of people who ask or introduce, not speak.
const LIST_ASK_HEADS: &[&str] = &["moderat", "host", "chair", "사회", "좌장", "전체 사회"];

/// The head of a list of people: `Panelists:`, `Keynote —`, `PARTICIPANTS:`.
static LIST_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[-*•·]\s*)?(?:\*\*|\[)?(?P<head>panel(?:l)?ists?|panel|speakers?|discussants?|presenters?|keynote(?:\s+(?:speakers?|address|speech|remarks))?|participants|guests?|featuring|moderators?|hosts?|chair(?:s|ed by)?|welcoming remarks|opening remarks|closing remarks|(?:[^:\n]{1,16}\s)?(?:발표자?|발제자?|토론자?|패널|기조연설자?|연사|참석자|사회자?|좌장))(?:\*\*)?(?:,\s*[^:\n]{1,160})?(?:\s*[:—–]|\]|\s*$)\s*(?:\*\*)?\s*(?P<rest>.*)$",
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
    Regex::new(r"(?i)\b(?:moderator|moderating|moderated|host|hosted|chair|chaired|emcee)\b").expect("valid regex")
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
        if LEADING_STOP.contains(&first.trim_end_matches('.')) {
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
        NAME_STOP.contains(&t)
            || CALENDAR.contains(&t)
            || HEADS.contains(&t)
            || LEADING_STOP.contains(&t)
            || t.contains(['’', '\'']) && t.ends_with('s')
    }) {
        return None;
    }
    Some(names::tidy_person(&tokens.join(" ")))
}

/// Speaker attribution state for one document. Every lookup goes through a map, so the
/// cost of a name does not grow with the number of names seen before it.
pub struct Attribution<'a> {
    /// Person key of each taxonomy speaker's name and aliases → the taxonomy's name.
    taxonomy_names: &'a HashMap<String, String>,
    pub speakers: Vec<FoundSpeaker>,
    last: Option<usize>,
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
    first.into_iter().chain(last).map(str::to_lowercase)
}

impl<'a> Attribution<'a> {
    pub fn new(taxonomy_names: &'a HashMap<String, String>) -> Self {
        Attribution {
            taxonomy_names,
            speakers: Vec::new(),
            last: None,
            speaker_keys: HashMap::new(),
            speaker_words: HashMap::new(),
            people: HashMap::new(),
            people_words: HashMap::new(),
            turn_labels: Default::default(),
            list_mode: None,
            table: None,
            interviewee: None,
            first_person: None,
            paired: HashMap::new(),
            askers: Default::default(),
            leader: None,
            initials: HashMap::new(),
            rule: "front matter",
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
        if passage.is_some() || speaker.evidence.is_empty() {
            speaker.evidence.push((passage, self.rule));
        }
        if speaker.mentions.insert(surface.to_string()) {
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

    /// Labels that open two or more passages in mixed case (`Williams:`, `NK Pro:`,
    /// `**Park Min-ju:**`): the turns of an interview or a transcript in this document.
    pub fn learn_turn_labels<'t>(&mut self, passages: impl Iterator<Item = &'t str>) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for text in passages {
            if let Some(caps) = MIXED_TURN.captures(text) {
                *counts.entry(caps["label"].to_string()).or_default() += 1;
            }
        }
        self.turn_labels = counts.into_iter().filter(|(_, c)| *c >= 2).map(|(label, _)| label).collect();
    }

    /// Finds the speakers of passage `n`.
    pub fn passage(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan]) {
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
        // (position, name, affiliation, rule)
        let mut found: Vec<(usize, String, Option<String>, &'static str)> = Vec::new();
        // Every person named in the passage, speaking or not.
        let mut named: Vec<(usize, String, Option<String>)> = Vec::new();
        // Every pattern below but the continuations needs a name of two capitalized words.
        let names_possible = has_capitalized_pair(text);
        // Names inside a quotation belong to the quotation, not to the speakers.
        let quoted = quotations(text);
        let in_quote = |pos: usize| quoted.iter().any(|&(a, b)| a <= pos && pos < b);
        let persons = if names_possible { PERSON.find_iter(text).collect() } else { Vec::new() };
        for m in persons {
            if institutions.iter().any(|s| s.start < m.end() && m.start() < s.end) || in_quote(m.start()) {
                continue;
            }
            if let Some(name) = valid_person(m.as_str()) {
                let affiliation = affiliation_near(text, m.start(), m.end(), institutions);
                self.remember_person(&name, affiliation.clone());
                named.push((m.start(), name, affiliation));
            }
        }
        let mut claimed: Vec<(usize, usize)> = Vec::new();
        let name_patterns: &[&Regex] = if names_possible {
            &[
                &SUBJECT_VERB,
                &QUOTE_FIRST,
                &QUOTE_DASH,
                &SAID_NAME,
                &ACCORDING,
                &APPOSITIVE,
                &WORK_BY,
                &SPOKE_TO,
                &MY_NAME,
                &PANEL_PROSE,
            ]
        } else {
            &[]
        };
        for re in name_patterns {
            for caps in re.captures_iter(text) {
                let m = caps.name("name").expect("group");
                if std::ptr::eq(*re, &*PANEL_PROSE) {
                    // `panelists included A of B, C and D`: everyone listed speaks.
                    for person in PERSON.find_iter(m.as_str()) {
                        let (a, b) = (m.start() + person.start(), m.start() + person.end());
                        let taken = claimed.iter().any(|&(s, e)| s < b && a < e);
                        if taken || in_quote(a) || institutions.iter().any(|s| s.start < b && a < s.end) {
                            continue;
                        }
                        if let Some(name) = valid_person(person.as_str()) {
                            claimed.push((a, b));
                            let affiliation = affiliation_near(text, a, b, institutions);
                            found.push((a, name, affiliation, rule_of(re)));
                        }
                    }
                    continue;
                }
                if claimed.iter().any(|&(s, e)| s < m.end() && m.start() < e) || in_quote(m.start()) {
                    continue;
                }
                let Some(name) = valid_person(m.as_str()) else { continue };
                if institutions.iter().any(|s| s.start <= m.start() && m.end() <= s.end) {
                    continue;
                }
                let affiliation = affiliation_near(text, m.start(), m.end(), institutions);
                claimed.push((m.start(), m.end()));
                if std::ptr::eq(*re, &*SPOKE_TO) || std::ptr::eq(*re, &*MY_NAME) {
                    self.interviewee = Some(self.add(&name, affiliation.clone(), None));
                }
                found.push((m.start(), name, affiliation, rule_of(re)));
            }
        }
        // `Park Min-ju (박민주)`, `박민주(Park Min-ju)`: two spellings of one person.
        for caps in PAIRED_SPELLINGS.captures_iter(text) {
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
        if text.chars().any(super::hangul::is_syllable) {
            let names = self.taxonomy_names;
            let known = |name: &str| names.contains_key(&names::person_key(name));
            for speaker in korean_speakers(text, institutions, &known) {
                let KoreanSpeaker { pos, name, affiliation, surname_only, speaks } = speaker;
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
                } else {
                    found.push((pos, name, affiliation, "Korean: 이름 직함은 … 말했다 / 에 따르면"));
                }
            }
        }
        // Pronoun and surname continuations.
        for m in PRONOUN.find_iter(text) {
            if let Some(last) = self.last_before(&found, &named, m.start()) {
                continued.push((m.start(), last, "pronoun or role continuation (she added, the professor said)"));
            }
        }
        // A lone surname can only continue someone already named.
        let continuations: &[&Regex] =
            if self.speakers.is_empty() && self.people.is_empty() { &[] } else { &[&SURNAME_VERB, &QUOTE_SURNAME] };
        for re in continuations {
            for caps in re.captures_iter(text) {
                let m = caps.name("name").expect("group");
                if claimed.iter().any(|&(s, e)| s <= m.start() && m.end() <= e) {
                    continue;
                }
                let word = m.as_str();
                if LEADING_STOP.contains(&word) || NAME_STOP.contains(&word) || CALENDAR.contains(&word) {
                    continue;
                }
                // Earlier in this passage, or earlier in the document.
                let here =
                    found.iter().filter(|(p, ..)| *p < m.start()).map(|(_, n, ..)| n.clone()).collect::<Vec<_>>();
                for name in here {
                    self.add(&name, None, None);
                }
                if let Some(i) = self.by_one_word(word) {
                    continued.push((m.start(), i, "surname continuation (Williams also said)"));
                }
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
        let caps = if let Some(caps) = KO_TURN.captures(text) {
            Some(caps)
        } else if is_turn_start(text) {
            TURN_NAME.captures(text)
        } else {
            MIXED_TURN.captures(text).filter(|c| self.turn_labels.contains(&c["label"]))
        };
        let Some(caps) = caps else { return false };
        let label = caps.name("label").expect("group");
        let raw = label.as_str().trim();
        let upper = raw.to_uppercase();
        if matches!(upper.as_str(), "Q" | "QUESTION" | "문" | "질문") {
            return true;
        }
        if matches!(upper.as_str(), "A" | "ANSWER" | "A." | "답" | "답변") {
            // An answer: said by the person the interview is with.
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
            return true;
        }
        let role = caps.name("role").map(|r| r.as_str().trim().to_lowercase());
        // `NAME, HOST:` or `ANCHOR NAME:`: someone who asks or introduces.
        let first_word = raw.split_whitespace().next().unwrap_or("").trim_end_matches('.').to_lowercase();
        let asks = role.as_deref().is_some_and(|r| INTERVIEWER_ROLES.iter().any(|x| r.contains(x)))
            || raw.split_whitespace().count() > 1 && INTERVIEWER_ROLES.iter().any(|x| first_word.starts_with(x));
        let is_org = institutions.iter().any(|s| s.start < label.end() && label.start() < s.end);
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
        let affiliation = caps.name("aff").map(|a| {
            institutions
                .iter()
                .find(|s| s.start >= a.start() && s.end <= a.end())
                .map(|s| s.name.clone())
                .unwrap_or_else(|| clean_institution(a.as_str()))
        });
        self.rule = "transcript turn (NAME:)";
        if super::hangul::is_name(raw) {
            self.add(raw, affiliation, Some(n));
            return true;
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

    /// The people a programme, event summary or transcript lists: `Panelists: X, Senior
    /// Fellow, Y; Z, …`, `Keynote: X (Y)`, or a `PARTICIPANTS:` line followed by one person
    /// a line. Moderators and hosts are remembered (a later `MS. LEE:` may be them), not
    /// made speakers. Returns whether `text` was such a list or list line.
    fn list(&mut self, n: usize, text: &str, institutions: &[InstitutionSpan]) -> bool {
        if let Some(caps) = LIST_HEAD.captures(text) {
            let head = caps["head"].to_lowercase();
            let speaks = !LIST_ASK_HEADS.iter().any(|r| head.starts_with(r)) && !ITEM_ASKS.is_match(&caps["rest"]);
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
                let after_paren = c == ',' && items[..i].trim_end().ends_with(')') && !items.contains(';');
                if c == ';' || after_paren {
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
        let item = &text[start + offset..end];
        let Some(m) = LIST_NAME.find(item) else { return };
        let first = m.as_str().trim_matches('*').split(|c: char| c.is_whitespace() || "(,·".contains(c)).next();
        let name = match first.filter(|w| super::hangul::is_name(w)) {
            Some(hangul) => hangul.to_string(),
            None => match valid_person(&names::tidy_person(m.as_str().trim_matches('*'))) {
                Some(name) => name,
                None => return,
            },
        };
        let (a, b) = (start + offset, end);
        let affiliation = institutions.iter().find(|s| s.start >= a + m.end() && s.end <= b).map(|s| s.name.clone());
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

/// The rule a name pattern stands for, in words (for `--explain`).
fn rule_of(re: &Regex) -> &'static str {
    let rules: [(&Regex, &'static str); 10] = [
        (&QUOTE_DASH, "\"…\" — X, Title"),
        (&SUBJECT_VERB, "X said / noted / warned…"),
        (&QUOTE_FIRST, "\"…,\" said X"),
        (&SAID_NAME, "…, said X"),
        (&ACCORDING, "according to X"),
        (&APPOSITIVE, "X, a <role> at Y"),
        (&WORK_BY, "a talk / report / study by X"),
        (&SPOKE_TO, "Outlet spoke to X / interview with X"),
        (&MY_NAME, "My name is X"),
        (&PANEL_PROSE, "panelists included X"),
    ];
    rules.iter().find(|(r, _)| std::ptr::eq(*r, re)).map(|(_, rule)| *rule).unwrap_or("attribution")
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
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:{ROLES})\b")).expect("valid regex"));

fn affiliation_near(text: &str, start: usize, end: usize, institutions: &[InstitutionSpan]) -> Option<String> {
    // `Y's X`
    if let Some(span) = institutions.iter().find(|s| {
        let gap = &text[s.end..start.max(s.end)];
        s.end <= start && (gap == "'s " || gap == "’s " || gap == " " && s.surface.ends_with("'s"))
    }) {
        return Some(span.name.clone());
    }
    // `Y analyst X`, `Y researcher X`: a role word between the institution and the name.
    if let Some(span) = institutions.iter().find(|s| {
        s.end <= start && {
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
    let mut clause_end = clause_end.min(200);
    while !after.is_char_boundary(clause_end) {
        clause_end -= 1;
    }
    let window = &after[..clause_end];
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

    #[test]
    fn person_names_are_checked() {
        assert_eq!(valid_person("Dr. Hannah Berger").as_deref(), Some("Hannah Berger"));
        assert_eq!(valid_person("When Park Min-ju").as_deref(), Some("Park Min-ju"));
        assert_eq!(valid_person("North Korea"), None);
        assert_eq!(valid_person("Stimson Center"), None);
        assert_eq!(valid_person("Williams"), None);
    }
}
