"""Every change made in the console writes exactly one audit row, naming who and what, and
nothing else writes one: reads, refused requests (no CSRF token, bad input, a wrong password,
an unknown entry) and dry runs leave the log as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.admin import audit
from bot.admin.audit import AuditRow
from bot.admin.learned import listing
from bot.evaluation import load_items
from tests.admin.support import (
    NAME,
    REPO,
    Console,
    add_admin,
    assistant_over,
    console,
    log_in,
    run,
    seed,
    tiny_kb,
    try_login,
)

INTENTS = REPO / "intents"
UNANSWERED = "宣灌活动到几号结束"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    root = tmp_path_factory.mktemp("audit")
    knowledge, evals = tiny_kb(root)
    url = f"sqlite:///{root / 'bot.db'}"
    add_admin(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOT_EVAL_DIR", str(evals))
        assistant = assistant_over(knowledge, INTENTS, url)
        asked = [(UNANSWERED, "web", "a"), ("食堂今天吃什么", "web", "b"), ("啊啊啊", "web", "c")]
        seed(url, assistant.engine, asked)
        with console(assistant, url) as served:
            served.evals = evals  # type: ignore[attr-defined]
            yield served


class Log:
    """The audit log as the test goes: what each step added."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seen = self.total()

    def total(self) -> int:
        return run(self.url, lambda db: audit.recent(db, 1))[0]

    def added(self) -> list[AuditRow]:
        total, rows = run(self.url, lambda db: audit.recent(db, 50))
        new = list(reversed(rows[: total - self.seen]))
        self.seen = total
        return new

    def one(self, action: str) -> AuditRow:
        new = self.added()
        assert [(r.actor, r.action) for r in new] == [(NAME, action)], new
        assert new[0].at is not None
        return new[0]

    def none(self) -> None:
        assert self.added() == []


def post(client: httpx.Client, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return client.post(f"/api/admin/{path}", json=body or {})


def test_one_row_per_action_and_none_for_anything_else(site: Console) -> None:
    log = Log(site.url)
    with site.client() as client:
        assert try_login(client, NAME, "not the password").status_code == 401
        log.none()
        csrf = log_in(client)
        assert "127.0.0.1" in log.one("login").detail
        for path in ("dashboard", "questions", "knowledge", "quiz", "audit", "learned", "check"):
            assert client.get(f"/api/admin/{path}").status_code == 200, path
        log.none()

        # Refused changes: no token, bad input, an unknown entry.
        assert (
            post(
                client, "questions/attach", {"question": UNANSWERED, "entry": "plan-schedule"}
            ).status_code
            == 403
        )
        assert post(client, "reload").status_code == 403
        client.headers["X-CSRF-Token"] = csrf
        assert (
            post(client, "questions/attach", {"question": UNANSWERED, "entry": "nope"}).status_code
            == 422
        )
        assert post(client, "questions/dismiss", {}).status_code == 422
        assert post(client, "live", {"questions": 0}).status_code == 422
        log.none()

        attach = {"question": UNANSWERED, "entry": "plan-schedule"}
        assert post(client, "questions/attach", attach).status_code == 200
        detail = log.one("attach").detail
        assert UNANSWERED in detail and "宣贯活动的时间安排" in detail  # the entry's title
        assert (
            post(client, "questions/out-of-scope", {"question": "食堂今天吃什么"}).status_code
            == 200
        )
        assert log.one("out_of_scope").detail == "食堂今天吃什么"
        assert post(client, "questions/dismiss", {"question": "啊啊啊"}).status_code == 200
        log.one("dismissed")
        assert post(client, "questions/reopen", {"question": "啊啊啊"}).status_code == 200
        log.one("reopen")

        assert post(client, "learned/apply", {"dry_run": True}).json()["reason"] == "dry_run"
        log.none()
        applied = post(client, "learned/apply").json()
        assert applied["applied"] is True, applied
        assert "宣贯资料题集" in log.one("apply").detail
        assert post(client, "learned/apply").json()["reason"] == "nothing_pending"
        log.none()

        (active,) = run(site.url, listing)
        assert post(client, "learned/remove", {"id": active.id}).status_code == 200
        assert "宣贯活动的时间安排" in log.one("detach").detail

        assert post(client, "reload").json()["ok"] is True
        log.one("reload")
        assert post(client, "live", {"questions": 2, "seconds": 10}).status_code == 201
        assert "PIN" in log.one("live_created").detail
        report = client.get("/api/admin/report")
        if report.status_code == 200:
            log.one("report")
        else:  # no CJK font for the charts here: refused, and no row
            assert report.status_code == 503
            log.none()

        assert post(client, "logout").status_code == 200
        log.one("logout")
        assert post(client, "reload").status_code == 401  # the session is over
        log.none()


def test_a_refused_apply_names_what_got_worse_and_its_suspect(site: Console) -> None:
    engine = site.assistant.engine
    evals: Path = site.evals  # type: ignore[attr-defined]
    held_out = [i for i in load_items(evals / "seed.yaml") if i.split == "test" and i.in_scope]
    right = next(
        i
        for i in held_out
        if engine.answer(i.question).entry == i.expect[0] and i.expect[0] != "plan-purpose"
    )
    log = Log(site.url)
    with site.client() as client:
        client.headers["X-CSRF-Token"] = log_in(client)
        wrong = {"question": right.question, "entry": "plan-purpose"}
        assert post(client, "questions/attach", wrong).status_code == 200
        refused = post(client, "learned/apply").json()
        (pending,) = [r for r in run(site.url, listing) if r.status == "pending"]
        assert refused["reason"] == "dropped" and refused["suspects"] == [pending.id]
        (figures,) = refused["sets"]
        assert figures["label"] == "宣贯资料题集"
        worse = {w["question"]: w for w in figures["worse"]}
        assert worse[right.question]["now"] == "plan-purpose"
        assert worse[right.question]["expected"] in right.expect
        assert worse[right.question]["now_title"] == engine.kb.entries["plan-purpose"].title
        assert post(client, "learned/remove", {"id": pending.id}).status_code == 200
    actions = [r.action for r in log.added()]
    assert actions == ["login", "attach", "apply_refused", "detach"]
