"""The live quiz service: create a game, join it, run it, answer, read it back.

Every channel (the web pages, the CLI) calls this and nothing else; all state lives in the
database, so a restarted process or a second one on the same PostgreSQL carries on with the
same game. What each process keeps in memory is only a cache: the game's row (refreshed on a
change notification, and at the latest after `SNAPSHOT_TTL` seconds), player tokens it has
seen (they never change) and the rankings of closed questions (bot.live.standings).

Host actions (bot.live.control) and joins are short transactions; answers go through the
group-commit writer (bot.live.answers). On SQLite this process writes one transaction at a
time (an asyncio lock), so SQLite never makes a writer sleep on its busy handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.live import control
from bot.live.answers import AnswerResult, AnswerWriter
from bot.live.game import GameView, Question, digest, join_url, new_pin, new_secret
from bot.live.models import LiveGame
from bot.live.notify import ALL_GAMES, Notifier, PgListener, new_origin
from bot.live.players import Joined, LiveError, Player, PlayerRegister
from bot.live.standings import Standings
from bot.quiz.bank import QuizItem
from bot.storage import Database
from bot.storage.models import utcnow

_LOGGER = logging.getLogger(__name__)

SNAPSHOT_TTL = 3.0  # seconds a cached game row is trusted without a notification
PIN_ATTEMPTS = 20


@dataclass(frozen=True)
class Created:
    game_id: int
    pin: str
    host_key: str


class LiveService:
    """Live hall games over one `Database`; `items_provider` gives the quiz's questions."""

    def __init__(
        self,
        db: Database,
        items_provider: Callable[[], Sequence[QuizItem]],
        *,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utcnow,
        listen: bool = True,
    ) -> None:
        self.db = db
        self.items_provider = items_provider
        self.rng = rng or random.Random()
        self.clock = clock
        self.notifier = Notifier()
        self.origin = new_origin()
        self.notifier.listeners.append(self._on_change)
        self.standings = Standings(db, clock)
        self._sqlite_lock: asyncio.Lock | None = None
        self.answers = AnswerWriter(db, self.write_lock)
        self.players = PlayerRegister(self)
        self.listener = (
            PgListener(db.url, self.notifier, self.origin) if listen and not db.is_sqlite else None
        )
        self._games: dict[int, tuple[GameView, float]] = {}
        self._pins: dict[str, int] = {}
        self._loading: dict[str, asyncio.Future[GameView | None]] = {}
        self._ready = False

    # -- life cycle ------------------------------------------------------------------------------

    async def prepare(self) -> None:
        """Create or upgrade the schema, and listen for other processes' changes (PostgreSQL)."""
        if not self._ready:
            await self.db.migrate()
            self._ready = True
        if self.listener is not None:
            self.listener.start()

    async def close(self) -> None:
        await self.answers.flush()
        if self.listener is not None:
            await self.listener.close()

    @contextlib.asynccontextmanager
    async def write_lock(self) -> AsyncIterator[None]:
        """One writing transaction at a time on SQLite; no lock on PostgreSQL."""
        if not self.db.is_sqlite:
            yield
            return
        if self._sqlite_lock is None:
            self._sqlite_lock = asyncio.Lock()
        async with self._sqlite_lock:
            yield

    def _on_change(self, game_id: int, kind: str) -> None:
        if kind == "game":
            if game_id == ALL_GAMES:
                self._games.clear()
            else:
                self._games.pop(game_id, None)
            self._loading.clear()  # a read begun before the change may miss it: read again

    # -- games -----------------------------------------------------------------------------------

    async def create_game(
        self, questions: int, seconds: int, *, join_base: str | None = None
    ) -> Created:
        """A game in the lobby with `questions` questions of `seconds` each, drawn from the quiz
        (bank and generated), options shuffled once and stored with the game."""
        control.check_limits(questions, seconds)
        items = list(self.items_provider())
        if not items:
            raise LiveError("empty_quiz", 503)
        chosen = self.rng.sample(items, min(questions, len(items)))
        shown = [control.shuffled(item, self.rng).to_json() for item in chosen]
        host_key = new_secret()
        await self.prepare()
        for _ in range(PIN_ATTEMPTS):
            pin = new_pin()
            row = LiveGame(
                pin=pin,
                host_key_hash=digest(host_key),
                status="lobby",
                seconds_per_question=seconds,
                questions=shown,
                current=-1,
                timings=[],
                version=0,
                created_at=self.clock(),
                join_url=join_url(join_base, pin) if join_base else None,
            )
            try:
                async with self.write_lock(), self.db.session() as session:
                    session.add(row)
                    await session.commit()
            except IntegrityError:  # the PIN is taken: draw another
                continue
            return Created(row.id, pin, host_key)
        raise LiveError("no_pin", 503)

    async def game(self, pin: str) -> GameView | None:
        """The game with this PIN, from the cache when it is fresh."""
        game_id = self._pins.get(pin)
        if game_id is not None:
            cached = self._games.get(game_id)
            if cached is not None and time.monotonic() - cached[1] < SNAPSHOT_TTL:
                return cached[0]
        # One read for everyone who asks meanwhile: after a change notification a process's
        # 250 open streams all want the new row at once.
        loading = self._loading.get(pin)
        if loading is None or loading.get_loop() is not asyncio.get_running_loop():
            loading = asyncio.ensure_future(self._load(pin))
            self._loading[pin] = loading
            loading.add_done_callback(lambda done: self._forget_load(pin, done))
        return await asyncio.shield(loading)

    async def _load(self, pin: str) -> GameView | None:
        async with self.db.session() as session:
            row = await session.scalar(select(LiveGame).where(LiveGame.pin == pin))
        return self._keep(GameView.of(row)) if row is not None else None

    def _forget_load(self, pin: str, done: asyncio.Future[GameView | None]) -> None:
        if self._loading.get(pin) is done:
            del self._loading[pin]
        if not done.cancelled():
            done.exception()  # retrieved: a failed read is raised to its callers

    async def fresh(self, game: GameView) -> GameView:
        return await self.game(game.pin) or game

    def _keep(self, game: GameView) -> GameView:
        cached = self._games.get(game.id)
        if cached is not None and cached[0].version > game.version:
            return cached[0]  # a slower read must not undo a newer one
        self._games[game.id] = (game, time.monotonic())
        self._pins[game.pin] = game.id
        return game

    def is_host(self, game: GameView, key: str | None) -> bool:
        return bool(key) and hmac.compare_digest(digest(key or ""), game.host_key_hash)

    # -- host actions (bot.live.control) ---------------------------------------------------------

    async def act(self, game: GameView, action: str, *, version: int | None = None) -> GameView:
        """start, next, pause, resume or end; `version` (what the host saw) makes a retried
        request harmless: when the game has moved on since, nothing changes."""
        async with self.write_lock():
            view = await control.apply(self.db, game.id, action, self.clock(), version, self.origin)
        self.notifier.publish(game.id, "game")
        return self._keep(view)

    # -- players (bot.live.players) ----------------------------------------------------------

    async def join(self, game: GameView, name: str, token: str | None = None) -> Joined:
        """Join with a nickname; `token` (the browser's own, kept before it asks) makes a
        retried join return the same player. A nickname already taken gets a number."""
        return await self.players.join(game, name, token)

    async def player(self, game: GameView, token: str | None) -> Player | None:
        """The player whose browser holds `token`, in this game."""
        return await self.players.player(game, token)

    async def player_count(self, game: GameView) -> int:
        return await self.players.count(game)

    async def player_names(self, game: GameView) -> list[str]:
        return await self.players.names(game)

    # -- answers -----------------------------------------------------------------------------

    async def answer(
        self, game: GameView, player: Player, number: int, option_ids: Sequence[int]
    ) -> AnswerResult:
        """Score the player's answer to question `number` (1-based), once; see answers.py."""
        received = self.clock()
        question = number - 1
        options = len(game.questions[question].options) if 0 <= question < game.total else 0
        if question > game.current:
            # Maybe our snapshot is behind (another process opened it): look again.
            game = await self.game_now(game)
        if not 0 <= question < game.total or any(not 0 <= o < options for o in option_ids):
            return AnswerResult(False, "not_open")
        result = await self.answers.submit(game.id, question, player.id, option_ids, received)
        if result.accepted and not result.repeat:
            self.notifier.publish(game.id, "answers")
        return result

    async def game_now(self, game: GameView) -> GameView:
        """The game's row read now, bypassing the cache."""
        self._games.pop(game.id, None)
        return await self.fresh(game)


__all__ = ["Created", "Joined", "LiveError", "LiveService", "Player", "Question"]
