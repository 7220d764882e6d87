"""Practice in private: one untimed quiz poll at a time, then feedback with a 下一题 button.

The handlers decide who may practise (private chats, the per-user limit); this sends the
question, registers its poll with the quiz service, and answers a counted vote with right or
wrong, the source and the running score.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Poll

from bot.frontends.telegram.quiz.outbox import QuizOutbox
from bot.frontends.telegram.quiz.render import render_practice_feedback
from bot.frontends.telegram.render import Block, paginate
from bot.frontends.telegram.send import Target
from bot.frontends.telegram.texts import Texts
from bot.quiz import AnswerOutcome, QuizService


class PracticeDesk:
    """Sends practice questions and their feedback; `texts` is read at every use."""

    def __init__(
        self, service: QuizService, outbox: QuizOutbox, texts: Callable[[], Texts]
    ) -> None:
        self.service = service
        self.outbox = outbox
        self._texts = texts

    async def send_question(self, chat_id: int, user_id: int) -> None:
        """The user's next practice question as a quiz poll (or a note that there is none)."""
        question = await self.service.practice_question(user_id)
        if question is None:
            empty = paginate([Block(self._texts()("tg_practice_empty"))])
            await self.outbox.send(Target(chat_id), empty)
            return
        with self.outbox.registering():
            # No open period: practice has no clock, and an untimed poll gives no speed bonus.
            message = await self.outbox.application.bot.send_poll(
                chat_id,
                question.item.question,
                list(question.options),
                is_anonymous=False,
                type=Poll.QUIZ,
                correct_option_ids=[question.correct_index],
                explanation=question.item.poll_explanation,
                allows_revoting=False,
            )
            assert message.poll is not None
            await self.service.register_poll(
                message.poll.id,
                None,
                chat_id,
                message.message_id,
                question.item,
                question.order,
                question.correct_index,
                self.service.clock(),
                None,
            )

    async def feedback(self, outcome: AnswerOutcome, user_id: int) -> None:
        """Right or wrong, the source, the running score and a 下一题 button."""
        poll = await self.service.get_poll(outcome.poll_id)
        if poll is None or outcome.chat_id is None:
            return
        totals = await self.service.practice_score(user_id)
        chunks, keyboard = render_practice_feedback(self._texts(), outcome, poll, totals)
        await self.outbox.send(Target(outcome.chat_id), chunks, keyboard)
