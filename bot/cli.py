"""Command-line interface: `python -m bot <command>`. Its commands and outputs are a public
contract pinned by tests (tests/test_cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import config

if TYPE_CHECKING:
    from bot.settings import Settings

RECORD_HELP = "record each question in the question log (channel console), like a channel"
# What an extra brings, for the message when a command needs one that is not installed.
EXTRAS = {"telegram": "the Telegram bot", "web": "the web server", "report": "the report"}


def _needs(extra: str, exc: ImportError) -> int:
    print(
        f"error: {EXTRAS[extra]} is not installed ({exc.name or exc}); "
        f'install it with: pip install "ipreg-bot[{extra}]" (or ".[{extra}]" in a checkout)',
        file=sys.stderr,
    )
    return 2


def _recorder(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """A background question recorder when `--record` was given, else None."""
    if not getattr(args, "record", False):
        return None
    from bot.app.background import BackgroundRecorder

    settings = service_settings()
    return BackgroundRecorder(settings.database_url, settings.hash_secret)


def console_user() -> str:
    """Who asks at this terminal, pseudonymously (hashed before it is stored)."""
    import getpass
    import socket

    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:  # no user name in this environment
        return "console"


def _add_dirs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", metavar="DIR", help="knowledge directory (BOT_KNOWLEDGE_DIR)"
    )
    parser.add_argument("--intents", metavar="DIR", help="intents directory (default: intents/)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="条例宣贯助手: answers questions on the Hebei IP regulation with citations.",
    )
    sub = parser.add_subparsers(dest="command")

    ask = sub.add_parser("ask", help="answer questions (arguments, or one per line from stdin)")
    ask.add_argument("question", nargs="*", help="questions; none reads stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--explain", action="store_true", help="show how the answer was scored")
    ask.add_argument("--record", action="store_true", help=RECORD_HELP)
    _add_dirs(ask)

    chat = sub.add_parser("chat", help="interactive console chat")
    chat.add_argument("--record", action="store_true", help=RECORD_HELP)
    _add_dirs(chat)

    check = sub.add_parser("check", help="validate the knowledge base and intents")
    _add_dirs(check)

    index = sub.add_parser("index", help="embed the knowledge base into the vector cache now")
    _add_dirs(index)

    kb = sub.add_parser("kb", help="knowledge-base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    export = kb_sub.add_parser("export", help="every entry as JSON lines")
    _add_dirs(export)
    learned = kb_sub.add_parser("learned", help="wordings learned in the admin console")
    learned_sub = learned.add_subparsers(dest="learned_command", required=True)
    learned_export = learned_sub.add_parser("export", help="learned wordings as YAML for review")
    learned_export.add_argument("--out", metavar="FILE", help="write here (default: stdout)")
    learned_export.add_argument("--pending", action="store_true", help="also those not applied")
    learned_export.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")
    learned_export.add_argument("--knowledge", metavar="DIR", help="knowledge directory")

    adm = sub.add_parser("admin", help="admin console accounts: add, list, remove")
    adm_sub = adm.add_subparsers(dest="admin_command", required=True)
    for name, text in (("add", "create an account"), ("remove", "delete an account")):
        one = adm_sub.add_parser(name, help=text)
        one.add_argument("name", help="account name")
        if name == "add":
            one.add_argument("--password-stdin", action="store_true", help="read it from stdin")
        one.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")
    listed = adm_sub.add_parser("list", help="list the accounts")
    listed.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")

    ev = sub.add_parser("eval", help="accuracy on the evaluation set")
    ev.add_argument("--set", dest="eval_set", metavar="FILE", help="eval YAML (default: seed)")
    ev.add_argument("--baselines", action="store_true", help="also run the plain baselines")
    ev.add_argument("--split", choices=["dev", "test", "all"], default="all")
    ev.add_argument("--tune", action="store_true", help="grid-search thresholds on the dev split")
    ev.add_argument("--failures", action="store_true", help="list the questions answered wrongly")
    ev.add_argument(
        "--tune-also",
        nargs=2,
        metavar=("DIR", "SET"),
        help="with --tune: also score SET's dev questions over knowledge directory DIR",
    )
    _add_dirs(ev)

    imp = sub.add_parser("import-law", help="import a law text into a knowledge directory")
    imp.add_argument("file", help="plain-text or Markdown law file (UTF-8, BOM or GB18030)")
    imp.add_argument("--out", required=True, metavar="DIR", help="knowledge directory to add to")
    imp.add_argument("--id", dest="law_id", help="law id (default: from the file name)")
    imp.add_argument("--title", help="title (default: from the text)")
    imp.add_argument("--strict", action="store_true", help="treat warnings as errors")
    imp.add_argument(
        "--no-index", action="store_true", help="do not embed the new articles into the cache"
    )

    run = sub.add_parser("run", help="run the Telegram bot (TELEGRAM_BOT_TOKEN required)")
    _add_dirs(run)

    report = sub.add_parser("report", help="campaign report as one self-contained HTML page")
    report.add_argument("--out", required=True, metavar="FILE", help="where to write the HTML")
    report.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD), inclusive")
    report.add_argument("--until", metavar="DATE", help="last day (YYYY-MM-DD), inclusive")
    report.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")

    st = sub.add_parser("stats", help="the /stats figures: questions by kind and channel, quiz")
    st.add_argument("--json", action="store_true", help="print one JSON object")
    st.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD), inclusive")
    st.add_argument("--until", metavar="DATE", help="last day (YYYY-MM-DD), inclusive")
    st.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")
    st.add_argument("--knowledge", metavar="DIR", help="knowledge directory, for entry titles")

    live = sub.add_parser("live", help="live hall quiz: `live new` creates a game")
    live_sub = live.add_subparsers(dest="live_command", required=True)
    new = live_sub.add_parser("new", help="create a game and print its PIN and host link")
    new.add_argument("--questions", type=int, default=5, metavar="N", help="questions (1–50)")
    new.add_argument("--seconds", type=int, default=20, metavar="S", help="seconds each (5–300)")
    new.add_argument("--database", metavar="URL", help="database URL (BOT_DATABASE_URL)")
    new.add_argument("--base-url", metavar="URL", help="public address of the web service")
    new.add_argument("--knowledge", metavar="DIR", help="knowledge directory (BOT_KNOWLEDGE_DIR)")

    web = sub.add_parser("web", help="serve the web chat page and HTTP API")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8080)
    _add_dirs(web)
    return parser


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bot.engine import Engine

    return Engine.from_dirs(
        config.knowledge_dir(args.knowledge), config.intents_dir(getattr(args, "intents", None))
    )


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _engine(args)
    recorder = _recorder(args)
    if recorder is not None:
        # Only with --record: bot.app brings the database layer (SQLAlchemy), which answering
        # does not need (a third of the start-up time and 15 MB).
        from bot.app import Incoming

        user = console_user()
    questions: Sequence[str] = args.question or (line.rstrip("\n") for line in sys.stdin)
    try:
        for question in questions:
            reply = engine.answer(question)
            if recorder is not None:
                recorder.submit(Incoming(question, "console", user, "console"), reply)
            if args.json:
                print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
            elif args.explain:
                print(engine.explain(question), end="\n\n", flush=True)
            else:
                print(reply.text, end="\n\n", flush=True)
    finally:
        if recorder is not None and recorder.close():
            print("warning: some questions could not be recorded", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.engine.intents import collect_intents
    from bot.knowledge.loader import collect

    kb, problems = collect(config.knowledge_dir(args.knowledge))
    _, intent_problems = collect_intents(config.intents_dir(args.intents))
    problems = sorted(problems + intent_problems)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"ok: {len(kb.sources) + len(kb.laws)} sources, {len(kb.entries)} entries, "
        f"{len(kb.contacts)} contacts, {len(kb.quiz)} quiz questions"
    )
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Embed every passage now (a deploy or import step), so the first start is fast."""
    from bot.engine.signals.semantic import cache_dir

    engine = _engine(args)
    semantic = engine.retriever.semantic
    if semantic is None:
        print("semantic matching is off or unavailable: nothing to index")
        return 0
    print(
        f"indexed {len(engine.kb.entries)} entries as {semantic.passages} passages "
        f"({semantic.embedded} newly embedded) in {cache_dir()}"
    )
    return 0


