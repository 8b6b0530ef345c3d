//! A deterministic generator of realistic research notes for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- --mb 200 --out DIR --seed 1`
//!
//! About half the files have front matter; prose draws words from `bench/words.txt` with a
//! Zipf distribution; one or two domain paragraphs a file carry speaker attributions,
//! institutions and topic terms. Files are 2–3 KB, in folders of 1,000. The same seed and
//! size give the same bytes on every machine.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Zipf};
use std::fmt::Write as _;
use std::path::PathBuf;

const SURNAMES: &[&str] = &[
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon",
    "Hwang", "Ahn", "Song", "Hong", "Moon",
];
const SYLLABLES: &[&str] = &[
    "min", "ji", "seo", "hyun", "jun", "young", "soo", "eun", "hee", "jae", "woo", "sung", "ho", "jin", "kyung",
    "hoon", "na", "ra", "yeon", "chul",
];
const WESTERN_GIVEN: &[&str] = &[
    "Martyn", "Hannah", "Daniel", "Claire", "Rajiv", "Sofia", "Thomas", "Elena", "Marcus", "Priya", "Jonas", "Laura",
    "Victor", "Mei", "Anders", "Grace",
];
const WESTERN_FAMILY: &[&str] = &[
    "Williams",
    "Berger",
    "Hart",
    "Dubois",
    "Menon",
    "Rossi",
    "Keller",
    "Novak",
    "Feld",
    "Raman",
    "Lindqvist",
    "Torres",
    "Almeida",
    "Tanaka",
    "Brandt",
    "Fraser",
];
const ROLES: &[&str] =
    &["research fellow", "senior researcher", "professor", "analyst", "director", "economist", "senior analyst"];
const PLACES: &[&str] =
    &["Seoul", "Busan", "Tokyo", "Washington", "Berlin", "Singapore", "Daejeon", "Geneva", "London", "Warsaw"];
const FIELDS: &[&str] = &[
    "Unification",
    "Security Studies",
    "Digital Policy",
    "Northeast Asian Affairs",
    "Economic Research",
    "Telecommunications",
    "Cyber Studies",
    "Strategic Studies",
    "Technology Policy",
    "Peace Studies",
];
const HEADS: &[&str] = &["Institute", "Center", "University", "Foundation", "Council", "Agency"];
const SOURCES: &[&str] =
    &["conference notes", "news write-up", "think-tank summary", "interview notes", "transcript", "background note"];
const VERBS: &[&str] = &["said", "noted", "warned", "estimated", "argued", "pointed out", "observed", "emphasized"];
const TOPIC_PHRASES: &[(&str, &str)] = &[
    ("4g", "the 4G network now reaches most provincial cities"),
    ("4g", "mobile subscribers passed seven million as Koryolink extended coverage"),
    ("4g", "the mobile network added base stations along the railway"),
    ("smartphones", "the number of smartphone models on sale has doubled"),
    ("smartphones", "handsets such as the Jindallae 7 carry apps for payments and video"),
    ("smartphones", "mobile phone prices fell in the markets"),
    ("ai", "universities use machine learning and facial recognition in research"),
    ("ai", "artificial intelligence labs work on voice synthesis and object tracking"),
    ("ai", "researchers adopted ChatGPT for teaching"),
    ("cyber", "hackers of the Lazarus Group laundered stolen crypto through brokers"),
    ("cyber", "remote IT workers used false identities to win contracts"),
    ("cyber", "malware and phishing campaigns targeted exchanges"),
];

struct Args {
    mb: f64,
    out: PathBuf,
    seed: u64,
    words: PathBuf,
}

fn parse_args() -> Args {
    let mut args = Args {
        mb: 200.0,
        out: PathBuf::from("bench-corpus"),
        seed: 1,
        words: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/words.txt")),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--mb" => args.mb = value.parse().expect("--mb takes a number"),
            "--out" => args.out = PathBuf::from(value),
            "--seed" => args.seed = value.parse().expect("--seed takes a number"),
            "--words" => args.words = PathBuf::from(value),
            other => panic!("unknown option {other}; options: --mb N --out DIR --seed S [--words FILE]"),
        }
    }
    args
}

struct Generator {
    rng: ChaCha8Rng,
    words: Vec<String>,
    zipf: Zipf<f64>,
    people: Vec<String>,
    institutions: Vec<String>,
}

impl Generator {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    fn word(&mut self) -> &str {
        let rank = self.zipf.sample(&mut self.rng) as usize;
        &self.words[(rank - 1).min(self.words.len() - 1)]
    }

    fn sentence(&mut self, out: &mut String) {
        let n = self.rng.random_range(8..24);
        for i in 0..n {
            let word = self.word().to_string();
            if i == 0 {
                let mut chars = word.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(&word);
            }
        }
        out.push_str(". ");
    }

    fn prose_paragraph(&mut self, out: &mut String) {
        for _ in 0..self.rng.random_range(3..6) {
            self.sentence(out);
        }
        out.truncate(out.trim_end().len());
        out.push_str("\n\n");
    }

