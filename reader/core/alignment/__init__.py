"""Stage 2, the alignment, in the order of the pipeline (:mod:`.pipeline` runs it):
term matrices and weights (:mod:`.features`), candidate pairs of all sources
(:mod:`.candidates`), linking two sources (:mod:`.pairs`), the evidence and
confidence of a link (:mod:`.confidence`, tuned in :mod:`.params`), kinds, strictness
and consistent groups (:mod:`.links`), the result (:mod:`.model`). Read from it:
matched words and shared passages (:mod:`.spans`), why a sentence is linked
(:mod:`.explain`, :mod:`.refs`), moving through it (:mod:`.navigation`) and what
``reader align`` prints (:mod:`.report`)."""
