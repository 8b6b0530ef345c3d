//! The query language of nkdigi, owned by the store: `speaker:`, `institution:` and
//! `topic:` terms of the user's query and the names of the filters are resolved to what
//! the index holds (canonical names through the entity registry, topic ids checked)
//! before the text goes to tantivy's parser with the index's own analyzer.

use super::Store;
use crate::error::Error;
use crate::tagging::names;
use crate::tagging::registry::{Kind, Registry};
use regex::Regex;
use std::cell::OnceCell;
use std::sync::LazyLock;

/// A filter name that matched no entity, with the closest known names.
pub type UnknownName = (String, Vec<String>);

/// A query and filter names as the user typed them.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub query: &'a str,
    pub speakers: &'a [String],
    pub institutions: &'a [String],
    pub topics: &'a [String],
    /// Institutions whose affiliated speakers are wanted.
    pub affiliations: &'a [String],
    /// Match names as spelled, without resolution.
    pub exact: bool,
}

/// The same, resolved to what the index holds. `None`: no such filter.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub query: String,
    pub speakers: Option<Vec<String>>,
    pub institutions: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    pub unknown: Vec<UnknownName>,
}

impl Store {
    /// Resolves the names and topic ids of a query and its filters.
    pub fn resolve(&self, named: Named<'_>) -> Result<Resolved, Error> {
        let state = self.state()?;
        let mut topic_ids: Vec<String> = if state.topics.is_empty() {
            crate::tagging::taxonomy::Taxonomy::builtin().topic_ids().iter().map(|s| s.to_string()).collect()
        } else {
            state.topics.clone()
        };
        // Topics that documents give in front matter count as much as the taxonomy's:
        // what `stats` shows, `--topic` finds.
        if !named.topics.is_empty() || named.query.contains("topic:") {
            for topic in self.topics_in_index()? {
                if !topic_ids.contains(&topic) {
                    topic_ids.push(topic);
                }
            }
        }
        let lookup = Names { store: self, registry: OnceCell::new() };
        for topic in named.topics {
            check_topic(topic, &topic_ids)?;
        }
        let mut unknown = Vec::new();
        let mut ambiguous: Option<String> = None;
        let mut resolve_all = |kind: Kind, values: &[String]| -> Result<Option<Vec<String>>, Error> {
            if values.is_empty() {
                return Ok(None);
            }
            let mut out = Vec::new();
            for value in values {
                let found = lookup.names(kind, value, named.exact)?;
                // `--speaker Kim` where several speakers are named Kim: say who they are.
                let shared = if found.is_empty() && kind == Kind::Speaker && !named.exact {
                    lookup.registry()?.with_surname(value)
                } else {
                    Vec::new()
                };
                if shared.len() > 1 {
                    let who: Vec<&str> = shared.iter().map(|e| e.name.as_str()).collect();
                    ambiguous.get_or_insert_with(|| {
                        format!("--speaker {value} is ambiguous: {}; give the full name", who.join(", "))
                    });
                    continue;
                }
                if found.is_empty() {
                    unknown.push((value.clone(), closest(lookup.registry()?, kind, value)));
                    out.push(value.clone());
                }
                out.extend(found);
            }
            Ok(Some(out))
        };
        let speakers = resolve_all(Kind::Speaker, named.speakers)?;
        let institutions = resolve_all(Kind::Institution, named.institutions)?;
        // `--affiliation ORG`: the speakers affiliated with ORG, resolved like
        // `--institution`; with `--speaker` too, only those of them.
        let speakers = if named.affiliations.is_empty() {
            speakers
        } else {
            let registry = lookup.registry()?;
            let mut affiliated: Vec<String> = Vec::new();
            for org in named.affiliations {
                let orgs: Vec<String> =
                    registry.lookup(Kind::Institution, org).iter().map(|e| e.name.clone()).collect();
                let key = names::institution_key(org);
                let people = registry.entities(Kind::Speaker).iter().filter(|e| {
                    e.affiliation.as_deref().is_some_and(|a| {
                        let filed = registry.institution_name(a).unwrap_or(a);
                        orgs.iter().any(|o| o == filed) || names::institution_key(a) == key
                    })
                });
                affiliated.extend(people.map(|e| e.name.clone()));
            }
            let mut wanted: Vec<String> = match speakers {
                Some(named_speakers) => affiliated.into_iter().filter(|s| named_speakers.contains(s)).collect(),
                None => affiliated,
            };
            if wanted.is_empty() {
                // No one to ask for: a name no speaker has, so that nothing matches.
                wanted.push("\u{0}".into());
            }
            Some(wanted)
        };
        if let Some(message) = ambiguous {
            return Err(Error::Usage(message));
        }
        let topics = (!named.topics.is_empty()).then(|| named.topics.iter().map(|t| t.to_lowercase()).collect());
        let query = rewrite_query(named.query, &lookup, named.exact, &topic_ids)?;
        Ok(Resolved { query, speakers, institutions, topics, unknown })
    }
}

