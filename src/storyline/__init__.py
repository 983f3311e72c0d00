"""storyline: read many news articles about one story and say what is actually known, with citations."""

__version__ = "0.1.0"
