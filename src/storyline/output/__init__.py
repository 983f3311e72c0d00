"""Output: the dossier record and the reports written from it (JSON, Markdown, HTML)."""