static FIELD_TERM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(speaker|institution|topic):(?:"([^"]*)"|([^\s()"]+))"#).expect("valid regex"));

fn check_topic(topic: &str, known: &[String]) -> Result<(), Error> {
    let topic = topic.to_lowercase();
    if known.contains(&topic) {
        return Ok(());
    }
    let best =
        known.iter().min_by_key(|k| names::edit_distance(k, &topic)).filter(|k| names::edit_distance(k, &topic) <= 2);
    let hint = best.map(|b| format!(" (did you mean {b}?)")).unwrap_or_default();
    Err(Error::Usage(format!("unknown topic {topic:?}{hint}; topics are: {}", known.join(", "))))
}

/// Where the names a query gives are looked up.
trait NameSource {
    /// What a name stands for in the index: the canonical names of the entities it finds
    /// (none when it finds none), or with `exact`, the spelling as given.
    fn names(&self, kind: Kind, value: &str, exact: bool) -> Result<Vec<String>, Error>;
}

impl NameSource for Registry {
    fn names(&self, kind: Kind, value: &str, exact: bool) -> Result<Vec<String>, Error> {
        if exact {
            return Ok(vec![value.trim().to_lowercase()]);
        }
        Ok(self.lookup(kind, value).iter().map(|e| e.name.clone()).collect())
    }
}

/// The names of an index: a name whose key leads to an entity is resolved through that
/// entity's entry, which costs the same however many entities the index holds; anything
/// else (a near-miss, a surname, "did you mean") through the registry, read on first need.
struct Names<'s> {
    store: &'s Store,
    registry: OnceCell<Registry>,
}

impl Names<'_> {
    fn registry(&self) -> Result<&Registry, Error> {
        if let Some(registry) = self.registry.get() {
            return Ok(registry);
        }
        let registry = self.store.registry()?;
        Ok(self.registry.get_or_init(|| registry))
    }
}

impl NameSource for Names<'_> {
    fn names(&self, kind: Kind, value: &str, exact: bool) -> Result<Vec<String>, Error> {
        if exact {
            // The spelling as given: nothing to look up.
            return Registry::default().names(kind, value, exact);
        }
        if let Some(name) = self.store.entity_name(kind, value)? {
            return Ok(vec![name]);
        }
        self.registry()?.names(kind, value, exact)
    }
}

/// Known names closest to an unknown one, for "did you mean".
pub fn closest(registry: &Registry, kind: Kind, value: &str) -> Vec<String> {
    let lower = value.to_lowercase();
    let mut scored: Vec<(usize, &str)> = registry
        .entities(kind)
        .iter()
        .map(|e| (names::edit_distance(&e.name.to_lowercase(), &lower), e.name.as_str()))
        .filter(|(d, name)| *d <= (name.len() / 3).max(3))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
}

