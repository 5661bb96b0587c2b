"""The pure core: loading, segmentation, alignment. Never imports Textual."""
