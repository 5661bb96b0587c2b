"""Links between sentences, their two kinds, and the consistent groups they form.

The aligner proposes a *pool* of links, each with a calibrated ``confidence`` (the
measured probability that the two sentences are true counterparts). What counts as a
counterpart depends on the reader's strictness: a link whose confidence clears the
level's bar, and that keeps the groups consistent, is a ``counterpart`` (it drives
sync, highlighting, "shared by k of N", the export); every other link of the pool is
``related`` (shown quietly, never moves a pane).

Groups are *consistent sets*: at most one sentence per source, except a split the
words support (a sentence of one source linked directly to two or more sentences of
another, which the selection only does when they match it better together). They are
built greedily, most confident link first, so a weak link can never chain two strong
groups into one, and a stricter level's counterparts are always counterparts of a
looser level too (strict ⊆ normal ⊆ loose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

SentenceRef = tuple[int, int]  # (source index, sentence index)

COUNTERPART = "counterpart"
RELATED = "related"

STRICT, NORMAL, LOOSE = "strict", "normal", "loose"
STRICTNESS = (STRICT, NORMAL, LOOSE)

_NEIGHBOURS = 1  # sentences this close may be the two halves of a split
#: a sentence bridges pairs (:func:`_bridged`) among its most confident partners only:
#: with hundreds of versions of one story, every pair of its partners would be
#: quadratic in the number of sources (five sources give at most four partners)
_BRIDGE_PARTNERS = 16
#: most sentences of one source a group joined by links between parallel sources may
#: hold (a long verse that another translation splits into several sentences; 8 keeps
#: every group of the Bible cases, and stops chains of hundreds of sentences)
_PARALLEL_MAX = 8

BY_ALIGNER = "aligner"
BY_GROUP = "group"  # both sentences sit in one consistent group that no link of theirs states
BY_USER = "user"  # added by the reader: always a counterpart, joins whatever groups it touches


@dataclass(frozen=True)
class Link:
    """Two aligned sentences of different sources; ``a[0] < b[0]``.

    ``score`` is the lexical similarity that selected the link; ``confidence`` the
    calibrated probability that it is a true counterpart; ``kind`` counterpart or
    related at the alignment's strictness; ``by`` who made it."""

    a: SentenceRef
    b: SentenceRef
    score: float
    confidence: float = 1.0
    kind: str = COUNTERPART
    by: str = BY_ALIGNER


def connected(
    pairs: Iterable[tuple[SentenceRef, SentenceRef]],
) -> dict[SentenceRef, SentenceRef]:
    """Every sentence of ``pairs``, in the order first seen, with its connected set's
    representative (the set's smallest sentence)."""
    parent: dict[SentenceRef, SentenceRef] = {}

    def find(x: SentenceRef) -> SentenceRef:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def decision_order(links: Sequence[Link], names: Sequence[str]) -> list[int]:
    """Indexes of ``links``, most confident first; ties broken by source names and
    sentence numbers, so that the order (and every decision taken in it) does not
    depend on the order of the files."""
    if not links:
        return []
    import numpy as np  # here: the reading view imports this module before its first frame

    rank = {n: r for r, n in enumerate(sorted(range(len(names)), key=lambda k: names[k]))}
    conf = np.array([x.confidence for x in links])
    a = np.array([(rank[x.a[0]], x.a[1]) for x in links])
    b = np.array([(rank[x.b[0]], x.b[1]) for x in links])
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(swap[:, None], b, a)
    hi = np.where(swap[:, None], a, b)
    return np.lexsort((hi[:, 1], hi[:, 0], lo[:, 1], lo[:, 0], -conf)).tolist()


class _Groups:
    """Union-find over sentences, each root knowing its members by source."""

    def __init__(self) -> None:
        self.parent: dict[SentenceRef, SentenceRef] = {}
        self.members: dict[SentenceRef, dict[int, list[int]]] = {}

    def find(self, x: SentenceRef) -> SentenceRef:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            self.members[x] = {x[0]: [x[1]]}
            return x
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, ra: SentenceRef, rb: SentenceRef) -> None:
        ma, mb = self.members[ra], self.members[rb]
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        self.parent[rb] = ra
        for s, xs in mb.items():
            ma.setdefault(s, []).extend(xs)
        del self.members[rb]


