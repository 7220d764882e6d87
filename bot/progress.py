"""Progress of long work on the terminal: embedding the knowledge base into the vector index.

`ProgressDisplay` is a `bot.engine.signals.semantic.Progress` callback. On a terminal it
draws a tqdm bar with counts, rate and time left; elsewhere (a pipe, a log file, Docker) it
writes one line when a stage starts and one when it ends, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class ProgressDisplay:
    """Shows `(done, total)` reports of one stage at a time on `stream` (default stderr).

    `notice`, when given, is printed once before the first bar or line (what is happening
    and why the user waits). `start` and `end` are the lines written when `stream` is not a
    terminal; they may use {label}, {total}, {unit} and {seconds}.
    """

    def __init__(
        self,
        label: str = "embedding",
        unit: str = "passages",
        stream: IO[str] | None = None,
        *,
        notice: str | None = None,
        start: str = "{label}: {total} {unit}…",
        end: str = "{label}: {total} {unit} in {seconds:.0f} s",
        terminal: bool | None = None,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.notice = notice
        self.start_line = start
        self.end_line = end
        self.terminal = is_terminal(self.stream) if terminal is None else terminal
        self._bar: Any = None
        self._total = 0
        self._started = 0.0
        self._noticed = False

    def begin(self) -> None:
        """Show at once that work has started, before its size is known (the notice, and on
        a terminal a bar counting the seconds); `close()` removes the bar if nothing came."""
        self._say_notice()
        if self.terminal and self._bar is None:
            self._bar = self._new_bar(None)
        self._started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if done == 0 or self._total != total:
            self._start(total)
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
        if done >= total:
            self._finish()

    def close(self) -> None:
        """End the display (a bar that never learned its size is erased)."""
        if self._bar is not None:
            if self._bar.total is None:
                self._bar.leave = False
            self._bar.close()
            self._bar = None

    # -- steps -----------------------------------------------------------------------------------

    def _say_notice(self) -> None:
        if self.notice and not self._noticed:
            self._noticed = True
            print(self.notice, file=self.stream, flush=True)

    def _start(self, total: int) -> None:
        self._say_notice()
        self._total = total
        if self.terminal:
            if self._bar is not None and self._bar.total is None:
                self._bar.reset(total=total)  # the early bar learns its size
            else:
                self.close()
                self._bar = self._new_bar(total)
                self._started = time.monotonic()
        else:
            self._started = time.monotonic()
            print(self._format(self.start_line), file=self.stream, flush=True)

    def _finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        else:
            print(self._format(self.end_line), file=self.stream, flush=True)
        self._total = 0

    def _new_bar(self, total: int | None) -> Any:
        from tqdm import tqdm

        return tqdm(
            total=total,
            desc=self.label,
            unit=f" {self.unit}" if self.unit else "",
            file=self.stream,
            dynamic_ncols=True,
            mininterval=0.2,
            leave=True,
        )

    def _format(self, template: str) -> str:
        return template.format(
            label=self.label,
            total=self._total,
            unit=self.unit,
            seconds=time.monotonic() - self._started,
        )
