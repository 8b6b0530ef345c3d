//! `nkdigi check`: reads files as `index` would, reports front matter problems and the tags
//! each file would get, and writes nothing. For corpora kept in git with a CI check.

use super::index::{load_taxonomy, prepare, to_document, Outcome, Rejected};
use crate::corpus::walk::{self, Root};
use crate::error::Error;
use crate::model::Document;
use crate::tagging::registry::Registry;
use crate::tagging::Tagger;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub taxonomy: Option<PathBuf>,
    pub max_file_size: u64,
    pub follow: bool,
    pub explain: bool,
}

/// The outcome for each file: the document it would become, or why it cannot be indexed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub documents: Vec<Document>,
    /// With `--explain`: why each document has its tags (in the order of `documents`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanations: Vec<super::explain::Explanation>,
    /// Passages longer than the split size that could not be split at a sentence end.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Rejected>,
    pub rejected: Vec<Rejected>,
    pub skipped: Vec<Rejected>,
}

pub fn run(options: &CheckOptions, interrupted: &AtomicBool) -> Result<CheckReport, Error> {
    let (taxonomy, _) = load_taxonomy(options.taxonomy.as_deref(), None, None)?;
    let tagger = Tagger::new(taxonomy.clone());
    let tagged_with = taxonomy.fingerprint_u64();
    let mut registry = Registry::seeded(&taxonomy);
    let mut report = CheckReport::default();
    let mut roots = Vec::new();
    for given in &options.paths {
        match Root::resolve(given) {
            Ok(root) => roots.push(root),
            Err(err) => report.rejected.push(Rejected::from(err)),
        }
    }
    let scope =
        walk::Scope { roots: roots.iter().map(|r| r.canonical.clone()).collect(), follow: options.follow, interrupted };
    // One file, one document, as `index` counts them.
    let mut candidates = Vec::new();
    let mut problems = Vec::new();
    walk::walk_all(&roots, &scope, &mut |c| candidates.push(c), &mut problems);
    for problem in problems {
        let list = if problem.warning { &mut report.skipped } else { &mut report.rejected };
        list.push(Rejected::from(problem.error));
    }
    candidates.sort_by(|a, b| a.cmp_display(b));
    candidates.shrink_to_fit();
    for candidate in candidates {
        match prepare(&candidate, None, &tagger, tagged_with, options.max_file_size) {
            Outcome::Ready(prepared) => {
                if let Some(warning) = prepared.warning {
                    report.skipped.push(Rejected::from(warning));
                }
                let doc = to_document(
                    candidate.id().to_string(),
                    &candidate.display(),
                    prepared.parsed.clone(),
                    &prepared.tags,
                    &mut registry,
                );
                for passage in &prepared.parsed.passages {
                    let chars = passage.text.chars().count();
                    if chars > crate::corpus::passages::SPLIT_CHARS {
                        report.warnings.push(Rejected {
                            path: candidate.display().into_owned(),
                            line: Some(passage.line),
                            error: format!(
                                "a passage of {chars} characters has no sentence end to split it at; \"said by\" covers all of it"
                            ),
                        });
                    }
                }
                if options.explain {
                    report.explanations.push(super::explain::explain(&doc, &prepared.parsed, &prepared.tags));
                }
                report.documents.push(doc);
            }
            Outcome::Rejected(err) => report.rejected.push(Rejected::from(err)),
            Outcome::Skipped(err) => report.skipped.push(Rejected::from(err)),
            Outcome::Unchanged => {}
        }
    }
    Ok(report)
}
