//! Finding speakers and institutions in a document's passages: attribution patterns,
//! transcript turns, continuation by pronoun or surname, organization names built on head
//! words, and acronyms defined in the document (which win over the taxonomy's).

use super::lexicon::{Entry, Hit};
use super::names;
use super::taxonomy::{InstitutionDef, Taxonomy};
use crate::corpus::passages::is_turn_start;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// Words that make a capitalized phrase an organization name.
const HEADS: &[&str] = &[
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
];

/// `Y at X University`, `X University's Y`: the university of a body named inside it.
static PARENT_UNIVERSITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:at|of)\s+(?:the\s+)?(?P<tail>(?:\p{Lu}[\p{L}'’.-]*\s+){1,4}(?:University|College))\s*$|^(?P<head>(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}University)\s+(?:Institute|School|Center|Centre|College|Graduate|Department|Faculty|Laboratory|Lab|Hospital|Library|Museum)\b)")
        .expect("valid regex")
});

/// The university of an institute named with it (`… at Kyungnam University`,
/// `Kyungnam University Institute for …`): also an institution of the document.
pub fn parent_university(surface: &str) -> Option<&str> {
    let caps = PARENT_UNIVERSITY.captures(surface)?;
    caps.name("tail").or_else(|| caps.name("head")).map(|m| m.as_str().trim())
}

/// Lower-case words allowed inside an organization name.
const CONNECTORS: &[&str] = &["of", "for", "and", "on", "the", "in", "de", "&"];

/// Capitalized words that start sentences or qualify names but are not part of them.
const LEADING_STOP: &[&str] = &[
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
];

/// Words that never occur in a person's name in these reports.
const NAME_STOP: &[&str] = &[
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
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
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
];

/// The country's leaders: named in passing in most reports, and quoted through state
/// media, never the analysts a report conveys.
const LEADERS: &[&str] = &["Kim Jong Un", "Kim Jong Il", "Kim Il Sung", "Kim Yo Jong", "Kim Jong Un's"];

/// Days and months: `… Club on Wednesday` ends at the Club.
const CALENDAR: &[&str] = &[
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
];

/// Transcript labels that are roles, not people.
const ANONYMOUS_TURNS: &[&str] = &[
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
const ROLES: &str = r"professor|researcher|research\s+fellow|fellow|analyst|scholar|expert|economist|director|head|lecturer|specialist|scientist|engineer|chief|dean|adviser|advisor|consultant|author|founder|president|chair|chairman|chairwoman|official|investigator|strategist|associate|manager|partner|editor|observer|commentator";

const VERBS: &str = r"said|says|noted|notes|added|adds|argued|argues|warned|warns|estimated|estimates|analy[sz]ed|analy[sz]es|emphasi[sz]ed|emphasi[sz]es|cautioned|cautions|pointed\s+out|pointed\s+to|points\s+out|points\s+to|explained|explains|observed|observes|stressed|stresses|told|suggested|suggests|predicted|predicts|concluded|concludes|claimed|claims|stated|states|remarked|wrote|writes|described|describes|highlighted|highlights|cited|cites|assessed|assesses|acknowledged|insisted|countered|recalled|urged|presented|mentioned|believes|contended|contends|maintained|maintains|asserted|revealed|indicated|shared|outlined|projected|calculated|reckoned|reckons|answered|replied|responded|agreed|disagreed|testified|elaborated|underscored|underlined|reported\s+that|summarized|summed\s+up|framed|described|characterized|identified|focused|spoke|put\s+it|went\s+on|declared|announced|vowed|admitted|denied|confirmed|disclosed|recommended|proposed|forecast|expects|expected|thinks|told\s+reporters";

const TOKEN: &str = r"[A-Z][A-Za-z]*[a-z](?:['’][A-Z][a-z]+)?(?:-[A-Za-z][a-z]*)*";

static NAME_RE: LazyLock<String> =
    LazyLock::new(|| format!(r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?{TOKEN}(?:\s+(?:[A-Z]\.\s+)?{TOKEN}){{1,3}}"));

/// `NAME [ (…)] [, appositive,] [also] VERB`
static SUBJECT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"\b(?P<name>{name})(?P<paren>\s*\([^)\n]{{1,120}}\))?(?P<appos>,\s+[^,;\n]{{3,160}},|\s+(?:of|from|at|with)\s+(?:the\s+)?[A-Za-z0-9][^,;.\n"“”]{{1,100}}?(?:,\s+(?:who|which)\s+[^,;\n]{{3,120}},)?)?,?\s+(?:also\s+|further\s+|then\s+|later\s+|again\s+|now\s+|still\s+|has\s+|had\s+|have\s+|once\s+)?(?:{VERBS})\b"#,
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

/// Byte ranges of the quotations in `text` (straight or curly double quotes).
fn quotations(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('“', _) => open = Some(i),
            ('”', Some(a)) => {
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

static TURN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\*\*)?(?P<label>[A-Z][A-Z.'\-]*(?:\s+[A-Z][A-Z.'\-]*){0,4})(?:,\s*(?P<role>[A-Za-z][A-Za-z ]{1,30}))?(?:\s*\((?P<aff>[^)\n]{1,120})\))?(?:\*\*)?:",
    )
    .expect("valid regex")
});

