"""Faults a hall brings: a phone's connection dropped and restored mid-question, the same
answer sent three times, and the web process killed (SIGKILL) mid-game and started again —
no acknowledged answer is lost and the game goes on at the question it was on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

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

from .harness import REPO, Running


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with served(lexical_engine(), database_file(tmp_path_factory.mktemp("faults"))) as running:
        yield running


def test_a_dropped_connection_keeps_the_score_and_the_question(site: Running) -> None:
    with httpx.Client(base_url=site.url, timeout=10) as client:
        game = create_game(client, questions=2, seconds=60)
        pin = game["pin"]
        player = join(client, pin, "断线的人")
        host(client, game, "start")
        right = client.get(f"/api/live/{pin}/host", headers={"X-Host-Key": game["host_key"]})
        question = right.json()["question"]
        client.post(
            f"/api/live/{pin}/answers",
            json={"question_id": 1, "option_ids": [0]},
            headers=bearer(player["token"]),
        )
        host(client, game, "next")  # reveal question 1
        host(client, game, "next")  # question 2 opens
        before = client.get(f"/api/live/{pin}/state", headers=bearer(player["token"])).json()

    # The phone's stream is cut (Wi-Fi gone) mid-question; a new connection, a new client.
    with (
        httpx.Client(base_url=site.url, timeout=10) as client,
        client.stream("GET", f"/api/live/{pin}/events", headers=bearer(player["token"])),
    ):
        pass  # connected, then dropped before reading anything
    with httpx.Client(base_url=site.url, timeout=10) as phone:
        back = first_event(phone, f"/api/live/{pin}/events", bearer(player["token"]))
        assert back["status"] == "question" and back["question"]["id"] == 2
        assert (back["score"], back["rank"]) == (before["score"], before["rank"])
        assert back["question"]["text"] != question["text"]
        sent = phone.post(
            f"/api/live/{pin}/answers",
            json={"question_id": 2, "option_ids": [1]},
            headers=bearer(player["token"]),
        )
        assert sent.json() == {"accepted": True}


def test_an_answer_sent_three_times_counts_once(site: Running) -> None:
    """A retried request after a lost response, and a double tap: one answer, one score."""
    with httpx.Client(base_url=site.url, timeout=10) as client:
        game = create_game(client, questions=1, seconds=60)
        pin = game["pin"]
        player = join(client, pin, "手快的人")
        host(client, game, "start")
        body = {"question_id": 1, "option_ids": [0]}
        replies = [
            client.post(f"/api/live/{pin}/answers", json=body, headers=bearer(player["token"]))
            for _ in range(3)
        ]
        assert [r.json()["accepted"] for r in replies] == [True, True, True]
        revealed = host(client, game, "next")
        assert revealed["answered"] == 1 and sum(revealed["reveal"]["counts"]) == 1
        ranking = client.get(f"/api/live/{pin}/results").json()["ranking"]
        assert ranking[0]["answered"] == 1
        points = ranking[0]["score"]
        assert points in (0, *range(10, 16))  # once: never 2 × 15


# -- SIGKILL --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_web(port: int, database: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BOT_DATABASE_URL": database,
        "BOT_ADMIN_TOKEN": ADMIN,
        "BOT_SEMANTIC": "off",
        "BOT_WEB_ACCESS_LOG": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).raise_for_status()
            return process
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the web process did not start") from None
            time.sleep(0.1)


def stored_answers(database: str) -> set[tuple[int, int]]:
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT player_id, question FROM live_answers"))
            return {(int(p), int(q)) for p, q in rows}
    finally:
        engine.dispose()


def test_sigkill_mid_game_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    database = database_file(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_web(port, database)
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            game = create_game(client, questions=3, seconds=120)
            pin = game["pin"]
            players = [join(client, pin, f"玩家{i}") for i in range(30)]
            started = host(client, game, "start")
            acknowledged = set()
            for index, player in enumerate(players[:20]):
                reply = client.post(
                    f"/api/live/{pin}/answers",
                    json={"question_id": 1, "option_ids": [index % 2]},
                    headers=bearer(player["token"]),
                )
                if reply.json().get("accepted"):
                    acknowledged.add((player["player_id"], 0))
        process.send_signal(signal.SIGKILL)  # no shutdown, no flush: the process is gone
        process.wait(10)
        assert acknowledged and acknowledged <= stored_answers(database)

        process = start_web(port, database)
        with httpx.Client(base_url=url, timeout=10) as client:
            state = client.get(f"/api/live/{pin}/state", headers=bearer(players[0]["token"]))
            resumed = state.json()
            assert resumed["status"] == "question" and resumed["question"]["id"] == 1
            assert resumed["question"]["deadline"] == started["question"]["deadline"]
            assert resumed["answer"] == {"option_ids": [0]}  # acknowledged before the kill
            again = client.post(
                f"/api/live/{pin}/answers",
                json={"question_id": 1, "option_ids": [0]},
                headers=bearer(players[0]["token"]),
            )
            assert again.json() == {"accepted": True, "repeat": True}
            late_comer = client.post(
                f"/api/live/{pin}/answers",
                json={"question_id": 1, "option_ids": [1]},
                headers=bearer(players[25]["token"]),
            )
            assert late_comer.json() == {"accepted": True}  # the game goes on
            revealed = host(client, game, "next")
            assert revealed["answered"] == 21
            following = host(client, game, "next")
            assert following["status"] == "question" and following["question"]["id"] == 2
        assert len(stored_answers(database)) == 21
    finally:
        process.kill()
        process.wait(10)
