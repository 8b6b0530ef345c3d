//! The command line: clap's derive structs for what the user typed, and their resolution,
//! with the environment and the config file, into plain settings and one action for
//! `app` to run. The only module that knows clap (man pages and completions included).

use crate::commands::check::CheckOptions;
use crate::commands::index::IndexOptions;
use crate::commands::search::{HitDetail, SearchOptions};
use crate::commands::Values;
use crate::config::{self, Config};
use crate::date::PartialDate;
use crate::error::{Error, ExitCode};
use crate::output::ColorChoice;
use crate::store::{CountBy, Sort};
use crate::tagging::registry::Kind;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use std::io::Write;
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
    #[arg(long, global = true, env = "NKDIGI_COLOR", value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
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
    /// Print the settings in force and where each came from
    ///
    /// Settings come from flags, then the environment (NKDIGI_INDEX, NKDIGI_TAXONOMY,
    /// NKDIGI_COLOR, NKDIGI_PAGE_SIZE), then the config file: $NKDIGI_CONFIG, else
    /// $XDG_CONFIG_HOME/nkdigi/config.toml, else ~/.config/nkdigi/config.toml, which may set
    /// `index` (used where no .nkdigi folder is found upward), `taxonomy`, `color` (auto,
    /// always or never) and `page_size` (results a text page of search shows).
    #[command(after_help = "Examples:
  nkdigi config
  nkdigi config --format json
  printf 'index = \"~/research/.nkdigi\"\\npage_size = 20\\n' > ~/.config/nkdigi/config.toml")]
    Config {
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
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
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(|| candidates(Values::Speakers)))]
    pub speaker: Vec<String>,
    /// Only documents naming this institution (repeatable: any of)
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(|| candidates(Values::Institutions)))]
    pub institution: Vec<String>,
    /// Only documents with this topic id (repeatable: any of)
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(|| candidates(Values::Topics)))]
    pub topic: Vec<String>,
    /// Only documents with a speaker affiliated with this institution (repeatable: any of);
    /// with --passages: said by one
    #[arg(long, value_name = "ORG", add = ArgValueCandidates::new(|| candidates(Values::Institutions)))]
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

/// The nearest `.nkdigi` index in the current folder or above it, relative to the current
/// folder.
fn index_found_upward() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|dir| dir.join(".nkdigi"))
        .find(|candidate| candidate.join("meta.json").is_file())
        .map(|found| relative_to(&found, &cwd))
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
            default_taxonomy: None,
            max_file_size: self.max_file_size,
            wait: self.wait.map(Duration::from_secs_f64),
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            follow: self.follow,
            list_changes: false,
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

