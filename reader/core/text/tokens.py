"""Word tokens for matching: case and accent folding, number normalisation, stems.

Matching works on *terms*: each word of a sentence folded to lower case without
accents, numbers normalised (``13th`` → ``13``, ``050`` → ``50``) and other words
cut to a short prefix (a light, language-neutral stemmer: ``sanctions`` and
``sanction`` meet, so do ``ameaçou`` and ``ameaça``). Names garbled by machine
translation (``Pasky``/``Psaki``, ``Ushkov``/``Ushakov``) also meet through an
extra *skeleton* term: the consonants of a capitalised word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: A word, or a number written with separators (``210,000``, ``38.000``, ``1.2``) as one.
WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+", re.UNICODE)
_GROUPED = re.compile(r"^\d+(?:[.,]\d+)+$")
STEM_LENGTH = 6
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|º|ª|o|a|er|e|ème)$")
_VOWELS = frozenset("aeiouyw")

#: Function words of the languages we see most (English, Portuguese, Spanish,
#: French, German). They still count, with a small weight, so that corpora too
#: small for document frequencies (two sentences) are not dominated by them.
_STOPWORDS = """
a an the and or but if of to in on at by for from with as is are was were be been being
it its this that these those he she they we you i his her their our your my me him them us
not no so than then there here has have had do does did will would shall should can could
may might must also just into over about after before up down out all any some such only
said says say told
o os as um uma uns umas e ou mas se de do da dos das em no na nos nas por para com como
que é foi são ser ter tem há ao aos à às pelo pela pelos pelas seu sua seus suas ele ela
eles elas isso este esta esse essa não mais já também disse diz
el la los las un una y o pero en con por para es fue son del al lo le les su sus se
le la les un une et ou mais de du des en dans par pour avec est sont il elle ils qui que
der die das ein eine und oder aber in im am an auf mit von zu ist sind war nicht es er sie
"""


@lru_cache(maxsize=1 << 18)
def fold(word: str) -> str:
    """Lower-case ``word`` and strip its accents (``Ação`` → ``acao``)."""
    low = word.casefold()
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 18)
def term(word: str) -> str:
    """The matching term of one word (see the module docstring)."""
    f = fold(word)
    if _GROUPED.match(f):
        return _number(f)
    if f[:1].isdigit():
        m = _ORDINAL.match(f)
        if m:
            f = m.group(1)
        if f.isdigit():
            return f.lstrip("0") or "0"
        return f
    if len(f) > 3 and f[-1] == "s" and f[-2] not in "su":
        f = f[:-1]  # a plural: homes/home, waists/waist, casas/casa
    return f[:STEM_LENGTH]


def _number(f: str) -> str:
    """``210,000`` and ``210.000`` → ``210000`` (groups of three digits after the first
    separator); ``1.2`` and ``1,2`` → ``1.2`` (a decimal)."""
    parts = re.split(r"[.,]", f)
    if all(len(p) == 3 for p in parts[1:]):
        return "".join(parts).lstrip("0") or "0"
    if len(parts) == 2:
        return (parts[0].lstrip("0") or "0") + "." + parts[1]
    return "".join(parts)


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str | None:
    """A consonant skeleton for a capitalised name, or None for other words."""
    if len(word) < 4 or not word[0].isupper() or not word[1:].islower():
        return None
    f = fold(word)
    if f in STOPWORDS:
        return None
    cons = [c for c in f[1:] if c not in _VOWELS and c.isalpha()]
    if len(cons) < 2:
        return None
    # collapse doubled consonants: Ushakov/Uschakov, Psaki/Pssaki
    out = [f[0] if f[0] not in _VOWELS else ""]
    for c in cons:
        if not out or out[-1] != c:
            out.append(c)
    return "~" + "".join(out)


def sentence_terms(text: str, start: int, end: int) -> list[str]:
    """The terms of one sentence, in order, with the name skeletons appended."""
    words = WORD.findall(text, start, end)
    terms = list(map(term, words))
    # not the first word's: it is capitalised anyway
    terms += [sk for sk in map(skeleton, words[1:]) if sk is not None]
    return terms


#: The function words as matching terms (folded and cut like every word), so that
#: ``não`` and ``também`` are recognised in the folded terms they become.
STOPWORDS = frozenset(term(w) for w in _STOPWORDS.split())


def names_and_numbers(text: str, start: int, end: int) -> list[tuple[str, tuple[int, int]]]:
    """The numbers (normalised: ``13th`` = ``13``) and the capitalised words other than
    the first (folded; function words left out) of a sentence, each with its span: what
    two sentences in different languages can share literally."""
    out = []
    for k, m in enumerate(WORD.finditer(text, start, end)):
        w = m.group()
        if w[0].isdigit():
            out.append((term(w), m.span()))
        elif (
            k > 0
            and len(w) >= 3
            and w[0].isupper()
            and not w.isupper()
            and term(w) not in STOPWORDS
        ):
            out.append((fold(w), m.span()))
    return out
