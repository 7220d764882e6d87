"""Console chat: the engine's replies in a terminal, with readline history.

`open_console` is what `python -m bot chat` runs: it greets at once, then builds the engine;
on a first start that embeds the knowledge base (15-35 s), it says so and shows a progress
bar on stderr before the first question is taken.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from bot.engine import Engine, Reply

QUIT = {"/quit", "/exit", "/q", "退出"}
QUIT_HINT = "\n（输入 /quit 退出）"
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


def open_console(  # type: ignore[no-untyped-def]
    load: Callable[[], Engine],
    intents_dir: Path | str,
    stdin=None,
    stdout=None,
    stderr: IO[str] | None = None,
    *,
    record: Callable[[str, Reply], None] | None = None,
) -> int:
    """Greet first, then build the engine with `load` (its embedding progress on `stderr`),
    then chat. Intents that do not load skip the early greeting: `load` says what is wrong."""
    from bot.engine.intents import collect_intents
    from bot.engine.signals.semantic import index_missing, reporting
    from bot.progress import ProgressDisplay

    stdout = stdout or sys.stdout
    intents, problems = collect_intents(intents_dir)
    greeted = not problems
    if greeted:
        print(intents.response("greeting") + QUIT_HINT, file=stdout, flush=True)
    display = ProgressDisplay(
        "",
        "",
        stderr,
        notice=intents.response("console_indexing") or None,
        start="0/{total}…",
        end="{total}/{total} ({seconds:.0f} s)",
    )
    if greeted and index_missing():
        display.begin()  # a first start: say so now, not after the knowledge base loads
    try:
        with reporting(display):
            engine = load()
    finally:
        display.close()
    return run_console(engine, stdin, stdout, record=record, greet=not greeted)


def run_console(  # type: ignore[no-untyped-def]
    engine: Engine,
    stdin=None,
    stdout=None,
    *,
    record: Callable[[str, Reply], None] | None = None,
    greet: bool = True,
) -> int:
    """Interactive loop; `/quit` or end of input leaves. `record` (with `chat --record`) is
    given each question and its reply; `greet=False` when the greeting was already shown."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        _setup_readline()
    if greet:
        print(engine.intents.response("greeting") + QUIT_HINT, file=stdout)
    last: Reply | None = None
    previous: str | None = None
    earlier: str | None = None  # the question before it (回到刚才那个…)
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
        reply = engine.answer(question, previous, earlier)
        print(render(reply), end="\n\n", file=stdout, flush=True)
        if record is not None:
            record(question, reply)
        last = reply
        if reply.kind != "smalltalk":  # the question a follow-up (那高校呢) is read with
            earlier, previous = previous, reply.read_as or question
    return 0
