//! `nkdigi check`: reads files as `index` would, reports front matter problems and the tags
//! each file would get, and writes nothing. For corpora kept in git with a CI check.

use super::index::{document_id, load_taxonomy, Rejected};
use crate::corpus::walk::{self, Root};
use crate::corpus::{self};
use crate::error::{Error, FileError};
use crate::model::Document;
use crate::tagging::registry::Registry;
use crate::tagging::Tagger;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<String>,
    pub taxonomy: Option<PathBuf>,
    pub max_file_size: u64,
}

/// The outcome for each file: the document it would become, or why it cannot be indexed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub documents: Vec<Document>,
    pub rejected: Vec<Rejected>,
    pub skipped: Vec<Rejected>,
}

pub fn run(options: &CheckOptions) -> Result<CheckReport, Error> {
    let (taxonomy, _) = load_taxonomy(options.taxonomy.as_deref(), None)?;
    let tagger = Tagger::new(taxonomy.clone());
    let mut registry = Registry::seeded(&taxonomy);
    let mut report = CheckReport::default();
    let mut candidates = Vec::new();
    let mut problems = Vec::new();
    for given in &options.paths {
        match Root::resolve(given) {
            Ok(root) => walk::walk(&root, &mut candidates, &mut problems),
            Err(err) => report.rejected.push(Rejected::from(err)),
        }
    }
    report.rejected.extend(problems.into_iter().map(|p| Rejected::from(p.error)));
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    candidates.dedup_by(|a, b| a.canonical == b.canonical);
    for candidate in candidates {
        let reject = |message: String| Rejected::from(FileError::new(candidate.display.clone(), message));
        if candidate.size > options.max_file_size {
            report.rejected.push(reject(format!("larger than the size limit ({} bytes)", candidate.size)));
            continue;
        }
        let bytes = match std::fs::read(&candidate.canonical) {
            Ok(bytes) => bytes,
            Err(err) => {
                report.rejected.push(reject(walk::io_message(&err)));
                continue;
            }
        };
        if corpus::decode::looks_binary(&bytes) && !candidate.named {
            report.skipped.push(reject("binary file, skipped".into()));
            continue;
        }
        match corpus::parse_bytes(&candidate.display, &bytes) {
            Ok(parsed) => {
                let tags = tagger.tag(&parsed);
                let id = document_id(&candidate.canonical.to_string_lossy());
                report.documents.push(super::index::to_document(id, &candidate.display, &parsed, &tags, &mut registry));
            }
            Err(err) => report.rejected.push(Rejected::from(err)),
        }
    }
    Ok(report)
}
