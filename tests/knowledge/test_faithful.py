"""Every fact in knowledge/ is stated by the seed text it cites.

The seed (two notices, the implementation plan and its attachment 《条例》简要解读) is copied
byte for byte to tests/knowledge/seed.txt so this runs without ../shared. Each document and
each locator used in knowledge/ is mapped below to its span of the seed; the checks then
read the YAML files directly (not the loader), so whatever a file says is what is checked:

* entries: the text is a verbatim part of its locator's span; a duty's subject is named in
  that span;
* contacts: name, phone, email (and the unit, unless the document lists the person under its
  own issuer) are in the locator's span; what they serve, their topics and audiences are words
  of the document that lists them (or, for audiences, of the document that issues it);
* sources: title, issuer, date (in the document's own signature), disclosure type and
  addressees (in its 主送 line) are in the document; a note has its evidence in the table;
* laws: chapter names in order, chapter and article count in the structure citation; the
  adoption date (于…审议通过), entry into force (自…起施行) and adopting body in the date
  citation;
* quiz: see test_quiz_question for exactly what is checked.

"Verbatim" and "in the span" compare with all whitespace removed (the seed breaks lines
inside sentences). Quotations in quiz explanations and titles are compared with the nested
marks ‘’/〈〉 treated as “”/《》, the way Chinese nests quotations and titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.numerals import to_chinese

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "knowledge"
SEED_COPY = Path(__file__).with_name("seed.txt")
SEED_NAME = "000_8f7ec0328cbfb669.txt"
SHARED_SEED = REPO.parent / "shared" / "seed" / SEED_NAME


def squeeze(text: str) -> str:
    """Text without any whitespace: how the seed's broken lines and the YAML compare."""
    return re.sub(r"\s+", "", text)


def loose(text: str) -> str:
    """squeeze() with nested quotation and title marks as their outer forms."""
    return squeeze(text).translate(str.maketrans("‘’〈〉", "“”《》"))


SEED = squeeze(SEED_COPY.read_text(encoding="utf-8"))

# -- The map: document and locator → span of the seed --------------------------------------
#
# (source id, start marker, end marker) in the whitespace-free seed. The span runs from the
# start marker to the end of the first end marker after it. A "|" in a marker is context: a
# start span begins at the "|", an end span ends at it. Every start marker (with its context)
# occurs exactly once in the seed (test_the_map_is_sound).

DOCUMENTS = {
    "sasac-notice": "省国资委通知",
    "leading-group-notice": "领导小组办公室通知",
    "plan": "实施方案",
    "interpretation": "简要解读",
}