/// A mixed-case label at the start of a passage: `Williams:`, `NK Pro:`, `**Park Min-ju:**`,
/// `Jane Doe, host:`. A turn only where the document opens two passages with it.
static MIXED_TURN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\*\*)?(?P<label>\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){0,3})(?:,\s*(?P<role>[A-Za-z][A-Za-z ]{1,30}))?(?:\s*\((?P<aff>[^)\n]{1,120})\))?(?:\*\*)?\s*:(?:\*\*)?\s",
    )
    .expect("valid regex")
});

/// Roles of people who ask or introduce rather than speak.
const INTERVIEWER_ROLES: &[&str] =
    &["host", "byline", "moderat", "anchor", "reporter", "interviewer", "correspondent", "chair", "presenter"];

/// The head of a list of people: `Panelists:`, `Keynote —`, `PARTICIPANTS:`.
static LIST_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[-*•·]\s*)?(?:\*\*)?(?P<head>panel(?:l)?ists?|speakers?|discussants?|presenters?|keynote(?:\s+(?:speakers?|address|speech|remarks))?|participants|guests?|featuring|moderators?|hosts?|chair(?:s|ed by)?|welcoming remarks|opening remarks|closing remarks)(?:\*\*)?(?:,\s*[^:\n]{1,160})?\s*[:—–]\s*(?:\*\*)?\s*(?P<rest>.*)$",
    )
    .expect("valid regex")
});

/// A line of a list of people: a name first, then a comma, dash, parenthesis or colon.
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*•·]\s*)?(?:\*\*)?\p{Lu}[\p{L}.'’\-]*(?:\s+\p{Lu}[\p{L}.'’\-]*){1,3}(?:\*\*)?\s*(?:,|—|–|-|\(|:|\s{2,}|$)")
        .expect("valid regex")
});

/// The name at the start of a list item (upper case allowed: `KIM MIN-JUNG, INSS`).
static LIST_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*)?(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?\p{Lu}[\p{L}'’\-]*(?:\s+(?:\p{Lu}\.\s+)?\p{Lu}[\p{L}'’\-]*){1,3}(?:\*\*)?")
        .expect("valid regex")
});

/// A list item that names a moderator or host.
static ITEM_ASKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:moderator|moderating|moderated|host|hosted|chair|chaired|emcee)\b").expect("valid regex")
});

static ACRONYM_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*(?:the\s+)?(?P<acr>[A-Z][A-Za-z&]{1,9}[A-Z])\s*[),;]").expect("valid regex"));

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}.'’&-]*|&").expect("valid regex"));

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
            let acr = caps.name("acr").expect("group").as_str();
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
        let phrases = if has_head_word(text) { organization_phrases(text) } else { Vec::new() };
        for (start, end) in phrases {
            if overlaps(&spans, start, end) {
                // A longer phrase around a taxonomy match ("Hanyang University's …") keeps the match.
                continue;
            }
            let surface = &text[start..end];
            let name = self.file_under(surface);
            let rule =
                if self.known_institution(surface).is_some() { "gazetteer" } else { "name built on a head word" };
            spans.push(InstitutionSpan { start, end, surface: surface.to_string(), name, rule });
        }
        spans.sort_by_key(|s| s.start);
        spans
    }
}

/// What the extractor learns of one document before reading its passages: the acronyms
/// it defines (found in each passage by one automaton) and, asked once per taxonomy
/// entry, whether it names that entry in full.
pub struct DocumentNames<'t> {
    text: &'t str,
    acronyms: Vec<(String, String)>,
    finder: Option<AhoCorasick>,
    named_in_full: HashMap<usize, bool>,
}

