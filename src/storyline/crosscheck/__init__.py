"""Cross-check: compare the sources of one story (statements, copies and independence, claims, running
figures, conflicts, offices, source quality, story clustering)."""
