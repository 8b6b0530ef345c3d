//! Tagging evaluation: precision, recall and F1 for speakers, institutions and topics over
//! the hand-labelled reports in tests/eval/. Fails below 0.9 F1 on any kind.
//!
//! A predicted entity matches a label when the label equals (ignoring case) the entity's
//! canonical name or a spelling the document used. Each label matches at most one entity.

use nkdigi::commands::index::to_document;
use nkdigi::corpus;
use nkdigi::tagging::names::{institution_key, person_key};
use nkdigi::tagging::registry::Registry;
use nkdigi::tagging::taxonomy::Taxonomy;
use nkdigi::tagging::Tagger;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Deserialize)]
struct Labels {
    files: BTreeMap<String, FileLabels>,
    /// The same person spelled differently in different files: one entity each.
    #[serde(default)]
    identities: Vec<Vec<IdentityMention>>,
}

#[derive(Debug, Deserialize)]
struct IdentityMention {
    file: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct FileLabels {
    #[serde(default)]
    speakers: Vec<SpeakerLabel>,
    #[serde(default)]
    institutions: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    /// Paragraphs and turns a reader sees.
    passages: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct SpeakerLabel {
    name: String,
    #[allow(dead_code)]
    affiliation: Option<String>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Matches labels to predictions (each prediction is a set of acceptable spellings).
/// Returns the score and the unmatched items for the report.
fn score(
    labels: &[String],
    predictions: &[Vec<String>],
    norm: fn(&str) -> String,
) -> (Score, Vec<String>, Vec<String>) {
    let mut used = vec![false; predictions.len()];
    let mut missed = Vec::new();
    let mut tp = 0;
    for label in labels {
        let want = norm(label);
        match predictions
            .iter()
            .enumerate()
            .position(|(i, spellings)| !used[i] && spellings.iter().any(|s| norm(s) == want))
        {
            Some(i) => {
                used[i] = true;
                tp += 1;
            }
            None => missed.push(label.clone()),
        }
    }
    let extra: Vec<String> = predictions.iter().zip(&used).filter(|(_, u)| !**u).map(|(p, _)| p[0].clone()).collect();
    (Score { tp, fp: extra.len(), fn_: missed.len() }, missed, extra)
}

fn person_norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// People match by spelling or by name key: a label in Hangul finds its romanization.
fn person_match(s: &str) -> String {
    person_key(s)
}

/// Institutions match by name key, with the country Korean writes before a body left off,
/// as the labels write them (`미국 연방수사국` is labelled `연방수사국`).
fn institution_norm(s: &str) -> String {
    let s = s.trim();
    let s = ["미국 ", "미 ", "美 "].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s);
    institution_key(s)
}

/// What one labelled folder scored.
struct Evaluation {
    totals: [Score; 3],
    report: String,
    files: usize,
    /// Files whose passage count matched the label, of those labelled.
    passages: (usize, usize),
    /// Identity groups resolved to one entity, of those labelled.
    identities: (usize, usize),
}

/// Scores the tagger on one labelled folder: totals per kind, and a report of misses.
/// Names are resolved through one registry in file order, as one `index` run would.
fn evaluate(folder: &str) -> Evaluation {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let text = std::fs::read_to_string(dir.join("labels.yaml")).unwrap();
    let labels: Labels = nkdigi::yaml::parse(&text).expect("labels.yaml parses");
    let taxonomy = Taxonomy::builtin();
    let tagger = Tagger::new(taxonomy.clone());
    let mut registry = Registry::seeded(&taxonomy);
    let mut totals = [Score::default(); 3];
    let mut report = String::new();
    let mut passages = (0, 0);
    // file → (spelling → canonical name) of its speakers.
    let mut resolved: BTreeMap<String, Vec<(Vec<String>, String)>> = BTreeMap::new();
    for (file, want) in &labels.files {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let parsed = corpus::parse_bytes(file, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let tags = tagger.tag(&parsed);
        let doc = to_document(file.clone(), file, parsed.clone(), &tags, &mut registry);
        resolved.insert(
            file.clone(),
            doc.speakers
                .iter()
                .map(|s| (std::iter::once(s.name.clone()).chain(s.mentions.iter().cloned()).collect(), s.name.clone()))
                .collect(),
        );
        if let Some(expected) = want.passages {
            passages.1 += 1;
            if expected == parsed.passages.len() {
                passages.0 += 1;
            } else {
                report.push_str(&format!("{file} passages: {} (labelled {expected})\n", parsed.passages.len()));
            }
        }
        let speakers: Vec<Vec<String>> = tags
            .speakers
            .iter()
            .map(|s| std::iter::once(s.name.clone()).chain(s.mentions.iter().cloned()).collect())
            .collect();
        let institutions: Vec<Vec<String>> = tags
            .institutions
            .iter()
            .map(|i| std::iter::once(i.name.clone()).chain(i.mentions.iter().cloned()).collect())
            .collect();
        let topics: Vec<Vec<String>> = tags.topics.iter().map(|t| vec![t.clone()]).collect();
        let speaker_labels: Vec<String> = want.speakers.iter().map(|s| s.name.clone()).collect();
        let results = [
            score(&speaker_labels, &speakers, person_match),
            score(&want.institutions, &institutions, institution_norm),
            score(&want.topics, &topics, person_norm),
        ];
        for (kind, (_, missed, extra)) in KINDS.iter().zip(&results) {
            if !missed.is_empty() || !extra.is_empty() {
                report.push_str(&format!("{file} {kind}: missed {missed:?} extra {extra:?}\n"));
            }
        }
        // Why each extra is there, as `--explain` says it.
        let explanation = nkdigi::commands::explain::explain(&doc, &parsed, &tags);
        for (extras, explained) in [(&results[0].2, &explanation.speakers), (&results[1].2, &explanation.institutions)]
        {
            for tag in explained.iter().filter(|t| extras.contains(&t.name)) {
                for e in &tag.evidence {
                    let place = e.passage.map(|n| format!("¶{n}")).unwrap_or_else(|| "—".into());
                    report.push_str(&format!("    {} {place} {}: {}\n", tag.name, e.rule, e.text));
                }
            }
        }
        for (total, (s, _, _)) in totals.iter_mut().zip(&results) {
            total.tp += s.tp;
            total.fp += s.fp;
            total.fn_ += s.fn_;
        }
    }
    let mut identities = (0, labels.identities.len());
    for group in &labels.identities {
        let canonical: BTreeSet<Option<&String>> = group
            .iter()
            .map(|m| {
                resolved.get(&m.file).and_then(|speakers| {
                    speakers
                        .iter()
                        .find(|(spellings, _)| spellings.iter().any(|s| person_key(s) == person_key(&m.name)))
                        .map(|(_, name)| name)
                })
            })
            .collect();
        if canonical.len() == 1 && !canonical.contains(&None) {
            identities.0 += 1;
        } else {
            let names: Vec<String> = group.iter().map(|m| format!("{}:{}", m.file, m.name)).collect();
            report.push_str(&format!("identity not resolved to one entity: {names:?} → {canonical:?}\n"));
        }
    }
    Evaluation { totals, report, files: labels.files.len(), passages, identities }
}

const KINDS: [&str; 3] = ["speakers", "institutions", "topics"];

fn print_table(title: &str, e: &Evaluation) {
    println!("{title}\n{}", e.report);
    println!("kind          precision  recall     F1   (tp/fp/fn)");
    for (kind, s) in KINDS.iter().zip(&e.totals) {
        println!(
            "{kind:<13} {:>9.3} {:>7.3} {:>6.3}   ({}/{}/{})",
            s.precision(),
            s.recall(),
            s.f1(),
            s.tp,
            s.fp,
            s.fn_
        );
    }
    println!("passage counts right: {}/{}", e.passages.0, e.passages.1);
    println!("identities resolved: {}/{}", e.identities.0, e.identities.1);
}

fn assert_f1(name: &str, e: &Evaluation) {
    for (kind, s) in KINDS.iter().zip(&e.totals) {
        assert!(s.f1() >= 0.9, "{name}: {kind} F1 {:.3} is below 0.9\n{}", s.f1(), e.report);
    }
}

#[test]
fn tagging_f1_is_at_least_0_9_for_each_kind() {
    let e = evaluate("tests/eval");
    assert!(e.files >= 15, "the evaluation set needs at least 15 labelled reports");
    print_table("evaluation set (tests/eval)", &e);
    assert_f1("tests/eval", &e);
}

/// A second set, written without looking at the tagger and never tuned against: its
/// figures say how the tagger does on reports it was not fitted to. The bar is the same.
#[test]
fn held_out_f1_is_at_least_0_9_for_each_kind() {
    let e = evaluate("tests/holdout");
    print_table("held-out set (tests/holdout)", &e);
    assert_f1("tests/holdout", &e);
}

/// Reports in the layouts of real public reports (see tests/eval/README.md), written by a
/// helper who never read the tagger: the set tagging is developed against.
#[test]
fn real_layouts_are_scored() {
    let e = evaluate("tests/eval/layouts");
    print_table("real layouts (tests/eval/layouts)", &e);
    assert!(e.files >= 20);
    let e = evaluate("tests/eval/layouts2");
    print_table("event and interview layouts (tests/eval/layouts2)", &e);
    assert!(e.files >= 14);
}

/// The blind half: written in real layouts by a helper who never read the tagger, and
/// never tuned against. The bar is the same.
#[test]
fn blind_real_layouts_f1_is_at_least_0_9_for_each_kind() {
    let e = evaluate("tests/eval/blind");
    print_table("blind set (tests/eval/blind)", &e);
    assert!(e.files >= 20);
    assert_f1("tests/eval/blind", &e);
}

/// Reports in English and Korean (tests/eval/layouts3): outlets that spoke to people,
/// people who spoke to outlets, rates per a unit, transcript labels on lines of their own.
/// Written by a helper who never read the tagger, scored blind once (as blind2), then
/// developed against; printed, not asserted.
#[test]
fn third_layouts_set_is_scored() {
    let e = evaluate("tests/eval/layouts3");
    print_table("English and Korean layouts (tests/eval/layouts3)", &e);
    assert!(e.files >= 14);
}

/// A third blind set, English and Korean (tests/eval/blind3): broadcast and radio
/// transcripts, sound bites followed by 그는, interview features and wire copy quoting
/// lawmakers. Written by a helper who never read the tagger, after the tagging of
/// 2026-12-05 was done; scored once and never tuned against. Printed, not asserted.
#[test]
fn third_blind_set_is_scored() {
    let e = evaluate("tests/eval/blind3");
    print_table("third blind set (tests/eval/blind3)", &e);
    assert!(e.files >= 12);
}

/// Korean reports (see tests/eval/README.md): the sets tagging was developed against, and
/// the first two blind sets, whose misses were read while later rounds were developed.
#[test]
fn korean_reports_are_scored() {
    for folder in [
        "tests/eval/korean-dev",
        "tests/eval/korean-dev2",
        "tests/eval/korean-dev3",
        "tests/eval/korean-dev4",
        "tests/eval/korean-dev5",
        "tests/eval/korean-dev6",
        "tests/eval/korean-dev7",
        "tests/eval/korean-dev8",
        "tests/eval/korean-dev9",
        "tests/eval/korean-dev10",
        "tests/eval/korean-blind",
    ] {
        let e = evaluate(folder);
        print_table(folder, &e);
        assert!(e.files >= 12);
    }
}

/// The Korean blind half: twenty reports in the layouts of real Korean pages, written by a
/// helper who never read the tagger, scored once after the tagging they test was done and
/// never tuned against (speakers 0.921, institutions 0.902, topics 0.931 at that reading).
#[test]
fn korean_blind_f1_is_at_least_0_9_for_each_kind() {
    let e = evaluate("tests/eval/korean-blind10");
    print_table("Korean blind set (tests/eval/korean-blind10)", &e);
    assert!(e.files >= 20);
    assert_f1("tests/eval/korean-blind10", &e);
}

#[test]
fn scoring_counts_each_label_once() {
    let (s, missed, extra) = score(
        &["Park Min-ju".into(), "Kim Min-jun".into()],
        &[vec!["Park Min-ju".into(), "Park Min-joo".into()], vec!["Kim Min-jung".into()]],
        person_norm,
    );
    assert_eq!((s.tp, s.fp, s.fn_), (1, 1, 1));
    assert_eq!(missed, vec!["Kim Min-jun"]);
    assert_eq!(extra, vec!["Kim Min-jung"]);
}