SPANS: dict[str, tuple[str, str, str]] = {
    # The SASAC notice: heading, 主送, body, attachment line, contact.
    "省国资委通知": (
        "sasac-notice",
        "河北省人民政府国有资产监督管理委员会关于开展",
        "153627456@qq.com",
    ),
    "省国资委通知 主送": ("sasac-notice", "的通知|省国资委监管企业", "省国资委监管企业"),
    "省国资委通知 正文": ("sasac-notice", "省国资委监管企业|《河北省", "请及时与省国资委联系。"),
    "省国资委通知 主送、正文": (
        "sasac-notice",
        "的通知|省国资委监管企业",
        "请及时与省国资委联系。",
    ),
    "省国资委通知 主送、正文、附件": (
        "sasac-notice",
        "的通知|省国资委监管企业",
        "附件深入开展《河北省知识产权保护和促进条例》宣贯活动实施方案",
    ),
    "省国资委通知 联系人": ("sasac-notice", "联系人及电话：", "153627456@qq.com"),
    # The leading group office's notice.
    "领导小组办公室通知": (
        "leading-group-notice",
        "河北省知识产权战略实施工作领导小组办公室关于印发",
        "（信息公开类型：依申请公开）",
    ),
    "领导小组办公室通知 全文": (
        "leading-group-notice",
        "河北省知识产权战略实施工作领导小组办公室关于印发",
        "（信息公开类型：依申请公开）",
    ),
    "领导小组办公室通知 主送": ("leading-group-notice", "各市（含定州、辛集市）", "省有关单位："),
    "领导小组办公室通知 正文": ("leading-group-notice", "省有关单位：|《河北省", "认真组织实施。"),
    "领导小组办公室通知 落款": (
        "leading-group-notice",
        "认真组织实施。|河北省知识产权战略实施工作领导小组办公室",
        "2023年9月28日",
    ),
    "领导小组办公室通知 信息公开类型": ("leading-group-notice", "（信息公开类型", "依申请公开）"),
    # The implementation plan (title to the attachment line).
    "实施方案": (
        "plan",
        "深入开展《河北省知识产权保护和促进条例》宣贯活动实施方案为深入贯彻",
        "附件：《条例》简要解读",
    ),
    "实施方案 引言": ("plan", "为深入贯彻习近平总书记", "宣贯活动实施方案。"),
    "实施方案 一至四": ("plan", "一、总体要求", "报送政府和上级主管部门。"),
    "实施方案 一": ("plan", "一、总体要求", "增强全社会知识产权保护和促进意识。"),
    "实施方案 二": ("plan", "二、时间安排", "至10月31日。"),
    "实施方案 三": ("plan", "三、工作重点", "落地见效。"),
    "实施方案 三（一）": ("plan", "（一）全面落实普法责任", "推动《条例》宣贯的深入开展。"),
    "实施方案 三（二）": ("plan", "（二）多种形式广泛宣传", "公平竞争的社会氛围。"),
    "实施方案 三（三）": ("plan", "（三）结合实际落地实施", "落地见效。"),
    "实施方案 四": ("plan", "四、有关要求", "报送政府和上级主管部门。"),
    "实施方案 四（一）": ("plan", "（一）高度重视，加强领导", "确保工作有力有序。"),
    "实施方案 四（二）": ("plan", "（二）多措并举，提高实效", "营造良好工作氛围。"),
    "实施方案 四（三）": ("plan", "（三）注重总结，强化提升", "报送政府和上级主管部门。"),
    "实施方案 联系人": ("plan", "联系人：省市场监管局", "0311-67565891"),
    "实施方案 附件": ("plan", "附件：《条例》简要解读", "附件：《条例》简要解读"),
    # 《条例》简要解读 (heading to the end of the seed).
    "简要解读": ("interpretation", "附件：《条例》简要解读|《条例》简要解读", "作出规定。"),
    "简要解读 引言": (
        "interpretation",
        "《河北省知识产权保护和促进条例》共八章",
        "重点规范了以下内容：",
    ),
    "简要解读（一）": ("interpretation", "（一）强化立法目的和政府职责", "国际化水平。"),
    "简要解读（二）": ("interpretation", "（二）鼓励知识产权的培育创造", "给予奖励。"),
    "简要解读（三）": ("interpretation", "（三）促进知识产权转化与运用", "权益分配机制。"),
    "简要解读（四）": ("interpretation", "（四）加强知识产权保护措施", "多元化解机制。"),
    "简要解读（五）": ("interpretation", "（五）强化知识产权服务保障", "申报职称评审。"),
    "简要解读（六）": ("interpretation", "(六)严格法律责任", "作出规定。"),
}

# Where a document's own date and addressees sit: a date elsewhere in a document (the plan's
# 时间安排 starts on 2023年9月28日) is not the document's date.
SIGNATURES = {"leading-group-notice": "领导小组办公室通知 落款"}
ADDRESSEES = {
    "sasac-notice": "省国资委通知 主送",
    "leading-group-notice": "领导小组办公室通知 主送",
}
# Source fields stated by another document, which must also name this one by its title:
# (source, field) → the other document's locator.
STATED_ELSEWHERE = {("plan", "issuer"): "领导小组办公室通知"}
# Source notes → (locator, the words that state it).
NOTE_EVIDENCE = {("interpretation", "实施方案的附件"): ("实施方案 附件", "附件：《条例》简要解读")}


def _find(marker: str, start: int = 0) -> tuple[int, int]:
    """(position of the marker's "|", or its start; end of the marker) from `start`."""
    before, _, after = marker.rpartition("|")
    at = SEED.find(before + after, start)
    if at < 0:
        raise LookupError(marker)
    return at + len(before), at + len(before + after)


def span(locator: str) -> str:
    if locator not in SPANS:
        raise LookupError(f"locator {locator!r} is not mapped in tests/knowledge/test_faithful.py")
    _, start, end = SPANS[locator]
    begin, _ = _find(start)
    if "|" in end:
        stop, _ = _find(end, begin)
    else:
        _, stop = _find(end, begin)
    return SEED[begin:stop]


def document(source: str) -> str:
    return span(DOCUMENTS[source])


