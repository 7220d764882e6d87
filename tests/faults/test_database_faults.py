"""The question log under database faults: answers never wait, records are not lost.

Questions keep arriving (one every 50 ms) while the database is frozen (SIGSTOP), stopped,
or (SQLite) its disk is full. Handing a record over must stay instant; once the database is
back every record must be written, exactly once; the log must say the outage started and
ended — one warning each — with no traceback and no question text.

PostgreSQL faults run on a server of their own (postgres_server.py: the shared test server
keeps serving the other tests meanwhile); they need the server's binaries
(BOT_TEST_POSTGRES_BIN, which .ci/run sets) and root. The disk-full case needs a small tmpfs
(root). Each is skipped where that is not available.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.app import Incoming, QuestionRecorder
from bot.engine import Reply
from bot.storage import Database, QuestionLog
from tests.faults.postgres_server import needs_own_postgres, own_postgres

OUTAGE = 3.0
PACE = 0.05
REPLY = Reply(question="q", kind="answer", intent="search")


def postgres_pids(data: Path) -> list[int]:
    """The postmaster and its children (to freeze the whole server)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    children = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
            except OSError:
                continue
            ppid = next(line for line in status.splitlines() if line.startswith("PPid:"))
            if int(ppid.split()[1]) == postmaster:
                children.append(int(proc.name))
    return [postmaster, *children]


async def drive(
    recorder: QuestionRecorder,
    fault: Callable[[], Awaitable[None]],
    recover: Callable[[], Awaitable[None]],
) -> tuple[int, list[float]]:
    """Questions before, during and after the fault; how many, and how long each hand-over."""
    waits: list[float] = []
    sent = 0

    async def ask_for(seconds: float) -> None:
        nonlocal sent
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            recorder.submit(Incoming(f"故障期间的问题{sent}", "web", "visitor"), REPLY)
            waits.append(time.perf_counter() - started)
            sent += 1
            await asyncio.sleep(PACE)

    await ask_for(1.0)
    await fault()
    await ask_for(OUTAGE)
    await recover()
    await ask_for(1.0)
    return sent, waits


async def check_outage(
    url: str,
    caplog: pytest.LogCaptureFixture,
    fault: Callable[[], Awaitable[None]],
    recover: Callable[[], Awaitable[None]],
) -> None:
    caplog.set_level(logging.INFO)
    database = Database(url)
    log = QuestionLog(database, "fault-secret")
    await log.prepare()
    recorder = QuestionRecorder(log, timeout=1.0)
    try:
        sent, waits = await drive(recorder, fault, recover)
        assert await recorder.flush(60), "records still queued a minute after the outage"
        assert await log.count() == sent and recorder.lost == 0
    finally:
        await recorder.close(5)
        await database.dispose()
    assert max(waits) < 0.05  # handing a record over never waits for the database
    warnings = [r for r in caplog.records if r.name == "bot.app.recorder"]
    assert [r.levelname for r in warnings] == ["WARNING", "WARNING"], [r.message for r in warnings]
    assert "unavailable" in warnings[0].message and "again" in warnings[1].message
    assert not any(r.exc_info for r in caplog.records)
    assert "故障期间的问题" not in caplog.text


@needs_own_postgres
async def test_postgres_frozen(caplog: pytest.LogCaptureFixture) -> None:
    pids: list[int] = []

    with own_postgres() as server:

        async def freeze() -> None:
            # The server and every backend it runs now, the recorder's connection among them.
            pids[:] = postgres_pids(server.data)
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):  # a backend that just exited
                    os.kill(pid, signal.SIGSTOP)

        async def thaw() -> None:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

        try:
            await check_outage(server.url, caplog, freeze, thaw)
        finally:
            await thaw()


@needs_own_postgres
async def test_postgres_stopped(caplog: pytest.LogCaptureFixture) -> None:
    with own_postgres() as server:

        async def stop() -> None:
            await asyncio.to_thread(server.stop)

        async def start() -> None:
            await asyncio.to_thread(server.start)

        await check_outage(server.url, caplog, stop, start)


async def test_sqlite_disk_full(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    filler = disk / "filler"
    try:

        async def fill() -> None:
            try:  # opening may fail already: the schema and its journal fill a small disk
                with filler.open("wb") as out:
                    while True:
                        out.write(b"\0" * 65536)
                        out.flush()
            except OSError:
                pass  # the disk is full

        async def free() -> None:
            filler.unlink(missing_ok=True)

        await check_outage(f"sqlite:///{disk / 'bot.db'}", caplog, fill, free)
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
        shutil.rmtree(disk, ignore_errors=True)
