"""Reader: what a reader is shown from a dossier (briefing, what comes next, answers, problem reports,
stored stories and their page views, charts and wording)."""
