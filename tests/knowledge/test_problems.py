"""Problems in data files (bot/knowledge/problems.py): where, and what."""

from __future__ import annotations

from bot.knowledge.problems import Problem, checked_regex


def test_a_bad_regex_is_a_problem_at_its_file_and_line() -> None:
    problems: list[Problem] = []
    assert checked_regex("第(\\d+)章", "rules.yaml", 3, problems).fullmatch("第5章")
    assert checked_regex("(", "rules.yaml", 7, problems, "slip: ") is None
    assert checked_regex(12, "rules.yaml", 8, problems).search("a12")  # a number is its text
    [problem] = problems
    assert str(problem).startswith("rules.yaml:7: slip: bad regex '('")
