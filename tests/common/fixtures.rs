//! Fixtures: short reports in the domain; each test writes the ones it needs. Tests assert
//! on these exact texts, so a text is never changed: a test that needs another text gets
//! a new fixture with a name of its own.

// ---------------------------------------------------------------------------------------
// Search and show: full front matter (the four of `STANDARD`), and a few more.
// ---------------------------------------------------------------------------------------

/// Dated 2025-11-04; every known front matter key plus an unknown one (`panel`).
/// Has the phrase "4G network" and the word "Koryolink"; no "networks", no "ChatGPT".
pub const WILLIAMS_4G: &str = "---
title: Martyn Williams on the 4G network
date: 2025-11-04
source: Stimson Center briefing
url: https://example.org/williams-4g
event: Seoul Digital Forum
speakers:
  - name: Martyn Williams
    affiliation: Stimson Center
topics: [4g, smartphones]
tags: [conference]
panel: morning
---
Martyn Williams, a senior fellow at the Stimson Center, said that North Korea's 4G network now covers Pyongyang and most provincial cities.

Williams added that Koryolink has more than seven million mobile subscribers.
";

/// Dated 2024-05. The only document with "ChatGPT"; speaker spelled Park Min-ju.
pub const PARK_AI: &str = "---
title: Park Min-ju on AI in universities
date: 2024-05
source: NIUE seminar notes
event: Unification Education Seminar
speakers:
  - name: Park Min-ju
    affiliation: National Institute for Unification Education
topics: [ai]
---
Park Min-ju, a researcher at the National Institute for Unification Education, said that North Korean universities now use ChatGPT for research and teaching.

She added that facial recognition is being introduced at border checkpoints.
";

/// Dated 2023 (a bare year). Has "networks" (plural) but neither "4G" nor "Koryolink".
pub const CYBER_2023: &str = "---
title: Crypto theft and laundering
date: 2023
source: Yonhap wire
topics: [cyber]
---
Analysts said the Lazarus Group stole crypto worth hundreds of millions of dollars, and laundering through mixers followed.

The networks of IT workers abroad also earn money through fraud.
";

/// Undated, no front matter; title from the first line. Speaker spelled Park Min-joo.
/// Has "4G" and "network", but not next to each other; "noted", not "said".
pub const APPS_UNDATED: &str = "Smartphone apps in Pyongyang

Park Min-joo noted that the Samtaesong smartphone ships with apps approved by the state, and that AI assistants are appearing on handsets, although the network is slow and 4G remains rare outside the capital.
";

/// The four documents most search tests use, and where they go.
pub const STANDARD: [(&str, &str); 4] = [
    ("notes/williams-4g.md", WILLIAMS_4G),
    ("notes/park-ai.md", PARK_AI),
    ("notes/cyber-2023.md", CYBER_2023),
    ("notes/apps.md", APPS_UNDATED),
];

/// Two speakers in separate passages of one document, for `--passages --speaker`.
pub const PANEL: &str = "---
title: Panel on networks and AI
date: 2025-11-04
---
Martyn Williams, a senior fellow at the Stimson Center, said that the 4G network now reaches most provincial cities.

Park Min-ju said that AI research at universities depends on the 4G network for data.

She added that the 4G network also carries state AI apps.
";

/// Kim Min-jung and Kim Min-jun differ by a syllable: two people, a near-miss pair.
pub const KIM_MIN_JUNG: &str = "---
title: AI and phishing
date: 2025-11-04
---
Kim Min-jung, a researcher at the Institute for National Security Strategy, said that North Korean hackers use AI tools to write phishing emails.
";

pub const KIM_MIN_JUN: &str = "---
title: Phones and markets
date: 2025-05
---
Kim Min-jun, an economist at the Seoul Economic Institute, said that traders with a smartphone earn more than those without one.
";

/// `speakers: 42` on line 4 of the file: rejected with that line number.
pub const BAD_FRONT_MATTER: &str = "---
title: A broken note
date: 2025
speakers: 42
---
Koryolink raised prices for 4G data plans.
";

/// A plain note: title from the first short line, date from a `Date:` line near the top.
pub const PLAIN_TXT: &str = "Koryolink subscribers report

Date: 2025-05

By a staff writer. Koryolink counted seven million subscribers on its 3G and 4G service.
";

