"""The loader behind `check`: the seed loads clean; broken copies name the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, Problem, load_knowledge
from bot.knowledge.loader import (
    QUIZ_EXPLANATION_MAX,
    QUIZ_OPTION_MAX,
    QUIZ_OPTIONS_MAX,
    QUIZ_QUESTION_MAX,
    collect,
)

REPO = Path(__file__).resolve().parents[2]
BROKEN = "knowledge/entries/zz_broken.yaml"


def problems_of(kb) -> list[Problem]:  # type: ignore[no-untyped-def]
    _, problems = collect(kb.knowledge)
    return problems


def find(problems: list[Problem], fragment: str) -> list[Problem]:
    return [p for p in problems if fragment in p.message]


def only(problems: list[Problem], fragment: str) -> Problem:
    found = find(problems, fragment)
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


def entry(ident: str, **fields: str) -> str:
    """One entry as YAML lines (the `- id:` line first), with sane defaults."""
    values = {
        "kind": "faq",
        "title": "测试条目",
        "text": "测试文本。",
        "source": "plan",
        "locator": "实施方案 一",
    }
    values.update(fields)
    lines = [f"  - id: {ident}"]
    lines += [f"    {key}: {value}" for key, value in values.items() if value != "-"]
    return "\n".join(lines) + "\n"


# -- The seed -------------------------------------------------------------------------------


def test_seed_loads_without_problems() -> None:
    kb, problems = collect(REPO / "knowledge")
    assert problems == []
    assert kb.entries and kb.laws and kb.contacts and kb.quiz and kb.sources


def test_load_knowledge_returns_the_base() -> None:
    kb = load_knowledge(REPO / "knowledge")
    assert kb.primary is not None and kb.primary.id == "hebei-ip-regulation"


def test_problem_prints_like_a_compiler_error() -> None:
    assert str(Problem("knowledge/x.yaml", 7, "bad")) == "knowledge/x.yaml:7: bad"


def test_missing_directory(tmp_path: Path) -> None:
    _, problems = collect(tmp_path / "nope")
    assert len(problems) == 1 and "not found" in problems[0].message


def test_a_copy_loads_clean(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    assert problems_of(tmp_kb()) == []


# -- Syntax and ids -------------------------------------------------------------------------


def test_malformed_yaml_names_the_line(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(
        BROKEN,
        "entries:\n"
        "  - id: broken-one\n"
        "    title: 冒号: 不能这样写\n"  # line 3
        "    text: x\n",
    )
    problem = only(problems_of(kb), "YAML syntax error")
    assert (problem.file, problem.line) == (BROKEN, 3)


def test_malformed_yaml_in_an_existing_file(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/entries/plan.yaml"
    line = kb.line_of(rel, "- id: plan-schedule")
    kb.replace(rel, "- id: plan-schedule", "- id: [plan-schedule")
    problem = only(problems_of(kb), "YAML syntax error")
    assert problem.file == rel
    assert line <= problem.line <= line + 2


def test_a_syntax_error_points_where_the_construct_starts(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(
        BROKEN,
        "entries:\n"
        "  - id: broken-one\n"
        "    title: [never closed\n"  # line 3: the flow sequence starts here
        "    text: x\n"
        "    source: plan\n",
    )
    problem = only(problems_of(kb), "YAML syntax error")
    assert (problem.file, problem.line) == (BROKEN, 3)
    assert "(line 3)" in problem.message and "(line 4)" in problem.message


def test_duplicate_id_names_both_places(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    first = kb.line_of("knowledge/entries/plan.yaml", "- id: plan-schedule")
    kb.write(BROKEN, "entries:\n" + entry("other") + entry("plan-schedule"))
    problem = only(problems_of(kb), "duplicate id 'plan-schedule'")
    assert (problem.file, problem.line) == (BROKEN, 8)
    assert f"knowledge/entries/plan.yaml:{first}" in problem.message


def test_duplicate_id_across_kinds(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("liu-yaqiang"))  # a contact's id
    problem = only(problems_of(kb), "duplicate id 'liu-yaqiang'")
    assert (problem.file, problem.line) == (BROKEN, 2)
    assert "knowledge/contacts.yaml:" in problem.message


def test_bad_id_characters(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("有 空格"))
    assert only(problems_of(kb), "may only hold").line == 2


# -- References -----------------------------------------------------------------------------


def test_unknown_source(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("a-entry") + entry("b-entry", source="no-such-doc"))
    problem = only(problems_of(kb), "unknown source 'no-such-doc'")
    assert (problem.file, problem.line) == (BROKEN, 8)


def test_unknown_contact(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("c-entry", contacts="[wang-guoqiang, nobody]"))
    problem = only(problems_of(kb), "unknown contact 'nobody'")
    assert (problem.file, problem.line) == (BROKEN, 2)


def test_unknown_parent(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("p-entry", parent="no-such-parent"))
    problem = only(problems_of(kb), "unknown parent entry 'no-such-parent'")
    assert (problem.file, problem.line) == (BROKEN, 2)


def test_known_parent_is_fine(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("p-entry", parent="plan-overall"))
    assert problems_of(kb) == []


@pytest.mark.parametrize("field", ["title", "text", "source", "locator"])
def test_missing_required_field(tmp_kb, field: str) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("ok-entry") + entry("m-entry", **{field: "-"}))
    problem = only(problems_of(kb), f"missing required field '{field}'")
    assert (problem.file, problem.line) == (BROKEN, 8)


def test_blank_required_field(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("m-entry", text="'   '"))
    assert only(problems_of(kb), "missing required field 'text'").line == 2


def test_duty_needs_a_subject(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("d-entry", kind="duty"))
    assert only(problems_of(kb), "missing required field 'subject'").line == 2


def test_unknown_kind(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(BROKEN, "entries:\n" + entry("k-entry", kind="article"))
    assert only(problems_of(kb), "kind must be one of").line == 2


def test_contact_missing_phone(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/contacts.yaml"
    line = kb.line_of(rel, "- id: wang-guoqiang")
    kb.replace(rel, '    phone: "0311-67565891"\n', "")
    problems = problems_of(kb)
    assert only(problems, "missing required field 'phone'").line == line
    # the contact is not loaded, so what named it is reported too
    assert find(problems, "unknown default contact 'wang-guoqiang'")


def test_primary_law_unknown(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/sources.yaml"
    kb.replace(rel, "primary: hebei-ip-regulation", "primary: no-such-law")
    problem = only(problems_of(kb), "unknown primary law 'no-such-law'")
    assert problem.file == rel
    # the top-level mapping starts at its first key: the first non-comment line
    first_key = next(
        n
        for n, line in enumerate(kb.read(rel).splitlines(), 1)
        if line.strip() and not line.startswith("#")
    )
    assert problem.line == first_key


def test_law_citing_unknown_source(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/laws/hebei-ip-regulation.yaml"
    kb.replace(rel, "    source: interpretation", "    source: nowhere")
    where = (rel, kb.line_of(rel, "  id: hebei-ip-regulation"))
    found = find(problems_of(kb), "unknown source 'nowhere'")
    assert where in [(p.file, p.line) for p in found]


def test_law_citing_unknown_source_reported_once_with_file(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/laws/hebei-ip-regulation.yaml"
    kb.replace(rel, "    source: interpretation", "    source: nowhere")
    problems = problems_of(kb)
    assert all(p.file == rel for p in problems), "\n".join(map(str, problems))


def test_law_article_count_mismatch(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/laws/hebei-ip-regulation.yaml"
    kb.replace(
        rel,
        "articles: []",
        "articles:\n  - number: 1\n    label: 第一条\n    paragraphs: [为了测试。]\n",
    )
    problem = only(problems_of(kb), "article_count is 68 but 1 articles")
    assert problem.file == rel


def test_chapters_out_of_order(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    rel = "knowledge/laws/hebei-ip-regulation.yaml"
    kb.replace(rel, "    - number: 3\n", "    - number: 2\n")
    assert only(problems_of(kb), "increasing order").file == rel


# -- Quiz limits ----------------------------------------------------------------------------

QUIZ = "knowledge/quiz.yaml"


def quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON is YAML), so \\n is a real line break."""
    return json.dumps(text, ensure_ascii=False)


