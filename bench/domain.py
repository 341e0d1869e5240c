#!/usr/bin/env python3
"""The default topic model's figures on the domain labels, side by side.

Variants of classify (seeds only; seeds and pool; with EM over the unlabelled dev-free
pool text; the best engine settings from `classify tune`) and scikit-learn pipelines on
the same labels, scored on the dev split (labels/dev/, never trained on) and by
article-grouped 5-fold cross-validation over all labelled domain paragraphs (seeds,
pool and dev). `other` is no topic: classify leaves it out of training and scoring, as
the default model does, but reads it as context of the other paragraphs of its article,
as `label` reads an article whole. classify scores each paragraph in the context of the
others of its article (--context, 0.25 by default); one row shows it without (--context
0). The scikit-learn pipelines see paragraphs alone, and never `other`.

Usage: bench/.venv/bin/python bench/domain.py [TUNED_FLAGS]   (run bash bench/setup.sh first)
       python3 bench/domain.py --sweep   (classify only: the context weight from 0 to 1)
"""
import json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'classify')
POOL = os.path.abspath(os.path.join(ROOT, '..', 'shared', 'domain', 'pool.jsonl'))
TOPICS = {'diplomacy', 'economy', 'security', 'extremism'}


def run(args):
    out = subprocess.run([BIN] + args, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        sys.exit(f"classify {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def read_rows(path, pool):
    rows = []
    header = None
    for line in open(path, encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        f = line.rstrip('\n').split('\t')
        if header is None:
            header = f
            continue
        r = dict(zip(header, f))
        if 'id' in r:
            p = pool[r['id']]
            rows.append((r['label'], p['text'], p['source']))
        else:
            rows.append((r['label'], r['text'], r.get('group') or r['article']))
    return rows


def topical(rows):
    return [r for r in rows if r[0] in TOPICS]


def group_folds(rows, k=5):
    # Same rule as classify's group_folds is not needed here: any fixed grouped split is
    # a fair comparison as long as both systems use it. Groups are assigned by FNV-1a of
    # the article name, mod k.
    def fnv(s):
        h = 0xcbf29ce484222325
        for b in s.encode('utf-8'):
            h ^= b
            h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        return h
    return [fnv(g) % k for _, _, g in rows]


def sk_pipelines():
    from sklearn.feature_extraction.text import TfidfVectorizer, CountVectorizer
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
    from sklearn.pipeline import make_pipeline
    return {
        'sk tfidf(1,2)+CNB a=0.1': lambda: make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), ComplementNB(alpha=0.1)),
        'sk tfidf(1,2)+MNB a=0.01': lambda: make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), MultinomialNB(alpha=0.01)),
        'sk counts(1,2)+MNB a=0.01': lambda: make_pipeline(CountVectorizer(ngram_range=(1, 2)), MultinomialNB(alpha=0.01)),
        'sk counts(1)+MNB a=1': lambda: make_pipeline(CountVectorizer(), MultinomialNB()),
    }


def score(y, p):
    from sklearn.metrics import accuracy_score, f1_score
    return accuracy_score(y, p), f1_score(y, p, average='macro')


def pooled(confusion):
    k = len(confusion)
    n = sum(map(sum, confusion))
    acc = sum(confusion[i][i] for i in range(k)) / n
    f1s = []
    for c in range(k):
        tp = confusion[c][c]
        support = sum(confusion[c])
        predicted = sum(confusion[t][c] for t in range(k))
        p = tp / predicted if predicted else 0.0
        r = tp / support if support else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return acc, sum(f1s) / k


