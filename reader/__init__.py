"""reader: read several versions of the same story side by side."""

__version__ = "0.1.0"
