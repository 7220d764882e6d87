"""One field of a campaign document asked (bot/engine/fields.py)."""

from __future__ import annotations

from bot.engine import Engine


def _items(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.text for block in reply.blocks for item in getattr(block, "items", ())]


def test_the_addressees_are_listed_one_unit_each_cited_to_the_notice(engine: Engine) -> None:
    reply = engine.answer("领导小组办公室印发方案的通知，主送单位有哪些")
    assert reply.kind == "answer" and reply.intent == "addressees"
    source = engine.kb.sources["leading-group-notice"]
    assert "，".join(_items(reply)) == source.addressees
    assert len(_items(reply)) == 4
    assert all(c.locator == "主送" for c in reply.citations)
    # Not the whole notice: its body is not in the reply.
    assert "现予以印发" not in reply.text


def test_the_signature_and_disclosure_are_the_field_alone(engine: Engine) -> None:
    signed = engine.answer("领导小组办公室那个印发通知，落款是谁、哪天？")
    # The notice's closing: who signed, when, and the bracketed line printed under the date.
    assert _items(signed) == [
        "河北省知识产权战略实施工作领导小组办公室，2023年9月28日（信息公开类型：依申请公开）"
    ]
    disclosed = engine.answer("那个通知的信息公开类型是啥？")
    assert _items(disclosed) == ["依申请公开"]


def test_a_document_without_the_field_is_said_to_have_none(engine: Engine) -> None:
    # The SASAC notice in the material ends without a signature or date: said so, before the
    # one that has one, never the other's date as its own.
    reply = engine.answer("国资委通知的落款是哪天")
    assert reply.kind == "fallback"  # what was asked is not in the material
    assert reply.text.startswith("资料中《河北省人民政府国有资产监督管理委员会")
    assert "没有落款" in reply.text
    # A document of another kind named in passing (印发方案的通知) is not what is asked of.
    both = engine.answer("印发方案那个通知的主送单位有哪些")
    assert "没有主送" not in both.text and len(_items(both)) == 2


def test_a_day_asked_beside_a_field_adds_the_signature_in_the_order_asked(engine: Engine) -> None:
    reply = engine.answer("领导小组办公室那个印发方案的通知是哪天发的、主送给谁的")
    text = reply.text
    assert "2023年9月28日" in text and "雄安新区知识产权战略实施工作领导小组" in text
    assert text.index("的落款：") < text.index("的主送：")
    # Asked the other way round, answered the other way round.
    other = engine.answer("领导小组办公室那个印发方案的通知主送给谁、哪天发的").text
    assert other.index("的主送：") < other.index("的落款：")
    # The field alone stays alone.
    assert "落款" not in engine.answer("领导小组办公室那个印发方案的通知主送给谁").text
