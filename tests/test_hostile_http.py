"""What an attacker tried against `glossary serve` (issue 18, points 5 and 6), against the real server.

Slow clients must not hold the workers; gunicorn's own errors carry the security and CORS headers; the
client's Host never makes a redirect; /pinyin takes its documented 1,000 characters; a chunked body over
2 MB is refused, never cut; counts are digits; an unknown source id is not echoed at length; /health says
503 while data/ is broken.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import stop

from glossary.search.searcher import Searcher
from service.app import create_app

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
SECURITY_HEADERS = (b"X-Content-Type-Options: nosniff", b"Content-Security-Policy:", b"Referrer-Policy:",
                    b"Access-Control-Allow-Origin: *")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`glossary serve` on the fixture base with ONE worker (the easiest to starve), on a free port."""
    number = _free_port()
    env = {**os.environ, "GLOSSARY_INDEX_DIR": str(tmp_path_factory.mktemp("hostile-index"))}
    command = [sys.executable, "-c", "from glossary.cli import cli; cli()", "serve", "--data",
               str(FIXTURE_DATA), "--port", str(number), "--workers", "1", "--no-reference"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, "glossary serve exited"
            try:
                if _raw(number, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        timeout=5).startswith(b"HTTP/1.1 200"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "glossary serve did not start"
            time.sleep(0.2)
        yield number
    finally:
        stop(process)


def _raw(port: int, request: bytes, timeout: float = 20) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    return b"".join(chunks)


def _get(port: int, target: str, host: str = "127.0.0.1") -> bytes:
    return _raw(port, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())


def test_two_hundred_slow_clients_do_not_stop_the_api(port: int) -> None:
    """100 connections that sent half a request and 100 that sent nothing: the API still answers at once."""
    held = []
    try:
        for number in range(200):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if number % 2:
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            held.append(sock)
        time.sleep(1.0)
        for _ in range(3):
            started = time.monotonic()
            reply = _get(port, "/api/v1/search?q=sgmx")
            assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
            assert time.monotonic() - started < 10
    finally:
        for sock in held:
            sock.close()


def test_pipelined_requests_are_answered_and_checked_alike(port: int) -> None:
    """Two requests in one packet: both answered; a pipelined one with an overlong line: 414."""
    one = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = _raw(port, one + one.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    assert reply.count(b"HTTP/1.1 200") == 2, reply[:500]
    long = b"GET /api/v1/search?q=" + b"x" * 13000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = _raw(port, one + long)
    assert b"HTTP/1.1 200" in reply and b"HTTP/1.1 414" in reply, reply[:500]


def test_a_request_that_never_ends_gets_a_408(port: int) -> None:
    """Half a request line, then nothing: within the request deadline the server answers 408 and closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=40) as sock:
        sock.sendall(b"GET /api/v1/health HTT")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert all(header in reply for header in SECURITY_HEADERS), reply


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NONSENSE\r\n\r\n", b"400"),
        (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", b"400"),
        (b"GET /api/v1/search?q=" + b"x" * 13000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        (b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(60))
         + b"\r\n", b"431"),
        (b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: bogus, chunked\r\n\r\n0\r\n\r\n",
         b"501"),
    ],
)
def test_gunicorns_own_errors_carry_the_security_and_cors_headers(port: int, request_bytes: bytes,
                                                                  status: bytes) -> None:
    """Errors gunicorn answers before the app sees the request are problems with every header too."""
    reply = _raw(port, request_bytes)
    head = reply.partition(b"\r\n\r\n")[0]
    assert head.split()[1][:1] == status[:1], head  # the class of error (gunicorn versions differ on 431/400)
    assert b"Content-Type: application/problem+json" in head
    assert all(header in head for header in SECURITY_HEADERS), head


def test_the_host_header_never_makes_a_redirect(port: int) -> None:
    """`//evil.example/…` with `Host: evil.example` is not redirected there (nor anywhere off the site)."""
    for target in ("//api/v1/health", "//api//v1/terms", "//evil.example/api/v1/health", "/api/v1/health/"):
        reply = _get(port, target, host="evil.example")
        head = reply.partition(b"\r\n\r\n")[0].lower()
        location = [line for line in head.split(b"\r\n") if line.startswith(b"location:")]
        assert not any(b"evil.example" in line.split(b"/")[2:3] or b"://" in line or b": //" in line
                       for line in location), head


def test_pinyin_takes_its_documented_thousand_characters(port: int) -> None:
    """1,000 characters, percent-encoded as 4-byte UTF-8 (an extension-B character): 200; 1,001: 400."""
    from urllib.parse import quote

    for count, expected in ((1000, b"200"), (1001, b"400")):
        reply = _get(port, "/api/v1/pinyin?text=" + quote("𠀀" * count))
        assert reply.split(b" ", 2)[1] == expected, reply[:300]


def test_a_chunked_body_over_two_megabytes_is_refused_not_cut(port: int) -> None:
    """A draft sent chunked, 3 MB: 413, never a 200 over the first 2 MB."""
    body = json.dumps({"text": "科技强国 " * 600_000}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 65536]), body[i : i + 65536])
                      for i in range(0, len(body), 65536))
    request = (b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks + b"0\r\n\r\n")
    reply: list[bytes] = []
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        # Read while sending: the server may answer (and close) before the whole body is sent.
        reader = threading.Thread(target=lambda: reply.extend(iter(lambda: _recv(sock), b"")))
        reader.start()
        try:
            sock.sendall(request)
        except OSError:
            pass
        reader.join()
    assert b"".join(reply).startswith(b"HTTP/1.1 413"), b"".join(reply)[:300]


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


# ---- in-process -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The app over the fixture base."""
    index_dir = tmp_path_factory.mktemp("hostile-app")
    config = {"DATA_DIR": FIXTURE_DATA, "INDEX_DIR": index_dir, "REFERENCE": False}
    return create_app(config).test_client()


@pytest.mark.parametrize("value", ["+100", "1_0", " 7", "7 ", "٣", "0x10", "1e2"])
def test_counts_are_digits(client, value: str) -> None:  # type: ignore[no-untyped-def]
    """limit=+100, limit=1_0 and the like are 400s, not read as numbers."""
    for path in ("/api/v1/search?q=sgmx&limit=", "/api/v1/terms?offset=", "/api/v1/terms?limit="):
        response = client.get(path + value.replace(" ", "%20").replace("+", "%2B"))
        assert response.status_code == 400, (path, value)
        assert response.mimetype == "application/problem+json"


def test_an_unknown_source_id_is_not_echoed_at_length(client) -> None:  # type: ignore[no-untyped-def]
    """A 10,000-character source id is named in the 400, cut short."""
    response = client.post("/api/v1/check", json={"text": "科技强国", "sources": ["x" * 10_000]})
    assert response.status_code == 400
    assert len(response.get_json()["detail"]) < 300


def test_health_says_503_while_data_is_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """data/ broken: /health is a 503 problem (the last good version still served); fixed: 200 again."""
    monkeypatch.setattr(Searcher, "data_check_interval", 0.2)
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    config = {"DATA_DIR": data_dir, "INDEX_DIR": tmp_path / "index", "REFERENCE": False}
    app = create_app(config).test_client()
    assert app.get("/api/v1/health").status_code == 200
    entry = data_dir / "entries" / "four-orientations.yaml"
    good = entry.read_text(encoding="utf-8")
    entry.write_text("id: [unclosed\n", encoding="utf-8")

    def status_becomes(expected: int) -> int:
        deadline = time.monotonic() + 30
        while (status := app.get("/api/v1/health").status_code) != expected:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        return status

    assert status_becomes(503) == 503
    broken = app.get("/api/v1/health")
    assert broken.mimetype == "application/problem+json"
    assert "four-orientations" in broken.get_json()["detail"]
    assert app.get("/api/v1/search?q=sgmx").status_code == 200  # the last good version is still served
    entry.write_text(good, encoding="utf-8")
    assert status_becomes(200) == 200