# -- Reading knowledge/ -------------------------------------------------------------------------


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def yaml_files() -> list[Path]:
    return sorted(KNOWLEDGE.rglob("*.yaml"))


def citations(node: Any, file: str) -> Iterator[tuple[str, str, str]]:
    """(file, source, locator) of every mapping with both, anywhere in a document."""
    if isinstance(node, dict):
        if "source" in node and "locator" in node:
            yield file, str(node["source"]), str(node["locator"])
        for value in node.values():
            yield from citations(value, file)
    elif isinstance(node, list):
        for value in node:
            yield from citations(value, file)


ENTRIES = [e for p in sorted((KNOWLEDGE / "entries").glob("*.yaml")) for e in load(p)["entries"]]
CONTACTS = load(KNOWLEDGE / "contacts.yaml")["contacts"]
SOURCES = load(KNOWLEDGE / "sources.yaml")["sources"]
LAWS = [load(p) for p in sorted((KNOWLEDGE / "laws").glob("*.yaml"))]
QUIZ = load(KNOWLEDGE / "quiz.yaml")["questions"]
SHORTS = {s["id"]: s["short"] for s in SOURCES}


def chinese_date(value: Any) -> str:
    year, month, day = (int(part) for part in str(value).split("-"))
    return f"{year}年{month}月{day}日"


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [str(item["id"]) for item in items]


# -- The seed copy and the map -------------------------------------------------------------------


def test_the_seed_copy_is_the_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip(f"{SHARED_SEED} is not present")
    assert SEED_COPY.read_bytes() == SHARED_SEED.read_bytes()


def test_the_map_is_sound() -> None:
    documents = {source: document(source) for source in DOCUMENTS}
    for locator, (source, start, end) in SPANS.items():
        before, _, after = start.rpartition("|")
        assert SEED.count(before + after) == 1, (locator, start)
        text = span(locator)
        assert text.startswith(after) and text, locator
        assert text.endswith(end.partition("|")[0]), locator
        assert text in documents[source], (locator, source)
        assert locator.startswith(SHORTS[source]), (locator, source)
    # The documents follow each other and do not overlap.
    order = [SEED.index(documents[s]) for s in DOCUMENTS]
    assert order == sorted(order)
    assert sum(len(d) for d in documents.values()) <= len(SEED)


def test_every_locator_is_mapped() -> None:
    cited = [c for path in yaml_files() for c in citations(load(path), path.name)]
    assert len(cited) > 100
    unmapped = [c for c in cited if c[2] not in SPANS]
    assert not unmapped, f"map these locators in SPANS: {unmapped}"
    wrong = [c for c in cited if SPANS[c[2]][0] != c[1]]
    assert not wrong, f"locator of another document: {wrong}"


def test_an_unmapped_locator_fails() -> None:
    with pytest.raises(LookupError):
        span("实施方案 五")


# -- Entries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=ids(ENTRIES))
def test_entry_text_is_verbatim(entry: dict[str, Any]) -> None:
    """Every passage is quoted word for word from its cited part; a section without a text
    of its own is shown as its items, each checked here as an entry."""
    if entry.get("kind") == "section" and "text" not in entry:
        return
    assert squeeze(entry["text"]) in span(entry["locator"]), entry["locator"]
    assert SPANS[entry["locator"]][0] == entry["source"]


ITEMS = [e for e in ENTRIES if e.get("item_of")]


@pytest.mark.parametrize("entry", ITEMS, ids=ids(ITEMS))
def test_item_heading_is_verbatim(entry: dict[str, Any]) -> None:
    """The heading an item is listed under is the source's own, in its cited part."""
    assert entry.get("heading"), "an item of a section needs the heading it has in the source"
    assert squeeze(entry["heading"]) in span(entry["locator"]), entry["locator"]


DUTIES = [e for e in ENTRIES if e.get("kind") == "duty"]


@pytest.mark.parametrize("entry", DUTIES, ids=ids(DUTIES))
def test_duty_subject_is_named_in_its_passage(entry: dict[str, Any]) -> None:
    assert entry["subject"] in span(entry["locator"]), (entry["subject"], entry["locator"])


# -- Contacts ---------------------------------------------------------------------------------


def issuing_documents(source: str) -> list[str]:
    """Documents that name `source` by its title (the notices issuing or forwarding it)."""
    title = loose(next(s["title"] for s in SOURCES if s["id"] == source))
    return [s for s in DOCUMENTS if s != source and title in loose(document(s))]


