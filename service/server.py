"""The production server: gunicorn, run in-process through its Python API by `glossary serve`."""

from __future__ import annotations

import errno
import json
import os
import re
import selectors
import socket
import time
from functools import partial
from pathlib import Path
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers import gthread

from glossary.base import store
from glossary.search import index

from .app import create_app
from .headers import API_HEADERS
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


#: Seconds a client has to send a whole request (line, headers and body) once it has started one; and to
#: take each chunk of a response. A slow client is then dropped instead of holding a worker thread.
REQUEST_TIMEOUT = 15.0
SEND_TIMEOUT = 30.0
#: Longest request line: a /pinyin text of 1,000 characters percent-encoded as UTF-8 (up to 12 bytes each)
#: fits; gunicorn's own limit stops at 8,190 bytes, so it is off and this one is enforced when reading ahead.
REQUEST_LINE_LIMIT = 12_288
#: Threads per worker process: requests in flight per process (search is CPU-bound; more only queue).
THREADS = 4


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `util.write_error`, writing an RFC 9457 problem with the API's headers, not an HTML page."""
    # Every response carries the security and CORS headers, gunicorn's own errors (400, 414, 431, 501, a
    # 500 after a timeout) too: the app's after_request hook never sees these, so they are written here.
    problem = {"type": "about:blank", "title": reason, "status": status_int, "detail": mesg or reason}
    body = json.dumps(problem)
    extra = "".join(f"{name}: {value}\r\n" for name, value in API_HEADERS)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: {MEDIA_TYPE}\r\n"
        f"Content-Length: {len(body.encode())}\r\n{extra}\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body.encode())


class _DeadlineSocket(socket.socket):
    """A client socket on which each request must arrive within REQUEST_TIMEOUT of its start.

    The worker's poller reads a request ahead (`read_ahead`) until it is whole, so no thread waits on a slow
    client; the parser, in a thread, then reads those bytes first (`recv`). gthread makes the socket
    blocking with no timeout at all before a thread reads; here "blocking" lasts until the deadline. Past
    it the client gets a 408 and the connection is closed, quietly (as a reset).
    """

    deadline = 0.0
    ahead = b""
    checked = False  # the worker has read the current request whole (or knows all the client sent)

    def begin(self) -> None:
        """A new request starts: its deadline is REQUEST_TIMEOUT from now."""
        self.deadline = time.monotonic() + REQUEST_TIMEOUT

    def expired(self) -> bool:
        """Whether the current request's deadline has passed."""
        return time.monotonic() >= self.deadline

    def read_ahead(self) -> bool:
        """Read what has arrived (non-blocking, in the poller); False when the client has closed."""
        try:
            data = super().recv(65536)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            return False
        self.ahead += data
        return bool(data)

    def setblocking(self, flag: bool) -> None:
        """Non-blocking as asked; "blocking" until the request's deadline."""
        if flag:
            self.settimeout(max(self.deadline - time.monotonic(), 0.001))
        else:
            super().setblocking(False)

    def time_out(self) -> None:
        """Answer 408 (best effort) and give up on the request."""
        try:
            self.settimeout(1.0)
            detail = f"the request did not arrive whole within {REQUEST_TIMEOUT:.0f} s"
            write_problem(self, 408, "Request Timeout", detail)
        except OSError:
            pass
        raise ConnectionResetError(errno.ECONNRESET, "request timed out")  # gthread closes it, not logged

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        """What was read ahead, else `socket.recv` within the request's deadline."""
        if self.ahead:
            data, self.ahead = self.ahead[:bufsize], self.ahead[bufsize:]
            return data
        if self.gettimeout() != 0.0 and self.expired():
            self.time_out()
        try:
            return super().recv(bufsize, flags)
        except TimeoutError:
            self.time_out()
            raise

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        """`recv` into a buffer."""
        data = self.recv(nbytes or len(buffer), flags)
        buffer[: len(data)] = data
        return len(data)

    def sendall(self, data: Any, flags: int = 0) -> None:
        """`socket.sendall`, dropping a client that takes no data for SEND_TIMEOUT seconds."""
        if self.gettimeout() != 0.0:
            self.settimeout(SEND_TIMEOUT)
        try:
            super().sendall(data, flags)
        except TimeoutError:
            raise BrokenPipeError(errno.EPIPE, "client too slow to read the response") from None


_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*(\d{1,12})[ \t]*\r?$")
_HEAD_LIMIT = 65536  # longer heads go to the parser, which refuses them (414, 431)
_BODY_LIMIT = 2 * 1024 * 1024  # the app's limit: a larger declared body goes to it at once, refused (413)


