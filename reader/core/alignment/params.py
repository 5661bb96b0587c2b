"""Tunable parameters of the aligner, with the values measured best (see README)."""

from __future__ import annotations

from dataclasses import dataclass

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
    max_df: int = 120  # terms in more sentences of one source are not indexed
    # (constant, so candidate generation stays linear)
    block_rows: int = 4096
    calibration: Calibration = CALIBRATION
    nway_calibration: Calibration = NWAY_CALIBRATION
    # confidence a link needs to be a counterpart, per strictness; below related_floor
    # a proposed link is not listed at all
    bars: tuple[tuple[str, float], ...] = (("strict", 0.8), ("normal", 0.5), ("loose", 0.35))
    related_floor: float = 0.15
    # confidence of two sentences a group joins with no link of their own, from the
    # weakest link between them: logistic(slope * logit(weakest) + intercept); None: no such
    implied: tuple[float, float] | None = (0.76, -0.29)
    strictness: str = "normal"


DEFAULT = Settings()
