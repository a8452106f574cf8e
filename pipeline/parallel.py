"""Run work items on a few threads that never hold the process: Ctrl-C stops a draft at once.

A thread pool from ``concurrent.futures`` (and langchain's batch, built on one) joins its threads at
exit, so Ctrl-C waited for every call in flight to finish all its retries: 11–15 s. Here the workers
are daemon threads. A failure stops new items from starting and lets the ones in flight finish, so
their work is kept; Ctrl-C returns to the caller at once and the calls in flight are abandoned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_bounded(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``fn`` over ``items`` on at most ``workers`` daemon threads; results in input order."""
    results: dict[int, R] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    pending = list(range(len(items)))[::-1]
    stop = threading.Event()
    running = [0]
    finished = threading.Event()

    def work() -> None:
        while True:
            with lock:
                if stop.is_set() or not pending:
                    running[0] -= 1
                    if running[0] == 0:
                        finished.set()
                    return
                index = pending.pop()
            try:
                value = fn(items[index])
            except BaseException as exc:  # handed to the caller's thread
                with lock:
                    errors.append(exc)
                stop.set()
            else:
                with lock:
                    results[index] = value

    count = max(1, min(workers, len(items)))
    if not items:
        return []
    running[0] = count
    for _ in range(count):
        threading.Thread(target=work, daemon=True).start()
    try:
        while not finished.wait(0.1):
            pass
    except BaseException:
        stop.set()  # Ctrl-C: start nothing more; the daemon threads die with the process
        raise
    if errors:
        raise errors[0]
    return [results[i] for i in range(len(items))]
