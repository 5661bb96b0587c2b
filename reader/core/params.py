"""Tunable parameters of the aligner, with the values measured best (see README)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    threshold: float = 0.28          # final score a link needs
    min_own: float = 0.14            # Dice a pair needs on its own words, whatever its context
    context_weight: float = 0.35     # weight of the neighbourhood bonus
    transitive_min_own: float = 0.05 # own Dice for a pair rescued by a third source
    top_k: int = 6                   # candidates kept per sentence and direction
    anchor_min: float = 0.45         # score of a mutual best pair to anchor the order
    anchor_weak: float = 0.30        # a weaker one anchors only inside a gap of the chain
    parallel_min: float = 0.25       # parallel texts: chain length / sentences of the shorter text
    parallel_in_order: float = 0.9   # parallel texts: share of strong pairs on the chain
    parallel_anchors: int = 8        # parallel texts: fewest anchors on the chain
    gap_bonus: float = 0.12          # bonus for a pair inside a small gap between anchors
    gap_max: int = 16                # largest gap (sentences) that earns the bonus
    cross_keep: float = 0.60         # a pair crossing the anchor chain needs this score
    merge_gain: float = 0.03         # an n-1 merge must improve the similarity by this much
    merge_max: int = 4               # most sentences merged into one
    max_df: int = 120                # terms in more sentences of one source are not indexed
                                     # (constant, so candidate generation stays linear)
    block_rows: int = 4096


DEFAULT = Settings()
