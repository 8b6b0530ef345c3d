//! Integration tests: run the real `nkdigi` binary on fixtures written into a fresh temp
//! dir per test, and check exit codes, stderr lines and the JSON shapes of spec.md field
//! by field. Every command runs with `--index <tmp>/ix` (unless the test is about finding
//! the index) and the caller's environment scrubbed by the shared launcher
//! (tests/common), so results depend on nothing but the fixtures. Sections 1–11 and the
//! unnumbered ones after them run with `NO_COLOR=1` (`Sandbox::new_no_color`,
//! `Sandbox::indexed_no_color`); sections 12–15 (completions, man pages, lists of paths,
//! help and suggestions, `check`) run without it, as they did in tests/terminal.rs.

mod common;
use common::fixtures::*;
use common::json::*;
use common::sandbox::Sandbox;
use common::{nkdigi, Run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------

fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

/// Keys a JSON object must have (nullable values must be present as `null`, not missing).
#[track_caller]
fn assert_keys(value: &Value, keys: &[&str]) {
    let object = value.as_object().unwrap_or_else(|| panic!("not an object: {value}"));
    for key in keys {
        assert!(object.contains_key(*key), "key {key:?} missing in {value}");
    }
}

/// The chars `start..end` of `text` (highlights count characters, not bytes).
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

// ---------------------------------------------------------------------------------------
// 1. index: summary, incremental runs, re-scan, rejected files.
// ---------------------------------------------------------------------------------------

#[test]
fn index_of_a_folder_reports_every_file_added() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    let run = sb.run(&["index", "notes", "--format", "json"]).ok();
    // The summary keys the spec names, all present.
    assert_keys(&run.value(), &["added", "updated", "unchanged", "removed", "rejected", "elapsed_ms"]);
    let summary: IndexSummary = run.json();
    assert_eq!(summary.added, 4);
    assert_eq!(summary.updated, 0);
    assert_eq!(summary.unchanged, 0);
    assert_eq!(summary.removed, 0);
    assert!(summary.rejected.is_empty(), "{:?}", summary.rejected);
    assert!(run.stderr.is_empty(), "a clean run prints no errors: {}", run.stderr);
    assert!(sb.index_dir().is_dir(), "the index folder is created where --index says");
}

#[test]
fn verbose_index_lists_each_change_on_stderr_and_a_quiet_one_lists_none() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    let run = sb.run(&["index", "notes", "-v"]).ok();
    let added: Vec<&str> = run.stderr_lines().into_iter().filter(|l| l.trim_start().starts_with("added ")).collect();
    assert_eq!(added.len(), 4, "{}", run.stderr);
    assert!(added.iter().any(|l| l.ends_with("notes/park-ai.md")), "{added:?}");
    sb.remove("notes/cyber-2023.md");
    let run = sb.run(&["index", "notes", "--verbose"]).ok();
    assert_eq!(run.stderr_lines().iter().filter(|l| l.trim_start().starts_with("removed ")).count(), 1);
    sb.write("notes/new.md", "New note\n\nKoryolink cut prices.\n");
    let run = sb.run(&["index", "notes"]).ok();
    assert!(!run.stderr.contains("added"), "changes are listed only with --verbose: {}", run.stderr);
}

#[test]
fn files_are_indexed_in_the_order_of_their_paths_each_once() {
    let sb = Sandbox::new_no_color();
    // A folder sorts after the files whose names it starts (`a.md`, `a-b.md`, `a b.md`):
    // its files' paths go on with `/`.
    for rel in ["notes/a/x.md", "notes/a.md", "notes/a-b.md", "notes/a b.md", "notes/ab.md", "notes/a/b/y.md"] {
        sb.write(rel, "Koryolink cut prices.\n");
    }
    // Two roots, one inside the other: each file once, under the first root that finds it.
    let run = sb.run(&["index", "notes", "notes/a", "-v"]).ok();
    let added: Vec<String> = run
        .stderr_lines()
        .into_iter()
        .filter_map(|l| l.trim_start().strip_prefix("added ").map(str::to_string))
        .collect();
    let expected = ["notes/a b.md", "notes/a-b.md", "notes/a.md", "notes/a/b/y.md", "notes/a/x.md", "notes/ab.md"];
    assert_eq!(added, expected, "{}", run.stderr);
    let mut sorted = added.clone();
    sorted.sort();
    assert_eq!(added, sorted);
    // Roots given in any order: their files in the order of their paths (`notes-b/` before
    // `notes/`, as `-` comes before `/`).
    let sb = Sandbox::new_no_color();
    for rel in ["notes/a.md", "notes-b/c.md", "notes.md"] {
        sb.write(rel, "Koryolink cut prices.\n");
    }
    let run = sb.run(&["index", "notes", "notes.md", "notes-b", "-v"]).ok();
    let added: Vec<&str> =
        run.stderr_lines().into_iter().filter_map(|l| l.trim_start().strip_prefix("added ")).collect();
    assert_eq!(added, ["notes-b/c.md", "notes.md", "notes/a.md"], "{}", run.stderr);
}

#[test]
fn a_second_index_run_finds_everything_unchanged() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let summary = sb.index(&["notes"], 0);
    assert_eq!((summary.added, summary.updated, summary.unchanged, summary.removed), (0, 0, 4, 0));
}

#[test]
fn an_edited_file_is_updated_and_its_new_words_are_searchable() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.run(&["search", "quantum"]).code(1);
    // New content and a different size, so no change detection shortcut can miss it.
    sb.write(
        "notes/park-ai.md",
        &format!("{PARK_AI}\nPark Min-ju also said that quantum computing is a new priority.\n"),
    );
    let summary = sb.index(&["notes"], 0);
    assert_eq!((summary.added, summary.updated, summary.unchanged, summary.removed), (0, 1, 3, 0));
    assert_eq!(sb.paths(&["search", "quantum"]), ["notes/park-ai.md"]);
}

#[test]
fn a_deleted_file_is_removed_from_the_index() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(sb.paths(&["search", "Lazarus"]), ["notes/cyber-2023.md"]);
    sb.remove("notes/cyber-2023.md");
    let summary = sb.index(&["notes"], 0);
    assert_eq!((summary.added, summary.updated, summary.unchanged, summary.removed), (0, 0, 3, 1));
    sb.run(&["search", "Lazarus"]).code(1);
    assert_eq!(sb.run(&["export"]).ok().lines().len(), 3);
}

#[test]
fn index_without_paths_rescans_the_stored_roots() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.write("notes/new/koryolink-prices.md", "Koryolink prices\n\nKoryolink cut the price of a SIM card by half.\n");
    let summary = sb.index(&[], 0);
    assert_eq!((summary.added, summary.updated, summary.unchanged, summary.removed), (1, 0, 4, 0));
    assert_eq!(sb.paths(&["search", "SIM"]), ["notes/new/koryolink-prices.md"]);
}

#[test]
fn index_without_paths_on_a_fresh_index_is_a_usage_error() {
    let sb = Sandbox::new_no_color();
    let run = sb.run(&["index"]).code(2);
    assert!(run.stderr.starts_with("nkdigi: "), "{}", run.stderr);
}

#[test]
fn malformed_front_matter_rejects_that_file_with_its_line_and_keeps_the_rest() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    sb.write("notes/bad.md", BAD_FRONT_MATTER);
    let run = sb.run(&["index", "notes", "--format", "json"]).code(1);
    // One line on stderr, naming the file and the line of `speakers: 42`.
    let errors = run.stderr_lines();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("nkdigi: notes/bad.md:4: "), "{}", errors[0]);
    assert!(errors[0].len() > "nkdigi: notes/bad.md:4: ".len(), "says what is wrong: {}", errors[0]);
    let summary: IndexSummary = run.json();
    assert_eq!(summary.added, 4);
    assert_eq!(summary.rejected.len(), 1);
    assert_eq!(summary.rejected[0].path, "notes/bad.md");
    assert!(!summary.rejected[0].error.is_empty());
    // The rest is committed and searchable; the bad file is not in the index.
    assert_eq!(sb.paths(&["search", "ChatGPT"]), ["notes/park-ai.md"]);
    assert_eq!(sb.run(&["export"]).ok().lines().len(), 4);
    sb.run(&["show", "notes/bad.md"]).code(2);
}

// ---------------------------------------------------------------------------------------
// 2. search.
// ---------------------------------------------------------------------------------------

#[test]
fn search_exits_0_on_hits_and_1_on_none() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let hit = sb.run(&["search", "ChatGPT"]).ok();
    assert!(hit.stdout.contains("notes/park-ai.md"), "text output names the file: {}", hit.stdout);
    let miss = sb.run(&["search", "zeppelin"]).code(1);
    assert!(miss.stdout.trim().is_empty(), "nothing on stdout: {}", miss.stdout);
    let miss_json: SearchJson = sb.run(&["search", "zeppelin", "--format", "json"]).code(1).json();
    assert_eq!(miss_json.total, 0);
    assert!(miss_json.hits.is_empty());
}

#[test]
fn search_json_has_every_hit_field() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["search", "Koryolink", "--format", "json"]).ok();
    let value = run.value();
    assert_keys(&value, &["query", "total", "hits"]);
    let keys =
        ["rank", "score", "id", "path", "title", "date", "speakers", "institutions", "topics", "snippet", "highlights"];
    for hit in value["hits"].as_array().expect("hits is a list") {
        assert_keys(hit, &keys);
    }
    let result: SearchJson = run.json();
    assert_eq!(result.query, "Koryolink");
    assert_eq!(result.total, 1);
    let hit = &result.hits[0];
    assert_eq!(hit.rank, 1);
    assert!(hit.score > 0.0);
    assert_eq!(hit.path, "notes/williams-4g.md");
    assert_eq!(hit.id, sb.show("notes/williams-4g.md").id, "the hit's id is the document's");
    assert_eq!(hit.title.as_deref(), Some("Martyn Williams on the 4G network"));
    assert_eq!(hit.date.as_deref(), Some("2025-11-04"));
    assert!(hit.speakers.contains(&"Martyn Williams".to_string()), "{:?}", hit.speakers);
    assert!(hit.institutions.contains(&"Stimson Center".to_string()), "{:?}", hit.institutions);
    assert!(hit.topics.contains(&"4g".to_string()), "{:?}", hit.topics);
    assert!(hit.snippet.contains("Koryolink"), "{}", hit.snippet);
    assert!(!hit.highlights.is_empty());
}

#[test]
fn highlights_are_char_ranges_of_the_query_term_in_the_snippet() {
    // Multi-byte text before the term: byte offsets would point at the wrong place.
    let sb = Sandbox::indexed_no_color(&[(
        "notes/koryolink.md",
        "평양 — the “Koryolink” operator, per Williams’ notes, serves Pyongyang; KORYOLINK grew fast.\n",
    )]);
    let result = sb.search(&["koryolink"]);
    let hit = &result.hits[0];
    assert_eq!(hit.highlights.len(), 2, "both occurrences: {:?} in {:?}", hit.highlights, hit.snippet);
    for &[start, end] in &hit.highlights {
        assert!(start < end && end <= hit.snippet.chars().count(), "{start}..{end} in {:?}", hit.snippet);
        assert_eq!(char_slice(&hit.snippet, start, end).to_lowercase(), "koryolink", "{start}..{end}");
    }
}

#[test]
fn highlights_of_a_two_word_query_cover_only_its_words() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let result = sb.search(&["4G network"]);
    assert!(!result.hits.is_empty());
    for hit in &result.hits {
        for &[start, end] in &hit.highlights {
            let word = char_slice(&hit.snippet, start, end).to_lowercase();
            assert!(word == "4g" || word == "network", "{word:?} highlighted in {:?}", hit.snippet);
        }
    }
}

#[test]
fn jsonl_prints_one_hit_a_line_like_json() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let json = sb.search(&["network"]);
    assert!(json.hits.len() >= 2, "the test needs several hits: {:?}", json.paths());
    let run = sb.run(&["search", "network", "--format", "jsonl"]).ok();
    let lines = run.lines();
    assert_eq!(lines.len(), json.hits.len());
    for (i, line) in lines.iter().enumerate() {
        let hit: Hit = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(hit.rank, i + 1);
        assert_eq!(hit.path, json.hits[i].path);
        assert_eq!(hit.id, json.hits[i].id);
    }
}

#[test]
fn paths_prints_one_path_a_line_and_nul_separated_with_dash_0() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let json = sb.search(&["network"]);
    let expected: Vec<String> = json.hits.iter().map(|h| h.path.clone()).collect();
    assert!(expected.len() >= 2);
    let run = sb.run(&["search", "network", "--format", "paths"]).ok();
    assert_eq!(run.lines(), expected);
    assert!(run.stdout.ends_with('\n'));
    let nul = sb.run(&["search", "network", "--format", "paths", "-0"]).ok();
    assert!(!nul.stdout.contains('\n'), "no newlines with -0: {:?}", nul.stdout);
    assert!(nul.stdout.ends_with('\0'), "{:?}", nul.stdout);
    let parts: Vec<&str> = nul.stdout.trim_end_matches('\0').split('\0').collect();
    assert_eq!(parts, expected);
}

