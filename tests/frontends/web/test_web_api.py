"""The HTTP API over a real uvicorn: same answers as `ask --json`, and only 4xx JSON for bad input.

The answers are compared with the CLI's output for the same questions (one subprocess, the
questions batched on stdin), so the web front end cannot drift from the public contract.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.app import Assistant
from bot.engine import Engine
from bot.frontends.web import WebSettings, create_app
from bot.frontends.web.app import STATIC
from bot.quiz import quiz_items

from .harness import INTENTS, KNOWLEDGE, REPO, Running, clarify_question, serve

XSS = "<img src=x onerror=alert(1)>"
CJK = re.compile(r"[\u4e00-\u9fff]")
CONTRACT_KEYS = {"question", "kind", "intent", "text", "citations", "confidence", "suggestions"}
CONTRACT_KEYS |= {"contacts", "passage", "entry", "sources", "read_as", "blocks"}


def eval_questions() -> list[str]:
    """The evaluation set's questions plus edge cases: every reply kind, markup, limits."""
    items = yaml.safe_load((REPO / "tests" / "eval" / "seed.yaml").read_text(encoding="utf-8"))
    questions = [item["q"] for item in items]
    questions += [
        "你好",
        "",
        "   ",
        XSS,
        "天气怎么样",
        "第五条",
        "宣贯有问题找谁？",
        "谁负责",
        "北京的专利条例",
        "🙂🙂",
        "条例" * 250,  # exactly the 500-character limit
    ]
    # `ask` reads one question per line.
    return [q for q in questions if "\n" not in q and "\r" not in q]


@pytest.fixture(scope="module")
def cli_answers() -> dict[str, dict[str, Any]]:
    """`python -m bot ask --json` for every question, run once."""
    questions = eval_questions()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "bot", "ask", "--json"]
    done = subprocess.run(
        [*command, "--knowledge", str(KNOWLEDGE), "--intents", str(INTENTS)],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=300,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == len(questions), done.stderr
    return {q: json.loads(line) for q, line in zip(questions, lines, strict=True)}


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(autouse=True)
def no_internal_errors(server: Running) -> Iterator[None]:
    """Nothing a test sends may reach the last-resort 500 handler."""
    before = server.app.state.internal_errors
    yield
    assert server.app.state.internal_errors == before


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert set(data) >= {"error", "message"}
    assert CJK.search(data["message"]), data["message"]
    if code is not None:
        assert data["error"] == code
    return data


# -- the same answers as `ask --json` ----------------------------------------------------------


def test_answers_equal_ask_json(client: httpx.Client, cli_answers: dict[str, dict]) -> None:
    kinds = set()
    for question, expected in cli_answers.items():
        # Each as a new visitor: `ask` answers every question on its own, while a visitor's
        # short question may be read with the one before it (a follow-up).
        client.cookies.clear()
        response = client.post("/api/ask", json={"question": question})
        assert response.status_code == 200, (question, response.text)
        data = response.json()
        assert set(expected) == CONTRACT_KEYS
        assert {k: data[k] for k in expected} == expected, question
        kinds.add(data["kind"])
    assert kinds == {"answer", "clarify", "smalltalk", "fallback"}


def test_reply_blocks(client: httpx.Client, web_engine: Engine) -> None:
    """The page gets the reply as blocks: no text to cut apart."""
    data = client.post("/api/ask", json={"question": "条例什么时候施行？"}).json()
    reply = web_engine.answer("条例什么时候施行？")
    assert data["kind"] == "answer"
    assert [b["type"] for b in data["blocks"]] == ["heading", "passage"]
    assert data["blocks"][1]["citation"]["line"] in data["text"]
    assert data["passage"] == reply.passage

    vague = clarify_question(web_engine)
    client.cookies.clear()  # a new visitor: nothing before it to read it with
    clarify = client.post("/api/ask", json={"question": vague}).json()
    assert clarify["kind"] == "clarify"
    note, picks = clarify["blocks"]
    assert note["type"] == "note" and picks["type"] == "suggestions"
    assert picks["items"] == clarify["suggestions"]
    assert all(s["title"] not in note["text"] for s in clarify["suggestions"])

    fallback = client.post("/api/ask", json={"question": "商标怎么注册"}).json()
    assert fallback["kind"] == "fallback"
    cards = [b for b in fallback["blocks"] if b["type"] == "contacts"]
    assert cards and cards[0]["cards"][0]["phone"]
    notes = [b["text"] for b in fallback["blocks"] if b["type"] == "note"]
    assert all(cards[0]["cards"][0]["phone"] not in n for n in notes)


def test_answer_entry_equals_engine(client: httpx.Client, web_engine: Engine) -> None:
    vague = clarify_question(web_engine)
    client.cookies.clear()  # a new visitor: nothing before it to read it with
    clarify = client.post("/api/ask", json={"question": vague}).json()
    chip = clarify["suggestions"][1]
    payload = {"entry": chip["entry"], "question": clarify["question"]}
    data = client.post("/api/answer-entry", json=payload).json()
    expected = web_engine.answer_entry(chip["entry"], clarify["question"]).to_json()
    assert {k: data[k] for k in expected} == expected
    assert data["kind"] == "answer" and data["citations"][0]["entry"] == chip["entry"]
    # Without a question the entry's title stands in, as in the console.
    alone = client.post("/api/answer-entry", json={"entry": chip["entry"]}).json()
    assert alone == {**alone, **web_engine.answer_entry(chip["entry"]).to_json()}


def test_markup_in_a_question_comes_back_as_text(client: httpx.Client) -> None:
    data = client.post("/api/ask", json={"question": XSS}).json()
    assert data["question"] == XSS
    assert data["kind"] == "fallback"


def test_pages_insert_text_never_markup() -> None:
    for script in STATIC.glob("*.js"):
        source = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}"


