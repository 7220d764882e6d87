"""What a document's attachment says (bot/engine/attached.py)."""

from __future__ import annotations

from bot.engine import Engine


def test_what_the_plan_s_attachment_says_is_the_interpretation(engine: Engine) -> None:
    # Named with its document, or after a question about it: the attachment by its name.
    alone = engine.answer("实施方案的附件讲的啥")
    assert alone.entry == "interp-points" and alone.read_as == "《条例》简要解读讲的啥"
    after = engine.answer("附件讲的啥", "实施方案有附件吗")
    assert after.entry == "interp-points" and after.read_as == "《条例》简要解读讲的啥"
    assert after.text.startswith("（接上一问")
    # …and on from there, a point of it.
    assert engine.answer("第四点呢", after.read_as).entry == "interp-4-protection"


def test_which_attachments_or_whom_to_ask_are_not_this(engine: Engine) -> None:
    assert engine.answer("国资委通知的附件是什么").intent == "attachments"
    contact = engine.answer("方案附件那个简要解读有几处看不太懂，按方案能找谁请教？")
    assert contact.shown_contacts
