"""Finding a font with Chinese glyphs for the report's charts.

matplotlib's default font (DejaVu Sans) has no CJK glyphs: Chinese labels would come out as
empty boxes. The report therefore looks through the fonts matplotlib knows for a CJK one —
Debian's `fonts-noto-cjk` (Noto Sans CJK), Source Han, WenQuanYi and the usual Windows and
macOS fonts — checks that it really holds the glyphs the charts need, and fails with a clear
message when there is none rather than drawing boxes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from matplotlib import font_manager

# Preferred families, best first: simplified-Chinese sans faces, then other CJK faces.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "Noto Serif CJK TC",
    "Noto Serif CJK JP",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "SimSun",
    "Droid Sans Fallback",
)
# Words in the family names of other CJK fonts worth trying when none of the above is there.
CJK_NAME_HINTS = ("CJK", "Han ", "Hei", "WenQuanYi", "Ming", "Song", "Kai", "Fallback", "GB")
# Characters a chart must be able to draw: title words, kinds, digits.
SAMPLE_TEXT = "条例宣贯助手问题每日回答澄清未能群参与人数得分０1"

INSTALL_HINT = (
    "no font with Chinese glyphs was found, so the charts' Chinese labels cannot be drawn. "
    "Install one, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu; the Docker image "
    "has it), then delete matplotlib's font cache (~/.cache/matplotlib) and run again"
)


class NoCjkFont(LookupError):
    """No installed font can draw Chinese."""


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: str


def covers(path: str, text: str = SAMPLE_TEXT) -> bool:
    """Whether the font file has a glyph for every character of `text`."""
    try:
        font = font_manager.get_font(path)
    except Exception:  # unreadable or unsupported font file
        return False
    return all(font.get_char_index(ord(ch)) for ch in text if not ch.isspace())


def _entries() -> list[font_manager.FontEntry]:
    return list(font_manager.fontManager.ttflist)


def find_cjk_font(entries: Iterable[font_manager.FontEntry] | None = None) -> CjkFont:
    """The best installed CJK font, or NoCjkFont with install instructions."""
    candidates = list(_entries() if entries is None else entries)
    by_family: dict[str, list[font_manager.FontEntry]] = {}
    for entry in candidates:
        by_family.setdefault(entry.name, []).append(entry)
    for family in PREFERRED_FAMILIES:
        # Regular weight first: the bold file is checked only when it is all there is.
        for entry in sorted(by_family.get(family, []), key=lambda e: abs(_weight(e) - 400)):
            if covers(entry.fname):
                return CjkFont(family, entry.fname)
    for entry in sorted(candidates, key=lambda e: (e.name, abs(_weight(e) - 400))):
        if any(hint in entry.name for hint in CJK_NAME_HINTS) and covers(entry.fname):
            return CjkFont(entry.name, entry.fname)
    raise NoCjkFont(INSTALL_HINT)


def _weight(entry: font_manager.FontEntry) -> int:
    weight = entry.weight
    if isinstance(weight, int):
        return weight
    return font_manager.weight_dict.get(str(weight), 400)
