"""Each asker's previous question, remembered for a while, per channel and user."""

from __future__ import annotations

import pytest

from bot.app import Assistant
from bot.app.conversations import Conversations
from bot.app.incoming import Incoming
from bot.engine import Engine, Reply


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def asked(text: str, user: int | str | None = 1, channel: str = "web", chat: str = "page"):
    return Incoming(text, channel, user, chat)


def reply(kind: str = "answer", read_as: str | None = None) -> Reply:
    return Reply(question="", kind=kind, intent="search", read_as=read_as)


def test_the_last_question_is_remembered_per_channel_and_user() -> None:
    talks = Conversations(clock=Clock())
    talks.remember(asked("企业有什么职责"), reply())
    assert talks.previous(asked("那高校呢")) == "企业有什么职责"
    assert talks.previous(asked("那高校呢", user=2)) is None
    assert talks.previous(asked("那高校呢", channel="telegram", chat="private")) is None
    # As it was read: the next follow-up builds on the reading.
    talks.remember(asked("那高校呢"), reply(read_as="高校有什么职责"))
    assert talks.previous(asked("那科研机构呢")) == "高校有什么职责"


@pytest.mark.parametrize(
    "incoming",
    [
        asked("谢谢"),  # small talk, answered as such
        asked("   "),
        asked("条例" * 300),  # too long to be a question
    ],
)
def test_what_leaves_the_last_question_in_place(incoming: Incoming) -> None:
    talks = Conversations(clock=Clock())
    talks.remember(asked("条例什么时候施行"), reply())
    kind = "fallback" if len(incoming.text) > 500 else "smalltalk"
    talks.remember(incoming, reply(kind))
    assert talks.previous(asked("那高校呢")) == "条例什么时候施行"


@pytest.mark.parametrize(
    "incoming",
    [
        asked("企业有什么职责", user=None),
        asked("企业有什么职责", channel="telegram", chat="inline"),
    ],
)
def test_what_is_no_conversation(incoming: Incoming) -> None:
    talks = Conversations(clock=Clock())
    talks.remember(incoming, reply())
    assert len(talks) == 0 and talks.previous(incoming) is None


def test_a_private_question_never_frames_a_group_reply() -> None:
    talks = Conversations(clock=Clock())
    private = Incoming("企业有什么职责", "telegram", 7, "private", 7)
    talks.remember(private, reply())
    assert talks.previous(Incoming("那高校呢", "telegram", 7, "group", -100)) is None
    assert talks.previous(Incoming("那高校呢", "telegram", 7, "private", 7)) == "企业有什么职责"


def test_an_old_question_frames_nothing_and_the_oldest_asker_goes_first() -> None:
    clock = Clock()
    talks = Conversations(max_askers=2, seconds=60, clock=clock)
    talks.remember(asked("企业有什么职责", user=1), reply())
    clock.now = 61
    assert talks.previous(asked("那高校呢", user=1)) is None
    assert len(talks) == 0  # forgotten, not kept until crowded out
    talks.remember(asked("a", user=5), reply())
    clock.now = 200
    talks.remember(asked("b", user=6), reply())
    assert len(talks) == 1  # the stale one went when another came
    talks.remember(asked("a", user=2), reply())
    talks.remember(asked("b", user=3), reply())
    talks.remember(asked("c", user=4), reply())
    assert talks.previous(asked("x", user=2)) is None
    assert talks.previous(asked("x", user=4)) == "c"


def test_the_assistant_reads_a_follow_up_with_the_asker_s_last_question(
    engine: Engine,
) -> None:
    assistant = Assistant.over(engine)
    assistant.answer(asked("企业有什么职责", user="ann"))
    reply = assistant.answer(asked("那高校呢", user="ann"))
    assert reply.read_as == "高校有什么职责" and reply.entry == "duty-universities"
    # Another asker's same message is answered on its own.
    assert assistant.answer(asked("那高校呢", user="bob")).read_as is None


def test_asking_for_more_keeps_to_the_same_question(engine: Engine) -> None:
    assistant = Assistant.over(engine)
    assistant.answer(asked("宣贯工作重点有哪些", user="ann"))
    opened = assistant.answer(asked("展开讲讲", user="ann"))
    assert opened.kind == "answer" and opened.read_as == "宣贯工作重点有哪些，展开讲讲"
    # A further 还有吗 asks on about the list: it was opened already, nothing more.
    more = assistant.answer(asked("还有吗", user="ann"))
    assert more.intent == "more" and more.kind == "fallback"
    assert more.read_as.startswith("宣贯工作重点有哪些，") and "宣传月" not in more.text
    # The next follow-up reads with the question, not with the requests for more.
    assert assistant.answer(asked("第二点呢", user="ann")).entry == "plan-focus-publicity"


def test_the_question_before_the_last_is_kept_for_going_back() -> None:
    clock = Clock()
    talks = Conversations(seconds=60, clock=clock)
    talks.remember(asked("技术调查官是什么"), reply())
    assert talks.earlier(asked("x")) is None
    talks.remember(asked("哪个部门管"), reply(kind="clarify"))
    assert talks.previous(asked("x")) == "哪个部门管"
    assert talks.earlier(asked("x")) == "技术调查官是什么"
    # Small talk leaves both in place; one too old when the next came is not kept.
    talks.remember(asked("谢谢"), reply(kind="smalltalk"))
    assert talks.earlier(asked("x")) == "技术调查官是什么"
    clock.now = 100
    talks.remember(asked("条例什么时候施行"), reply())
    assert talks.earlier(asked("x")) is None


def test_going_back_to_the_question_before_the_last_reads_with_it(engine: Engine) -> None:
    assistant = Assistant.over(engine)
    assistant.answer(asked("技术调查官是什么", user="ann"))
    assistant.answer(asked("哪个部门管", user="ann"))
    back = assistant.answer(asked("回到刚才那个，它给什么提供参考", user="ann"))
    assert back.entry == "interp-tech-investigator" and back.read_as == "技术调查官给什么提供参考"
    assert back.question == "回到刚才那个，它给什么提供参考"