def write_tsv(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('label\tgroup\ttext\n')
        for label, text, group in rows:
            f.write(f"{label}\t{group}\t{' '.join(text.split())}\n")


def main():
    work = os.path.join(ROOT, 'bench', 'work', 'domain')
    os.makedirs(work, exist_ok=True)
    pool = {}
    for line in open(POOL, encoding='utf-8'):
        r = json.loads(line)
        pool[r['id']] = r
    seeds = read_rows(os.path.join(ROOT, 'labels', 'seeds.tsv'), pool)
    train_pool = read_rows(os.path.join(ROOT, 'labels', 'pool.tsv'), pool)
    dev = read_rows(os.path.join(ROOT, 'labels', 'dev', 'pool-dev.tsv'), pool)
    everything = seeds + train_pool + dev
    folds = group_folds(everything)
    for name, rows in (('seeds', seeds), ('seeds-pool', seeds + train_pool), ('dev', dev), ('all', everything)):
        write_tsv(os.path.join(work, f'{name}.tsv'), rows)
    n_seeds = len(seeds)
    for f in range(5):
        write_tsv(os.path.join(work, f'fold{f}-train.tsv'), [r for r, k in zip(everything, folds) if k != f])
        write_tsv(os.path.join(work, f'fold{f}-test.tsv'), [r for r, k in zip(everything, folds) if k == f])
        # The seeds-only variant trains, in each fold, on the seed paragraphs outside it.
        write_tsv(os.path.join(work, f'fold{f}-seeds-train.tsv'),
                  [r for i, (r, k) in enumerate(zip(everything, folds)) if k != f and i < n_seeds])
    # Unlabelled text for EM: the pool paragraphs outside dev (their labels unused).
    dev_texts = {t for _, t, _ in dev}
    unl = os.path.join(work, 'unlabelled.jsonl')
    with open(unl, 'w', encoding='utf-8') as f:
        for p in pool.values():
            if p['text'] not in dev_texts:
                f.write(json.dumps({'id': p['id'], 'text': p['text']}) + '\n')
    sweep = sys.argv[1:] == ['--sweep']
    tuned = sys.argv[1] if len(sys.argv) > 1 and not sweep else ''
    variants = {
        'classify, seeds only (defaults)': ('seeds', []),
        'classify, seeds only, alpha 0.1': ('seeds', ['--alpha', '0.1']),
        'classify, seeds only, alpha 0.1 + EM (pool text unlabelled, weight 0.1)': ('seeds', ['--alpha', '0.1', '--unlabelled', unl]),
        'classify, seeds + pool, each paragraph alone (--context 0)': ('seeds-pool', ['--context', '0']),
        'classify, seeds + pool (defaults, the shipped model)': ('seeds-pool', []),
        'classify, seeds + pool, alpha 1 (the default before 2026-11-23)': ('seeds-pool', ['--alpha', '1']),
        'classify, seeds + pool + EM (the same pool text unlabelled, weight 0.1)': ('seeds-pool', ['--unlabelled', unl]),
    }
    if tuned:
        variants[f'classify, seeds + pool, tuned: {tuned}'] = ('seeds-pool', tuned.split())
    if sweep:
        variants = {f'classify, seeds + pool, --context {w}': ('seeds-pool', ['--context', w])
                    for w in ('0', '0.1', '0.25', '0.5', '0.75', '1')}
    print('| system | dev accuracy | dev macro-F1 | grouped 5-fold CV accuracy | CV macro-F1 |')
    print('|---|---|---|---|---|')
    for name, (train, extra) in variants.items():
        model = os.path.join(work, 'm.model')
        run(['train', '--calibrate-folds', '0', '--model', model, os.path.join(work, f'{train}.tsv')] + extra)
        d = json.loads(run(['eval', '--json', '--model', model, os.path.join(work, 'dev.tsv')]))
        confusion, labels = None, None
        for f in range(5):
            fold_extra = list(extra)
            if '--unlabelled' in extra:
                # EM's unlabelled text never includes the fold's test paragraphs.
                test_texts = {t for r, k in zip(everything, folds) if k == f for t in [r[1]]}
                fu = os.path.join(work, f'fold{f}-unlabelled.jsonl')
                with open(fu, 'w', encoding='utf-8') as out:
                    for p in pool.values():
                        if p['text'] not in test_texts:
                            out.write(json.dumps({'id': p['id'], 'text': p['text']}) + '\n')
                fold_extra[fold_extra.index(unl)] = fu
            fold_train = f'fold{f}-seeds-train.tsv' if train == 'seeds' else f'fold{f}-train.tsv'
            run(['train', '--calibrate-folds', '0', '--model', model, os.path.join(work, fold_train)] + fold_extra)
            m = json.loads(run(['eval', '--json', '--model', model, os.path.join(work, f'fold{f}-test.tsv')]))
            labels = m['labels']
            confusion = m['confusion'] if confusion is None else [[a + b for a, b in zip(r, q)] for r, q in zip(confusion, m['confusion'])]
        acc, f1 = pooled(confusion)
        print(f"| {name} | {d['accuracy']:.4f} | {d['macro_f1']:.4f} | {acc:.4f} | {f1:.4f} |")
    train_rows = topical(seeds + train_pool)
    for name, make in ({} if sweep else sk_pipelines()).items():
        m = make().fit([t for _, t, _ in train_rows], [l for l, _, _ in train_rows])
        da, df = score([l for l, _, _ in topical(dev)], m.predict([t for _, t, _ in topical(dev)]))
        y, p = [], []
        for f in range(5):
            tr = topical([r for r, k in zip(everything, folds) if k != f])
            te = topical([r for r, k in zip(everything, folds) if k == f])
            mm = make().fit([t for _, t, _ in tr], [l for l, _, _ in tr])
            y += [l for l, _, _ in te]
            p += list(mm.predict([t for _, t, _ in te]))
        ca, cf = score(y, p)
        print(f"| {name} | {da:.4f} | {df:.4f} | {ca:.4f} | {cf:.4f} |")


if __name__ == '__main__':
    main()
