"""Slow clients for bench/load.py: many connections that hold a server's attention and send (almost) nothing.

Each connection either sends nothing at all (`idle`) or the start of a request and then nothing
(`partial`, the slowloris pattern: "GET /api/v1/health HTTP/1.1\\r\\nHost: …\\r\\n" without the blank line).
A connection the server closes is opened again at once, as an attacker would, so the pressure stays at
`count` connections for the whole run. With sync workers, three of them stop the service (every worker
waits on one); the point of the bench is that the API goes on answering the real load beside 200.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass, field

PARTIAL = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\n"


@dataclass
class SlowClients:
    """`count` connections to host:port kept open (reopened when closed) until `stop()`."""

    host: str
    port: int
    count: int
    kind: str = "partial"  # or "idle"
    opened: int = 0
    closed_by_server: int = 0
    refused: int = 0
    lifetimes: list[float] = field(default_factory=list)  # seconds each lasted until the server closed it
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        """Open the connections and keep them open in a background thread."""
        self._thread = threading.Thread(target=self._run, name="slow-clients", daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, object]:
        """Close everything; the figures."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        lifetimes = sorted(self.lifetimes)
        return {
            "slow_clients": self.count,
            "slow_kind": self.kind,
            "slow_opened": self.opened,
            "slow_closed_by_server": self.closed_by_server,
            "slow_refused": self.refused,
            "slow_median_lifetime_s": round(lifetimes[len(lifetimes) // 2], 1) if lifetimes else None,
        }

    def _open(self, selector: selectors.BaseSelector) -> None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=5)
            if self.kind == "partial":
                sock.sendall(PARTIAL)
        except OSError:
            self.refused += 1
            time.sleep(0.05)
            return
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, time.monotonic())
        self.opened += 1

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        try:
            while not self._stop.is_set():
                while len(selector.get_map()) < self.count and not self._stop.is_set():
                    self._open(selector)
                for key, _ in selector.select(timeout=0.5):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        data = b""
                    if not data:  # closed by the server (after any answer it sent, e.g. a 408)
                        selector.unregister(sock)
                        sock.close()
                        self.closed_by_server += 1
                        self.lifetimes.append(time.monotonic() - key.data)
        finally:
            for key in list(selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            selector.close()