/// Hangul only: numbers of subscribers, AI at universities, hacking.
pub const KOREAN_NOTE: &str =
    "북한 이동통신 가입자가 700만 명을 넘었다.\n\n대학들이 인공지능 연구를 늘렸고, 해킹으로 가상자산을 빼돌렸다.\n";

// ---------------------------------------------------------------------------------------
// Stats, colors and lists: nine short notes over the years 2019–2025 (`NINE_NOTES`),
// with little front matter. Where a name is taken above, the `_SHORT` text is the one
// with fewer front matter keys and a shorter body.
// ---------------------------------------------------------------------------------------

/// 2025-11-04; topics 4g and smartphones; speaker Martyn Williams. "4G" twice.
/// Unlike `WILLIAMS_4G`: only title, date, speakers and topics; no "Koryolink".
pub const WILLIAMS_4G_SHORT: &str = "---
title: Martyn Williams on the 4G network
date: 2025-11-04
speakers:
  - name: Martyn Williams
    affiliation: Stimson Center
topics: [4g, smartphones]
---
Martyn Williams, a senior fellow at the Stimson Center, said that North Korea's 4G network now covers Pyongyang and most provincial cities.

Williams added that more handsets are sold every year.
";

/// 2024-05; topic ai; speaker Park Min-ju. No "4G".
/// Unlike `PARK_AI`: only title, date and topics; one paragraph (no facial recognition).
pub const PARK_AI_SHORT: &str = "---
title: Park Min-ju on AI in universities
date: 2024-05
topics: [ai]
---
Park Min-ju, a researcher at the National Institute for Unification Education, said that North Korean universities now use ChatGPT for research and teaching.
";

/// 2021-06; speaker Hannah Berger; smartphones, and a mention of 4G.
pub const BERGER_2021: &str = "---
title: Phones at the border
date: 2021-06
topics: [smartphones]
---
Hannah Berger, an analyst at the Stimson Center, said that smartphones smuggled from China keep spreading near the border, where a 4G signal from across the river can sometimes be caught.
";

/// 2020; smartphones only.
pub const PHONES_2020: &str = "---
title: Handset prices in the markets
date: 2020
topics: [smartphones]
---
Traders said that the price of a locally assembled smartphone fell during the year.
";

/// Cyber documents: 2019, 2022, 2023 twice, and one undated.
pub const CYBER_2019: &str = "---
title: Hackers and banks
date: 2019-03
topics: [cyber]
---
Investigators said that hackers used malware against banks in several countries.
";

pub const CYBER_2022: &str = "---
title: Bridge heist
date: 2022-04
topics: [cyber]
---
Analysts said that the crypto heist was followed by laundering through mixers.
";

pub const CYBER_2023_A: &str = "---
title: Fake recruiters
date: 2023-02
topics: [cyber]
---
Researchers said that phishing messages posed as job offers to engineers.
";

pub const CYBER_2023_B: &str = "---
title: IT workers abroad
date: 2023-09-14
topics: [cyber]
---
Officials said that remote IT workers sent their wages home and some installed malware.
";

pub const CYBER_UNDATED: &str = "Ransomware notes

Analysts said that a ransomware strain was traced to the same group.
";

/// Years 2019–2025 with several counts per topic and year, for charts and colors.
pub const NINE_NOTES: [(&str, &str); 9] = [
    ("notes/williams-4g.md", WILLIAMS_4G_SHORT),
    ("notes/park-ai.md", PARK_AI_SHORT),
    ("notes/berger-2021.md", BERGER_2021),
    ("notes/phones-2020.md", PHONES_2020),
    ("notes/cyber-2019.md", CYBER_2019),
    ("notes/cyber-2022.md", CYBER_2022),
    ("notes/cyber-2023-a.md", CYBER_2023_A),
    ("notes/cyber-2023-b.md", CYBER_2023_B),
    ("notes/cyber-undated.txt", CYBER_UNDATED),
];

/// Three notes, two of which a list names.
pub const LISTED: [(&str, &str); 3] = [
    ("notes/williams-4g.md", WILLIAMS_4G_SHORT),
    ("notes/with space.md", BERGER_2021),
    ("notes/park-ai.md", PARK_AI_SHORT),
];
