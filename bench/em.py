#!/usr/bin/env python3
"""Semi-supervised EM on 20 Newsgroups with few labels (Nigam et al. 2000 setting).

For 10 and 50 labelled documents per class (drawn with a fixed seed from the bydate
train split), the rest of the train split is given as unlabelled data. Prints test
accuracy and macro-F1 with the labels alone and with EM, per unlabelled weight.

Usage: python3 bench/em.py [--data ../shared/data] [--weights 0.1,1.0]
"""
import argparse, json, os, random, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'classify')


def run(args):
    out = subprocess.run([BIN] + args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"classify {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(ROOT, '..', 'shared', 'data'))
    ap.add_argument('--weights', default='0.1,1.0')
    ap.add_argument('--per-class', default='10,50')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--alphas', default='1.0,0.01')
    a = ap.parse_args()
    src = os.path.join(a.data, '20newsgroups_bydate', '20news_bydate.jsonl')
    work = os.path.join(ROOT, 'bench', 'work', 'em')
    os.makedirs(work, exist_ok=True)
    train, test = [], []
    for line in open(src, encoding='utf-8'):
        r = json.loads(line)
        (train if r['split'] == 'train' else test).append({'label': r['label'], 'text': r['text']})
    test_path = os.path.join(work, 'test.jsonl')
    with open(test_path, 'w', encoding='utf-8') as f:
        for r in test:
            f.write(json.dumps(r) + '\n')
    subprocess.run(['cargo', 'build', '--release', '-q'], cwd=ROOT, check=True)
    print('| labelled per class | alpha | unlabelled | EM weight | accuracy | macro-F1 | train s |')
    print('|---|---|---|---|---|---|---|')
    for k in [int(x) for x in a.per_class.split(',')]:
        rng = random.Random(a.seed)
        by_label = {}
        for i, r in enumerate(train):
            by_label.setdefault(r['label'], []).append(i)
        chosen = set()
        for label in sorted(by_label):
            chosen.update(rng.sample(by_label[label], k))
        lab_path = os.path.join(work, f'labelled-{k}.jsonl')
        unl_path = os.path.join(work, f'unlabelled-{k}.jsonl')
        with open(lab_path, 'w', encoding='utf-8') as f, open(unl_path, 'w', encoding='utf-8') as g:
            for i, r in enumerate(train):
                if i in chosen:
                    f.write(json.dumps(r) + '\n')
                else:
                    g.write(json.dumps({'id': str(i), 'text': r['text']}) + '\n')
        n_unl = len(train) - len(chosen)
        for alpha, w in [(al, w) for al in a.alphas.split(',') for w in [None] + [float(x) for x in a.weights.split(',')]]:
            model = os.path.join(work, f'm-{k}-{w}.model')
            args = ['train', '--input-format', 'jsonl', '--labels', lab_path, '--model', model, '--calibrate-folds', '0', '--alpha', alpha]
            if w is not None:
                args += ['--unlabelled', unl_path, '--unlabelled-weight', str(w)]
            t0 = time.time()
            run(args)
            secs = time.time() - t0
            m = json.loads(run(['eval', '--model', model, '--input-format', 'jsonl', '--json', test_path]))
            print(f"| {k} | {alpha} | {n_unl if w is not None else 0} | {'-' if w is None else w} | {m['accuracy']:.4f} | {m['macro_f1']:.4f} | {secs:.1f} |")


if __name__ == '__main__':
    main()
