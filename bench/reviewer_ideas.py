"""Reviewer-ranking ideas tried against issue 16's quality goal, and not kept: figures.

The protocol is bench/reviewer_bench.py's: the real sample built once, the held-out
papers of one split (`--split`, same seed) each hidden alone; PaperDesk's ranking and
the plain baseline (bm25 over each person's concatenated papers) are taken exactly as
there, inside the SAVEPOINT. The ideas need numpy/scipy (`pip install -e '.[ideas]'`)
and are computed beside them on the same store: the hidden paper never votes and is
taken out of its authors' profiles; idf and the latent space are learnt from the papers
outside the split (stricter than hiding one paper: no held-out paper shapes them).

Ideas: tf-idf cosine with other tokenisations (LaTeX commands and numbers kept; Snowball
stems; adjacent-word bigrams; character 4-grams), each paper voting its cosine squared
for its authors (document-centred, "Model 2" of Balog et al. 2006); LSA (truncated SVD
of the tf-idf paper x term matrix, k dimensions), ranked document-centred or by the
cosine to a person's centroid (candidate-centred, "Model 1"); each fused with
PaperDesk's ranking by reciprocal rank (1/(60 + rank)). Printed per idea: recall@10,
its standard error (bootstrap over held-out papers), the ratio to the baseline, and the
difference to PaperDesk's with its paired standard error. Then, per own author, the
rank of their best other paper by tf-idf cosine: what any text similarity must move.

    python bench/reviewer_ideas.py --split tuning [--held-out 400] [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import snowballstemmer
from scipy.sparse.linalg import svds

import realpages
import reviewer_bench
from paperdesk import reviewers

DEPTH = 300  # how deep each ranking is kept (and how many papers vote)
_RAW = re.compile(r"\\?[^\W_]+")
_STEM = snowballstemmer.stemmer("english")


def raw_words(text: str) -> list[str]:
    """Words as written: LaTeX commands (`\\alpha`) and numbers kept, not folded."""
    return [w for w in _RAW.findall(text.lower()) if w not in reviewers.STOP_WORDS]


def char_grams(text: str, n: int = 4) -> list[str]:
    padded = f" {' '.join(text.lower().split())} "
    return [padded[i:i + n] for i in range(len(padded) - n + 1)]


def stems(text: str) -> list[str]:
    return list(_STEM.stemWords(reviewers.words(text)))


def bigrams(text: str) -> list[str]:
    ws = reviewers.words(text)
    return ws + [f"{a}_{b}" for a, b in itertools.pairwise(ws)]


TOKENISERS: dict[str, Callable[[str], list[str]]] = {
    "words": reviewers.words, "raw": raw_words, "stems": stems, "bigrams": bigrams,
    "char4": char_grams}


class Store:
    """The built store's papers, who wrote them, and the held-out papers' exact results."""

    def __init__(self, conn: sqlite3.Connection, held: list[dict]) -> None:
        rows = conn.execute("SELECT rid, title, abstract FROM papers ORDER BY rid").fetchall()
        self.rids = [r[0] for r in rows]
        self.index = {rid: i for i, rid in enumerate(self.rids)}
        self.texts = [(r[1], r[2]) for r in rows]
        self.authors: defaultdict[int, set[str]] = defaultdict(set)
        for rid, key, _name, _profile in reviewers._authors_of(conn, self.rids):
            self.authors[self.index[rid]].add(key)
        self.people = sorted({k for keys in self.authors.values() for k in keys})
        column = {k: j for j, k in enumerate(self.people)}
        pairs = [(i, column[k]) for i, keys in self.authors.items() for k in keys]
        self.wrote = sp.csr_matrix((np.ones(len(pairs)), tuple(zip(*pairs, strict=True))),
                                   shape=(len(self.rids), len(self.people)))
        self.column = column
        self.held = held
        self.train = np.array([True] * len(self.rids))
        for h in held:
            self.train[self.index[h["rid"]]] = False

    def tfidf(self, tokenise: Callable[[str], list[str]]) -> sp.csr_matrix:
        """Rows: papers, l2-normalised sublinear tf-idf (title words twice); terms in at
        least two training papers, idf from the training papers."""
        counts = []
        for title, abstract in self.texts:
            c = Counter(tokenise(abstract))
            for word in tokenise(title):
                c[word] += reviewers.TITLE_WEIGHT
            counts.append(c)
        df = Counter(t for c, keep in zip(counts, self.train, strict=True) if keep for t in c)
        vocab = {t: j for j, t in enumerate(sorted(t for t, n in df.items() if n >= 2))}
        n = int(self.train.sum())
        rows, cols, vals = [], [], []
        for i, c in enumerate(counts):
            for t, tf in c.items():
                if t in vocab:
                    rows.append(i)
                    cols.append(vocab[t])
                    vals.append((1 + math.log(tf)) * (math.log((1 + n) / (1 + df[t])) + 1))
        x = sp.csr_matrix((vals, (rows, cols)), shape=(len(self.rids), len(vocab)))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        return sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-12)) @ x)

    def top(self, scores: np.ndarray) -> list[str]:
        best = np.argsort(-scores)[:DEPTH]
        return [self.people[j] for j in best if scores[j] > 0]

    def votes(self, sims: np.ndarray, h: int, power: float = 2.0) -> list[str]:
        """Document-centred: the DEPTH most similar papers (not `h`) vote sim**power."""
        sims = sims.copy()
        sims[h] = -np.inf
        best = np.argpartition(-sims, DEPTH)[:DEPTH]
        weight = np.zeros(len(sims))
        weight[best] = np.maximum(sims[best], 0) ** power
        return self.top(self.wrote.T @ weight)

    def centroids(self, vectors: np.ndarray, query: np.ndarray, h: int) -> list[str]:
        """Candidate-centred: cosine to the sum of a person's papers' vectors, without `h`."""
        sums = self.wrote.T @ vectors
        sums[[self.column[k] for k in self.authors[h]]] -= vectors[h]
        norms = np.linalg.norm(sums, axis=1)
        scores = (sums @ query) / np.maximum(norms, 1e-12)
        scores[norms < 1e-9] = 0
        return self.top(scores)


def exact_results(corpus: reviewer_bench.Corpus, papers: list[realpages.RealPaper]) -> list[dict]:
    """Own authors, PaperDesk's and the baseline's rankings, each paper hidden alone."""
    out = []
    for paper in papers:
        with corpus.hidden(paper) as hidden:
            if not hidden.own:
                continue
            topic = reviewers.Topic(paper.title, paper.abstract, year=paper.year)
            ours = reviewers.find_reviewers(corpus.conn, topic, everyone=True, limit=DEPTH)
            out.append({"rid": hidden.rid, "own": hidden.own,
                        "ours": [r.key for r in ours.reviewers],
                        "baseline": corpus.baseline(paper, DEPTH)})
    return out


def fuse(first: list[str], second: list[str], weight: float = 1.0) -> list[str]:
    score: defaultdict[str, float] = defaultdict(float)
    for ranks, w in ((first, 1.0), (second, weight)):
        for i, key in enumerate(ranks):
            score[key] += w / (61 + i)
    return sorted(score, key=lambda k: -score[k])


class Report:
    """recall@10 per idea, with bootstrap standard errors over held-out papers."""

    def __init__(self, held: list[dict]) -> None:
        self.held = held
        self.targets = np.array([len(h["own"]) for h in held])
        self.samples = np.random.default_rng(0).integers(0, len(held), (2000, len(held)))
        self.base = self.hits([h["baseline"] for h in held])
        self.ours = self.hits([h["ours"] for h in held])

    def hits(self, rankings: list[list[str]]) -> np.ndarray:
        return np.array([len(h["own"] & set(r[:10])) for h, r in zip(self.held, rankings,
                                                                      strict=True)])

    def line(self, name: str, rankings: list[list[str]]) -> None:
        hits, s = self.hits(rankings), self.samples
        total = self.targets[s].sum(axis=1)
        recall = hits[s].sum(axis=1) / total
        diff = (hits - self.ours)[s].sum(axis=1) / total
        print(f"{name:44s} {hits.sum() / self.targets.sum():.3f} (SE {recall.std():.3f})"
              f"  x{hits.sum() / self.base.sum():.2f} of baseline"
              f"  {(hits - self.ours).sum() / self.targets.sum():+.3f} vs ours"
              f" (SE {diff.std():.3f})", flush=True)


def lexical_ideas(store: Store, report: Report) -> None:
    ours = [h["ours"] for h in store.held]
    for name, tokenise in TOKENISERS.items():
        x = store.tfidf(tokenise)
        ranked = [store.votes(np.asarray(x @ x[store.index[h["rid"]]].T.toarray()).ravel(),
                              store.index[h["rid"]]) for h in store.held]
        report.line(f"tf-idf {name}, votes cos^2", ranked)
        report.line("  fused with ours (RRF)", [fuse(a, b) for a, b in zip(ours, ranked,
                                                                             strict=True)])


def latent_ideas(store: Store, report: Report, dims: tuple[int, ...]) -> None:
    x = store.tfidf(reviewers.words)
    ours = [h["ours"] for h in store.held]
    for k in dims:
        _u, _s, vt = svds(x[store.train], k=k)
        vectors = np.asarray(x @ vt.T)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        for model in ("votes", "centroids"):
            ranked = []
            for h in store.held:
                i = store.index[h["rid"]]
                ranked.append(store.votes(vectors @ vectors[i], i) if model == "votes"
                              else store.centroids(vectors, vectors[i], i))
            report.line(f"LSA k={k}, {model}", ranked)
            for w in (0.5, 1.0):
                report.line(f"  fused with ours (RRF, weight {w})",
                            [fuse(a, b, w) for a, b in zip(ours, ranked, strict=True)])


def best_other_ranks(store: Store) -> None:
    """Per own author: where their best other paper ranks by tf-idf cosine."""
    x = store.tfidf(raw_words)
    places = []
    for h in store.held:
        i = store.index[h["rid"]]
        sims = np.asarray(x @ x[i].T.toarray()).ravel()
        sims[i] = -np.inf
        rank = np.empty(len(sims), dtype=int)
        rank[np.argsort(-sims)] = np.arange(len(sims))
        for key in h["own"]:
            mine = [p for p in store.wrote[:, store.column[key]].nonzero()[0] if p != i]
            places.append(min(rank[p] for p in mine))
    edges = (1, 3, 10, 50, 300, len(store.rids))
    shares = [sum(1 for p in places if p < e) / len(places) for e in edges[:-1]]
    print("own authors whose best other paper is among the most similar 1/3/10/50/300: "
          + " / ".join(f"{s:.3f}" for s in shares))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--split", choices=reviewer_bench.SPLITS, default="tuning")
    parser.add_argument("--dims", default="100,200,400", help="LSA dimensions")
    args = parser.parse_args()
    papers = reviewer_bench.held_out(realpages.load(), args.held_out, args.seed, args.split)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = reviewer_bench.built_corpus(Path(tmp))
        store = Store(corpus.conn, exact_results(corpus, papers))
        corpus.conn.close()
    report = Report(store.held)
    print(f"{args.split} split: {len(store.held)} held-out papers, "
          f"{report.targets.sum()} own authors")
    report.line("baseline (bm25, concatenated papers)", [h["baseline"] for h in store.held])
    report.line("PaperDesk (bm25 votes squared)", [h["ours"] for h in store.held])
    best_other_ranks(store)
    lexical_ideas(store, report)
    latent_ideas(store, report, tuple(int(d) for d in args.dims.split(",")))


if __name__ == "__main__":
    main()