/// `rg -l` names a file once: so do paths of passage hits, in the order of each
/// document's first passage among the hits.
#[test]
fn paths_of_passage_hits_name_each_document_once_in_the_order_of_its_first_passage() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let json = sb.search(&["network", "--passages"]);
    let mut expected: Vec<String> = Vec::new();
    for hit in &json.hits {
        if !expected.contains(&hit.path) {
            expected.push(hit.path.clone());
        }
    }
    assert!(
        expected.len() >= 2 && expected.len() < json.hits.len(),
        "{} documents, {} passages",
        expected.len(),
        json.hits.len()
    );
    let run = sb.run(&["search", "network", "--passages", "--format", "paths"]).ok();
    assert_eq!(run.lines(), expected);
}

/// Hits of equal score come in the same order from any index of the same files, however
/// its segments were cut: here one index takes both folders in one run, the other in two
/// runs, the second folder first.
#[test]
fn hits_of_equal_score_come_in_the_same_order_from_any_index_of_the_same_files() {
    let files: Vec<(String, String)> = ["a", "b"]
        .iter()
        .flat_map(|folder| {
            (1..=8).map(move |i| {
                let text = format!(
                    "# Briefing {folder}{i}\n\nMartyn Williams said the 4G network had grown.\n\n\
                     Martyn Williams added that Koryolink sold more phones.\n"
                );
                (format!("{folder}/n{i}.md"), text)
            })
        })
        .collect();
    let one_run = Sandbox::new_no_color();
    let two_runs = Sandbox::new_no_color();
    for sb in [&one_run, &two_runs] {
        for (path, text) in &files {
            sb.write(path, text);
        }
    }
    one_run.run(&["index", "a", "b", "-q"]).ok();
    two_runs.run(&["index", "b", "-q"]).ok();
    two_runs.run(&["index", "a", "-q"]).ok();
    let order = |sb: &Sandbox, args: &[&str]| -> Vec<(String, Option<usize>)> {
        let json = sb.search(args);
        assert_eq!(json.total, if args.contains(&"--passages") { 32 } else { 16 }, "{args:?}");
        assert!(json.hits.windows(2).all(|w| w[0].score == w[1].score), "{args:?}: every score is equal");
        json.hits.iter().map(|h| (h.path.clone(), h.passage.as_ref().map(|p| p.n))).collect()
    };
    for args in [
        &["--speaker", "Martyn Williams"][..],
        &["--speaker", "Martyn Williams", "--limit", "5"],
        &["--speaker", "Martyn Williams", "--offset", "3", "--limit", "4"],
        &["--passages", "--speaker", "Martyn Williams"],
        &["--passages", "--speaker", "Martyn Williams", "--limit", "7"],
        &["--speaker", "Martyn Williams", "--sort", "newest"],
    ] {
        let first = order(&one_run, args);
        assert!(!first.is_empty());
        assert_eq!(first, order(&two_runs, args), "{args:?}");
    }
    // The order is neither folder's first, nor the paths': it follows a key of each path.
    let paths: Vec<String> = order(&one_run, &["--speaker", "Martyn Williams"]).into_iter().map(|(p, _)| p).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_ne!(paths, sorted);
}

#[test]
fn limit_and_offset_page_through_results() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // "said" is in the three dated documents; newest-first makes the order known.
    let all = sb.search(&["said", "--sort", "newest"]);
    assert_eq!(all.total, 3);
    assert_eq!(all.hits.len(), 3);
    let first = sb.search(&["said", "--sort", "newest", "--limit", "1"]);
    assert_eq!(first.total, 3, "total counts every match, not just the page");
    assert_eq!(first.paths(), [all.hits[0].path.as_str()]);
    assert_eq!(first.hits[0].rank, 1);
    let second = sb.search(&["said", "--sort", "newest", "--limit", "1", "--offset", "1"]);
    assert_eq!(second.total, 3);
    assert_eq!(second.paths(), [all.hits[1].path.as_str()]);
    assert_eq!(second.hits[0].rank, 2, "ranks continue after the offset");
    let rest = sb.search(&["said", "--sort", "newest", "--offset", "1"]);
    assert_eq!(rest.paths(), all.paths()[1..]);
}

#[test]
fn machine_formats_return_every_result_and_the_footer_goes_to_stderr() {
    let sb = Sandbox::new_no_color();
    let files: Vec<(String, String)> = (0..12)
        .map(|i| (format!("notes/n{i:02}.md"), format!("# Note {i}\n\nKoryolink added towers in town {i}.\n")))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    sb.write_all(&refs);
    sb.index(&["notes"], 0);
    // Scripts get every result unless they ask for fewer; a reader gets a page of 10.
    assert_eq!(sb.search(&["Koryolink"]).hits.len(), 12);
    let jsonl = sb.run(&["search", "Koryolink", "--format", "jsonl"]).ok();
    assert_eq!(jsonl.lines().len(), 12);
    assert_eq!(sb.paths(&["search", "Koryolink"]).len(), 12);
    assert!(jsonl.stderr.is_empty(), "nothing is left out: {:?}", jsonl.stderr);
    assert_eq!(sb.search(&["Koryolink", "--limit", "5"]).hits.len(), 5);
    let text = sb.run(&["search", "Koryolink", "--color", "never"]).ok();
    assert_eq!(text.stdout.matches("Koryolink added").count(), 10);
    assert!(!text.stdout.contains("more with"), "the footer is not a result: {}", text.stdout);
    assert_eq!(text.stderr.trim(), "results 1–10 of 12; more with --offset 10");
    // The footer counts from the offset, and says when the offset is past the end.
    let page = sb.run(&["search", "Koryolink", "--limit", "3", "--offset", "7", "--color", "never"]).ok();
    assert_eq!(page.stderr.trim(), "results 8–10 of 12; more with --offset 10");
    let last = sb.run(&["search", "Koryolink", "--limit", "3", "--offset", "10", "--color", "never"]).ok();
    assert!(last.stderr.is_empty(), "the last page leaves nothing out: {:?}", last.stderr);
    let past = sb.run(&["search", "Koryolink", "--offset", "100", "--color", "never"]);
    assert_eq!(past.stderr.trim(), "no results at --offset 100: there are 12");
    let quiet = sb.run(&["search", "Koryolink", "-q", "--color", "never"]).ok();
    assert!(quiet.stderr.is_empty(), "-q removes the footer: {:?}", quiet.stderr);
}

#[test]
fn a_surname_alone_finds_its_one_speaker_and_names_the_rest_when_several_share_it() {
    let sb = Sandbox::indexed_no_color(&[
        ("notes/park.md", "# AI\n\nPark Min-ju, a professor at the National Institute for Unification Education, said universities use ChatGPT.\n"),
        ("notes/kim-a.md", "# Security\n\nKim Min-jung, a research fellow at INSS, said AI helps crypto theft.\n"),
        ("notes/kim-b.md", "# Markets\n\nKim Min-jun, an economist, said phones raised incomes.\n"),
    ]);
    // Korean family names work as Western ones do, in either script.
    assert_eq!(sb.paths(&["search", "--speaker", "Park"]), ["notes/park.md"]);
    assert_eq!(sb.paths(&["search", "--speaker", "박"]), ["notes/park.md"]);
    assert_eq!(sb.paths(&["search", "--speaker", "Pak"]), ["notes/park.md"]);
    let ambiguous = sb.run(&["search", "--speaker", "Kim"]).code(2);
    assert!(ambiguous.stdout.is_empty());
    assert!(
        ambiguous.stderr.contains("--speaker Kim is ambiguous")
            && ambiguous.stderr.contains("Kim Min-jung")
            && ambiguous.stderr.contains("Kim Min-jun"),
        "{}",
        ambiguous.stderr
    );
    // The full name settles it.
    assert_eq!(sb.paths(&["search", "--speaker", "Kim Min-jun"]), ["notes/kim-b.md"]);
}

#[test]
fn passage_hits_carry_the_line_of_the_file_and_vimgrep_prints_it() {
    let text = "---\ntitle: Notes\n---\n\nThe session opened late.\n\nKoryolink added towers, said Martyn Williams.\n";
    let sb = Sandbox::indexed_no_color(&[("notes/a.md", text)]);
    let json = sb.run(&["search", "Koryolink", "--passages", "--format", "json"]).ok().value();
    let line = json["hits"][0]["line"].as_u64().expect("a line") as usize;
    assert_eq!(line, 7);
    assert!(text.lines().nth(line - 1).unwrap().contains("Koryolink"), "line {line} of the file");
    let vim = sb.run(&["search", "Koryolink", "--passages", "--format", "vimgrep", "--color", "never"]).ok();
    let first = vim.lines()[0].to_string();
    assert!(first.starts_with("notes/a.md:7:1:"), "{first}");
    assert!(first.contains("Koryolink"), "{first}");
    // Document hits point at their best passage too.
    let doc = sb.run(&["search", "Koryolink", "--format", "vimgrep"]).ok();
    assert!(doc.lines()[0].starts_with("notes/a.md:7:1:"), "{}", doc.stdout);
}

#[test]
fn a_first_index_that_fails_leaves_no_index_and_an_empty_search_says_so() {
    let sb = Sandbox::new_no_color();
    let run = sb.run(&["index", "missing-folder"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!sb.index_dir().exists(), "a failed first run leaves no empty index behind");
    let search = sb.run(&["search", "anything"]).code(2);
    assert!(search.stderr.contains("no index here"), "{}", search.stderr);
    // An index that exists stays, whatever a later run finds.
    sb.write("notes/a.md", "# A\n\nKoryolink added towers.\n");
    sb.run(&["index", "notes"]).ok();
    sb.run(&["index", "missing-folder"]).code(1);
    assert!(sb.index_dir().exists());
    let none = sb.run(&["search", "zebra"]).code(1);
    assert!(none.stdout.is_empty());
    assert_eq!(none.stderr.trim(), "nkdigi: no results");
    assert!(sb.run(&["search", "zebra", "-q"]).code(1).stderr.is_empty());
}

#[test]
fn no_result_offers_the_closest_indexed_words_fuzzy_terms_work_and_bad_queries_are_explained() {
    let sb = Sandbox::indexed_no_color(&[("notes/a.md", "# Operators\n\nKoryolink added towers in the provinces.\n")]);
    let miss = sb.run(&["search", "Koryolnk"]).code(1);
    assert!(miss.stdout.is_empty());
    assert!(miss.stderr.contains("did you mean koryolink (for Koryolnk)?"), "{}", miss.stderr);
    assert_eq!(sb.paths(&["search", "Koryolnk~1"]), ["notes/a.md"]);
    assert_eq!(sb.paths(&["search", "provinces Koryolnk~1"]), ["notes/a.md"]);
    assert!(sb.run(&["search", "Koryolnk~0", "--format", "paths"]).code(1).stdout.is_empty());
    let quote = sb.run(&["search", "\"4G"]).code(2);
    assert_eq!(quote.stderr.trim(), "nkdigi: bad query: unbalanced quote in query: \"4G");
    let paren = sb.run(&["search", "(4G network"]).code(2);
    assert!(paren.stderr.contains("'(' is not closed"), "{}", paren.stderr);
}

#[test]
fn affiliation_keeps_what_people_of_an_institution_said() {
    let sb = Sandbox::indexed_no_color(&[
        (
            "notes/panel.md",
            "# Panel\n\nMartyn Williams of the Stimson Center said the 4G network reached provincial cities.\n\n\
             Kim Min-jung, a research fellow at the Institute for National Security Strategy, said 4G helps surveillance.\n",
        ),
        ("notes/other.md", "# Other\n\nThe 4G rollout continued, according to state media.\n"),
    ]);
    let hits = sb.search(&["4G", "--passages", "--affiliation", "Stimson Center"]).hits;
    assert_eq!(hits.len(), 1, "{hits:?}");
    let said_by =
        sb.run(&["search", "4G", "--passages", "--affiliation", "Stimson Center", "--format", "json"]).ok().value();
    assert_eq!(said_by["hits"][0]["passage"]["speakers"], serde_json::json!(["Martyn Williams"]));
    // Resolved as --institution is: an acronym finds its body.
    let inss = sb.run(&["search", "4G", "--passages", "--affiliation", "INSS", "--format", "json"]).ok().value();
    assert_eq!(inss["hits"][0]["passage"]["speakers"], serde_json::json!(["Kim Min-jung"]));
    assert_eq!(inss["total"], 1);
    // Documents too, and no one from an unknown body.
    assert_eq!(sb.paths(&["search", "--affiliation", "Stimson Center"]), ["notes/panel.md"]);
    assert!(sb.run(&["search", "4G", "--affiliation", "Nowhere Institute"]).code(1).stdout.is_empty());
}

#[test]
fn show_takes_a_unique_id_prefix_and_path_hash_passage() {
    let sb = Sandbox::indexed_no_color(&[
        ("notes/a.md", "# A\n\nFirst passage about towers.\n\nSecond passage, Koryolink.\n"),
        ("notes/b.md", "# B\n\nAnother note.\n"),
    ]);
    let a = sb.show("notes/a.md");
    let by_prefix = sb.show(&a.id[..6]);
    assert_eq!(by_prefix.path, "notes/a.md");
    let one = sb.run(&["show", "notes/a.md#1", "--format", "json"]).ok().value();
    let passages = one["passages"].as_array().expect("passages");
    assert_eq!(passages.len(), 1);
    assert_eq!(passages[0]["n"], 1);
    assert!(passages[0]["text"].as_str().unwrap().contains("Koryolink"));
    let past = sb.run(&["show", "notes/a.md#9"]).code(2);
    assert!(past.stderr.contains("has 2 passages"), "{}", past.stderr);
    // Two notes whose ids share their first four characters: that prefix names neither.
    std::fs::create_dir_all(sb.path().join("notes")).unwrap();
    let notes = std::fs::canonicalize(sb.path().join("notes")).unwrap();
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    let (first, second, prefix) = (0..20_000)
        .find_map(|i| {
            let name = format!("c{i}.md");
            let id = nkdigi::corpus::walk::document_id(&notes.join(&name));
            let prefix = id[..4].to_string();
            seen.insert(prefix.clone(), name.clone()).map(|other| (other, name, prefix))
        })
        .expect("a shared prefix among 20,000 ids");
    sb.write(&format!("notes/{first}"), "# One\n\nFirst.\n");
    sb.write(&format!("notes/{second}"), "# Two\n\nSecond.\n");
    sb.run(&["index", "notes"]).ok();
    let ambiguous = sb.run(&["show", &prefix]).code(2);
    assert!(ambiguous.stderr.contains("ambiguous id prefix"), "{}", ambiguous.stderr);
    let unknown = sb.run(&["show", "ffffffff"]).code(2);
    assert!(unknown.stderr.contains("no such document"), "{}", unknown.stderr);
}

#[test]
fn result_paths_are_relative_to_the_current_folder_or_absolute() {
    let sb = Sandbox::indexed_no_color(&[("notes/sub/a.md", "# A\n\nKoryolink added towers.\n")]);
    assert_eq!(sb.paths(&["search", "Koryolink"]), ["notes/sub/a.md"], "from where index ran: as indexed");
    let index = sb.index_dir();
    let from = |dir: &str, extra: &[&str]| -> Vec<String> {
        let mut cmd = nkdigi(&sb.path().join(dir));
        cmd.env("NO_COLOR", "1")
            .arg("--index")
            .arg(&index)
            .args(["search", "Koryolink", "--format", "paths"])
            .args(extra);
        let run = Run::from(&mut cmd).ok();
        run.lines().into_iter().map(str::to_string).collect()
    };
    assert_eq!(from("notes", &[]), ["sub/a.md"]);
    assert_eq!(from("notes/sub", &[]), ["a.md"]);
    std::fs::create_dir_all(sb.path().join("elsewhere")).unwrap();
    assert_eq!(from("elsewhere", &[]), ["../notes/sub/a.md"]);
    let absolute = from("elsewhere", &["--absolute-path"]);
    let expected = std::fs::canonicalize(sb.path().join("notes/sub/a.md")).unwrap();
    assert_eq!(absolute, [expected.to_string_lossy().into_owned()]);
    // The path printed opens the file from where it was printed.
    assert!(sb.path().join("notes").join(&from("notes", &[])[0]).is_file());
}

#[test]
fn sort_newest_and_oldest_order_by_date() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let newest = sb.paths(&["search", "said", "--sort", "newest"]);
    assert_eq!(newest, ["notes/williams-4g.md", "notes/park-ai.md", "notes/cyber-2023.md"]);
    let oldest = sb.paths(&["search", "said", "--sort", "oldest"]);
    assert_eq!(oldest, ["notes/cyber-2023.md", "notes/park-ai.md", "notes/williams-4g.md"]);
    let dates: Vec<Option<String>> =
        sb.search(&["said", "--sort", "newest"]).hits.into_iter().map(|h| h.date).collect();
    assert_eq!(dates, [Some("2025-11-04".into()), Some("2024-05".into()), Some("2023".into())]);
}

