#!/usr/bin/env python3
"""Train and evaluate the peer systems (and optionally `classify`) on one prepared split.

Runs in bench/.venv (scikit-learn, numpy). Usage:

    python bench/peers.py SPLIT_DIR [--split NAME] [--systems a,b,...] [--work DIR]
                          [--classify BIN] [--classify-settings FILE] [--out RESULTS.jsonl]
    python bench/peers.py --report RESULTS.jsonl [--md OUT.md]

SPLIT_DIR is a directory written by prepare.py (train/test .jsonl and .ft). Prints one
JSON line per (split, system):
    {"split", "system", "accuracy", "macro_f1", "train_s", "label_s", ...}
plus peak RSS (MB), the bytes of the test file the system read, and "status".

Timing (all wall-clock):
  scikit-learn  each pipeline runs in its own subprocess under /usr/bin/time -v (peak RSS
                of that process). train_s = read train.jsonl + vectorizer fit + model fit;
                label_s = read test.jsonl + transform + predict; both measured inside the
                process with perf_counter, so interpreter start-up and imports (startup_s,
                reported separately) are NOT counted: this flatters scikit-learn slightly.
  fastText      the CLI's whole process time (`fasttext supervised`, `fasttext predict`,
                the latter including loading model.bin), each under /usr/bin/time -v.
  classify      the CLI's whole process time (`classify train`, `classify eval`), each
                under /usr/bin/time -v.
Accuracy and macro-F1 (scikit-learn's f1_score, average="macro", over the labels seen in
the test labels or the predictions) are computed outside the timed region for the peers;
classify reports its own figures in `eval --json`.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# --- classify's interface: adjust here if the CLI changes ------------------------------


def classify_commands(binary, model, train_jsonl, test_jsonl, flags):
    """The two invocations of classify: (train argv, eval argv). eval must print a JSON
    object with at least "accuracy" and "macro_f1" on stdout."""
    # No probability calibration: the peers do not calibrate either (it adds k extra fits).
    train = [binary, "train", "--input-format", "jsonl", "--calibrate-folds", "0", "--model", model, train_jsonl, *flags]
    evaluate = [binary, "eval", "--input-format", "jsonl", "--model", model, "--json", test_jsonl]
    return train, evaluate


# classify's rows: "classify" with the settings `classify tune` chose for the split
# (bench/classify-settings.txt), "classify-default" with no settings at all.
CLASSIFY_SYSTEMS = ("classify", "classify-default")


# --- the peers -------------------------------------------------------------------------

# scikit-learn pipelines: (vectorizer, ngram_range, model, alpha). Fixed a priori, never
# tuned on test: alpha=0.01 for MultinomialNB and alpha=0.1 for ComplementNB are the
# values scikit-learn's own 20-newsgroups text-classification example uses; "sk-mnb-default"
# is the textbook baseline with every default (counts, unigrams, alpha=1.0).
# TF-IDF uses sublinear_tf=True (1 + log tf); CountVectorizer has no such option.
# Everything else is the scikit-learn default (lowercase, token_pattern r"(?u)\b\w\w+\b",
# min_df=1, no stop words, norm="l2" for TF-IDF, norm=False for ComplementNB).
SKLEARN_SYSTEMS = {
    "sk-mnb-default":     ("count", (1, 1), "mnb", 1.0),
    "sk-count1-mnb":      ("count", (1, 1), "mnb", 0.01),
    "sk-count12-mnb":     ("count", (1, 2), "mnb", 0.01),
    "sk-tfidf1-mnb":      ("tfidf", (1, 1), "mnb", 0.01),
    "sk-tfidf12-mnb":     ("tfidf", (1, 2), "mnb", 0.01),
    "sk-count1-cnb":      ("count", (1, 1), "cnb", 0.1),
    "sk-count12-cnb":     ("count", (1, 2), "cnb", 0.1),
    "sk-tfidf1-cnb":      ("tfidf", (1, 1), "cnb", 0.1),
    "sk-tfidf12-cnb":     ("tfidf", (1, 2), "cnb", 0.1),
}

# fastText (Debian's 0.9.2 CLI), two threads (the machine has two cores) for both.
# "fasttext": the fastText text-classification tutorial's recipe (25 epochs, word bigrams;
# lr 0.5 rather than the tutorial's 1.0, a common, stable choice); "fasttext-default":
# every default (lr 0.1, 5 epochs, unigrams, dim 100).
FASTTEXT_SYSTEMS = {
    "fasttext": ["-lr", "0.5", "-epoch", "25", "-wordNgrams", "2", "-thread", "2"],
    "fasttext-default": ["-thread", "2"],
}

TIME = "/usr/bin/time"


def read_jsonl(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                labels.append(d["label"])
                texts.append(d["text"])
    return labels, texts


def metrics(y_true, y_pred):
    from sklearn.metrics import accuracy_score, f1_score
    return (float(accuracy_score(y_true, y_pred)),
            float(f1_score(y_true, y_pred, average="macro", zero_division=0)))


def run_one_sklearn(name, split_dir):
    """In-process body of one scikit-learn pipeline (called via --one in a subprocess)."""
    t_start = time.perf_counter()
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
    startup = time.perf_counter() - t_start
    vec_kind, ngrams, model_kind, alpha = SKLEARN_SYSTEMS[name]
    split_dir = Path(split_dir)

    t0 = time.perf_counter()
    y_train, x_train = read_jsonl(split_dir / "train.jsonl")
    if vec_kind == "count":
        vec = CountVectorizer(ngram_range=ngrams)
    else:
        vec = TfidfVectorizer(ngram_range=ngrams, sublinear_tf=True)
    model = MultinomialNB(alpha=alpha) if model_kind == "mnb" else ComplementNB(alpha=alpha)
    model.fit(vec.fit_transform(x_train), y_train)
    t1 = time.perf_counter()
    y_test, x_test = read_jsonl(split_dir / "test.jsonl")
    pred = model.predict(vec.transform(x_test))
    t2 = time.perf_counter()

    acc, f1 = metrics(y_test, list(pred))
    print(json.dumps({"accuracy": acc, "macro_f1": f1, "train_s": t1 - t0, "label_s": t2 - t1,
                      "startup_s": startup, "features": len(vec.vocabulary_)}))


def timed(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
    """Run argv under /usr/bin/time -v; returns (returncode, wall seconds, peak RSS MB, OS error text)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tpath = tf.name
    try:
        t0 = time.perf_counter()
        try:
            rc = subprocess.run([TIME, "-v", "-o", tpath, *argv], stdout=stdout, stderr=stderr).returncode
        except OSError as e:
            return 127, 0.0, None, str(e)
        wall = time.perf_counter() - t0
        rss = None
        with open(tpath, encoding="utf-8", errors="replace") as f:
            for line in f:
                if "Maximum resident set size" in line:
                    rss = int(line.rsplit(":", 1)[1]) / 1024.0
        return rc, wall, rss, ""
    finally:
        os.unlink(tpath)


