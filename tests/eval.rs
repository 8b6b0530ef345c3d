//! Tagging evaluation: precision, recall and F1 for speakers, institutions and topics over
//! the hand-labelled reports in tests/eval/. Fails below 0.9 F1 on any kind.
//!
//! A predicted entity matches a label when the label equals (ignoring case) the entity's
//! canonical name or a spelling the document used. Each label matches at most one entity.

use nkdigi::corpus;
use nkdigi::tagging::names::institution_key;
use nkdigi::tagging::taxonomy::Taxonomy;
use nkdigi::tagging::Tagger;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct Labels {
    files: BTreeMap<String, FileLabels>,
}

#[derive(Debug, Deserialize)]
struct FileLabels {
    #[serde(default)]
    speakers: Vec<SpeakerLabel>,
    #[serde(default)]
    institutions: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
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

fn institution_norm(s: &str) -> String {
    institution_key(s)
}

/// Scores the tagger on one labelled folder: totals per kind, and a report of misses.
fn evaluate(folder: &str) -> ([Score; 3], String, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let text = std::fs::read_to_string(dir.join("labels.yaml")).unwrap();
    let labels: Labels = nkdigi::yaml::parse(&text).expect("labels.yaml parses");
    let tagger = Tagger::new(Taxonomy::builtin());
    let mut totals = [Score::default(); 3];
    let mut report = String::new();
    for (file, want) in &labels.files {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let parsed = corpus::parse_bytes(file, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let tags = tagger.tag(&parsed);
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
            score(&speaker_labels, &speakers, person_norm),
            score(&want.institutions, &institutions, institution_norm),
            score(&want.topics, &topics, person_norm),
        ];
        for (kind, (_, missed, extra)) in KINDS.iter().zip(&results) {
            if !missed.is_empty() || !extra.is_empty() {
                report.push_str(&format!("{file} {kind}: missed {missed:?} extra {extra:?}\n"));
            }
        }
        for (total, (s, _, _)) in totals.iter_mut().zip(&results) {
            total.tp += s.tp;
            total.fp += s.fp;
            total.fn_ += s.fn_;
        }
    }
    (totals, report, labels.files.len())
}

const KINDS: [&str; 3] = ["speakers", "institutions", "topics"];

fn print_table(title: &str, totals: &[Score; 3], report: &str) {
    println!("{title}\n{report}");
    println!("kind          precision  recall     F1   (tp/fp/fn)");
    for (kind, s) in KINDS.iter().zip(totals) {
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
}

#[test]
fn tagging_f1_is_at_least_0_9_for_each_kind() {
    let (totals, report, files) = evaluate("tests/eval");
    assert!(files >= 15, "the evaluation set needs at least 15 labelled reports");
    print_table("evaluation set (tests/eval)", &totals, &report);
    for (kind, s) in KINDS.iter().zip(&totals) {
        assert!(s.f1() >= 0.9, "{kind} F1 {:.3} is below 0.9\n{report}", s.f1());
    }
}

/// A second set, written without looking at the tagger and never tuned against: its
/// figures say how the tagger does on reports it was not fitted to. The bar is the same.
#[test]
fn held_out_f1_is_at_least_0_9_for_each_kind() {
    let (totals, report, _) = evaluate("tests/holdout");
    print_table("held-out set (tests/holdout)", &totals, &report);
    for (kind, s) in KINDS.iter().zip(&totals) {
        assert!(s.f1() >= 0.9, "{kind} F1 {:.3} is below 0.9 on the held-out set\n{report}", s.f1());
    }
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
