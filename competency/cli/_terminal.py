"""The terminal side of every command: what is printed cannot drive the terminal,
a reader that goes away ends the command quietly, and Ctrl-C always ends it."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from competency._text import terminal_text

EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141  # 128 + SIGINT, 128 + SIGPIPE, as a shell reports them
INTERRUPTED = "interrupted; nothing was changed by the unfinished command"
INTERRUPT_GRACE = 3.0  # seconds an interrupted command has to end on its own

_interrupt_said = threading.Event()
_grace_timers: list[threading.Timer] = []


class TerminalSafeStream:
    """Standard output with terminal control sequences removed from every text
    written (names in a roster could otherwise retitle a terminal, hide text or
    ring it); everything else is the wrapped stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: Any) -> int:
        if isinstance(text, str):
            text = terminal_text(text)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def terminal_session() -> Iterator[None]:
    """Run a command with safe standard output and the Ctrl-C watchdog; flush what
    is still buffered at the end (a reader gone by then exits 141 quietly)."""
    real = sys.stdout
    sys.stdout = TerminalSafeStream(real)  # type: ignore[assignment]
    previous = signal.signal(signal.SIGINT, _on_interrupt) if threading.current_thread() is threading.main_thread() else None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        for timer in _grace_timers:
            timer.cancel()  # the command ended by itself
        _grace_timers.clear()
        sys.stdout = real
        _flush_or_silence(real)


def _on_interrupt(signum: int, frame: Any) -> None:
    """Ctrl-C: raise KeyboardInterrupt as Python does, and end the process after a grace
    period should it not end by itself (DuckDB can hang while stopping a query that
    runs on several threads). A killed command leaves the workspace as it was."""
    timer = threading.Timer(INTERRUPT_GRACE, _exit_interrupted)
    timer.daemon = True
    timer.start()
    _grace_timers.append(timer)
    raise KeyboardInterrupt


def _exit_interrupted() -> None:
    if not _interrupt_said.is_set():
        sys.stderr.write(INTERRUPTED + "\n")
        sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def interrupted_said() -> None:
    """The command said INTERRUPTED itself; the watchdog must not say it again."""
    _interrupt_said.set()


def is_query_interrupt(error: BaseException) -> bool:
    """DuckDB turns Ctrl-C during a query into one of these instead of KeyboardInterrupt."""
    return type(error).__name__ == "InterruptException" or (isinstance(error, RuntimeError) and str(error) == "Query interrupted")


def silence(stream: Any) -> None:
    """Point standard output at /dev/null once its reader has gone, so that flushing
    it at exit does not fail again (and print a warning)."""
    stream = getattr(stream, "_stream", stream)
    # A stream that is not a real file (a test runner's buffer) has nothing to fail at exit.
    with suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def _flush_or_silence(stream: Any) -> None:
    try:
        stream.flush()
    except BrokenPipeError:
        silence(stream)
        sys.exit(EXIT_BROKEN_PIPE)
    except (OSError, ValueError):
        return  # a closed or unflushable stream: nothing more can be said on it