# -- bad requests: 4xx JSON with a Chinese message, never 500 ----------------------------------

JSON = {"content-type": "application/json"}
HUGE = json.dumps({"question": "条" * 20_000}).encode()


def chunked(data: bytes) -> Iterator[bytes]:
    """A body sent without Content-Length (chunked transfer encoding)."""
    for i in range(0, len(data), 1000):
        yield data[i : i + 1000]


BAD_POSTS = [
    pytest.param({"content-type": "text/plain"}, b'{"question": "x"}', 415, id="text-plain"),
    pytest.param({}, b'{"question": "x"}', 415, id="no-content-type"),
    pytest.param(
        {"content-type": "application/x-www-form-urlencoded"}, b"question=x", 415, id="form"
    ),
    pytest.param(JSON, b'{"question": ', 400, id="truncated"),
    pytest.param(JSON, b"", 400, id="empty-body"),
    pytest.param(JSON, b'{"question": "\xff\xfe"}', 400, id="not-utf8"),
    pytest.param(JSON, b"[" * 8000, 400, id="deep-nesting"),
    pytest.param(JSON, b'{"question": 1' + b"0" * 6000 + b"}", 400, id="huge-int"),
    pytest.param(JSON, b"[]", 422, id="array"),
    pytest.param(JSON, b'"text"', 422, id="string"),
    pytest.param(JSON, b"null", 422, id="null"),
    pytest.param(JSON, b"{}", 422, id="no-question"),
    pytest.param(JSON, b'{"question": 5}', 422, id="number"),
    pytest.param(JSON, b'{"question": null}', 422, id="question-null"),
    pytest.param(JSON, b'{"question": ["a"]}', 422, id="question-list"),
    pytest.param(JSON, b'{"question": NaN}', 422, id="nan"),
    pytest.param(JSON, b'{"question": "\\ud800"}', 422, id="lone-surrogate"),
    pytest.param(JSON, HUGE, 413, id="huge-body"),
]


