"""The live quiz service (bot.live): games, players, host actions, answers counted once,
scores as the Telegram quiz scores, and a restart that resumes the game — on SQLite and,
when configured, PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.live import LiveError, LiveService, Refused, views
from bot.live.models import LiveAnswer, LivePlayer

from .conftest import Clock


async def answer_rows(live: LiveService) -> list[tuple[int, int, int]]:
    async with live.db.session() as session:
        rows = await session.execute(
            select(LiveAnswer.question, LiveAnswer.player_id, LiveAnswer.points)
        )
        return sorted(tuple(r) for r in rows.all())


async def new_game(live: LiveService, questions: int = 3, seconds: int = 20):  # type: ignore[no-untyped-def]
    created = await live.create_game(questions, seconds)
    game = await live.game(created.pin)
    assert game is not None
    return created, game


# -- games and players -------------------------------------------------------------------------


async def test_a_new_game_waits_in_the_lobby_with_its_questions_shuffled_once(
    live: LiveService,
) -> None:
    created, game = await new_game(live, questions=4)
    assert len(created.pin) == 6 and created.pin.isdigit() and created.pin[0] != "0"
    assert game.phase(live.clock()) == "lobby" and game.total == 4
    assert live.is_host(game, created.host_key) and not live.is_host(game, "wrong")
    for question in game.questions:
        assert 0 <= question.correct < len(question.options)
        assert question.source_line  # every question cites its source
    again = await live.game_now(game)
    assert again.questions == game.questions  # stored with the game: a restart shows the same


async def test_limits_of_a_new_game(live: LiveService) -> None:
    with pytest.raises(ValueError):
        await live.create_game(0, 20)
    with pytest.raises(ValueError):
        await live.create_game(5, 2)


async def test_nicknames_are_cleaned_and_numbered_when_taken(live: LiveService) -> None:
    _, game = await new_game(live)
    first = await live.join(game, " 张三\u200b ")
    second = await live.join(game, "张三")
    third = await live.join(game, "<b>张三</b>\n")
    assert (first.player.name, second.player.name) == ("张三", "张三 2")
    assert third.player.name == "<b>张三</b>"  # kept as text; pages escape it
    with pytest.raises(LiveError, match="bad_name"):
        await live.join(game, " \n\t")
    assert len({first.token, second.token, third.token}) == 3


async def test_a_retried_join_with_the_browsers_token_is_the_same_player(
    live: LiveService,
) -> None:
    _, game = await new_game(live)
    token = "t" * 32
    first, again = await asyncio.gather(
        live.join(game, "李四", token), live.join(game, "李四", token)
    )
    assert first.player == again.player
    later = await live.join(game, "另一个名字", token)
    assert later.player == first.player and not later.new
    assert await live.player_count(game) == 1
    with pytest.raises(LiveError, match="bad_token"):
        await live.join(game, "王五", "short")


async def test_a_token_belongs_to_its_game(live: LiveService) -> None:
    _, one = await new_game(live)
    _, other = await new_game(live)
    joined = await live.join(one, "甲")
    assert await live.player(one, joined.token) == joined.player
    assert await live.player(other, joined.token) is None
    assert await live.player(one, "x" * 40) is None


# -- host actions --------------------------------------------------------------------------------


async def test_a_game_from_lobby_to_finished(live: LiveService, clock: Clock) -> None:
    _, game = await new_game(live, questions=2, seconds=20)
    with pytest.raises(Refused, match="not_open"):
        await live.act(game, "pause")
    game = await live.act(game, "start")
    assert game.phase(clock()) == "question" and game.current == 0
    with pytest.raises(Refused, match="already_started"):
        await live.act(game, "start")
    clock.advance(21)
    assert game.phase(clock()) == "reveal"  # the deadline passed: no action needed
    game = await live.act(game, "next")
    assert game.phase(clock()) == "question" and game.current == 1
    game = await live.act(game, "next")  # closes the open question early
    assert game.phase(clock()) == "reveal" and game.timing.deadline < clock()
    game = await live.act(game, "next")  # after the last question: finished
    assert game.phase(clock()) == "finished"
    with pytest.raises(Refused, match="finished"):
        await live.act(game, "next")
    assert (await live.act(game, "end")).version == game.version  # ending twice: harmless


async def test_a_retried_next_with_the_seen_version_skips_nothing(
    live: LiveService, clock: Clock
) -> None:
    _, game = await new_game(live, questions=3)
    game = await live.act(game, "start")
    clock.advance(25)
    seen = game.version
    game = await live.act(game, "next", version=seen)
    again = await live.act(game, "next", version=seen)  # the same click, sent again
    assert again.current == game.current == 1 and again.version == game.version


async def test_pause_stops_the_clock_and_refuses_answers(live: LiveService, clock: Clock) -> None:
    _, game = await new_game(live, questions=1, seconds=20)
    player = (await live.join(game, "甲")).player
    game = await live.act(game, "start")
    clock.advance(5)
    game = await live.act(game, "pause")
    assert game.paused and game.paused_left_ms == 15_000
    clock.advance(600)  # a long pause: still the question, not the reveal
    assert game.phase(clock()) == "question"
    refused = await live.answer(game, player, 1, [game.question.correct])
    assert (refused.accepted, refused.reason) == (False, "paused")
    game = await live.act(game, "resume")
    assert (game.timing.deadline - clock()).total_seconds() == 15
    assert (await live.answer(game, player, 1, [game.question.correct])).accepted
    clock.advance(16)
    board = await live.standings.board(await live.fresh(game))
    # 15 of 20 s left when answered, as at the pause: 10 + round(5 × 0.75) = 14.
    assert board.standing(player.id) == (14, 1)


async def test_end_closes_the_open_question(live: LiveService, clock: Clock) -> None:
    _, game = await new_game(live, questions=3)
    player = (await live.join(game, "甲")).player
    game = await live.act(game, "start")
    clock.advance(2)
    game = await live.act(game, "end")
    assert game.phase(clock()) == "finished"
    late = await live.answer(game, player, 1, [0])
    assert (late.accepted, late.reason) == (False, "late")
    with pytest.raises(LiveError, match="finished"):
        await live.join(game, "迟到的人")


# -- answers -----------------------------------------------------------------------------------


async def test_the_same_answer_three_times_counts_once(live: LiveService, clock: Clock) -> None:
    _, game = await new_game(live)
    player = (await live.join(game, "甲")).player
    game = await live.act(game, "start")
    right = game.question.correct
    clock.advance(4)
    results = [await live.answer(game, player, 1, [right]) for _ in range(3)]
    assert [(r.accepted, r.repeat) for r in results] == [(True, False), (True, True), (True, True)]
    changed = await live.answer(game, player, 1, [(right + 1) % len(game.question.options)])
    assert (changed.accepted, changed.reason) == (False, "already_answered")
    assert await answer_rows(live) == [(0, player.id, 14)]  # 10 + round(5 × 16/20)


async def test_concurrent_answers_from_two_processes_count_once(
    make_live: Callable[..., LiveService], clock: Clock
) -> None:
    first, second = make_live(), make_live()
    await first.prepare()
    _, game = await new_game(first)
    players = [(await first.join(game, f"玩家{i}")).player for i in range(20)]
    game = await first.act(game, "start")
    other = await second.game(game.pin)
    assert other is not None
    sends = [
        service.answer(view, player, 1, [0])
        for player in players
        for service, view in ((first, game), (second, other), (first, game))
    ]
    results = await asyncio.gather(*sends)
    assert all(r.accepted for r in results)
    assert sum(not r.repeat for r in results) == 20
    rows = await answer_rows(first)
    assert len(rows) == 20 and len({r[1] for r in rows}) == 20


async def test_answers_are_judged_by_the_time_they_arrived(live: LiveService, clock: Clock) -> None:
    _, game = await new_game(live, questions=2, seconds=10)
    early, slow, never = [(await live.join(game, n)).player for n in ("快", "慢", "没答")]
    game = await live.act(game, "start")
    right = game.question.correct
    wrong = (right + 1) % len(game.question.options)
    assert (await live.answer(game, early, 1, [right])).accepted
    clock.advance(10)  # exactly at the deadline still counts
    assert (await live.answer(game, slow, 1, [wrong])).accepted
    clock.advance(0.001)
    late = await live.answer(game, never, 1, [right])
    assert (late.accepted, late.reason) == (False, "late")
    ahead = await live.answer(game, never, 2, [0])
    assert (ahead.accepted, ahead.reason) == (False, "not_open")
    out_of_range = await live.answer(game, never, 1, [9])
    assert out_of_range.reason == "not_open"
    assert await answer_rows(live) == [(0, early.id, 15), (0, slow.id, 0)]


# -- what players and the host see -----------------------------------------------------------------


async def test_states_hide_the_answer_until_the_reveal(live: LiveService, clock: Clock) -> None:
    _, game = await new_game(live, questions=2, seconds=20)
    a, b = [(await live.join(game, n)).player for n in ("甲", "乙")]
    game = await live.act(game, "start")
    right = game.question.correct
    await live.answer(game, a, 1, [right])
    state = await views.player_state(live, game, a)
    assert state["status"] == "question" and state["answer"] == {"option_ids": [right]}
    assert state["result"] is None and "correct" not in str(state["question"])
    host = await views.host_state(live, game, "http://x/live")
    assert host["answered"] == 1 and host["reveal"] is None
    clock.advance(21)
    state = await views.player_state(live, game, a)
    assert state["status"] == "reveal" and state["result"]["correct"] is True
    assert state["score"] == 15 and state["rank"] == 1
    loser = await views.player_state(live, game, b)
    assert loser["result"]["answered"] is False and loser["rank"] == 2
    host = await views.host_state(live, game, "http://x/live")
    assert host["reveal"]["counts"][right] == 1 and host["reveal"]["right"] == 1
    assert [row["name"] for row in host["leaderboard"]] == ["甲", "乙"]
    results = await views.results(live, game)
    assert len(results["questions"]) == 1  # the second question is not shown before it closes
    assert results["ranking"][0] == {
        "rank": 1,
        "name": "甲",
        "score": 15,
        "correct": 1,
        "answered": 1,
    }


# -- restarts ------------------------------------------------------------------------------------


async def test_a_restarted_process_resumes_the_game_at_its_question(
    make_live: Callable[..., LiveService], clock: Clock
) -> None:
    before = make_live()
    await before.prepare()
    _, game = await new_game(before, questions=3)
    joined = await before.join(game, "甲")
    game = await before.act(game, "start")
    clock.advance(21)
    game = await before.act(game, "next")
    assert (await before.answer(game, joined.player, 2, [0])).accepted
    await before.close()
    await before.db.dispose()  # the process is gone

    after = make_live()
    resumed = await after.game(game.pin)
    assert resumed is not None
    assert (resumed.current, resumed.phase(clock()), resumed.questions) == (
        1,
        "question",
        game.questions,
    )
    assert resumed.timing == game.timing  # the same deadline
    player = await after.player(resumed, joined.token)
    assert player == joined.player
    repeat = await after.answer(resumed, player, 2, [0])
    assert repeat.accepted and repeat.repeat  # the acknowledged answer is there
    clock.advance(21)
    resumed = await after.act(resumed, "next")
    assert resumed.current == 2


async def test_player_counts_stay_within_the_database(live: LiveService) -> None:
    _, game = await new_game(live)
    await asyncio.gather(*(live.join(game, f"同名{i % 3}") for i in range(30)))
    async with live.db.session() as session:
        names = list(await session.scalars(select(LivePlayer.name)))
        count = await session.scalar(select(func.count(LivePlayer.id)))
    assert count == 30 and len(set(names)) == 30