def result(split, system, **kw):
    r = {"split": split, "system": system, "accuracy": None, "macro_f1": None,
         "train_s": None, "label_s": None, "status": "ok"}
    r.update(kw)
    return r


def tail(path, n=5):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [l.rstrip() for l in f.read().replace("\r", "\n").split("\n") if l.strip()]
        return " | ".join(lines[-n:])
    except OSError:
        return ""


def sklearn_system(split, name, split_dir, work):
    out_path = work / f"{name}.out"
    err_path = work / f"{name}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        rc, _wall, rss, oserr = timed([sys.executable, os.path.abspath(__file__), "--one", name, str(split_dir)],
                                      stdout=out, stderr=err)
    if rc != 0:
        return result(split, name, status="failed", error=oserr or tail(err_path))
    d = json.loads(Path(out_path).read_text().strip().splitlines()[-1])
    return result(split, name, accuracy=d["accuracy"], macro_f1=d["macro_f1"], train_s=d["train_s"],
                  label_s=d["label_s"], startup_s=d["startup_s"], features=d["features"],
                  peak_rss_mb=rss, test_bytes=(split_dir / "test.jsonl").stat().st_size)


def fasttext_system(split, name, args, split_dir, work, keep_model=False):
    prefix = work / name
    log = work / f"{name}.train.log"
    with open(log, "w") as lf:
        rc, train_s, train_rss, oserr = timed(
            ["fasttext", "supervised", "-input", str(split_dir / "train.ft"), "-output", str(prefix), *args],
            stdout=lf, stderr=lf)
    if rc != 0:
        return result(split, name, status="failed", error=oserr or tail(log))
    pred_path = work / f"{name}.pred"
    err_path = work / f"{name}.predict.err"
    with open(pred_path, "w") as pf, open(err_path, "w") as ef:
        rc, label_s, label_rss, oserr = timed(["fasttext", "predict", f"{prefix}.bin", str(split_dir / "test.ft")],
                                              stdout=pf, stderr=ef)
    if not keep_model:
        for ext in (".bin", ".vec"):
            Path(f"{prefix}{ext}").unlink(missing_ok=True)
    if rc != 0:
        return result(split, name, status="failed", train_s=train_s, train_rss_mb=train_rss,
                      error=oserr or tail(err_path))
    y_true, _ = read_jsonl(split_dir / "test.jsonl")
    with open(pred_path, encoding="utf-8") as f:
        y_pred = [line.strip().split(" ")[0].removeprefix("__label__") for line in f]
    if len(y_pred) != len(y_true):
        return result(split, name, status="failed", train_s=train_s, label_s=label_s,
                      error=f"{len(y_pred)} predictions for {len(y_true)} test documents")
    acc, f1 = metrics(y_true, y_pred)
    return result(split, name, accuracy=acc, macro_f1=f1, train_s=train_s, label_s=label_s,
                  train_rss_mb=train_rss, label_rss_mb=label_rss,
                  peak_rss_mb=max(r for r in (train_rss, label_rss) if r is not None),
                  test_bytes=(split_dir / "test.ft").stat().st_size)