@pytest.mark.parametrize(("headers", "body", "status"), BAD_POSTS)
def test_bad_ask_bodies(client: httpx.Client, headers: dict, body: bytes, status: int) -> None:
    assert_error(client.post("/api/ask", headers=headers, content=body), status)


def test_huge_chunked_body_is_cut_off(client: httpx.Client) -> None:
    response = client.post("/api/ask", headers=JSON, content=chunked(HUGE))
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "body_too_large")


def test_too_long_question(client: httpx.Client, web_engine: Engine) -> None:
    data = assert_error(client.post("/api/ask", json={"question": "条" * 501}), 422, "too_long")
    assert data["message"] == web_engine.intents.response("too_long").format(limit=500)
    assert data["limit"] == 500
    assert client.post("/api/ask", json={"question": "条" * 500}).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [{}, {"entry": 3}, {"entry": ""}, {"entry": "no-such-entry"}, {"entry": "x" * 5000}],
)
def test_bad_entry_choices(client: httpx.Client, payload: dict) -> None:
    assert_error(client.post("/api/answer-entry", json=payload), 422)


def test_entry_choice_with_bad_question(client: httpx.Client, web_engine: Engine) -> None:
    entry = next(iter(web_engine.kb.entries))
    payload = {"entry": entry, "question": "条" * 501}
    assert_error(client.post("/api/answer-entry", json=payload), 422, "too_long")


def test_wrong_method_and_path(client: httpx.Client) -> None:
    assert_error(client.get("/api/ask"), 405, "method_not_allowed")
    assert_error(client.post("/api/health"), 405, "method_not_allowed")
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.get("/static/../app.py"), 404)


# -- rate limit ---------------------------------------------------------------------------------


def test_burst_gets_429_with_retry_after(
    serve_app: Callable[..., AbstractContextManager[Running]], web_engine: Engine
) -> None:
    with serve_app(rate_limit=5) as running, httpx.Client(base_url=running.url) as c:
        codes = [c.post("/api/ask", json={"question": "条例什么时候施行？"}) for _ in range(9)]
        assert [r.status_code for r in codes[:5]] == [200] * 5
        for response in codes[5:]:
            data = assert_error(response, 429, "rate_limited")
            assert data["message"] == web_engine.intents.response("rate_limited")
            assert isinstance(data["retry_after"], int) and 1 <= data["retry_after"] <= 60
            assert response.headers["retry-after"] == str(data["retry_after"])
        # Every API call spends from the same bucket; health checks and pages do not.
        assert_error(c.get("/api/quiz/next"), 429)
        assert c.get("/api/health").status_code == 200
        assert c.get("/").status_code == 200
        assert running.app.state.internal_errors == 0


# -- the other endpoints ------------------------------------------------------------------------


def test_sources_contacts_health_ui(client: httpx.Client, web_engine: Engine) -> None:
    kb = web_engine.kb
    sources = client.get("/api/sources").json()
    assert [s["id"] for s in sources["sources"]] == list(kb.sources)
    assert all(s["display"].startswith("《") for s in sources["sources"])
    assert [law["id"] for law in sources["laws"]] == list(kb.laws)

    contacts = client.get("/api/contacts").json()["contacts"]
    assert [c["id"] for c in contacts] == list(kb.contacts)
    assert all(c["phone"] == kb.contacts[c["id"]].phone for c in contacts)
    assert all(c["citation"]["source"].startswith("《") for c in contacts)

    health = client.get("/api/health").json()
    assert health == {
        "status": "ok",
        "version": 1,
        "entries": len(kb.entries),
        "sources": len(kb.sources) + len(kb.laws),
        "contacts": len(kb.contacts),
        "quiz": len(kb.quiz),
    }

    ui = client.get("/api/ui").json()
    assert ui["greeting"] == web_engine.intents.response("greeting")
    assert ui["examples"]
    for question in ui["examples"]:
        assert web_engine.answer(question).kind in ("answer", "clarify"), question


