"""Reading law files in whatever encoding the publisher chose: UTF-8 (BOM or not) or GB18030."""

from __future__ import annotations

from pathlib import Path

from bot.importer.errors import LawImportError


def normalise_newlines(text: str) -> str:
    """CRLF and bare CR become LF so line numbers match what an editor shows."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_law_bytes(data: bytes, path: str = "<bytes>") -> str:
    """Decode strictly: UTF-8 (BOM dropped) first, GB18030 second; never guess silently.

    UTF-8 is tried first because valid GB18030 Chinese is almost never valid UTF-8,
    while the reverse fallback would turn UTF-8 into mojibake without an error.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # A UTF-16 BOM: Windows "Unicode" exports. Cheap to support, so do it.
        try:
            return normalise_newlines(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise LawImportError(
                path, None, f"UTF-16 BOM but invalid UTF-16 ({exc.reason})"
            ) from exc
    try:
        return normalise_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as utf8_error:
        try:
            return normalise_newlines(data.decode("gb18030"))
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            raise LawImportError(
                path, line, "neither UTF-8 nor GB18030: save the file as UTF-8"
            ) from utf8_error


def read_law_file(path: str | Path) -> str:
    """The text of a law file with LF line endings; LawImportError when unreadable."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LawImportError(name, None, f"cannot read file: {exc.strerror or exc}") from exc
    return decode_law_bytes(data, name)
