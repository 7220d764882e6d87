"""Console chat: the engine's replies in a terminal, with readline history."""

from __future__ import annotations

import contextlib
import sys
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


def run_console(engine: Engine, stdin=None, stdout=None) -> int:  # type: ignore[no-untyped-def]
    """Interactive loop; `/quit` or end of input leaves."""
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
        if last and last.suggestions and question.isdigit():
            index = int(question) - 1
            if 0 <= index < len(last.suggestions):
                reply = engine.answer_entry(last.suggestions[index].entry, last.question)
                print(render(reply), end="\n\n", file=stdout, flush=True)
                last = reply
                continue
        reply = engine.answer(question)
        print(render(reply), end="\n\n", file=stdout, flush=True)
        last = reply
    return 0