def test_quiz_round(client: httpx.Client, web_engine: Engine) -> None:
    """Practice through the quiz service: a question asked under its own id, options
    shuffled, scored once, with the explanation and source Telegram shows."""
    shown = client.get("/api/quiz/next").json()
    assert set(shown) == {"id", "question", "options", "difficulty", "total"}
    assert "answer" not in json.dumps(shown)
    assert shown["total"] >= len(web_engine.kb.quiz)  # the bank and generated questions
    items = quiz_items(web_engine.kb, 0)
    item = next(i for i in items if i.question == shown["question"])
    assert sorted(shown["options"]) == sorted(item.options)
    right = shown["options"].index(item.answer)

    first = client.post("/api/quiz/answer", json={"id": shown["id"], "choice": right}).json()
    assert first["correct"] is True and first["counted"] is True and first["points"] > 0
    assert first["explanation"] == item.explanation
    assert first["answer_text"] == item.answer and first["answer"] == right
    assert first["source_line"] == item.source_line
    assert (first["score"], first["answered"]) == (1, 1)
    # The same answer again (a double tap, a retried request) counts once.
    again = client.post("/api/quiz/answer", json={"id": shown["id"], "choice": right}).json()
    assert again["counted"] is False and (again["score"], again["answered"]) == (1, 1)

    wrong_shown = client.get("/api/quiz/next").json()
    assert wrong_shown["id"] != shown["id"]
    wrong_item = next(i for i in items if i.question == wrong_shown["question"])
    wrong_choice = (wrong_shown["options"].index(wrong_item.answer) + 1) % len(
        wrong_shown["options"]
    )
    wrong = client.post(
        "/api/quiz/answer", json={"id": wrong_shown["id"], "choice": wrong_choice}
    ).json()
    assert wrong["correct"] is False and wrong["points"] == 0
    assert (wrong["score"], wrong["answered"]) == (1, 2)


def test_practice_is_per_visitor(server: Running) -> None:
    """Two visitors (two client tokens) keep separate scores; a new visitor gets a cookie."""
    with httpx.Client(base_url=server.url) as ann, httpx.Client(base_url=server.url) as bob:
        shown = ann.get("/api/quiz/next")
        assert "ipreg_client" in shown.cookies
        q = shown.json()
        ann.post("/api/quiz/answer", json={"id": q["id"], "choice": 0})
        assert bob.get("/api/quiz/next").status_code == 200
        other = bob.post("/api/quiz/answer", json={"id": q["id"], "choice": 0}).json()
        assert other["answered"] == 1  # Bob's own first answer, not Ann's


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"id": "no-such-question", "choice": 0},
        {"id": 7, "choice": 0},
        {"id": "q-effective-date"},
        {"id": "q-effective-date", "choice": 99},
        {"id": "q-effective-date", "choice": -1},
        {"id": "q-effective-date", "choice": True},
        {"id": "q-effective-date", "choice": "0"},
        {"id": "q-effective-date", "choice": 1.0},
    ],
)
def test_bad_quiz_answers(client: httpx.Client, payload: dict) -> None:
    assert_error(client.post("/api/quiz/answer", json=payload), 422)


def test_openapi_describes_every_api_route(client: httpx.Client, server: Running) -> None:
    """The document is generated from the app's routes and models, so it names each one."""
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    every = []
    for route in server.app.routes:  # included routers keep their routes in original_router
        every.extend(getattr(getattr(route, "original_router", None), "routes", [route]))
    routes = {
        route.path: {m.lower() for m in route.methods or ()} - {"head"}
        for route in every
        if getattr(route, "path", "").startswith("/api/")
    }
    described = {path: set(item) for path, item in spec["paths"].items()}
    assert described == routes
    refs = re.findall(r'"#/components/schemas/(\w+)"', json.dumps(spec))
    assert set(refs) <= set(spec["components"]["schemas"])


# -- embedding and pages ------------------------------------------------------------------------


