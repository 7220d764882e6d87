"""A contact as Telegram's own contact card (sendContact).

Telegram offers no `tel:` links in messages, and whether a client makes "0311-87902543" in a
text tappable is up to the client. A contact card is the platform's way: its phone number
is a tap to call or to save, on every client. The card carries the unit and e-mail address
in its vCard, both from the knowledge base's contact entry, nothing else.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.frontends.telegram.send import Target, chat_kind
from bot.knowledge.model import Contact

_LOGGER = logging.getLogger(__name__)

# Bot API limits: first_name 1–64 characters, vcard 0–2048 bytes.
MAX_NAME = 64
MAX_VCARD_BYTES = 2048


def _escape(value: str) -> str:
    """A vCard 3.0 text value (RFC 2426 §4): backslash, comma, semicolon and newlines."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return " ".join(value.splitlines())


def vcard(contact: Contact) -> str:
    """The contact's vCard: name, unit, work phone and e-mail address where given."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(contact.name)}"]
    if contact.organization:
        lines.append(f"ORG:{_escape(contact.organization)}")
    lines.append(f"TEL;TYPE=WORK,VOICE:{_escape(contact.phone)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_escape(contact.email)}")
    lines.append("END:VCARD")
    card = "\n".join(lines)
    return card if len(card.encode("utf-8")) <= MAX_VCARD_BYTES else ""


async def send_contact_card(bot: Bot, target: Target, contact: Contact) -> bool:
    """Send the card; False (logged) when the contact has no phone or Telegram refused it.
    The card comes after the text card, so a failure here loses no information."""
    if not contact.phone.strip():
        return False
    try:
        await bot.send_contact(
            chat_id=target.chat_id,
            phone_number=contact.phone.strip(),
            first_name=contact.name.strip()[:MAX_NAME] or contact.phone.strip(),
            vcard=vcard(contact) or None,
            message_thread_id=target.thread_id,
        )
    except TelegramError as exc:
        _LOGGER.info("could not send a contact card to a %s chat: %s", chat_kind(target), exc)
        return False
    return True
