"""The production server: gunicorn, run in-process through its Python API by `glossary serve`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.sync import SyncWorker

from glossary.base import store
from glossary.search import index

from .app import create_app
from .problems import MEDIA_TYPE
from .resources import load_base


def cores() -> int:
    """The CPU cores this process may run on (the container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """One worker process per core, plus one to cover the moments a worker waits on I/O."""
    # Search is CPU-bound Python: beyond one process per core, workers only add memory (each one holds
    # its own copy of the index, and the reference layer is large) and context switches.
    return cores() + 1


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `util.write_error`, writing an RFC 9457 problem instead of an HTML page."""
    problem = {"type": "about:blank", "title": reason, "status": status_int, "detail": mesg or reason}
    body = json.dumps(problem)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: {MEDIA_TYPE}\r\n"
        f"Content-Length: {len(body.encode())}\r\nX-Content-Type-Options: nosniff\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body.encode())


class ProblemSyncWorker(SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker, answering the errors it catches itself (a request line over the limit,
    malformed HTTP) with problem details like the app, not with gunicorn's HTML page."""

    def init_process(self) -> None:
        """Swap gunicorn's error writer for ours in this worker process, then run as usual."""
        # gunicorn has no hook for the body of its own error responses; `handle_error` calls
        # `util.write_error` by module attribute, so replacing that one function in our worker suffices.
        util.write_error = write_problem
        super().init_process()


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn running `create_app(config)`; each worker builds its own app and opens the index itself."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]):
        self.app_config = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply our options to gunicorn's configuration."""
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Any:
        """The WSGI app, built in the worker after fork (index files are never shared between processes)."""
        return create_app(self.app_config)


def options(host: str, port: int, workers: int) -> dict[str, Any]:
    """gunicorn settings for the glossary."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "service.server.ProblemSyncWorker",
        # A request that takes longer than this is stuck; gunicorn kills and replaces the worker.
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 2,
        # Refuse oversized request lines and headers before they reach Python (the app caps bodies).
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        "preload_app": False,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "glossary",
        # gunicorn 25+ opens a control socket at one fixed path per user; two servers would fight over it.
        "control_socket_disable": True,
    }


def serve(config: dict[str, Any], host: str, port: int, workers: int) -> None:
    """Run the server in the foreground until interrupted."""
    Server(config, options(host, port, workers)).run()


def prepare(data_dir: Path | None, index_dir: Path | None) -> None:
    """Before the workers start: build the index if it is missing or stale, and cache the loaded base."""
    # Each worker would otherwise find them missing and do the same work at once, all at the same time;
    # done here, every worker opens a built index and a cached base in milliseconds.
    # Raises store.DataError, listing every problem, when data/ is not valid.
    data = data_dir if data_dir is not None else store.default_data_dir()
    index.ensure_curated(data, index_dir)
    load_base(data, index.root(index_dir))
