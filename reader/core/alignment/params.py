"""Tunable parameters of the aligner, with the values measured best (see README)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reader.core.alignment.confidence import Calibration

#: Fitted by ``benchmarks/fit_confidence.py`` (see the README, "Confidence").
CALIBRATION = Calibration(
    coef=(3.173, 1.234, 0.745, 2.022, 1.436, -0.226, 0.394, -0.423, 3.001, 0.542),
    intercept=-2.888,
)

#: The confidence revised by the other sources (see reader.core.alignment.confidence.agreement).
NWAY_CALIBRATION = Calibration(
    coef=(0.839, 0.862, 0.153),
    intercept=-0.494,
)


#: The confidence of links between sources in different languages (scored with sentence
#: vectors: other evidence, so another model). Fitted by
#: ``benchmarks/fit_confidence.py --cross`` (see the README, "Confidence").
CROSS_CALIBRATION = Calibration(
    coef=(1.599, 1.731, 1.096, 1.675, 0.464, -0.833, 0.0, 0.0, 0.738, 1.907),
    intercept=-2.012,
)
CROSS_NWAY_CALIBRATION = Calibration(
    coef=(0.655, -0.176, 0.989),
    intercept=-0.864,
)


@dataclass(frozen=True)
class CrossSettings:
    """Pairs of sources in different languages (:mod:`reader.core.alignment.crosslang`): the
    steps are the same as within one language, the scores are not (a margin of vector
    cosines, around 1 for a translation, against a weighted Dice), so the thresholds
    that differ are here, on the scale of the encoder (Universal Sentence Encoder
    multilingual v3: the cosine of two sentences covering the same verse has a median
    of 0.58, of two random ones 0.15; the margin of the first a median of 1.16)."""

    knn: int = 4  # hubness: mean cosine of a sentence's k nearest
    threshold: float = 1.0  # margin a link needs to be proposed
    min_own: float = 0.30  # cosine a link needs, whatever its context
    context_weight: float = 0.0  # neighbourhood bonus (the order does this better)
    anchor_min: float = 1.05  # margin of a mutual best pair to anchor the order
    anchor_weak: float = 1.0  # ... of a weaker one inside a gap of the chain
    gap_bonus: float = 0.30  # bonus for a pair inside a small gap between anchors
    cross_keep: float = 1.30  # a pair crossing the chain needs this margin ...
    cross_margin: float = 0.10  # ... and to beat its sentences' other candidates by this
    extra_threshold: float = 1.05  # other candidates proposed beside the selection's
    merge_gain: float = 0.02  # cosine a merged vector must gain
    calibration: Calibration = CROSS_CALIBRATION
    nway_calibration: Calibration = CROSS_NWAY_CALIBRATION


@dataclass(frozen=True)
class Settings:
    threshold: float = 0.20  # final score a link needs to be proposed at all
    min_own: float = 0.10  # Dice a pair needs on its own words, whatever its context
    context_weight: float = 0.35  # weight of the neighbourhood bonus
    top_k: int = 6  # candidates kept per sentence and direction
    anchor_min: float = 0.45  # score of a mutual best pair to anchor the order
    anchor_weak: float = 0.30  # a weaker one anchors only inside a gap of the chain
    parallel_min: float = 0.25  # parallel texts: chain length / sentences of the shorter text
    parallel_in_order: float = 0.9  # parallel texts: share of strong pairs on the chain
    parallel_anchors: int = 8  # parallel texts: fewest anchors on the chain
    gap_bonus: float = 0.12  # bonus for a pair inside a small gap between anchors
    gap_max: int = 16  # largest gap (sentences) that earns the bonus
    cross_keep: float = 0.60  # a pair crossing the anchor chain needs this score
    cross_margin: float = 0.10  # ... and to beat both its sentences' other candidates by this
    extra_threshold: float = 0.25  # other candidates proposed beside the selection's
    hub_weight: float = 1.0  # margins: how much of each sentence's hubness is taken off
    hub_k: int = 3  # ... measured as the mean of its k best scores
    merge_gain: float = 0.03  # an n-1 merge must improve the similarity by this much
    merge_max: int = 4  # most sentences merged into one
    min_shared_words: int = 2  # rewrites: content words two sentences must share
    # (unless nearly the same text)
    max_df: int = 120  # terms in more sentences of one source are not indexed
    # (constant, so candidate generation stays linear)
    block_rows: int = 4096
    calibration: Calibration = CALIBRATION
    nway_calibration: Calibration = NWAY_CALIBRATION
    # confidence a link needs to be a counterpart, per strictness; below related_floor
    # a proposed link is not listed at all
    bars: tuple[tuple[str, float], ...] = (("strict", 0.8), ("normal", 0.45), ("loose", 0.35))
    related_floor: float = 0.15
    # confidence of two sentences a group joins with no link of their own, from the
    # weakest link between them: logistic(slope * logit(weakest) + intercept); None: no such
    implied: tuple[float, float] | None = (0.76, -0.29)
    strictness: str = "normal"
    cross: CrossSettings = CrossSettings()

    def for_vectors(self) -> Settings:
        """These settings with the thresholds of :attr:`cross` (pairs in different
        languages, scored by sentence vectors)."""
        c = self.cross
        return replace(
            self,
            threshold=c.threshold,
            min_own=c.min_own,
            context_weight=c.context_weight,
            anchor_min=c.anchor_min,
            anchor_weak=c.anchor_weak,
            gap_bonus=c.gap_bonus,
            cross_keep=c.cross_keep,
            cross_margin=c.cross_margin,
            extra_threshold=c.extra_threshold,
            merge_gain=c.merge_gain,
            min_shared_words=0,
            hub_weight=0.0,
            calibration=c.calibration,
            nway_calibration=c.nway_calibration,
        )


DEFAULT = Settings()