impl<'t> DocumentNames<'t> {
    pub fn new(text: &'t str, acronyms: &HashMap<String, String>) -> Self {
        let mut list: Vec<(String, String)> = acronyms.iter().map(|(a, n)| (a.clone(), n.clone())).collect();
        list.sort();
        let finder = (!list.is_empty())
            .then(|| AhoCorasick::new(list.iter().map(|(a, _)| a.as_str())).expect("acronyms make an automaton"));
        DocumentNames { text, acronyms: list, finder, named_in_full: HashMap::new() }
    }

    fn names_in_full(&mut self, i: usize, def: &InstitutionDef) -> bool {
        let text = self.text;
        *self
            .named_in_full
            .entry(i)
            .or_insert_with(|| std::iter::once(&def.name).chain(&def.aliases).any(|n| text.contains(n.as_str())))
    }
}

fn overlaps(spans: &[InstitutionSpan], start: usize, end: usize) -> bool {
    spans.iter().any(|s| s.start < end && start < s.end)
}

/// `Full Name` before `(ACR)` whose initials spell the acronym (Schwartz–Hearst style).
fn expansion(acr: &str, before: &str) -> Option<String> {
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
    phrase.split_whitespace().any(|w| HEADS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
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
    joined.trim_end_matches(['.', ',', ';', ':']).trim_end_matches("'s").trim_end_matches("’s").to_string()
}

/// Capitalized phrases built on a head word, as byte spans.
fn organization_phrases(text: &str) -> Vec<(usize, usize)> {
    let words: Vec<(usize, usize, &str)> = WORD.find_iter(text).map(|m| (m.start(), m.end(), m.as_str())).collect();
    let is_cap = |w: &str| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) && !w.ends_with("-based");
    let bare = |w: &str| -> String { w.trim_end_matches(['.', ',', ';', ':']).to_string() };
    let possessive = |w: &str| w.ends_with("'s") || w.ends_with("’s");
    // Words separated by punctuation other than spaces do not join.
    let joined = |a: usize, b: usize| -> bool {
        let gap = &text[words[a].1..words[b].0];
        gap.chars().all(|c| c == ' ')
    };
    let mut spans = Vec::new();
    for (i, (_, _, w)) in words.iter().enumerate() {
        let head = bare(w);
        let head = head.trim_end_matches("'s").trim_end_matches("’s");
        if !HEADS.contains(&head) {
            continue;
        }
        // Extend left over capitalized words and inner connectors.
        let mut left = i;
        while left > 0 && joined(left - 1, left) {
            let prev = words[left - 1].2;
            if possessive(prev) || prev.ends_with(['.', ',', ';', ':']) && !prev.ends_with("U.S.") {
                break;
            }
            if is_cap(prev) && !LEADING_STOP.contains(&prev) {
                left -= 1;
            } else if ["and", "&", "de"].contains(&prev)
                && left >= 2
                && joined(left - 2, left - 1)
                && is_cap(words[left - 2].2)
                && !possessive(words[left - 2].2)
                && !HEADS.contains(&bare(words[left - 2].2).as_str())
                && !LEADING_STOP.contains(&words[left - 2].2)
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
                        && !LEADING_STOP.contains(&words[k].2)
                        && !CALENDAR.contains(&bare(words[k].2).as_str())
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
        let trimmed = surface.trim_end_matches(['.', ',', ';', ':']).trim_end_matches("'s").trim_end_matches("’s");
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
fn has_head_word(text: &str) -> bool {
    static HEAD_FINDER: LazyLock<aho_corasick::AhoCorasick> =
        LazyLock::new(|| aho_corasick::AhoCorasick::new(HEADS).expect("head words build an automaton"));
    HEAD_FINDER.is_match(text)
}

/// Whether two capitalized words follow each other (`Park Min-ju`, `Martyn Williams`):
/// without one, no pattern that needs a full name can match.
fn has_capitalized_pair(text: &str) -> bool {
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

/// `and` inside a name continues it ("Ministry of Science and Technology") unless what
/// follows is another organization ("… of Technology and Kim Il Sung University").
fn and_continues(words: &[(usize, usize, &str)], at: usize) -> bool {
    let next_is_cap = words.get(at + 1).is_some_and(|w| w.2.starts_with(char::is_uppercase));
    let run_has_head = words[at + 1..]
        .iter()
        .take_while(|w| w.2.starts_with(char::is_uppercase))
        .any(|w| HEADS.contains(&w.2.trim_end_matches(['.', ',', ';', ':'])));
    next_is_cap && !run_has_head
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
    list_mode: Option<bool>,
    /// The person an interview is with: who answers `A:` turns.
    interviewee: Option<usize>,
    /// Person keys of hosts and reporters seen in turns (`NAME, HOST:`).
    askers: std::collections::HashSet<String>,
    /// The slot attributions to a leader go to (dropped at the end).
    leader: Option<usize>,
    /// The rule behind the attribution being made (for `--explain`).
    pub rule: &'static str,
}

static LEADER_KEYS: LazyLock<std::collections::HashSet<String>> =
    LazyLock::new(|| LEADERS.iter().map(|n| names::person_key(n)).collect());

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
            interviewee: None,
            askers: Default::default(),
            leader: None,
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
        // Pronoun and surname continuations.
        let mut continued: Vec<(usize, usize, &'static str)> = Vec::new();
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
                if LEADING_STOP.contains(&word) || NAME_STOP.contains(&word) {
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
        let caps = if is_turn_start(text) {
            TURN_NAME.captures(text)
        } else {
            MIXED_TURN.captures(text).filter(|c| self.turn_labels.contains(&c["label"]))
        };
        let Some(caps) = caps else { return false };
        let label = caps.name("label").expect("group");
        let raw = label.as_str().trim();
        let upper = raw.to_uppercase();
        if matches!(upper.as_str(), "A" | "ANSWER" | "A." | "답" | "답변") {
            // An answer: said by the person the interview is with.
            if let Some(i) = self.interviewee.or(self.last) {
                self.credit(i, n, "answer turn (A:) of the interviewee");
            }
            return true;
        }
        let role = caps.name("role").map(|r| r.as_str().trim().to_lowercase());
        let asks = role.as_deref().is_some_and(|r| INTERVIEWER_ROLES.iter().any(|x| r.contains(x)));
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
            let speaks = !INTERVIEWER_ROLES.iter().any(|r| head.starts_with(r));
            let rest = caps.name("rest").expect("group");
            if rest.as_str().trim().is_empty() {
                self.list_mode = Some(speaks);
                return true;
            }
            self.list_mode = None;
            let mut start = rest.start();
            for item in rest.as_str().split(';') {
                self.list_item(n, text, start, start + item.len(), speaks, institutions);
                start += item.len() + 1;
            }
            return true;
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
        let Some(name) = valid_person(&names::tidy_person(m.as_str().trim_matches('*'))) else { return };
        let (a, b) = (start + offset, end);
        let affiliation = institutions.iter().find(|s| s.start >= a + m.end() && s.end <= b).map(|s| s.name.clone());
        if speaks {
            let saved = self.last;
            self.rule = "listed as a speaker (programme, summary or participants)";
            self.add(&name, affiliation, Some(n));
            self.last = saved;
        } else {
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
    let rules: [(&Regex, &'static str); 9] = [
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
fn affiliation_near(text: &str, start: usize, end: usize, institutions: &[InstitutionSpan]) -> Option<String> {
    // `Y's X`
    if let Some(span) = institutions.iter().find(|s| {
        let gap = &text[s.end..start.max(s.end)];
        s.end <= start && (gap == "'s " || gap == "’s " || gap == " " && s.surface.ends_with("'s"))
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
            commas <= 1 && !between.contains(" said") && !between.contains(" and ")
        })
        .map(|s| s.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn affiliation_windows_cut_on_character_boundaries() {
        // Found by the `document` fuzzer: a 200-byte window ending inside a two-byte character.
        let text = format!("Martyn Williams said, {} of the Stimson Center.", "ÿ".repeat(150));
        let spans = [InstitutionSpan { start: 0, end: 0, surface: String::new(), name: String::new(), rule: "test" }];
        assert_eq!(affiliation_near(&text, 0, "Martyn Williams".len(), &spans[..0]), None);
        let korean = format!("Park Min-ju, {}", "통일교육원 연구위원 ".repeat(30));
        let _ = affiliation_near(&korean, 0, "Park Min-ju".len(), &spans[..0]);
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

    #[test]
    fn person_names_are_checked() {
        assert_eq!(valid_person("Dr. Hannah Berger").as_deref(), Some("Hannah Berger"));
        assert_eq!(valid_person("When Park Min-ju").as_deref(), Some("Park Min-ju"));
        assert_eq!(valid_person("North Korea"), None);
        assert_eq!(valid_person("Stimson Center"), None);
        assert_eq!(valid_person("Williams"), None);
    }
}
