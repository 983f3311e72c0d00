"""Extract: per-article analysis of the cleaned text (parse, entities, dates, quotes, figures, events,
sentence embeddings)."""