#[test]
fn since_and_until_are_inclusive_and_drop_undated_documents() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // "network OR said" matches all four documents, the undated one included.
    assert_eq!(set(sb.paths(&["search", "network OR said"])).len(), 4);
    assert_eq!(
        set(sb.paths(&["search", "network OR said", "--since", "2024"])),
        set(["notes/williams-4g.md", "notes/park-ai.md"])
    );
    assert_eq!(
        set(sb.paths(&["search", "network OR said", "--until", "2024-12"])),
        set(["notes/cyber-2023.md", "notes/park-ai.md"])
    );
    assert_eq!(sb.paths(&["search", "network OR said", "--since", "2024", "--until", "2024-12"]), ["notes/park-ai.md"]);
    // The bounds themselves are in.
    assert_eq!(sb.paths(&["search", "said", "--since", "2025-11-04"]), ["notes/williams-4g.md"]);
    assert_eq!(sb.paths(&["search", "said", "--until", "2023"]), ["notes/cyber-2023.md"]);
    assert_eq!(
        set(sb.paths(&["search", "said", "--since", "2024-05", "--until", "2025-11-04"])),
        set(["notes/williams-4g.md", "notes/park-ai.md"])
    );
    // A date filter alone is a valid query; undated documents never match it.
    let dated = set(sb.paths(&["search", "--since", "1900"]));
    assert_eq!(dated, set(["notes/williams-4g.md", "notes/park-ai.md", "notes/cyber-2023.md"]));
    sb.run(&["search", "said", "--since", "2026"]).code(1);
}

#[test]
fn a_bad_date_is_a_usage_error() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["search", "said", "--since", "2025-13"]).code(2);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_quoted_phrase_needs_adjacent_words_while_bare_words_do_not() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // apps.md has "network" and "4G" apart; williams-4g.md has "4G network".
    assert_eq!(set(sb.paths(&["search", "4G network"])), set(["notes/williams-4g.md", "notes/apps.md"]));
    assert_eq!(sb.paths(&["search", "\"4G network\""]), ["notes/williams-4g.md"]);
}

#[test]
fn terms_are_joined_by_and_by_default() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // ChatGPT is only in park-ai.md, Koryolink only in williams-4g.md.
    sb.run(&["search", "ChatGPT Koryolink"]).code(1);
    sb.run(&["search", "ChatGPT AND Koryolink"]).code(1);
    assert_eq!(sb.paths(&["search", "ChatGPT facial"]), ["notes/park-ai.md"]);
}

#[test]
fn or_matches_either_term() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(set(sb.paths(&["search", "ChatGPT OR Koryolink"])), set(["notes/park-ai.md", "notes/williams-4g.md"]));
}

#[test]
fn a_minus_term_excludes_documents() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let with = set(sb.paths(&["search", "network"]));
    assert!(with.contains("notes/williams-4g.md"), "{with:?}");
    let without = set(sb.paths(&["search", "network -Koryolink"]));
    assert!(!without.contains("notes/williams-4g.md"), "{without:?}");
    assert_eq!(without, set(["notes/cyber-2023.md", "notes/apps.md"]));
}

#[test]
fn english_stemming_matches_other_forms_of_a_word() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // williams-4g.md only has "network"; cyber-2023.md only has "networks".
    let plural = set(sb.paths(&["search", "networks"]));
    assert!(plural.contains("notes/williams-4g.md"), "{plural:?}");
    let singular = set(sb.paths(&["search", "network"]));
    assert!(singular.contains("notes/cyber-2023.md"), "{singular:?}");
}

#[test]
fn title_prefix_searches_titles_only() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // "Pyongyang" is in the body of williams-4g.md and the title of apps.md.
    assert_eq!(set(sb.paths(&["search", "Pyongyang"])), set(["notes/williams-4g.md", "notes/apps.md"]));
    assert_eq!(sb.paths(&["search", "title:Pyongyang"]), ["notes/apps.md"]);
}

#[test]
fn topic_prefix_searches_topic_tags() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let cyber = sb.paths(&["search", "topic:cyber"]);
    assert_eq!(cyber, ["notes/cyber-2023.md"]);
    let four_g = set(sb.paths(&["search", "topic:4g"]));
    assert!(four_g.contains("notes/williams-4g.md"), "{four_g:?}");
    assert!(!four_g.contains("notes/park-ai.md") && !four_g.contains("notes/cyber-2023.md"), "{four_g:?}");
    // Every hit really carries the topic.
    for hit in sb.search(&["topic:4g"]).hits {
        assert!(hit.topics.contains(&"4g".to_string()), "{}: {:?}", hit.path, hit.topics);
    }
}

#[test]
fn speaker_prefix_resolves_romanization_variants() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    // park-ai.md spells the name Park Min-ju; apps.md spells it Park Min-joo.
    assert_eq!(set(sb.paths(&["search", "speaker:\"Park Min-joo\""])), set(["notes/park-ai.md", "notes/apps.md"]));
    assert_eq!(sb.paths(&["search", "speaker:\"Park Min-joo\" ChatGPT"]), ["notes/park-ai.md"]);
}

#[test]
fn source_and_event_prefixes_search_those_fields() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(sb.paths(&["search", "source:yonhap"]), ["notes/cyber-2023.md"]);
    // "Stimson" is in the body of williams-4g.md too, so the prefix must narrow to the field.
    sb.run(&["search", "source:Lazarus"]).code(1);
    assert_eq!(sb.paths(&["search", "event:\"Seoul Digital Forum\""]), ["notes/williams-4g.md"]);
    assert_eq!(sb.paths(&["search", "event:seminar"]), ["notes/park-ai.md"]);
    sb.run(&["search", "event:Koryolink"]).code(1);
}

#[test]
fn speaker_filter_is_repeatable_and_resolves_names() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(sb.paths(&["search", "--speaker", "Martyn Williams"]), ["notes/williams-4g.md"]);
    // The taxonomy alias Martin Williams finds the canonical Martyn Williams.
    assert_eq!(sb.paths(&["search", "--speaker", "Martin Williams"]), ["notes/williams-4g.md"]);
    assert_eq!(
        set(sb.paths(&["search", "--speaker", "Martyn Williams", "--speaker", "Park Min-joo"])),
        set(["notes/williams-4g.md", "notes/park-ai.md", "notes/apps.md"])
    );
    // A filter combines with the query by AND.
    assert_eq!(sb.paths(&["search", "Samtaesong", "--speaker", "Park Min-ju"]), ["notes/apps.md"]);
    sb.run(&["search", "Koryolink", "--speaker", "Park Min-ju"]).code(1);
}

#[test]
fn institution_filter_is_repeatable() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(sb.paths(&["search", "--institution", "Lazarus Group"]), ["notes/cyber-2023.md"]);
    assert_eq!(
        set(sb.paths(&["search", "--institution", "Lazarus Group", "--institution", "Stimson Center"])),
        set(["notes/cyber-2023.md", "notes/williams-4g.md"])
    );
}

#[test]
fn topic_filter_is_repeatable_and_an_empty_query_is_fine_with_a_filter() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(sb.paths(&["search", "--topic", "cyber"]), ["notes/cyber-2023.md"]);
    assert_eq!(sb.paths(&["search", "", "--topic", "cyber"]), ["notes/cyber-2023.md"]);
    let either = set(sb.paths(&["search", "--topic", "ai", "--topic", "cyber"]));
    assert_eq!(either, set(["notes/park-ai.md", "notes/apps.md", "notes/cyber-2023.md"]));
    for hit in sb.search(&["--topic", "ai", "--topic", "cyber"]).hits {
        assert!(hit.topics.iter().any(|t| t == "ai" || t == "cyber"), "{}: {:?}", hit.path, hit.topics);
    }
}

#[test]
fn an_unknown_topic_filter_is_a_usage_error() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["search", "--topic", "crypto"]).code(2);
    assert!(run.stderr.starts_with("nkdigi: "), "{}", run.stderr);
}

#[test]
fn an_empty_query_without_a_filter_is_a_usage_error() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    for query in [&["search"][..], &["search", ""], &["search", "   "]] {
        let run = sb.run(query).code(2);
        assert!(run.stderr.starts_with("nkdigi: "), "{query:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{query:?}: {}", run.stdout);
    }
}

#[test]
fn passages_are_results_and_speaker_then_means_said_by() {
    let sb = Sandbox::indexed_no_color(&[("notes/panel.md", PANEL)]);
    // Without a speaker, the Williams passage (n = 0) matches 4G too.
    let all = sb.search(&["4G", "--passages"]);
    let all_n: BTreeSet<usize> = all.hits.iter().map(|h| h.passage.as_ref().expect("passage").n).collect();
    assert_eq!(all_n, BTreeSet::from([0, 1, 2]), "{all:?}");
    // With --speaker, only the passages Park Min-ju said (n = 1, and n = 2 by "She added").
    let run = sb.run(&["search", "4G", "--passages", "--speaker", "Park Min-ju", "--format", "json"]).ok();
    for hit in run.value()["hits"].as_array().expect("hits") {
        assert_keys(&hit["passage"], &["n", "text", "speakers", "topics"]);
    }
    let by_park: SearchJson = run.json();
    let mut seen = BTreeSet::new();
    for hit in &by_park.hits {
        assert_eq!(hit.path, "notes/panel.md");
        let passage = hit.passage.as_ref().expect("every passage hit has a passage");
        assert!(passage.speakers.contains(&"Park Min-ju".to_string()), "{passage:?}");
        assert!(passage.text.contains("4G"), "{passage:?}");
        seen.insert(passage.n);
    }
    assert_eq!(seen, BTreeSet::from([1, 2]));
    // The passage is the document's passage of that number.
    let doc = sb.show("notes/panel.md");
    for hit in &by_park.hits {
        let passage = hit.passage.as_ref().expect("passage");
        assert_eq!(passage, &doc.passages[passage.n]);
    }
}

