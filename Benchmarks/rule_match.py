#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rule matching throughput: `feedwatch match` against the naive reference and a term-prefilter baseline.

    python3 Benchmarks/rule_match.py [--articles 1000] [--seed 1]

Generates articles and rules with workload.py (seed 1, 1,000 articles of real ABC news text from the Lee
corpus that the PyPI package gensim ships, installed without its dependencies into the benchmarks'
virtual environment; synthetic text where that cannot be had), then for 1k, 10k and 100k rules measures
on one core:
- feedwatch: `feedwatch match --jobs 1 --stats` (articles/s of the match phase, index build time, peak RSS
  of the whole process); its output is compared with the reference's on the articles both matched;
- naive: naive_match.py (every rule evaluated on every article from the language's definitions), on a
  prefix of the articles;
- prefilter: a simple term prefilter in Python (each rule indexed under one required word, the rarest in
  the articles; candidates evaluated by naive_match.py's evaluator), on a prefix of the articles.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

import naive_match  # noqa: E402


def required_words(node):
    """Words every match of `node` contains (a necessary conjunction)."""
    tag = node[0]
    if tag == "seq":
        return set(node[1])
    if tag == "and":
        out = set()
        for kid in node[1]:
            out |= required_words(kid)
        return out
    if tag == "near":
        out = set()
        for side in (node[2], node[3]):
            if side[0] != "or":
                out |= required_words(side)
        return out
    return set()


def prefilter_rate(rules, articles, limit):
    """Articles/s of a Luwak-style prefilter: one posting per rule under its rarest required word."""
    docs = [naive_match.Article(a) for a in articles[:limit]]
    df = {}
    for d in (naive_match.Article(a) for a in articles):
        for w in d.all:
            df[w] = df.get(w, 0) + 1
    postings, always = {}, []
    compiled = []
    for index, (name, ast) in enumerate(rules):
        compiled.append((name, ast))
        words = required_words(ast)
        if words:
            postings.setdefault(min(words, key=lambda w: df.get(w, 0)), []).append(index)
        else:
            always.append(index)
    start = time.perf_counter()
    for d in docs:
        candidates = set(always)
        for w in d.all:
            candidates.update(postings.get(w, ()))
        sorted(compiled[i][0] for i in candidates if naive_match.evaluate(compiled[i][1], d))
    return len(docs) / (time.perf_counter() - start)


def naive_rate(rules_path, articles_path, limit, work):
    out_path = os.path.join(work, "naive.out")
    with open(out_path, "w") as out:
        done = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "naive_match.py"),
                               "--rules", rules_path, "--articles", articles_path, "--limit", str(limit)],
                              stdout=out, stderr=subprocess.PIPE, text=True, check=True)
    return float(re.search(r"articles/s=([\d.]+)", done.stderr).group(1)), out_path


def main():
    args = benchlib.arguments(__doc__, runs=None, extra=[("--articles", {"type": int, "default": 1000}),
                                                       ("--seed", {"type": int, "default": 1})])
    work = tempfile.mkdtemp(prefix="feedwatch-match-")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "workload.py"),
                    "--out-dir", work, "--articles", str(args.articles), "--rules", "1000,10000,100000",
                    "--seed", str(args.seed)] + (["--corpus-dir", corpus] if (corpus := benchlib.news_corpus()) else []),
                   check=True)
    articles_path = os.path.join(work, "articles.jsonl")
    articles = naive_match.read_articles(articles_path)
    rows = []
    for count, limit in ((1000, 1000), (10000, 200), (100000, 30)):
        rules_path = os.path.join(work, "rules_%d.conf" % count)
        out_path = os.path.join(work, "mine_%d.out" % count)
        stats_path = os.path.join(work, "stats_%d.txt" % count)
        with open(out_path, "w") as out, open(stats_path, "w") as err:
            rss, status = benchlib.peak_rss([benchlib.FEEDWATCH, "match", "--rules", rules_path, "--jobs", "1",
                                             "--stats", articles_path], stdout=out, stderr=err)
        stats = open(stats_path).read()
        if status != 0:
            raise SystemExit("feedwatch match failed: " + stats)
        rate = float(re.search(r"docs/s=([\d.]+)", stats).group(1))
        build = float(re.search(r"load\+compile=([\d.]+)s", stats).group(1))
        naive, ref_out = naive_rate(rules_path, articles_path, limit, work)
        mine = open(out_path).read().splitlines()[:limit]
        same = mine == open(ref_out).read().splitlines()
        prefilter = prefilter_rate(naive_match.read_rules(rules_path), articles, limit)
        rows.append(["%dk" % (count // 1000), "%.0f" % rate, "%.2f" % build, "%.0f" % rss, "%.0f" % prefilter,
                     "%.1f" % naive, "%.0fx" % (rate / prefilter), "%.0fx" % (rate / naive),
                     "yes" if same else "NO"])
    benchlib.table(rows, ["rules", "feedwatch art/s", "build s", "RSS MB", "prefilter art/s", "naive art/s",
                          "vs prefilter", "vs naive", "same output"])


if __name__ == "__main__":
    main()
