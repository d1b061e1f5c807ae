"""What a test needs from the machine (a program, a package): found, or the test is skipped
visibly, and fails under CI, where everything is installed."""

from __future__ import annotations

import importlib.util
import os
import shutil
from typing import NoReturn

import pytest

MATPLOTLIB_HINT = "pip install matplotlib: without it report.html has the tables only, no plots"


def unavailable(reason: str) -> NoReturn:
    """Skip the test (visibly) for want of `reason`'s program or package.

    Under CI (`CI` set) this fails instead: .ci/run installs every server and the test extra, so a
    skip there would hide a broken install step."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run should have installed it")
    pytest.skip(reason)


def require_binary(*names: str, hint: str) -> str:
    """The first of `names` on PATH (a name may be an absolute path); `unavailable` when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    unavailable(f"{' / '.join(names)} not found on PATH ({hint})")


def require_module(module: str, hint: str) -> None:
    """`module` can be imported; `unavailable` when it cannot."""
    if importlib.util.find_spec(module) is None:
        unavailable(f"{module} is not installed ({hint})")