#[test]
fn a_bad_query_is_exit_2_with_one_error_line() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    for query in ["nosuchfield:x", "\"4G network", "topic:crypto"] {
        let run = sb.run(&["search", query]).code(2);
        assert!(run.stdout.is_empty(), "{query}: {}", run.stdout);
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{query}: {}", run.stderr);
        assert!(lines[0].starts_with("nkdigi: "), "{query}: {}", run.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// 3. show.
// ---------------------------------------------------------------------------------------

#[test]
fn show_json_by_path_has_every_document_field() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["show", "notes/williams-4g.md", "--format", "json"]).ok();
    let value = run.value();
    assert_keys(
        &value,
        &["id", "path", "title", "date", "source", "url", "event", "speakers", "institutions", "topics", "passages"],
    );
    let doc: Document = run.json();
    assert_eq!(doc.id.len(), 16, "a short hash: {}", doc.id);
    assert_eq!(doc.path, "notes/williams-4g.md");
    assert_eq!(doc.title.as_deref(), Some("Martyn Williams on the 4G network"));
    assert_eq!(doc.date.as_deref(), Some("2025-11-04"));
    assert_eq!(doc.source.as_deref(), Some("Stimson Center briefing"));
    assert_eq!(doc.url.as_deref(), Some("https://example.org/williams-4g"));
    assert_eq!(doc.event.as_deref(), Some("Seoul Digital Forum"));
    assert_eq!(doc.speakers.len(), 1, "{:?}", doc.speakers);
    assert_eq!(doc.speakers[0].name, "Martyn Williams");
    assert_eq!(doc.speakers[0].affiliation.as_deref(), Some("Stimson Center"));
    assert!(doc.speakers[0].mentions.contains(&"Martyn Williams".to_string()), "{:?}", doc.speakers[0]);
    let stimson = doc.institutions.iter().find(|i| i.name == "Stimson Center").expect("Stimson Center");
    assert!(!stimson.mentions.is_empty());
    assert!(doc.institutions.iter().any(|i| i.name == "Koryolink"), "{:?}", doc.institutions);
    assert_eq!(set(doc.topics.clone()), set(["4g", "smartphones"]));
    // Two paragraphs after the front matter: two passages, numbered from 0.
    assert_eq!(doc.passages.len(), 2, "{:?}", doc.passages);
    for (i, p) in doc.passages.iter().enumerate() {
        assert_eq!(p.n, i);
    }
    assert!(doc.passages[0].text.starts_with("Martyn Williams, a senior fellow"), "{:?}", doc.passages[0]);
    assert!(!doc.passages[0].text.contains("---"), "front matter is not a passage");
    assert!(doc.passages[1].text.starts_with("Williams added"));
    for p in &doc.passages {
        assert_eq!(p.speakers, ["Martyn Williams"], "passage {} is his: {:?}", p.n, p.text);
    }
    assert!(doc.passages[0].topics.contains(&"4g".to_string()), "{:?}", doc.passages[0]);
    // The unknown front matter key is kept and shown.
    assert_eq!(doc.extra.get("panel"), Some(&Value::from("morning")), "{:?}", doc.extra);
}

#[test]
fn show_json_has_null_for_unknown_values_and_empty_lists() {
    let sb = Sandbox::indexed_no_color(&[("notes/cyber-2023.md", CYBER_2023), ("notes/apps.md", APPS_UNDATED)]);
    let value = sb.run(&["show", "notes/apps.md", "--format", "json"]).ok().value();
    for key in ["date", "source", "url", "event"] {
        assert_eq!(value.get(key), Some(&Value::Null), "{key} is null, not missing: {value}");
    }
    let cyber = sb.run(&["show", "notes/cyber-2023.md", "--format", "json"]).ok().value();
    assert_eq!(cyber.get("speakers"), Some(&Value::Array(vec![])), "no speakers is [], not missing: {cyber}");
}

#[test]
fn show_by_id_is_the_same_document_as_by_path() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let by_path = sb.run(&["show", "notes/park-ai.md", "--format", "json"]).ok().value();
    let id = by_path["id"].as_str().expect("id").to_string();
    let by_id = sb.run(&["show", &id, "--format", "json"]).ok().value();
    assert_eq!(by_id, by_path);
}

#[test]
fn show_text_has_the_title_and_path() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["show", "notes/park-ai.md"]).ok();
    assert!(run.stdout.contains("Park Min-ju on AI in universities"), "{}", run.stdout);
    assert!(run.stdout.contains("notes/park-ai.md"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "NO_COLOR: no escape codes");
}

#[test]
fn show_of_an_unknown_document_is_exit_2() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    for doc in ["notes/nope.md", "0123456789abcdef"] {
        let run = sb.run(&["show", doc]).code(2);
        assert!(run.stdout.is_empty());
        assert!(run.stderr.starts_with("nkdigi: "), "{}", run.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// 4. export.
// ---------------------------------------------------------------------------------------

#[test]
fn export_prints_every_document_once_ordered_by_path() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    sb.write("notes/a/plain.txt", PLAIN_TXT);
    sb.run(&["index", "notes"]).ok();
    let run = sb.run(&["export"]).ok();
    let docs: Vec<Document> =
        run.lines().iter().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))).collect();
    assert_eq!(docs.len(), 5);
    let paths: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["notes/a/plain.txt", "notes/apps.md", "notes/cyber-2023.md", "notes/park-ai.md", "notes/williams-4g.md"]
    );
    // Each line is the document `show` prints.
    let line: Value = serde_json::from_str(run.lines()[3]).expect("json");
    assert_eq!(line, sb.run(&["show", "notes/park-ai.md", "--format", "json"]).ok().value());
}

// ---------------------------------------------------------------------------------------
// 5. stats.
// ---------------------------------------------------------------------------------------

#[test]
fn stats_by_topic_counts_documents() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["stats", "--by", "topic", "--format", "json"]).ok();
    assert_keys(&run.value(), &["by", "total", "counts"]);
    let stats: StatsJson = run.json();
    assert_eq!(stats.by, "topic");
    assert_eq!(stats.total, 4);
    assert_eq!(stats.count("ai"), Some(2), "park-ai.md and apps.md: {:?}", stats.counts);
    assert_eq!(stats.count("cyber"), Some(1));
    assert!(stats.count("4g") >= Some(1), "{:?}", stats.counts);
    assert!(stats.counts.iter().all(|c| c.documents <= stats.total));
}

#[test]
fn stats_by_speaker_institution_year_and_source() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let stats = |by: &str| -> StatsJson { sb.run(&["stats", "--by", by, "--format", "json"]).ok().json() };

    let speaker = stats("speaker");
    assert_eq!(speaker.by, "speaker");
    assert_eq!(speaker.count("Park Min-ju"), Some(2), "both spellings count for one person: {:?}", speaker.counts);
    assert_eq!(speaker.count("Park Min-joo"), None);
    assert_eq!(speaker.count("Martyn Williams"), Some(1));

    let institution = stats("institution");
    assert_eq!(institution.by, "institution");
    assert_eq!(institution.count("Lazarus Group"), Some(1), "{:?}", institution.counts);
    assert_eq!(institution.count("Stimson Center"), Some(1));

    let year = stats("year");
    assert_eq!(year.by, "year");
    assert_eq!(year.count("2023"), Some(1), "{:?}", year.counts);
    assert_eq!(year.count("2024"), Some(1));
    assert_eq!(year.count("2025"), Some(1));
    assert_eq!(year.count("undated"), Some(1), "the undated document is one row: {:?}", year.counts);
    assert_eq!(year.counts.last().map(|c| c.value.as_str()), Some("undated"));
    assert_eq!(year.counts.iter().map(|c| c.documents).sum::<u64>(), year.total, "the rows add up to the total");

    let source = stats("source");
    assert_eq!(source.by, "source");
    assert_eq!(source.count("Yonhap wire"), Some(1), "{:?}", source.counts);
    assert_eq!(source.count("Stimson Center briefing"), Some(1));
    assert_eq!(source.count("NIUE seminar notes"), Some(1));
    assert_eq!(source.counts.len(), 3, "{:?}", source.counts);
}

#[test]
fn stats_count_passages_said_by_a_speaker() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let docs: StatsJson = sb.run(&["stats", "--by", "topic", "--format", "json"]).ok().json();
    let run = sb.run(&["stats", "--by", "topic", "--passages", "--format", "json"]).ok();
    let value = run.value();
    let counts = value["counts"].as_array().expect("counts");
    assert!(counts.iter().all(|c| c.get("passages").is_some() && c.get("documents").is_none()), "{value}");
    let total = value["total"].as_u64().expect("total");
    assert!(total > docs.total, "passages outnumber documents: {total} vs {}", docs.total);
    // Said by: only the passages a speaker is credited with.
    let said: serde_json::Value = sb
        .run(&["stats", "--by", "speaker", "--passages", "--speaker", "Park Min-ju", "--format", "json"])
        .ok()
        .value();
    let said_total = said["total"].as_u64().expect("total");
    let park = said["counts"].as_array().expect("counts").iter().find(|c| c["value"] == "Park Min-ju").cloned();
    assert_eq!(park.and_then(|c| c["passages"].as_u64()), Some(said_total), "{said}");
    assert!(said_total >= 1 && said_total < total);
}

#[test]
fn stats_over_a_query_or_a_filter_count_only_matching_documents() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let all: StatsJson = sb.run(&["stats", "--by", "speaker", "--format", "json"]).ok().json();
    let query: StatsJson = sb.run(&["stats", "ChatGPT", "--by", "speaker", "--format", "json"]).ok().json();
    assert_eq!(query.total, 1);
    assert_eq!(query.count("Park Min-ju"), Some(1), "{:?}", query.counts);
    assert_eq!(query.count("Martyn Williams"), None);
    assert!(all.count("Park Min-ju") > query.count("Park Min-ju"));

    let cyber: StatsJson = sb.run(&["stats", "--by", "topic", "--topic", "cyber", "--format", "json"]).ok().json();
    assert_eq!(cyber.total, 1);
    assert_eq!(cyber.count("cyber"), Some(1));
    assert_eq!(cyber.count("ai"), None, "{:?}", cyber.counts);
    let years: StatsJson = sb.run(&["stats", "--by", "year", "--topic", "ai", "--format", "json"]).ok().json();
    assert_eq!(years.total, 2);
    assert_eq!(
        years.counts.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(),
        ["2024", "undated"],
        "{:?}",
        years.counts
    );
}

// ---------------------------------------------------------------------------------------
// 6. entities.
// ---------------------------------------------------------------------------------------

fn entities_sandbox() -> Sandbox {
    Sandbox::indexed_no_color(&[
        ("notes/park-ai.md", PARK_AI),
        ("notes/apps.md", APPS_UNDATED),
        ("notes/kim-min-jung.md", KIM_MIN_JUNG),
        ("notes/kim-min-jun.md", KIM_MIN_JUN),
    ])
}

#[test]
fn entities_merge_spellings_of_one_person() {
    let sb = entities_sandbox();
    let run = sb.run(&["entities", "--format", "json"]).ok();
    let value = run.value();
    assert_keys(&value, &["entities", "suggestions"]);
    for entity in value["entities"].as_array().expect("entities") {
        assert_keys(entity, &["kind", "name", "affiliation", "mentions", "documents"]);
    }
    let report: EntitiesJson = run.json();
    let parks: Vec<&Entity> =
        report.entities.iter().filter(|e| e.mentions.iter().any(|m| m.starts_with("Park Min"))).collect();
    assert_eq!(parks.len(), 1, "one entity for Park Min-ju / Park Min-joo: {parks:?}");
    let park = parks[0];
    assert_eq!(park.kind, "speaker");
    assert_eq!(park.name, "Park Min-ju");
    assert_eq!(park.affiliation.as_deref(), Some("National Institute for Unification Education"));
    assert!(park.mentions.contains(&"Park Min-ju".to_string()), "{park:?}");
    assert!(park.mentions.contains(&"Park Min-joo".to_string()), "{park:?}");
    assert_eq!(park.documents, 2);
    // Kim Min-jung and Kim Min-jun stay two people.
    let jung = report.entities.iter().find(|e| e.name == "Kim Min-jung").expect("Kim Min-jung");
    let jun = report.entities.iter().find(|e| e.name == "Kim Min-jun").expect("Kim Min-jun");
    assert_eq!((jung.documents, jun.documents), (1, 1));
    assert_eq!(jun.affiliation.as_deref(), Some("Seoul Economic Institute"));
    assert!(!jung.mentions.contains(&"Kim Min-jun".to_string()), "{jung:?}");
    // Institutions are listed too.
    assert!(
        report.entities.iter().any(|e| e.kind == "institution" && e.name == "Seoul Economic Institute"),
        "{:?}",
        report.entities
    );
    assert!(report.suggestions.is_empty(), "suggestions only with --suggest: {:?}", report.suggestions);
}

#[test]
fn entities_suggest_lists_near_miss_names_kept_apart() {
    let sb = entities_sandbox();
    let report: EntitiesJson = sb.run(&["entities", "--suggest", "--format", "json"]).ok().json();
    let pair = report
        .suggestions
        .iter()
        .find(|s| set([s.a.as_str(), s.b.as_str()]) == set(["Kim Min-jung", "Kim Min-jun"]))
        .unwrap_or_else(|| panic!("Kim Min-jung ~ Kim Min-jun suggested: {:?}", report.suggestions));
    assert_eq!(pair.kind, "speaker");
    assert_eq!(pair.documents, [1, 1]);
    // A merged pair is not suggested.
    assert!(
        !report.suggestions.iter().any(|s| s.a.starts_with("Park Min") || s.b.starts_with("Park Min")),
        "{:?}",
        report.suggestions
    );
    let text = sb.run(&["entities", "--suggest"]).ok();
    assert!(text.stdout.contains("Kim Min-jung") && text.stdout.contains("Kim Min-jun"), "{}", text.stdout);
}

