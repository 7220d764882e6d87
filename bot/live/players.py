"""Who plays: joining with a nickname (numbered when taken), and finding a player by the
token their browser keeps. Tokens are stored only as their SHA-256; a token once seen is
cached (a player never changes game or name), so a hall of phones polling or answering does
not look itself up in the database again and again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.live import control
from bot.live.game import (
    MAX_PLAYERS,
    GameView,
    clean_name,
    digest,
    new_secret,
    numbered,
    valid_token,
)
from bot.live.models import LivePlayer

if TYPE_CHECKING:
    from bot.live.service import LiveService

MAX_TOKENS_CACHED = 50_000


class LiveError(Exception):
    """A request the game cannot take now; `code` names why (for the API's `error`)."""

    def __init__(self, code: str, status: int = 409) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Player:
    id: int
    game_id: int
    name: str


@dataclass(frozen=True)
class Joined:
    player: Player
    token: str
    new: bool


def _names(name: str) -> Iterator[str]:
    yield name
    for n in range(2, 10_000):
        yield numbered(name, n)


class PlayerRegister:
    """The players of every game, over the service's database, lock and notifier."""

    def __init__(self, live: LiveService) -> None:
        self.live = live
        self._tokens: dict[str, Player] = {}

    async def join(self, game: GameView, name: str, token: str | None = None) -> Joined:
        if token is not None and not valid_token(token):
            raise LiveError("bad_token", 422)
        if token is not None:
            known = await self.player(game, token)
            if known is not None:
                return Joined(known, token, False)
        if game.phase(self.live.clock()) == "finished":
            raise LiveError("finished")
        clean = clean_name(name)
        if not clean:
            raise LiveError("bad_name", 422)
        token = token or new_secret()
        async with self.live.write_lock():
            player = await self._insert(game, clean, token)
        self.live.notifier.publish(game.id, "players")
        self._tokens[digest(token)] = player
        return Joined(player, token, True)

    async def _insert(self, game: GameView, name: str, token: str) -> Player:
        live = self.live
        async with live.db.session() as session:
            taken = set(
                await session.scalars(select(LivePlayer.name).where(LivePlayer.game_id == game.id))
            )
        if len(taken) >= MAX_PLAYERS:
            raise LiveError("game_full")
        for candidate in (c for c in _names(name) if c not in taken):
            row = LivePlayer(
                game_id=game.id, name=candidate, token_hash=digest(token), joined_at=live.clock()
            )
            try:
                async with live.db.session() as session:
                    session.add(row)
                    await control.notify(session, live.db, game.id, "players", live.origin)
                    await session.commit()
            except IntegrityError:
                found = await self.player(game, token)
                if found is not None:  # the same browser joined in parallel
                    return found
                continue  # the name was taken meanwhile: the next number
            return Player(row.id, game.id, candidate)
        raise LiveError("bad_name", 422)

    async def player(self, game: GameView, token: str | None) -> Player | None:
        if not token or not valid_token(token):
            return None
        key = digest(token)
        player = self._tokens.get(key)
        if player is None:
            async with self.live.db.session() as session:
                row = await session.scalar(select(LivePlayer).where(LivePlayer.token_hash == key))
            if row is None:
                return None
            player = Player(row.id, row.game_id, row.name)
            if len(self._tokens) >= MAX_TOKENS_CACHED:
                self._tokens.clear()
            self._tokens[key] = player
        return player if player.game_id == game.id else None

    async def count(self, game: GameView) -> int:
        async with self.live.db.session() as session:
            count = await session.scalar(
                select(func.count(LivePlayer.id)).where(LivePlayer.game_id == game.id)
            )
        return int(count or 0)

    async def names(self, game: GameView) -> list[str]:
        async with self.live.db.session() as session:
            rows = await session.scalars(
                select(LivePlayer.name).where(LivePlayer.game_id == game.id).order_by(LivePlayer.id)
            )
            return list(rows)
