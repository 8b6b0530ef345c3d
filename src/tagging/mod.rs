//! Tagging: topics, speakers and institutions for every passage and document, and the
//! registry that gives each person and institution one canonical name per index.

pub mod hangul;
pub mod institutions;
pub mod lexicon;
pub mod names;
pub mod registry;
pub mod speakers;
pub mod taxonomy;
pub mod words;

use crate::corpus::ParsedFile;
use institutions::{Extractor, FoundInstitution};
use lexicon::{Entry, Lexicon};
use speakers::{Attribution, FoundSpeaker};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;
use taxonomy::Taxonomy;

/// The tags of one document before names are resolved against the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags {
    pub speakers: Vec<FoundSpeaker>,
    pub institutions: Vec<FoundInstitution>,
    pub topics: Vec<String>,
    pub passage_topics: Vec<Vec<String>>,
}

/// Everything tagging needs, built once per run from the taxonomy.
pub struct Tagger {
    taxonomy: Taxonomy,
    /// Built when the first file is tagged: a run that finds nothing changed (the usual
    /// run from cron) tags nothing, and building them was half of its time.
    automata: OnceLock<Automata>,
}

/// The taxonomy's terms and names as automata.
struct Automata {
    lexicon: Lexicon,
    extractor: Extractor,
}

/// How many passages each stage of tagging runs over before the next stage starts.
const PASSAGES_PER_RUN: usize = 64;

impl Tagger {
    pub fn new(taxonomy: Taxonomy) -> Tagger {
        Tagger { taxonomy, automata: OnceLock::new() }
    }

