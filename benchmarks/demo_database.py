"""Fill a demo database with a realistic campaign, e.g. to try the report or the admin commands.

Usage:  python benchmarks/demo_database.py [--url URL | --out FILE] [--weeks N] [--users N]
                                           [--groups N] [--seed N] [--start YYYY-MM-DD]
        python -m bot report --database sqlite:///data/demo.db --out artifacts/demo-report.html

Questions over several weeks from many users: the questions of the evaluation set (written the
way people ask: colloquial, typos, traditional characters, out of scope) plus questions the
knowledge base does not cover, some asked again and again in different spellings; each is
answered by the real engine over the seed knowledge base and stored through `QuestionLog`
(users hashed), so kinds, intents and cited entries are what the bot would have recorded.
Volume follows a campaign: a launch peak, busy weekdays, quiet weekends, an event day.

Quiz rounds in several groups go through `QuizService` with the seed bank: rounds opened,
questions drawn, polls registered, answers scored by the real rules (right or wrong, fast or
slow, some late), rounds finished — a few stopped early and one left running — plus private
practice. Everything is written through the project's own models, so the schema is the real
one. The same seed gives the same database.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.engine import Engine  # noqa: E402
from bot.quiz.bank import load_bank  # noqa: E402
from bot.quiz.service import QuizService, Round  # noqa: E402
from bot.storage import Database, QuestionLog  # noqa: E402

EVAL_SET = ROOT / "tests" / "eval" / "seed.yaml"
HASH_SECRET = "demo-database-hash-secret"
# Beijing time is UTC+8: people ask between 08:00 and 22:00 there.
BEIJING = timedelta(hours=8)

# Questions the seed knowledge base does not answer; the first ones are asked often.
UNCOVERED = [
    "专利申请要交多少钱",
    "商标注册大概要多久",
    "版权登记去哪里办",
    "高新技术企业怎么认定",
    "知识产权质押融资怎么贷款",
    "专利年费忘了交怎么办",
    "外观设计专利保护几年",
    "地理标志产品怎么申请",
    "软件著作权登记需要什么材料",
    "商标被别人抢注了怎么办",
    "专利代理机构怎么收费",
    "国外的专利在中国有效吗",
]
# Extra small talk and help requests.
SMALL_TALK = ["你好", "谢谢", "在吗", "你能做什么", "再见", "你是谁"]
FIRST_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉梅"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


@dataclass
class DemoTotals:
    """What was written, for checks: questions by kind, rounds, answers."""

    questions: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    rounds: int = 0
    groups: int = 0
    quiz_answers: int = 0
    practice_answers: int = 0
    first_day: date | None = None
    last_day: date | None = None


def question_pool() -> list[str]:
    """The evaluation set's questions (when the checkout has it) and a few fixed ones."""
    pool: list[str] = []
    if EVAL_SET.is_file():
        for item in yaml.safe_load(EVAL_SET.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and isinstance(item.get("q"), str):
                pool.append(item["q"])
    if not pool:
        pool = ["条例什么时候施行", "宣贯活动什么时候开展", "知识产权调查官是什么", "联系人是谁"]
    return pool


def variant(rng: random.Random, text: str) -> str:
    """The same question typed differently: full-width, punctuation, spaces, a particle."""
    choice = rng.random()
    if choice < 0.2:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text) + "？"
    if choice < 0.4:
        return text + rng.choice(["？", "?", "？？", "。", "！"])
    if choice < 0.5 and len(text) > 4:
        cut = rng.randrange(2, len(text) - 1)
        return f"{text[:cut]} {text[cut:]}"
    if choice < 0.6:
        return text + "呢"
    return text


def daily_volume(rng: random.Random, day_index: int, day: date, base: int) -> int:
    """Questions on one day: a launch peak that fades, weekends quieter, one event day."""
    launch = 2.5 if day_index < 3 else 1.0 + 1.2 * 0.85**day_index
    weekend = 0.35 if day.weekday() >= 5 else 1.0
    event = 2.0 if day_index == 16 else 1.0
    return max(0, round(base * launch * weekend * event * rng.uniform(0.8, 1.2)))


