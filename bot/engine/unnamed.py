"""Things a follow-up names that the material never does (知识产权质押融资有什么规定 + 那保险呢,
宣传渠道有哪些 + 微博呢): said plainly — 资料中没有提到“保险” — rather than refused as out of
scope or taken for small talk by the message's meaning."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.engine.material import read_material, unused
from bot.engine.reading import PLACE, PUNCTUATION
from bot.engine.reply import Reply

if TYPE_CHECKING:
    from bot.engine.core import Engine


def never_named(engine: Engine, rest: str, reply: Reply, last: Callable[[], Reply]) -> Reply | None:
    """A follow-up on a topic the material holds, naming things it never names (保险), that
    finds nothing alone: said plainly, not refused as out of scope, nor taken for small talk
    by its meaning alone (宣传渠道有哪些 + 微博呢: a greeting; by a rule's words it is no
    follow-up at all)."""
    if reply.entry is not None or reply.kind not in ("fallback", "clarify", "smalltalk"):
        return None
    if last().kind not in ("answer", "clarify") and last().entry is None:
        return None  # the last question was no campaign question either (天气 + 那明天呢)
    if PLACE.search(rest):
        return None  # 第二个呢 after no list is a place, no thing
    said = reply.question.strip().rstrip(PUNCTUATION)
    thing = rest.strip(PUNCTUATION).removesuffix("呢")
    if reply.kind == "smalltalk" and (
        not said.endswith("呢")
        or engine.intents.asks_something(rest)
        or any(p in thing for p in "我你您咱")
        or len(set(thing)) < 2
    ):
        # Small talk by meaning unless a thing alone is asked on (微博呢; not 那算了,
        # 那我改天再来呢, 哈哈哈呢).
        return None
    never = unnamed_runs(engine, rest)
    if not never:
        return None
    note = engine.intents.response("follow_up_not_named").format(thing="”“".join(never))
    return engine.compose.fallback(reply.question, "search", note)


def unnamed_runs(engine: Engine, rest: str) -> list[str]:
    """The things a message names that the material never does, as the message writes them:
    runs of words it never uses with the single characters beside them (短视频, not 短 and
    视频; 新媒体, not 媒体), each never written in the material as a whole."""
    weighty = set(engine.weighty(rest))
    runs: list[list[str]] = [[]]
    for piece in engine.tokenizer.cut(rest):
        if piece in weighty and (unused(engine, piece) or len(piece) == 1):
            runs[-1].append(piece)
        elif runs[-1]:
            runs.append([])
    text = read_material(engine).text
    found = ["".join(r) for r in runs if any(len(p) > 1 or unused(engine, p) for p in r)]
    return [
        w
        for w in dict.fromkeys(found)
        if w not in text and any(unused(engine, p) for p in engine.tokenizer.cut(w))
    ]
