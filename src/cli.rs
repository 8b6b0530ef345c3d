//! The command line: clap's derive structs for what the user typed, and their conversion
//! into the resolved settings the commands take. The only module that knows clap.

use crate::commands::index::IndexOptions;
use crate::commands::search::SearchOptions;
use crate::date::PartialDate;
use crate::output::ColorChoice;
use crate::store::{CountBy, Sort};
use crate::tagging::registry::Kind;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Duration;

const AFTER_HELP: &str = "Examples:
  nkdigi index corpus
  nkdigi search \"4G network\"
  nkdigi search 4G --speaker \"Martin Williams\" --format json
  nkdigi search --passages --speaker \"Kim Min-jung\"
  nkdigi stats --by topic
  nkdigi entities --suggest";

/// Research-notes indexer: full-text search over reports, tagged by speaker, institution and topic.
#[derive(Debug, Parser)]
#[command(name = "nkdigi", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Opts {
    /// Index folder [default: nearest .nkdigi folder upward, else ./.nkdigi]
    #[arg(long, global = true, env = "NKDIGI_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// When to color text output
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
    /// Print nothing but results and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more about what is done
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, update and remove documents
    #[command(after_help = "Examples:
  nkdigi index notes/                  index a folder (again: only changes are re-read)
  nkdigi index                         re-scan every folder already in the index
  nkdigi index --taxonomy tax.yaml     extend the built-in taxonomy (re-tags everything)
  nkdigi index notes --format json     print a machine-readable summary")]
    Index(IndexArgs),
    /// Search documents (or passages) with a query and filters
    #[command(after_help = "Examples:
  nkdigi search \"4G network\"
  nkdigi search 4G --speaker \"Martyn Williams\"
  nkdigi search 'speaker:\"Park Min-joo\" AND ChatGPT'
  nkdigi search --topic cyber --since 2025 --sort newest
  nkdigi search --passages --speaker \"Kim Min-jung\" --format jsonl")]
    Search(SearchArgs),
    /// Show one document with its tags and passages
    #[command(after_help = "Examples:
  nkdigi show corpus/conference/session-park-min-ju-ai.md
  nkdigi show 3f2a9c01d4e5b6a7 --format json")]
    Show(ShowArgs),
    /// Print every document as one JSON object a line, ordered by path
    #[command(after_help = "Examples:
  nkdigi export > documents.jsonl")]
    Export,
    /// Count documents by topic, speaker, institution, year or source
    #[command(after_help = "Examples:
  nkdigi stats --by speaker
  nkdigi stats --by year --topic cyber
  nkdigi stats 4G --by institution --format json")]
    Stats(StatsArgs),
    /// List canonical speakers and institutions, with mentions and document counts
    #[command(after_help = "Examples:
  nkdigi entities --kind speaker
  nkdigi entities --suggest")]
    Entities(EntitiesArgs),
    /// Check files without indexing them: front matter problems and the tags each would get
    #[command(after_help = "Examples:
  nkdigi check notes/                  exit 1 when a file would be rejected
  nkdigi check notes/new.md --format json
  git diff --name-only | nkdigi index --from-list -")]
    Check(CheckArgs),
    /// Check the index for damage: file checksums, its state, and every record
    #[command(after_help = "Examples:
  nkdigi verify                        exit 0 when sound, 1 when damage is found
  nkdigi verify --format json")]
    Verify(VerifyArgs),
    /// Print a shell completion script
    #[command(after_help = "Examples:
  nkdigi completions bash > ~/.local/share/bash-completion/completions/nkdigi
  nkdigi completions zsh > ~/.zfunc/_nkdigi
  nkdigi completions fish > ~/.config/fish/completions/nkdigi.fish")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into a folder
    #[command(after_help = "Examples:
  nkdigi man > nkdigi.1 && man ./nkdigi.1
  nkdigi man man1/          nkdigi.1, nkdigi-search.1, nkdigi-index.1, ...")]
    Man {
        /// Folder to write nkdigi.1 and one page per command into
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to check
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Follow symlinks that lead outside the given paths (never into /proc, /sys, /dev)
    #[arg(long)]
    pub follow: bool,
    /// A taxonomy file extending the built-in one
    #[arg(long, env = "NKDIGI_TAXONOMY", value_name = "FILE")]
    pub taxonomy: Option<PathBuf>,
    /// Files larger than this are rejected
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Also say why each speaker and institution is there: passage and rule
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index [default: the roots already in the index]
    pub paths: Vec<PathBuf>,
    /// Follow symlinks that lead outside the indexed roots (never into /proc, /sys, /dev)
    #[arg(long)]
    pub follow: bool,
    /// Read paths to index from FILE, one a line (- for standard input)
    #[arg(long, value_name = "FILE")]
    pub from_list: Option<String>,
    /// With --from-list: paths are separated by NUL instead of newlines (find -print0)
    #[arg(short = '0', long = "null", requires = "from_list")]
    pub null: bool,
    /// Re-read and re-tag every file, changed or not
    #[arg(long)]
    pub full: bool,
    /// Start over: drop every document and index the known roots again
    #[arg(long)]
    pub rebuild: bool,
    /// Report what would change without writing
    #[arg(long)]
    pub dry_run: bool,
    /// A taxonomy file extending the built-in one
    #[arg(long, env = "NKDIGI_TAXONOMY", value_name = "FILE")]
    pub taxonomy: Option<PathBuf>,
    /// Files larger than this are rejected
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Wait up to SECS for another writer to finish instead of failing
    #[arg(long, value_name = "SECS")]
    pub wait: Option<f64>,
    /// Summary format
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct FilterArgs {
    /// Only documents with this speaker (repeatable: any of); with --passages: said by
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    /// Only documents naming this institution (repeatable: any of)
    #[arg(long, value_name = "NAME")]
    pub institution: Vec<String>,
    /// Only documents with this topic id (repeatable: any of)
    #[arg(long, value_name = "ID")]
    pub topic: Vec<String>,
    /// Only documents with a speaker affiliated with this institution (repeatable: any of);
    /// with --passages: said by one
    #[arg(long, value_name = "ORG")]
    pub affiliation: Vec<String>,
    /// Only documents dated on or after this date (YYYY[-MM[-DD]])
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<PartialDate>,
    /// Only documents dated on or before this date (YYYY[-MM[-DD]])
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<PartialDate>,
    /// Match names exactly as spelled (no name resolution)
    #[arg(long)]
    pub exact: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: terms (AND by default), "phrases", OR, -term, field:value
    pub query: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Passages, not documents, as results
    #[arg(long)]
    pub passages: bool,
    /// Print result paths absolute (by default they are relative to the current folder)
    #[arg(long)]
    pub absolute_path: bool,
    /// Number of results [default: 10 for text; every result for json, jsonl and paths]
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many results
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Result order
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Output format
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
    /// With --format paths: end paths with NUL instead of newline
    #[arg(short = '0', long = "null")]
    pub null: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
    Jsonl,
    Paths,
    /// `path:line:column:text`, one hit a line, for editors' quickfix lists
    Vimgrep,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id or path as indexed
    pub document: String,
    /// Also say why each speaker and institution is there: passage and rule
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Optional query restricting the documents counted
    pub query: Option<String>,
    /// What to count by
    #[arg(long, value_enum, default_value_t = ByArg::Topic)]
    pub by: ByArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Count passages, not documents (`--speaker` then means said by)
    #[arg(long)]
    pub passages: bool,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Topic,
    Speaker,
    Institution,
    Year,
    Source,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only this kind of entity
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Also list near-miss name pairs that were not merged
    #[arg(long)]
    pub suggest: bool,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Speaker,
    Institution,
}

fn parse_date(text: &str) -> Result<PartialDate, String> {
    text.parse().map_err(|e: crate::date::DateError| e.to_string())
}

/// The index folder: `--index` / NKDIGI_INDEX, else the nearest `.nkdigi` upward, else `./.nkdigi`.
pub fn index_path(given: Option<&Path>) -> PathBuf {
    if let Some(path) = given {
        return path.to_path_buf();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .map(|dir| dir.join(".nkdigi"))
        .find(|candidate| candidate.join("meta.json").is_file())
        .map(|found| relative_to(&found, &cwd))
        .unwrap_or_else(|| PathBuf::from(".nkdigi"))
}

fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

impl ColorArg {
    pub fn choice(self) -> ColorChoice {
        match self {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

impl SortArg {
    pub fn sort(self) -> Sort {
        match self {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        }
    }
}

impl ByArg {
    pub fn count_by(self) -> CountBy {
        match self {
            ByArg::Topic => CountBy::Topic,
            ByArg::Speaker => CountBy::Speaker,
            ByArg::Institution => CountBy::Institution,
            ByArg::Year => CountBy::Year,
            ByArg::Source => CountBy::Source,
        }
    }
}

impl KindArg {
    pub fn kinds(kind: Option<KindArg>) -> Vec<Kind> {
        match kind {
            Some(KindArg::Speaker) => vec![Kind::Speaker],
            Some(KindArg::Institution) => vec![Kind::Institution],
            None => vec![Kind::Speaker, Kind::Institution],
        }
    }
}

impl FilterArgs {
    pub fn search_options(&self, index: PathBuf, query: Option<&str>) -> SearchOptions {
        SearchOptions {
            index,
            query: query.unwrap_or_default().to_string(),
            speakers: self.speaker.clone(),
            institutions: self.institution.clone(),
            topics: self.topic.clone(),
            affiliations: self.affiliation.clone(),
            since: self.since,
            until: self.until,
            exact: self.exact,
            ..SearchOptions::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.speaker.is_empty()
            && self.institution.is_empty()
            && self.affiliation.is_empty()
            && self.topic.is_empty()
            && self.since.is_none()
            && self.until.is_none()
    }
}

impl IndexArgs {
    /// Resolves the paths (from the command line and `--from-list`) and settings.
    pub fn options(&self, index: PathBuf) -> Result<IndexOptions, crate::error::Error> {
        let mut paths = self.paths.clone();
        if let Some(list) = &self.from_list {
            // Paths are bytes: a name that is not UTF-8 is still a name.
            let bytes = if list == "-" {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                    .map_err(|e| crate::error::Error::Usage(format!("standard input: {e}")))?;
                bytes
            } else {
                std::fs::read(list).map_err(|e| crate::error::Error::Usage(format!("{list}: {e}")))?
            };
            paths.extend(list_paths(&bytes, self.null));
            if paths.is_empty() {
                return Err(crate::error::Error::Usage(format!("{list}: the list names no paths")));
            }
        }
        if let Some(wait) = self.wait {
            if !(0.0..=86_400.0).contains(&wait) {
                return Err(crate::error::Error::Usage(format!(
                    "--wait {wait}: give a number of seconds from 0 to 86400"
                )));
            }
        }
        Ok(IndexOptions {
            index,
            paths,
            full: self.full,
            rebuild: self.rebuild,
            dry_run: self.dry_run,
            taxonomy: self.taxonomy.clone(),
            max_file_size: self.max_file_size,
            wait: self.wait.map(Duration::from_secs_f64),
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            follow: self.follow,
        })
    }
}

/// The paths of a `--from-list` file: NUL-separated, or one a line (trimmed, blank lines
/// skipped). Bytes stay bytes.
fn list_paths(bytes: &[u8], null: bool) -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let to_path = |b: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(b));
    if null {
        bytes.split(|&b| b == 0).filter(|p| !p.is_empty()).map(to_path).collect()
    } else {
        bytes.split(|&b| b == b'\n').map(|l| l.trim_ascii()).filter(|l| !l.is_empty()).map(to_path).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_definition_is_consistent() {
        Opts::command().debug_assert();
    }

    #[test]
    fn global_options_may_follow_the_command() {
        let opts = Opts::try_parse_from(["nkdigi", "search", "4G", "--index", "x", "--color", "never"]).unwrap();
        assert_eq!(opts.index.as_deref(), Some(Path::new("x")));
        assert_eq!(opts.color, ColorArg::Never);
    }

    #[test]
    fn lists_of_paths_keep_bytes_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let paths = list_paths(b"a\xff.md\0b\xfe.md\0\0", true);
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0].as_os_str().as_bytes(), b"a\xff.md");
        assert_eq!(paths[1].as_os_str().as_bytes(), b"b\xfe.md");
        let lines = list_paths(b" notes/a.md \n\nnotes/b.md\n", false);
        assert_eq!(lines, vec![PathBuf::from("notes/a.md"), PathBuf::from("notes/b.md")]);
    }

    #[test]
    fn dates_are_checked_when_parsed() {
        assert!(Opts::try_parse_from(["nkdigi", "search", "x", "--since", "2025-13"]).is_err());
        let opts = Opts::try_parse_from(["nkdigi", "search", "x", "--since", "2025-02"]).unwrap();
        let Command::Search(args) = opts.command else { panic!("search") };
        assert_eq!(args.filters.since.unwrap().to_string(), "2025-02");
    }
}