/// Where a setting in force came from, as `nkdigi config` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A flag on the command line (`--index`).
    Flag(&'static str),
    /// An environment variable (`NKDIGI_INDEX`).
    Env(&'static str),
    /// The nearest `.nkdigi` folder in or above the current folder.
    Found,
    /// The config file.
    File,
    /// nkdigi's default.
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "{flag}"),
            Source::Env(var) => write!(f, "{var}"),
            Source::Found => f.write_str("found in or above the current folder"),
            Source::File => f.write_str("config file"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// The settings every command runs with: flags, then the environment, then the config
/// file, then defaults, resolved once here.
#[derive(Debug, Clone)]
pub struct Settings {
    pub index: Setting<PathBuf>,
    pub taxonomy: Setting<Option<PathBuf>>,
    pub color: Setting<ColorChoice>,
    /// Results a text page of `search` shows.
    pub page_size: Setting<usize>,
    /// The config file looked for, and whether it was there.
    pub config_file: Option<(PathBuf, bool)>,
    pub quiet: bool,
    pub verbose: bool,
}

/// What to do, with plain options: no clap type past this point.
#[derive(Debug)]
pub enum Action {
    Index { options: IndexOptions, format: SummaryFormat },
    Search { options: SearchOptions, format: SearchFormat, null: bool },
    Show { document: String, explain: bool, format: SummaryFormat },
    Export,
    Stats { options: SearchOptions, by: CountBy, format: SummaryFormat },
    Entities { kinds: Vec<Kind>, suggest: bool, format: SummaryFormat },
    Check { options: CheckOptions, format: SummaryFormat },
    Verify { format: SummaryFormat },
    Completions { shell: clap_complete::Shell },
    Man { dir: Option<PathBuf> },
    Config { format: SummaryFormat },
}

/// One run of nkdigi: its settings and its action.
#[derive(Debug)]
pub struct Invocation {
    pub settings: Settings,
    pub action: Action,
}

/// The command definition, for parsing, completions and man pages.
pub fn command() -> clap::Command {
    Opts::command()
}

/// Reads the command line, the environment and the config file. A command line clap
/// cannot read ends the process as clap would, in nkdigi's one-line format.
pub fn parse() -> Result<Invocation, Error> {
    let matches = command().try_get_matches().unwrap_or_else(|err| usage_error(err));
    let opts = Opts::from_arg_matches(&matches).unwrap_or_else(|err| usage_error(err));
    resolve(opts, &matches, &|name| std::env::var(name).ok())
}

/// Settings and action from parsed options; `env` looks environment variables up (for the
/// config file's place and NKDIGI_PAGE_SIZE; clap reads the variables of flags itself).
pub fn resolve(opts: Opts, matches: &ArgMatches, env: &dyn Fn(&str) -> Option<String>) -> Result<Invocation, Error> {
    let (file, config_file) = read_config(env)?;
    let sub = matches.subcommand().map(|(_, m)| m);
    // Where clap took a value from: the command line or the environment.
    let given = |id: &str| -> Option<ValueSource> {
        let source = |m: &ArgMatches| m.try_get_raw(id).ok().flatten().and_then(|_| m.value_source(id));
        sub.and_then(source).or_else(|| source(matches)).filter(|s| *s != ValueSource::DefaultValue)
    };
    let from = |id: &str, flag: &'static str, var: &'static str| match given(id) {
        Some(ValueSource::CommandLine) => Some(Source::Flag(flag)),
        Some(ValueSource::EnvVariable) => Some(Source::Env(var)),
        _ => None,
    };

    let index = match (from("index", "--index", "NKDIGI_INDEX"), &opts.index) {
        (Some(source), Some(path)) => Setting { value: path.clone(), source },
        _ => default_index(&file),
    };
    let color = match (from("color", "--color", "NKDIGI_COLOR"), &file.color) {
        (Some(source), _) => Setting { value: opts.color.choice(), source },
        (None, Some(word)) => {
            let arg = ColorArg::from_str(word, true).map_err(|e| Error::Usage(format!("color {word:?}: {e}")))?;
            Setting { value: arg.choice(), source: Source::File }
        }
        (None, None) => Setting { value: ColorChoice::Auto, source: Source::Default },
    };
    let given_taxonomy = match &opts.command {
        Command::Index(args) => args.taxonomy.clone(),
        Command::Check(args) => args.taxonomy.clone(),
        _ => None,
    };
    let taxonomy = match (from("taxonomy", "--taxonomy", "NKDIGI_TAXONOMY"), given_taxonomy) {
        (Some(source), Some(path)) => Setting { value: Some(path), source },
        _ => match (env("NKDIGI_TAXONOMY").filter(|v| !v.is_empty()), &file.taxonomy) {
            // Commands without --taxonomy still report the variable in force.
            (Some(path), _) => Setting { value: Some(PathBuf::from(path)), source: Source::Env("NKDIGI_TAXONOMY") },
            (None, Some(path)) => Setting { value: Some(path.clone()), source: Source::File },
            (None, None) => Setting { value: None, source: Source::Default },
        },
    };
    let page_size = match (env("NKDIGI_PAGE_SIZE").filter(|v| !v.is_empty()), file.page_size) {
        (Some(text), _) => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => Setting { value: n, source: Source::Env("NKDIGI_PAGE_SIZE") },
            _ => return Err(Error::Usage(format!("NKDIGI_PAGE_SIZE={text:?}: give a number of results, 1 or more"))),
        },
        (None, Some(n)) => Setting { value: n, source: Source::File },
        (None, None) => Setting { value: 10, source: Source::Default },
    };
    let settings =
        Settings { index, taxonomy, color, page_size, config_file, quiet: opts.quiet, verbose: opts.verbose };
    let action = action(opts.command, &settings)?;
    Ok(Invocation { settings, action })
}

/// The config file (its settings, or none) and where it was looked for, with whether it
/// was there.
fn read_config(env: &dyn Fn(&str) -> Option<String>) -> Result<(Config, Option<(PathBuf, bool)>), Error> {
    let location = config::location(env);
    let home = env("HOME").map(PathBuf::from);
    let file = match &location {
        Some(at) => config::load(at, home.as_deref())?,
        None => None,
    };
    let looked_at = location.map(|at| (at.path, file.is_some()));
    Ok((file.unwrap_or_default(), looked_at))
}

/// The index when neither `--index` nor NKDIGI_INDEX names one: the nearest `.nkdigi`
/// upward, else the config file's, else `./.nkdigi`.
fn default_index(file: &Config) -> Setting<PathBuf> {
    match (index_found_upward(), &file.index) {
        (Some(found), _) => Setting { value: found, source: Source::Found },
        (None, Some(path)) => Setting { value: path.clone(), source: Source::File },
        (None, None) => Setting { value: PathBuf::from(".nkdigi"), source: Source::Default },
    }
}

/// The action of a parsed command, with the settings applied.
fn action(command: Command, settings: &Settings) -> Result<Action, Error> {
    let index = settings.index.value.clone();
    Ok(match command {
        Command::Index(args) => {
            let mut options = args.options(index)?;
            // A taxonomy given by flag or environment replaces the index's saved one; the
            // config file's is only a default for an index that has none saved.
            match settings.taxonomy.source {
                Source::File => options.default_taxonomy = settings.taxonomy.value.clone(),
                _ => options.taxonomy = settings.taxonomy.value.clone(),
            }
            options.list_changes = settings.verbose;
            Action::Index { options, format: args.format }
        }
        Command::Search(args) => {
            if args.query.as_deref().is_none_or(|q| q.trim().is_empty()) && args.filters.is_empty() {
                return Err(Error::Usage(
                    "give a QUERY or a filter (--speaker, --institution, --topic, --affiliation, --since, --until)"
                        .into(),
                ));
            }
            let mut options = args.filters.search_options(index, args.query.as_deref());
            options.passages = args.passages;
            // A page for a reader; everything for a script, unless it asks for less.
            let text = matches!(args.format, SearchFormat::Text);
            options.limit = args.limit.unwrap_or(if text { settings.page_size.value } else { usize::MAX });
            options.offset = args.offset;
            options.absolute_paths = args.absolute_path;
            options.sort = args.sort.sort();
            if matches!(args.format, SearchFormat::Paths) {
                options.detail = HitDetail::Path;
            }
            Action::Search { options, format: args.format, null: args.null }
        }
        Command::Show(args) => Action::Show { document: args.document, explain: args.explain, format: args.format },
        Command::Export => Action::Export,
        Command::Stats(args) => {
            let mut options = args.filters.search_options(index, args.query.as_deref());
            options.passages = args.passages;
            Action::Stats { options, by: args.by.count_by(), format: args.format }
        }
        Command::Entities(args) => {
            Action::Entities { kinds: KindArg::kinds(args.kind), suggest: args.suggest, format: args.format }
        }
        Command::Check(args) => Action::Check {
            options: CheckOptions {
                paths: args.paths,
                taxonomy: settings.taxonomy.value.clone(),
                max_file_size: args.max_file_size,
                follow: args.follow,
                explain: args.explain,
            },
            format: args.format,
        },
        Command::Verify(args) => Action::Verify { format: args.format },
        Command::Completions { shell } => Action::Completions { shell },
        Command::Man { dir } => Action::Man { dir },
        Command::Config { format } => Action::Config { format },
    })
}

/// A command line clap cannot read ends as every other error does: `nkdigi: <what>` on one
/// line (with a pointer to `--help`), exit 2. Help and version go to stdout as usual.
fn usage_error(err: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        err.exit();
    }
    // Everything clap says before its usage block, on one line.
    let rendered = err.render().to_string();
    let what: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .map(|l| l.trim().trim_start_matches("error: "))
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect();
    eprintln!("nkdigi: {} (see nkdigi --help)", what.join(" "));
    std::process::exit(ExitCode::Error.code() as i32);
}

