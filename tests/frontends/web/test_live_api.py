"""The live quiz's HTTP contract (documented in the OpenAPI document): creating a game with the
admin token, joining, the state, answers counted once, host actions with the host key,
server-sent events, results, the QR code; limits per token and game, not per IP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.engine import Engine
from bot.frontends.web import live_models as m
from tests.live.support import (
    ADMIN,
    bearer,
    create_game,
    database_file,
    first_event,
    host,
    join,
    lexical_engine,
    served,
)

from .harness import Running


@pytest.fixture(scope="module")
def engine() -> Engine:
    return lexical_engine()


@pytest.fixture(scope="module")
def site(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    # The chat API's per-IP limit at 1 a minute: the live endpoints must not feel it.
    with served(engine, database_file(tmp_path_factory.mktemp("api")), rate_limit=1) as running:
        yield running


@pytest.fixture
def client(site: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=10) as client:
        yield client


def test_creating_a_game_needs_the_admin_token(client: httpx.Client) -> None:
    refused = client.post("/api/live", json={"questions": 2, "seconds": 20})
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    wrong = client.post("/api/live", json={}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    bad = client.post(
        "/api/live", json={"questions": 99}, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert bad.status_code == 422 and bad.json()["message"].startswith("题目数")
    game = m.CreatedGame.model_validate(create_game(client))
    assert game.join_url.endswith(f"/live?pin={game.pin}")
    assert game.host_url.endswith(f"/live/host/{game.pin}#key={game.host_key}")


def test_without_an_admin_token_configured_there_is_no_way_to_create_one(
    engine: Engine, tmp_path: Path
) -> None:
    from bot.frontends.web import WebSettings, create_app
    from tests.frontends.web.harness import serve
    from tests.live.support import assistant_over

    app = create_app(assistant_over(engine, database_file(tmp_path)), WebSettings())
    with serve(app) as running:
        response = httpx.post(
            running.url + "/api/live", json={}, headers={"Authorization": "Bearer x"}
        )
    assert response.status_code == 404


def test_a_player_joins_plays_and_reads_the_results(client: httpx.Client) -> None:
    game = create_game(client, questions=2, seconds=60)
    pin = game["pin"]
    assert m.GameInfo.model_validate(client.get(f"/api/live/{pin}").json()).status == "lobby"
    joined = client.post(f"/api/live/{pin}/players", json={"name": "  张三  "})
    assert joined.status_code == 201
    player = m.JoinedPlayer.model_validate(joined.json())
    assert player.name == "张三"
    token = "k" * 30
    first = client.post(f"/api/live/{pin}/players", json={"name": "李四", "token": token})
    again = client.post(f"/api/live/{pin}/players", json={"name": "李四", "token": token})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["player_id"] == again.json()["player_id"]

    state = m.PlayerState.model_validate(
        client.get(f"/api/live/{pin}/state", headers=bearer(player.token)).json()
    )
    assert state.status == "lobby" and state.question is None and state.score == 0

    started = m.HostState.model_validate(host(client, game, "start"))
    assert started.status == "question" and started.question is not None
    question = started.question
    send = {"question_id": question.id, "option_ids": [question.options[0].id]}
    replies = [
        client.post(f"/api/live/{pin}/answers", json=send, headers=bearer(player.token)).json()
        for _ in range(3)
    ]
    assert [m.AnswerReply.model_validate(r).accepted for r in replies] == [True, True, True]
    assert [r.get("repeat", False) for r in replies] == [False, True, True]
    other = {"question_id": question.id, "option_ids": [question.options[1].id]}
    changed = client.post(f"/api/live/{pin}/answers", json=other, headers=bearer(player.token))
    assert changed.json() == {"accepted": False, "reason": "already_answered"}

    mine = m.PlayerState.model_validate(
        client.get(f"/api/live/{pin}/state", headers=bearer(player.token)).json()
    )
    assert mine.answer is not None and mine.answer.option_ids == [question.options[0].id]
    assert mine.result is None  # right or wrong only after the timer

    revealed = m.HostState.model_validate(host(client, game, "next"))
    assert revealed.status == "reveal" and revealed.reveal is not None
    assert sum(revealed.reveal.counts) == 1 and revealed.answered == 1
    assert revealed.leaderboard is not None and len(revealed.leaderboard) == 2

    results = m.Results.model_validate(client.get(f"/api/live/{pin}/results").json())
    assert [q.answered for q in results.questions] == [1]  # three sends, counted once
    host(client, game, "end")
    assert client.get(f"/api/live/{pin}").json()["status"] == "finished"


def test_refusals_are_json_with_chinese_messages(client: httpx.Client) -> None:
    game = create_game(client)
    pin = game["pin"]
    player = join(client, pin, "甲")
    cases = [
        (client.get("/api/live/000000"), 404, "live_not_found"),
        (client.get("/api/live/abc"), 404, "live_not_found"),
        (client.get(f"/api/live/{pin}/state"), 401, "live_no_player"),
        (client.get(f"/api/live/{pin}/state", headers=bearer("z" * 30)), 401, "live_no_player"),
        (client.post(f"/api/live/{pin}/start"), 403, "live_not_host"),
        (
            client.post(f"/api/live/{pin}/start", headers={"X-Host-Key": "wrong"}),
            403,
            "live_not_host",
        ),
        (client.post(f"/api/live/{pin}/players", json={"name": " "}), 422, "bad_name"),
        (client.post(f"/api/live/{pin}/players", json={"name": 5}), 422, "bad_name"),
        (
            client.post(
                f"/api/live/{pin}/answers",
                json={"question_id": 1, "option_ids": [True]},
                headers=bearer(player["token"]),
            ),
            422,
            "bad_answer",
        ),
        (
            client.post(f"/api/live/{pin}/pause", headers={"X-Host-Key": game["host_key"]}),
            409,
            "not_open",
        ),
    ]
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]) == (status, code)
        assert response.json()["message"]
    early = client.post(
        f"/api/live/{pin}/answers",
        json={"question_id": 1, "option_ids": [0]},
        headers=bearer(player["token"]),
    )
    assert early.json() == {"accepted": False, "reason": "not_open"}


def test_events_stream_the_state_to_phones_and_the_host(
    client: httpx.Client, site: Running
) -> None:
    game = create_game(client, questions=2, seconds=60)
    pin = game["pin"]
    player = join(client, pin, "甲")
    first = first_event(client, f"/api/live/{pin}/events", bearer(player["token"]))
    assert m.PlayerState.model_validate(first).status == "lobby"
    hosted = first_event(client, f"/api/live/{pin}/events", {"X-Host-Key": game["host_key"]})
    assert m.HostState.model_validate(hosted).names == ["甲"]

    seen: list[dict[str, object]] = []

    def listen() -> None:
        with httpx.stream(
            "GET", f"{site.url}/api/live/{pin}/events", headers=bearer(player["token"]), timeout=10
        ) as response:
            for line in response.iter_lines():
                if line.startswith("data:"):
                    seen.append(json.loads(line[5:]))
                    if len(seen) == 2:
                        return

    thread = threading.Thread(target=listen)
    thread.start()
    deadline = threading.Event()
    while not seen and not deadline.wait(0.05):
        pass
    host(client, game, "start")  # pushed to the open stream, no polling
    thread.join(10)
    assert [s["status"] for s in seen] == ["lobby", "question"]
    refused = client.get(f"/api/live/{pin}/events", headers={"X-Host-Key": "wrong"})
    assert refused.status_code == 403


def test_the_qr_code_and_the_pages(client: httpx.Client) -> None:
    game = create_game(client)
    svg = client.get(f"/api/live/{game['pin']}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "<script" not in svg.text
    for path in ("/live", f"/live/host/{game['pin']}"):
        page = client.get(path)
        assert (
            page.status_code == 200
            and "script-src 'self'" in page.headers["content-security-policy"]
        )
        assert "<script>" not in page.text  # no inline script: CSP 'self' only


def test_the_openapi_document_describes_the_live_api(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [
        ("/api/live", "post"),
        ("/api/live/{pin}/players", "post"),
        ("/api/live/{pin}/state", "get"),
        ("/api/live/{pin}/answers", "post"),
        ("/api/live/{pin}/events", "get"),
        ("/api/live/{pin}/start", "post"),
        ("/api/live/{pin}/next", "post"),
        ("/api/live/{pin}/end", "post"),
        ("/api/live/{pin}/results", "get"),
    ]:
        assert method in paths[path], path
    body = paths["/api/live/{pin}/answers"]["post"]["requestBody"]["content"]
    assert "option_ids" in body["application/json"]["schema"]["properties"]
    assert (
        "text/event-stream" in paths["/api/live/{pin}/events"]["get"]["responses"]["200"]["content"]
    )


def test_a_hall_behind_one_address_is_not_throttled(client: httpx.Client) -> None:
    """300 phones from one IP join and answer; the chat's per-IP limit here is 1 a minute."""
    game = create_game(client, questions=1, seconds=120)
    pin = game["pin"]
    players = [join(client, pin, f"观众{i}") for i in range(300)]
    started = host(client, game, "start")
    question = started["question"]
    statuses = {
        client.post(
            f"/api/live/{pin}/answers",
            json={"question_id": question["id"], "option_ids": [0]},
            headers=bearer(p["token"]),
        ).status_code
        for p in players
    }
    assert statuses == {200}
    assert host(client, game, "next")["answered"] == 300
    assert client.post("/api/ask", json={"question": "条例什么时候施行"}).status_code in (200, 429)


def test_one_phone_hammering_is_limited_by_its_token(engine: Engine, tmp_path: Path) -> None:
    from bot.frontends.web.live_limits import LiveLimits

    with served(engine, database_file(tmp_path)) as running:
        running.app.state.live_api.limits = LiveLimits(token_per_minute=5)
        with httpx.Client(base_url=running.url) as client:
            game = create_game(client)
            flood, calm = join(client, game["pin"], "甲"), join(client, game["pin"], "乙")
            path = f"/api/live/{game['pin']}/state"
            codes = [client.get(path, headers=bearer(flood["token"])).status_code for _ in range(8)]
            assert codes[:5] == [200] * 5 and codes[-1] == 429
            limited = client.get(path, headers=bearer(flood["token"]))
            assert limited.headers["Retry-After"].isdigit()
            assert client.get(path, headers=bearer(calm["token"])).status_code == 200
