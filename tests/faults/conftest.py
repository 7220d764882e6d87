"""Fault tests: real processes and databases under crashes, outages and refusals.

Marked `faults`; they run with the rest (`python -m pytest`) and alone with `-m faults`.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)