#[test]
fn entities_kind_lists_only_that_kind() {
    let sb = entities_sandbox();
    let report: EntitiesJson = sb.run(&["entities", "--kind", "speaker", "--format", "json"]).ok().json();
    assert!(!report.entities.is_empty());
    assert!(report.entities.iter().all(|e| e.kind == "speaker"), "{:?}", report.entities);
}

// ---------------------------------------------------------------------------------------
// 7. Where the index is.
// ---------------------------------------------------------------------------------------

#[test]
fn nkdigi_index_env_names_the_index() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    let env_index = sb.path().join("from-env");
    sb.nkdigi().env("NKDIGI_INDEX", &env_index).args(["index", "notes"]).assert().success();
    assert!(env_index.is_dir(), "the index is where NKDIGI_INDEX says");
    assert!(!sb.path().join(".nkdigi").exists(), "not in the default place");
    let run = Run::from(sb.nkdigi().env("NKDIGI_INDEX", &env_index).args(["search", "ChatGPT", "--format", "paths"]));
    assert_eq!(run.ok().lines(), ["notes/park-ai.md"]);
}

#[test]
fn the_nearest_dot_nkdigi_upward_is_found_from_a_subfolder() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    sb.write("notes/deep/er/keep.txt", "Koryolink shops\n\nKoryolink opened shops in Hamhung.\n");
    // No --index: `./.nkdigi` is created.
    sb.nkdigi().args(["index", "notes"]).assert().success();
    assert!(sb.path().join(".nkdigi").is_dir());
    let subfolder = sb.path().join("notes/deep/er");
    let run = Run::from(nkdigi(&subfolder).env("NO_COLOR", "1").args(["search", "ChatGPT", "--format", "paths"]));
    assert_eq!(run.ok().lines(), ["../../park-ai.md"], "paths are relative to where the search runs");
}

#[test]
fn search_without_an_index_is_exit_2_and_says_how_to_make_one() {
    let sb = Sandbox::new_no_color();
    // The default lookup walks up from the temp dir; an index there would hide the error.
    let stray = sb.path().ancestors().find(|dir| dir.join(".nkdigi/meta.json").is_file());
    assert!(stray.is_none(), "an index above the temp dir spoils this test: {stray:?}");
    for mut cmd in [sb.cmd(&["search", "ChatGPT"]), {
        let mut c = sb.nkdigi();
        c.args(["search", "ChatGPT"]);
        c
    }] {
        let run = Run::from(&mut cmd).code(2);
        assert!(run.stdout.is_empty());
        assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
        assert!(run.stderr.starts_with("nkdigi: "), "{}", run.stderr);
        assert!(run.stderr.contains("nkdigi index"), "{}", run.stderr);
    }
    assert!(!sb.index_dir().exists() && !sb.path().join(".nkdigi").exists(), "searching creates no index");
}

// ---------------------------------------------------------------------------------------
// 8. What is read, and fallbacks for plain notes.
// ---------------------------------------------------------------------------------------

#[test]
fn a_plain_txt_gets_its_title_from_the_first_line_and_date_from_a_date_line() {
    let sb = Sandbox::indexed_no_color(&[("notes/sub/plain.txt", PLAIN_TXT)]);
    let doc = sb.show("notes/sub/plain.txt");
    assert_eq!(doc.title.as_deref(), Some("Koryolink subscribers report"));
    assert_eq!(doc.date.as_deref(), Some("2025-05"));
    assert!(doc.topics.contains(&"4g".to_string()), "3G and 4G service is evidence of 4g: {:?}", doc.topics);
    assert!(doc.passages.iter().any(|p| p.text.contains("seven million subscribers")), "{:?}", doc.passages);
    // The title line and the lone `Date:` line are not passages.
    assert!(
        doc.passages.iter().all(|p| !p.text.starts_with("Date:") && p.text != "Koryolink subscribers report"),
        "{:?}",
        doc.passages
    );
    // The date is usable by date filters.
    assert_eq!(sb.paths(&["search", "Koryolink", "--since", "2025-05"]), ["notes/sub/plain.txt"]);
}

#[test]
fn hidden_folders_and_non_text_files_are_not_indexed() {
    let sb = Sandbox::new_no_color();
    sb.write("notes/seen.md", "Seen note\n\nKoryolink sells 4G data plans.\n");
    sb.write("notes/other.markdown", "Other note\n\nKoryolink sells handsets.\n");
    sb.write("notes/third.text", "Third note\n\nKoryolink sells SIM cards.\n");
    sb.write("notes/.git/hidden.md", "Hidden\n\nKoryolink zeppelin.\n");
    sb.write("notes/.drafts/draft.txt", "Draft\n\nKoryolink zeppelin.\n");
    sb.write("notes/report.pdf", "Koryolink zeppelin in a pdf.\n");
    sb.write("notes/data.csv", "Koryolink,zeppelin\n");
    let summary = sb.index(&["notes"], 0);
    assert_eq!(summary.added, 3);
    assert!(summary.rejected.is_empty(), "{:?}", summary.rejected);
    sb.run(&["search", "zeppelin"]).code(1);
    let exported: Vec<Document> =
        sb.run(&["export"]).ok().lines().iter().map(|l| serde_json::from_str(l).expect("json")).collect();
    let paths: Vec<&str> = exported.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["notes/other.markdown", "notes/seen.md", "notes/third.text"]);
}

// ---------------------------------------------------------------------------------------
// 9. --dry-run.
// ---------------------------------------------------------------------------------------

#[test]
fn dry_run_on_a_fresh_dir_reports_but_creates_no_index() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    let summary = sb.index(&["notes", "--dry-run"], 0);
    assert_eq!(summary.added, 4, "reports what it would do");
    assert!(!sb.index_dir().exists(), "writes nothing");
    let run = sb.run(&["search", "ChatGPT"]).code(2);
    assert!(run.stderr.contains("nkdigi index"), "{}", run.stderr);
}

#[test]
fn dry_run_on_an_index_reports_changes_without_committing_them() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.write(
        "notes/park-ai.md",
        &format!("{PARK_AI}\nPark Min-ju also said that quantum computing is a new priority.\n"),
    );
    sb.remove("notes/cyber-2023.md");
    let dry = sb.index(&["notes", "--dry-run"], 0);
    assert_eq!((dry.added, dry.updated, dry.unchanged, dry.removed), (0, 1, 2, 1));
    // Nothing changed in the index: the old text and the deleted file are still there.
    sb.run(&["search", "quantum"]).code(1);
    assert_eq!(sb.paths(&["search", "Lazarus"]), ["notes/cyber-2023.md"]);
    // A real run still has all of it to do.
    let real = sb.index(&["notes"], 0);
    assert_eq!((real.added, real.updated, real.unchanged, real.removed), (0, 1, 2, 1));
    assert_eq!(sb.paths(&["search", "quantum"]), ["notes/park-ai.md"]);
}

// ---------------------------------------------------------------------------------------
// 10. Help.
// ---------------------------------------------------------------------------------------

#[test]
fn help_of_every_command_has_examples() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in [&[][..], &["index"], &["search"], &["show"], &["export"], &["stats"], &["entities"]] {
        let run = Run::from(nkdigi(dir.path()).env("NO_COLOR", "1").args(command).arg("--help")).ok();
        assert!(run.stdout.contains("Examples"), "{command:?} --help:\n{}", run.stdout);
        assert!(run.stdout.contains("nkdigi"), "{command:?} --help:\n{}", run.stdout);
    }
}

// ---------------------------------------------------------------------------------------
// 11. More of the contract: inputs, taxonomy, names, locking, pipes.
// ---------------------------------------------------------------------------------------

#[test]
fn from_list_reads_paths_from_stdin_and_named_files_keep_relative_paths() {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    let run = Run::from(
        sb.cmd(&["index", "--from-list", "-", "--format", "json"]).write_stdin("notes/park-ai.md\n\nnotes/apps.md\n"),
    );
    let summary: IndexSummary = run.ok().json();
    assert_eq!(summary.added, 2);
    let paths: Vec<String> = sb
        .run(&["export"])
        .ok()
        .lines()
        .iter()
        .map(|l| serde_json::from_str::<Document>(l).expect("json").path)
        .collect();
    assert_eq!(paths, ["notes/apps.md", "notes/park-ai.md"]);
    // Indexing the folder later finds those two unchanged, not duplicated.
    let folder = sb.index(&["notes"], 0);
    assert_eq!((folder.added, folder.unchanged), (2, 2));
    assert_eq!(sb.run(&["export"]).ok().lines().len(), 4);
}

#[test]
fn front_matter_after_a_bom_with_crlf_line_ends_is_read() {
    let sb = Sandbox::new_no_color();
    let text = "\u{feff}---\ntitle: CRLF note\ndate: 2025-05\nsource: Daily NK\n---\nMartyn Williams said that the 4G network is growing.\n\nHe added that Koryolink is the main operator.\n"
        .replace('\n', "\r\n");
    sb.write("notes/crlf.md", &text);
    sb.run(&["index", "notes"]).ok();
    let doc = sb.show("notes/crlf.md");
    assert_eq!(doc.title.as_deref(), Some("CRLF note"));
    assert_eq!(doc.date.as_deref(), Some("2025-05"));
    assert_eq!(doc.source.as_deref(), Some("Daily NK"));
    assert_eq!(doc.passages.len(), 2, "{:?}", doc.passages);
    assert!(doc.passages.iter().all(|p| !p.text.contains('\r') && !p.text.contains("---")), "{:?}", doc.passages);
    assert_eq!(doc.passages[1].speakers, ["Martyn Williams"], "\"He added\" continues the speaker");
}

#[test]
fn legacy_korean_and_utf16_files_are_decoded() {
    let sb = Sandbox::new_no_color();
    let korean = "북한 스마트폰 보고서\n\n고려링크 가입자가 늘었다. Koryolink 4G 네트워크.\n";
    let (euc_kr, _, unmappable) = encoding_rs::EUC_KR.encode(korean);
    assert!(!unmappable);
    std::fs::create_dir_all(sb.path().join("notes")).expect("mkdir");
    std::fs::write(sb.path().join("notes/euc-kr.txt"), &euc_kr).expect("write");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("UTF-16 note\n\nKoryolink opened a shop in Wonsan.\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(sb.path().join("notes/utf16.txt"), utf16).expect("write");
    let summary = sb.index(&["notes"], 0);
    assert_eq!(summary.added, 2);
    assert!(summary.rejected.is_empty(), "{:?}", summary.rejected);
    assert_eq!(sb.show("notes/euc-kr.txt").title.as_deref(), Some("북한 스마트폰 보고서"));
    assert_eq!(sb.paths(&["search", "고려링크"]), ["notes/euc-kr.txt"]);
    assert_eq!(sb.paths(&["search", "Wonsan"]), ["notes/utf16.txt"]);
}

#[test]
fn a_taxonomy_file_adds_topics_and_retags_everything() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.write("notes/satellite.md", "Satellite launch\n\nAnalysts said the Malligyong satellite carries a camera.\n");
    sb.write(
        "tax.yaml",
        "topics:\n  - id: space\n    label: Space and satellites\n    terms: [satellite, Malligyong]\n",
    );
    sb.run(&["index", "notes"]).ok();
    // Before: no such topic.
    sb.run(&["search", "--topic", "space"]).code(2);
    // A new taxonomy re-tags every document, changed or not.
    let summary = sb.index(&["notes", "--taxonomy", "tax.yaml"], 0);
    assert_eq!((summary.added, summary.updated, summary.unchanged), (0, 5, 0));
    assert_eq!(sb.paths(&["search", "--topic", "space"]), ["notes/satellite.md"]);
    // It is saved with the index: the next run without --taxonomy keeps it and re-tags nothing.
    let again = sb.index(&["notes"], 0);
    assert_eq!((again.updated, again.unchanged), (0, 5));
    assert_eq!(sb.paths(&["search", "topic:space"]), ["notes/satellite.md"]);
    let stats: StatsJson = sb.run(&["stats", "--by", "topic", "--format", "json"]).ok().json();
    assert_eq!(stats.count("space"), Some(1));
    assert_eq!(stats.count("cyber"), Some(1), "built-in topics stay: {:?}", stats.counts);
}

#[test]
fn exact_turns_name_resolution_off() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    assert_eq!(set(sb.paths(&["search", "--speaker", "Park Min-joo"])), set(["notes/park-ai.md", "notes/apps.md"]));
    // Only the document that spells it this way.
    assert_eq!(sb.paths(&["search", "--speaker", "Park Min-joo", "--exact"]), ["notes/apps.md"]);
}

