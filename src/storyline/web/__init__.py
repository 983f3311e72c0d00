"""Web: the FastAPI app that serves stored stories, its templates and static files."""
