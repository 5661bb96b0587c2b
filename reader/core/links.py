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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

SentenceRef = tuple[int, int]  # (source index, sentence index)

COUNTERPART = "counterpart"
RELATED = "related"

STRICT, NORMAL, LOOSE = "strict", "normal", "loose"
STRICTNESS = (STRICT, NORMAL, LOOSE)

BY_ALIGNER = "aligner"
BY_BRIDGE = "bridge"  # proposed because both sentences link to one sentence of a third source


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


def order_key(link: Link, names: Sequence[str]) -> tuple:
    """Most confident first; ties broken by source names and sentence numbers, so the
    order (and every decision taken in it) does not depend on the order of the files."""
    ends = sorted(((names[link.a[0]], link.a[1]), (names[link.b[0]], link.b[1])))
    return (-link.confidence, ends)


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


def classify(pool: Iterable[Link], names: Sequence[str], bar: float, floor: float,
             parallel: frozenset[tuple[int, int]] = frozenset()) -> list[Link]:
    """The pool's links with their kind at confidence ``bar``. Links below ``floor`` are
    dropped.

    A link joins its two groups when it clears ``bar`` and the joined group still has
    one sentence per source, or more than one only where the link is a split: one of
    its ends is already linked directly to the other sentences of that source in the
    group. Otherwise it is related. Between two sources that run in ``parallel``
    (pairs of source indexes, smaller first), where the order of the texts vouches
    for each link, sentence boundaries often differ (one sentence for two verses):
    such links join whatever groups they touch.
    """
    links = sorted((x for x in pool if x.confidence >= floor), key=lambda x: order_key(x, names))
    groups = _Groups()
    direct: set[tuple[SentenceRef, SentenceRef]] = set()
    out: list[Link] = []
    for link in links:
        if link.confidence < bar:
            out.append(replace(link, kind=RELATED))
            continue
        ra, rb = groups.find(link.a), groups.find(link.b)
        ordered = (link.a[0], link.b[0]) in parallel
        if ra != rb and not ordered and not _can_join(groups, ra, rb, link, direct):
            out.append(replace(link, kind=RELATED))
            continue
        if ra != rb:
            groups.union(ra, rb)
        direct.add((link.a, link.b))
        out.append(replace(link, kind=COUNTERPART))
    out.sort(key=lambda x: (x.a, x.b))
    return out


def _can_join(groups: _Groups, ra: SentenceRef, rb: SentenceRef, link: Link,
              direct: set[tuple[SentenceRef, SentenceRef]]) -> bool:
    ma, mb = groups.members[ra], groups.members[rb]
    for s in ma.keys() & mb.keys():
        # a split: the link's end in the other source is linked directly to every
        # sentence of source s on the far side
        if s == link.a[0]:
            near, far_members = link.b, mb[s]
        elif s == link.b[0]:
            near, far_members = link.a, ma[s]
        else:
            return False
        if not all(_linked(direct, near, (s, k)) for k in far_members):
            return False
    return True


def _linked(direct: set[tuple[SentenceRef, SentenceRef]], x: SentenceRef, y: SentenceRef) -> bool:
    return ((x, y) if x[0] < y[0] else (y, x)) in direct
