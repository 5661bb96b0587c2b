"""The reader's corrections of the alignment: links added and links removed by hand.

A user decision beats the machine's. Corrections are applied to the aligner's *pool*
of links before it is classified (:func:`corrected_links`), so everything built on
the classification follows them at every strictness: groups, "shared by k of N",
shading, sync, the next shared or unique sentence, the marks' counterparts, the
exports and ``reader align --json``.

- A **linked** pair becomes a link with confidence 1 and ``by="user"`` (keeping the
  aligner's score when it had proposed the pair, else 0). The reader's links are
  decided after the aligner's and join whatever groups they touch, even where the
  consistency rule would refuse it, so adding a link never takes a counterpart away.
  When that puts two sentences of one source in a group, the group holds them as it
  holds the halves of a split: both are counterparts of the sentences linked to them,
  the group counts their source once ("shared by k"), the reader's sentence is the
  best counterpart (confidence 1: sync goes there), and the group implies pairs
  through them only where one sentence bridges them.
- An **unlinked** pair is removed from the pool, so the aligner can never bring it
  back, and is kept apart: no other link may put the two sentences in one group, and
  no group implies them (the weaker link on a path between them becomes ``related``);
  only the reader's own links can still bring them into one group.
  A pair both linked and unlinked by the reader is linked (the last decision is kept
  upstream: one record per pair).

Pairs are ``((source, sentence), (source, sentence))`` with the smaller source first,
as in :class:`~reader.core.alignment.links.Link`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.core.alignment.links import BY_USER, COUNTERPART, Link, SentenceRef

Pair = tuple[SentenceRef, SentenceRef]

LINK, UNLINK = "link", "unlink"


class SameSource(ValueError):
    """Two sentences of one source cannot be linked (nor unlinked)."""


def pair(x: SentenceRef, y: SentenceRef) -> Pair:
    """The pair of two sentences of different sources, the smaller source first."""
    if x[0] == y[0]:
        raise SameSource("both sentences are in one source")
    return (x, y) if x[0] < y[0] else (y, x)


@dataclass(frozen=True)
class Corrections:
    """The pairs the reader linked and the pairs the reader unlinked."""

    linked: frozenset[Pair] = frozenset()
    unlinked: frozenset[Pair] = frozenset()

    @classmethod
    def of(cls, decisions: Iterable[tuple[Pair, str]]) -> Corrections:
        """From ``(pair, LINK or UNLINK)`` decisions (a later one for a pair wins)."""
        last: dict[Pair, str] = {}
        for p, op in decisions:
            last[pair(*p)] = op
        return cls(
            frozenset(p for p, op in last.items() if op == LINK),
            frozenset(p for p, op in last.items() if op == UNLINK),
        )

    def __len__(self) -> int:
        return len(self.linked) + len(self.unlinked)

    def __bool__(self) -> bool:
        return bool(self.linked or self.unlinked)

    @property
    def apart(self) -> frozenset[Pair]:
        return self.unlinked - self.linked

    def changed_since(self, other: Corrections) -> set[Pair]:
        """The pairs whose decision differs between ``other`` and these."""
        return set((self.linked ^ other.linked) | (self.unlinked ^ other.unlinked))


NO_CORRECTIONS = Corrections()


def user_link(p: Pair, score: float = 0.0) -> Link:
    return Link(p[0], p[1], score, 1.0, COUNTERPART, BY_USER)


def corrected_links(
    links: Sequence[Link], order: Sequence[int], corrections: Corrections
) -> tuple[list[Link], list[int]]:
    """``links`` (in pool order, sorted by pair) with ``corrections`` applied, and the
    order to decide them in: the others in ``order``, then the reader's links (by
    pair; :func:`~reader.core.alignment.links.classify` decides those last anyway).
    Unlinked pairs are dropped; a linked pair replaces the aligner's link of the same
    pair (keeping its score)."""
    if not corrections:
        return list(links), list(order)
    linked, unlinked = corrections.linked, corrections.apart
    scores: dict[Pair, float] = {}
    kept: list[Link] = []
    new_index: list[int] = [-1] * len(links)
    for k, x in enumerate(links):
        p = (x.a, x.b)
        if p in linked:
            scores[p] = x.score
            continue
        if p in unlinked:
            continue
        new_index[k] = len(kept)
        kept.append(x)
    users = [user_link(p, scores.get(p, 0.0)) for p in sorted(linked)]
    # merged by pair, so that the list stays in pool order
    out: list[Link] = []
    where_user: list[int] = []
    where_kept: list[int] = [0] * len(kept)
    i = j = 0
    while i < len(kept) or j < len(users):
        if j < len(users) and (i >= len(kept) or (users[j].a, users[j].b) < (kept[i].a, kept[i].b)):
            where_user.append(len(out))
            out.append(users[j])
            j += 1
        else:
            where_kept[i] = len(out)
            out.append(kept[i])
            i += 1
    new_order = [where_kept[new_index[k]] for k in order if new_index[k] >= 0] + where_user
    return out, new_order