def test_pages_can_be_embedded(client: httpx.Client) -> None:
    for path in ("/", "/quiz", "/api/health", "/static/chat.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert "x-frame-options" not in response.headers
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors *" in csp
        assert "script-src 'self'" in csp
    page = client.get("/")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "条例宣贯助手" in page.text
    assert "知识自测" in client.get("/quiz").text


def test_frame_ancestors_setting(serve_app: Callable[..., AbstractContextManager[Running]]) -> None:
    allowed = "'self' https://www.example.gov.cn"
    with serve_app(frame_ancestors=allowed) as running:
        csp = httpx.get(running.url + "/").headers["content-security-policy"]
    assert csp.endswith(f"frame-ancestors {allowed}")


# -- the last resort ----------------------------------------------------------------------------


class BrokenEngine:
    """The real engine, except that answering raises: stands in for a bug."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def answer(self, question: str) -> None:
        raise RuntimeError("bug")


def test_a_bug_is_a_json_500(web_engine: Engine) -> None:
    broken = Assistant.over(BrokenEngine(web_engine))  # type: ignore[arg-type]
    app = create_app(broken, WebSettings(rate_limit=0))
    with serve(app) as running:
        response = httpx.post(running.url + "/api/ask", json={"question": "条例什么时候施行？"})
    assert_error(response, 500, "internal_error")
    assert app.state.internal_errors == 1


# -- the CLI -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_web_serves(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "BOT_WEB_ACCESS_LOG": "0", "BOT_WEB_FRAME_ANCESTORS": "'self'"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/health")
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert response.json()["status"] == "ok"
        assert response.headers["content-security-policy"].endswith("frame-ancestors 'self'")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_web_refuses_a_bad_setting() -> None:
    env = {**os.environ, "BOT_WEB_FRAME_ANCESTORS": "*; script-src *"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "web", "--port", "1"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "BOT_WEB_FRAME_ANCESTORS" in done.stderr


def test_cors_only_for_configured_origins(
    serve_app: Callable[..., AbstractContextManager[Running]], server: Running
) -> None:
    origin = "https://www.example.gov.cn"
    preflight = {"origin": origin, "access-control-request-method": "POST"}
    preflight["access-control-request-headers"] = "content-type"
    with serve_app(cors_origins=(origin,), rate_limit=0) as running:
        response = httpx.options(running.url + "/api/ask", headers=preflight)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == origin
        answer = httpx.post(
            running.url + "/api/ask", json={"question": "你好"}, headers={"origin": origin}
        )
        assert answer.headers["access-control-allow-origin"] == origin
    # Off by default: a page elsewhere cannot read the answers with its own script.
    answer = httpx.post(
        server.url + "/api/ask", json={"question": "你好"}, headers={"origin": origin}
    )
    assert "access-control-allow-origin" not in answer.headers


def test_a_follow_up_is_read_with_the_visitor_s_previous_question(server: Running) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as ann:
        ann.post("/api/ask", json={"question": "企业有什么职责"})
        data = ann.post("/api/ask", json={"question": "那高校呢"}).json()
    assert data["read_as"] == "高校有什么职责" and data["entry"] == "duty-universities"
    assert data["blocks"][0] == {"type": "note", "text": "（接上一问，按“高校有什么职责”理解）"}
    # A new visitor (no cookie) asking the same is answered on its own.
    with httpx.Client(base_url=server.url, timeout=30) as bob:
        assert bob.post("/api/ask", json={"question": "那高校呢"}).json()["read_as"] is None


def test_asking_for_more_opens_the_list_just_shown(server: Running) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as ann:
        shown = ann.post("/api/ask", json={"question": "宣贯工作重点有哪些"}).json()
        data = ann.post("/api/ask", json={"question": "展开讲讲"}).json()
    assert [b["type"] for b in shown["blocks"]][:2] == ["heading", "list"]
    assert data["read_as"] == "宣贯工作重点有哪些，展开讲讲" and data["kind"] == "answer"
    assert [b["type"] for b in data["blocks"]].count("passage") == 3
