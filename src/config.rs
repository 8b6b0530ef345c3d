//! The configuration file: `$NKDIGI_CONFIG`, else `$XDG_CONFIG_HOME/nkdigi/config.toml`,
//! else `~/.config/nkdigi/config.toml`. It sets defaults that flags and the environment
//! override. The only module that reads TOML.
//!
//! ```toml
//! index = "~/research/.nkdigi"      # used where no .nkdigi folder is found upward
//! taxonomy = "~/research/taxonomy.yaml"
//! color = "auto"                    # auto, always or never
//! page_size = 20                    # results a text page shows
//! ```

use crate::error::Error;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the file says; every key is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub index: Option<PathBuf>,
    pub taxonomy: Option<PathBuf>,
    pub color: Option<String>,
    pub page_size: Option<usize>,
}

/// Where the file is looked for, and whether it must exist: a path given by
/// `NKDIGI_CONFIG` must, the default place need not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub required: bool,
}

/// The file to read, from the environment (`env` looks a variable up).
pub fn location(env: &dyn Fn(&str) -> Option<String>) -> Option<Location> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(path) = set("NKDIGI_CONFIG") {
        return Some(Location { path: PathBuf::from(path), required: true });
    }
    // XDG: a relative XDG_CONFIG_HOME is invalid and ignored.
    let base = set("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| set("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(Location { path: base.join("nkdigi").join("config.toml"), required: false })
}

/// Reads the file at `location`: `None` when it is optional and absent. Paths in it are
/// made absolute: `~/` is the home folder, and a relative path is relative to the file's
/// folder, so the settings mean the same from any folder.
pub fn load(location: &Location, home: Option<&Path>) -> Result<Option<Config>, Error> {
    let shown = location.path.display();
    let text = match std::fs::read_to_string(&location.path) {
        Ok(text) => text,
        // At the default place, a file this user cannot read (another user's home, as under
        // `sudo -u`) is passed over as git does, not a reason to refuse to work.
        Err(e)
            if !location.required
                && matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(Error::Usage(format!("{shown}: {}", crate::store::io_reason(&e)))),
    };
    let mut config = parse(&text).map_err(|(line, message)| Error::Usage(format!("{shown}:{line}: {message}")))?;
    let folder = location.path.parent().unwrap_or(Path::new("."));
    let absolute = |p: &PathBuf| -> PathBuf {
        match (p.strip_prefix("~"), home) {
            (Ok(rest), Some(home)) => home.join(rest),
            _ if p.is_relative() => folder.join(p),
            _ => p.clone(),
        }
    };
    config.index = config.index.as_ref().map(absolute);
    config.taxonomy = config.taxonomy.as_ref().map(absolute);
    if let Some(color) = &config.color {
        if !["auto", "always", "never"].contains(&color.as_str()) {
            let line = line_of(&text, "color");
            return Err(Error::Usage(format!("{shown}:{line}: color is {color:?}: give auto, always or never")));
        }
    }
    if config.page_size == Some(0) {
        let line = line_of(&text, "page_size");
        return Err(Error::Usage(format!("{shown}:{line}: page_size must be 1 or more")));
    }
    Ok(Some(config))
}

/// Parses the text of a config file; an error is its line (from 1) and what is wrong.
fn parse(text: &str) -> Result<Config, (usize, String)> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1).unwrap_or(1);
        (line, e.message().trim().to_string())
    })
}

/// The line (from 1) on which `key` is set, for messages about its value.
fn line_of(text: &str, key: &str) -> usize {
    text.lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_file_is_found_by_the_variable_then_xdg_then_home() {
        let given = location(&env_of(&[("NKDIGI_CONFIG", "/a/c.toml"), ("HOME", "/h")])).unwrap();
        assert_eq!(given, Location { path: "/a/c.toml".into(), required: true });
        let xdg = location(&env_of(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")])).unwrap();
        assert_eq!(xdg.path, PathBuf::from("/x/nkdigi/config.toml"));
        assert!(!xdg.required);
        // A relative XDG_CONFIG_HOME is not valid: the home folder's .config is used.
        let home = location(&env_of(&[("XDG_CONFIG_HOME", "rel"), ("HOME", "/h")])).unwrap();
        assert_eq!(home.path, PathBuf::from("/h/.config/nkdigi/config.toml"));
        assert_eq!(location(&env_of(&[])), None);
    }

    #[test]
    fn keys_are_read_and_mistakes_name_their_line() {
        let config = parse("index = \"/r/.nkdigi\"\npage_size = 25\ncolor = \"never\"\n").unwrap();
        assert_eq!(config.index, Some(PathBuf::from("/r/.nkdigi")));
        assert_eq!((config.page_size, config.color.as_deref()), (Some(25), Some("never")));
        let (line, message) = parse("index = \"/r\"\ncolour = \"never\"\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("colour"), "{message}");
        let (line, _) = parse("page_size = \"ten\"").unwrap_err();
        assert_eq!(line, 1);
    }

    #[test]
    fn paths_are_made_absolute_and_values_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "index = \"notes/.nkdigi\"\ntaxonomy = \"~/tax.yaml\"\n").unwrap();
        let at = Location { path: file.clone(), required: true };
        let config = load(&at, Some(Path::new("/home/u"))).unwrap().unwrap();
        assert_eq!(config.index, Some(dir.path().join("notes/.nkdigi")));
        assert_eq!(config.taxonomy, Some(PathBuf::from("/home/u/tax.yaml")));
        std::fs::write(&file, "page_size = 10\ncolor = \"sometimes\"\n").unwrap();
        let err = load(&at, None).unwrap_err().to_string();
        assert!(err.contains("config.toml:2: color is \"sometimes\""), "{err}");
        // Absent: fine at the default place, an error where NKDIGI_CONFIG points.
        let missing = dir.path().join("none.toml");
        assert_eq!(load(&Location { path: missing.clone(), required: false }, None).unwrap(), None);
        assert!(load(&Location { path: missing, required: true }, None).is_err());
    }
}