@pytest.mark.parametrize("contact", CONTACTS, ids=ids(CONTACTS))
def test_contact(contact: dict[str, Any]) -> None:
    here, whole = span(contact["locator"]), document(contact["source"])
    assert SPANS[contact["locator"]][0] == contact["source"]
    for field in ("name", "phone", "email"):
        if contact.get(field):
            assert squeeze(str(contact[field])) in here, (field, contact[field])
    # A person the document lists without a unit is its issuer's contact.
    issuer = next(s.get("issuer") for s in SOURCES if s["id"] == contact["source"])
    organization = contact["organization"]
    assert organization in here or (organization == issuer and organization in whole), organization
    # What they serve: the document's own words (no gloss of what they handle).
    if contact.get("serves"):
        assert squeeze(contact["serves"]) in whole, contact["serves"]
    for topic in contact.get("topics") or []:
        assert topic in whole, topic
    documents = [whole] + [document(s) for s in issuing_documents(contact["source"])]
    for audience in contact.get("audiences") or []:
        assert any(audience in d for d in documents), audience


# -- Sources --------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_source(source: dict[str, Any]) -> None:
    ident = source["id"]
    whole = document(ident)
    assert loose(source["title"]) in loose(whole)
    for field in ("issuer",):
        if source.get(field):
            elsewhere = STATED_ELSEWHERE.get((ident, field))
            where = span(elsewhere) if elsewhere else whole
            assert source[field] in where, (field, source[field])
            if elsewhere:
                assert loose(source["title"]) in loose(where), elsewhere
    if source.get("date"):
        assert ident in SIGNATURES, f"{ident} has a date but the seed signs it with none"
        assert chinese_date(source["date"]) in span(SIGNATURES[ident])
    if source.get("attachment"):
        # The document's own 附件 line (附件：《条例》简要解读), the line breaks squeezed out.
        assert "附件" + loose(source["attachment"]) in loose(whole).replace("：", "")
    if source.get("disclosure"):
        assert f"（信息公开类型：{source['disclosure']}）" in whole
    if source.get("addressees"):
        assert ident in ADDRESSEES, f"{ident} has addressees but no 主送 line is mapped"
        assert squeeze(source["addressees"]) in span(ADDRESSEES[ident])
    if source.get("note"):
        assert (ident, source["note"]) in NOTE_EVIDENCE, f"note without evidence: {source['note']}"
        locator, words = NOTE_EVIDENCE[(ident, source["note"])]
        assert words in span(locator)


def test_every_document_is_a_source() -> None:
    assert set(SHORTS) == set(DOCUMENTS)
    assert all(SHORTS[s] == DOCUMENTS[s] for s in DOCUMENTS)


# -- Laws -----------------------------------------------------------------------------------------


def chapter_list(text: str) -> list[str]:
    """The chapters 简要解读 lists: '分别是总则、…、法律责任和附则，'."""
    listed = text.split("分别是", 1)[1].split("，", 1)[0]
    return re.split("、|和", listed)


@pytest.mark.parametrize("data", LAWS, ids=[str(d["law"]["id"]) for d in LAWS])
def test_law_structure(data: dict[str, Any]) -> None:
    law = data["law"]
    assert law["title"] in SEED
    cited = law["citation"]
    here = span(cited["locator"])
    assert SPANS[cited["locator"]][0] == cited["source"]
    names = [c["name"] for c in law["chapters"]]
    assert names == chapter_list(here)
    assert [c["number"] for c in law["chapters"]] == list(range(1, len(names) + 1))
    assert f"共{to_chinese(len(names))}章、{to_chinese(law['article_count'])}条" in here
    # The seed gives no article spans and no article text.
    assert all("first_article" not in c and "last_article" not in c for c in law["chapters"])
    assert not data.get("articles")
    dates = law.get("date_citation") or cited
    when = span(dates["locator"])
    assert SPANS[dates["locator"]][0] == dates["source"]
    if law.get("adopted"):
        assert f"于{chinese_date(law['adopted'])}审议通过" in when
    if law.get("effective"):
        assert f"自{chinese_date(law['effective'])}起施行" in when
    if law.get("adopted_by"):
        assert f"已经{law['adopted_by']}" in when
    assert not law.get("issuer") or law["issuer"] in when