def cmd_kb(args: argparse.Namespace) -> int:
    if args.kb_command == "learned":
        from bot.admin.cli import export_learned

        url = args.database or service_settings().database_url
        knowledge = config.knowledge_dir(args.knowledge)
        return export_learned(url, knowledge, args.out, args.pending)
    from bot.knowledge.loader import load_knowledge

    kb = load_knowledge(config.knowledge_dir(args.knowledge))
    for entry in kb.entries.values():
        record = {
            "id": entry.id,
            "kind": entry.kind,
            "title": entry.title,
            "text": entry.text,
            "source": entry.source,
            "locator": entry.locator,
        }
        print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import run_eval

    also = None
    if args.tune_also:
        from bot.engine import Engine

        directory, eval_set = args.tune_also
        intents = config.intents_dir(getattr(args, "intents", None))
        also = (Engine.from_dirs(directory, intents), Path(eval_set))
    return run_eval(
        _engine(args),
        eval_set=args.eval_set,
        split=args.split,
        baselines=args.baselines,
        tune=args.tune,
        failures=args.failures,
        also=also,
    )


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.app import Incoming
    from bot.frontends.console import open_console

    recorder = _recorder(args)
    intents = config.intents_dir(args.intents)
    if recorder is None:
        return open_console(lambda: _engine(args), intents)
    user = console_user()
    try:
        return open_console(
            lambda: _engine(args),
            intents,
            record=lambda q, r: recorder.submit(Incoming(q, "console", user, "console"), r),
        )
    finally:
        recorder.close()


