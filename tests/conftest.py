"""Shared fixtures: one pipeline run over the bundled sample corpus for the golden tests and the gate."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline (the machines are small and shared); on CI the examples are derandomised so a
# landing never depends on a lucky draw, while local runs keep exploring.
settings.register_profile("storyline", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("storyline")

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import scoring  # noqa: E402


@dataclass(frozen=True)
class SampleRun:
    dossier: dict
    report_md: str
    groups: list[list[str]]
    outdir: Path
    failures: tuple


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """The whole pipeline on examples/sample-story, into a fresh store and report folder (once per session)."""
    workdir = tmp_path_factory.mktemp("sample")
    dossier, report_md, groups, failures = scoring.run_sample(workdir, with_failures=True)
    return SampleRun(dossier, report_md, groups, workdir / "out", tuple(failures))
