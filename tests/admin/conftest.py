"""Cheap password hashes for the admin tests (argon2's real cost is tested where it matters:
tests/frontends/web/test_admin_security.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.admin.support import cheap_hashes


@pytest.fixture(scope="module", autouse=True)
def _cheap_hashes() -> Iterator[None]:
    with cheap_hashes():
        yield