/// Rewrites `speaker:` and `institution:` terms to the canonical names the index holds.
fn rewrite_query(query: &str, names: &impl NameSource, exact: bool, topic_ids: &[String]) -> Result<String, Error> {
    // Most queries name no field: the pattern is not even built for them.
    if !query.contains(':') {
        return Ok(query.to_string());
    }
    let mut error = None;
    let rewritten = FIELD_TERM.replace_all(query, |caps: &regex::Captures<'_>| {
        let field = &caps[1];
        let value = caps.get(2).or(caps.get(3)).map(|m| m.as_str()).unwrap_or_default();
        if field == "topic" {
            if let Err(e) = check_topic(value, topic_ids) {
                error.get_or_insert(e);
            }
            return format!("topic:{}", value.to_lowercase());
        }
        let kind = if field == "speaker" { Kind::Speaker } else { Kind::Institution };
        let target = match (exact, kind) {
            (true, Kind::Speaker) => "speaker_mention",
            (true, Kind::Institution) => "institution_mention",
            (false, _) => field,
        };
        let mut found = match names.names(kind, value, exact) {
            Ok(found) => found,
            Err(e) => {
                error.get_or_insert(e);
                Vec::new()
            }
        };
        if found.is_empty() {
            found.push(value.to_string());
        }
        let terms: Vec<String> = found.iter().map(|n| format!("{target}:\"{}\"", n.replace('"', ""))).collect();
        if terms.len() == 1 {
            terms[0].clone()
        } else {
            format!("({})", terms.join(" OR "))
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(rewritten.into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boosts_are_stripped_outside_quotation_marks() {
        assert_eq!(strip_boosts("4G^2 network"), "4G network");
        assert_eq!(strip_boosts("\"mobile network\"^1.5 (a OR b)^3"), "\"mobile network\" (a OR b)");
        assert_eq!(strip_boosts("\"x^2 y\" z^"), "\"x^2 y\" z^");
    }
    use crate::tagging::taxonomy::Taxonomy;

    #[test]
    fn field_terms_become_the_names_and_ids_the_index_holds() {
        let registry = Registry::seeded(&Taxonomy::builtin());
        let topics = vec!["ai".to_string(), "4g".to_string()];
        let query = rewrite_query("speaker:박민주 AND topic:AI", &registry, false, &topics).unwrap();
        assert_eq!(query, "speaker:\"Park Min-ju\" AND topic:ai");
        let query = rewrite_query("speaker:\"Park Min-joo\" 4G", &registry, false, &topics).unwrap();
        assert_eq!(query, "speaker:\"Park Min-ju\" 4G");
        let exact = rewrite_query("speaker:\"Park Min-joo\"", &registry, true, &topics).unwrap();
        assert_eq!(exact, "speaker_mention:\"park min-joo\"");
        assert!(rewrite_query("topic:cyberr", &registry, false, &topics).is_err());
    }

    #[test]
    fn entity_entries_resolve_a_name_as_the_registry_does() {
        use crate::store::{State, WriterOptions};
        use crate::tagging::registry::Entity;
        let mut registry = Registry::seeded(&Taxonomy::builtin());
        let entity = |name: &str, keys: &[String], mentions: &[&str]| Entity {
            name: name.into(),
            keys: keys.iter().cloned().collect(),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
            affiliation: Some("Korea Institute for National Unification".into()),
            taxonomy: false,
            kind: None,
        };
        // Two entities that hold one key: it leads to the first.
        let shared = names::person_key("Kim Min-su");
        registry.speakers.push(entity("Kim Min-su", std::slice::from_ref(&shared), &[]));
        registry.speakers.push(entity("Kim Minsoo", &[shared, names::person_key("Kim Minsoo")], &["Kim Minsoo"]));
        registry.rebuild_maps();

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ix");
        let store = Store::open_or_create(&path).unwrap();
        let writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        writer.commit(&State::default(), &registry).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.verify().unwrap().problems, Vec::<String>::new());

        let mut queries: Vec<(Kind, String)> = Vec::new();
        for kind in [Kind::Speaker, Kind::Institution] {
            for e in registry.entities(kind) {
                queries.extend(std::iter::once(&e.name).chain(&e.mentions).map(|n| (kind, n.clone())));
                // Every entity has an entry that finds it by its own name.
                assert!(store.entity_name(kind, &e.name).unwrap().is_some(), "{}", e.name);
            }
        }
        // Names that no key leads to: a near-miss, a surname, a stranger.
        for name in ["Martyne Williams", "Williams", "Kim", "Nobody Here"] {
            queries.push((Kind::Speaker, name.into()));
            assert_eq!(store.entity_name(Kind::Speaker, name).unwrap(), None);
        }
        assert_eq!(store.entity_name(Kind::Speaker, "Kim Min-su").unwrap().as_deref(), Some("Kim Min-su"));
        let expected: Vec<Vec<String>> = queries.iter().map(|(k, n)| registry.names(*k, n, false).unwrap()).collect();
        let through_entries = Names { store: &store, registry: OnceCell::new() };
        let got: Vec<Vec<String>> = queries.iter().map(|(k, n)| through_entries.names(*k, n, false).unwrap()).collect();
        assert_eq!(got, expected);
        // Only the names no key leads to read the registry.
        let one = Names { store: &store, registry: OnceCell::new() };
        one.names(Kind::Speaker, "Park Min-joo", false).unwrap();
        assert!(one.registry.get().is_none());
        assert_eq!(one.names(Kind::Speaker, "Williams", false).unwrap(), ["Martyn Williams"]);
        assert!(one.registry.get().is_some());

        // An entry that leads a key to another entity than the registry's fails the check,
        // even when the entries are as many as the registry files.
        use crate::store::schema::{entity_term, KIND_ENTITY};
        // (Kim Minsoo's key is Kim Min-su's, which the registry files under Kim Min-su.)
        let key = entity_term(Kind::Speaker, &names::person_key("Kim Minsoo"));
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        let (field, f) = (store.fields.entity_key.unwrap(), store.fields);
        writer.writer.delete_term(tantivy::Term::from_field_text(field, &key));
        let mut stale = tantivy::TantivyDocument::default();
        stale.add_text(f.kind, KIND_ENTITY);
        stale.add_u64(f.n, 0);
        stale.add_u64(f.span, 0);
        stale.add_text(f.registry, "Somebody Else");
        stale.add_text(field, &key);
        writer.writer.add_document(stale).unwrap();
        writer.writer.commit().unwrap();
        drop(writer);
        let store = Store::open(&path).unwrap();
        let problems = store.verify().unwrap().problems;
        assert_eq!(
            problems,
            [format!("entities: key {:?} of \"Kim Min-su\" leads to the entry of \"Somebody Else\"", &key[2..])]
        );

        // An index without entity entries resolves every name through the registry; one
        // whose entries are missing fails its check.
        let mut writer = store.writer(WriterOptions { wait: None, threads: 1, memory_budget: 15_000_000 }).unwrap();
        writer.writer.delete_term(tantivy::Term::from_field_text(store.fields.kind, KIND_ENTITY));
        writer.writer.commit().unwrap();
        drop(writer);
        let mut store = Store::open(&path).unwrap();
        let problems = store.verify().unwrap().problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("entities: 0 entity entries, but the registry files "), "{problems:?}");
        assert!(problems[1].ends_with("leads to no entry"), "{problems:?}");
        store.fields.entity_key = None;
        let through_registry = Names { store: &store, registry: OnceCell::new() };
        let got: Vec<Vec<String>> =
            queries.iter().map(|(k, n)| through_registry.names(*k, n, false).unwrap()).collect();
        assert_eq!(got, expected);
    }
}

/// What is wrong with a query the parser refused, in words: an unbalanced quote or
/// parenthesis, or an operator with nothing on one side.
pub fn explain_syntax(query: &str) -> Option<String> {
    if query.matches('"').count() % 2 == 1 {
        let from = query.rfind('"').unwrap_or(0);
        return Some(format!("unbalanced quote in query: {}", &query[from..]));
    }
    let mut depth = 0i64;
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return Some("unbalanced parenthesis in query: a ')' closes nothing".into());
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Some("unbalanced parenthesis in query: a '(' is not closed".into());
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    let operator = |w: &&str| matches!(*w, "AND" | "OR");
    if words.first().is_some_and(operator) || words.last().is_some_and(operator) {
        return Some("AND and OR need a term on each side".into());
    }
    None
}

/// The query without its boosts (`4G^2`, `"mobile network"^1.5`, `(a OR b)^3`): they
/// weigh documents, and a passage is found by what the query's words are, so `--passages`
/// reads the query without them. Text in quotation marks stays as it is.
pub fn strip_boosts(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut inside = false;
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            inside = !inside;
        }
        if c == '^' && !inside && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(|d| d.is_ascii_digit() || *d == '.') {
                chars.next();
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether a query's words and phrases (the part `clauses` parses) can match only an entry
/// that holds a word of the title or text: a document's, as no other entry holds either.
/// Read from the query's syntax, where a boost is seen through: a field other than the
/// title or text, `*`, a range or a set, or a literal with no word to index, counts as
/// matching other entries too.
pub fn requires_text(query: &str) -> bool {
    use tantivy::query::Occur;
    use tantivy::query_grammar::{UserInputAst, UserInputLeaf};
    fn requires(ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Boost(inner, _) => requires(inner),
            UserInputAst::Leaf(leaf) => match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => {
                    literal.field_name.as_deref().is_none_or(|field| field == "title" || field == "body")
                        && super::analyzer::first_token(&literal.phrase).is_some()
                }
                _ => false,
            },
            UserInputAst::Clause(clauses) => {
                // Clauses without an operator are required: the parser joins words by AND.
                let required = |occur: &Option<Occur>| matches!(occur, None | Some(Occur::Must));
                if clauses.iter().any(|(occur, _)| required(occur)) {
                    return clauses.iter().any(|(occur, clause)| required(occur) && requires(clause));
                }
                let mut optional = clauses.iter().filter(|(occur, _)| *occur == Some(Occur::Should)).peekable();
                optional.peek().is_some() && optional.all(|(_, clause)| requires(clause))
            }
        }
    }
    let (rest, _) = fuzzy_terms(query);
    !rest.is_empty() && requires(&tantivy::query_grammar::parse_query_lenient(&rest).0)
}

