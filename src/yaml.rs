//! The one place that knows serde_yaml: typed parsing of YAML text (front matter and
//! taxonomy files) with the line of the first problem, and no panic escaping.

use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A YAML problem, with the 1-based line inside the parsed text when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// Deeper nesting than this is refused before parsing: real front matter and taxonomies
/// nest a few levels, and the parser's own limit is reached only after a slow scan.
pub const MAX_DEPTH: usize = 64;

/// Parses `text` into `T`. Panics inside the parser become errors.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_depth(text)?;
    match catch_unwind(AssertUnwindSafe(|| serde_yaml::from_str::<T>(text))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(convert(&err)),
        Err(_) => Err(YamlError { line: None, message: "the YAML parser failed on this text".into() }),
    }
}

/// Top-level keys and their values as JSON.
pub type JsonMapping = BTreeMap<String, serde_json::Value>;

/// The top-level keys of a YAML mapping and their values as JSON, for keys a typed struct
/// does not know. A key repeated at any depth is an error. Values that JSON cannot hold
/// (non-string keys deep inside) become their YAML text.
pub(crate) fn mapping_as_json(text: &str) -> Result<JsonMapping, YamlError> {
    let mapping = parse::<BTreeMap<String, serde_yaml::Value>>(text)?;
    Ok(mapping.into_iter().map(|(key, value)| (key, as_json(&value))).collect())
}

/// A YAML mapping read once: the typed struct `T` of the keys it knows, and each top-level
/// key's value as JSON, as [`parse`] and [`mapping_as_json`] give them. Text that one
/// reading cannot give both for (a type error, a key that is no string, a repeated key) is
/// read by those two instead, so that the errors and their lines are theirs; so is text with
/// a tag (`!x ~`), which a typed reading of the text and of its value take differently. The
/// mapping's own error comes apart from the typed one's, for the caller to check in between.
pub fn parse_with_mapping<T: DeserializeOwned>(text: &str) -> Result<(T, Result<JsonMapping, YamlError>), YamlError> {
    let read = parse::<serde_yaml::Value>(text).ok().filter(|value| !has_tag(value));
    if let Some(serde_yaml::Value::Mapping(mapping)) = read {
        let value = serde_yaml::Value::Mapping(mapping);
        if let Ok(typed) = T::deserialize(&value) {
            let serde_yaml::Value::Mapping(mapping) = value else { unreachable!("built as a mapping") };
            let json: Option<JsonMapping> = mapping
                .into_iter()
                .map(|(key, value)| match key {
                    serde_yaml::Value::String(key) => Some((key, as_json(&value))),
                    _ => None,
                })
                .collect();
            if let Some(json) = json {
                return Ok((typed, Ok(json)));
            }
        }
    }
    let typed = parse::<T>(text)?;
    Ok((typed, mapping_as_json(text)))
}

/// Whether a tag (`!x`) is on the value or anywhere inside it.
fn has_tag(value: &serde_yaml::Value) -> bool {
    match value {
        serde_yaml::Value::Tagged(_) => true,
        serde_yaml::Value::Sequence(items) => items.iter().any(has_tag),
        serde_yaml::Value::Mapping(mapping) => mapping.iter().any(|(k, v)| has_tag(k) || has_tag(v)),
        _ => false,
    }
}

/// A YAML value as JSON; one that JSON cannot hold (non-string keys deep inside) becomes
/// its YAML text.
fn as_json(value: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_else(|_| {
        serde_json::Value::String(serde_yaml::to_string(value).unwrap_or_default().trim().to_string())
    })
}

/// Refuses flow collections (`[[[…`, `{{{…`) nested deeper than [`MAX_DEPTH`].
fn check_depth(text: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(YamlError {
                            line: Some(i + 1),
                            message: format!("nested deeper than {MAX_DEPTH} levels"),
                        });
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        // A quote left open at the end of a line does not span lines in front matter.
        quote = None;
    }
    Ok(())
}

fn convert(err: &serde_yaml::Error) -> YamlError {
    let line = err.location().map(|loc| loc.line());
    // serde_yaml appends " at line L column C" to its messages; the caller prints the line itself.
    let mut message = err.to_string();
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    YamlError { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Probe {
        title: Option<String>,
        items: Option<Vec<String>>,
    }

    #[test]
    fn reports_the_line_of_a_type_error() {
        let err = parse::<Probe>("title: ok\nitems: 42\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("invalid type"), "{}", err.message);
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn rejects_duplicate_keys_and_several_documents() {
        assert!(parse::<Probe>("title: a\ntitle: b\n").is_err());
        assert!(parse::<Probe>("title: a\n---\ntitle: b\n").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = format!("title: x\nitems: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
        let started = std::time::Instant::now();
        let err = parse::<Probe>(&deep).unwrap_err();
        assert!(started.elapsed().as_millis() < 500);
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("nested"));
        assert!(parse::<Probe>("title: \"[[[[\"\nitems: [a, b]\n").is_ok());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ('a'..'j').zip('b'..='j') {
            text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
        }
        let started = std::time::Instant::now();
        assert!(parse::<std::collections::BTreeMap<String, serde_json::Value>>(&text).is_err());
        assert!(started.elapsed().as_millis() < 1000);
    }

    #[test]
    fn keys_repeated_deep_inside_are_refused() {
        let err = mapping_as_json("title: a\nx: {a: 1, a: 2}\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("duplicate"), "{}", err.message);
        let err = mapping_as_json("title: a\nx:\n  y:\n    a: 1\n    a: 2\n").unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert!(mapping_as_json("x: {a: 1, b: 2}\n").is_ok());
    }

    #[test]
    fn mapping_as_json_keeps_unknown_keys() {
        let map = mapping_as_json("title: a\nreviewed: true\nscore: 3\n").unwrap();
        assert_eq!(map["reviewed"], serde_json::json!(true));
        assert_eq!(map["score"], serde_json::json!(3));
    }
}
