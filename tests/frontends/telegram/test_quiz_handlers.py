"""The Telegram quiz's handlers, their pure parts: the arguments of /quiz."""

from __future__ import annotations

import pytest

from bot.frontends.telegram.quiz.handlers import parse_quiz_arguments


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("", (5, 30)),
        ("10", (10, 30)),
        ("3 60", (3, 60)),
        ("  1   5 ", (1, 5)),
        ("５ ３０", (5, 30)),  # full-width digits, as Chinese keyboards type them
        ("50 600", (50, 600)),
        ("0", None),
        ("51", None),
        ("5 4", None),
        ("5 601", None),
        ("-1", None),
        ("x", None),
        ("5 30 1", None),
        ("5s", None),
        ("²", None),
    ],
)
def test_quiz_arguments(argument: str, expected: tuple[int, int] | None) -> None:
    assert parse_quiz_arguments(argument) == expected