# -- Quiz ---------------------------------------------------------------------------------------

# Questions asking which option the passage does NOT list: the right option is absent from the
# cited span and every other option is in it.
NEGATIVE = {
    "q-chapter-not-included",
    "q-plan-parts-not",
    "q-five-into-not",
    "q-channel-not-listed",
    "q-study-forms-not",
    "q-public-service-not",
    "q-notice-addressee-not",
}
NEGATION = re.compile("不是|不在|不包括|没有列出")


def _nth_item(text: str, n: int) -> str:
    return re.findall(r"（[一二三四五六七八九十]+）([^。]+)。", text)[n]


# Questions about an order or a count: the right option is computed from the span.
ORDINALS: dict[str, Any] = {
    "q-first-chapter": lambda t: chapter_list(t)[0],
    "q-chapter-2": lambda t: chapter_list(t)[1],
    "q-chapter-4": lambda t: chapter_list(t)[3],
    "q-chapter-6": lambda t: chapter_list(t)[5],
    "q-last-chapter": lambda t: chapter_list(t)[-1],
    "q-chapter-after-utilization": lambda t: chapter_list(t)[
        chapter_list(t).index("转化与运用") + 1
    ],
    "q-chapter-7": lambda t: f"第{to_chinese(chapter_list(t).index('法律责任') + 1)}章",
    "q-focus-count": lambda t: (
        f"{to_chinese(len(re.findall(r'（[一二三四五六七八九十]+）', t)))}项"
    ),
    "q-focus-1": lambda t: _nth_item(t, 0),
    "q-req-1": lambda t: _nth_item(t, 0),
}
DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}")
NUMBER = re.compile(r"[\d@.\-]{5,}")


@dataclass(frozen=True)
class Explanation:
    quotes: list[str]
    rest: str


def quotations(text: str) -> Explanation:
    """Top-level “…” quotations of an explanation (‘…’ nests inside) and the text around them."""
    quotes, rest, depth, current = [], [], 0, []
    for ch in text:
        if ch == "“":
            depth += 1
            if depth == 1:
                current = []
                continue
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                quotes.append("".join(current))
                continue
        (current if depth else rest).append(ch)
    assert depth == 0, f"unbalanced quotation marks: {text}"
    return Explanation(quotes, "".join(rest))


@pytest.mark.parametrize("question", QUIZ, ids=ids(QUIZ))
def test_quiz_question(question: dict[str, Any]) -> None:
    """A quiz question is faithful when

    1. its locator belongs to its source (so the document named is the one that says it);
    2. the right option is in the cited span (whitespace aside); for a NEGATIVE question it is
       not, and every other option is; for an ORDINALS question it is what the span's order or
       count gives;
    3. the explanation begins with the cited document's short name, names no other document
       outside quotation marks, quotes the passage in “…”, and every quoted fragment (split at
       ……) is in the cited span; every date or long number outside quotes is in the span too.
    """
    ident, locator = question["id"], question["locator"]
    here = loose(span(locator))
    assert SPANS[locator][0] == question["source"], (locator, question["source"])
    options = [str(o) for o in question["options"]]
    right = options[question["answer"]]
    if ident in NEGATIVE:
        assert NEGATION.search(question["question"]), ident
        assert loose(right) not in here, right
        assert all(loose(o) in here for o in options if o != right), options
    else:
        assert not NEGATION.search(question["question"]), f"{ident} reads as a NEGATIVE question"
        if ident in ORDINALS:
            assert ORDINALS[ident](here) == right, (ident, right)
        else:
            assert loose(right) in here, right

    explanation = str(question["explanation"])
    short = SHORTS[question["source"]]
    assert explanation.startswith(short), (explanation, short)
    parts = quotations(explanation)
    assert parts.quotes, f"{ident}: the explanation quotes nothing"
    for quote in parts.quotes:
        for fragment in re.split("…+", quote):
            if fragment.strip("，、。；： "):
                assert loose(fragment) in here, (ident, fragment)
    for other in set(SHORTS.values()) - {short}:
        assert other not in parts.rest, (ident, other)
    for fact in DATE.findall(parts.rest) + NUMBER.findall(parts.rest):
        assert fact in here, (ident, fact)


def test_quiz_tables_name_existing_questions() -> None:
    assert NEGATIVE | set(ORDINALS) <= set(ids(QUIZ))
