"""Fake Telegram Bot API server (aiohttp) for end-to-end tests of a PTB 22.8 bot.

Why a fake server instead of mocking ``telegram.Bot``: the real PTB client then
encodes requests, maps HTTP errors to ``telegram.error`` exceptions and parses
updates exactly as in production. The server mirrors Bot API 10.0 objects
(PTB 22.8 refuses payloads lacking e.g. ``Poll.allows_revoting``,
``Poll.members_only``, ``PollOption.persistent_id`` or
``PollAnswer.option_persistent_ids``) and Telegram's validation errors, so bugs
that only show up against Telegram show up in tests.

Deliberate deviations from Telegram are listed in :class:`FakeBotApi`'s docstring.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import itertools
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

__all__ = [
    "ApiError",
    "FakeBotApi",
    "Fault",
    "PollRecord",
    "SentMessage",
    "UploadedFile",
    "parse_html",
]

JSON = dict[str, Any]
T = TypeVar("T")

_LOGGER = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:AAFakeTokenForEndToEndTests_0123456789"

# Limits as of Bot API 10.0 (checked against PTB 22.8's telegram.constants).
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_INLINE_QUERY_LENGTH = 256
POLL_MAX_QUESTION_LENGTH = 300
POLL_MIN_OPTIONS = 1  # Bot API 10.0 lowered this from 2 to 1.
POLL_MAX_OPTIONS = 12
POLL_MAX_OPTION_LENGTH = 100
POLL_MAX_EXPLANATION_LENGTH = 200
POLL_MAX_EXPLANATION_LINE_FEEDS = 2
POLL_MIN_OPEN_PERIOD = 5
POLL_MAX_OPEN_PERIOD = 2_628_000  # Bot API 9.6 raised this from 600.
MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_COMMAND_DESCRIPTION_LENGTH = 256

# Update types Telegram leaves out unless allowed_updates lists them explicitly.
_OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# Parameters Telegram reads as integers, booleans or JSON; form bodies carry them as strings.
_INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "message_thread_id",
        "open_period",
        "close_date",
        "correct_option_id",
        "cache_time",
        "max_connections",
        "from_chat_id",
    }
)
_FLOAT_PARAMS = frozenset({"timeout"})
_BOOL_PARAMS = frozenset(
    {
        "is_anonymous",
        "allows_multiple_answers",
        "is_closed",
        "show_alert",
        "is_personal",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "allows_revoting",
        "members_only",
        "disable_content_type_detection",
        "allow_paid_broadcast",
        "shuffle_options",
        "allow_adding_options",
        "hide_results_until_closes",
        "return_bots",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "options",
        "correct_option_ids",
        "results",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "explanation_entities",
        "question_entities",
        "description_entities",
        "button",
        "country_codes",
    }
)

_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Telegram-shaped failure; raised by handlers, rendered as ``{"ok": false, ...}``."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """Return the JSON body Telegram would send for this error."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    """Build a 400 error; Telegram prefixes every one with "Bad Request: "."""
    return ApiError(400, f"Bad Request: {description}")


class EntityParseError(Exception):
    """Raised by :func:`parse_html`; the message follows TDLib's wording."""


# --------------------------------------------------------------------------------------
# Text helpers: UTF-16 offsets, HTML parse mode (TDLib-like), auto-detected entities
# --------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_ALLOWED_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAG_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&name;`` / ``&#123;`` / ``&#x1F600;`` at ``pos``; None if it is not one."""
    end = text.find(";", pos + 1, pos + 12)
    if end == -1:
        return None
    body = text[pos + 1 : end]
    if body in _NAMED_HTML_ENTITIES:
        return _NAMED_HTML_ENTITIES[body], end + 1
    if body.startswith("#"):
        digits = body[1:]
        try:
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits, 10)
        except ValueError:
            return None
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), end + 1
    return None


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset in the parsed text
    begin: int  # index of "<" in the source, for error messages


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML style into ``(plain_text, entities)``.

    Follows TDLib's ``parse_html`` (same error wording, byte offsets in UTF-8).
    ``strict_ampersand`` rejects a bare ``&``: Telegram's docs demand escaping it
    but the real server tolerates it; being stricter catches unescaped user input.
    """
    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    stack: list[_OpenTag] = []
    n = len(text)
    i = 0

    def byte_offset(pos: int) -> int:
        return len(text[:pos].encode("utf-8"))

    def skip_spaces(j: int) -> int:
        while j < n and text[j].isspace():
            j += 1
        return j

    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise EntityParseError(
                    f'Unescaped "&" at byte offset {byte_offset(i)}; use &amp; instead'
                )
        if ch != "<":
            out.append(ch)
            u16 += utf16_len(ch)
            i += 1
            continue

        begin = i
        i += 1
        if i < n and text[i] == "/":
            # End tag.
            j = i + 1
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            name = text[i + 1 : j].lower()
            j = skip_spaces(j)
            if j >= n or text[j] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            top = stack[-1]
            if name and name != top.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{top.name}>", found "</{name}>"'
                )
            stack.pop()
            i = j + 1
            if u16 > top.offset:
                entity = _entity_for_tag(top, u16 - top.offset, "".join(out))
                if entity is not None:
                    entities.append(entity)
            continue

        # Start tag.
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = text[i:j].lower()
        if name not in _ALLOWED_HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
            )
        attrs: dict[str, str] = {}
        while True:
            j = skip_spaces(j)
            if j >= n:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            if text[j] == ">":
                break
            attr_begin = j
            while j < n and not text[j].isspace() and text[j] not in "=>/\"'":
                j += 1
            attr_name = text[attr_begin:j].lower()
            if not attr_name:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {byte_offset(begin)}'
                )
            j = skip_spaces(j)
            if j >= n:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            if text[j] != "=":
                attrs[attr_name] = ""
                continue
            j = skip_spaces(j + 1)
            if j >= n:
                raise EntityParseError(
                    f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            value: list[str] = []
            if text[j] in "\"'":
                quote = text[j]
                j += 1
                while j < n and text[j] != quote:
                    if text[j] == "&":
                        decoded = _decode_html_entity(text, j)
                        if decoded is not None:
                            value.append(decoded[0])
                            j = decoded[1]
                            continue
                    value.append(text[j])
                    j += 1
                if j >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {byte_offset(begin)}"
                    )
                j += 1
            else:
                token_begin = j
                while j < n and (text[j].isascii() and (text[j].isalnum() or text[j] in ".-")):
                    j += 1
                value.append(text[token_begin:j].lower())
                if j < n and not text[j].isspace() and text[j] != ">":
                    raise EntityParseError(
                        f"Unexpected end of name token at byte offset {byte_offset(j)}"
                    )
            attrs[attr_name] = "".join(value)
        i = j + 1
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        stack.append(_OpenTag(name=name, attrs=attrs, offset=u16, begin=begin))

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return "".join(out), entities


def _entity_for_tag(tag: _OpenTag, length: int, text_so_far: str) -> JSON | None:
    """Turn a closed HTML tag into a MessageEntity dict (None if Telegram drops it)."""
    entity: JSON = {"offset": tag.offset, "length": length}
    if tag.name in _HTML_TAG_ENTITY_TYPES:
        entity["type"] = _HTML_TAG_ENTITY_TYPES[tag.name]
        language = tag.attrs.get("class", "")
        if tag.name == "code" and language.startswith("language-"):
            entity["type"] = "pre"
            entity["language"] = language.removeprefix("language-")
        return entity
    if tag.name == "a":
        href = tag.attrs.get("href") or text_so_far[-length:]
        if not href:
            return None
        entity.update(type="text_link", url=href)
        return entity
    if tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
        return entity
    if tag.name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise EntityParseError("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=emoji_id)
        return entity
    if tag.name == "tg-time":
        unix = tag.attrs.get("unix", "")
        if not unix.isdigit():
            raise EntityParseError("Invalid Unix time specified")
        entity.update(type="date_time", unix_time=int(unix))
        if tag.attrs.get("format"):
            entity["date_time_format"] = tag.attrs["format"]
        return entity
    return None


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Strip surrounding whitespace as Telegram does, shifting/clipping entities."""
    stripped_left = text.lstrip()
    shift = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip()
    total = utf16_len(result)
    trimmed: list[JSON] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            trimmed.append({**entity, "offset": start, "length": end - start})
    return result, trimmed


_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?", re.ASCII)
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}", re.ASCII)


