"""Stage 4, exports: the passages to export, from marks or shared passages
(:mod:`.passages`), and each format's writer (:mod:`.html_page` ...)."""
