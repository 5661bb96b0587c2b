"""The reader's marks on screen: the keeper that owns and saves them, the book that
answers questions about them, the marks panel and the note-and-colour dialog."""
