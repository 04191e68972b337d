"""The production server: gunicorn, run in-process through its Python API by `glossary serve`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from glossary import index, store

from .app import create_app
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
        "worker_class": "sync",
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
