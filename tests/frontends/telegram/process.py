"""`python -m bot run` as a subprocess against the fake Bot API (as operators start it)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fakebot.server import FakeBotApi

REPO = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT = 30.0
HASH_SECRET = "subprocess-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log: Path
    database_url: str

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        """Send `sig` and wait for the exit code."""
        self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), timeout)


@asynccontextmanager
async def bot_process(api: FakeBotApi, tmp_path: Path, **env: str) -> AsyncIterator[BotProcess]:
    """Start `python -m bot run` on the fake server; kill it if the test left it running."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("BOT_", "TELEGRAM_"))
    }
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    environment.update(
        {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "BOT_DATABASE_URL": url,
            "BOT_HASH_SECRET": HASH_SECRET,
            "BOT_LOG_LEVEL": "INFO",
            **env,
        }
    )
    log = tmp_path / "bot.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=output,
        )
        try:
            yield BotProcess(process, log, url)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
