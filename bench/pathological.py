#!/usr/bin/env python3
"""Writes the pathological inputs of the benchmark: files whose size, names or shape once
made nkdigi's cost grow faster than the input.

    bench/pathological.py OUT_DIR [--scale 1.0]

Each case is a folder under OUT_DIR holding one file (or many, for the registry case).
"""
import argparse
import itertools
import os

GIVEN = ["Min", "Ji", "Seo", "Hyun", "Eun", "Soo", "Jae", "Young", "Sung", "Hee", "Woo", "Chul",
         "Dong", "Hye", "Kyung", "Tae", "Yoon", "Jin", "Ha", "Na", "Bo", "Da", "Ga", "Ra"]
SYLL2 = ["ho", "jin", "woo", "min", "ah", "bin", "rim", "kyu", "sik", "yeon", "jun", "hwan",
         "seok", "gyu", "won", "il", "nam", "pil", "tak", "geun"]
SURNAMES = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",
            "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong"]
WESTERN = ["Anna", "Brian", "Clara", "David", "Elena", "Frank", "Grace", "Henry", "Irene", "James",
           "Karen", "Louis", "Maria", "Nathan", "Olivia", "Peter", "Rachel", "Simon", "Tessa", "Victor"]
WSUR = ["Adler", "Brooks", "Carter", "Dalton", "Ellis", "Foster", "Garner", "Hughes", "Ingram",
        "Jensen", "Keller", "Lawson", "Mercer", "Norris", "Olsen", "Porter", "Quinn", "Reyes",
        "Sutton", "Turner"]


def distinct_names(n):
    """n distinct person names: Korean surname + two-syllable given name (38,720 of them),
    then Western names with initials."""
    firsts = GIVEN + [t.capitalize() for t in SYLL2]
    seconds = SYLL2 + [g.lower() for g in GIVEN]
    korean = (f"{s} {g}-{t}" for s, g, t in itertools.product(SURNAMES, firsts, seconds))
    western = (f"{f} {m}. {n}. {s}"
               for f, m, n, s in itertools.product(WESTERN, "ABCDEFGHJKLMNPRSTW", "ABCDEFGHJKLMNPRSTW", WSUR))
    return list(itertools.islice(itertools.chain(korean, western), n))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    s = a.scale
    attribution = ("Martyn Williams of the Stimson Center said the 4G network reached 7 million "
                   "subscribers, and Park Min-ju noted that Kim Chaek University of Technology uses AI. ")
    # One paragraph of repeated attributions, at 1 MB and 2 MB: time must double, not quadruple.
    for mb in (1, 2):
        n = int(mb * 1_000_000 * s / len(attribution))
        write(f"{a.out}/paragraph-{mb}mb/notes.txt", attribution * n + "\n")
    # A 60 MB file that is one line.
    n = int(60_000_000 * s / len(attribution))
    write(f"{a.out}/line-60mb/notes.txt", attribution * n + "\n")
    # 10,000 distinct speakers in one file, each "X said ...".
    names = distinct_names(int(10_000 * s))
    write(f"{a.out}/said-10k/notes.txt",
          "\n\n".join(f"{name} said the mobile network grew." for name in names) + "\n")
    # Front matter with 3,000 speakers.
    speakers = distinct_names(int(3_000 * s))
    fm = "---\ntitle: Many speakers\nspeakers:\n" + "".join(f"  - {n}\n" for n in speakers) + "---\n"
    write(f"{a.out}/frontmatter-3k/notes.md", fm + "The conference discussed smartphones.\n")
    # Long runs of capitalised words, with head words among them.
    caps = " ".join(f"Alpha{i % 97} Beta Gamma University Delta Institute Epsilon Center"
                    for i in range(int(120_000 * s)))
    write(f"{a.out}/capitals/notes.txt", caps + ".\n")
    # 20,000 speakers in the registry, spread over 200 files, for `entities --suggest`.
    names = distinct_names(int(20_000 * s))
    per = max(1, len(names) // 200)
    for i in range(0, len(names), per):
        body = "\n\n".join(f"{name} said phones spread." for name in names[i:i + per])
        write(f"{a.out}/registry-20k/f{i // per:03d}.txt", body + "\n")
    # Words joined by hyphens and apostrophes far past any name, each run before a name
    # and a speech verb: a name may begin after every hyphen.
    chain = "-".join(["Ab"] * 900) + " Cd said the network grew. " + "'".join(["Ef"] * 900) + " Gh noted it."
    write(f"{a.out}/hyphens/notes.txt", "\n\n".join([chain] * int(700 * s)) + "\n")
    # One 40 MB document of many passages, for `search --passages --limit 100`.
    para = ("The 4G network of Koryolink grew as Martyn Williams said, while handsets spread "
            "through markets in the northern provinces and traders paid with mobile wallets.")
    n = int(40_000_000 * s / (len(para) + 2))
    write(f"{a.out}/doc-40mb/notes.txt", "\n\n".join([para] * n) + "\n")


if __name__ == "__main__":
    main()
