"""Facts around the articles: history clauses, adoption, effective date, aliases, law id."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.importer.numerals import DATE_PATTERN, NUMERAL_CHARS, find_date

WS = " \t\u3000\u00a0\ufeff"
_OPEN, _CLOSE = "（(", "）)"

# Same rule as the knowledge loader's ids, so an imported file always loads.
LAW_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")

_ADOPTION_RE = re.compile(rf"^(?:根据)?[{WS}]*{DATE_PATTERN}[{WS}]*(?P<by>.*?)[{WS}]*(?:修订)?通过")
_COUNCIL_ORDER_RE = re.compile(r"国务院令第[^号]+号(?:公布|发布)")
_SESSION_RE = re.compile(rf"第[{NUMERAL_CHARS}]+届|第[{NUMERAL_CHARS}]+次(?:常务|全体)?会议|[{WS}]")
_ISSUER_END_RE = re.compile(r"(?:委员会|人民代表大会|国务院|人民政府)$")
_EFFECTIVE_RE = re.compile(
    r"本(?:法|条例|实施细则|细则|规定|办法|决定|规则|准则)自(?P<when>[^。；，\n]*?)起(?:施行|实施)。?"
)
_REGION_RE = re.compile(r"^(?P<region>[\u4e00-\u9fff]{2,3}?)[省市](?P<rest>[\u4e00-\u9fff].*)$")
_NATIONAL_PREFIX = "中华人民共和国"


def _balance(text: str) -> int:
    """Opening minus closing parentheses, full and half width alike."""
    return sum(text.count(c) for c in _OPEN) - sum(text.count(c) for c in _CLOSE)


def strip_parens(text: str) -> str:
    """Drop the parentheses around a bulletin's history block, and stray unmatched ones.

    Collections sometimes keep only the closing parenthesis of the original block
    (e.g. "…第三次修订）"), which is noise, not part of the clause.
    """
    text = text.strip(WS)
    if len(text) >= 2 and text[0] in _OPEN and text[-1] in _CLOSE and _balance(text[1:-1]) == 0:
        text = text[1:-1].strip(WS)
    while text and text[-1] in _CLOSE and _balance(text) < 0:
        text = text[:-1].strip(WS)
    while text and text[0] in _OPEN and _balance(text) > 0:
        text = text[1:].strip(WS)
    return text


def split_history(text: str) -> list[str]:
    """Split a history block into its clauses (通过 / 根据…修正 / …修订), kept verbatim.

    Bulletins separate clauses by full-width spaces or line breaks; a clause
    starting with 根据 may follow an ordinary space.
    """
    text = strip_parens(text)
    parts = re.split(r"\u3000+|\n|[ \t]+(?=根据)|；", text)
    return [p.strip(WS) for p in parts if p.strip(WS)]


@dataclass(frozen=True)
class Adoption:
    """What the history says about the first adoption."""

    adopted: dt.date | None = None
    adopted_by: str | None = None
    issuer: str | None = None


def adoption_from_history(history: list[str]) -> Adoption:
    """The first 通过 clause gives adopted/adopted_by; the issuer is its body without 届/会议.

    Only 通过 counts as adoption: a State Council regulation "公布" by order gives
    an issuer (国务院) but no adoption date, since promulgation is not adoption.
    """
    for clause in history:
        match = _ADOPTION_RE.match(clause)
        if not match:
            continue
        adopted = find_date(clause)
        by = match["by"].strip(WS) or None
        issuer = None
        if by:
            body = _SESSION_RE.sub("", by)
            if _ISSUER_END_RE.search(body):
                issuer = body
        return Adoption(adopted, by, issuer)
    for clause in history:
        if _COUNCIL_ORDER_RE.search(clause):
            return Adoption(issuer="国务院")
    return Adoption()


def find_effective(paragraphs_last_first: list[str]) -> tuple[str | None, dt.date | None]:
    """The 本法/本条例自…起施行 sentence (verbatim, with its 。) and its date if it names one."""
    for paragraph in paragraphs_last_first:
        match = _EFFECTIVE_RE.search(paragraph)
        if match:
            return match.group(0), find_date(match["when"])
    return None, None


def default_aliases(title: str) -> list[str]:
    """Names users plausibly type, derived conservatively from the title alone.

    - the title itself;
    - without 中华人民共和国 (专利法, 专利法实施细则);
    - for a provincial/municipal regulation, the region without 省/市
      (北京市专利保护和促进条例 → 北京专利保护和促进条例).
    A region-less form (专利条例) is not added: several regions share it.
    """
    aliases = [title]
    if title.startswith(_NATIONAL_PREFIX) and len(title) > len(_NATIONAL_PREFIX):
        aliases.append(title[len(_NATIONAL_PREFIX) :])
    else:
        match = _REGION_RE.match(title)
        if match:
            aliases.append(match["region"] + match["rest"])
    return list(dict.fromkeys(aliases))


def slug_from_stem(stem: str) -> str | None:
    """patent_law_2020 → patent-law-2020; None when the stem is not ASCII (no safe guess)."""
    if not stem.isascii():
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or None
