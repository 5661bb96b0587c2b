"""What the reader reads in: one pane per source (title, sentence view, overview strip),
the rows they paint, and the deck that lines them up on the current sentence."""
