"""Running the worker (and the desk) until a signal, then stopping everything in bounded time.

Every entry point that serves (``minecase up``, ``minecase worker``, ``python worker.py``) runs through
``run_until_stopped``: SIGTERM or SIGINT asks the desk to stop taking requests and the worker to shut
down; whatever has not finished within its grace is cancelled, so the command returns within a few
seconds and ``Runtime.__aexit__`` stops the embedded Temporal server after it. (A worker's own shutdown
waits for its pollers; against a server that does not cancel them it can take a minute — it is not
waited for beyond ``grace``: the Temporal server re-dispatches anything unfinished.)
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

log = structlog.get_logger("minecase.lifecycle")

WEB_GRACE = 3.0
"""Seconds the desk has to finish its requests once asked to stop."""
WORKER_GRACE = 4.0
"""Seconds the worker has to finish its tasks once asked to stop."""


async def run_until_stopped(worker: Any, prepare: Callable[[], Awaitable[Any]] | None = None, *,
                            stop: asyncio.Event | None = None,
                            web_grace: float = WEB_GRACE, worker_grace: float = WORKER_GRACE) -> None:
    """Run ``worker`` (a ``temporalio.worker.Worker``) until SIGTERM, SIGINT or ``stop`` is set, or it ends.

    ``prepare`` runs once the worker runs (seeding needs it) and returns the desk's ``uvicorn.Server`` to
    serve beside it, or ``None``. Then both are stopped, each within its grace; an error that ended one of
    them (or ``prepare``) is raised after both are stopped."""
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals
            loop.add_signal_handler(number, stop.set)
    worker_task = asyncio.create_task(worker.run(), name="minecase-worker")
    stopping = asyncio.create_task(stop.wait(), name="minecase-stop")
    running = [worker_task]
    web: Any = None
    web_task: asyncio.Task | None = None
    try:
        if prepare is not None:
            preparing = asyncio.create_task(prepare(), name="minecase-prepare")
            running.append(preparing)
            await asyncio.wait([stopping, worker_task, preparing], return_when=asyncio.FIRST_COMPLETED)
            if preparing.done() and not preparing.cancelled() and preparing.exception() is None:
                web = preparing.result()
            else:
                await _within(preparing, 0)
        if web is not None and not stop.is_set() and not worker_task.done():
            web_task = asyncio.create_task(web.serve(), name="minecase-web")
            running.append(web_task)
        if not stop.is_set() and not any(t.done() and t.exception() is not None for t in running if not t.cancelled()):
            await asyncio.wait([stopping, worker_task, *([web_task] if web_task else [])],
                               return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        log.info("stopping", signalled=stop.is_set())
        if web is not None and web_task is not None:
            web.should_exit = True
            await _within(web_task, web_grace)
        if not worker_task.done():
            try:
                await asyncio.wait_for(asyncio.shield(worker.shutdown()), worker_grace)
            except TimeoutError:
                log.warning("worker shutdown cut short", after_seconds=worker_grace)
            except Exception:
                log.exception("worker shutdown failed")
        await _within(worker_task, 1.0)
    for task in running:
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


async def _within(task: asyncio.Task, seconds: float) -> None:
    """Wait for ``task`` up to ``seconds``; then cancel it and wait a moment for the cancellation."""
    done, _ = await asyncio.wait([task], timeout=seconds)
    if not done:
        task.cancel()
        await asyncio.wait([task], timeout=1.0)