def detect_entities(text: str) -> list[JSON]:
    """Find the bot_command and mention entities Telegram adds to incoming messages."""
    found: list[JSON] = []
    for regex, kind in ((_COMMAND_RE, "bot_command"), (_MENTION_RE, "mention")):
        for match in regex.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    found.sort(key=lambda e: e["offset"])
    return found


# --------------------------------------------------------------------------------------
# Records exposed to tests
# --------------------------------------------------------------------------------------


@dataclass
class UploadedFile:
    """A file the bot uploaded via multipart; kept so tests can assert name and bytes."""

    field_name: str
    filename: str
    content: bytes
    content_type: str | None = None
    file_id: str = ""
    file_unique_id: str = ""
    chat_id: int | None = None
    message_id: int | None = None
    caption: str | None = None


@dataclass
class SentMessage:
    """One message the bot sent (text, poll or document), updated on edit/delete.

    ``text`` is what the bot sent (raw markup; the question for polls, the caption
    for documents); ``plain_text`` is the text after entity parsing.
    """

    chat_id: int
    message_id: int
    kind: str
    text: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    reply_to: int | None
    plain_text: str | None
    entities: list[JSON]
    message: JSON
    edits: list[JSON] = field(default_factory=list)
    deleted: bool = False


@dataclass
class PollRecord:
    """A poll the bot sent; ``poll`` is the live Bot API Poll object."""

    poll: JSON
    chat_id: int
    message_id: int
    votes: dict[int, list[int]] = field(default_factory=dict)

    @property
    def poll_id(self) -> str:
        """The Telegram poll identifier."""
        return str(self.poll["id"])

    @property
    def option_persistent_ids(self) -> list[str]:
        """Persistent option identifiers, in option order."""
        return [str(o["persistent_id"]) for o in self.poll["options"]]


@dataclass
class Fault:
    """A pending injected failure for the next ``times`` calls of ``method``."""

    method: str
    kind: str
    times: int
    options: JSON


@dataclass
class _QueuedUpdate:
    update: JSON
    forced: bool = False
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def type(self) -> str:
        return next((k for k in self.update if k != "update_id"), "")


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    user: JSON | None = None  # the other party of a private chat
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    creator: int | None = None
    migrated_to: int | None = None
    started: bool = False  # private chats: the user wrote to the bot first
    blocked: bool = False
    kicked: bool = False

    def as_json(self) -> JSON:
        """The short Chat object embedded in messages."""
        data: JSON = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user["first_name"]
            for key in ("last_name", "username"):
                if self.user.get(key):
                    data[key] = self.user[key]
        else:
            data["title"] = self.title or f"Chat {self.id}"
            if self.username:
                data["username"] = self.username
        return data


# --------------------------------------------------------------------------------------
# Request parameters
# --------------------------------------------------------------------------------------


def _normalize_params(raw: Mapping[str, Any]) -> JSON:
    """Coerce form strings into the types Telegram reads, so records look like JSON bodies."""
    params: JSON = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in _JSON_PARAMS:
                # Unparsable JSON stays a string; the handler reports Telegram's error.
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            elif key in _INT_PARAMS and re.fullmatch(r"-?\d+", value.strip()):
                value = int(value)
            elif key in _FLOAT_PARAMS:
                with contextlib.suppress(ValueError):
                    value = float(value)
            elif key in _BOOL_PARAMS and value.lower() in ("true", "false", "1", "0"):
                value = value.lower() in ("true", "1")
        params[key] = value
    return params


class _Params:
    """Typed access to request parameters with Telegram's error wording."""

    def __init__(self, params: JSON) -> None:
        self.raw = params

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, UploadedFile):
            raise _bad(f'parameter "{name}" must be a String')
        return value if isinstance(value, str) else json.dumps(value)

    def req_str(self, name: str, empty_error: str | None = None) -> str:
        value = self.get_str(name)
        if value is None or value == "":
            raise _bad(empty_error or f'parameter "{name}" is required')
        return value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise _bad(f'parameter "{name}" must be a Number') from None

    def req_int(self, name: str, empty_error: str | None = None) -> int:
        value = self.get_int(name)
        if value is None:
            raise _bad(empty_error or f"{name} is empty")
        return value

    def get_float(self, name: str, default: float) -> float:
        value = self.raw.get(name)
        if value in (None, ""):
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad(f'parameter "{name}" must be a Number') from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        return str(value).lower() in ("true", "1")

    def get_json(self, name: str, error: str | None = None) -> Any:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad(error or f"can't parse {name} JSON object") from None
        return value


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------


