//! The taxonomy: topics with their term lists, known speakers and institutions with their
//! aliases. A default is built in; a user file extends it.

use crate::yaml;
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("default_taxonomy.yaml");

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    #[serde(default)]
    pub topics: Vec<TopicDef>,
    #[serde(default)]
    pub speakers: Vec<SpeakerDef>,
    #[serde(default)]
    pub institutions: Vec<InstitutionDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicDef {
    pub id: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub weak_terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerDef {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub affiliation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionDef {
    pub name: String,
    /// What sort of body it is: government, research, university, company, telecom,
    /// media, security_firm, threat_group, international, law_enforcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub acronyms: Vec<String>,
}

/// A taxonomy file problem, with the 1-based line when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyError {
    pub line: Option<usize>,
    pub message: String,
}

impl Taxonomy {
    /// The taxonomy compiled into nkdigi.
    pub fn builtin() -> Taxonomy {
        Taxonomy::parse(BUILTIN).expect("the built-in taxonomy is valid")
    }

    /// Parses and checks taxonomy YAML.
    pub fn parse(text: &str) -> Result<Taxonomy, TaxonomyError> {
        if text.trim().is_empty() {
            return Ok(Taxonomy::default());
        }
        let taxonomy: Taxonomy = yaml::parse(text).map_err(|e| TaxonomyError { line: e.line, message: e.message })?;
        taxonomy.check(text)?;
        Ok(taxonomy)
    }

    fn check(&self, text: &str) -> Result<(), TaxonomyError> {
        let fail = |needle: &str, message: String| TaxonomyError { line: line_of(text, needle), message };
        for topic in &self.topics {
            let id = topic.id.as_str();
            if id.is_empty()
                || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                return Err(fail(id, format!("topic id {id:?} must be lower-case letters, digits, - or _")));
            }
            for term in topic.terms.iter().chain(&topic.weak_terms) {
                if term.trim().is_empty() {
                    return Err(fail(id, format!("topic {id:?} has an empty term")));
                }
            }
        }
        for speaker in &self.speakers {
            if speaker.name.split_whitespace().count() < 2 {
                return Err(fail(
                    &speaker.name,
                    format!("speaker {:?} needs a full name (given name and surname)", speaker.name),
                ));
            }
        }
        for inst in &self.institutions {
            if inst.name.trim().is_empty() {
                return Err(fail("name:", "an institution has an empty name".into()));
            }
        }
        Ok(())
    }

    /// Adds `other` to this taxonomy: known topic ids gain terms, known names gain aliases.
    pub fn extend(&mut self, other: Taxonomy) {
        for topic in other.topics {
            match self.topics.iter_mut().find(|t| t.id == topic.id) {
                Some(known) => {
                    if topic.label.is_some() {
                        known.label = topic.label;
                    }
                    extend_unique(&mut known.terms, topic.terms);
                    extend_unique(&mut known.weak_terms, topic.weak_terms);
                }
                None => self.topics.push(topic),
            }
        }
        for speaker in other.speakers {
            match self.speakers.iter_mut().find(|s| s.name == speaker.name) {
                Some(known) => {
                    extend_unique(&mut known.aliases, speaker.aliases);
                    if speaker.affiliation.is_some() {
                        known.affiliation = speaker.affiliation;
                    }
                }
                None => self.speakers.push(speaker),
            }
        }
        for inst in other.institutions {
            match self.institutions.iter_mut().find(|i| i.name == inst.name) {
                Some(known) => {
                    extend_unique(&mut known.aliases, inst.aliases);
                    extend_unique(&mut known.acronyms, inst.acronyms);
                    if inst.kind.is_some() {
                        known.kind = inst.kind;
                    }
                }
                None => self.institutions.push(inst),
            }
        }
    }

    /// A fingerprint of the taxonomy's content: when it changes, documents are re-tagged.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).expect("a taxonomy serializes");
        blake3::hash(&json).to_hex()[..16].to_string()
    }

    /// The fingerprint as a number, stored with every document tagged under it.
    pub fn fingerprint_u64(&self) -> u64 {
        u64::from_str_radix(&self.fingerprint(), 16).unwrap_or(0)
    }

    pub fn topic_ids(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.id.as_str()).collect()
    }
}

fn extend_unique(list: &mut Vec<String>, more: Vec<String>) {
    for item in more {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_the_four_topics_and_the_conference_speakers() {
        let tax = Taxonomy::builtin();
        assert_eq!(tax.topic_ids(), vec!["ai", "smartphones", "4g", "cyber"]);
        let park = tax.speakers.iter().find(|s| s.name == "Park Min-ju").unwrap();
        assert!(park.aliases.contains(&"Park Min-joo".to_string()));
        let kcc: Vec<&str> = tax
            .institutions
            .iter()
            .filter(|i| i.acronyms.contains(&"KCC".to_string()))
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(kcc, vec!["Korea Communications Commission", "Korea Computer Center"]);
    }

    #[test]
    fn a_user_file_extends_topics_and_adds_entities() {
        let mut tax = Taxonomy::builtin();
        let before = tax.fingerprint();
        let user = Taxonomy::parse(
            "topics:\n  - id: ai\n    terms: [neuromorphic]\n  - id: space\n    label: Space\n    terms: [satellite]\nspeakers:\n  - name: Martyn Williams\n    aliases: [M. Williams]\n",
        )
        .unwrap();
        tax.extend(user);
        assert!(tax.topics[0].terms.contains(&"neuromorphic".to_string()));
        assert!(tax.topics[0].terms.contains(&"ChatGPT".to_string()));
        assert_eq!(tax.topic_ids().last(), Some(&"space"));
        let williams = tax.speakers.iter().find(|s| s.name == "Martyn Williams").unwrap();
        assert!(williams.aliases.contains(&"Martin Williams".to_string()));
        assert!(williams.aliases.contains(&"M. Williams".to_string()));
        assert_ne!(tax.fingerprint(), before);
    }

    #[test]
    fn bad_files_name_the_line() {
        let err = Taxonomy::parse("topics:\n  - id: ai\n    terms: 42\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = Taxonomy::parse("topics:\n  - id: Bad Id\n    terms: [x]\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("Bad Id"));
        let err = Taxonomy::parse("topicz: []\n").unwrap_err();
        assert!(err.message.contains("topicz"), "{}", err.message);
    }
}