def combine(runs):
    """One row from repeated runs of a system: the median of each time and of accuracy
    and macro-F1 (fastText's multi-threaded training varies run to run), the largest
    peak RSS. A failed run is reported as it is."""
    if len(runs) == 1 or any(r.get("status") != "ok" for r in runs):
        return runs[-1]
    row = dict(runs[0])
    for key in ("accuracy", "macro_f1", "train_s", "label_s", "startup_s"):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            row[key] = statistics.median(values)
    for key in ("peak_rss_mb", "train_rss_mb", "label_rss_mb"):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            row[key] = max(values)
    row["runs"] = len(runs)
    return row


def classify_flags(settings, split):
    """Flags for `split` from a settings file of `split<TAB>flags` lines (# comments)."""
    if not settings or not Path(settings).exists():
        return []
    with open(settings, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, _, flags = line.partition("\t")
            if name.strip() == split:
                return shlex.split(flags)
    return []


def classify_system(split, binary, flags, split_dir, work, name="classify"):
    if not binary or not Path(binary).is_file() or not os.access(binary, os.X_OK):
        return result(split, name, status="failed", error=f"binary not found: {binary}")
    model = str(work / f"{name}.model")
    train_argv, eval_argv = classify_commands(str(binary), model, str(split_dir / "train.jsonl"),
                                              str(split_dir / "test.jsonl"), flags)
    log = work / f"{name}.train.log"
    with open(log, "w") as lf:
        rc, train_s, train_rss, oserr = timed(train_argv, stdout=lf, stderr=lf)
    if rc != 0:
        return result(split, name, status="failed", flags=" ".join(flags),
                      error=f"train exit {rc}: " + (oserr or tail(log, 3)))
    out_path = work / f"{name}.eval.json"
    err_path = work / f"{name}.eval.err"
    with open(out_path, "w") as of, open(err_path, "w") as ef:
        rc, label_s, label_rss, oserr = timed(eval_argv, stdout=of, stderr=ef)
    if rc != 0:
        return result(split, name, status="failed", train_s=train_s, train_rss_mb=train_rss,
                      flags=" ".join(flags), error=f"eval exit {rc}: " + (oserr or tail(err_path, 3)))
    try:
        d = json.loads(out_path.read_text(encoding="utf-8"))
        acc, f1 = float(d["accuracy"]), float(d["macro_f1"])
    except (ValueError, KeyError, TypeError) as e:
        return result(split, name, status="failed", train_s=train_s, label_s=label_s,
                      flags=" ".join(flags), error=f"eval output not usable: {e}")
    return result(split, name, accuracy=acc, macro_f1=f1, train_s=train_s, label_s=label_s,
                  train_rss_mb=train_rss, label_rss_mb=label_rss,
                  peak_rss_mb=max(r for r in (train_rss, label_rss) if r is not None),
                  test_bytes=(split_dir / "test.jsonl").stat().st_size, flags=" ".join(flags))


# --- report ----------------------------------------------------------------------------

def fmt(v, spec):
    return "—" if v is None else format(v, spec)


def report(rows):
    out = ["| split | system | accuracy | macro-F1 | train s | label s | MB/s | peak RSS MB |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    splits = list(dict.fromkeys(r["split"] for r in rows))
    notes = []
    for split in splits:
        rs = [r for r in rows if r["split"] == split]
        for r in rs:
            ok = r.get("status") == "ok"
            mbs = (r["test_bytes"] / 1e6 / r["label_s"]) if ok and r.get("label_s") and r.get("test_bytes") else None
            name = r["system"] if ok else f"{r['system']} (FAILED)"
            out.append(f"| {split} | {name} | {fmt(r['accuracy'], '.4f')} | {fmt(r['macro_f1'], '.4f')} | "
                       f"{fmt(r['train_s'], '.2f')} | {fmt(r['label_s'], '.2f')} | {fmt(mbs, '.1f')} | "
                       f"{fmt(r.get('peak_rss_mb'), '.0f')} |")
            if not ok:
                notes.append(f"- {split} / {r['system']} failed: {r.get('error', '')}")
        ok = {r["system"]: r for r in rs if r.get("status") == "ok"}
        sk = [r for n, r in ok.items() if n.startswith("sk-")]
        parts = []
        for system in CLASSIFY_SYSTEMS:
            cl = ok.get(system)
            if not cl:
                parts.append(f"{system} ratios n/a (failed or not run)")
                continue
            if sk:
                fastest = min(sk, key=lambda r: r["train_s"])
                parts.append(f"{system} train {cl['train_s'] / fastest['train_s']:.2f}x the fastest scikit-learn "
                             f"pipeline ({fastest['system']}, {fastest['train_s']:.2f} s)")
            for ft in ("fasttext", "fasttext-default"):
                if ft in ok:
                    parts.append(f"label {cl['label_s'] / ok[ft]['label_s']:.2f}x {ft} predict "
                                 f"({ok[ft]['label_s']:.2f} s)")
        notes.append(f"- **{split}**: " + "; ".join(parts) if parts else f"- **{split}**")
    return "\n".join(out) + "\n\n" + "\n".join(notes) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split_dir", nargs="?", type=Path)
    ap.add_argument("--split", help="split name (default: the directory's name)")
    ap.add_argument("--systems", help="comma-separated subset of systems to run (default: all)")
    ap.add_argument("--work", type=Path, help="scratch directory (default: bench/work/runs/<split>)")
    ap.add_argument("--classify", help="path of the classify binary; omit to skip classify")
    ap.add_argument("--classify-settings", default=str(Path(__file__).with_name("classify-settings.txt")))
    ap.add_argument("--out", type=Path, help="also append the JSON lines to this file")
    ap.add_argument("--report", type=Path, help="render a results JSONL file as a markdown table")
    ap.add_argument("--md", type=Path, help="with --report: also write the table here")
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "1")),
                    help="runs per system; times and accuracy are the median, RSS the largest "
                         "(default: $BENCH_REPEAT or 1)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        run_one_sklearn(args.one, args.split_dir)
        return 0
    if args.report:
        with open(args.report, encoding="utf-8") as f:
            rows = [json.loads(l) for l in f if l.strip()]
        text = report(rows)
        print(text, end="")
        if args.md:
            args.md.write_text(text, encoding="utf-8")
        return 0
    if not args.split_dir:
        ap.error("SPLIT_DIR is required")

    split_dir = args.split_dir.resolve()
    split = args.split or split_dir.name
    work = (args.work or Path(__file__).resolve().parent / "work" / "runs" / split).resolve()
    work.mkdir(parents=True, exist_ok=True)
    all_systems = list(SKLEARN_SYSTEMS) + list(FASTTEXT_SYSTEMS) + (list(CLASSIFY_SYSTEMS) if args.classify else [])
    wanted = args.systems.split(",") if args.systems else all_systems
    unknown = [s for s in wanted if s not in all_systems]
    if unknown:
        ap.error("unknown system(s): " + ", ".join(unknown))

    out = open(args.out, "a", encoding="utf-8") if args.out else None
    # Repetitions go round the systems (each system once, then each again), so a burst of
    # load from a neighbour on this shared machine slows one run of several systems
    # rather than every run of one system; each system's row is its median.
    runs = {name: [] for name in wanted}
    for _ in range(args.repeat):
        for name in wanted:
            if runs[name] and runs[name][-1].get("status") != "ok":
                continue
            try:
                if name in SKLEARN_SYSTEMS:
                    r = sklearn_system(split, name, split_dir, work)
                elif name in FASTTEXT_SYSTEMS:
                    r = fasttext_system(split, name, FASTTEXT_SYSTEMS[name], split_dir, work)
                elif name == "classify":
                    r = classify_system(split, args.classify, classify_flags(args.classify_settings, split),
                                        split_dir, work)
                else:
                    r = classify_system(split, args.classify, [], split_dir, work, name=name)
            except Exception as e:  # one broken system must not end the run
                r = result(split, name, status="failed", error=f"{type(e).__name__}: {e}")
            runs[name].append(r)
    for name in wanted:
        r = combine(runs[name])
        line = json.dumps(r, sort_keys=False)
        print(line, flush=True)
        if out:
            out.write(line + "\n")
            out.flush()
    if out:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
