#!/usr/bin/env python3
"""Two ideas for the domain's security/extremism confusion, measured and dropped.

1. Per-topic biases on the calibrated log-probabilities ("vector scaling" with a bias
   only): fitted by grid search on held-out predictions, then applied to data the fit
   never saw. Scored on dev (biases fitted on grouped 5-fold held-out predictions of the
   training side) and in nested grouped CV over all labelled domain paragraphs (biases
   fitted on the other four folds' held-out predictions). The bias fitted on the very
   data it is scored on is printed too, as a ceiling no honest fit reaches.
2. Two stages: the default model picks the topic; a paragraph it calls `security` or
   `extremism` is decided again by a model trained on those two topics only, with
   other settings (bigrams, no stemming, ...).

Same data, folds and scoring as bench/domain.py (its helpers are imported).
Usage: python3 bench/domain_tried.py   (needs ../shared/domain and target/release/classify)
"""
import itertools, json, math, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import domain as D  # noqa: E402

WORK = os.path.join(D.ROOT, 'bench', 'work', 'domain-tried')
TOPICS = ['diplomacy', 'economy', 'extremism', 'security']  # classify's label order
PAIR = {'security', 'extremism'}


def run(args):
    out = subprocess.run([D.BIN] + args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"classify {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def label(train_rows, test_rows, tag, extra=()):
    """Trains on train_rows, labels test_rows (in context): per paragraph, the topic and
    the log-probability of each topic."""
    tr, te, model = (os.path.join(WORK, f'{tag}.{x}') for x in ('train.tsv', 'test.tsv', 'model'))
    D.write_tsv(tr, train_rows)
    D.write_tsv(te, test_rows)
    run(['train', '--model', model, tr, *extra])
    recs = [json.loads(line) for line in run(['label', '--format', 'jsonl', '--model', model, te]).splitlines()]
    recs = [r for r in recs if r['kind'] == 'paragraph']
    assert len(recs) == len(test_rows)
    return [(r['topic'], [math.log(max(r['probabilities'].get(t, 0.0), 1e-5)) for t in TOPICS]) for r in recs]


def argmax(lp, b):
    return max(range(len(TOPICS)), key=lambda c: lp[c] + b[c])


def accuracy(lps, ys, b):
    return sum(argmax(lp, b) == y for lp, y in zip(lps, ys)) / len(ys)


def fit_bias(lps, ys):
    """The biases (diplomacy fixed at 0; -1 to 1 in steps of 0.1) with the best accuracy,
    the smallest in sum of absolute values among ties."""
    grid = [x / 10 for x in range(-10, 11)]
    best = (-1.0, None)
    for b in itertools.product(grid, repeat=3):
        b = (0.0,) + b
        a = accuracy(lps, ys, b)
        if a > best[0] + 1e-12 or (abs(a - best[0]) < 1e-12 and sum(map(abs, b)) < sum(map(abs, best[1]))):
            best = (a, b)
    return best[1]


def held_out(rows, tag, extra=()):
    folds = D.group_folds(rows)
    out = [None] * len(rows)
    for f in range(5):
        idx = [i for i, k in enumerate(folds) if k == f]
        preds = label([r for r, k in zip(rows, folds) if k != f], [rows[i] for i in idx], f'{tag}{f}', extra)
        for i, p in zip(idx, preds):
            out[i] = p
    return out, folds


def main():
    os.makedirs(WORK, exist_ok=True)
    pool = {}
    for line in open(D.POOL, encoding='utf-8'):
        r = json.loads(line)
        pool[r['id']] = r
    seeds = D.read_rows(os.path.join(D.ROOT, 'labels', 'seeds.tsv'), pool)
    train_pool = D.read_rows(os.path.join(D.ROOT, 'labels', 'pool.tsv'), pool)
    dev = D.read_rows(os.path.join(D.ROOT, 'labels', 'dev', 'pool-dev.tsv'), pool)
    train, everything = seeds + train_pool, seeds + train_pool + dev
    # `other` rows are read as context of their article, as `label` reads an article,
    # and never scored (nor trained on: `train` leaves them out by default).
    topic = lambda rows: [r[0] in TOPICS for r in rows]  # noqa: E731
    keep = lambda xs, rows: [x for x, t in zip(xs, topic(rows)) if t]  # noqa: E731
    y = lambda rows: [TOPICS.index(r[0]) for r in rows if r[0] in TOPICS]  # noqa: E731
    zero = (0.0,) * 4

    print('1. per-topic biases on the log-probabilities')
    dev_preds = keep([lp for _, lp in label(train, dev, 'dev')], dev)
    train_cv, _ = held_out(train, 'train')
    b = fit_bias(keep([lp for _, lp in train_cv], train), y(train))
    print(f'   dev: {accuracy(dev_preds, y(dev), zero):.4f} without, {accuracy(dev_preds, y(dev), b):.4f} with '
          f'biases {b} fitted on the training side\'s held-out predictions '
          f'(ceiling, fitted on dev itself: {accuracy(dev_preds, y(dev), fit_bias(dev_preds, y(dev))):.4f})')
    all_cv, folds = held_out(everything, 'all')
    lps, ys = keep([lp for _, lp in all_cv], everything), y(everything)
    scored_folds = keep(folds, everything)
    right = 0
    for f in range(5):
        bf = fit_bias([lp for lp, k in zip(lps, scored_folds) if k != f],
                      [t for t, k in zip(ys, scored_folds) if k != f])
        right += sum(argmax(lp, bf) == t for lp, t, k in zip(lps, ys, scored_folds) if k == f)
    print(f'   grouped CV: {accuracy(lps, ys, zero):.4f} without, {right / len(ys):.4f} with biases fitted '
          f'on the other folds (ceiling: {accuracy(lps, ys, fit_bias(lps, ys)):.4f})')

    print('2. security and extremism decided again by a model of those two topics')
    print('   | second model settings | dev accuracy | grouped CV accuracy |')
    print('   |---|---|---|')
    def right(preds, rows):
        return sum(p == r[0] for p, r in zip(preds, rows) if r[0] in TOPICS)
    n_dev, n_all = len(y(dev)), len(y(everything))
    base_dev = right([t for t, _ in label(train, dev, 'd')], dev) / n_dev
    base_cv = right([t for t, _ in all_cv], everything) / n_all
    print(f'   | (one stage: the default model) | {base_dev:.4f} | {base_cv:.4f} |')
    for extra in ([], ['--ngrams', '2'], ['--ngrams', '2', '--alpha', '0.1'], ['--no-stem'],
                  ['--variant', 'bernoulli'], ['--no-stop-words'],
                  ['--variant', 'complement', '--idf', '--tf', 'sublinear', '--normalize', '--ngrams', '2']):
        def two(tr, te, tag):
            first = [t for t, _ in label(tr, te, tag + 'a')]
            second = [t for t, _ in label([r for r in tr if r[0] in PAIR], te, tag + 'b', ['--calibrate-folds', '0', *extra])]
            return [s if f in PAIR else f for f, s in zip(first, second)]
        d = right(two(train, dev, 'dev2'), dev) / n_dev
        c = 0
        for f in range(5):
            te = [r for r, k in zip(everything, folds) if k == f]
            c += right(two([r for r, k in zip(everything, folds) if k != f], te, f'cv2{f}'), te)
        print(f"   | {' '.join(extra) or '(defaults)'} | {d:.4f} | {c / n_all:.4f} |")


if __name__ == '__main__':
    main()