def moment(rng: random.Random, day: date) -> datetime:
    """A time in Beijing office and evening hours on `day` (Beijing), as UTC."""
    hour = rng.choices(range(8, 22), weights=[2, 5, 6, 5, 3, 3, 5, 6, 5, 3, 2, 3, 3, 2])[0]
    local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    return (local - BEIJING).replace(tzinfo=UTC)


def display_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(FIRST_NAMES, k=rng.choice([1, 2])))


async def fill_questions(
    log: QuestionLog,
    engine: Engine,
    rng: random.Random,
    start: date,
    days: int,
    users: int,
    base: int,
    totals: DemoTotals,
) -> None:
    pool = question_pool()
    # A few heavy askers and a long tail, as in any chat.
    user_ids = [500_000 + i for i in range(users)]
    weights = [1.0 / (1 + i) ** 0.6 for i in range(users)]
    answers: dict[str, tuple[str, str, str | None, float]] = {}
    pending = []
    for index in range(days):
        day = start + timedelta(days=index)
        for _ in range(daily_volume(rng, index, day, base)):
            roll = rng.random()
            if roll < 0.12:
                # Uncovered questions: a handful asked again and again.
                text = variant(rng, UNCOVERED[min(int(rng.expovariate(0.45)), len(UNCOVERED) - 1)])
            elif roll < 0.17:
                text = rng.choice(SMALL_TALK)
            else:
                text = variant(rng, rng.choice(pool))
            if text not in answers:
                reply = engine.answer(text)
                answers[text] = (reply.kind, reply.intent, reply.entry, reply.confidence)
            kind, intent, entry, confidence = answers[text]
            chat_type = rng.choices(["private", "supergroup", "inline"], weights=[7, 2, 1])[0]
            pending.append(
                log.record(
                    user_id=rng.choices(user_ids, weights)[0],
                    chat_type=chat_type,
                    frontend="telegram",
                    question=text,
                    kind=kind,
                    intent=intent,
                    entry=entry,
                    confidence=confidence,
                    created_at=moment(rng, day),
                )
            )
            totals.questions += 1
            totals.kinds[kind] += 1
    # Concurrent calls share the log's batched writer: one commit per batch.
    for chunk in range(0, len(pending), 500):
        await asyncio.gather(*pending[chunk : chunk + 500])