class FakeBotApi:
    """In-process fake of ``https://api.telegram.org`` for one bot token.

    Use ``async with FakeBotApi() as api:`` and point PTB at ``api.base_url`` /
    ``api.base_file_url``. Drive the bot with the update helpers (``private_message``,
    ``group_message``, ``callback_query``...), then assert on ``requests``,
    ``sent_messages``, ``polls``, ``callback_answers``, ``inline_answers``, ``commands``.

    Deliberate deviations from Telegram (all to make tests catch more bugs):

    * a bare ``&`` in HTML text is rejected (``strict_html_ampersand``);
      Telegram itself tolerates it;
    * with ``privacy_mode=True`` (the default, matching
      ``can_read_all_group_messages=False``), ``group_message`` drops messages a
      privacy-mode bot would not see: not a command, no @mention of the bot, not a
      reply to the bot, bot not an admin;
    * Markdown/MarkdownV2 text is not validated, only HTML is;
    * ``callback_query``/``poll_answer`` refuse what a real client could not send
      (unknown button data, answers to anonymous or closed polls...); use
      ``enqueue_raw`` to forge such updates.

    Polls sent with ``open_period`` or ``close_date`` close by themselves when that
    time comes, as on Telegram (``auto_close_polls``; with ``emit_poll_updates`` a
    ``poll`` update then reports the closed poll); ``expire_poll`` closes one at once.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "ipreg_test_bot",
        bot_first_name: str = "IPReg Test Bot",
        privacy_mode: bool = True,
        strict_html_ampersand: bool = True,
        emit_poll_updates: bool = False,
        auto_close_polls: bool = True,
        first_update_id: int = 100_000_001,
        host: str = "127.0.0.1",
    ) -> None:
        """Configure the fake; nothing listens until :meth:`start`."""
        self.token = token
        self.host = host
        self.privacy_mode = privacy_mode
        self.strict_html_ampersand = strict_html_ampersand
        self.emit_poll_updates = emit_poll_updates
        self.auto_close_polls = auto_close_polls
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456789
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }

        # Records for assertions.
        self.requests: list[tuple[str, JSON]] = []
        self.sent_messages: list[SentMessage] = []
        self.polls: dict[str, PollRecord] = {}
        self.callback_answers: list[JSON] = []
        self.inline_answers: list[JSON] = []
        self.command_sets: dict[tuple[str, str], list[JSON]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.documents: list[UploadedFile] = []
        self.deleted_messages: list[tuple[int, int]] = []
        self.triggered_faults: list[tuple[str, str]] = []
        self.dropped_updates: list[JSON] = []  # privacy mode / allowed_updates filtered
        self.webhook_deliveries: list[tuple[JSON, int]] = []  # (update, HTTP status)
        self.closed = False
        self.logged_out = False

        # Bot API state.
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        self.allowed_updates: list[str] = []
        self._users: dict[int, JSON] = {self.bot_user["id"]: self.bot_user}
        self._chats: dict[int, _Chat] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._bot_messages: dict[tuple[int, int], SentMessage] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._queue: list[_QueuedUpdate] = []
        self._next_update_id = first_update_id
        self._callback_queries: dict[str, JSON] = {}
        self._inline_queries: dict[str, JSON] = {}
        self._files: dict[str, UploadedFile] = {}
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._poll_generation = 0
        self._poll_timers: dict[str, asyncio.TimerHandle] = {}

        # Server plumbing.
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

        self._methods: dict[str, tuple[str, Callable[[_Params], Any]]] = {}
        for name, handler in (
            ("getMe", self._get_me),
            ("getUpdates", self._get_updates),
            ("setWebhook", self._set_webhook),
            ("deleteWebhook", self._delete_webhook),
            ("getWebhookInfo", self._get_webhook_info),
            ("sendMessage", self._send_message),
            ("editMessageText", self._edit_message_text),
            ("editMessageReplyMarkup", self._edit_message_reply_markup),
            ("deleteMessage", self._delete_message),
            ("answerCallbackQuery", self._answer_callback_query),
            ("answerInlineQuery", self._answer_inline_query),
            ("setMyCommands", self._set_my_commands),
            ("getMyCommands", self._get_my_commands),
            ("deleteMyCommands", self._delete_my_commands),
            ("getChatMember", self._get_chat_member),
            ("getChatAdministrators", self._get_chat_administrators),
            ("getChat", self._get_chat),
            ("sendPoll", self._send_poll),
            ("stopPoll", self._stop_poll),
            ("sendChatAction", self._send_chat_action),
            ("sendDocument", self._send_document),
            ("sendContact", self._send_contact),
            ("getFile", self._get_file),
            ("close", self._close),
            ("logOut", self._log_out),
        ):
            self._methods[name.lower()] = (name, handler)

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> FakeBotApi:
        """Listen on a free port of ``host``."""
        self._closing.clear()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a client that gives up (read timeout, PTB stopping a long
        # poll) cancels its handler, as Telegram forgets an abandoned request.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        address = self._runner.addresses[0]
        self._port = int(address[1])
        return self

    async def stop(self) -> None:
        """Wake every waiting handler and shut the server down."""
        self._closing.set()
        for timer in self._poll_timers.values():
            timer.cancel()
        self._poll_timers.clear()
        self._notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        """Start on entry so tests cannot forget to stop the server."""
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop even when the test failed, releasing the port and pending long polls."""
        await self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (only after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url()``; PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url()``; PTB appends the token."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def bot_username(self) -> str:
        """The bot's @username without the @."""
        return str(self.bot_user["username"])

    @property
    def bot_id(self) -> int:
        """The bot's user id (the numeric prefix of the token)."""
        return int(self.bot_user["id"])

    # ---------------------------------------------------------------- test-side state

    def user(
        self,
        id: int,  # named like the Bot API field
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = "en",
        is_premium: bool | None = None,
    ) -> JSON:
        """Create (or replace) a human user and return its Bot API ``User`` object."""
        data: JSON = {"id": id, "is_bot": False, "first_name": first_name}
        if last_name:
            data["last_name"] = last_name
        if username:
            data["username"] = username
        if language_code:
            data["language_code"] = language_code
        if is_premium:
            data["is_premium"] = True
        self._users[id] = data
        return copy.deepcopy(data)

    def group(
        self,
        chat_id: int,
        title: str | None = None,
        *,
        chat_type: str | None = None,
        username: str | None = None,
        members: Iterable[JSON | int] = (),
    ) -> JSON:
        """Register a group/supergroup the bot is in and return its ``Chat`` object.

        ``chat_type`` defaults to "supergroup" for ids starting with -100, else "group".
        """
        chat = self._group_chat(chat_id, title=title, chat_type=chat_type)
        if username is not None:
            chat.username = username
        for member in members:
            chat.members.add(self._user_of(member)["id"])
        return chat.as_json()

    def set_admins(
        self,
        chat_id: int,
        user_ids: Iterable[int],
        *,
        creator_id: int | None = None,
    ) -> None:
        """Make ``user_ids`` administrators; ``creator_id`` (default: the first) is "creator".

        Include :attr:`bot_id` to make the bot an admin (it then sees every group message).
        """
        ids = list(user_ids)
        chat = self._group_chat(chat_id)
        chat.admins = set(ids)
        chat.creator = creator_id if creator_id is not None else (ids[0] if ids else None)
        if chat.creator is not None:
            chat.admins.add(chat.creator)
        chat.members |= chat.admins

    def set_members(self, chat_id: int, users: Iterable[JSON | int]) -> None:
        """Add users as plain members (getChatMember returns "member" for them)."""
        chat = self._group_chat(chat_id)
        for member in users:
            chat.members.add(self._user_of(member)["id"])

    def remove_member(self, chat_id: int, user: JSON | int) -> None:
        """Make a user leave a group (getChatMember then says "left")."""
        chat = self._group_chat(chat_id)
        user_id = self._user_of(user)["id"]
        chat.members.discard(user_id)
        chat.admins.discard(user_id)

    def start_private_chat(self, user: JSON | int) -> JSON:
        """Mark that the user opened the bot, so the bot may message them."""
        chat = self._private_chat(self._user_of(user))
        chat.started = True
        chat.blocked = False
        return chat.as_json()

    def block_bot(self, user: JSON | int) -> None:
        """The user blocks the bot: sends to them fail with 403 Forbidden."""
        self._private_chat(self._user_of(user)).blocked = True

    def kick_bot(self, chat_id: int) -> None:
        """The bot is removed from a group: sends there fail with 403 Forbidden."""
        self._group_chat(chat_id).kicked = True

    # ---------------------------------------------------------------- update helpers

    def enqueue_raw(self, update: JSON, *, force: bool | None = None) -> JSON:
        """Queue an arbitrary (forged/duplicated) update and return it.

        Without ``update_id`` the next id is assigned. With an explicit ``update_id``
        the update is delivered once even if the bot's offset already passed it
        (``force`` defaults to True then), which is how a redelivery looks to the bot.
        """
        update = copy.deepcopy(update)
        explicit = "update_id" in update
        if not explicit:
            update = {"update_id": self._take_update_id(), **update}
        forced = explicit if force is None else force
        self._queue.append(_QueuedUpdate(update=update, forced=forced))
        self._notify()
        self._kick_webhook()
        return copy.deepcopy(update)

    def private_message(
        self,
        user: JSON | int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        entities: list[JSON] | None = None,
    ) -> JSON:
        """The user writes ``text`` to the bot in private; returns the queued update."""
        sender = self._user_of(user)
        chat = self._private_chat(sender)
        chat.started = True
        chat.blocked = False
        message = self._incoming_message(chat, sender, text, reply_to_message_id, entities)
        return self._enqueue("message", message)

    def group_message(
        self,
        chat_id: int,
        user: JSON | int,
        text: str,
        reply_to_bot_message_id: int | None = None,
        *,
        reply_to_message_id: int | None = None,
        entities: list[JSON] | None = None,
        title: str | None = None,
    ) -> JSON | None:
        """A member writes ``text`` in a group; returns the update, or None if privacy drops it.

        ``reply_to_bot_message_id`` must be a message the bot sent in this chat;
        ``reply_to_message_id`` may be any message of the chat.
        """
        sender = self._user_of(user)
        chat = self._group_chat(chat_id, title=title)
        if chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} migrated to {chat.migrated_to}; write there")
        chat.members.add(sender["id"])
        reply_id = reply_to_bot_message_id or reply_to_message_id
        if reply_to_bot_message_id is not None:
            sent = self._bot_messages.get((chat.id, reply_to_bot_message_id))
            if sent is None or sent.deleted:
                raise ValueError(
                    f"the bot has no message {reply_to_bot_message_id} in chat {chat_id}"
                )
        message = self._incoming_message(chat, sender, text, reply_id, entities)
        if self.privacy_mode and not self._privacy_allows(chat, message):
            update = {"update_id": None, "message": message}
            self.dropped_updates.append(update)
            return None
        return self._enqueue("message", message)

    def callback_query(
        self,
        user: JSON | int,
        message_id: int,
        data: str,
        chat_id: int | None = None,
        *,
        check_button: bool = True,
    ) -> JSON:
        """The user taps an inline button with ``data`` under a bot message.

        ``chat_id`` may be omitted when ``message_id`` is unique among bot messages.
        With ``check_button`` the data must belong to a button of that message, as a
        real client can only send those.
        """
        sender = self._user_of(user)
        sent = self._find_bot_message(message_id, chat_id)
        if check_button:
            buttons = _callback_datas(sent.reply_markup)
            if data not in buttons:
                raise ValueError(
                    f"message {message_id} has no button with callback_data {data!r}; "
                    f"buttons: {sorted(buttons)}"
                )
        query_id = str(4_000_000_000_000_000 + next(self._ids))
        query: JSON = {
            "id": query_id,
            "from": sender,
            "message": copy.deepcopy(sent.message),
            "chat_instance": str(-7_000_000_000 - abs(sent.chat_id)),
            "data": data,
        }
        self._callback_queries[query_id] = query
        return self._enqueue("callback_query", query)

    def inline_query(
        self,
        user: JSON | int,
        query: str,
        *,
        offset: str = "",
        chat_type: str | None = "sender",
    ) -> JSON:
        """The user types ``@bot query`` in some chat."""
        if len(query) > MAX_INLINE_QUERY_LENGTH:
            raise ValueError(f"inline queries are at most {MAX_INLINE_QUERY_LENGTH} characters")
        query_id = str(5_000_000_000_000_000 + next(self._ids))
        data: JSON = {"id": query_id, "from": self._user_of(user), "query": query, "offset": offset}
        if chat_type:
            data["chat_type"] = chat_type
        self._inline_queries[query_id] = data
        return self._enqueue("inline_query", data)

    def poll_answer(self, poll_id: str, user: JSON | int, option_ids: Iterable[int]) -> JSON:
        """The user votes (empty ``option_ids`` retracts) in a non-anonymous bot poll."""
        record = self.polls.get(str(poll_id))
        if record is None:
            raise KeyError(f"unknown poll {poll_id!r}; the bot sent {sorted(self.polls)}")
        poll = record.poll
        if poll["is_anonymous"]:
            raise ValueError("Telegram sends poll_answer only for non-anonymous polls")
        if poll["is_closed"]:
            raise ValueError("the poll is closed")
        chosen = sorted(set(option_ids))
        voter = self._user_of(user)
        previous = record.votes.get(voter["id"])
        if len(chosen) > 1 and not poll["allows_multiple_answers"]:
            raise ValueError("the poll does not allow multiple answers")
        if any(not 0 <= i < len(poll["options"]) for i in chosen):
            raise ValueError(f"option ids {chosen} out of range")
        if previous and not poll.get("allows_revoting", True):
            raise ValueError("the poll does not allow changing the vote")
        if not chosen and not poll.get("allows_revoting", True):
            raise ValueError("the poll does not allow retracting the vote")
        for i in previous or []:
            poll["options"][i]["voter_count"] -= 1
        for i in chosen:
            poll["options"][i]["voter_count"] += 1
        if chosen:
            record.votes[voter["id"]] = chosen
        else:
            record.votes.pop(voter["id"], None)
        poll["total_voter_count"] = len(record.votes)
        answer = {
            "poll_id": record.poll_id,
            "user": voter,
            "option_ids": chosen,
            "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in chosen],
        }
        update = self._enqueue("poll_answer", answer)
        if self.emit_poll_updates:
            self.poll_update(record.poll_id)
        return update

    def poll_update(self, poll_id: str) -> JSON:
        """Queue a ``poll`` update carrying the poll's current state."""
        return self._enqueue("poll", copy.deepcopy(self.polls[str(poll_id)].poll))

    def expire_poll(self, poll_id: str) -> JSON:
        """Close a poll as if its open_period/close_date elapsed; returns the Poll."""
        record = self.polls[str(poll_id)]
        timer = self._poll_timers.pop(record.poll_id, None)
        if timer is not None:
            timer.cancel()
        record.poll["is_closed"] = True
        if self.emit_poll_updates:
            self.poll_update(poll_id)
        return copy.deepcopy(record.poll)

    def migrate_to_supergroup(
        self, old_chat_id: int, new_chat_id: int, *, user: JSON | int | None = None
    ) -> list[JSON]:
        """Upgrade a group: queue both service messages; sends to the old id then fail."""
        old = self._group_chat(old_chat_id)
        new = self._group_chat(new_chat_id, title=old.title, chat_type="supergroup")
        new.members |= old.members
        new.admins |= old.admins
        new.creator = old.creator if new.creator is None else new.creator
        actor = self._user_of(user) if user is not None else None
        if actor is None and old.creator is not None:
            actor = self._users.get(old.creator)
        if actor is None:
            actor = {
                "id": 1087968824,
                "is_bot": True,
                "first_name": "Group",
                "username": "GroupAnonymousBot",
            }
        first = self._service_message(old, actor, migrate_to_chat_id=new.id)
        old.migrated_to = new.id
        second = self._service_message(new, actor, migrate_from_chat_id=old.id)
        return [self._enqueue("message", first), self._enqueue("message", second)]

    @property
    def pending_updates(self) -> int:
        """Updates queued but not yet confirmed by the bot."""
        return len(self._queue)

    # ---------------------------------------------------------------- assertion helpers

    def calls(self, method: str) -> list[JSON]:
        """Parameters of every request to ``method`` (case-insensitive), in order."""
        wanted = method.lower()
        return [params for name, params in self.requests if name.lower() == wanted]

    @property
    def commands(self) -> list[JSON]:
        """Commands set for the default scope and no language."""
        return copy.deepcopy(self.command_sets.get(_commands_key(None, ""), []))

    def commands_for(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands set for a given scope (a BotCommandScope dict) and language."""
        return copy.deepcopy(self.command_sets.get(_commands_key(scope, language_code), []))

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to one chat."""
        return [m for m in self.sent_messages if m.chat_id == chat_id]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Plain texts of the bot's text messages (optionally to one chat)."""
        return [
            m.plain_text or ""
            for m in self.sent_messages
            if m.kind == "text" and (chat_id is None or m.chat_id == chat_id)
        ]

    def poll_by_message(self, chat_id: int, message_id: int) -> PollRecord:
        """The poll sent as a given message."""
        for record in self.polls.values():
            if record.chat_id == chat_id and record.message_id == message_id:
                return record
        raise KeyError(f"no poll in message {message_id} of chat {chat_id}")

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, *, message: str = ""
    ) -> T:
        """Wait until ``predicate()`` is truthy (re-checked on every server event); return it."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            changed = self._changed
            result = predicate()
            if result:
                return result
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                recent = [name for name, _ in self.requests[-10:]]
                raise TimeoutError(
                    f"condition not met within {timeout}s{': ' + message if message else ''}; "
                    f"last requests: {recent}; sent texts: {self.texts()[-5:]}"
                )
            with contextlib.suppress(TimeoutError):
                # Also re-check periodically, for predicates on state outside this server.
                await asyncio.wait_for(changed.wait(), min(remaining, 0.05))

    async def wait_for_messages(
        self, n: int, timeout: float = 5.0, *, chat_id: int | None = None
    ) -> list[SentMessage]:
        """Wait until the bot sent at least ``n`` messages (to ``chat_id``); return them all."""

        def enough() -> list[SentMessage]:
            found = [m for m in self.sent_messages if chat_id is None or m.chat_id == chat_id]
            return found if len(found) >= n else []

        return await self.wait_for(enough, timeout, message=f"{n} sent message(s)")

    async def wait_for_request(self, method: str, n: int = 1, timeout: float = 5.0) -> list[JSON]:
        """Wait until ``method`` was called ``n`` times; return all its parameter dicts."""

        def enough() -> list[JSON]:
            found = self.calls(method)
            return found if len(found) >= n else []

        return await self.wait_for(enough, timeout, message=f"{n} x {method}")

    async def wait_until_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot confirmed every queued update (it fetched them all)."""
        await self.wait_for(lambda: not self._queue, timeout, message="updates consumed")

    # ---------------------------------------------------------------- fault injection

    def inject_fault(self, method: str, kind: str, times: int = 1, **options: Any) -> Fault:
        """Make the next ``times`` calls of ``method`` ("*" = any method) fail.

        Kinds and options:
        * "429": ``retry_after`` (default 3) -> 429 Too Many Requests;
        * "502": Bad Gateway;
        * "timeout": sleep ``seconds`` (default 30, beyond PTB's read timeout);
          ``deliver=True`` performs the call first (a read timeout after delivery);
        * "slow": sleep ``delay`` (default 1) seconds, then answer normally;
        * "parse": 400 can't parse entities (``detail`` overrides the reason);
        * "error": any ``code`` (default 400) and ``description``, optional ``parameters``.
        """
        if kind not in ("429", "502", "timeout", "slow", "parse", "error"):
            raise ValueError(f"unknown fault kind {kind!r}")
        if times < 1:
            raise ValueError("times must be >= 1")
        fault = Fault(method=method, kind=kind, times=times, options=dict(options))
        self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self._faults.clear()

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.method == "*" or fault.method.lower() == method.lower():
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ---------------------------------------------------------------- HTTP layer

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method_name = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except ApiError as exc:
            self.requests.append((method_name, {}))
            self._notify()
            return web.json_response(exc.payload(), status=exc.code)
        entry = self._methods.get(method_name.lower())
        canonical = entry[0] if entry else method_name
        self.requests.append((canonical, params))
        self._notify()
        if entry is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )

        handler = entry[1]
        fault = self._take_fault(canonical)
        if fault is not None:
            self.triggered_faults.append((canonical, fault.kind))
            self._notify()
            early = await self._apply_fault(fault, handler, params)
            if early is not None:
                return early
        return await self._call(handler, params)

    async def _call(self, handler: Callable[[_Params], Any], params: JSON) -> web.Response:
        try:
            result = handler(_Params(params))
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.code)
        except Exception as exc:
            # A bug in the fake, not a Telegram error: make it loud in the bot's logs too.
            _LOGGER.exception("FakeBotApi handler crashed")
            body = {"ok": False, "error_code": 500, "description": f"Fake server bug: {exc!r}"}
            return web.json_response(body, status=500)
        finally:
            self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _apply_fault(
        self, fault: Fault, handler: Callable[[_Params], Any], params: JSON
    ) -> web.Response | None:
        """Return the faulty response, or None to continue with the normal call."""
        opts = fault.options
        if fault.kind == "429":
            retry_after = int(opts.get("retry_after", 3))
            error = ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
            return web.json_response(error.payload(), status=429)
        if fault.kind == "502":
            return web.json_response(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
            )
        if fault.kind == "parse":
            detail = opts.get("detail", 'Unsupported start tag "x" at byte offset 0')
            return web.json_response(_bad(f"can't parse entities: {detail}").payload(), status=400)
        if fault.kind == "error":
            error = ApiError(
                int(opts.get("code", 400)),
                str(opts.get("description", "Bad Request: injected error")),
                opts.get("parameters"),
            )
            return web.json_response(error.payload(), status=error.code)
        if fault.kind == "slow":
            await self._sleep(float(opts.get("delay", 1.0)))
            return None
        # "timeout": the client gives up first; its disconnect cancels this handler.
        seconds = float(opts.get("seconds", 30.0))
        if opts.get("deliver"):
            response = await self._call(handler, params)
            await self._sleep(seconds)
            return response
        await self._sleep(seconds)
        return web.json_response(
            {"ok": False, "error_code": 504, "description": "Gateway Timeout"}, status=504
        )

    async def _read_params(self, request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.body_exists:
            content_type = request.content_type
            if content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("JSON object expected")
                raw.update(body)
            elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        raw[key] = UploadedFile(
                            field_name=key,
                            filename=value.filename,
                            content=value.file.read(),
                            content_type=value.content_type,
                        )
                    else:
                        raw[key] = value
        return _normalize_params(raw)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        for uploaded in self._files.values():
            if _file_path(uploaded) == request.match_info["path"]:
                return web.Response(body=uploaded.content)
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ---------------------------------------------------------------- internals

    def _notify(self) -> None:
        """Wake every waiter (long polls, wait_for); they re-check their condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but return early when the server shuts down."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _take_update_id(self) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def _enqueue(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._take_update_id(), kind: copy.deepcopy(payload)}
        self._queue.append(_QueuedUpdate(update=update))
        self._notify()
        self._kick_webhook()
        return copy.deepcopy(update)

    def _user_of(self, user: JSON | int) -> JSON:
        if isinstance(user, Mapping):
            user_id = int(user["id"])
            if user_id not in self._users:
                self._users[user_id] = dict(user)
            return copy.deepcopy(self._users[user_id])
        if user not in self._users:
            raise KeyError(f"unknown user {user}; create it with api.user()")
        return copy.deepcopy(self._users[user])

    def _private_chat(self, user: JSON) -> _Chat:
        chat = self._chats.get(user["id"])
        if chat is None:
            chat = _Chat(id=user["id"], type="private", user=user)
            self._chats[chat.id] = chat
        chat.user = user
        return chat

    def _group_chat(
        self, chat_id: int, *, title: str | None = None, chat_type: str | None = None
    ) -> _Chat:
        if chat_id >= 0:
            raise ValueError(f"group chat ids are negative, got {chat_id}")
        chat = self._chats.get(chat_id)
        if chat is None:
            kind = chat_type or ("supergroup" if str(chat_id).startswith("-100") else "group")
            chat = _Chat(id=chat_id, type=kind, title=title or f"Test group {chat_id}")
            self._chats[chat_id] = chat
        else:
            if title:
                chat.title = title
            if chat_type:
                chat.type = chat_type
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _incoming_message(
        self,
        chat: _Chat,
        sender: JSON,
        text: str,
        reply_to_message_id: int | None,
        entities: list[JSON] | None,
    ) -> JSON:
        message: JSON = {
            "message_id": self._next_message_id(chat.id),
            "from": sender,
            "chat": chat.as_json(),
            "date": int(time.time()),
            "text": text,
        }
        found = detect_entities(text) if entities is None else entities
        if found:
            message["entities"] = found
        if reply_to_message_id is not None:
            replied = self._messages.get((chat.id, reply_to_message_id))
            if replied is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat.id}")
            message["reply_to_message"] = _without_reply(replied)
        self._messages[(chat.id, message["message_id"])] = message
        return message

    def _service_message(self, chat: _Chat, actor: JSON, **fields: Any) -> JSON:
        message: JSON = {
            "message_id": self._next_message_id(chat.id),
            "from": actor,
            "chat": chat.as_json(),
            "date": int(time.time()),
            **fields,
        }
        self._messages[(chat.id, message["message_id"])] = message
        return message

    def _privacy_allows(self, chat: _Chat, message: JSON) -> bool:
        """Would a privacy-mode bot receive this group message?"""
        if self.bot_id in chat.admins:
            return True
        text = str(message.get("text", ""))
        if text.startswith("/"):
            # A command addressed to another bot (/cmd@other_bot) is not delivered.
            command = text.split(maxsplit=1)[0]
            addressee = command.partition("@")[2]
            return not addressee or addressee.lower() == self.bot_username.lower()
        if f"@{self.bot_username}".lower() in text.lower():
            return True
        replied = message.get("reply_to_message")
        return bool(replied and replied.get("from", {}).get("id") == self.bot_id)

    def _find_bot_message(self, message_id: int, chat_id: int | None) -> SentMessage:
        if chat_id is not None:
            sent = self._bot_messages.get((chat_id, message_id))
            candidates = [sent] if sent is not None else []
        else:
            candidates = [m for (_, mid), m in self._bot_messages.items() if mid == message_id]
        if not candidates:
            raise ValueError(f"the bot sent no message {message_id} (chat {chat_id})")
        if len(candidates) > 1:
            raise ValueError(f"message id {message_id} is ambiguous; pass chat_id")
        if candidates[0].deleted:
            raise ValueError(f"message {message_id} was deleted")
        return candidates[0]

    def _resolve_chat(self, params: _Params, *, for_send: bool = True) -> _Chat:
        """Find the target chat the way Telegram reports problems with it."""
        value = params.raw.get("chat_id")
        if value in (None, ""):
            raise _bad("chat_id is empty")
        chat: _Chat | None = None
        if isinstance(value, str) and value.startswith("@"):
            wanted = value[1:].lower()
            chat = next(
                (c for c in self._chats.values() if (c.username or "").lower() == wanted), None
            )
        else:
            chat_id = params.get_int("chat_id")
            chat = self._chats.get(chat_id) if chat_id is not None else None
            if chat is None and for_send and chat_id in self._users and chat_id != self.bot_id:
                # A known user who never opened the bot: Telegram answers 403, not 400.
                chat = self._private_chat(self._users[chat_id])
        if chat is None:
            raise _bad("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if for_send:
            if chat.type == "private":
                if chat.blocked:
                    raise ApiError(403, "Forbidden: bot was blocked by the user")
                if not chat.started:
                    raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            elif chat.kicked:
                raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        return chat

    def _reply_to(self, params: _Params, chat: _Chat) -> tuple[int | None, JSON | None]:
        """Resolve reply_parameters / legacy reply_to_message_id."""
        reply_parameters = params.get_json("reply_parameters")
        allow_missing = params.get_bool("allow_sending_without_reply")
        reply_id = params.get_int("reply_to_message_id")
        if isinstance(reply_parameters, dict):
            reply_id = reply_parameters.get("message_id", reply_id)
            allow_missing = bool(reply_parameters.get("allow_sending_without_reply", allow_missing))
        if reply_id is None:
            return None, None
        replied = self._messages.get((chat.id, int(reply_id)))
        if replied is None:
            if allow_missing:
                return None, None
            raise _bad("message to be replied not found")
        return int(reply_id), _without_reply(replied)

    def _parse_text(
        self,
        text: str,
        parse_mode: str | None,
        *,
        empty_error: str,
        too_long_error: str,
        max_length: int,
        allow_empty: bool = False,
    ) -> tuple[str, list[JSON]]:
        """Apply parse_mode and Telegram's length rules; return (plain_text, entities)."""
        entities: list[JSON] = []
        mode = (parse_mode or "").lower()
        plain = text
        if mode == "html":
            try:
                plain, entities = parse_html(text, strict_ampersand=self.strict_html_ampersand)
            except EntityParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
        elif mode not in ("", "markdown", "markdownv2"):
            raise _bad(f"unsupported parse_mode {parse_mode!r}")
        plain, entities = _trim(plain, entities)
        if not plain and not allow_empty:
            raise _bad(empty_error)
        if len(plain) > max_length:
            raise _bad(too_long_error)
        return plain, entities

    def _store_bot_message(
        self,
        chat: _Chat,
        kind: str,
        params: _Params,
        content: JSON,
        *,
        text: str | None,
        parse_mode: str | None,
        plain_text: str | None,
        entities: list[JSON],
    ) -> SentMessage:
        reply_to, replied = self._reply_to(params, chat)
        markup = params.get_json("reply_markup", "can't parse reply keyboard markup JSON object")
        _validate_reply_markup(markup)
        message: JSON = {
            "message_id": self._next_message_id(chat.id),
            "from": copy.deepcopy(self.bot_user),
            "chat": chat.as_json(),
            "date": int(time.time()),
        }
        if params.has("message_thread_id"):
            message["message_thread_id"] = params.get_int("message_thread_id")
        if replied is not None:
            message["reply_to_message"] = replied
        message.update(content)
        # Only inline keyboards are echoed in the returned Message.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        sent = SentMessage(
            chat_id=chat.id,
            message_id=message["message_id"],
            kind=kind,
            text=text,
            parse_mode=parse_mode,
            reply_markup=markup if isinstance(markup, dict) else None,
            reply_to=reply_to,
            plain_text=plain_text,
            entities=entities,
            message=message,
        )
        self._messages[(chat.id, sent.message_id)] = message
        self._bot_messages[(chat.id, sent.message_id)] = sent
        self.sent_messages.append(sent)
        return sent

    def _kick_webhook(self) -> None:
        if self.webhook_url and (self._webhook_task is None or self._webhook_task.done()):
            with contextlib.suppress(RuntimeError):  # no running loop: started later
                self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_worker())

    async def _webhook_worker(self) -> None:
        """Push queued updates to the webhook one at a time, retrying failures."""
        if self._http is None:
            self._http = aiohttp.ClientSession()
        while self.webhook_url and self._queue and not self._closing.is_set():
            item = self._queue[0]
            if not self._update_allowed(item):
                self.dropped_updates.append(self._queue.pop(0).update)
                continue
            headers = {}
            if self.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
            try:
                async with self._http.post(
                    self.webhook_url, json=item.update, headers=headers
                ) as response:
                    status = response.status
            except aiohttp.ClientError as exc:
                _LOGGER.debug("webhook delivery to %s failed: %r", self.webhook_url, exc)
                status = 0
            self.webhook_deliveries.append((copy.deepcopy(item.update), status))
            if 200 <= status < 300:
                if self._queue and self._queue[0] is item:
                    self._queue.pop(0)
            else:
                await self._sleep(0.2)
            self._notify()

    def _update_allowed(self, item: _QueuedUpdate) -> bool:
        if self.allowed_updates:
            return item.type in self.allowed_updates
        return item.type not in _OPT_IN_UPDATE_TYPES

    # ---------------------------------------------------------------- Bot API methods

    def _get_me(self, params: _Params) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
            "has_topics_enabled": False,
            "allows_users_to_create_topics": False,
            "can_manage_bots": False,
            "supports_guest_queries": False,
        }

    async def _get_updates(self, params: _Params) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get_int("offset", 0) or 0
        limit = min(max(params.get_int("limit", 100) or 100, 1), 100)
        timeout = max(params.get_float("timeout", 0.0), 0.0)
        allowed = params.get_json("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]

        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # a newer getUpdates terminates an older waiting one
        self._confirm(offset)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            changed = self._changed
            # Checked first so that a superseded poller never returns updates too.
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._select(offset, limit)
            if batch:
                for item in batch:
                    item.delivered = True
                return [copy.deepcopy(item.update) for item in batch]
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closing.is_set():
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        """Forget updates the bot confirmed with ``offset`` (negative: keep the last N)."""
        if offset < 0:
            keep = self._queue[offset:] if -offset <= len(self._queue) else self._queue[:]
            self._queue = list(keep)
        elif offset > 0:
            self._queue = [
                q for q in self._queue if q.update_id >= offset or (q.forced and not q.delivered)
            ]

    def _select(self, offset: int, limit: int) -> list[_QueuedUpdate]:
        batch: list[_QueuedUpdate] = []
        for item in list(self._queue):
            if not self._update_allowed(item):
                self._queue.remove(item)
                self.dropped_updates.append(item.update)
                continue
            if offset <= 0 or item.update_id >= offset or (item.forced and not item.delivered):
                batch.append(item)
                if len(batch) >= limit:
                    break
        return batch

    def _set_webhook(self, params: _Params) -> bool:
        url = params.get_str("url", "") or ""
        if url and not re.match(r"^https?://", url):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if params.get_bool("drop_pending_updates"):
            self._queue.clear()
        allowed = params.get_json("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]
        self.webhook_url = url
        self.webhook_secret = params.get_str("secret_token")
        self.webhook_max_connections = params.get_int("max_connections", 40) or 40
        self._poll_generation += 1  # a waiting getUpdates now conflicts
        self._kick_webhook()
        return True

    def _delete_webhook(self, params: _Params) -> bool:
        if params.get_bool("drop_pending_updates"):
            self._queue.clear()
        self.webhook_url = ""
        self.webhook_secret = None
        return True

    def _get_webhook_info(self, params: _Params) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.webhook_url:
            info["max_connections"] = self.webhook_max_connections
            info["ip_address"] = "127.0.0.1"
        if self.allowed_updates:
            info["allowed_updates"] = list(self.allowed_updates)
        return info

    def _send_message(self, params: _Params) -> JSON:
        chat = self._resolve_chat(params)
        text = params.get_str("text")
        if text is None or text == "":
            raise _bad("message text is empty")
        parse_mode = params.get_str("parse_mode")
        explicit = params.get_json("entities")
        plain, entities = self._parse_text(
            text,
            None if explicit else parse_mode,
            empty_error="message text is empty",
            too_long_error="message is too long",
            max_length=MAX_TEXT_LENGTH,
        )
        if isinstance(explicit, list):
            entities = explicit
        content: JSON = {"text": plain}
        if entities:
            content["entities"] = entities
        link_preview = params.get_json("link_preview_options")
        if isinstance(link_preview, dict) and link_preview:
            content["link_preview_options"] = link_preview
        sent = self._store_bot_message(
            chat,
            "text",
            params,
            content,
            text=text,
            parse_mode=parse_mode,
            plain_text=plain,
            entities=entities,
        )
        return copy.deepcopy(sent.message)

    def _editable(self, params: _Params) -> SentMessage | None:
        """Find the bot message to edit; None for inline messages (not tracked)."""
        if params.has("inline_message_id"):
            return None
        chat = self._resolve_chat(params, for_send=False)
        message_id = params.req_int("message_id", "message identifier is not specified")
        sent = self._bot_messages.get((chat.id, message_id))
        if sent is None or sent.deleted:
            if (chat.id, message_id) in self._messages and sent is None:
                raise _bad("message can't be edited")
            raise _bad("message to edit not found")
        return sent

    def _edit_message_text(self, params: _Params) -> JSON | bool:
        sent = self._editable(params)
        text = params.get_str("text")
        if text is None or text == "":
            raise _bad("message text is empty")
        parse_mode = params.get_str("parse_mode")
        plain, entities = self._parse_text(
            text,
            parse_mode,
            empty_error="message text is empty",
            too_long_error="message is too long",
            max_length=MAX_TEXT_LENGTH,
        )
        markup = params.get_json("reply_markup", "can't parse reply keyboard markup JSON object")
        _validate_reply_markup(markup)
        if sent is None:
            return True
        if sent.kind != "text":
            raise _bad("there is no text in the message to edit")
        if plain == sent.plain_text and entities == sent.entities and markup == sent.reply_markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        sent.edits.append(dict(params.raw))
        sent.text, sent.parse_mode = text, parse_mode
        sent.plain_text, sent.entities = plain, entities
        sent.reply_markup = markup if isinstance(markup, dict) else None
        message = sent.message
        message["text"] = plain
        message["edit_date"] = int(time.time())
        if entities:
            message["entities"] = entities
        else:
            message.pop("entities", None)
        _set_markup(message, markup)
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: _Params) -> JSON | bool:
        sent = self._editable(params)
        markup = params.get_json("reply_markup", "can't parse reply keyboard markup JSON object")
        _validate_reply_markup(markup)
        if sent is None:
            return True
        if markup == sent.reply_markup or (not markup and not sent.reply_markup):
            raise _bad(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        sent.edits.append(dict(params.raw))
        sent.reply_markup = markup if isinstance(markup, dict) else None
        sent.message["edit_date"] = int(time.time())
        _set_markup(sent.message, markup)
        return copy.deepcopy(sent.message)

    def _delete_message(self, params: _Params) -> bool:
        chat = self._resolve_chat(params, for_send=False)
        message_id = params.req_int("message_id", "message identifier is not specified")
        message = self._messages.get((chat.id, message_id))
        if message is None:
            raise _bad("message to delete not found")
        sender_id = message.get("from", {}).get("id")
        if chat.type != "private" and sender_id != self.bot_id and self.bot_id not in chat.admins:
            raise _bad("message can't be deleted")
        del self._messages[(chat.id, message_id)]
        sent = self._bot_messages.get((chat.id, message_id))
        if sent is not None:
            sent.deleted = True
        self.deleted_messages.append((chat.id, message_id))
        return True

    def _answer_callback_query(self, params: _Params) -> bool:
        query_id = params.req_str("callback_query_id", "query is empty")
        text = params.get_str("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        if self._callback_queries.pop(query_id, None) is None:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self.callback_answers.append(
            {
                "callback_query_id": query_id,
                "text": text,
                "show_alert": params.get_bool("show_alert"),
                "url": params.get_str("url"),
                "cache_time": params.get_int("cache_time"),
            }
        )
        return True

    def _answer_inline_query(self, params: _Params) -> bool:
        query_id = params.req_str("inline_query_id", "query is empty")
        results = params.get_json("results", "can't parse inline query results JSON object")
        if not isinstance(results, list):
            raise _bad("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("type"):
                raise _bad('can\'t parse InlineQueryResult: Field "type" must be of type String')
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode("utf-8")) <= MAX_INLINE_RESULT_ID_BYTES:
                raise _bad("RESULT_ID_INVALID")
            if result_id in seen:
                raise _bad("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            _validate_reply_markup(result.get("reply_markup"))
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._parse_text(
                    str(content["message_text"]),
                    content.get("parse_mode"),
                    empty_error="message text is empty",
                    too_long_error="MESSAGE_TOO_LONG",
                    max_length=MAX_TEXT_LENGTH,
                )
        if self._inline_queries.pop(query_id, None) is None:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self.inline_answers.append(
            {
                "inline_query_id": query_id,
                "results": results,
                "cache_time": params.get_int("cache_time"),
                "is_personal": params.get_bool("is_personal"),
                "next_offset": params.get_str("next_offset"),
                "button": params.get_json("button"),
            }
        )
        return True

    def _set_my_commands(self, params: _Params) -> bool:
        commands = params.get_json("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise _bad("too many commands specified")
        cleaned: list[JSON] = []
        for item in commands:
            if not isinstance(item, dict):
                raise _bad("can't parse BotCommand: BotCommand must be an Object")
            command = str(item.get("command", ""))
            description = str(item.get("description", ""))
            if not re.fullmatch(rf"[a-z0-9_]{{1,{MAX_COMMAND_LENGTH}}}", command):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION_LENGTH:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        key = _commands_key(params.get_json("scope"), params.get_str("language_code", "") or "")
        if cleaned:
            self.command_sets[key] = cleaned
        else:
            self.command_sets.pop(key, None)
        return True

    def _get_my_commands(self, params: _Params) -> list[JSON]:
        key = _commands_key(params.get_json("scope"), params.get_str("language_code", "") or "")
        return copy.deepcopy(self.command_sets.get(key, []))

    def _delete_my_commands(self, params: _Params) -> bool:
        key = _commands_key(params.get_json("scope"), params.get_str("language_code", "") or "")
        self.command_sets.pop(key, None)
        return True

    def _member_json(self, chat: _Chat, user_id: int) -> JSON:
        user = copy.deepcopy(self._users[user_id])
        if chat.type == "private":
            return {"status": "member", "user": user}
        if user_id == chat.creator:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in chat.admins:
            return {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
                "can_pin_messages": True,
            }
        if user_id in chat.members or user_id == self.bot_id:
            return {"status": "member", "user": user}
        return {"status": "left", "user": user}

    def _get_chat_member(self, params: _Params) -> JSON:
        chat = self._resolve_chat(params, for_send=False)
        user_id = params.req_int("user_id", "user_id is empty")
        if user_id not in self._users:
            raise _bad("user not found")
        return self._member_json(chat, user_id)

    def _get_chat_administrators(self, params: _Params) -> list[JSON]:
        chat = self._resolve_chat(params, for_send=False)
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        ids = sorted(chat.admins, key=lambda uid: (uid != chat.creator, uid))
        return [self._member_json(chat, uid) for uid in ids if uid in self._users]

    def _get_chat(self, params: _Params) -> JSON:
        chat = self._resolve_chat(params, for_send=False)
        info = chat.as_json()
        # Fields PTB 22.8's ChatFullInfo requires.
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return info

    def _send_poll(self, params: _Params) -> JSON:
        chat = self._resolve_chat(params)
        question_raw = params.get_str("question", "") or ""
        question, question_entities = self._parse_text(
            question_raw,
            params.get_str("question_parse_mode"),
            empty_error="text must be non-empty",
            too_long_error=f"poll question length must not exceed {POLL_MAX_QUESTION_LENGTH}",
            max_length=POLL_MAX_QUESTION_LENGTH,
        )
        raw_options = params.get_json("options", "can't parse options JSON object")
        if raw_options is None:
            raw_options = []
        if not isinstance(raw_options, list):
            raise _bad("can't parse options JSON object")
        if len(raw_options) < POLL_MIN_OPTIONS:
            raise _bad("poll must have at least one answer option")
        if len(raw_options) > POLL_MAX_OPTIONS:
            raise _bad(f"poll can't have more than {POLL_MAX_OPTIONS} options")
        poll_id = str(5_800_000_000_000_000_000 + next(self._ids))
        options: list[JSON] = []
        for index, raw in enumerate(raw_options):
            if isinstance(raw, str):
                option_text, option_mode = raw, None
            elif isinstance(raw, dict) and isinstance(raw.get("text"), str):
                option_text, option_mode = raw["text"], raw.get("text_parse_mode")
            else:
                raise _bad("can't parse InputPollOption: Expected InputPollOption to be an Object")
            plain, _ = self._parse_text(
                option_text,
                option_mode,
                empty_error="text must be non-empty",
                too_long_error=f"poll options length must not exceed {POLL_MAX_OPTION_LENGTH}",
                max_length=POLL_MAX_OPTION_LENGTH,
            )
            options.append(
                {
                    "persistent_id": _persistent_id(poll_id, index),
                    "text": plain,
                    "voter_count": 0,
                }
            )

        poll_type = params.get_str("type", "regular") or "regular"
        if poll_type not in ("regular", "quiz"):
            raise _bad("poll type is invalid")
        is_quiz = poll_type == "quiz"
        poll: JSON = {
            "id": poll_id,
            "question": question,
            "options": options,
            "total_voter_count": 0,
            "is_closed": params.get_bool("is_closed"),
            "is_anonymous": params.get_bool("is_anonymous", True),
            "type": poll_type,
            "allows_multiple_answers": params.get_bool("allows_multiple_answers"),
            "allows_revoting": params.get_bool("allows_revoting", not is_quiz),
            "members_only": params.get_bool("members_only"),
        }
        if question_entities:
            poll["question_entities"] = question_entities
        if is_quiz:
            correct = params.get_json("correct_option_ids", "can't parse correct_option_ids")
            if correct is None and params.has("correct_option_id"):
                correct = [params.get_int("correct_option_id")]  # legacy (Bot API < 9.6)
            if not isinstance(correct, list) or not correct:
                raise _bad("correct_option_ids must be specified for quiz polls")
            if (
                any(not isinstance(i, int) or not 0 <= i < len(options) for i in correct)
                or sorted(set(correct)) != correct
            ):
                raise _bad("wrong correct_option_ids specified")
            poll["correct_option_ids"] = correct
        explanation = params.get_str("explanation")
        if explanation:
            plain, explanation_entities = self._parse_text(
                explanation,
                params.get_str("explanation_parse_mode"),
                empty_error="explanation is empty",
                too_long_error="explanation is too long",
                max_length=POLL_MAX_EXPLANATION_LENGTH,
                allow_empty=True,
            )
            if plain.count("\n") > POLL_MAX_EXPLANATION_LINE_FEEDS:
                raise _bad("explanation must have at most 2 line feeds")
            if plain:
                poll["explanation"] = plain
            if explanation_entities:
                poll["explanation_entities"] = explanation_entities
        open_period = params.get_int("open_period")
        close_date = params.get_int("close_date")
        if open_period is not None:
            if not POLL_MIN_OPEN_PERIOD <= open_period <= POLL_MAX_OPEN_PERIOD:
                raise _bad("wrong open period specified")
            poll["open_period"] = open_period
            poll["close_date"] = int(time.time()) + open_period
        elif close_date is not None:
            delta = close_date - int(time.time())
            if not POLL_MIN_OPEN_PERIOD - 1 <= delta <= POLL_MAX_OPEN_PERIOD:
                raise _bad("wrong close date specified")
            poll["close_date"] = close_date

        sent = self._store_bot_message(
            chat,
            "poll",
            params,
            {"poll": poll},
            text=question_raw,
            parse_mode=params.get_str("question_parse_mode"),
            plain_text=question,
            entities=question_entities,
        )
        self.polls[poll_id] = PollRecord(poll=poll, chat_id=chat.id, message_id=sent.message_id)
        if self.auto_close_polls and "close_date" in poll and not poll["is_closed"]:
            loop = asyncio.get_running_loop()
            delay = open_period if open_period is not None else poll["close_date"] - time.time()
            self._poll_timers[poll_id] = loop.call_at(
                loop.time() + max(0.0, float(delay)), self._close_when_due, poll_id
            )
        return copy.deepcopy(sent.message)

    def _close_when_due(self, poll_id: str) -> None:
        """The poll's open period is over: close it (once) as Telegram does."""
        self._poll_timers.pop(poll_id, None)
        record = self.polls.get(poll_id)
        if record is None or record.poll["is_closed"]:
            return
        record.poll["is_closed"] = True
        if self.emit_poll_updates:
            self.poll_update(poll_id)
        self._notify()

    def _stop_poll(self, params: _Params) -> JSON:
        chat = self._resolve_chat(params, for_send=False)
        message_id = params.req_int("message_id", "message identifier is not specified")
        message = self._messages.get((chat.id, message_id))
        if message is None or "poll" not in message:
            raise _bad("message with poll to stop not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("poll can't be stopped")
        record = self.poll_by_message(chat.id, message_id)
        if record.poll["is_closed"]:
            raise _bad("poll has already been closed")
        markup = params.get_json("reply_markup", "can't parse reply keyboard markup JSON object")
        _validate_reply_markup(markup)
        record.poll["is_closed"] = True
        timer = self._poll_timers.pop(record.poll_id, None)
        if timer is not None:
            timer.cancel()
        sent = self._bot_messages[(chat.id, message_id)]
        if markup is not None:
            sent.reply_markup = markup if isinstance(markup, dict) else None
            _set_markup(sent.message, markup)
        if self.emit_poll_updates:
            self.poll_update(record.poll_id)
        return copy.deepcopy(record.poll)

    def _send_chat_action(self, params: _Params) -> bool:
        chat = self._resolve_chat(params)
        action = params.req_str("action", "action is empty")
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((chat.id, action))
        return True

    def _send_contact(self, params: _Params) -> JSON:
        """sendContact: phone_number and first_name required (first_name 1-64 characters),
        last_name optional, vcard up to 2048 bytes."""
        chat = self._resolve_chat(params)
        phone = params.req_str("phone_number", "phone number is empty")
        first = params.req_str("first_name", "first name is empty")
        if len(first) > 64:
            raise _bad("first name is too long")
        contact: JSON = {"phone_number": phone, "first_name": first}
        last = params.get_str("last_name")
        if last:
            contact["last_name"] = last
        card = params.get_str("vcard")
        if card:
            if len(card.encode("utf-8")) > 2048:
                raise _bad("vcard is too long")
            contact["vcard"] = card
        sent = self._store_bot_message(
            chat,
            "contact",
            params,
            {"contact": contact},
            text=None,
            parse_mode=None,
            plain_text=None,
            entities=[],
        )
        return copy.deepcopy(sent.message)

    def _send_document(self, params: _Params) -> JSON:
        chat = self._resolve_chat(params)
        document = params.raw.get("document")
        if document in (None, ""):
            raise _bad("there is no document in the request")
        if isinstance(document, UploadedFile):
            uploaded = document
        else:
            known = self._files.get(str(document))
            if known is None:
                if str(document).startswith(("http://", "https://")):
                    raise _bad("failed to get HTTP URL content")
                raise _bad("wrong file identifier/HTTP URL specified")
            uploaded = known
        caption_raw = params.get_str("caption")
        caption, caption_entities = (None, [])
        if caption_raw:
            caption, caption_entities = self._parse_text(
                caption_raw,
                params.get_str("parse_mode"),
                empty_error="message caption is empty",
                too_long_error="message caption is too long",
                max_length=MAX_CAPTION_LENGTH,
                allow_empty=True,
            )
        if isinstance(document, UploadedFile):
            number = next(self._ids)
            uploaded.file_id = f"BQACAgIAAxkBAAI{number:08d}fake"
            uploaded.file_unique_id = f"AgAD{number:06d}"
            self._files[uploaded.file_id] = uploaded
        content: JSON = {
            "document": {
                "file_id": uploaded.file_id,
                "file_unique_id": uploaded.file_unique_id,
                "file_name": uploaded.filename,
                "mime_type": uploaded.content_type or "application/octet-stream",
                "file_size": len(uploaded.content),
            }
        }
        if caption:
            content["caption"] = caption
        if caption_entities:
            content["caption_entities"] = caption_entities
        sent = self._store_bot_message(
            chat,
            "document",
            params,
            content,
            text=caption_raw,
            parse_mode=params.get_str("parse_mode"),
            plain_text=caption,
            entities=caption_entities,
        )
        record = copy.copy(uploaded)
        record.chat_id, record.message_id, record.caption = chat.id, sent.message_id, caption
        self.documents.append(record)
        return copy.deepcopy(sent.message)

    def _get_file(self, params: _Params) -> JSON:
        file_id = params.req_str("file_id", "file_id is empty")
        uploaded = self._files.get(file_id)
        if uploaded is None:
            raise _bad("invalid file_id")
        return {
            "file_id": uploaded.file_id,
            "file_unique_id": uploaded.file_unique_id,
            "file_size": len(uploaded.content),
            "file_path": _file_path(uploaded),
        }

    def _close(self, params: _Params) -> bool:
        self.closed = True
        return True

    def _log_out(self, params: _Params) -> bool:
        self.logged_out = True
        return True


# --------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------


def _without_reply(message: JSON) -> JSON:
    """A replied-to message as Telegram embeds it: without its own reply_to_message."""
    embedded = copy.deepcopy(message)
    embedded.pop("reply_to_message", None)
    return embedded


def _set_markup(message: JSON, markup: Any) -> None:
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
    else:
        message.pop("reply_markup", None)


def _callback_datas(markup: JSON | None) -> set[str]:
    if not markup:
        return set()
    return {
        str(button["callback_data"])
        for row in markup.get("inline_keyboard", [])
        for button in row
        if isinstance(button, dict) and "callback_data" in button
    }


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    if not isinstance(scope, dict) or not scope:
        scope = {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code or ""


def _persistent_id(poll_id: str, index: int) -> str:
    """Opaque, stable per-option id (deliberately not the index, to catch confusion)."""
    return hashlib.sha1(f"{poll_id}:{index}".encode()).hexdigest()[:12]


def _file_path(uploaded: UploadedFile) -> str:
    suffix = uploaded.filename.rsplit(".", 1)[-1] if "." in uploaded.filename else "bin"
    return f"documents/file_{uploaded.file_unique_id}.{suffix}"


def _validate_reply_markup(markup: Any) -> None:
    """Reject keyboards the way Telegram does (only the rules bots commonly trip on)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('field "inline_keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                if not isinstance(button, dict):
                    raise _bad(
                        "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                    )
                text = button.get("text")
                if not isinstance(text, str):
                    raise _bad(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                if not text.strip():
                    raise _bad("BUTTON_TEXT_INVALID")
                if not any(key in button for key in _INLINE_BUTTON_ACTIONS):
                    raise _bad("text buttons are unallowed in the inline keyboard")
                if "callback_data" in button:
                    data = button["callback_data"]
                    size = len(str(data).encode("utf-8")) if isinstance(data, str) else 0
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise _bad("BUTTON_DATA_INVALID")
                if "url" in button and not str(button["url"]).strip():
                    raise _bad("BUTTON_URL_INVALID")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('field "keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                text = button if isinstance(button, str) else (button or {}).get("text")
                if not isinstance(text, str) or not text.strip():
                    raise _bad("BUTTON_TEXT_INVALID")