// ---- completions ----

/// Answers a shell's request for completions (`COMPLETE=bash nkdigi -- …`) and exits; does
/// nothing when the shell is not asking.
pub fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(command).complete();
}

/// `nkdigi completions SHELL`: the script that makes the shell ask nkdigi for completions,
/// so that `--speaker`, `--institution`, `--affiliation` and `--topic` complete with the
/// values in the index.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<()> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::PowerShell => &Powershell,
        clap_complete::Shell::Zsh => &Zsh,
        // A shell clap adds later: the static script, without index values.
        _ => {
            clap_complete::generate(shell, &mut command(), "nkdigi", out);
            return Ok(());
        }
    };
    completer.write_registration("COMPLETE", "nkdigi", "nkdigi", "nkdigi", out)
}

/// Values of the index for a flag being completed: the index is found as every command
/// finds it (environment, then upward, then the config file); none when there is none.
fn candidates(values: Values) -> Vec<CompletionCandidate> {
    let env = |name: &str| std::env::var(name).ok();
    let index = match env("NKDIGI_INDEX").filter(|v| !v.is_empty()) {
        Some(given) => PathBuf::from(given),
        // A config file with a mistake offers nothing rather than an error in the prompt.
        None => default_index(&read_config(&env).map(|(file, _)| file).unwrap_or_default()).value,
    };
    crate::commands::values(&index, values).unwrap_or_default().into_iter().map(CompletionCandidate::new).collect()
}

