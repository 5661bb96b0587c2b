"""Stage 3, what the reader keeps: marks anchored in the texts (:mod:`.marks`), the
three-way merge of records kept by several writers (:mod:`.records`), and the
sidecar file they are saved in (:mod:`.storage`)."""
