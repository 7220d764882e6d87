"""The vCard of a Telegram contact card: escaped, only what the contact entry gives."""

from __future__ import annotations

from bot.frontends.telegram.contact_card import MAX_VCARD_BYTES, vcard
from bot.knowledge.model import Contact


def _contact(**values: str) -> Contact:
    fields = {
        "id": "c",
        "name": "张三",
        "organization": "某厅; 综合处, 二科",
        "phone": "0311-12345678",
        "source": "s",
        "locator": "l",
    }
    return Contact(**{**fields, **values})  # type: ignore[arg-type]


def test_the_vcard_escapes_its_text_values() -> None:
    card = vcard(_contact())
    assert card.splitlines() == [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:张三",
        "ORG:某厅\\; 综合处\\, 二科",
        "TEL;TYPE=WORK,VOICE:0311-12345678",
        "END:VCARD",
    ]


def test_an_email_is_added_and_a_newline_cannot_start_a_property() -> None:
    card = vcard(_contact(name="张三\nTEL:110", email="a@b.cn"))
    assert "FN:张三 TEL:110" in card.splitlines()
    assert "EMAIL;TYPE=INTERNET:a@b.cn" in card.splitlines()


def test_a_card_over_the_limit_is_left_out() -> None:
    assert vcard(_contact(organization="处" * MAX_VCARD_BYTES)) == ""
