"""The console's knowledge browser, check, reload, report, quiz list and live games over
HTTP; bad input never a traceback; the OpenAPI document describes the console."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.engine import Engine
from tests.admin.support import (
    Console,
    add_admin,
    assistant_over,
    cheap_hashes,
    console,
    log_in,
    seed,
)
from tests.conftest import KbCopy


@pytest.fixture(scope="module")
def kb(copy_kb) -> KbCopy:  # type: ignore[no-untyped-def]
    return copy_kb("console")


@pytest.fixture(scope="module")
def site(kb: KbCopy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'bot.db'}"
    with cheap_hashes():
        add_admin(url)
        engine = Engine.from_dirs(kb.knowledge, kb.intents, semantic=False)
        seed(url, engine, [("条例什么时候施行", "web", "a"), ("条例几号开始施行", "web", "b")])
        assistant = assistant_over(kb.knowledge, kb.intents, url, engine=engine)
        with console(assistant, url) as served:
            yield served


@pytest.fixture
def client(site: Console) -> Iterator:  # type: ignore[type-arg]
    with site.client() as c:
        c.headers["X-CSRF-Token"] = log_in(c)
        yield c


def test_every_entry_with_its_citation_and_use(client, site: Console) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/admin/knowledge").json()
    kb = site.assistant.engine.kb
    assert data["total"] == len(kb.entries) == len(data["entries"])
    rows = {r["id"]: r for r in data["entries"]}
    effective = rows["regulation-effective"]
    assert effective["answered"] == 2 and effective["citation"].startswith("《")
    assert effective["asked"] == len(kb.entries["regulation-effective"].questions)
    found = client.get("/api/admin/knowledge", params={"q": "施行", "kind": "fact"}).json()
    assert found["entries"] and all(r["kind"] == "fact" for r in found["entries"])
    detail = client.get("/api/admin/knowledge/regulation-effective").json()
    assert detail["text"] and detail["file"].startswith("knowledge/entries/")
    assert detail["questions"] == list(kb.entries["regulation-effective"].questions)
    missing = client.get("/api/admin/knowledge/<script>alert(1)</script>")
    assert missing.status_code == 404 and "Traceback" not in missing.text
    assert missing.headers["content-type"].startswith("application/json")


def test_check_and_reload_show_problems_with_file_and_line(
    client, kb: KbCopy, site: Console
) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/admin/check").json()["ok"] is True
    kb.write("knowledge/entries/zz-broken.yaml", "entries:\n  - id: broken\n    title: [x\n")
    try:
        checked = client.get("/api/admin/check").json()
        assert checked["ok"] is False
        assert all(p.startswith("knowledge/entries/zz-broken.yaml:") for p in checked["problems"])
        old = site.assistant.engine
        refused = client.post("/api/admin/reload")
        assert refused.status_code == 422 and refused.json()["problems"]
        assert site.assistant.engine is old
    finally:
        (kb.knowledge / "entries" / "zz-broken.yaml").unlink()
    assert client.post("/api/admin/reload").json()["ok"] is True


def test_the_report_downloads(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.get("/api/admin/report")
    if reply.status_code == 503:
        pytest.skip(reply.json()["message"])  # no CJK font here
    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    assert reply.text.startswith("<!doctype html>") or reply.text.lower().startswith("<!doctype")
    data = reply.text.split('id="report-data">')[1].split("</script>")[0]
    assert json.loads(data)["questions"] == 2


def test_the_quiz_with_citations_and_a_live_game(client, site: Console) -> None:  # type: ignore[no-untyped-def]
    quiz = client.get("/api/admin/quiz").json()
    assert (
        quiz["total"] == quiz["bank"] + quiz["generated"] and quiz["bank"] > 0 < quiz["generated"]
    )
    assert all(item["citation"] and item["answer"] in item["options"] for item in quiz["items"])
    created = client.post("/api/admin/live", json={"questions": 3, "seconds": 15})
    assert created.status_code == 201
    game = created.json()
    assert game["host_url"].endswith(
        f"/live/host/{game['pin']}#key=" + game["host_url"].split("#key=")[1]
    )
    info = client.get(f"/api/live/{game['pin']}").json()
    assert info["total"] == 3 and info["status"] == "lobby"
    for bad in ({"questions": 0}, {"seconds": 1000}, {"questions": "5"}, {"seconds": True}):
        refused = client.post("/api/admin/live", json=bad)
        assert refused.status_code == 422 and refused.json()["error"] == "bad_game"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("questions/attach", {"question": 5, "entry": "plan-schedule"}),
        ("questions/attach", {"question": "x" * 501, "entry": "plan-schedule"}),
        ("questions/attach", b'{"question": "\\ud800", "entry": "plan-schedule"}'),
        ("questions/attach", {"question": "  ", "entry": "plan-schedule"}),
        ("questions/dismiss", {}),
        ("learned/remove", {"id": "1"}),
        ("learned/remove", {"id": 123456}),
        ("learned/apply", {"dry_run": "yes"}),
    ],
)
def test_bad_input_is_refused_without_a_traceback(
    client, site: Console, path: str, body: dict
) -> None:  # type: ignore[no-untyped-def,type-arg]
    before = site.running.app.state.internal_errors
    if isinstance(body, bytes):  # a lone surrogate, as JSON escapes can send it
        reply = client.post(
            f"/api/admin/{path}", content=body, headers={"Content-Type": "application/json"}
        )
    else:
        reply = client.post(f"/api/admin/{path}", json=body)
    assert 400 <= reply.status_code < 500 and reply.json()["message"]
    for raw in (b"{", b"[1]", b"\xff"):
        bad = client.post(
            f"/api/admin/{path}", content=raw, headers={"Content-Type": "application/json"}
        )
        assert bad.status_code in (400, 422)
    wrong_type = client.post(
        f"/api/admin/{path}", content=b"{}", headers={"Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    assert site.running.app.state.internal_errors == before


def test_the_openapi_document_describes_the_console(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/admin/login",
        "/api/admin/session",
        "/api/admin/dashboard",
        "/api/admin/questions",
        "/api/admin/questions/attach",
        "/api/admin/learned/apply",
        "/api/admin/knowledge/{entry_id}",
        "/api/admin/quiz",
        "/api/admin/live",
        "/api/admin/audit",
    ):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert {"ApplyReply", "QuestionGroups", "EntryDetail", "Dashboard"} <= set(schemas)