def classify(
    pool: Sequence[Link],
    order: Sequence[int],
    bar: float,
    parallel: frozenset[tuple[int, int]] = frozenset(),
    implied: Callable[[float], float] | None = None,
    confident: float | None = None,
    stricter: Sequence[float] = (),
    apart: frozenset[tuple[SentenceRef, SentenceRef]] = frozenset(),
) -> list[Link]:
    """The links of ``pool`` with their kind at confidence ``bar``, deciding them in
    ``order`` (see :func:`decision_order`); the result keeps the pool's order.

    A link joins its two groups when it clears ``bar`` and the joined group still has
    one sentence per source, or two where they are the halves of a split (see
    :func:`_can_join`). Otherwise it is related. Between two sources that run in
    ``parallel`` (pairs of source indexes, smaller first), where the order of the texts
    vouches for each link, sentence boundaries often differ (one sentence for two
    verses): such links join whatever groups they touch, up to :data:`_PARALLEL_MAX`
    sentences of one source in a group.

    With ``implied``, two sentences of a group that no link joins directly are
    counterparts too (``by="group"``, see :func:`_implied`); so are those the groups
    implied when the decisions reached each of the ``stricter`` bars (the bars of the
    stricter levels), so that a pair a stricter level implies stays a counterpart when
    weaker links make its group inconsistent.

    ``confident`` (default ``bar``) is the confidence of a link that vouches for a
    split. Every decision depends only on the links decided before it, never on
    ``bar`` (which only says where to stop): so with one ``confident`` for every
    level, a stricter level's counterparts are counterparts at a looser one too.

    The reader's corrections: links ``by="user"`` are decided after all the others and
    join whatever groups they touch (so adding a link never takes a counterpart
    away); ``apart`` (pairs, smaller source first) are sentences the reader unlinked:
    no other link may put them in one group, and no group implies them.
    """
    groups = _Groups()
    kept_apart = _apart_index(apart)
    least = bar if confident is None else confident
    strong = {(x.a, x.b) for x in pool if x.confidence >= least}
    kinds = [RELATED] * len(pool)
    # pairs joined by a link while both groups had one sentence per source: decided most
    # confident first, that link is the weakest on the path between them
    joined: list[tuple[SentenceRef, SentenceRef, float]] = []
    found: dict[tuple[SentenceRef, SentenceRef], float] = {}
    checkpoints = sorted((x for x in stricter if x > bar), reverse=True)
    decided: list[int] = []
    seen = [0]  # joined pairs a snapshot has judged (groups only grow: a group that was
    # not one sentence per source then never is again, one that was keeps its pairs)

    snapshots: list[list[Link]] = []  # the counterparts where each stricter level stops

    def snapshot(final: bool = False) -> None:
        done = [pool[i] for i in decided if kinds[i] == COUNTERPART]
        implied_here = _implied(groups, joined[seen[0] :], done, bridged=final)
        seen[0] = len(joined)
        if final:
            # a sentence that bridged a pair at a stricter level and has gained a
            # counterpart since (in one of the pair's sources) no longer does: its pairs
            # from then stay implied. Only those sentences are looked at again.
            for before in snapshots:
                earlier = {(x.a, x.b) for x in before}
                centres = {e for x in done if (x.a, x.b) not in earlier for e in (x.a, x.b)}
                if centres:
                    touching = [x for x in before if x.a in centres or x.b in centres]
                    _add_bridged(implied_here, _bridged(touching, centres), earlier)
        else:
            snapshots.append(done)
        for key, weakest in implied_here.items():
            if weakest > found.get(key, 0.0):
                found[key] = weakest

    users = [k for k in order if pool[k].by == BY_USER]
    for k in _machine_first(pool, order, bar, users):
        link = pool[k]
        user = link.by == BY_USER
        while implied is not None and checkpoints and not user and link.confidence < checkpoints[0]:
            snapshot()  # where a stricter level stops
            checkpoints.pop(0)
        decided.append(k)
        ra, rb = groups.find(link.a), groups.find(link.b)
        if ra != rb:
            if user:
                pass  # the reader's decision beats the consistency rule
            elif (link.a[0], link.b[0]) in parallel:
                if not _fits(groups, ra, rb, _PARALLEL_MAX):
                    continue
            elif not _can_join(groups, ra, rb, link, strong):
                continue
            if kept_apart and not user and _kept_apart(groups, ra, rb, kept_apart):
                continue
            if implied is not None:
                _cross(groups, ra, rb, link.confidence, joined)
            groups.union(ra, rb)
        kinds[k] = COUNTERPART
    out = [
        x if x.kind == kind else Link(x.a, x.b, x.score, x.confidence, kind, x.by)
        for x, kind in zip(pool, kinds)
    ]
    if implied is not None:
        snapshot(final=True)
        direct = {(x.a, x.b) for x in out if x.kind == COUNTERPART}
        extra = {
            key: Link(key[0], key[1], 0.0, round(implied(c), 4), COUNTERPART, BY_GROUP)
            for key, c in found.items()
            if key not in direct and key not in apart
        }
        # a related link the group implies becomes a counterpart (by the group)
        out = [_promote(x, extra.pop((x.a, x.b))) if (x.a, x.b) in extra else x for x in out]
        out += sorted(extra.values(), key=lambda x: (x.a, x.b))
    return out