#[test]
fn canonical_names_do_not_change_when_more_documents_are_indexed() {
    let sb = Sandbox::indexed_no_color(&[(
        "notes/z-first.md",
        "Lee Ji-hun noted that Kim Il Sung University teaches machine learning.\n",
    )]);
    for i in 1..=3 {
        sb.write(&format!("notes/a{i}.md"), &format!("Lee Ji-hoon said that AI research project {i} is growing.\n"));
    }
    sb.run(&["index", "notes"]).ok();
    let report: EntitiesJson = sb.run(&["entities", "--kind", "speaker", "--format", "json"]).ok().json();
    assert_eq!(report.entities.len(), 1, "one person: {:?}", report.entities);
    assert_eq!(report.entities[0].name, "Lee Ji-hun", "the first spelling indexed stays canonical");
    assert_eq!(report.entities[0].documents, 4);
    assert_eq!(set(report.entities[0].mentions.clone()), set(["Lee Ji-hun", "Lee Ji-hoon"]));
}

#[test]
fn a_bad_taxonomy_file_is_exit_2_with_file_and_line() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.write("tax.yaml", "topics:\n  - id: space\n    terms: 42\n");
    let run = sb.run(&["index", "notes", "--taxonomy", "tax.yaml"]).code(2);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with("nkdigi: tax.yaml:3: "), "{}", lines[0]);
    // Nothing was re-tagged or lost.
    assert_eq!(sb.index(&["notes"], 0).unchanged, 4);
}

#[test]
fn a_file_that_turns_bad_keeps_its_last_good_version() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.write("notes/park-ai.md", "---\ntitle: Broken\nspeakers: 42\n---\nzeppelin\n");
    let run = sb.run(&["index", "notes"]).code(1);
    assert!(run.stderr.starts_with("nkdigi: notes/park-ai.md:3: "), "{}", run.stderr);
    assert_eq!(sb.paths(&["search", "ChatGPT"]), ["notes/park-ai.md"]);
    sb.run(&["search", "zeppelin"]).code(1);
}

#[test]
fn a_speaker_filter_matching_no_entity_is_exit_1_with_the_closest_names() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    let run = sb.run(&["search", "--speaker", "Martyn Wiliams"]).code(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.starts_with("nkdigi: "), "{}", run.stderr);
    assert!(run.stderr.contains("Martyn Williams"), "names the closest known name: {}", run.stderr);
}

/// Holds the index's writer lock (as another writer would) until dropped.
#[cfg(target_os = "linux")]
struct LockHolder(std::process::Child);

#[cfg(target_os = "linux")]
impl LockHolder {
    /// `flock -o` keeps the lock in flock itself; it ends when its stdin closes.
    fn hold(index: &Path) -> LockHolder {
        use std::io::BufRead;
        let mut child = std::process::Command::new("flock")
            .arg("-o")
            .arg(index.join(".tantivy-writer.lock"))
            .args(["-c", "echo locked; read _"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("flock(1) from util-linux");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
        assert_eq!(line.trim(), "locked");
        LockHolder(child)
    }
}

#[cfg(target_os = "linux")]
impl Drop for LockHolder {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_locked_index_is_exit_75_for_writers_and_still_searchable() {
    let sb = Sandbox::indexed_no_color(&STANDARD);
    sb.write("notes/new.md", "New note\n\nKoryolink cut prices.\n");
    let holder = LockHolder::hold(&sb.index_dir());
    let run = sb.run(&["index", "notes"]).code(75);
    assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("nkdigi: ") && run.stderr.contains("lock"), "{}", run.stderr);
    sb.run(&["index", "notes", "--wait", "0.2"]).code(75);
    assert_eq!(sb.paths(&["search", "ChatGPT"]), ["notes/park-ai.md"], "readers are not blocked");
    // --wait outlasts a writer that finishes.
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(800));
        drop(holder);
    });
    let summary = sb.index(&["notes", "--wait", "30"], 0);
    release.join().expect("release thread");
    assert_eq!(summary.added, 1);
}

