#!/usr/bin/env python3
"""Prepare the benchmark splits from the read-only corpora in shared/data.

Standard library only (the Rust test suite calls it too); deterministic.

    python3 bench/prepare.py --out DIR [--splits 20ng,r8,...] [--data ../shared/data]

For each split writes DIR/<split>/{train,test}.jsonl (one {"label", "text"} object a
line, json.dumps(ensure_ascii=False, sort_keys=True), corpus order) and
DIR/<split>/{train,test}.ft for fastText ("__label__<label> <text>", whitespace runs
collapsed to one space, at most 1,023 text tokens; train lines shuffled with
random.Random(42) because the corpora are sorted by class).

Splits:
  20ng        20 Newsgroups bydate train/test, full messages.
  20ng-clean  the same, with headers, quoted lines, attribution lines and the
              signature block removed (see clean_newsgroup).
  r8, r52     Reuters-21578 ModApte train/test, single-label documents of the R8 topics
              or of the R52 topics (single-label topics with >= 1 single-label document
              in both train and test); text = title + "\\n" + body.
  bbc         BBC News full text; exact duplicate texts dropped (first kept);
              test = int(md5(id), 16) % 100 < 20.
  agtest      AG News test.csv ONLY (the official train.csv is unavailable): rows
              numbered from 0, test = int(md5(str(row)), 16) % 100 < 20;
              text = title + " " + description; label = class name from classes.txt.
"""
import argparse
import csv
import hashlib
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

ALL_SPLITS = ["20ng", "20ng-clean", "r8", "r52", "bbc", "agtest"]
R8_TOPICS = {"acq", "crude", "earn", "grain", "interest", "money-fx", "ship", "trade"}
FT_MAX_TOKENS = 1023
SHUFFLE_SEED = 42


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def hashed_test(key):
    return int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % 100 < 20


# --- 20 Newsgroups -------------------------------------------------------------

_QUOTE_RE = re.compile(r"^[ \t]*[>|]")
_ATTRIBUTION_ENDINGS = ("writes:", "wrote:", "says:", "said:")
SIGNATURE_WINDOW = 1000


def clean_newsgroup(text):
    """Remove, in this order:
    1. the headers: everything before the first blank line (a line that is empty or
       whitespace only), and that blank line;
    2. the signature block: from the last line starting with "--" to the end, when that
       line starts within the last 1,000 characters of the remaining body;
    3. quoted lines (starting, after optional spaces/tabs, with ">" or "|") and
       attribution lines (ending, after trailing whitespace, in "writes:", "wrote:",
       "says:" or "said:").
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            lines = lines[i + 1:]
            break
    else:
        lines = []
    body = "\n".join(lines)
    last_sig = None
    offset = 0
    for i, line in enumerate(lines):
        if line.startswith("--"):
            last_sig = (i, offset)
        offset += len(line) + 1
    if last_sig is not None and last_sig[1] >= len(body) - SIGNATURE_WINDOW:
        lines = lines[: last_sig[0]]
    kept = [
        line for line in lines
        if not _QUOTE_RE.match(line) and not line.rstrip().endswith(_ATTRIBUTION_ENDINGS)
    ]
    return "\n".join(kept)


def split_20ng(data, clean):
    out = {"train": [], "test": []}
    for d in read_jsonl(data / "20newsgroups_bydate" / "20news_bydate.jsonl"):
        text = clean_newsgroup(d["text"]) if clean else d["text"]
        out[d["split"]].append((d["label"], text))
    return out


# --- Reuters-21578 -------------------------------------------------------------

def split_reuters(data, which):
    docs = [d for d in read_jsonl(data / "reuters21578" / "reuters21578_modapte.jsonl")
            if d["split"] in ("train", "test") and len(d["labels"]) == 1]
    if which == "r8":
        topics = R8_TOPICS
    else:
        seen = {"train": set(), "test": set()}
        for d in docs:
            seen[d["split"]].add(d["labels"][0])
        topics = seen["train"] & seen["test"]
    out = {"train": [], "test": []}
    for d in docs:
        if d["labels"][0] in topics:
            out[d["split"]].append((d["labels"][0], d["title"] + "\n" + d["text"]))
    return out


# --- BBC -----------------------------------------------------------------------

def split_bbc(data):
    out = {"train": [], "test": []}
    seen = set()
    for d in read_jsonl(data / "bbc_news" / "bbc_fulltext.jsonl"):
        if d["text"] in seen:
            continue
        seen.add(d["text"])
        out["test" if hashed_test(d["id"]) else "train"].append((d["label"], d["text"]))
    return out


# --- AG News (test file only) --------------------------------------------------

def split_agtest(data):
    base = data / "ag_news_test_only"
    with open(base / "classes.txt", encoding="utf-8") as f:
        classes = [line.strip() for line in f if line.strip()]
    out = {"train": [], "test": []}
    with open(base / "test.csv", encoding="utf-8", newline="") as f:
        for row_number, row in enumerate(csv.reader(f)):
            index, title, description = row
            label = classes[int(index) - 1]
            side = "test" if hashed_test(str(row_number)) else "train"
            out[side].append((label, title + " " + description))
    return out


BUILDERS = {
    "20ng": lambda data: split_20ng(data, clean=False),
    "20ng-clean": lambda data: split_20ng(data, clean=True),
    "r8": lambda data: split_reuters(data, "r8"),
    "r52": lambda data: split_reuters(data, "r52"),
    "bbc": split_bbc,
    "agtest": split_agtest,
}


# --- writing -------------------------------------------------------------------

def ft_line(label, text):
    if not label or any(c.isspace() for c in label):
        raise ValueError(f"label not usable by fastText: {label!r}")
    tokens = text.split()[:FT_MAX_TOKENS]
    return "__label__" + label + " " + " ".join(tokens)


def write_lines(path, lines):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line)
            f.write("\n")
    os.replace(tmp, path)


def write_split(out_dir, name, docs):
    d = out_dir / name
    d.mkdir(parents=True, exist_ok=True)
    for side in ("train", "test"):
        rows = docs[side]
        write_lines(d / f"{side}.jsonl",
                    (json.dumps({"label": label, "text": text}, ensure_ascii=False, sort_keys=True)
                     for label, text in rows))
        ft = [ft_line(label, text) for label, text in rows]
        if side == "train":
            random.Random(SHUFFLE_SEED).shuffle(ft)
        write_lines(d / f"{side}.ft", ft)


def main(argv=None):
    default_data = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--splits", default=",".join(ALL_SPLITS),
                    help="comma-separated, from: " + ",".join(ALL_SPLITS) + " (default: all)")
    ap.add_argument("--data", type=Path, default=default_data,
                    help=f"corpus directory (default: {default_data})")
    args = ap.parse_args(argv)
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    unknown = [s for s in splits if s not in BUILDERS]
    if unknown:
        ap.error("unknown split(s): " + ", ".join(unknown))
    print(f"{'split':<11} {'train':>6} {'test':>6} {'classes':>7}")
    for name in splits:
        docs = BUILDERS[name](args.data)
        write_split(args.out, name, docs)
        classes = len({label for side in docs.values() for label, _ in side})
        print(f"{name:<11} {len(docs['train']):>6} {len(docs['test']):>6} {classes:>7}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
