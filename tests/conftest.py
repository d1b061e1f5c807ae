"""The suite's root conftest: the hypothesis profile and the shared fixtures (tests/helpers/)."""

from __future__ import annotations

import os

from hypothesis import settings

pytest_plugins = ["helpers.fixtures"]

# CI tries the same examples every run: a new random find (the property tests keep finding
# parser corners) is reported by a local run, not by blocking unrelated work from landing.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