/// Runs `nkdigi ARGS…` with stdout read for a few bytes and then closed.
fn run_into_closed_pipe(sb: &Sandbox, args: &[&str]) -> (i32, String) {
    use std::io::Read;
    let mut child = nkdigi(sb.path())
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(sb.index_dir())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn nkdigi");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    (output.status.code().expect("exit code"), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Enough output to overflow a pipe buffer, so the writer meets the closed pipe.
fn many_documents() -> Sandbox {
    let sb = Sandbox::new_no_color();
    let paragraph = "Koryolink expanded its 4G network to more provincial cities, analysts said. ".repeat(6);
    for i in 0..400 {
        sb.write(&format!("notes/koryolink-{i:03}.md"), &format!("Koryolink note {i}\n\n{paragraph}\n"));
    }
    sb.run(&["index", "notes"]).ok();
    sb
}

#[test]
fn a_closed_pipe_is_not_an_error_for_text_output() {
    let sb = many_documents();
    let (code, stderr) = run_into_closed_pipe(&sb, &["search", "Koryolink", "--limit", "400"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

// ---------------------------------------------------------------------------------------
// Known bugs: tests of the contract that fail today, ignored with the reason.
// ---------------------------------------------------------------------------------------

#[test]
fn a_speaker_named_with_of_institution_before_the_verb_is_attributed() {
    // spec.md: speakers are people whose statements are conveyed, `X said…`, with their
    // affiliation when the text gives one. "Martyn Williams of the Stimson Center said"
    // is the commonest form of that in news copy.
    let sb = Sandbox::indexed_no_color(&[(
        "notes/of.md",
        "Mobile notes\n\nMartyn Williams of the Stimson Center said that the 4G network now covers Pyongyang.\n",
    )]);
    let doc = sb.show("notes/of.md");
    let williams = doc.speakers.iter().find(|s| s.name == "Martyn Williams");
    assert!(williams.is_some(), "Martyn Williams is a speaker: {:?}", doc.speakers);
    assert_eq!(williams.and_then(|s| s.affiliation.as_deref()), Some("Stimson Center"));
    let passage = doc.passages.iter().find(|p| p.text.contains("Stimson")).expect("the passage");
    assert_eq!(passage.speakers, ["Martyn Williams"], "{passage:?}");
    assert_eq!(sb.paths(&["search", "4G", "--passages", "--speaker", "Martyn Williams"]), ["notes/of.md"]);
}

#[test]
fn a_closed_pipe_is_not_an_error_for_json_output() {
    // spec.md: "A closed pipe is not an error." `nkdigi export | head -1` is the typical case.
    let sb = many_documents();
    for args in [
        &["search", "Koryolink", "--limit", "400", "--format", "json"][..],
        &["search", "Koryolink", "--limit", "400", "--format", "jsonl"],
        &["export"],
    ] {
        let (code, stderr) = run_into_closed_pipe(&sb, args);
        assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    }
}

#[test]
fn canonical_names_do_not_change_on_a_full_reindex() {
    // spec.md: "Canonical names are stable: indexing more documents never renames an entity
    // that already has documents, unless the taxonomy changes." --full changes no taxonomy.
    let sb = Sandbox::indexed_no_color(&[(
        "notes/z-first.md",
        "Lee Ji-hun noted that Kim Il Sung University teaches machine learning.\n",
    )]);
    sb.write("notes/a1.md", "Lee Ji-hoon said that AI research is growing.\n");
    sb.run(&["index", "notes"]).ok();
    sb.run(&["index", "notes", "--full"]).ok();
    let report: EntitiesJson = sb.run(&["entities", "--kind", "speaker", "--format", "json"]).ok().json();
    let names: Vec<&str> = report.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Lee Ji-hun"]);
}

// ---------------------------------------------------------------------------------------
// Real layouts: one paragraph a line, headers, explanations.
// ---------------------------------------------------------------------------------------

/// Web copy as pasted: header lines, a headline, then one paragraph a line.
fn web_copy() -> String {
    let mut text = String::from(
        "Source: https://example.org/nk-phones\nPublished: June 18, 2025\nBy Jane Placeholder\n\n\
         How North Korea's phones changed\n",
    );
    text.push_str("FILE PHOTO: A woman uses a phone in Pyongyang.\n");
    for i in 1..=12 {
        if i == 3 {
            text.push_str(
                "Martyn Williams, a senior fellow at the Stimson Center, said the 4G network reached most cities.\n",
            );
        } else {
            text.push_str(&format!("Paragraph {i} reports that subscribers kept buying handsets in the markets.\n"));
        }
    }
    text
}

#[test]
fn check_of_a_one_paragraph_a_line_report_gives_each_paragraph_and_its_speakers() {
    let sb = Sandbox::new_no_color();
    sb.write("notes/web.txt", &web_copy());
    let run = sb.run(&["check", "notes/web.txt", "--format", "json"]).ok();
    let report = run.value();
    let doc = &report["documents"][0];
    let passages = doc["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 12, "{passages:#?}");
    assert_eq!(doc["title"], "How North Korea's phones changed");
    assert_eq!(doc["author"], "Jane Placeholder");
    assert_eq!(doc["source"], "https://example.org/nk-phones");
    assert_eq!(doc["date"], "2025-06-18");
    // Said by: only the passage where Williams speaks.
    let said: Vec<usize> = passages
        .iter()
        .filter(|p| p["speakers"].as_array().unwrap().iter().any(|s| s == "Martyn Williams"))
        .map(|p| p["n"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(said, vec![2]);
}

#[test]
fn check_and_show_explain_each_tag_with_its_passage_and_rule() {
    let sb = Sandbox::indexed_no_color(&[("notes/williams.md", WILLIAMS_4G)]);
    let run = sb.run(&["check", "notes/williams.md", "--explain"]).ok();
    assert!(run.stdout.contains("why these tags:"), "{}", run.stdout);
    assert!(run.stdout.contains("speaker Martyn Williams"), "{}", run.stdout);
    assert!(run.stdout.contains("X, a <role> at Y") || run.stdout.contains("X said"), "{}", run.stdout);
    assert!(run.stdout.contains("institution Stimson Center"), "{}", run.stdout);
    let shown = sb.run(&["show", "notes/williams.md", "--explain", "--format", "json"]).ok().value();
    let speaker = &shown["explain"]["speakers"][0];
    assert_eq!(speaker["name"], "Martyn Williams");
    let evidence = speaker["evidence"].as_array().unwrap();
    assert!(evidence.iter().any(|e| e["passage"] == 0 && e["rule"].as_str().unwrap().contains('X')), "{evidence:#?}");
    assert!(
        evidence.iter().any(|e| e["passage"] == 1 && e["rule"].as_str().unwrap().contains("continuation")),
        "{evidence:#?}"
    );
    let institution = &shown["explain"]["institutions"][0];
    assert!(institution["evidence"].as_array().unwrap().iter().any(|e| e["rule"] == "gazetteer"));
}

#[test]
fn only_speakers_the_front_matter_lists_have_it_as_evidence() {
    let sb = Sandbox::new_no_color();
    // Wire copy without front matter: a name after its quote, then the surname alone in
    // the same paragraph.
    sb.write(
        "notes/wire.txt",
        "SEOUL (Wire) — The mobile network keeps growing, said Lee Seo-jin, a principal researcher at \
         AhnLab. Lee said 4G handsets now reach provincial cities.\n",
    );
    sb.write(
        "notes/listed.md",
        "---\ntitle: Session\nspeakers:\n  - Park Min-ju\n---\nPark Min-ju said the AI push continues. \
         Park said more phones are sold.\n",
    );
    for (file, listed) in [("notes/wire.txt", None), ("notes/listed.md", Some("Park Min-ju"))] {
        let json = sb.run(&["check", file, "--explain", "--format", "json"]).ok().value();
        let speakers = json["explanations"][0]["speakers"].as_array().unwrap();
        assert_eq!(speakers.len(), 1, "{file}: {speakers:#?}");
        let speaker = &speakers[0];
        let evidence = speaker["evidence"].as_array().unwrap();
        let unplaced: Vec<&Value> = evidence.iter().filter(|e| e["passage"].is_null()).collect();
        if listed.is_some_and(|name| speaker["name"] == name) {
            assert_eq!(unplaced.len(), 1, "{file}: {evidence:#?}");
            assert_eq!(unplaced[0]["rule"], "front matter");
        } else {
            assert!(unplaced.is_empty(), "{file}: {evidence:#?}");
        }
        assert!(evidence.iter().any(|e| e["passage"] == 0), "{file}: {evidence:#?}");
    }
}

#[test]
fn check_warns_about_a_passage_it_could_not_split() {
    let sb = Sandbox::new_no_color();
    // 2,000 characters and no sentence end: cut at a space, still over the split size.
    sb.write("notes/long.txt", &format!("Martyn Williams said {}\n", "phones spread ".repeat(150)));
    let run = sb.run(&["check", "notes/long.txt"]).ok();
    assert!(run.stderr.contains("warning") && run.stderr.contains("no sentence end"), "{}", run.stderr);
}

#[test]
fn entities_say_what_kind_of_body_an_institution_is() {
    let sb = Sandbox::indexed_no_color(&[("notes/williams.md", WILLIAMS_4G)]);
    let report = sb.run(&["entities", "--kind", "institution", "--format", "json"]).ok().value();
    let stimson = report["entities"].as_array().unwrap().iter().find(|e| e["name"] == "Stimson Center").unwrap();
    assert_eq!(stimson["type"], "research");
    let text = sb.run(&["entities", "--kind", "institution"]).ok();
    assert!(text.stdout.contains("Stimson Center [research]"), "{}", text.stdout);
}

// ---------------------------------------------------------------------------------------
// Korean: Hangul search and topics.
// ---------------------------------------------------------------------------------------

#[test]
fn a_hangul_word_finds_its_forms_with_particles() {
    let sb = Sandbox::indexed_no_color(&[("notes/korean.txt", KOREAN_NOTE), ("notes/williams.md", WILLIAMS_4G)]);
    assert_eq!(sb.paths(&["search", "가입자"]), vec!["notes/korean.txt"]);
    assert_eq!(sb.paths(&["search", "대학"]), vec!["notes/korean.txt"]);
    assert_eq!(sb.paths(&["search", "\"이동통신 가입자\""]), vec!["notes/korean.txt"]);
    assert!(sb.run(&["search", "\"가입자 이동통신\""]).code == 1, "a phrase keeps its order");
    // English stemming is unchanged in the same field.
    assert_eq!(sb.paths(&["search", "networks"]), vec!["notes/williams.md"]);
    let hits = sb.search(&["가입자", "--passages"]);
    let hit = &hits.hits[0];
    assert_eq!(hit.highlights.len(), 1, "one range for the whole word: {:?}", hit.highlights);
    let (a, b) = (hit.highlights[0][0], hit.highlights[0][1]);
    assert_eq!(char_slice(&hit.snippet, a, b), "가입자");
}

#[test]
fn korean_text_gets_topics() {
    let sb = Sandbox::indexed_no_color(&[("notes/korean.txt", KOREAN_NOTE)]);
    let doc = sb.show("notes/korean.txt");
    assert_eq!(doc.topics, vec!["ai", "4g", "cyber"], "{doc:?}");
}

#[test]
fn a_speaker_in_hangul_finds_the_english_reports_and_the_korean_ones() {
    let korean = "통일교육원 박민주 교수는 \"대학들이 인공지능을 연구에 쓴다\"고 말했다.\n";
    let sb = Sandbox::indexed_no_color(&[
        ("notes/park.md", PARK_AI),
        ("notes/park-ko.txt", korean),
        ("notes/williams.md", WILLIAMS_4G),
    ]);
    let by_hangul = sb.paths(&["search", "--speaker", "박민주"]);
    let by_latin = sb.paths(&["search", "--speaker", "Park Min-joo"]);
    assert_eq!(set(by_hangul.clone()), set(["notes/park.md", "notes/park-ko.txt"]));
    assert_eq!(set(by_hangul), set(by_latin));
}

// ---------------------------------------------------------------------------------------
// The config file and the settings in force.
// ---------------------------------------------------------------------------------------

/// `notes` indexed into `<dir>/research/.nkdigi`, and a config file naming that index.
fn configured(page_size: usize) -> Sandbox {
    let sb = Sandbox::new_no_color();
    sb.write_all(&STANDARD);
    let index = sb.path().join("research/.nkdigi");
    Run::from(sb.nkdigi().arg("--index").arg(&index).args(["index", "notes"])).ok();
    sb.write("xdg/nkdigi/config.toml", &format!("index = \"../../research/.nkdigi\"\npage_size = {page_size}\n"));
    sb
}

/// `nkdigi ARGS…` in `<dir>/elsewhere`, with no --index.
fn elsewhere(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Run {
    let folder = sb.path().join("elsewhere");
    std::fs::create_dir_all(&folder).unwrap();
    let mut cmd = sb.nkdigi();
    cmd.current_dir(&folder).env("XDG_CONFIG_HOME", sb.path().join("xdg")).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(&mut cmd)
}

#[test]
fn a_config_file_makes_search_work_from_any_folder() {
    let sb = configured(2);
    // The default index and the page size come from the file.
    let run = elsewhere(&sb, &["search", "network"], &[]).ok();
    assert_eq!(run.stdout.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit())).count(), 2);
    assert!(run.stderr.contains("results 1–2 of"), "{}", run.stderr);
    // Machine formats still return everything.
    let all: SearchJson = elsewhere(&sb, &["search", "network", "--format", "json"], &[]).ok().json();
    assert!(all.hits.len() > 2);
    let config = elsewhere(&sb, &["config", "--format", "json"], &[]).ok().value();
    assert_eq!(config["index"]["source"], "config file");
    assert_eq!(config["page_size"]["value"], 2);
    assert_eq!(config["config_file"]["found"], true);
    let index = config["index"]["value"].as_str().unwrap();
    assert!(Path::new(index).is_absolute() && index.ends_with("research/.nkdigi"), "{index}");
}

#[test]
fn flags_win_over_the_environment_which_wins_over_the_file() {
    let sb = configured(2);
    let other = sb.path().join("other");
    let other = other.to_str().unwrap();
    let sources = |args: &[&str], env: &[(&str, &str)]| -> (String, String, String) {
        let mut all = args.to_vec();
        all.extend(["config", "--format", "json"]);
        let v = elsewhere(&sb, &all, env).ok().value();
        let s = |k: &str| v[k]["source"].as_str().unwrap().to_string();
        (s("index"), s("page_size"), s("color"))
    };
    assert_eq!(sources(&[], &[]), ("config file".into(), "config file".into(), "default".into()));
    assert_eq!(
        sources(&[], &[("NKDIGI_INDEX", other), ("NKDIGI_PAGE_SIZE", "5"), ("NKDIGI_COLOR", "never")]),
        ("NKDIGI_INDEX".into(), "NKDIGI_PAGE_SIZE".into(), "NKDIGI_COLOR".into())
    );
    assert_eq!(
        sources(&["--index", other, "--color", "always"], &[("NKDIGI_INDEX", "x"), ("NKDIGI_COLOR", "never")]).0,
        "--index"
    );
    // The page size of the environment wins over the file's; --limit over both.
    let run = elsewhere(&sb, &["search", "network"], &[("NKDIGI_PAGE_SIZE", "1")]).ok();
    assert!(run.stderr.starts_with("result 1 of"), "{}", run.stderr);
    let run = elsewhere(&sb, &["search", "network", "--limit", "2"], &[("NKDIGI_PAGE_SIZE", "1")]).ok();
    assert!(run.stderr.starts_with("results 1–2 of"), "{}", run.stderr);
    // An index found upward wins over the file's default.
    let local = sb.path().join("elsewhere/.nkdigi");
    Run::from(sb.nkdigi().arg("--index").arg(&local).args(["index", "notes"])).ok();
    assert_eq!(sources(&[], &[]).0, "found in or above the current folder");
}

#[test]
fn a_bad_config_file_is_named_with_its_line_and_nothing_runs() {
    let sb = configured(2);
    sb.write("xdg/nkdigi/config.toml", "index = \"x\"\ncolour = \"never\"\n");
    let run = elsewhere(&sb, &["search", "network"], &[]).code(2);
    assert!(
        run.stderr.starts_with("nkdigi: ") && run.stderr.contains("config.toml:2: unknown field `colour`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    // NKDIGI_CONFIG names a file that must be there.
    let missing = sb.path().join("none.toml");
    let run = elsewhere(&sb, &["config"], &[("NKDIGI_CONFIG", missing.to_str().unwrap())]).code(2);
    assert!(run.stderr.contains("none.toml: no such file"), "{}", run.stderr);
    sb.write("xdg/nkdigi/config.toml", "page_size = 3\n");
    let run = elsewhere(&sb, &["search", "x"], &[("NKDIGI_PAGE_SIZE", "ten")]).code(2);
    assert!(run.stderr.contains("NKDIGI_PAGE_SIZE"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// 12. Completions and the man page.
// ---------------------------------------------------------------------------------------

#[test]
fn completions_register_with_every_shell_and_offer_the_index_values() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = sb.run(&["completions", shell]).ok();
        assert_eq!(run.stderr, "", "{shell}");
        // The script asks nkdigi itself at completion time, so values come from the index.
        assert!(run.stdout.contains("COMPLETE") && run.stdout.contains("nkdigi"), "{shell}:\n{}", run.stdout);
    }
    assert!(!sb.index_dir().exists() && !sb.path().join(".nkdigi").exists(), "completions created an index");
    // What a shell gets when it asks: commands, then the index's speakers and topics.
    let sb = Sandbox::indexed(&NINE_NOTES);
    let ask = |words: &[&str]| -> Vec<String> {
        let mut cmd = sb.nkdigi();
        cmd.env("COMPLETE", "fish").env("NKDIGI_INDEX", sb.index_dir()).arg("--").arg("nkdigi").args(words);
        let run = Run::from(&mut cmd).ok();
        run.stdout.lines().map(|l| l.split('\t').next().unwrap_or("").to_string()).collect()
    };
    assert!(ask(&["sea"]).contains(&"search".to_string()), "{:?}", ask(&["sea"]));
    let speakers = ask(&["search", "--speaker", ""]);
    assert!(speakers.contains(&"Martyn Williams".to_string()), "{speakers:?}");
    assert_eq!(ask(&["search", "--speaker", "Mar"]), vec!["Martyn Williams"]);
    let topics = ask(&["stats", "--topic", ""]);
    assert!(topics.contains(&"cyber".to_string()) && topics.contains(&"4g".to_string()), "{topics:?}");
    // No index: no values, and no error on the terminal.
    let empty = Sandbox::new();
    let mut cmd = empty.nkdigi();
    cmd.env("COMPLETE", "fish").args(["--", "nkdigi", "search", "--speaker", ""]);
    let run = Run::from(&mut cmd).ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn command_line_errors_are_one_line_in_nkdigis_format() {
    let sb = Sandbox::new();
    for args in [&["search", "--bogus", "x"][..], &["serch", "x"][..], &["search", "x", "--since", "2025-13"][..]] {
        let run = sb.run(args).code(2);
        assert_eq!(run.stdout, "");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", run.stderr);
        assert!(lines[0].starts_with("nkdigi: ") && lines[0].ends_with("(see nkdigi --help)"), "{}", lines[0]);
    }
    assert!(sb.run(&["serch", "x"]).code(2).stderr.contains("'search'"), "the closest command is offered");
    assert!(sb.run(&["--help"]).ok().stdout.contains("Usage"), "help still goes to stdout");
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let sb = Sandbox::new();
    let run = sb.run(&["completions", "tcsh"]).code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("tcsh") && run.stderr.contains("bash"), "{}", run.stderr);
}

#[test]
fn man_prints_a_roff_page() {
    let sb = Sandbox::new();
    let run = sb.run(&["man"]).ok();
    let page = run.stdout;
    assert!(page.starts_with(".TH") || page.contains("\n.TH "), "no .TH header:\n{page}");
    assert!(page.contains(".TH nkdigi") || page.contains(".TH NKDIGI"), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains("search"), "the man page does not mention search:\n{page}");
    assert!(!page.contains('\x1b'), "escape codes in roff");
    assert!(!sb.path().join(".nkdigi").exists(), "man created an index");
    for section in ["QUERY SYNTAX", "EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(page.contains(section), "no {section} section:\n{page}");
    }
}

#[test]
fn man_writes_one_page_per_command_and_every_page_it_names_exists() {
    let sb = Sandbox::new();
    sb.run(&["man", "pages"]).ok();
    let main = std::fs::read_to_string(sb.path().join("pages/nkdigi.1")).unwrap();
    for command in ["index", "search", "show", "export", "stats", "entities", "check", "verify", "man"] {
        let page = std::fs::read_to_string(sb.path().join(format!("pages/nkdigi-{command}.1")))
            .unwrap_or_else(|e| panic!("nkdigi-{command}.1: {e}"));
        assert!(page.contains(&format!(".TH nkdigi-{command}")), "{command}: {page}");
        assert!(page.contains("EXIT STATUS") && page.contains("ENVIRONMENT"), "{command}");
    }
    // The main page refers to the command pages by name: each of them is there.
    for name in main.split("nkdigi\\-").skip(1).filter_map(|rest| rest.split('(').next()) {
        if name.chars().all(|c| c.is_ascii_lowercase()) && !name.is_empty() {
            assert!(sb.path().join(format!("pages/nkdigi-{name}.1")).exists(), "nkdigi-{name}(1) is named but missing");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 13. Scripts: lists of paths in, paths out.
// ---------------------------------------------------------------------------------------

#[test]
fn index_from_list_file_indexes_exactly_the_listed_paths() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    sb.write("list.txt", "notes/williams-4g.md\n\nnotes/with space.md\n");
    let summary: IndexSummary = sb.run(&["index", "--from-list", "list.txt", "--format", "json"]).ok().json();
    assert_eq!(summary.added, 2, "{summary:?}");
    assert!(summary.rejected.is_empty());
    let expected: BTreeSet<String> = ["notes/williams-4g.md", "notes/with space.md"].map(String::from).into();
    assert_eq!(sb.exported_paths(), expected);
}

#[test]
fn index_from_list_dash_reads_standard_input() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    let run = sb
        .cmd(&["index", "--from-list", "-", "--format", "json"])
        .write_stdin("notes/park-ai.md\nnotes/williams-4g.md\n")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: IndexSummary = serde_json::from_slice(&run.stdout).expect("JSON summary");
    assert_eq!(summary.added, 2);
    let expected: BTreeSet<String> = ["notes/park-ai.md", "notes/williams-4g.md"].map(String::from).into();
    assert_eq!(sb.exported_paths(), expected);
}

#[test]
fn nul_separated_paths_in_and_out() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    // As `find notes -name 'w*' -print0` would give them: one name has a space.
    let run = sb
        .cmd(&["index", "--from-list", "-", "-0", "--format", "json"])
        .write_stdin("notes/with space.md\0notes/williams-4g.md\0")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: IndexSummary = serde_json::from_slice(&run.stdout).expect("JSON summary");
    assert_eq!(summary.added, 2);
    let expected: BTreeSet<String> = ["notes/williams-4g.md", "notes/with space.md"].map(String::from).into();
    assert_eq!(sb.exported_paths(), expected);

    let out = sb.cmd(&["search", "4G", "--format", "paths", "-0"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\n'), "a newline in NUL-separated output: {text:?}");
    assert!(text.ends_with('\0'), "the last path is not NUL-terminated: {text:?}");
    let paths: BTreeSet<String> = text.split_terminator('\0').map(String::from).collect();
    assert_eq!(paths, expected);
    assert_eq!(text.matches('\0').count(), 2, "each path once: {text:?}");
}

#[test]
fn nul_separated_lists_carry_a_path_with_a_newline() {
    let sb = Sandbox::new();
    sb.write("notes/line\nbreak.md", WILLIAMS_4G_SHORT);
    sb.write("notes/plain.md", BERGER_2021);
    let run = sb
        .cmd(&["index", "--from-list", "-", "-0", "--format", "json"])
        .write_stdin("notes/line\nbreak.md\0notes/plain.md\0")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let out = sb.cmd(&["search", "4G", "--format", "paths", "-0"]).output().expect("run");
    let text = String::from_utf8(out.stdout).unwrap();
    let paths: BTreeSet<&str> = text.split_terminator('\0').collect();
    assert_eq!(paths, BTreeSet::from(["notes/line\nbreak.md", "notes/plain.md"]));
}

#[test]
fn dash_0_without_from_list_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.write_all(&LISTED);
    let run = sb.run(&["index", "-0", "notes"]).code(2);
    assert!(run.stderr.contains("--from-list"), "{}", run.stderr);
    assert!(!sb.index_dir().exists(), "a usage error created the index");
}

// ---------------------------------------------------------------------------------------
// 14. Help that teaches, and errors that suggest.
// ---------------------------------------------------------------------------------------

/// The subcommands the top-level help lists (without clap's `help`).
fn subcommands(sb: &Sandbox) -> Vec<String> {
    let help = sb.run(&["--help"]).ok().stdout;
    let mut names = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if line == "Commands:" {
            inside = true;
        } else if inside && line.trim().is_empty() {
            break;
        } else if inside {
            let name = line.split_whitespace().next().unwrap_or_default().to_string();
            if name != "help" && line.starts_with("  ") {
                names.push(name);
            }
        }
    }
    names
}

/// The help text's last section is `Examples:` with indented `nkdigi` lines only.
#[track_caller]
fn assert_ends_with_examples(what: &str, help: &str) {
    let lines: Vec<&str> = help.trim_end().lines().collect();
    let heading = lines
        .iter()
        .rposition(|l| !l.is_empty() && !l.starts_with(' '))
        .unwrap_or_else(|| panic!("{what}: no section heading:\n{help}"));
    assert_eq!(lines[heading], "Examples:", "{what}: the last section is not Examples:\n{help}");
    let examples = &lines[heading + 1..];
    assert!(!examples.is_empty(), "{what}: no examples");
    for line in examples {
        assert!(line.starts_with("  ") && line.contains("nkdigi"), "{what}: not an example: {line:?}");
    }
}

#[test]
fn every_help_ends_with_examples() {
    let sb = Sandbox::new();
    let commands = subcommands(&sb);
    let expected = ["index", "search", "show", "export", "stats", "entities", "check", "completions", "man"];
    for name in expected {
        assert!(commands.iter().any(|c| c == name), "{name} missing from the help's commands: {commands:?}");
    }
    assert_ends_with_examples("nkdigi --help", &sb.run(&["--help"]).ok().stdout);
    assert_ends_with_examples("nkdigi -h", &sb.run(&["-h"]).ok().stdout);
    for name in &commands {
        for flag in ["--help", "-h"] {
            let run = sb.run(&[name, flag]).ok();
            assert_ends_with_examples(&format!("nkdigi {name} {flag}"), &run.stdout);
            assert!(run.stdout.contains(&format!("nkdigi {name}")), "{name}: examples of another command");
        }
        let via_help = sb.run(&["help", name]).ok().stdout;
        assert_ends_with_examples(&format!("nkdigi help {name}"), &via_help);
    }
}

#[test]
fn a_misspelled_option_exits_2_and_names_the_right_one() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let run = sb.run(&["search", "--speker", "X"]).code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("--speker"), "{}", run.stderr);
    assert!(run.stderr.contains("--speaker"), "no suggestion:\n{}", run.stderr);

    let run = sb.run(&["serch", "4G"]).code(2);
    assert!(run.stderr.contains("'search'"), "no suggestion for a misspelled command:\n{}", run.stderr);
}

#[test]
fn an_unknown_topic_exits_2_and_suggests_the_near_one() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    for args in [&["search", "--topic", "cybr"][..], &["search", "topic:cybr"], &["stats", "--topic", "cybr"]] {
        let run = sb.run(args).code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(run.stderr.starts_with("nkdigi: "), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: one line:\n{}", run.stderr);
        assert!(run.stderr.contains("cybr"), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("did you mean cyber"), "{args:?}: no suggestion:\n{}", run.stderr);
    }
    // Nothing near: no guess, but the known ids.
    let run = sb.run(&["search", "--topic", "astronomy"]).code(2);
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
    for id in ["ai", "smartphones", "4g", "cyber"] {
        assert!(run.stderr.contains(id), "{id} not listed:\n{}", run.stderr);
    }
}

#[test]
fn an_unknown_speaker_exits_1_and_names_the_closest_known_name() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    // Sanity: the speaker is known under her own name.
    let found: SearchJson = sb.run(&["search", "--speaker", "Hannah Berger", "--format", "json"]).ok().json();
    assert_eq!(found.hits.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(), ["notes/berger-2021.md"]);

    let run = sb.run(&["search", "--speaker", "Hanna Bergen"]).code(1);
    assert_eq!(run.stdout, "", "no results on stdout");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with("nkdigi: "), "{}", run.stderr);
    assert!(lines[0].contains("Hanna Bergen"), "{}", run.stderr);
    assert!(lines[0].contains("Hannah Berger"), "the closest name is not given:\n{}", run.stderr);

    // A script asking for JSON still gets valid JSON on stdout and the hint on stderr.
    let run = sb.run(&["search", "--speaker", "Hanna Bergen", "--format", "json"]).code(1);
    let empty: SearchJson = run.json();
    assert_eq!(empty.total, 0);
    assert!(run.stderr.contains("Hannah Berger"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// 15. check.
// ---------------------------------------------------------------------------------------

#[test]
fn check_of_valid_files_lists_each_file_with_its_tags() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G_SHORT), ("notes/park-ai.md", PARK_AI_SHORT)]);
    let run = sb.run(&["check", "notes/williams-4g.md", "notes/park-ai.md"]).ok();
    assert_eq!(run.stderr, "");
    let out = &run.stdout;
    let block = |path: &str| -> String {
        let start = out.find(path).unwrap_or_else(|| panic!("{path} not listed:\n{out}"));
        let rest = &out[start..];
        let end = rest[1..].find("\nnotes/").map(|e| e + 1).unwrap_or(rest.len());
        // Tag lines wrap at the width: compare with single spaces.
        rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let williams = block("notes/williams-4g.md");
    assert!(williams.contains("Martyn Williams on the 4G network"), "{williams}");
    for tag in ["4g", "smartphones", "Martyn Williams", "Stimson Center"] {
        assert!(williams.contains(tag), "{tag} missing:\n{williams}");
    }
    let park = block("notes/park-ai.md");
    for tag in ["ai", "Park Min-ju", "National Institute for Unification Education"] {
        assert!(park.contains(tag), "{tag} missing:\n{park}");
    }
    assert!(!park.contains("Martyn Williams"), "{park}");
    assert!(out.contains("2 files ok, 0 rejected"), "{out}");
}

#[test]
fn check_of_bad_front_matter_exits_1_with_path_and_line() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G_SHORT), ("notes/bad.md", BAD_FRONT_MATTER)]);
    let run = sb.run(&["check", "notes"]).code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with("nkdigi: notes/bad.md:4: "), "{}", run.stderr);
    assert!(run.stdout.contains("notes/williams-4g.md"), "the good file is still listed:\n{}", run.stdout);
    assert!(!run.stdout.contains("notes/bad.md"), "{}", run.stdout);
}

#[test]
fn check_json_has_documents_rejected_and_skipped() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G_SHORT), ("notes/bad.md", BAD_FRONT_MATTER)]);
    let run = sb.run(&["check", "notes", "--format", "json"]).code(1);
    let report: CheckJson = run.json();
    assert_eq!(report.documents.len(), 1, "{report:?}");
    let doc = &report.documents[0];
    assert_eq!(doc.path, "notes/williams-4g.md");
    assert_eq!(doc.title.as_deref(), Some("Martyn Williams on the 4G network"));
    assert_eq!(doc.speakers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Martyn Williams"]);
    assert!(doc.institutions.iter().any(|i| i.name == "Stimson Center"), "{doc:?}");
    assert!(doc.topics.iter().any(|t| t == "4g"), "{doc:?}");
    assert_eq!(doc.passages.len(), 2, "{doc:?}");
    assert_eq!(report.rejected.len(), 1);
    let bad = &report.rejected[0];
    assert_eq!((bad.path.as_str(), bad.line), ("notes/bad.md", Some(4)));
    assert!(!bad.error.is_empty());
    assert!(report.skipped.is_empty());
    assert!(run.stderr.starts_with("nkdigi: notes/bad.md:4: "), "{}", run.stderr);
}