// ---- man pages ----

/// The sections every page ends with: how nkdigi exits, what it reads from the
/// environment and the disk, and the query language.
const MAN_TAIL: &str = r#".SH "QUERY SYNTAX"
Terms are joined by AND; \fB"a phrase"\fR keeps its words in order; \fBOR\fR and a leading \fB-\fR
(exclude) combine them; \fBword~1\fR or \fBword~2\fR also finds words within that many edits.
Field prefixes: \fBspeaker:\fR, \fBinstitution:\fR, \fBtopic:\fR, \fBtitle:\fR, \fBsource:\fR, \fBevent:\fR.
English words are stemmed; Hangul is matched by syllable pairs, so a word finds its forms with particles.
.SH "EXIT STATUS"
.TP
\fB0\fR
success; \fBsearch\fR found something
.TP
\fB1\fR
\fBsearch\fR found nothing; \fBindex\fR rejected some files (the rest is committed); \fBcheck\fR would reject a file; \fBverify\fR found damage
.TP
\fB2\fR
usage error, bad query, bad config file, no index, not an nkdigi index, permission denied, read-only file system, no space left
.TP
\fB75\fR
the index is locked by another writer
.TP
\fB130\fR
\fBindex\fR was interrupted (what was done is committed)
.SH ENVIRONMENT
Flags win over the environment, which wins over the config file.
.TP
\fBNKDIGI_INDEX\fR
the index folder, as \fB--index\fR
.TP
\fBNKDIGI_TAXONOMY\fR
a taxonomy file extending the built-in one, as \fB--taxonomy\fR
.TP
\fBNKDIGI_COLOR\fR
when to color text output, as \fB--color\fR
.TP
\fBNKDIGI_PAGE_SIZE\fR
results a text page of \fBsearch\fR shows (\fB--limit\fR wins)
.TP
\fBNKDIGI_CONFIG\fR
the config file to read instead of the one in \fBXDG_CONFIG_HOME\fR
.TP
\fBNO_COLOR\fR, \fBCOLUMNS\fR
no color; the width of text output when it is not a terminal
.TP
\fBCOMPLETE\fR
set by the shell scripts of \fBnkdigi completions\fR to ask for completions
.SH FILES
.TP
\fB.nkdigi/\fR
the index, found in the current folder or the nearest one above it; \fBnkdigi-index.json\fR marks it as nkdigi's
.TP
\fB$XDG_CONFIG_HOME/nkdigi/config.toml\fR (else \fB~/.config/nkdigi/config.toml\fR)
defaults: \fBindex\fR (used where no \fB.nkdigi\fR is found upward), \fBtaxonomy\fR, \fBcolor\fR, \fBpage_size\fR; \fBnkdigi config\fR shows the settings in force
"#;

/// The page of `cmd`, with the common sections after clap's.
fn render_page(out: &mut dyn Write, cmd: clap::Command) -> std::io::Result<()> {
    clap_mangen::Man::new(cmd).render(out)?;
    out.write_all(MAN_TAIL.as_bytes())
}

/// `nkdigi man`: the main page on standard output.
pub fn write_man_page(out: &mut dyn Write) -> std::io::Result<()> {
    render_page(out, command())
}

/// `nkdigi man DIR`: `nkdigi.1` and one page per command (`nkdigi-search.1`…), each with
/// the common sections. Returns how many pages were written.
pub fn write_man_pages(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![cmd.clone()];
    pages.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    for page in &pages {
        let name = page.get_display_name().unwrap_or_else(|| page.get_name()).to_string();
        let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{name}.1")))?);
        render_page(&mut file, page.clone())?;
        file.flush()?;
    }
    Ok(pages.len())
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
