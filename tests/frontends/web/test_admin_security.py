"""The admin console's security over HTTP, against a real server: no console without an
account; no page or endpoint without a session; forged and expired cookies refused; CSRF on
every change; failed logins slowed and locked; no user enumeration by reply or timing; one
audit row per action."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from itsdangerous import TimestampSigner

from bot.admin import audit
from bot.admin.lockout import LockPolicy
from bot.engine import Engine
from tests.admin.support import (
    NAME,
    PASSWORD,
    Console,
    add_admin,
    assistant_over,
    cheap_hashes,
    console,
    hashing,
    log_in,
    run,
    try_login,
)

from .harness import INTENTS, KNOWLEDGE

TOKEN = "scripting-token-for-admin-tests"
PAGES = ["/admin", "/admin/dashboard", "/admin/questions", "/admin/knowledge", "/admin/quiz"]
PAGES += ["/admin/audit"]


def all_routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        else:
            yield route


def admin_routes(site: Console) -> list[tuple[str, str]]:
    """(method, path) of every admin page and /api/admin endpoint the app serves, path
    parameters filled, the login endpoints left out."""
    out = []
    for route in all_routes(site.running.app.routes):
        path = getattr(route, "path", "")
        if not (path.startswith("/admin") or path.startswith("/api/admin")):
            continue
        if path in ("/admin/login", "/api/admin/login", "/api/admin/login-token"):
            continue
        path = re.sub(r"\{[^}]+\}", "plan-schedule", path)
        for method in sorted(getattr(route, "methods", None) or {"GET"}):
            if method != "HEAD":
                out.append((method, path))
    return out


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('admin') / 'bot.db'}"


@pytest.fixture(scope="module", autouse=True)
def _cheap_hashes() -> Iterator[None]:
    with cheap_hashes():
        yield


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_dirs(KNOWLEDGE, INTENTS, semantic=False)


@pytest.fixture(scope="module")
def site(database_url: str, engine: Engine) -> Iterator[Console]:
    assistant = assistant_over(KNOWLEDGE, INTENTS, database_url, engine=engine)
    with console(assistant, database_url, admin_token=TOKEN) as served:
        yield served


def test_without_an_account_the_console_does_not_exist(site: Console) -> None:
    with site.client() as client:
        for method, path in [*admin_routes(site), ("GET", "/admin/login")]:
            if path == "/api/admin/reload":
                continue  # the scripting path answers 401 while BOT_ADMIN_TOKEN is set
            reply = client.request(method, path)
            assert reply.status_code == 404, (method, path, reply.status_code)
        assert client.get("/api/admin/login-token").status_code == 404
        assert client.post("/api/admin/reload").status_code == 401


def test_every_page_and_endpoint_needs_a_session(site: Console, database_url: str) -> None:
    add_admin(database_url)
    routes = admin_routes(site)
    assert len(routes) >= 12  # the scan found the console's routes
    with site.client() as client:
        for method, path in routes:
            reply = client.request(method, path)
            if path.startswith("/admin"):
                assert reply.status_code == 303, (method, path)
                assert re.search(r"/admin/login(\?next=\w*)?$", reply.headers["location"])
            else:
                assert reply.status_code == 401, (method, path, reply.status_code)
                assert reply.json()["error"] in ("login_required", "unauthorized")
        assert client.get("/admin/login").status_code == 200
        # The pages are never served as static files.
        assert client.get("/static/admin-dashboard.html").status_code == 404
        assert client.get("/static/admin.js").status_code == 200


def test_a_session_opens_everything_and_its_cookie_is_strict(site: Console) -> None:
    with site.client() as client:
        reply = client.get("/api/admin/login-token")
        pre = reply.headers["set-cookie"].lower()
        assert "httponly" in pre and "samesite=strict" in pre
        csrf = log_in(client)
        cookie = next(h for h in client.cookies.jar if h.name == "ipreg_admin")
        assert cookie.path == "/" and cookie.expires is not None
        raw = client.get("/api/admin/session")
        assert raw.status_code == 200 and raw.json()["name"] == NAME
        assert raw.json()["csrf"] == csrf
        for page in PAGES[1:]:
            assert client.get(page).status_code == 200, page
        assert client.get("/admin/login").status_code == 303  # already in
        login = client.cookies.get("ipreg_admin")
        assert login and PASSWORD not in login


def test_the_login_cookie_attributes(site: Console) -> None:
    with site.client() as client:
        reply = try_login(client, NAME, PASSWORD)
        header = reply.headers["set-cookie"]
        session = next(c for c in header.split(", ipreg") if "ipreg_admin=" in c)
        lowered = session.lower()
        assert "httponly" in lowered and "samesite=strict" in lowered and "max-age=" in lowered


def test_forged_and_expired_cookies_are_refused(site: Console) -> None:
    with site.client() as client:
        log_in(client)
        good = client.cookies["ipreg_admin"]
    token, _, _ = good.partition(".")
    forged = [
        "x" * 40,
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # signature altered
        TimestampSigner(b"not the key", salt="ipreg-admin-session").sign(token).decode(),
        TimestampSigner(b"not the key", salt="ipreg-admin-session").sign("other").decode(),
    ]
    for value in forged:
        with site.client(cookies={"ipreg_admin": value}) as client:
            assert client.get("/api/admin/session").status_code == 401
            assert client.get("/admin/dashboard").status_code == 303
    with site.client(cookies={"ipreg_admin": good}) as client:
        assert client.get("/api/admin/session").status_code == 200
        site.clock.advance(hours=8, seconds=1)  # the session's lifetime is over
        try:
            assert client.get("/api/admin/session").status_code == 401
            assert client.get("/admin/quiz").status_code == 303
        finally:
            site.clock.advance(hours=-8, seconds=-1)


def test_logout_ends_the_session_everywhere(site: Console) -> None:
    with site.client() as client:
        csrf = log_in(client)
        cookie = client.cookies["ipreg_admin"]
        assert client.post("/api/admin/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    with site.client(cookies={"ipreg_admin": cookie}) as copied:
        assert copied.get("/api/admin/session").status_code == 401


def test_changes_without_the_csrf_token_are_refused(site: Console) -> None:
    with site.client() as client:
        csrf = log_in(client)
        posts = [(m, p) for m, p in admin_routes(site) if m == "POST"]
        assert ("POST", "/api/admin/reload") in posts and len(posts) >= 9
        for _, path in posts:
            for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": ""}):
                reply = client.post(path, json={}, headers=headers)
                assert reply.status_code == 403, (path, headers, reply.status_code)
                assert reply.json()["error"] == "csrf"
        # The login form too: without the pre-login token, or with another's.
        with site.client() as stranger:
            bare = stranger.post("/api/admin/login", json={"name": NAME, "password": PASSWORD})
            assert bare.status_code == 403
            stolen = stranger.post(
                "/api/admin/login",
                json={"name": NAME, "password": PASSWORD},
                headers={"X-CSRF-Token": csrf},
            )
            assert stolen.status_code == 403
        ok = client.post("/api/admin/reload", headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200 and ok.json()["ok"] is True


def test_the_sixth_wrong_password_locks_even_the_right_one(site: Console) -> None:
    with site.client(headers={"X-Forwarded-For": "unused"}) as client:
        for _ in range(5):
            wrong = try_login(client, NAME, "not the password")
            assert wrong.status_code == 401 and wrong.json()["error"] == "bad_login"
        locked = try_login(client, NAME, PASSWORD)
        assert locked.status_code == 429 and locked.json()["error"] == "locked"
        assert int(locked.headers["retry-after"]) > 0
        # Another name from the same address is locked as well (the address counts too).
        assert try_login(client, "someone-else", "whatever pw").status_code == 429
        site.clock.advance(minutes=14)
        assert try_login(client, NAME, PASSWORD).status_code == 429
        site.clock.advance(minutes=1, seconds=1)  # the lock (15 minutes) has ended
        assert try_login(client, NAME, PASSWORD).status_code == 200


def test_five_failures_spread_over_more_than_a_minute_do_not_lock(site: Console) -> None:
    site.clock.advance(hours=1)  # clear of the failures of the tests before
    with site.client() as client:
        for _ in range(5):
            assert try_login(client, NAME, "not the password").status_code == 401
            site.clock.advance(seconds=20)  # 80 s from the first failure to the fifth
        assert try_login(client, NAME, PASSWORD).status_code == 200
        # Five within the minute do lock, and the right password is refused meanwhile (the
        # address's earlier failures first leave the window: a success forgets only the name's).
        site.clock.advance(minutes=2)
        for _ in range(5):
            assert try_login(client, NAME, "not the password").status_code == 401
            site.clock.advance(seconds=10)
        assert try_login(client, NAME, PASSWORD).status_code == 429
    site.clock.advance(minutes=16)


def test_failures_are_slowed_before_the_lock(tmp_path: Path, engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'slow.db'}"
    add_admin(url)
    assistant = assistant_over(KNOWLEDGE, INTENTS, url, engine=engine)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    policy = LockPolicy(slow_step=0.1)
    with console(assistant, url, policy=policy, sleep=sleep) as slow, slow.client() as client:
        for _ in range(4):
            assert try_login(client, NAME, "wrong password!").status_code == 401
        assert try_login(client, "another name", "wrong password!").status_code == 401
        locked = try_login(client, NAME, PASSWORD)
    # Failures 1 and 2 answer at once, the 3rd waits 0.1 s, the 4th 0.2 s; the 5th (a new
    # name, the same address) 0.3 s, and locks: the 6th is refused without waiting.
    assert waits == pytest.approx([0.0, 0.0, 0.1, 0.2, 0.3])
    assert locked.status_code == 429


def test_no_user_enumeration_by_reply_or_timing(tmp_path: Path, engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'timing.db'}"
    policy = LockPolicy(limit=1000, slow_step=0.0)  # timing of the check itself, no lock
    with hashing(PasswordHasher()):  # argon2id with its real (default) parameters
        add_admin(url)
        assistant = assistant_over(KNOWLEDGE, INTENTS, url, engine=engine)
        with console(assistant, url, policy=policy) as site, site.client() as client:
            unknown_times, wrong_times, replies = login_times(client)
    assert len(replies) == 1  # the same status and body, byte for byte
    # The fastest of each: other work on the machine only ever adds time, so the minimum is
    # the check's own cost (medians swung to 1.6 with the other core busy).
    unknown, wrong = min(unknown_times), min(wrong_times)
    ratio = max(unknown, wrong) / min(unknown, wrong)
    print(
        f"login timing: unknown {unknown * 1000:.1f} ms, wrong {wrong * 1000:.1f} ms, {ratio:.2f}"
    )
    assert ratio < 1.2


def login_times(client: httpx.Client) -> tuple[list[float], list[float], set[tuple[int, str]]]:
    """Interleaved wrong logins for an unknown name and for the account: their times
    (warm-up rounds left out) and every distinct reply."""
    unknown_times: list[float] = []
    wrong_times: list[float] = []
    replies: set[tuple[int, str]] = set()
    for round_ in range(20):
        for name, times in (("nobody-here", unknown_times), (NAME, wrong_times)):
            token = client.get("/api/admin/login-token").json()["csrf"]
            start = time.perf_counter()
            reply = client.post(
                "/api/admin/login",
                json={"name": name, "password": "wrong password"},
                headers={"X-CSRF-Token": token},
            )
            elapsed = time.perf_counter() - start
            if round_ >= 2:  # warm-up rounds are not counted
                times.append(elapsed)
            replies.add((reply.status_code, reply.text))
    return unknown_times, wrong_times, replies


def test_the_audit_log_has_one_row_per_action(tmp_path: Path, engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    add_admin(url)
    assistant = assistant_over(KNOWLEDGE, INTENTS, url, engine=engine)
    with console(assistant, url, admin_token=TOKEN) as site, site.client() as client:
        try_login(client, NAME, "a wrong password")  # not an action: no row
        csrf = log_in(client)
        headers = {"X-CSRF-Token": csrf}
        assert client.post("/api/admin/reload", headers=headers).status_code == 200
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.post(site.base + "/api/admin/reload", headers=bearer).status_code == 200
        listed = client.get("/api/admin/audit").json()
        assert client.post("/api/admin/logout", headers=headers).status_code == 200
    total, rows = run(url, audit.recent)
    actions = [(r.actor, r.action) for r in reversed(rows)]
    assert actions == [
        ("(命令行)", "account_added"),
        (NAME, "login"),
        (NAME, "reload"),
        ("(令牌)", "reload"),
        (NAME, "logout"),
    ]
    assert total == 5 and listed["total"] == 4
    assert all(r.at is not None for r in rows)
