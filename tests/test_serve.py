"""`glossary serve` runs a production server: started on a free loopback port, queried over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import stop

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
START_TIMEOUT = 60  # seconds: generous, the machine is shared; the server stops the test as soon as it is up


def glossary_command() -> list[str]:
    """The installed `glossary` script of this Python environment."""
    script = Path(sys.executable).with_name("glossary")
    found = str(script) if script.exists() else shutil.which("glossary")
    if found is None:
        pytest.skip("the glossary command is not installed (pip install -e .)")
    return [found]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET `url`; the status, headers and body, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`glossary serve` on the fixture base, two workers, on a free port; its base URL."""
    port = free_port()
    env = {**os.environ, "GLOSSARY_INDEX_DIR": str(tmp_path_factory.mktemp("serve-index"))}
    log = tmp_path_factory.mktemp("serve-log") / "server.log"
    with open(log, "wb") as out:
        options = ["--data", str(FIXTURE_DATA), "--port", str(port), "--workers", "2"]
        command = [*glossary_command(), "serve", *options]
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"glossary serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if get(f"{base}/api/v1/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"glossary serve did not answer within {START_TIMEOUT}s:\n{log.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        stop(process)
    assert process.returncode == 0, log.read_text()


def test_serves_the_api_with_gunicorn(server: str) -> None:
    """The server is gunicorn (not Flask's development server) and answers the API over HTTP."""
    status, headers, body = get(f"{server}/api/v1/terms/four-orientations")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    assert json.loads(body)["zh"] == "四个面向"
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_serves_problems_and_304s_over_http(server: str) -> None:
    """Errors and conditional requests behave over a real socket as through the test client."""
    status, headers, body = get(f"{server}/api/v1/terms/no-such-term")
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["status"] == 404
    _, headers, _ = get(f"{server}/api/v1/terms")
    status, _, body = get(f"{server}/api/v1/terms", {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /api/v1/search?q=" + b"x" * 13000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),  # line > 12,288
        (b"NONSENSE\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    ],
)
def test_errors_caught_by_gunicorn_are_problems_too(server: str, request_bytes: bytes, status: int) -> None:
    """Requests gunicorn refuses before the app sees them are answered as problem details, not HTML."""
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request_bytes)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.split()[1] == str(status).encode()
    assert b"Content-Type: application/problem+json" in head
    assert json.loads(body)["status"] == status


def test_serves_the_page(server: str) -> None:
    """The page is served at / with its security policy."""
    status, headers, body = get(f"{server}/")
    assert status == 200
    assert b"<html" in body
    assert "Content-Security-Policy" in headers


def test_binds_loopback_only_by_default() -> None:
    """Without --host the server listens on 127.0.0.1 only, port 8000."""
    from glossary.cli import serve

    params = {p.name: p.default for p in serve.params}
    assert (params["host"], params["port"]) == ("127.0.0.1", 8000)


def test_invalid_data_is_reported_before_serving(runner, data_dir: Path, tmp_path: Path) -> None:
    """With a broken base, `glossary serve` lists the problems, one per line, and exits 1 without serving."""
    from glossary.cli import cli

    entry = data_dir / "entries" / "four-orientations.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("category: formula", "category: nonsense"))
    result = runner.invoke(cli, ["serve", "--data", str(data_dir), "--index-dir", str(tmp_path / "index")])
    assert result.exit_code == 1
    assert "entries/four-orientations.yaml" in result.output and "category" in result.output
