"""Placeholder reading view (replaced by the full one)."""
from __future__ import annotations

from textual.app import App


class ReaderApp(App):
    def __init__(self, documents, warnings=()):
        super().__init__()
        self.documents = documents