async def fill_quiz(
    service: QuizService,
    rng: random.Random,
    start: date,
    days: int,
    groups: int,
    users: int,
    totals: DemoTotals,
) -> None:
    names = {500_000 + i: display_name(rng) for i in range(users)}
    group_ids = [-1001_000_000_000 - 7919 * g for g in range(groups)]
    poll_number = 0
    for g, chat_id in enumerate(group_ids):
        members = rng.sample(sorted(names), k=min(len(names), rng.randint(8, 40)))
        skill = {user: rng.uniform(0.45, 0.95) for user in members}
        round_count = rng.randint(2, 6) if g else 7  # the first group is the keenest
        round_days = sorted(rng.sample(range(days), k=min(days, round_count)))
        for r, day_index in enumerate(round_days):
            started = moment(rng, start + timedelta(days=day_index))
            seconds = rng.choice([20, 30, 45, 60])
            planned = rng.choice([3, 5, 5, 10])
            opened = await service.start_round(
                chat_id, rng.choice(members), planned, seconds, at=started
            )
            assert isinstance(opened, Round), "a demo round overlapped another"
            totals.rounds += 1
            last_round = g == 0 and r == len(round_days) - 1
            stop_after = planned if rng.random() > 0.15 else rng.randint(1, planned)
            at = started
            for _position in range(stop_after if not last_round else 2):
                question = await service.next_question(opened.id)
                if question is None:
                    break
                poll_number += 1
                opened_at = at + timedelta(seconds=3)
                closes_at = opened_at + timedelta(seconds=seconds)
                poll_id = f"demo-poll-{poll_number}"
                await service.register_poll(
                    poll_id,
                    opened.id,
                    chat_id,
                    poll_number,
                    question.item,
                    question.order,
                    question.correct_index,
                    opened_at,
                    closes_at,
                )
                answering = [u for u in members if rng.random() < 0.7]
                for user in answering:
                    right = rng.random() < skill[user]
                    others = [
                        i for i in range(len(question.options)) if i != question.correct_index
                    ]
                    option = question.correct_index if right else rng.choice(others)
                    delay = rng.uniform(1, seconds * 1.1)  # a few arrive after the close
                    outcome = await service.record_answer(
                        poll_id,
                        user,
                        names[user],
                        [option],
                        opened_at + timedelta(seconds=delay),
                    )
                    if outcome.counted:
                        totals.quiz_answers += 1
                await service.close_poll(poll_id, at=closes_at)
                at = closes_at
            if last_round:
                continue  # still running when the demo ends
            status = "finished" if stop_after == planned else "stopped"
            await service.finish_round(opened.id, status, at=at + timedelta(seconds=1))
    totals.groups = groups
    # Private practice: a few users, a few questions each, no time limit.
    for user in rng.sample(sorted(names), k=min(len(names), 15)):
        for _ in range(rng.randint(1, 6)):
            question = await service.practice_question(user)
            if question is None:
                break
            poll_number += 1
            poll_id = f"demo-practice-{poll_number}"
            asked = moment(rng, start + timedelta(days=rng.randrange(days)))
            await service.register_poll(
                poll_id,
                None,
                user,
                poll_number,
                question.item,
                question.order,
                question.correct_index,
                asked,
                None,
            )
            option = question.correct_index if rng.random() < 0.7 else 0
            outcome = await service.record_answer(
                poll_id, user, names[user], [option], asked + timedelta(seconds=9)
            )
            if outcome.counted:
                totals.practice_answers += 1


async def fill_demo(
    db: Database,
    *,
    engine: Engine | None = None,
    seed: int = 7,
    start: date = date(2024, 3, 4),
    weeks: int = 5,
    users: int = 400,
    groups: int = 6,
    questions_per_day: int = 60,
) -> DemoTotals:
    """Write a demo campaign into `db` (tables created as needed); return what was written."""
    engine = engine or Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")
    rng = random.Random(seed)
    days = weeks * 7
    totals = DemoTotals(first_day=start, last_day=start + timedelta(days=days - 1))
    log = QuestionLog(db, HASH_SECRET)
    await log.prepare()
    await fill_questions(log, engine, rng, start, days, users, questions_per_day, totals)
    items = load_bank(engine.kb)
    service = QuizService(db, lambda: items, secret=HASH_SECRET, rng=random.Random(seed))
    await service.prepare()
    await fill_quiz(service, rng, start, days, groups, users, totals)
    await service.close()
    return totals


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="database URL (e.g. postgresql://…)")
    target.add_argument("--out", default="data/demo.db", help="SQLite file (default data/demo.db)")
    parser.add_argument("--weeks", type=int, default=5)
    parser.add_argument("--users", type=int, default=400)
    parser.add_argument("--groups", type=int, default=6)
    parser.add_argument("--per-day", type=int, default=60, help="questions on an ordinary day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 3, 4))
    args = parser.parse_args(argv)
    if args.url:
        url = args.url
    else:
        path = Path(args.out)
        if path.exists():
            print(f"error: {path} exists; remove it or choose another --out", file=sys.stderr)
            return 1
        url = f"sqlite:///{path}"
    began = clock.perf_counter()
    db = Database(url)
    try:
        totals = await fill_demo(
            db,
            seed=args.seed,
            start=args.start,
            weeks=args.weeks,
            users=args.users,
            groups=args.groups,
            questions_per_day=args.per_day,
        )
    finally:
        await db.dispose()
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(totals.kinds.items()))
    print(
        f"{db!r}: {totals.questions} questions ({kinds}) from {totals.first_day} to "
        f"{totals.last_day}; {totals.rounds} quiz rounds in {totals.groups} groups, "
        f"{totals.quiz_answers} counted answers, {totals.practice_answers} practice answers "
        f"({clock.perf_counter() - began:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