    /// The automata, built by the first call (a second thread calling meanwhile waits for
    /// them).
    fn automata(&self) -> &Automata {
        self.automata.get_or_init(|| Automata {
            lexicon: Lexicon::new(&self.taxonomy),
            extractor: Extractor::new(&self.taxonomy),
        })
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Topic ids with evidence in `text`: one strong term, or two different weak terms.
    pub fn topics_of(&self, hits: &[lexicon::Hit<'_>]) -> Vec<String> {
        let mut strong = BTreeSet::new();
        let mut weak: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for hit in hits {
            for entry in hit.entries {
                if let Entry::Topic { topic, weak: is_weak } = entry {
                    if *is_weak {
                        weak.entry(*topic).or_default().insert(hit.pattern);
                    } else {
                        strong.insert(*topic);
                    }
                }
            }
        }
        for (topic, terms) in weak {
            if terms.len() >= 2 {
                strong.insert(topic);
            }
        }
        strong.into_iter().map(|t| self.taxonomy.topics[t].id.clone()).collect()
    }

    /// Tags a parsed file.
    pub fn tag(&self, file: &ParsedFile) -> Tags {
        let Automata { lexicon, extractor } = self.automata();
        let acronyms = extractor.acronym_definitions(&file.body);
        let mut attribution = Attribution::new(&extractor.speaker_names);
        attribution.learn_labels(file.passages.iter().map(|p| p.text.as_str()));
        let mut institutions: Vec<FoundInstitution> = Vec::new();
        let mut institution_index: HashMap<String, usize> = HashMap::new();
        let mut doc_names = institutions::DocumentNames::new(&file.body, &acronyms);
        let mut passage_topics = Vec::with_capacity(file.passages.len());
        let mut doc_topics: BTreeSet<String> = BTreeSet::new();

        // Front matter speakers first: their names are known before the text refers to them.
        if let Some(speakers) = &file.meta.speakers {
            for entry in speakers {
                let affiliation = entry.affiliation().map(|a| {
                    extractor
                        .known_institution(a)
                        .map(str::to_string)
                        .unwrap_or_else(|| institutions::clean_institution(a))
                });
                attribution.add_listed(&names::tidy_person(entry.name()), affiliation);
            }
        }
        // Each stage runs over a run of passages before the next begins, so that its automata
        // stay in the processor's caches: topics, then institutions, then speakers. A run is
        // short enough that what the stages find in it stays small, however long the file.
        for (run, passages) in file.passages.chunks(PASSAGES_PER_RUN).enumerate() {
            let first = run * PASSAGES_PER_RUN;
            let hits: Vec<_> = passages.iter().map(|passage| lexicon.scan(&passage.text)).collect();
            for hits in &hits {
                let topics = self.topics_of(hits);
                doc_topics.extend(topics.iter().cloned());
                passage_topics.push(topics);
            }
            let spans: Vec<_> = (passages.iter().zip(&hits))
                .map(|(passage, hits)| extractor.institutions(&passage.text, hits, &acronyms, &mut doc_names))
                .collect();
            drop(hits);
            let attributed: Vec<&str> =
                passages.iter().map(|p| if p.continues_turn { "" } else { p.text.as_str() }).collect();
            let names = speakers::NameMatches::new(first, &attributed);
            for (n, (passage, spans)) in (first..).zip(passages.iter().zip(&spans)) {
                for span in spans {
                    let (list, index) = (&mut institutions, &mut institution_index);
                    add_institution(list, index, &span.name, &span.surface, Some(n), span.rule);
                    if let Some(university) = institutions::parent_university(&span.surface) {
                        let name = extractor.known_institution(university).unwrap_or(university).to_string();
                        add_institution(
                            list,
                            index,
                            &name,
                            university,
                            Some(n),
                            "the university of an institute named with it",
                        );
                    }
                }
                if passage.heading.as_deref().is_some_and(speakers::is_people_heading) {
                    attribution.list_mode = Some(true);
                }
                if passage.continues_turn {
                    attribution.continue_turn(n);
                } else {
                    attribution.passage(n, &passage.text, spans, &names);
                }
            }
        }
        // Captions, credits, header lines and the title name institutions too, though they
        // are no passage and no one speaks in them.
        for line in &file.furniture {
            let hits = lexicon.scan(line);
            for span in extractor.institutions(line, &hits, &acronyms, &mut doc_names) {
                let rule = if span.rule == "gazetteer" { "gazetteer (title, header or caption)" } else { span.rule };
                add_institution(&mut institutions, &mut institution_index, &span.name, &span.surface, None, rule);
            }
        }
        if let Some(list) = &file.meta.institutions {
            for name in list {
                let filed = extractor
                    .known_institution(name)
                    .map(str::to_string)
                    .unwrap_or_else(|| institutions::clean_institution(name));
                add_institution(&mut institutions, &mut institution_index, &filed, name, None, "front matter");
            }
        }
        if let Some(topics) = &file.meta.topics {
            doc_topics.extend(topics.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()));
        }
        // Speakers who were only ever referred to by a name later found to be an
        // institution or never attributed anything are dropped; front matter ones stay.
        let speakers = attribution.finish();
        Tags { speakers, institutions, topics: order_topics(&self.taxonomy, doc_topics), passage_topics }
    }
}

fn add_institution(
    list: &mut Vec<FoundInstitution>,
    index: &mut HashMap<String, usize>,
    name: &str,
    surface: &str,
    passage: Option<usize>,
    rule: &'static str,
) {
    let idx = *index.entry(names::institution_key(name)).or_insert_with(|| {
        list.push(FoundInstitution {
            name: name.to_string(),
            mentions: BTreeSet::new(),
            passages: BTreeSet::new(),
            evidence: Vec::new(),
        });
        list.len() - 1
    });
    let found = &mut list[idx];
    found.mentions.insert(surface.trim().to_string());
    if let Some(n) = passage {
        found.passages.insert(n);
    }
    if found.evidence.len() < 20 {
        found.evidence.push((passage, rule, surface.trim().to_string()));
    }
}

/// Topics in taxonomy order, then unknown ids alphabetically.
fn order_topics(taxonomy: &Taxonomy, topics: BTreeSet<String>) -> Vec<String> {
    let mut ordered: Vec<String> =
        taxonomy.topics.iter().map(|t| t.id.clone()).filter(|id| topics.contains(id)).collect();
    ordered.extend(topics.into_iter().filter(|t| !taxonomy.topics.iter().any(|d| &d.id == t)));
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_text;

    fn tag(text: &str) -> Tags {
        let tagger = Tagger::new(Taxonomy::builtin());
        tagger.tag(&parse_text("t.md", text).unwrap())
    }

    #[test]
    fn a_tagger_builds_its_automata_when_it_first_tags() {
        let tagger = Tagger::new(Taxonomy::builtin());
        assert!(tagger.automata.get().is_none());
        let tags = tagger.tag(&parse_text("t.md", "Martyn Williams said the 4G network grew.").unwrap());
        assert!(tagger.automata.get().is_some());
        assert_eq!(speaker_names(&tags), ["Martyn Williams"]);
        assert_eq!(tags.topics, ["4g"]);
    }

    fn speaker_names(tags: &Tags) -> Vec<&str> {
        tags.speakers.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn weak_evidence_alone_is_no_topic() {
        let tags = tag("A network of smugglers moved goods.\n\nThe mobile network reached 7.51 million subscribers.");
        assert_eq!(tags.passage_topics, vec![Vec::<String>::new(), vec!["4g".to_string()]]);
        assert_eq!(tags.topics, vec!["4g"]);
    }

    #[test]
    fn front_matter_topics_join_passage_topics() {
        let tags = tag("---\ntopics: [cyber]\n---\nUniversities use ChatGPT.");
        assert_eq!(tags.topics, vec!["ai", "cyber"]);
    }

    #[test]
    fn attribution_patterns() {
        let cases: &[(&str, &[&str])] = &[
            ("Martyn Williams said the network grew.", &["Martyn Williams"]),
            ("\"Phones doubled,\" said Hannah Berger, a researcher at the Berlin Centre for Cyber Studies.", &["Hannah Berger"]),
            ("According to Park Min-joo of the Institute for Unification Education, universities use ChatGPT.", &["Park Min-ju"]),
            ("KISDI's Choi Ji-hoon noted that subscribers grew.", &["Choi Ji-hoon"]),
            ("Kim Min-jung, a research fellow at the Institute for National Security Strategy (INSS), warned of theft.", &["Kim Min-jung"]),
            ("Dr. Hannah Berger argued that AI matters.", &["Hannah Berger"]),
            ("Kim Jong-un visited a factory. The leader toured it.", &[]),
        ];
        for (text, want) in cases {
            let tags = tag(text);
            assert_eq!(speaker_names(&tags), *want, "{text}");
        }
    }

    #[test]
    fn whoever_speaks_to_a_person_named_is_the_interviewer() {
        let cases: &[(&str, &[&str])] = &[
            // An outlet that spoke with a person: the person speaks, the outlet does not
            // (nor does its last word continue anyone).
            ("Global Tech Weekly spoke with Park Min-ju, a researcher at KINU, about phones.", &["Park Min-ju"]),
            // A body and a role between the verb and the person.
            ("Telecom Review Asia spoke to Stimson Center fellow Martyn Williams about 4G.", &["Martyn Williams"]),
            ("Last week the magazine spoke to Stimson Center Fellow Martyn Williams about 4G.", &["Martyn Williams"]),
            // Spoken to a body, or to people without a name: the subject speaks.
            ("Martyn Williams spoke to NK News about the Koryolink network.", &["Martyn Williams"]),
            ("Kim Hyun-woo spoke with reporters in Seoul about the hacking.", &["Kim Hyun-woo"]),
        ];
        for (text, want) in cases {
            let tags = tag(text);
            assert_eq!(speaker_names(&tags), *want, "{text}");
        }
        // The person spoken to answers the interview's questions.
        let tags = tag("Asia Tech Monthly spoke with Lee Seung-ho.\n\nQ: Are the towers new?\n\nA: Most of them are.");
        assert_eq!(speaker_names(&tags), vec!["Lee Seung-ho"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![0, 2]);
    }

    #[test]
    fn korean_labels_on_lines_of_their_own_with_bodies_and_roles() {
        // YTN: the guest's label on a line of its own, the answer in the paragraph below.
        let tags = tag("■ 진행 : 한지수 앵커\n■ 출연 : 서민재 통일연구원 선임연구위원\n\n[앵커]\n\n\
                        가입자가 늘었다는데 어떻게 보십니까?\n\n[서민재]\n\n가입자는 분명히 늘고 있습니다.\n\n\
                        [앵커]\n\n인공지능 연구는요?\n\n[서민재]\n\n음성 인식 쪽이 진척됐습니다.");
        // Passages: 0 and 1 the header lines, 2 `[앵커]`, 3 the question, 4 `[서민재] 가입자는…`,
        // 5 `[앵커]`, 6 the question, 7 `[서민재] 음성…`.
        assert_eq!(speaker_names(&tags), vec!["서민재"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![1, 4, 7]);
        // Radio: the body before the name and post, the host's role after a slash.
        let tags = tag("대담 : 국민대 최성호 정치대학원장\n\n▷ 김다은/사회자:\n4G 이야기를 해보겠습니다.\n\n\
                        ▶ 국민대 최성호 정치대학원장:\n기지국이 늘었습니다.\n\n▷ 김다은/사회자:\n스마트폰은요?\n\n\
                        ▶ 국민대 최성호 정치대학원장:\n도시에서는 흔해졌습니다.");
        assert_eq!(speaker_names(&tags), vec!["최성호"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![2, 4]);
        // A name of syllables rare in names, between the body and the post.
        let tags = tag("▶ 국민대 박휘락 정치대학원장:\n예. 안녕하십니까.");
        assert_eq!(speaker_names(&tags), vec!["박휘락"]);
        // A short form given in the label ("hereafter") is no affiliation, and makes a
        // name of syllables rare in names a person's.
        let tags = tag("▶ 국민대 박휘락 정치대학원장(이하 박휘락): 시험 발사로 봅니다.\n\n▶ 박휘락: 그렇습니다.");
        assert_eq!(speaker_names(&tags), vec!["박휘락"]);
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("국민대"));
        let tags = tag("□출연 : 박휘락 국민대학교 정치대학원장\n□진행 : 전영신 기자\n\n\
                        전영신(이하 전) : 어떻게 보십니까?\n\n박휘락(이하 박) : 능력이 먼저입니다.\n\n\
                        전 : 제재는요?\n\n박 : 한계가 있습니다.");
        assert_eq!(speaker_names(&tags), vec!["박휘락"]);
        // A foreign name of two words is not a body and a name.
        let tags = tag("[녹취: 캐서린 오코너 교수] \"위험합니다.\"");
        assert_eq!(speaker_names(&tags), vec!["캐서린 오코너"]);
        // A host listed under a hollow square asks, in every turn.
        let tags = tag("□출연 : 오태식 고려대 북한학과 교수\n□진행 : 나윤아 기자\n\n\
                        나윤아(이하 나) : 어떻게 보십니까?\n\n오태식(이하 오) : 중국산 기기로 봅니다.\n\n\
                        나 : 해킹은요?\n\n오 : 계속되고 있습니다.");
        assert_eq!(speaker_names(&tags), vec!["오태식"]);
        // `그는` after a sound bite is the person just heard, not the subject named before.
        let tags = tag("이성호 통일연구원 연구위원은 \"기기가 늘었다\"고 밝혔다.\n\n\
                        ▶ 인터뷰 : 한지원 / 북한대학원대학교 교수 - \"제재 위반 소지가 있습니다.\"\n\n\
                        그는 북한이 4세대 통신망을 들여온 것으로 추정했다.");
        assert_eq!(speaker_names(&tags), vec!["이성호", "한지원"]);
        assert_eq!(tags.speakers[1].passages.iter().copied().collect::<Vec<_>>(), vec![1, 2]);
        // KBS: sound bites after a tag in angle brackets; a header line is no one's turn.
        let tags = tag("■ 방송일 : 2025년 9월 17일\n\n<녹취> 최성욱(국회 정보위원회 간사) : \"늘었습니다.\"\n\n\
                        <인터뷰> 남궁현(안랩 센터장) : \"어렵습니다.\"");
        assert_eq!(speaker_names(&tags), vec!["최성욱", "남궁현"]);
        // A post in the next sentence is not the post of a word before it (`현황을`).
        let tags = tag("토론에 나선 류하림 정보통신정책연구원 연구위원은 보급 현황을 소개했다. \
                        류 연구위원은 \"가구당 한 대를 넘었다\"고 말했다.");
        assert_eq!(speaker_names(&tags), vec!["류하림"]);
    }

    #[test]
    fn affiliations_come_from_the_text() {
        let tags = tag(
            "Kim Min-jung, a research fellow at the Institute for National Security Strategy (INSS), warned of theft.",
        );
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Institute for National Security Strategy"));
        let tags = tag("KISDI's Choi Ji-hoon noted that subscribers grew.");
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Korea Information Society Development Institute"));
    }

    #[test]
    fn continuation_by_pronoun_and_surname() {
        let tags = tag("Martyn Williams said phones doubled.\n\nHe added that apps exist.\n\nWilliams also pointed to 4G.\n\nThe weather was fine.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn transcript_turns_and_anonymous_roles() {
        let tags = tag("MODERATOR: What about 4G?\n\nMARTYN WILLIAMS (Stimson Center): It arrived around 2023.\n\nWILLIAMS: And phones doubled.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams"]);
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Stimson Center"));
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn names_inside_a_quotation_are_not_speakers() {
        let tags = tag("Park Min-joo, a professor at Hanyang University, said, \"Since Kim Jong-un came to power, science comes first.\"");
        assert_eq!(speaker_names(&tags), vec!["Park Min-ju"]);
    }

    #[test]
    fn hosts_and_reporters_in_turns_are_not_speakers() {
        let tags = tag("SARAH KLEIN, HOST: Phones spread.\n\nJI SHIN, BYLINE: In the market, apps sell.\n\n\
                        JI SHIN: Officials estimate a quarter have phones.\n\nSARAH KLEIN: Joining us is Martin Williams.\n\n\
                        MARTIN WILLIAMS: Thanks. The 4G network is new.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams"]);
    }

    #[test]
    fn passages_past_the_first_run_keep_their_numbers_and_what_came_before() {
        // Tagging works through runs of PASSAGES_PER_RUN passages: names, topics and
        // institutions must land on the passage they are in, and a person named in one
        // run must still be there to continue in a later one.
        let mut paragraphs: Vec<String> =
            (0..150).map(|i| format!("the notes went on about prices and supply, item {i}.")).collect();
        let late = PASSAGES_PER_RUN * 2 + 2;
        paragraphs[PASSAGES_PER_RUN - 1] =
            "Martyn Williams, a fellow at the Stimson Center, said the 4G network reaches most cities.".into();
        paragraphs[PASSAGES_PER_RUN] = "She added that handsets cost less than they did.".into();
        paragraphs[late] = "Park Min-ju said smartphone sales doubled last year.".into();
        paragraphs[late + 1] = "Williams also noted that the operator kept its prices.".into();
        let tags = tag(&paragraphs.join("\n\n"));
        assert_eq!(tags.passage_topics.len(), 150);
        let passages = |name: &str| -> Vec<usize> {
            let speaker = tags.speakers.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} found"));
            speaker.passages.iter().copied().collect()
        };
        assert_eq!(passages("Martyn Williams"), [PASSAGES_PER_RUN - 1, PASSAGES_PER_RUN, late + 1]);
        assert_eq!(passages("Park Min-ju"), [late]);
        assert!(tags.passage_topics[PASSAGES_PER_RUN - 1].iter().any(|t| t == "4g"));
        assert!(tags.passage_topics[late].iter().any(|t| t == "smartphones"));
        assert!(tags.passage_topics[late + 1].is_empty());
        let stimson = tags.institutions.iter().find(|i| i.name == "Stimson Center").expect("Stimson Center");
        assert_eq!(stimson.passages.iter().copied().collect::<Vec<_>>(), [PASSAGES_PER_RUN - 1]);
    }

    #[test]
    fn interview_turns_in_mixed_case_go_to_the_interviewee() {
        let tags = tag("NK Pro spoke to Martyn Williams of the Stimson Center about phones.\n\
                        NK Pro: When did 4G arrive?\nWilliams: In 2023, in Pyongyang first.\n\
                        NK Pro: And apps?\nWilliams: Payments, games and video.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![0, 2, 4]);
        let qa = tag(
            "In an interview with Kim Min-jung, we asked about AI.\n\nQ: What changed?\n\nA: Face recognition spread.",
        );
        assert_eq!(qa.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![0, 2]);
    }

    #[test]
    fn programmes_list_their_speakers_but_not_their_moderators() {
        let tags = tag("## Session 1\n\n- Moderator: Yoon Se-ra, Professor, Ewha Womans University\n\
                        - Panelist: Zhang Lei, Research Fellow, Fudan University\n\
                        - Keynote address, \"Networks\": Martyn Williams, Senior Fellow, Stimson Center");
        assert_eq!(speaker_names(&tags), vec!["Zhang Lei", "Martyn Williams"]);
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Fudan University"));
        let prose =
            tag("The session featured presentations by Lee Sung-ho of KINU and Kang Min-seo of Kyungnam University.");
        assert_eq!(speaker_names(&prose), vec!["Lee Sung-ho", "Kang Min-seo"]);
    }

    #[test]
    fn participant_lists_give_short_turn_names_their_people() {
        let tags = tag("PARTICIPANTS:\n\nLee Soo-jin, Senior Researcher, Korea Internet & Security Agency\n\n\
                        Kenji Tanaka, Analyst, Hinomaru Cyber Research Inc.\n\n\
                        MS. LEE: Phishing mail rose.\n\nMR. TANAKA: Exchanges were hit.");
        assert_eq!(speaker_names(&tags), vec!["Lee Soo-jin", "Kenji Tanaka"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn leaders_and_places_are_never_speakers() {
        let tags = tag("Kim Jong Un has stressed that science comes first. Ryanggang Province officials said little.");
        assert!(tags.speakers.is_empty(), "{:?}", tags.speakers);
    }

    #[test]
    fn institutions_in_captions_and_parents_of_institutes_count() {
        let tags = tag("Headline\n\nImage: A screenshot from Korean Central Television.\n\n\
                        Kang Min-seo of the Institute for Far Eastern Studies at Kyungnam University said phones spread.");
        let names: Vec<&str> = tags.institutions.iter().map(|i| i.name.as_str()).collect();
        assert!(names.contains(&"Korean Central Television"), "{names:?}");
        assert!(names.contains(&"Kyungnam University"), "{names:?}");
        assert!(names.contains(&"Institute for Far Eastern Studies"), "{names:?}");
        let corp = tag("Yanbian Silverstar Network Technology Co. and Sentry Peak Labs hired them.");
        let names: Vec<&str> = corp.institutions.iter().map(|i| i.name.as_str()).collect();
        assert!(names.contains(&"Sentry Peak Labs"), "{names:?}");
        let key = names::institution_key("Yanbian Silverstar Network Technology Co.");
        assert!(names.iter().any(|n| names::institution_key(n) == key), "{names:?}");
    }

    #[test]
    fn verb_first_attributions_and_role_continuations() {
        let tags =
            tag("Prices rose, said Mr Lee Sung Ho, a researcher at KINU.\n\nThe researcher also noted that 4G spread.");
        assert_eq!(speaker_names(&tags), vec!["Lee Sung Ho"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn affiliations_in_the_forms_of_news_copy() {
        let cases = [
            ("Chainalysis analyst Jane Doe said the funds moved.", "Chainalysis"),
            ("Jane Doe, who heads the Stimson Center, said phones spread.", "Stimson Center"),
            ("Jane Doe of Kyungnam University said phones spread.", "Kyungnam University"),
            ("Jane Doe, an analyst at Recorded Future, said the group is active.", "Recorded Future"),
        ];
        for (text, want) in cases {
            let tags = tag(text);
            assert_eq!(tags.speakers.len(), 1, "{text}: {:?}", tags.speakers);
            assert_eq!(tags.speakers[0].affiliation.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn countries_and_historical_states_are_not_institutions() {
        let tags = tag("The Soviet Union and the Korean Empire built railways; the Ministry of Railways kept records.");
        let names: Vec<&str> = tags.institutions.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["Ministry of Railways"]);
    }

    #[test]
    fn interview_answers_labelled_with_initials_are_the_interviewee_s() {
        let tags = tag("We spoke with Martyn Williams of the Stimson Center.\n\nNK: How big is the network?\n\nMW: About seven million subscribers.\n\nNK: And phones?\n\nMW: Models doubled.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![0, 2, 4]);
    }

    #[test]
    fn quotations_signed_after_a_dash() {
        let tags = tag("### 1. How many?\n\n\"Official data do not exist, so we triangulate.\" — Dr. Ha-eun Moon, Research Fellow, Korea Institute for Defense Analyses");
        assert_eq!(speaker_names(&tags), vec!["Ha-eun Moon"]);
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Korea Institute for Defense Analyses"));
    }

    #[test]
    fn phrasings_of_news_copy_and_event_summaries() {
        let cases: &[(&str, &[&str])] = &[
            ("My name is Choi Eun-ji, and I left Hyesan in 2019 with a Chinese phone.", &["Choi Eun-ji"]),
            ("A report by Hannah Berger found that the network doubled.", &["Hannah Berger"]),
            ("Martyn Williams now says the network reaches every province.", &["Martyn Williams"]),
            ("The forum was joined by experts including Lee Ji-won of KINU and Tom Robinson of RUSI.", &["Lee Ji-won", "Tom Robinson"]),
            ("Ben Zhou spoke on how the exchange traced the stolen funds.", &["Ben Zhou"]),
            ("SEOUL, Nov. 4 (Yonhap) -- Phones spread, said Kim Min-jung of the Institute for National Security Strategy.", &["Kim Min-jung"]),
        ];
        for (text, want) in cases {
            assert_eq!(speaker_names(&tag(text)), *want, "{text}");
        }
        let dateline = tag("SEOUL, Nov. 4 (Yonhap) -- Phones spread, said Kim Min-jung.");
        assert!(dateline.institutions.iter().any(|i| i.name.starts_with("Yonhap")), "{:?}", dateline.institutions);
    }

    #[test]
    fn organisations_without_head_words_and_with_connectors() {
        let tags = tag("Reuters, Kaspersky, Chainalysis, ZTE, Lazarus and Rodong Sinmun were cited, as was the Belfer Center for Science and International Affairs.");
        let names: Vec<&str> = tags.institutions.iter().map(|i| i.name.as_str()).collect();
        for want in ["Reuters", "Kaspersky", "Chainalysis", "ZTE", "Lazarus Group", "Rodong Sinmun"] {
            assert!(names.contains(&want), "{want}: {names:?}");
        }
        assert!(
            names.iter().any(|n| n.starts_with("Belfer Center for Science and International Affairs")),
            "{names:?}"
        );
    }

    #[test]
    fn korean_attributions_make_speakers_and_bylines_do_not() {
        let tags = tag("(서울=연합뉴스) 홍길동 기자 = 통일연구원 이정훈 연구위원은 \"북한의 인공지능 연구가 빨라졌다\"고 말했다.\n\n\
                        김정은 국무위원장은 과학기술을 강조했다고 조선중앙통신이 전했다.\n\n\
                        김민정 박사에 따르면 얼굴인식 기술이 도입됐다.");
        assert_eq!(speaker_names(&tags), vec!["이정훈", "Kim Min-jung"]);
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Korea Institute for National Unification"));
        let names: Vec<&str> = tags.institutions.iter().map(|i| i.name.as_str()).collect();
        assert!(names.contains(&"Korean Central News Agency"), "{names:?}");
    }

    #[test]
    fn korean_turns_and_programmes() {
        let tags = tag("발표자: 정윤희 (정보통신정책연구원), 조현석 (통일연구원)\n\n사회자: 홍승우\n\n\
                        이성호(통일연구원): 휴대전화 가입자가 늘었다.\n\n문: 해킹은?\n\n답: 가상자산 탈취가 늘었다.");
        assert_eq!(speaker_names(&tags), vec!["정윤희", "조현석", "이성호"]);
        assert_eq!(tags.speakers[0].affiliation.as_deref(), Some("Korea Information Society Development Institute"));
        assert_eq!(tags.speakers[2].passages.iter().copied().collect::<Vec<_>>(), vec![2, 4]);
    }

    #[test]
    fn korean_summaries_chairs_and_foreign_names_in_hangul() {
        let tags = tag("사회는 홍승우 한양대학교 교수가 맡아 발표자를 소개했다.\n\n\
                        미국 스팀슨센터의 마틴 윌리엄스 선임연구원은 가입자를 700만 명으로 추산했다.\n\n\
                        윌리엄스 연구원은 4G 망이 깔렸다며 앱이 늘었다고 설명했다.\n\n\
                        종합토론에는 정윤희 정보통신정책연구원 연구위원과 조현석 경남대 교수가 토론자로 나섰다.\n\n\
                        회사의 기술부원 로영호는 《새 기지국들을 일떠세웠다》고 말하였다.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams", "정윤희", "조현석", "로영호"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn korean_interview_answers_go_to_the_person_introduced() {
        let tags = tag("안랩에서 북한발 위협을 추적해 온 최경수 책임연구원을 만났다.\n\n문: 해킹이 늘었나?\n\n답: 가상자산 탈취가 늘었다.");
        assert_eq!(speaker_names(&tags), vec!["최경수"]);
        assert_eq!(tags.speakers[0].passages.iter().copied().collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn a_name_given_in_both_scripts_is_one_person_with_both_mentions() {
        let tags = tag("Helen Achterberg (헬렌 아흐터베르크) of RUSI said phones spread.\n\n헬렌 아흐터베르크 연구원은 4G가 늘었다고 말했다.");
        assert_eq!(speaker_names(&tags), vec!["Helen Achterberg"]);
        assert!(tags.speakers[0].mentions.contains("헬렌 아흐터베르크"), "{:?}", tags.speakers[0].mentions);
        let hangul_first = tag("이정훈(Lee Jung-hoon) 연구위원은 가입자가 늘었다고 말했다.");
        assert!(hangul_first.speakers[0].mentions.contains("Lee Jung-hoon"), "{:?}", hangul_first.speakers);
    }

    #[test]
    fn a_participle_between_the_affiliation_and_the_verb() {
        let tags = tag("Martin Williams of the Stimson Center, joining by video, said the 4G network is concentrated in Pyongyang.");
        assert_eq!(speaker_names(&tags), vec!["Martyn Williams"]);
        let ko = tag("조현석 경남대 극동문제연구소 교수가 토론자로 나섰다.");
        assert_eq!(speaker_names(&ko), vec!["조현석"]);
    }

    #[test]
    fn korean_posts_with_a_rank_and_universities_by_short_name() {
        let tags = tag("조한범 통일연구원 석좌연구위원은 \"가능성은 높지 않다\"고 분석했다.\n\n\
                        임종인 고려대 정보보호대학원 교수는 \"가치가 오르고 있다\"고 말했다.");
        assert_eq!(speaker_names(&tags), vec!["조한범", "임종인"]);
    }

    #[test]
    fn korean_layouts_of_broadcasts_interviews_programmes_and_north_korean_media() {
        let names = |text: &str| -> Vec<String> { tag(text).speakers.into_iter().map(|s| s.name).collect() };
        // A sound bite, a broadcast turn after a mark, an anchor who only asks.
        assert_eq!(
            names("[기자] 문자가 늘었습니다.\n\n[인터뷰] 안현석 / 한국인터넷진흥원 위협분석단장 : \"어렵습니다.\""),
            vec!["안현석"]
        );
        assert_eq!(
            names("▶앵커> 어떻게 보셨습니까?\n\n▷엄기수> 우연일 리 없죠.\n\n▶앵커> 고맙습니다."),
            vec!["엄기수"]
        );
        // Questions after a dash, answers in quotation marks: the interviewee's.
        let interview = tag("서진우 국립통일교육원 교수를 서울에서 만났다.\n\n― 이유는.\n\n\"과학기술을 중시합니다.\"");
        assert_eq!(speaker_names(&interview), vec!["서진우"]);
        assert!(!interview.speakers[0].passages.is_empty());
        // North Korean media write the post on to the name.
        assert_eq!(names("책임자인 리명철교원은 《돌파하였다.》고 말하였다."), vec!["리명철"]);
        assert!(names("김정은 국무위원장이 현장을 찾았다고 말했다.").is_empty());
        // A programme: the person after the title's dash; a list of guests split at commas.
        assert_eq!(names("프로그램\n\n발제 1: 김정은 시대의 AI — 서진우 (국립통일교육원 교수)"), vec!["서진우"]);
        assert_eq!(
            names("대담\n\n■ 출연 : 엄기수 통일미래연구소 선임연구위원, 윤채원 이화여자대학교 교수"),
            vec!["엄기수", "윤채원"]
        );
        // A programme row with a bracketed title; a sound bite with the quotation right after.
        assert_eq!(names("프로그램\n\n발표 1 「북한 AI 연구」 — 서진우 (국가안보전략연구원 연구위원)"), vec!["서진우"]);
        assert_eq!(
            names("[기자] 늘었습니다.\n\n[인터뷰] 탁승연 / 경찰청 사이버수사팀장 \"7건입니다.\""),
            vec!["탁승연"]
        );
        // A host named with `(이하 탁)` asks under the short label too.
        let radio = "대담\n\n■ 진행 : 탁현정 앵커\n\n탁현정(이하 탁)> 어떻게 보십니까?\n\n\
                     제갈윤서(이하 제갈)> 속도입니다.\n\n탁> 대응은요?\n\n제갈> 동결을 요청했습니다.";
        assert_eq!(names(radio), vec!["제갈윤서"]);
        // A note that gives a romanized name with a Korean post.
        assert_eq!(names("메모\n\nJane Holloway 교수(통일교육원): 대학에서 AI를 쓴다고 함."), vec!["Jane Holloway"]);
        // A report's author line; a foreign name, then a body with no head word, then the post.
        assert_eq!(names("북한 4G 확산의 함의\n\n조수빈 (통일연구원 연구위원)\n\n4G가 늘었음."), vec!["조수빈"]);
        assert_eq!(names("화상으로 참여한 그레그 하틀리 체인와치 대표는 \"보낸다\"고 밝혔다."), vec!["그레그 하틀리"]);
    }

    #[test]
    fn korean_speech_in_any_tense_by_people_named_in_any_order() {
        let names = |text: &str| -> Vec<String> { tag(text).speakers.into_iter().map(|s| s.name).collect() };
        // A sound bite after `▶ 인터뷰 :`, the quotation after a dash.
        assert_eq!(names("보도\n\n▶ 인터뷰 : 오세린 / 법무법인 다온누리 변호사 - \"어렵습니다.\""), vec!["오세린"]);
        // Speech to come, and speech reported as a judgement once made.
        assert_eq!(names("안내\n\n□ 김서윤 통일연구원 연구위원이 '북한 AI'를 주제로 발표한다."), vec!["김서윤"]);
        assert_eq!(names("분석\n\n앞서 홍지안 연구위원은 4G 망이 넓어졌다고 분석한 바 있다."), vec!["홍지안"]);
        // Discussants listed with commas before `토론자로`; a moderator is not one.
        assert_eq!(
            names("안내\n\n토론은 서정빈 교수의 사회로 진행되며, 류강 한국인터넷진흥원 책임연구원, 최은솔 법무부 검사가 토론자로 참여한다."),
            vec!["류강", "최은솔"]
        );
        // The head of a body named in the same word; a foreign name with a one-syllable
        // family name spelled in Latin letters.
        assert_eq!(names("개최\n\n고태린 통일연구원장은 \"기대한다\"고 밝혔다."), vec!["고태린"]);
        assert_eq!(
            names("보도\n\n체이널리시스의 리처드 한(Richard Han) 수석조사관은 \"빨라졌다\"고 설명했다."),
            vec!["리처드 한"]
        );
        // North Korean media: the post before the name, no quotation; `그는` in the next
        // paragraph speaks for the person named before.
        assert_eq!(names("기사\n\n체신성 부국장 최광일은 봉사가 중요하다고 말하였다."), vec!["최광일"]);
        assert_eq!(
            names(
                "기사\n\n실장 주명혁동무는 론쟁을 벌리고있었다.\n\n그는 우리에게 《만족할수 없습니다.》라고 말하였다."
            ),
            vec!["주명혁"]
        );
        // A noun with a particle is no name without a quotation or a post before it.
        assert!(names("보도\n\n장비 상당수가 중국 제품으로 추정된다고 밝혔다.").is_empty());
        // An ordinal before a post is no family name; a post of any rank in one word.
        assert_eq!(names("보도\n\n곽지원 외교부 제1차관이 \"다루고 있다\"고 밝힌 바 있다."), vec!["곽지원"]);
        assert_eq!(names("보도\n\n도하림 한국인터넷진흥원 침해사고분석단장은 \"막는다\"고 강조했다."), vec!["도하림"]);
        // A province is no name: `함경남도` is not 함경남 with the particle 도.
        assert!(names("보도\n\n함경남도 기술자들이 \"꾸려 놓았다\"고 소개했다.").is_empty());
        // Questions after a hyphen, answers in quotation marks.
        let interview = "인터뷰\n\n이정훈 통일연구원 연구위원을 서울에서 만났다.\n\n-규모는 어느 정도인가.\n\n\"수천 명으로 본다.\"";
        assert_eq!(names(interview), vec!["이정훈"]);
        // A sound bite whose label closes with a bracket.
        assert_eq!(
            names("[앵커] 모시겠습니다.\n\n[박민주 / 국립통일교육원 교수] 네, 늘었습니다."),
            vec!["Park Min-ju"]
        );
        // A column's author on a line of their own.
        assert_eq!(
            names("[시론] 북한의 4G\n\n선우현정 디지털통일연구소 소장\n\n4G는 통제의 도구다."),
            vec!["선우현정"]
        );
        // A question after an en dash (a three-byte character) is read, not split inside it.
        assert!(names("인터뷰\n\n– 북한은 어떻게 보나?\n\n\"늘었다.\"").is_empty());
        // Co-authors after commas in an author field.
        assert_eq!(
            names("보고서\n\n이슈브리프 | 집필: 표지원 연구위원, 나예원 선임연구원\n\n4G가 늘었다."),
            vec!["표지원", "나예원"]
        );
    }

    #[test]
    fn korean_co_authors_take_the_body_of_their_own_part() {
        let doc =
            tag("보고서\n\n집필: 표지원 통일연구원 연구위원, 나예원 국가안보전략연구원 선임연구원\n\n4G가 늘었다.");
        let affiliation = |name: &str| doc.speakers.iter().find(|s| s.name == name).and_then(|s| s.affiliation.clone());
        assert_eq!(affiliation("표지원").as_deref(), Some("Korea Institute for National Unification"));
        assert_eq!(affiliation("나예원").as_deref(), Some("Institute for National Security Strategy"));
    }

    #[test]
    fn korean_units_right_after_their_body_are_part_of_it() {
        let mentions =
            |text: &str| -> Vec<String> { tag(text).institutions.into_iter().flat_map(|i| i.mentions).collect() };
        assert_eq!(mentions("보도\n\n국가정보원 사이버안보센터 문지호 실장"), vec!["국가정보원"]);
        assert_eq!(mentions("보도\n\n국회 정보위원회 소속 의원들"), vec!["국회"]);
        assert_eq!(mentions("보도\n\n보안기업 하이퍼월 위협인텔리전스센터는 밝혔다."), vec!["하이퍼월"]);
    }

    #[test]
    fn korean_hosts_latin_names_stand_ins_and_sound_bite_labels() {
        let names = |text: &str| -> Vec<String> { tag(text).speakers.into_iter().map(|s| s.name).collect() };
        // A host whose every turn asks, greets or thanks is no speaker.
        let radio =
            "대담\n\n◇ 홍세라> 윌리엄스 연구원 연결돼 있습니다. 안녕하십니까.\n\n◆ 하진우> 네, 안녕하십니까.\n\n\
                     ◇ 홍세라> 4G는 어디까지 왔습니까?\n\n◆ 하진우> 평양에서는 됩니다.";
        assert_eq!(names(radio), vec!["하진우"]);
        // A name in Latin letters with a Korean particle; a moderator who asks is not one.
        assert_eq!(names("보도\n\n수석연구원 Kenji Morimoto는 \"같은 수법\"이라고 밝혔다."), vec!["Kenji Morimoto"]);
        assert!(names("메모\n\n사회자 Hannah Reeves가 \"출처는\"이라고 물었다.").is_empty());
        // The stand-in for a post speaks in it.
        assert_eq!(
            names("기소\n\n매튜 갤러거(Matthew Gallagher) 법무부 차관보 대행은 \"바꿔 놓았다\"고 말했다."),
            vec!["매튜 갤러거"]
        );
        // A sound bite's label alone on its line, the words on the next.
        assert_eq!(
            names("[앵커] 보겠습니다.\n\n[인터뷰] 홍정우 / 한국국방연구원 연구위원\n\n\"빨라졌습니다.\""),
            vec!["홍정우"]
        );
        // Someone described is not named: `한 국내 블록체인 스타트업 대표`.
        assert!(names("보도\n\n한 국내 블록체인 스타트업 대표는 \"뻔했다\"고 털어놨다.").is_empty());
    }

    #[test]
    fn korean_turns_in_brackets_shared_posts_and_printed_interviews() {
        let names = |text: &str| -> Vec<String> { tag(text).speakers.into_iter().map(|s| s.name).collect() };
        // `[이름] …` turns are a person's; `[앵커]` asks.
        assert_eq!(names("대담\n\n[앵커] 어떻게 보십니까?\n\n[어도현] 라자루스식 세탁입니다."), vec!["어도현"]);
        // Two names joined by `·` share the post after them.
        assert_eq!(names("보도\n\n성지환·용해나 의원이 \"보고했다\"고 밝혔다."), vec!["성지환", "용해나"]);
        // `Q.` asks and `A.` answers, for the person met in the opening.
        let interview = "인터뷰\n\n서울에서 오하린 한국 대표를 만났다.\n\nQ. 규모가 커졌다.\n\nA. 절반을 넘는다.";
        assert_eq!(names(interview), vec!["오하린"]);
        // A noun before a post is no short name: `국가안보 조사 책임자는`.
        assert_eq!(
            names("보도\n\n에릭 젠슨(Eric Jensen) 국가안보 조사 책임자는 \"바뀌었다\"고 말했다."),
            vec!["에릭 젠슨"]
        );
        // North Korean media: the post before the name, a speech given.
        assert_eq!(names("보도\n\n정보산업성 부상 로정혁은 개막연설을 하였다."), vec!["로정혁"]);
    }

    #[test]
    fn korean_bodies_in_longer_words_chains_of_units_and_firms_by_kind() {
        let mentions =
            |text: &str| -> Vec<String> { tag(text).institutions.into_iter().flat_map(|i| i.mentions).collect() };
        assert!(mentions("보도\n\n코인데스크코리아와의 인터뷰에서 말했다.").iter().all(|m| m != "코인데스크"));
        assert_eq!(mentions("보도\n\n(서울=아시아투데이) 차윤호 기자 = 북한이"), vec!["아시아투데이"]);
        assert!(mentions("보도\n\n업비트 운영사 두나무는 밝혔다.").contains(&"두나무".to_string()));
        assert_eq!(mentions("보도\n\n통신 컨설팅 업체 TeleAtlas Partners의 분석"), vec!["TeleAtlas Partners"]);
        assert_eq!(mentions("보도\n\n김일성종합대학 정보과학부 인공지능기술연구소의 과학자들"), vec!["김일성종합대학"]);
    }

    #[test]
    fn a_korean_body_named_with_its_country_first_is_the_same_body_later() {
        let doc = tag("기소\n\n미국 법무부는 9일 기소했다.\n\n법무부는 급여가 흘러갔다고 본다.");
        let justice: Vec<_> = doc.institutions.iter().filter(|i| i.mentions.iter().any(|m| m == "법무부")).collect();
        assert_eq!(justice.len(), 1);
        assert!(justice[0].mentions.iter().any(|m| m == "미국 법무부"));
        assert_eq!(doc.institutions.len(), 1);
    }

    #[test]
    fn bylines_are_not_speakers() {
        let tags = tag("[Sample Wire=Reporter Lee Ji-eun]\n\nBy Alex Moreno\n\nPhones spread.");
        assert!(tags.speakers.is_empty(), "{:?}", tags.speakers);
    }

    #[test]
    fn document_acronyms_win() {
        let computer = tag("Red Star OS came from the Korea Computer Center (KCC). KCC engineers kept it.");
        let commission = tag("The Korea Communications Commission (KCC) hosted. KCC officials spoke.");
        let names = |t: &Tags| t.institutions.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&computer), vec!["Korea Computer Center"]);
        assert_eq!(names(&commission), vec!["Korea Communications Commission"]);
    }

    #[test]
    fn institutions_from_text_are_cleaned() {
        let tags =
            tag("The U.S.-based Stimson Center and the Korea Institute for Digital Policy (KIDP) met. KIDP said more.");
        let names: Vec<&str> = tags.institutions.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["Stimson Center", "Korea Institute for Digital Policy"]);
        assert!(tags.institutions[1].mentions.contains("KIDP"));
    }

    #[test]
    fn parties_are_bodies_and_their_congresses_are_not() {
        let tags = tag("Rep. Lee Gyeong-ho of the main opposition People Power Party said the estimate grew. \
                        It came before the Eighth Party Congress and a Party plenum.");
        let names: Vec<&str> = tags.institutions.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["People Power Party"]);
    }
}
