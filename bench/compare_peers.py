#!/usr/bin/env python3
"""Markdown table of our figures next to the peers' (bench/compare_peers.sh, docs/performance.md).

  compare_peers.py WORK

Reads WORK/<engine>/metrics (key=value lines) and hits.tsv for the peers of ../shared/peers
and for afori (WORK/afori, written by compare_peers.sh), prints one row per engine with the
ratio to Lucene, and how many queries agree with Lucene on total hits and facet counts.
"""
import os
import sys

ENGINES = [("lucene", "Lucene 8 (SwedishAnalyzer, BM25, facets)"),
           ("xapian_raw", "plain Xapian 1.4 (ValueCountMatchSpy)"),
           ("postgres", "PostgreSQL 15 FTS (swedish, GIN)"),
           ("afori", "afori-search (product analysis)"),
           ("afori_strict", "afori-search --strict (the peers' matching)")]


def metrics(work, engine):
    path = os.path.join(work, "afori" if engine == "afori_strict" else engine, "metrics")
    if not os.path.exists(path):
        return None
    m = dict(line.rstrip("\n").split("=", 1) for line in open(path, encoding="utf-8") if "=" in line)
    if engine == "afori_strict":
        m = dict(m, **{k[len("strict_"):]: v for k, v in m.items() if k.startswith("strict_")})
    return m


def hits(work, engine):
    name = "strict_hits.tsv" if engine == "afori_strict" else "hits.tsv"
    path = os.path.join(work, "afori" if engine.startswith("afori") else engine, name)
    if not os.path.exists(path):
        return None
    out = {}
    for line in open(path, encoding="utf-8"):
        p = line.rstrip("\n").split("\t") + ["", "", "", ""]
        facets = tuple(tuple(sorted(x for x in f.split(",") if x)) for f in p[3:5])
        out[p[0]] = (int(p[1]), facets)
    return out


def number(m, key):
    try:
        return float(m[key])
    except (KeyError, TypeError, ValueError):
        return None


def cell(m, key, base, unit="", scale=1.0, digits=0):
    v = number(m, key)
    if v is None:
        return "n/a"
    text = f"{v * scale:,.{digits}f}{unit}"
    b = number(base, key) if base else None
    return f"{text} ({v / b:.2f}×)" if b else text


def main(work):
    lucene = metrics(work, "lucene")
    print("| engine | index docs/s | index size | p50 µs | p95 µs | p99 µs | QPS 1 thr | QPS 2 thr |"
          " peak RSS search |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in ENGINES:
        m = metrics(work, key)
        if not m:
            continue
        strict = key == "afori_strict"
        print(f"| {name} | {'same build' if strict else cell(m, 'index_docs_per_s', lucene)} | "
              f"{'same index' if strict else cell(m, 'index_bytes', lucene, ' MB', 2 ** -20)} | "
              f"{cell(m, 'p50_us', lucene)} | {cell(m, 'p95_us', lucene)} | "
              f"{cell(m, 'p99_us', lucene)} | {cell(m, 'qps1', lucene)} | {cell(m, 'qps2', lucene)} | "
              f"{'' if strict else cell(m, 'rss_search_kb', lucene, ' MB', 2 ** -10)} |")
    print("\nRatios are to Lucene in the same run (lower is better for times and sizes, higher for "
          "docs/s and QPS).\n")
    base = hits(work, "lucene")
    if not base:
        return
    for key, _ in ENGINES[1:]:
        h = hits(work, key)
        if not h:
            continue
        common = [q for q in base if q in h]
        same_total = sum(base[q][0] == h[q][0] for q in common)
        same_facets = sum(base[q][1] == h[q][1] for q in common)
        equal = [q for q in common if base[q][0] == h[q][0]]
        same_themes = sum(base[q][1][1] == h[q][1][1] for q in equal)
        more = sum(h[q][0] > base[q][0] for q in common)
        print(f"- {key} vs lucene: identical total hits on {same_total}/{len(common)} queries, "
              f"identical type and theme counts on {same_facets}/{len(common)}, identical theme "
              f"counts on {same_themes}/{len(equal)} of the queries with equal totals; "
              f"more hits than Lucene on {more}")
    print("\nOur type counts are disjunctive (a selected facet is counted without its own "
          "filter, for multi-select), so on queries with a type filter they differ from the "
          "peers' by design.")


if __name__ == "__main__":
    main(sys.argv[1])