    fn domain_paragraph(&mut self, out: &mut String) -> (String, String) {
        let person = self.pick(&self.people.clone()).clone();
        let institution = self.pick(&self.institutions.clone()).clone();
        let (topic, phrase) = *self.pick(TOPIC_PHRASES);
        let role = *self.pick(ROLES);
        let verb = *self.pick(VERBS);
        match self.rng.random_range(0..4) {
            0 => write!(out, "{person}, a {role} at the {institution}, {verb} that {phrase}. "),
            1 => write!(out, "According to {person} of the {institution}, {phrase}. "),
            2 => write!(out, "\"We see it in the data,\" said {person}, a {role} at the {institution}. {person} {verb} that {phrase}. "),
            _ => write!(out, "{person} {verb} that {phrase}, citing figures from the {institution}. "),
        }
        .expect("writing to a string");
        self.sentence(out);
        let surname = person.split(' ').next_back().unwrap_or_default().to_string();
        write!(out, "{surname} also pointed to {} ", TOPIC_PHRASES[self.rng.random_range(0..TOPIC_PHRASES.len())].1)
            .expect("write");
        out.truncate(out.trim_end().len());
        out.push_str(".\n\n");
        (person, topic.to_string())
    }

    fn document(&mut self, n: usize) -> String {
        let mut body = String::new();
        let mut speakers = Vec::new();
        let mut topics = Vec::new();
        let target = self.rng.random_range(2000..3000);
        let domain_at = self.rng.random_range(0..3);
        let mut paragraphs = 0;
        while body.len() < target {
            if paragraphs == domain_at || (paragraphs == domain_at + 3 && self.rng.random_bool(0.5)) {
                let (person, topic) = self.domain_paragraph(&mut body);
                speakers.push(person);
                topics.push(topic);
            } else {
                self.prose_paragraph(&mut body);
            }
            paragraphs += 1;
        }
        let title = {
            let mut t = String::new();
            for i in 0..self.rng.random_range(4..9) {
                if i > 0 {
                    t.push(' ');
                }
                t.push_str(self.word());
            }
            format!("Report {n}: {t}")
        };
        let year = self.rng.random_range(2015..=2025);
        let month = self.rng.random_range(1..=12);
        let mut out = String::with_capacity(target + 300);
        if self.rng.random_bool(0.5) {
            let source = *self.pick(SOURCES);
            writeln!(out, "---\ntitle: \"{title}\"\ndate: {year}-{month:02}\nsource: {source}").expect("write");
            if self.rng.random_bool(0.5) {
                writeln!(out, "speakers: [{}]", speakers.join(", ")).expect("write");
                topics.dedup();
                writeln!(out, "topics: [{}]", topics.join(", ")).expect("write");
            }
            out.push_str("---\n");
        } else {
            writeln!(out, "{title}\nDate: {year}-{month:02}\n").expect("write");
        }
        out.push_str(&body);
        out
    }
}

fn main() {
    let args = parse_args();
    let words: Vec<String> = std::fs::read_to_string(&args.words)
        .unwrap_or_else(|e| panic!("{}: {e}", args.words.display()))
        .lines()
        .map(str::to_string)
        .filter(|w| !w.is_empty())
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut people = Vec::new();
    for _ in 0..1500 {
        let name = if rng.random_bool(0.6) {
            let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
            let a = SYLLABLES[rng.random_range(0..SYLLABLES.len())];
            let b = SYLLABLES[rng.random_range(0..SYLLABLES.len())];
            let mut given = format!("{a}-{b}");
            given[..1].make_ascii_uppercase();
            format!("{surname} {given}")
        } else {
            format!(
                "{} {}",
                WESTERN_GIVEN[rng.random_range(0..WESTERN_GIVEN.len())],
                WESTERN_FAMILY[rng.random_range(0..WESTERN_FAMILY.len())]
            )
        };
        people.push(name);
    }
    let mut institutions = Vec::new();
    for place in PLACES {
        for field in FIELDS {
            let head = HEADS[rng.random_range(0..HEADS.len())];
            institutions.push(format!("{place} {head} for {field}"));
        }
    }
    let zipf = Zipf::new(words.len() as f64, 1.07).expect("a valid Zipf distribution");
    let mut generator = Generator { rng, words, zipf, people, institutions };
    let budget = (args.mb * 1024.0 * 1024.0) as usize;
    let mut written = 0usize;
    let mut n = 0usize;
    while written < budget {
        let dir = args.out.join(format!("d{:04}", n / 1000));
        if n.is_multiple_of(1000) {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        let doc = generator.document(n);
        let ext = if n.is_multiple_of(5) { "txt" } else { "md" };
        std::fs::write(dir.join(format!("r{n:06}.{ext}")), &doc).expect("write a report");
        written += doc.len();
        n += 1;
    }
    eprintln!("{n} reports, {:.1} MB in {}", written as f64 / 1048576.0, args.out.display());
}