def _whole(ahead: bytes) -> bool:
    """Whether a request read ahead is whole: its head, and its body when Content-Length gives one."""
    end = _HEAD_END.search(ahead)
    if end is None:
        return len(ahead) > _HEAD_LIMIT
    length = _LENGTH.search(ahead, 0, end.start())
    if length is None:  # no body, or a chunked one (read by the thread, within the deadline)
        return True
    size = int(length.group(1))
    return size > _BODY_LIMIT or len(ahead) >= end.end() + size


class ProblemThreadWorker(gthread.ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker: requests read whole in the poller, a deadline for each, problem details.

    gthread hands a connection to a thread as soon as its first byte arrives (and a new one at once, to wait
    5 s for it): a client sending half a request holds a thread. Here the worker's poller reads each request
    until it is whole and only then hands it to a thread, so hundreds of idle or slow clients cost file
    descriptors, not threads; one that does not finish within REQUEST_TIMEOUT gets a 408.
    """

    def init_process(self) -> None:
        """Swap gunicorn's error writer for ours in this worker process, then run as usual."""
        # gunicorn has no hook for the body of its own error responses; `handle_error` calls
        # `util.write_error` by module attribute, so replacing that one function in our worker suffices.
        util.write_error = write_problem
        self.reading: dict[gthread.TConn, None] = {}  # connections whose request is being read ahead
        super().init_process()

    def accept(self, listener: Any) -> None:
        """gthread's accept, the request then read ahead by the poller."""
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        timed = _DeadlineSocket(client.family, client.type, client.proto, fileno=client.detach())
        self.nr_conns += 1
        self._read_request(gthread.TConn(self.cfg, timed, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: gthread.TConn, client: Any) -> None:
        """A kept-alive connection's next request: read ahead too, not handed to a thread at once."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read_request(conn)

    def _read_request(self, conn: gthread.TConn) -> None:
        conn.sock.begin()
        conn.sock.setblocking(False)
        self.reading[conn] = None
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: gthread.TConn, client: Any) -> None:
        self._dispatch(conn, alive=conn.sock.read_ahead())

    def _dispatch(self, conn: gthread.TConn, alive: bool) -> None:
        """Refuse an overlong request line, hand a whole request to a thread, or wait for more."""
        sock: _DeadlineSocket = conn.sock
        line_end = sock.ahead.find(b"\n", 0, REQUEST_LINE_LIMIT + 2)
        if line_end < 0 and len(sock.ahead) > REQUEST_LINE_LIMIT + 1:
            detail = f"the request line is longer than {REQUEST_LINE_LIMIT:,} bytes"
            try:
                write_problem(sock, 414, "URI Too Long", detail)
            except OSError:
                pass
            self._drop(conn)
        elif _whole(sock.ahead) or (sock.ahead and not alive):  # whole, or all the client will send
            self.poller.unregister(sock)
            del self.reading[conn]
            conn.data_ready = True
            sock.checked = True
            self.enqueue_req(conn)
        elif not alive:  # the client went away
            self._drop(conn)

    def enqueue_req(self, conn: gthread.TConn) -> None:
        """Hand a request read whole to a thread; one the parser read ahead (pipelined behind the previous
        response) goes through the poller first like any other."""
        sock: _DeadlineSocket = conn.sock
        if sock.checked or conn.parser is None:
            sock.checked = False
            super().enqueue_req(conn)
            return
        sock.ahead = conn.parser.unreader.take_buffered() + sock.ahead
        self._read_request(conn)
        self._dispatch(conn, alive=True)

    def _drop(self, conn: gthread.TConn, timed_out: bool = False) -> None:
        self.poller.unregister(conn.sock)
        del self.reading[conn]
        self.nr_conns -= 1
        if timed_out:
            try:
                conn.sock.time_out()
            except OSError:
                pass
        conn.close()

    def murder_pending(self) -> None:
        """gthread's expiry of waiting connections, and of requests not whole by their deadline."""
        super().murder_pending()
        for conn in [c for c in self.reading if c.sock.expired()]:
            self._drop(conn, timed_out=True)


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
        "worker_class": "service.server.ProblemThreadWorker",
        "threads": THREADS,
        # A worker whose main loop stops for this long is stuck; gunicorn kills and replaces it.
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 2,
        # Refuse oversized request lines and headers before they reach Python (the app caps bodies).
        "limit_request_line": 0,  # REQUEST_LINE_LIMIT instead (see there)
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
