//! A deterministic generator of realistic research notes for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- --mb 200 --out DIR --seed 1`
//!
//! About half the files have front matter; prose draws words from `bench/words.txt` with a
//! Zipf distribution; one or two domain paragraphs a file carry speaker attributions,
//! institutions and topic terms. Files are 2–3 KB, in folders of 1,000. The same seed and
//! size give the same bytes on every machine.
//!
//! With `--dense`, most paragraphs are like conference notes and news copy: attributions in
//! varied forms, Korean and Western names, institutions with and without head words,
//! acronyms, quotations, transcript turns, capitalised technical prose with CamelCase
//! names, a Korean paragraph in every few, and a third of the files one paragraph a line.

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

/// Bodies without a head word, as reports name firms, outlets and threat groups.
const BARE_BODIES: &[&str] = &[
    "Recorded Future",
    "Chainalysis",
    "Mandiant",
    "NK Pro",
    "Daily NK",
    "Yonhap",
    "TRM Labs",
    "AhnLab",
    "Elliptic",
    "Kaspersky",
    "Reuters",
    "Radio Free Asia",
];
const ACRONYMS: &[&str] = &["KINU", "INSS", "KISDI", "KDI", "KIDA", "KISA", "NIS", "RGB", "KCC", "ITU"];
const CAMEL: &[&str] = &[
    "TraderTraitor",
    "AppleJeus",
    "RedStar",
    "BlueNoroff",
    "CryptoCore",
    "MagicRAT",
    "DreamJob",
    "KoryoConnect",
    "JinDallae",
    "SunJam",
    "PyongNet",
    "DeepVoice",
];
const VERBS_DENSE: &[&str] = &["said", "noted", "warned", "estimated", "argued", "explained", "added", "told"];
const KO_SURNAMES: &[&str] = &["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "서"];
const KO_GIVEN: &[&str] = &["민", "서", "지", "현", "준", "영", "수", "은", "희", "재", "우", "호"];
const KO_BODIES: &[&str] =
    &["통일연구원", "국가안보전략연구원", "정보통신정책연구원", "한국인터넷진흥원", "경남대 극동문제연구소"];
const KO_ROLES: &[&str] = &["연구위원", "교수", "선임연구원", "소장", "박사"];
const KO_CLAIMS: &[&str] = &[
    "북한의 휴대전화 가입자가 700만 명을 넘었다",
    "평양에서 4G 서비스가 시작됐다",
    "스마트폰 기종이 두 배로 늘었다",
    "해킹 조직이 가상자산을 탈취해 세탁하고 있다",
    "대학들이 인공지능 연구를 넓히고 있다",
];

struct Args {
    dense: bool,
    mb: f64,
    out: PathBuf,
    seed: u64,
    words: PathBuf,
}

fn parse_args() -> Args {
    let mut args = Args {
        dense: false,
        mb: 200.0,
        out: PathBuf::from("bench-corpus"),
        seed: 1,
        words: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/words.txt")),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--dense" {
            args.dense = true;
            continue;
        }
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--mb" => args.mb = value.parse().expect("--mb takes a number"),
            "--out" => args.out = PathBuf::from(value),
            "--seed" => args.seed = value.parse().expect("--seed takes a number"),
            "--words" => args.words = PathBuf::from(value),
            other => panic!("unknown option {other}; options: --mb N --out DIR --seed S [--words FILE] [--dense]"),
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

    /// A paragraph of conference notes or news copy: an attribution in one of several forms,
    /// then a sentence or two of capitalised technical prose.
    fn dense_paragraph(&mut self, out: &mut String) -> (String, String) {
        let person = self.pick(&self.people.clone()).clone();
        let institution = self.pick(&self.institutions.clone()).clone();
        let bare = *self.pick(BARE_BODIES);
        let acronym = *self.pick(ACRONYMS);
        let (topic, phrase) = *self.pick(TOPIC_PHRASES);
        let role = *self.pick(ROLES);
        let verb = *self.pick(VERBS_DENSE);
        let camel = *self.pick(CAMEL);
        let camel2 = *self.pick(CAMEL);
        let quote = {
            let mut q = phrase.to_string();
            q[..1].make_ascii_uppercase();
            q
        };
        let surname = person.split(' ').next_back().unwrap_or_default().to_string();
        match self.rng.random_range(0..9) {
            0 => write!(out, "{person}, a {role} at the {institution} ({acronym}), {verb} that {phrase}."),
            1 => write!(out, "According to {person} of {bare}, {phrase}, and the {acronym} data agree."),
            2 => write!(out, "\"{quote},\" said {person}, {role} at {bare}. {surname} added that {camel} and {camel2} were seen again."),
            3 => write!(out, "{person} ({institution}) {verb}: \"{quote}.\" The {camel} toolkit and {camel2} loader were named."),
            4 => write!(out, "In an interview with {bare}, {person} {verb} that {phrase}; {surname} cited {acronym} figures."),
            5 => write!(out, "{}: {quote}. We tracked {camel} and {camel2} through {bare} reports.", surname.to_uppercase()),
            6 => {
                let name = format!(
                    "{}{}{}",
                    self.pick(KO_SURNAMES),
                    self.pick(KO_GIVEN),
                    self.pick(KO_GIVEN)
                );
                let body = *self.pick(KO_BODIES);
                let ko_role = *self.pick(KO_ROLES);
                let claim = *self.pick(KO_CLAIMS);
                // 은 after a final consonant (연구위원은), 는 after a vowel (교수는).
                let particle = if ["교수", "박사"].contains(&ko_role) { "는" } else { "은" };
                write!(
                    out,
                    "{name} {body} {ko_role}{particle} \"{claim}\"라고 말했다. {} {ko_role}{particle} 이어 {camel} 사례를 설명했다.",
                    &name[..3]
                )
            }
            7 => write!(out, "The {institution} and {bare} traced {camel}, {camel2} and RedStarOS builds; {person} {verb} that {phrase}."),
            _ => write!(out, "Speaking at the {institution}, {person} {verb} that {phrase}. {surname} also pointed to {camel}."),
        }
        .expect("writing to a string");
        out.push(' ');
        self.sentence(out);
        out.truncate(out.trim_end().len());
        (person, topic.to_string())
    }

    /// A report of which most paragraphs attribute, name and cite (`--dense`).
    fn dense_document(&mut self, n: usize) -> String {
        let one_per_line = self.rng.random_bool(0.33);
        let separator = if one_per_line { "\n" } else { "\n\n" };
        let mut body = String::new();
        let target = self.rng.random_range(2000..3500);
        while body.len() < target {
            if self.rng.random_bool(0.8) {
                self.dense_paragraph(&mut body);
            } else {
                self.prose_paragraph(&mut body);
                body.truncate(body.trim_end().len());
            }
            body.push_str(separator);
        }
        let year = self.rng.random_range(2015..=2025);
        format!("Session notes {n}\nDate: {year}-{:02}\n\n{body}", self.rng.random_range(1..=12))
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
        let doc = if args.dense { generator.dense_document(n) } else { generator.document(n) };
        let ext = if n.is_multiple_of(5) { "txt" } else { "md" };
        std::fs::write(dir.join(format!("r{n:06}.{ext}")), &doc).expect("write a report");
        written += doc.len();
        n += 1;
    }
    eprintln!("{n} reports, {:.1} MB in {}", written as f64 / 1048576.0, args.out.display());
}