/// `koryolnk~1`: a word with an edit distance (0–2) is a fuzzy term. Returns the query
/// without them and the words with their distances; words in quotation marks stay.
pub fn fuzzy_terms(query: &str) -> (String, Vec<(String, u8)>) {
    static FUZZY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:^|\s)(?P<word>[^\s"():~\-][^\s"():~]*)~(?P<n>[0-2])\b"#).expect("valid regex")
    });
    if !query.contains('~') {
        return (query.trim().to_string(), Vec::new());
    }
    let mut quoted = vec![false; query.len() + 1];
    let mut inside = false;
    for (i, c) in query.char_indices() {
        if c == '"' {
            inside = !inside;
        }
        quoted[i] = inside;
    }
    let mut rest = String::with_capacity(query.len());
    let mut fuzzy = Vec::new();
    let mut last = 0;
    for caps in FUZZY.captures_iter(query) {
        let word = caps.name("word").expect("group");
        if quoted[word.start()] {
            continue;
        }
        let whole = caps.get(0).expect("match");
        rest.push_str(&query[last..whole.start()]);
        rest.push(' ');
        last = whole.end();
        fuzzy.push((word.as_str().to_string(), caps["n"].parse().expect("a digit")));
    }
    rest.push_str(&query[last..]);
    (rest.trim().to_string(), fuzzy)
}

#[cfg(test)]
mod syntax_tests {
    use super::*;

    #[test]
    fn bad_queries_are_explained_in_words() {
        assert_eq!(explain_syntax("\"4G").as_deref(), Some("unbalanced quote in query: \"4G"));
        assert!(explain_syntax("(4G network").unwrap().contains("'(' is not closed"));
        assert!(explain_syntax("4G)").unwrap().contains("closes nothing"));
        assert!(explain_syntax("AND 4G").unwrap().contains("AND and OR"));
        assert_eq!(explain_syntax("\"4G network\" OR koryolink"), None);
    }

    #[test]
    fn fuzzy_words_are_taken_out_of_the_query() {
        let (rest, fuzzy) = fuzzy_terms("koryolnk~1 towers \"a~1 b\" speaker:x");
        assert_eq!(fuzzy, vec![("koryolnk".to_string(), 1)]);
        assert_eq!(rest, "towers \"a~1 b\" speaker:x");
        assert_eq!(fuzzy_terms("plain words").1, vec![]);
    }
}
