"""The one exception tree of storyline.

Library code raises only these; the CLI turns them into one-line messages and
exit codes::

    StorylineError
    ├── InputError            bad input; names the input and the reason
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── InputTooLarge
    │   ├── EncodingProblem
    │   ├── NoArticleText
    │   ├── NotEnglish
    │   ├── UnsupportedFormat
    │   ├── FetchError        dead link, timeout, HTTP error
    │   └── ManifestError
    ├── ModelError            an NLP model cannot be loaded
    ├── ClusterError          a Dask cluster cannot be reached or lost the work (--cluster)
    ├── StoreError            the SQLite store cannot be used
    │   ├── MigrationError
    │   └── NotFoundError     a story, source or problem report the store does not hold
    ├── SchemaError           a dossier does not match its JSON Schema
    └── ProblemReportError    a report of a problem that cannot be taken (unknown item, bad category)
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class InputError(StorylineError):
    """One input (file, URL, feed entry) cannot be used; the batch goes on."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class InputTooLarge(InputError):
    pass


class EncodingProblem(InputError):
    pass


class NoArticleText(InputError):
    pass


class NotEnglish(InputError):
    pass


class UnsupportedFormat(InputError):
    pass


class FetchError(InputError):
    pass


class ManifestError(InputError):
    pass


class ModelError(StorylineError):
    pass


class ClusterError(StorylineError):
    """A Dask scheduler cannot be reached, has no workers, or a batch of work cannot be run there."""


class StoreError(StorylineError):
    pass


class MigrationError(StoreError):
    pass


class NotFoundError(StoreError):
    pass


class SchemaError(StorylineError):
    pass


class ProblemReportError(StorylineError):
    pass