def cmd_import(args: argparse.Namespace) -> int:
    from bot.importer import LawImportError, import_law

    try:
        result = import_law(
            args.file, args.out, law_id=args.law_id, title=args.title, strict=args.strict
        )
    except LawImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"imported {result.law_id}: {result.article_count} articles → {result.path}")
    if not args.no_index:
        from bot.knowledge.loader import KnowledgeError

        try:
            return cmd_index(argparse.Namespace(knowledge=args.out, intents=None))
        except KnowledgeError:  # the directory does not load as a whole yet: `check` says why
            pass
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    try:
        from bot.frontends.telegram.app import run_bot
    except ImportError as exc:
        return _needs("telegram", exc)

    return run_bot(knowledge=args.knowledge, intents=args.intents)


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import date

    from bot.report import ReportError, write_report

    try:
        since = date.fromisoformat(args.since) if args.since else None
        until = date.fromisoformat(args.until) if args.until else None
    except ValueError as exc:
        print(f"error: dates are YYYY-MM-DD: {exc}", file=sys.stderr)
        return 2
    url = args.database or service_settings().database_url
    try:
        summary = write_report(url, args.out, since=since, until=until)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {summary}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """What /stats shows, for operators without Telegram; the database is created if new."""
    import asyncio
    from datetime import date

    from sqlalchemy.exc import SQLAlchemyError

    from bot import stats
    from bot.storage import Database, MigrationError

    try:
        since = date.fromisoformat(args.since) if args.since else None
        until = date.fromisoformat(args.until) if args.until else None
    except ValueError as exc:
        print(f"error: dates are YYYY-MM-DD: {exc}", file=sys.stderr)
        return 2
    try:
        period = stats.Period(since, until)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    url = args.database or service_settings().database_url
    titles = stats.knowledge_titles(args.knowledge)

    async def read() -> stats.AdminSummary:
        db = Database(url)
        try:
            await db.migrate()
            return await stats.admin_summary(db, titles, period=period)
        finally:
            await db.dispose()

    try:
        summary = asyncio.run(read())
    except (SQLAlchemyError, OSError, MigrationError, ValueError) as exc:
        print(f"error: cannot read the database: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(stats.stats_json(summary), ensure_ascii=False))
    else:
        print(stats.stats_text(summary))
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    try:
        from bot.frontends.web.app import run_web
    except ImportError as exc:
        return _needs("web", exc)

    return run_web(host=args.host, port=args.port, knowledge=args.knowledge, intents=args.intents)


def cmd_live(args: argparse.Namespace) -> int:
    from bot.live.cli import new_game

    url = args.database or service_settings().database_url
    knowledge = config.knowledge_dir(args.knowledge)
    return new_game(url, knowledge, args.questions, args.seconds, args.base_url)


def cmd_admin(args: argparse.Namespace) -> int:
    try:
        from bot.admin.cli import admin_command
    except ImportError as exc:  # argon2-cffi and itsdangerous come with the web extra
        return _needs("web", exc)

    url = args.database or service_settings().database_url
    return admin_command(
        args.admin_command, url, getattr(args, "name", None), getattr(args, "password_stdin", False)
    )


COMMANDS = {
    "ask": cmd_ask,
    "chat": cmd_chat,
    "check": cmd_check,
    "index": cmd_index,
    "kb": cmd_kb,
    "eval": cmd_eval,
    "import-law": cmd_import,
    "run": cmd_run,
    "web": cmd_web,
    "report": cmd_report,
    "stats": cmd_stats,
    "live": cmd_live,
    "admin": cmd_admin,
}


# Console tools answer from the knowledge base alone; they do not load pydantic to check the
# service settings (a fifth of `ask`'s cold start), and read their few values via bot.config.
def service_settings() -> Settings:
    """Every variable, read and checked (imports pydantic: service commands only)."""
    from bot.settings import Settings

    return Settings.from_env()


CONSOLE_COMMANDS = frozenset({"ask", "chat", "eval", "index", "import-law"})


def main(argv: Sequence[str] | None = None) -> int:
    config.load_dotenv_file()
    from bot.logs import setup_logging

    setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # The main job: the Telegram bot when a token is configured, else the console chat.
        command = "run" if config.bot_token() else "chat"
        args = parser.parse_args([command])
    if args.command not in CONSOLE_COMMANDS or getattr(args, "record", False):
        try:  # every variable checked before a service starts: a wrong one names itself
            service_settings()
        except config.SettingsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    from bot.engine.signals.semantic import reporting
    from bot.knowledge.loader import KnowledgeError
    from bot.progress import ProgressDisplay

    # Embedding the knowledge base (a first start, `index`, `import-law`) shows its progress
    # on stderr: a bar on a terminal, a line at its start and end otherwise.
    display = ProgressDisplay()
    try:
        with reporting(display):
            return COMMANDS[args.command](args)
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except config.SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        display.close()
