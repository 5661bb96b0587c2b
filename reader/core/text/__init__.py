"""Stage 1, the text: files and folders read and decoded (:mod:`.load`), split into
sentences (:mod:`.segment`), words turned into matching terms (:mod:`.tokens`), and
each sentence's part of the page: body, headline or furniture (:mod:`.roles`)."""
