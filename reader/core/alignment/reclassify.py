"""Applying the reader's corrections to an alignment without classifying it all again.

Classifying decides the links of each connected set of the pool on its own (a link's
kind depends only on the groups of its two sentences, built from links of the same
set; the pairs a group implies likewise). So a correction changes only the sets whose
sentences it names, joined by the reader's links: :func:`recorrect` re-classifies
those sets alone (a few dozen links) and patches the lookup indexes of the alignment
(counterparts, related, where a sentence sits in another source, "shared by k",
unique counts) in copies, leaving the rest shared. The result answers every question
exactly as :meth:`Alignment.classified` would with the same corrections (a property
test checks it); its full ``links`` list is built on first use.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from reader.core.alignment.corrections import Corrections, Pair, corrected_links
from reader.core.alignment.links import (
    COUNTERPART,
    RELATED,
    Link,
    SentenceRef,
    classify,
    connected,
)
from reader.core.alignment.model import Alignment, Counterpart, context


@dataclass(frozen=True)
class Patch:
    """An alignment with other corrections, and what changed: ``touched`` holds, per
    source, the sentences whose links were decided again; the counts of counterpart
    and related links changed by ``counterparts`` and ``related``."""

    alignment: Alignment
    touched: dict[int, frozenset[int]]
    counterparts: int = 0
    related: int = 0


def recorrect(al: Alignment, corrections: Corrections) -> Patch:
    """``al`` with ``corrections`` in place of its own (see the module doc). ``al``
    must come from the aligner (have a pool)."""
    if corrections == al.corrections:
        return Patch(al, {})
    pool = al.pool
    if pool is None:
        raise ValueError("this alignment has no pool of links to correct")
    region, link_ids = _region(al, corrections)
    # the links of the region, in pool order, and their decision order
    ids = sorted(link_ids)
    place = {k: n for n, k in enumerate(ids)}
    rank = pool.rank
    order = [place[k] for k in sorted(ids, key=rank.__getitem__)]
    local = Corrections(
        frozenset(p for p in corrections.linked if p[0] in region),
        frozenset(p for p in corrections.unlinked if p[0] in region and p[1] in region),
    )
    links, order = corrected_links([pool.links[k] for k in ids], order, local)
    decided = classify(
        links, order, pool.levels.bars[al.strictness], apart=local.apart, **context(pool)
    )
    out = Alignment(al.sources, None, al.boilerplate, al.strictness, pool, al.notes, corrections)
    touched: dict[int, set[int]] = {}
    for s, i in region:
        touched.setdefault(s, set()).add(i)
    old_adj, old_rel = al._adjacency, al._related
    adjacency = _patched_index(old_adj, decided, COUNTERPART, touched)
    related = _patched_index(old_rel, decided, RELATED, touched)
    out.__dict__["_adjacency"] = adjacency
    out.__dict__["_related"] = related
    out.__dict__["_anchors"] = _patched_anchors(al, adjacency, touched)
    counts = list(al._unique_counts)
    for s, xs in touched.items():
        counts[s] += sum(i in old_adj[s] for i in xs) - sum(i in adjacency[s] for i in xs)
    out.__dict__["_unique_counts"] = counts
    out.__dict__["_spread"] = _patched_spread(al._spread, decided, touched)

    def halves(index: list[dict[int, list[Counterpart]]]) -> int:
        return sum(len(index[s].get(i, ())) for s, i in region) // 2

    return Patch(
        out,
        {s: frozenset(xs) for s, xs in touched.items()},
        halves(adjacency) - halves(old_adj),
        halves(related) - halves(old_rel),
    )


def _region(al: Alignment, corrections: Corrections) -> tuple[set[SentenceRef], set[int]]:
    """The sentences whose links a change of corrections may decide differently: the
    connected sets of the pool holding a sentence whose pairs changed, joined by the
    reader's links (old and new), and the pool's links in them."""
    assert al.pool is not None
    of, members, sentences = al.pool.components
    user: dict[SentenceRef, list[SentenceRef]] = {}
    for x, y in al.corrections.linked | corrections.linked:
        user.setdefault(x, []).append(y)
        user.setdefault(y, []).append(x)
    changed: set[Pair] = corrections.changed_since(al.corrections)
    todo = [x for p in changed for x in p]
    region: set[SentenceRef] = set()
    link_ids: set[int] = set()
    while todo:
        x = todo.pop()
        if x in region:
            continue
        c = of.get(x)
        if c is None:
            new = [x]
        else:
            new = sentences[c]
            link_ids.update(members[c])
        region.update(new)
        for y in new:
            todo.extend(z for z in user.get(y, ()) if z not in region)
    return region, link_ids


def _patched_index(
    old: list[dict[int, list[Counterpart]]],
    links: list[Link],
    kind: str,
    touched: dict[int, set[int]],
) -> list[dict[int, list[Counterpart]]]:
    fresh: dict[SentenceRef, list[Counterpart]] = {}
    for x in links:
        if x.kind != kind:
            continue
        fresh.setdefault(x.a, []).append(Counterpart(x.b[0], x.b[1], x.confidence, x.by))
        fresh.setdefault(x.b, []).append(Counterpart(x.a[0], x.a[1], x.confidence, x.by))
    out = list(old)
    for s, xs in touched.items():
        before = old[s]
        changed: dict[int, list[Counterpart] | None] = {}
        for i in xs:
            found = fresh.get((s, i))
            if found:
                found.sort(key=lambda c: (c.source, -c.score, c.sentence))
            if found != before.get(i, []):
                changed[i] = found or None
        if changed:  # a source with nothing changed keeps its index (no copy)
            per_source = out[s] = dict(before)
            for i, found in changed.items():
                if found is None:
                    per_source.pop(i, None)
                else:
                    per_source[i] = found
    return out


def _best(cs: list[Counterpart] | None) -> dict[int, int]:
    """The best counterpart in each source (the first of its source in the list)."""
    out: dict[int, int] = {}
    for c in cs or ():
        out.setdefault(c.source, c.sentence)
    return out


#: per pair of sources: the sentences of the first with a counterpart in the second,
#: and that counterpart (see ``Alignment._anchors``)
Anchors = tuple[list[int], list[int]]
Key = tuple[int, int]
#: sentence -> its best counterpart in the other source now (None: none)
Changes = dict[int, "int | None"]


class PatchedAnchors(dict[Key, Anchors]):
    """The anchors of a corrected alignment. A pair of sources whose anchors a
    correction changed is built on first use, from the lists it had and the changes
    (``pending``): :meth:`Alignment.locate` asks only for a sentence without a
    counterpart in the other source, so most corrections never copy the lists of
    thousands of entries. Read as the dict it stands for."""

    def __init__(self, done: dict[Key, Anchors], pending: dict[Key, tuple[Anchors, Changes]]):
        super().__init__(done)
        self.pending = pending

    def __missing__(self, key: Key) -> Anchors:
        recipe = self.pending.get(key)
        if recipe is None:
            raise KeyError(key)
        (xs, ys), changes = recipe
        xs, ys = list(xs), list(ys)
        for i in sorted(changes):
            j = changes[i]
            k = bisect_left(xs, i)
            here = k < len(xs) and xs[k] == i
            if j is None:
                if here:
                    del xs[k]
                    del ys[k]
            elif here:
                ys[k] = j
            else:
                xs.insert(k, i)
                ys.insert(k, j)
        self[key] = (xs, ys)
        self.pending.pop(key, None)
        return xs, ys


def _patched_anchors(
    al: Alignment,
    adjacency: list[dict[int, list[Counterpart]]],
    touched: dict[int, set[int]],
) -> PatchedAnchors:
    old_adj, old = al._adjacency, al._anchors
    changes: dict[Key, Changes] = {}
    for s, xs in touched.items():
        for i in xs:
            before, after = _best(old_adj[s].get(i)), _best(adjacency[s].get(i))
            if before != after:
                for t in before.keys() | after.keys():
                    changes.setdefault((s, t), {})[i] = after.get(t)
    done = dict(old.items())  # the pairs built (all of them, from the aligner)
    pending = dict(old.pending) if isinstance(old, PatchedAnchors) else {}
    for key, new in changes.items():
        if key in done:
            pending[key] = (done.pop(key), new)
        else:  # changed again before it was built: one recipe, the later change wins
            lists, older = pending[key]
            pending[key] = (lists, {**older, **new})
    return PatchedAnchors(done, pending)


def _patched_spread(
    old: list[list[int]], links: list[Link], touched: dict[int, set[int]]
) -> list[list[int]]:
    root = connected((link.a, link.b) for link in links if link.kind == COUNTERPART)
    groups: dict[SentenceRef, set[int]] = {}
    for x, r in root.items():
        groups.setdefault(r, set()).add(x[0])
    wanted = {(s, i): 1 for s, xs in touched.items() for i in xs}
    for x, r in root.items():
        wanted[x] = len(groups[r])
    out = list(old)
    copied: set[int] = set()
    for (s, i), k in wanted.items():
        if out[s][i] != k:
            if s not in copied:  # a source with nothing changed keeps its list
                copied.add(s)
                out[s] = list(old[s])
            out[s][i] = k
    return out