def quiz_question(
    ident: str,
    *,
    question: str = "条例何时施行？",
    options: list[str] | None = None,
    answer: int = 0,
    explanation: str = "见通知。",
) -> str:
    options = options if options is not None else ["2023年11月1日", "2023年9月21日"]
    lines = [
        f"  - id: {ident}",
        f"    question: {quote(question)}",
        "    options:",
        *(f"      - {quote(o)}" for o in options),
        f"    answer: {answer}",
        f"    explanation: {quote(explanation)}",
        "    source: leading-group-notice",
        "    locator: 领导小组办公室通知 正文",
    ]
    return "\n".join(lines) + "\n"


def quiz_problems(kb, *questions: str) -> tuple[list[Problem], list[int]]:  # type: ignore[no-untyped-def]
    """Write a quiz file of `questions`; return its problems and each question's first line."""
    text, starts = "questions:\n", []
    for q in questions:
        starts.append(text.count("\n") + 1)
        text += q
    kb.write(QUIZ, text)
    return problems_of(kb), starts


def test_quiz_within_limits_is_fine(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    problems, _ = quiz_problems(
        kb,
        quiz_question("q-max-question", question="问" * QUIZ_QUESTION_MAX),
        quiz_question("q-max-options", options=[f"选项{i}" for i in range(QUIZ_OPTIONS_MAX)]),
        quiz_question("q-max-option", options=["长" * QUIZ_OPTION_MAX, "短"]),
        quiz_question("q-max-expl", explanation="释" * QUIZ_EXPLANATION_MAX),
        quiz_question("q-two-breaks", explanation="一\n二\n三"),
        quiz_question("q-last-answer", answer=1),
    )
    assert problems == []


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"question": "问" * (QUIZ_QUESTION_MAX + 1)}, "question has 301 characters"),
        ({"options": ["唯一"]}, "options, got 1"),
        ({"options": [f"选项{i}" for i in range(QUIZ_OPTIONS_MAX + 1)]}, "options, got 13"),
        ({"options": ["长" * (QUIZ_OPTION_MAX + 1), "短"]}, "is over 100 characters"),
        ({"explanation": "释" * (QUIZ_EXPLANATION_MAX + 1)}, "explanation has 201 characters"),
        ({"explanation": "一\n二\n三\n四"}, "at most 2 line breaks"),
        ({"answer": 2}, "answer 2 is not the index of an option"),
        ({"answer": -1}, "answer -1 is not the index of an option"),
        ({"options": ["同", "同"]}, "must be different"),
    ],
)
def test_quiz_limits(tmp_kb, kwargs: dict, fragment: str) -> None:  # type: ignore[no-untyped-def,type-arg]
    kb = tmp_kb()
    problems, starts = quiz_problems(kb, quiz_question("q-good"), quiz_question("q-bad", **kwargs))
    problem = only(problems, fragment)
    assert (problem.file, problem.line) == (QUIZ, starts[1])
    _, all_problems = collect(kb.knowledge)
    assert all(p.line == starts[1] for p in all_problems if p.file == QUIZ)


