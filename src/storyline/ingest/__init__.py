"""Ingest: read files, folders, feeds and URLs into articles, clean them, keep exact offsets (spans)."""
