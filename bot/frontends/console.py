"""Console chat: the engine's replies in a terminal, with readline history."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from bot.engine import Engine, Reply

QUIT = {"/quit", "/exit", "/q", "退出"}
HISTORY = Path.home() / ".ipreg_bot_history"


def _setup_readline() -> None:
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)
    import atexit

    atexit.register(lambda: _save_history(readline))


def _save_history(readline) -> None:  # type: ignore[no-untyped-def]
    try:
        readline.set_history_length(1000)
        readline.write_history_file(HISTORY)
    except OSError:
        pass


def render(reply: Reply) -> str:
    """The reply as plain text; a clarify reply lists numbered suggestions to type back."""
    text = reply.text
    if reply.suggestions:
        text += "\n（输入序号查看对应内容）"
    return text


def run_console(  # type: ignore[no-untyped-def]
    engine: Engine,
    stdin=None,
    stdout=None,
    *,
    record: Callable[[str, Reply], None] | None = None,
) -> int:
    """Interactive loop; `/quit` or end of input leaves. `record` (with `chat --record`) is
    given each question and its reply."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        _setup_readline()
    print(engine.intents.response("greeting") + "\n（输入 /quit 退出）", file=stdout)
    last: Reply | None = None
    while True:
        try:
            line = input("问> ") if interactive else stdin.readline()
        except EOFError:
            break
        if not interactive and line == "":
            break
        question = line.strip()
        if question in QUIT:
            break
        if question.isdigit() and not (last and last.suggestions):
            # A bare number with nothing to pick from: say how picking works.
            print(engine.intents.response("console_no_pending"), end="\n\n", file=stdout)
            continue
        if last and last.suggestions and question.isdigit():
            index = int(question) - 1
            if 0 <= index < len(last.suggestions):
                reply = engine.answer_entry(last.suggestions[index].entry, last.question)
                print(render(reply), end="\n\n", file=stdout, flush=True)
                if record is not None:
                    record(reply.question, reply)
                last = reply
                continue
        reply = engine.answer(question)
        print(render(reply), end="\n\n", file=stdout, flush=True)
        if record is not None:
            record(question, reply)
        last = reply
    return 0
