"""A PostgreSQL server of the test's own, for the faults that freeze or stop the server.

The shared test server (BOT_TEST_POSTGRES_URL) serves the other tests, possibly on another
pytest-xdist worker at the same moment: stopping it would fail them. This one is started from
the binaries in BOT_TEST_POSTGRES_BIN (.ci/run sets it) in a fresh data directory on a free
loopback port, run as the `postgres` user (initdb refuses root), and removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.frontends.telegram.process import free_port

BIN_ENV = "BOT_TEST_POSTGRES_BIN"


def _has_postgres_user() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


needs_own_postgres = pytest.mark.skipif(
    not (os.environ.get(BIN_ENV) and os.geteuid() == 0 and _has_postgres_user()),
    reason=f"needs {BIN_ENV}, root and a postgres user (to start a server this test may stop)",
)


def as_postgres(*command: str) -> None:
    """Run one of the server's programs as the `postgres` user."""
    subprocess.run(
        ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)],
        check=True,
        capture_output=True,
    )


@dataclass(frozen=True)
class Server:
    url: str
    data: Path
    root: Path
    options: str

    def pg_ctl(self, *args: str) -> None:
        binary = Path(os.environ[BIN_ENV]) / "pg_ctl"
        as_postgres(str(binary), "-D", str(self.data), "-w", *args)

    def start(self) -> None:
        self.pg_ctl("start", "-l", str(self.root / "log"), "-o", self.options)

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast")


@contextlib.contextmanager
def own_postgres() -> Iterator[Server]:
    """A running server for this test alone; stopped and deleted when the block ends."""
    root = Path(tempfile.mkdtemp(prefix="ipreg-pg-fault."))
    shutil.chown(root, "postgres")
    port = free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
    server = Server(
        f"postgresql://postgres@127.0.0.1:{port}/postgres", root / "data", root, options
    )
    initdb = Path(os.environ[BIN_ENV]) / "initdb"
    try:
        as_postgres(str(initdb), "-D", str(server.data), "-A", "trust", "-U", "postgres", "-N")
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