def _machine_first(
    pool: Sequence[Link], order: Sequence[int], bar: float, users: list[int]
) -> Iterator[int]:
    """The links that clear ``bar`` in ``order`` (stopping at the first that does not:
    the order is by confidence), the reader's links left out, then the reader's."""
    skip = set(users)
    for k in order:
        if pool[k].confidence < bar:
            break  # the order is by confidence: every later link is weaker
        if k not in skip:
            yield k
    yield from users


def _promote(link: Link, implied: Link) -> Link:
    return Link(
        link.a, link.b, link.score, max(link.confidence, implied.confidence), COUNTERPART, BY_GROUP
    )


def _cross(
    groups: _Groups,
    ra: SentenceRef,
    rb: SentenceRef,
    confidence: float,
    out: list[tuple[SentenceRef, SentenceRef, float]],
) -> None:
    ma, mb = groups.members[ra], groups.members[rb]
    if any(len(xs) > 1 for xs in ma.values()) or any(len(xs) > 1 for xs in mb.values()):
        return
    for s, (x,) in ma.items():
        for t, (y,) in mb.items():
            if s != t:
                out.append(((s, x), (t, y), confidence))


def _implied(
    groups: _Groups,
    joined: list[tuple[SentenceRef, SentenceRef, float]],
    counterparts: list[Link],
    bridged: bool = True,
) -> dict[tuple[SentenceRef, SentenceRef], float]:
    """The pairs a group joins with no link of their own, with the weakest link between
    them. In a group of one sentence per source, every such pair (``joined``: the link
    that joined their two groups is the weakest on the path between them); where a
    group holds two sentences of a source (a split, or sentence boundaries that differ
    between translations), only pairs bridged by one sentence that has exactly one
    counterpart in each of their sources (see :func:`_bridged`; a longer chain could
    join pairs that overlap nothing)."""
    direct = {(x.a, x.b) for x in counterparts}
    found: dict[tuple[SentenceRef, SentenceRef], float] = {}

    def add(u: SentenceRef, v: SentenceRef, weakest: float) -> None:
        key = (u, v) if u[0] < v[0] else (v, u)
        if key not in direct and weakest > found.get(key, 0.0):
            found[key] = weakest

    simple: dict[SentenceRef, bool] = {}
    for u, v, c in joined:
        root = groups.find(u)
        ok = simple.get(root)
        if ok is None:
            ok = simple[root] = all(len(xs) == 1 for xs in groups.members[root].values())
        if ok:  # the group is still one sentence per source
            add(u, v, c)
    if bridged:
        _add_bridged(found, _bridged(counterparts), direct)
    return found


def _add_bridged(
    found: dict[tuple[SentenceRef, SentenceRef], float],
    pairs: list[tuple[SentenceRef, SentenceRef, float]],
    direct: set[tuple[SentenceRef, SentenceRef]],
) -> None:
    for u, v, c in pairs:
        key = (u, v) if u[0] < v[0] else (v, u)
        if key not in direct and c > found.get(key, 0.0):
            found[key] = c