def test_quiz_unknown_source_and_duplicate(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    bad_source = quiz_question("q-src").replace("leading-group-notice", "nowhere")
    problems, starts = quiz_problems(kb, quiz_question("q-a"), bad_source, quiz_question("q-a"))
    assert only(problems, "unknown source 'nowhere'").line == starts[1]
    assert only(problems, "duplicate quiz id 'q-a'").line == starts[2]


# -- KnowledgeError -------------------------------------------------------------------------


def test_load_knowledge_raises_listing_every_problem(tmp_kb) -> None:  # type: ignore[no-untyped-def]
    kb = tmp_kb()
    kb.write(
        BROKEN,
        "entries:\n"
        + entry("e-one", source="nowhere")
        + entry("e-two", contacts="[nobody]")
        + entry("e-three", parent="orphan"),
    )
    expected = problems_of(kb)
    assert len(expected) == 3
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kb.knowledge)
    assert info.value.problems == sorted(expected)
    message = str(info.value)
    assert message.startswith("3 problem(s)")
    for line in (2, 8, 15):  # the second entry has 7 lines
        assert f"{BROKEN}:{line}: " in message


def test_knowledge_error_truncates_long_lists() -> None:
    problems = [Problem("f.yaml", n, "bad") for n in range(1, 26)]
    message = str(KnowledgeError(problems))
    assert "… and 5 more" in message
    assert "f.yaml:20: bad" in message and "f.yaml:21: bad" not in message
