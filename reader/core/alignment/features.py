"""Sentence features for matching: term matrices, term weights, boilerplate flags.

A term's weight is an IDF computed *within* sources: ``log(1 + n / df_max)`` where
``df_max`` is the largest number of sentences of any one source that use it and
``n`` the mean number of sentences per source. A term that one article uses in
many sentences (the story's topic) weighs little; a term that each source uses
once (the detail marking the true counterpart) weighs a lot, however many sources
share it. Function words are damped so tiny inputs are not dominated by them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from reader.core.alignment.params import Settings
from reader.core.text.roles import FURNITURE, HEADLINE, roles
from reader.core.text.segment import Source
from reader.core.text.tokens import STOPWORDS, sentence_terms

#: share of its weight a function word keeps: it still counts, a little, so that inputs
#: too small for document frequencies (two sentences) are not matched on "the" and "said"
STOPWORD_WEIGHT = 0.15
#: share a name's consonant skeleton (``~psk``) keeps: it rescues a garbled name, but the
#: name's own term, when it matches, already counts in full
SKELETON_WEIGHT = 0.5

_BOILERPLATE = re.compile(
    r"^\W*(?:leave a (?:comment|reply)|post a comment|no comments?:?|\d+ comments?|comments?"
    r"|share(?: this(?: article| story| post)?)?(?: on \w+)?|advertisement|advertising"
    r"|read (?:also|more|next)|see also|related(?: articles| stories| posts)?"
    r"|you may also like|recommended(?: for you)?|subscribe(?: now)?(?: to .*)?"
    r"|sign up(?: .*)?|click here(?: .*)?|follow us(?: .*)?|required fields are marked.*"
    r"|your email address will not be published.*|all rights reserved.*|copyright\b.*"
    r"|©.*|skip to (?:main )?content|print(?: this)?|email|tweet|facebook|twitter"
    r"|whatsapp|leia (?:também|mais)|veja também|publicidade|compartilhe.*)\W*$",
    re.IGNORECASE,
)


def is_boilerplate(sentence: str) -> bool:
    return len(sentence) <= 120 and _BOILERPLATE.match(sentence) is not None


@dataclass
class Features:
    matrices: list[sparse.csr_matrix]  # binary sentence x term, one per source
    index_matrices: list[sparse.csr_matrix]  # weighted, informative terms only
    index_columns: list[sparse.csc_matrix]  # term x sentence: where each informative term is
    weights: np.ndarray  # term weights
    row_weight: list[np.ndarray]  # total weight of each sentence
    boiler: list[np.ndarray]  # bool per sentence: boilerplate or page furniture
    headline: list[np.ndarray]  # bool per sentence
    content: np.ndarray  # 1.0 for content terms (not function words or skeletons)


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d integer array (the distinct values, sorted) by a sort:
    numpy 2's hash table is ~4x slower on the millions of candidate keys of a book."""
    keys = np.sort(keys)
    if len(keys) == 0:
        return keys
    return keys[np.r_[True, keys[1:] != keys[:-1]]]


def _source_terms(sources: Sequence[Source], k: int) -> tuple[list[str], list[int]]:
    """The terms of every sentence of source k, one list, and how many each has (a
    task of :func:`reader.core.alignment.parallel.run`)."""
    src = sources[k]
    flat: list[str] = []
    counts: list[int] = []
    for s, e in src.sentences:
        terms = sentence_terms(src.text, s, e)
        flat += terms
        counts.append(len(terms))
    return flat, counts


def build_features(sources: Sequence[Source], settings: Settings) -> Features:
    from reader.core.alignment import parallel

    # every term of every sentence, in order (the sources split over the cores where
    # that is safe, see reader.core.alignment.parallel); a term's number is its first
    # appearance
    n_workers = parallel.workers(sum(len(src.sentences) for src in sources))
    flat: list[str] = []
    lengths: list[int] = []
    for terms, counts in parallel.run(_source_terms, range(len(sources)), sources, n_workers):
        flat += terms
        lengths += counts
    vocab = {t: k for k, t in enumerate(dict.fromkeys(flat))}
    n_terms = max(1, len(vocab))
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    row_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    # each sentence's distinct terms, sorted
    keys = sorted_unique(row_of * n_terms + ids)
    rows_all, terms_all = keys // n_terms, (keys % n_terms).astype(np.int32)
    matrices = []
    df_max = np.zeros(n_terms, dtype=np.int64)
    first = 0
    for src in sources:
        n = len(src.sentences)
        lo, hi = np.searchsorted(rows_all, [first, first + n])
        indptr = np.zeros(n + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(np.bincount(rows_all[lo:hi] - first, minlength=n))
        indices = terms_all[lo:hi]
        m = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(n, n_terms)
        )
        matrices.append(m)
        df_max = np.maximum(df_max, np.bincount(indices, minlength=n_terms))
        first += n
    n_mean = max(1.0, float(np.mean([len(src.sentences) for src in sources])))
    weights = np.log1p(n_mean / np.maximum(df_max, 1))
    damp = np.ones(n_terms)
    for t, i in vocab.items():
        if t in STOPWORDS:
            damp[i] = STOPWORD_WEIGHT
        elif t.startswith("~"):
            damp[i] = SKELETON_WEIGHT
    weights *= damp
    informative = (df_max <= settings.max_df) & (damp == 1.0)
    index_weights = np.where(informative, weights, 0.0)
    index_matrices = [(m @ sparse.diags(index_weights)).tocsr() for m in matrices]
    for m in index_matrices:
        m.eliminate_zeros()
    row_weight = [np.asarray(m @ weights).ravel() for m in matrices]
    page = [roles(src) for src in sources]
    boiler = [
        np.array([is_boilerplate(src.sentence(i)) for i in range(len(src))], dtype=bool)
        | (r == FURNITURE)
        for src, r in zip(sources, page)
    ]
    headline = [r == HEADLINE for r in page]
    index_columns = [(m > 0).T.tocsc() for m in index_matrices]  # once, not once a pair
    return Features(
        matrices,
        index_matrices,
        index_columns,
        weights,
        row_weight,
        boiler,
        headline,
        (damp == 1.0).astype(np.float64),
    )