def _bridged(
    counterparts: list[Link], centres: set[SentenceRef] | None = None
) -> list[tuple[SentenceRef, SentenceRef, float]]:
    """Pairs of sentences of two different sources that one sentence w of a third source
    links, where w has exactly one counterpart in each of those two sources; with the
    weaker of the two links. Only w's :data:`_BRIDGE_PARTNERS` most confident partners
    count; with ``centres``, only those sentences as w (every link of theirs must be in
    ``counterparts``). Vectorised over all links."""
    if not counterparts:
        return []
    import numpy as np

    width = 1 + max(max(x.a[1], x.b[1]) for x in counterparts)
    a = np.array([x.a[0] * width + x.a[1] for x in counterparts], dtype=np.int64)
    b = np.array([x.b[0] * width + x.b[1] for x in counterparts], dtype=np.int64)
    conf = np.array([x.confidence for x in counterparts])
    w = np.concatenate([a, b])  # each link seen from both of its ends
    p = np.concatenate([b, a])
    c = np.concatenate([conf, conf])
    # a partner that is w's only one in its source
    key = w * (1 + int(max(a.max(), b.max())) // width) + p // width
    order = np.argsort(key, kind="stable")
    w, p, c, key = w[order], p[order], c[order], key[order]
    single = np.r_[True, key[1:] != key[:-1]] & np.r_[key[1:] != key[:-1], True]
    w, p, c = w[single], p[single], c[single]
    if centres is not None:  # only these sentences as w (their links are all given)
        ids = np.array([s * width + i for s, i in centres], dtype=np.int64)
        inside = np.isin(w, ids)
        w, p, c = w[inside], p[inside], c[inside]
    # each w's most confident such partners
    order = np.lexsort((p, -c, w))
    w, p, c = w[order], p[order], c[order]
    starts = np.flatnonzero(np.r_[True, w[1:] != w[:-1]])
    rank = np.arange(len(w)) - np.repeat(starts, np.diff(np.r_[starts, len(w)]))
    keep = rank < _BRIDGE_PARTNERS
    w, p, c = w[keep], p[keep], c[keep]
    starts = np.flatnonzero(np.r_[True, w[1:] != w[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(w)]))
    out: list[tuple[SentenceRef, SentenceRef, float]] = []
    for d in range(1, int(np.diff(np.r_[starts, len(w)]).max(initial=1))):
        x = np.flatnonzero(group[d:] == group[:-d])
        if len(x) == 0:
            break
        u, v = p[x], p[x + d]
        weakest = np.minimum(c[x], c[x + d])
        out.extend(
            ((int(i) // width, int(i) % width), (int(j) // width, int(j) % width), float(k))
            for i, j, k in zip(u.tolist(), v.tolist(), weakest.tolist())
        )
    return out


def _fits(groups: _Groups, ra: SentenceRef, rb: SentenceRef, most: int) -> bool:
    """Would the two groups joined hold at most ``most`` sentences of each source?"""
    ma, mb = groups.members[ra], groups.members[rb]
    if len(ma) > len(mb):
        ma, mb = mb, ma
    return all(len(xs) + len(mb.get(s, ())) <= most for s, xs in ma.items())


def _can_join(
    groups: _Groups,
    ra: SentenceRef,
    rb: SentenceRef,
    link: Link,
    strong: set[tuple[SentenceRef, SentenceRef]],
) -> bool:
    """May ``link`` join these two groups? Where both hold a sentence of one source, only
    as a split in two: the two sentences are neighbours, or one end of the link (in
    another source) has a confident link to each of them (it covers both halves:
    ``A, B.`` written ``A. ... B.``)."""
    ma, mb = groups.members[ra], groups.members[rb]
    for s in ma.keys() & mb.keys():
        if len(ma[s]) + len(mb[s]) > 2:
            return False
        (x,), (y,) = ma[s], mb[s]
        if abs(x - y) <= _NEIGHBOURS:
            continue
        if not any(
            end[0] != s and _linked(strong, end, (s, x)) and _linked(strong, end, (s, y))
            for end in (link.a, link.b)
        ):
            return False
    return True


def _linked(links: set[tuple[SentenceRef, SentenceRef]], x: SentenceRef, y: SentenceRef) -> bool:
    return ((x, y) if x[0] < y[0] else (y, x)) in links


def _apart_index(
    apart: frozenset[tuple[SentenceRef, SentenceRef]],
) -> dict[SentenceRef, list[SentenceRef]]:
    out: dict[SentenceRef, list[SentenceRef]] = {}
    for x, y in apart:
        out.setdefault(x, []).append(y)
        out.setdefault(y, []).append(x)
    return out


def _kept_apart(
    groups: _Groups, ra: SentenceRef, rb: SentenceRef, apart: dict[SentenceRef, list[SentenceRef]]
) -> bool:
    """Would joining these two groups put two sentences the reader unlinked in one?"""
    ma, mb = groups.members[ra], groups.members[rb]
    if len(ma) > len(mb):
        ma, rb = mb, ra
    for s, xs in ma.items():
        for x in xs:
            for y in apart.get((s, x), ()):
                if y in groups.parent and groups.find(y) == rb:
                    return True
    return False
