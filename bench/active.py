#!/usr/bin/env python3
"""Learning curve of active learning on the domain pool.

Start from the seed paragraphs; the training side of the labelled pool (labels/pool.tsv)
is the unlabelled pool, its labels the oracle. Each round trains a model, scores it on the
dev split (labels/dev/), then labels 50 more paragraphs: those `classify suggest` ranks
first (smallest margin), or 50 at random (fixed seed). Prints accuracy and macro-F1
against the number of pool paragraphs labelled, for both orders.

Needs ../shared/domain/pool.jsonl. Usage: python3 bench/active.py [--step 50] [--rounds 12]
"""
import argparse, json, os, random, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'classify')
POOL = os.path.abspath(os.path.join(ROOT, '..', 'shared', 'domain', 'pool.jsonl'))


def run(args):
    out = subprocess.run([BIN] + args, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        sys.exit(f"classify {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def read_labels(path):
    rows = {}
    for line in open(path, encoding='utf-8'):
        if line.startswith('#') or not line.strip() or line.startswith('label\t'):
            continue
        label, id_ = line.rstrip('\n').split('\t')
        rows[id_] = label
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--step', type=int, default=50)
    ap.add_argument('--rounds', type=int, default=12)
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    work = os.path.join(ROOT, 'bench', 'work', 'active')
    os.makedirs(work, exist_ok=True)
    subprocess.run(['cargo', 'build', '--release', '-q'], cwd=ROOT, check=True)
    oracle = read_labels(os.path.join(ROOT, 'labels', 'pool.tsv'))
    texts = {}
    for line in open(POOL, encoding='utf-8'):
        r = json.loads(line)
        texts[r['id']] = r['text']
    curves = {}
    for order in ('suggested', 'random'):
        rng = random.Random(a.seed)
        chosen = []
        curve = []
        for rnd in range(a.rounds + 1):
            lab = os.path.join(work, f'{order}.tsv')
            with open(lab, 'w', encoding='utf-8') as f:
                f.write(f'# text-from: {POOL}\nlabel\tid\n')
                for id_ in chosen:
                    f.write(f'{oracle[id_]}\t{id_}\n')
            model = os.path.join(work, f'{order}.model')
            paths = [os.path.join(ROOT, 'labels', 'seeds.tsv')] + ([lab] if chosen else [])
            run(['train', '--calibrate-folds', '0', '--model', model] + paths)
            m = json.loads(run(['eval', '--json', '--model', model, os.path.join(ROOT, 'labels', 'dev')]))
            curve.append((len(chosen), m['accuracy'], m['macro_f1']))
            remaining = [i for i in oracle if i not in set(chosen)]
            if not remaining:
                break
            if order == 'random':
                pick = rng.sample(remaining, min(a.step, len(remaining)))
            else:
                rem = os.path.join(work, 'remaining.jsonl')
                with open(rem, 'w', encoding='utf-8') as f:
                    for i in remaining:
                        f.write(json.dumps({'id': i, 'text': texts[i]}) + '\n')
                out = run(['suggest', '--json', '--model', model, '--unlabelled', rem, '-n', str(a.step)])
                pick = [json.loads(l)['id'] for l in out.splitlines()]
            chosen.extend(pick)
        curves[order] = curve
    print('| pool paragraphs labelled | suggested: accuracy | macro-F1 | random: accuracy | macro-F1 |')
    print('|---|---|---|---|---|')
    for (n, sa, sf), (_, ra, rf) in zip(curves['suggested'], curves['random']):
        print(f'| {n} | {sa:.4f} | {sf:.4f} | {ra:.4f} | {rf:.4f} |')


if __name__ == '__main__':
    main()