#[test]
fn check_never_creates_an_index() {
    let sb = Sandbox::new();
    sb.write_all(&[("notes/williams-4g.md", WILLIAMS_4G_SHORT), ("notes/bad.md", BAD_FRONT_MATTER)]);
    // No --index: the default would be ./.nkdigi.
    let run = Run::from(sb.nkdigi().args(["check", "notes"])).code(1);
    assert!(run.stdout.contains("notes/williams-4g.md"), "{}", run.stdout);
    Run::from(sb.nkdigi().args(["check", "notes/williams-4g.md", "--format", "json"])).ok();
    assert!(!sb.path().join(".nkdigi").exists(), "check created ./.nkdigi");
    sb.run(&["check", "notes/williams-4g.md"]).ok();
    assert!(!sb.index_dir().exists(), "check created the --index folder");
}

/// Every file under `dir`, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn check_leaves_an_existing_index_untouched() {
    let sb = Sandbox::indexed(&NINE_NOTES);
    let before = sb.export();
    let files_before = snapshot(&sb.index_dir());
    // An edited file and a new one: `index` would change the index, `check` must not.
    sb.write("notes/park-ai.md", &PARK_AI_SHORT.replace("ChatGPT", "Koryolink 4G"));
    sb.write("notes/new.md", CYBER_2022);
    sb.run(&["check", "notes"]).ok();
    sb.run(&["check", "notes", "--format", "json"]).ok();
    Run::from(sb.nkdigi().env("NKDIGI_INDEX", sb.index_dir()).args(["check", "notes"])).ok();
    assert_eq!(sb.export(), before, "check changed what the index holds");
    assert_eq!(snapshot(&sb.index_dir()), files_before, "check wrote into the index folder");
    // Sanity: the edit is something index would have picked up.
    let summary = sb.run(&["index", "notes", "--dry-run", "--format", "json"]).ok().stdout;
    assert!(summary.contains("\"updated\": 1"), "{summary}");
}

#[test]
fn the_config_files_taxonomy_is_a_default_that_an_index_saved_taxonomy_beats() {
    let sb = Sandbox::new_no_color();
    sb.write("notes/satellite.md", "Satellite launch\n\nAnalysts said the Malligyong satellite carries a camera.\n");
    sb.write("space.yaml", "topics:\n  - id: space\n    label: Space\n    terms: [satellite, Malligyong]\n");
    sb.write("optics.yaml", "topics:\n  - id: optics\n    label: Optics\n    terms: [camera, cameras]\n");
    sb.write("xdg/nkdigi/config.toml", "taxonomy = \"../../optics.yaml\"\n");
    // A new index has no taxonomy saved: the config file's is used, and saved with it.
    sb.index(&["notes"], 0);
    assert_eq!(sb.paths(&["search", "--topic", "optics"]), ["notes/satellite.md"]);
    // A flag replaces it; the next run keeps the saved one though the config file names another.
    sb.index(&["notes", "--taxonomy", "space.yaml"], 0);
    let again = sb.index(&["notes"], 0);
    assert_eq!((again.updated, again.unchanged), (0, 1), "nothing re-tagged");
    assert_eq!(sb.paths(&["search", "--topic", "space"]), ["notes/satellite.md"]);
    sb.run(&["search", "--topic", "optics"]).code(2);
    let config = sb.run(&["config", "--format", "json"]).ok().value();
    assert_eq!(config["taxonomy"]["source"], "config file, for an index with none saved");
}

#[test]
fn the_config_files_color_is_applied_and_a_flag_beats_it() {
    let sb = configured(2);
    sb.write("xdg/nkdigi/config.toml", "index = \"../../research/.nkdigi\"\ncolor = \"always\"\n");
    // `always` colors even through a pipe; the flag turns it off again.
    assert!(elsewhere(&sb, &["search", "network"], &[]).ok().stdout.contains("\x1b["));
    assert!(!elsewhere(&sb, &["search", "network", "--color", "never"], &[]).ok().stdout.contains("\x1b["));
}
