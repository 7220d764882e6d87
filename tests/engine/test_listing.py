"""What a series lists and what a question asks whether something includes
(bot/engine/listing.py)."""

from __future__ import annotations

from pathlib import Path

from bot.engine.intents import collect_intents
from bot.engine.listing import unlisted, unnamed

# The premise words of the project's own intents (intents/rules.yaml `premises:`).
READING = collect_intents(Path(__file__).parents[2] / "intents")[0].premises


def test_unlisted_reads_only_the_series_form() -> None:
    passage = "推动《条例》进企业、进学校、进社区、进单位、进市场，增加针对性。"
    assert unlisted(["五进", "包括", "进", "农村", "吗"], passage, READING) == ["进农村"]
    assert unlisted(["五进", "有进", "农村"], passage, READING) == ["进农村"]
    assert unlisted(["五进", "包括", "进", "学校", "吗"], passage, READING) == []
    assert unlisted(["推进", "农村"], passage, READING) == []  # 推进 is no 进 of the series
    assert (
        unlisted(["进", "农村"], "通过报纸、电视、宣传栏等形式。", READING) == []
    )  # no shared start


def test_things_asked_whether_included_that_no_passage_names_are_found() -> None:
    used = {"报纸", "电视", "纠纷", "机制"}

    def never(thing: str) -> bool:
        return not any(w in thing for w in used)

    assert unnamed("纠纷多元化解机制包括调解、仲裁、公证吗", READING, never) == [
        "调解",
        "仲裁",
        "公证",
    ]
    assert unnamed("宣传形式包括报纸和抖音吗", READING, never) == ["抖音"]  # 报纸 is named
    # Words around a thing are no part of it (包括了报纸, 报纸等).
    assert unnamed("宣传形式包括了报纸等吗", READING, never) == []
    assert unnamed("进农村包括在内吗", READING, never) == []  # 在内 names nothing
    assert unnamed("宣传形式包括哪些", READING, never) == []  # a list asked for
    assert unnamed("宣传形式有抖音吗", READING, never) == ["抖音"]  # 形式有: asks whether it is one
    assert unnamed("工作有抖音吗", READING, never) == []  # no kind of thing before 有: not read
