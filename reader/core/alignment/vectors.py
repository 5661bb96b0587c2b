"""Sentence vectors for a source: from the disk cache where known, encoded otherwise.

:func:`sentence_vectors` is what the alignment worker calls for a source that takes
part in a pair of sources in different languages. It encodes only the sentence texts
the cache does not hold (each distinct text once), in batches, reporting progress
after each batch and stopping between batches when asked to (:class:`EncodingCancelled`);
what was encoded before a stop is already in the cache, so the next open resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from reader.core.alignment.encoders import Encoder, unit_rows
from reader.core.alignment.vector_cache import VectorCache

BATCH = 256  # sentences per encoder call: ~0.3 s on two cores, so a stop is quick


class EncodingCancelled(Exception):
    """The caller asked to stop; vectors encoded so far were kept in the cache."""


def sentence_vectors(
    encoder: Encoder,
    texts: Sequence[str],
    cache: VectorCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> np.ndarray:
    """Unit vectors of ``texts`` (float32, one row per text, in order).

    ``progress(done, total)`` counts the distinct texts not found in the cache;
    ``should_stop()`` is checked before each batch and makes this raise
    :class:`EncodingCancelled`.
    """
    distinct = list(dict.fromkeys(texts))
    index = {t: k for k, t in enumerate(distinct)}
    if cache is not None and cache.enabled:
        vecs, found = cache.get(encoder.name, encoder.dim, distinct)
    else:
        vecs = np.zeros((len(distinct), encoder.dim), dtype=np.float32)
        found = np.zeros(len(distinct), dtype=bool)
    todo = np.flatnonzero(~found)
    total = len(todo)
    if progress:
        progress(0, total)
    for b0 in range(0, total, max(1, batch)):
        if should_stop is not None and should_stop():
            raise EncodingCancelled(f"stopped after {b0} of {total} sentences")
        rows = todo[b0 : b0 + batch]
        chunk = [distinct[r] for r in rows]
        out = unit_rows(encoder.encode(chunk))
        if out.shape != (len(chunk), encoder.dim):
            raise ValueError(
                f"encoder {encoder.name} returned shape {out.shape} "
                f"for {len(chunk)} sentences of dimension {encoder.dim}"
            )
        # kept at the cache's precision, so a first open and a re-open align alike
        out = out.astype(np.float16).astype(np.float32)
        vecs[rows] = out
        if cache is not None:
            cache.put(encoder.name, chunk, out)
        if progress:
            progress(min(total, b0 + len(rows)), total)
    if len(distinct) == len(texts):
        return vecs
    return vecs[[index[t] for t in texts]]
