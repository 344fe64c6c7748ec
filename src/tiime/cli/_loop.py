"""The one event loop a command fans its requests out in, Ctrl-C included."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["run"]


def run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(main())``, where Ctrl-C cancels ``main`` (every task it started is
    cancelled, its ``finally`` blocks and ``async with`` exits run: nothing queued is sent)
    and then raises :class:`KeyboardInterrupt`.

    asyncio.run does so itself from Python 3.11 on; on 3.10 the interrupt would be raised
    wherever the loop happens to be, and coroutines left half-run complain on exit.
    """
    return asyncio.run(_interruptible(main))


async def _interruptible(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    interrupted = False

    def on_sigint() -> None:
        nonlocal interrupted
        interrupted = True
        if task is not None:
            task.cancel()

    previous = signal.getsignal(signal.SIGINT)
    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        installed = False
    try:
        return await main()
    except asyncio.CancelledError:
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)
            signal.signal(signal.SIGINT, previous)
