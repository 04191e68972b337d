"""Security: no path traversal, no HTML from entry text, security headers everywhere, limits, no user regexes.

Through the real app (Flask test client) and, for what only the production server enforces (request line
and header limits), through `glossary serve` on a loopback port. The dependency audit is `bench/audit.sh`
(pip-audit of requirements.lock); here only the lock's coverage of the dependencies is checked.
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import stop

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": None,  # present; its content is checked per kind of response below
}
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'

# ---- path traversal --------------------------------------------------------------------------------------

TRAVERSAL_IDS = [
    "..%2f..%2f..%2fetc%2fpasswd",
    "..%252f..%252fetc%252fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..\\..\\etc\\passwd",
    "%2Fetc%2Fpasswd",
    "four-orientations%00.yaml",
    "four-orientations.yaml",
    "..%2fentries%2ffour-orientations",
    "..",
    ".",
    "~root",
    "%c0%ae%c0%ae%2fetc%2fpasswd",
]


@pytest.mark.parametrize("raw", TRAVERSAL_IDS)
def test_term_ids_never_reach_the_file_system(client, raw: str) -> None:  # type: ignore[no-untyped-def]
    """An id is only a dictionary key: traversal attempts are 404 (or 400) problems naming no file."""
    response = client.get(f"/api/v1/terms/{raw}")
    assert response.status_code in (400, 404), response.status_code
    assert response.mimetype == "application/problem+json"
    body = response.get_data(as_text=True)
    assert "root:" not in body and "zh:" not in body and "category" not in body


@pytest.mark.parametrize("raw", ["../../etc/passwd", "../app.py", "..%2f..%2fapp.py", "%2e%2e/problems.py"])
def test_static_files_stay_in_their_folder(client, raw: str) -> None:  # type: ignore[no-untyped-def]
    """The page's static files cannot be used to read the app's source or the system's files."""
    for prefix in ("/static/", "/static/js/", "/"):
        response = client.get(prefix + raw)
        response.close()
        assert response.status_code == 404, (prefix + raw, response.status_code)
        assert b"import " not in response.data and b"root:" not in response.data


def test_overlong_id_is_not_found(client) -> None:  # type: ignore[no-untyped-def]
    """An id longer than any entry's is simply not found: a 404 problem (gunicorn caps the URL at 4 KB)."""
    response = client.get("/api/v1/terms/" + "a" * 5000)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "fmt", ["../../etc/passwd", "json/../../x", "json%00", "JSON", "tbx.xml", "..", "%2e%2e", "csv;rm"]
)
def test_export_format_names_are_a_closed_list(client, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """The format is one of the known names or a 400 listing them; never a path."""
    response = client.get(f"/api/v1/export?format={fmt}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "Content-Disposition" not in response.headers


def test_export_file_names_are_ours(client) -> None:  # type: ignore[no-untyped-def]
    """Every download is named by the server (fixed ASCII per format), never from the request."""
    from glossary import export

    for fmt in export.FORMATS:
        response = client.get(f"/api/v1/export?format={fmt}&filename=../../evil")
        disposition = response.headers["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="[a-z0-9.-]+"', disposition), disposition


# ---- entry text is never HTML ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The app over a copy of the fixture base whose entry text is full of markup."""
    from service import create_app

    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    entry = data_dir / "entries" / "four-orientations.yaml"
    text = entry.read_text(encoding="utf-8").replace("literal: four facing-towards", f"literal: '{HOSTILE}'")
    entry.write_text(text, encoding="utf-8")
    app = create_app(
        {"DATA_DIR": data_dir, "INDEX_DIR": tmp_path_factory.mktemp("hostile-index"), "REFERENCE": False}
    )
    return app.test_client()


def test_api_sends_entry_text_as_json_only(hostile_client) -> None:  # type: ignore[no-untyped-def]
    """Markup in an entry travels as a JSON string, with a JSON media type and nosniff: never a page."""
    response = hostile_client.get("/api/v1/terms/four-orientations")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["literal"] == HOSTILE  # kept exactly, as data


def test_snippets_escape_entry_text(hostile_client) -> None:  # type: ignore[no-untyped-def]
    """A search snippet is escaped text with <mark> only: the markup in the entry is inert."""
    response = hostile_client.get("/api/v1/search?q=onerror alert")
    results = response.get_json()["results"]
    snippets = [r["snippet"] for r in results if r["snippet"]]
    assert snippets, results
    for snippet in snippets:
        tags = re.findall(r"<[^>]*>", snippet)
        assert set(tags) <= {"<mark>", "</mark>"}, snippet
        assert "&lt;" in snippet


def test_query_echo_is_json(client) -> None:  # type: ignore[no-untyped-def]
    """A query full of markup comes back as a JSON string, not as markup."""
    response = client.get("/api/v1/search", query_string={"q": "<script>alert(1)</script>"})
    assert response.mimetype == "application/json"
    assert response.get_json()["query"] == "<script>alert(1)</script>"


def test_page_scripts_have_no_html_sinks() -> None:
    """The page builds every node with textContent / createElement: no innerHTML, eval or the like."""
    sinks = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|srcdoc|"
        r"DOMParser|createContextualFragment|setAttribute\(\s*[\"']on"
    )
    scripts = sorted((ROOT / "service" / "static").rglob("*.js"))
    assert scripts
    for script in scripts:
        found = sinks.findall(script.read_text(encoding="utf-8"))
        assert not found, f"{script.name}: {found}"


# ---- security headers on the page and the API ------------------------------------------------------------

EVERY_KIND = [
    ("GET", "/", None),
    ("GET", "/static/style.css", None),
    ("GET", "/static/js/main.js", None),
    ("GET", "/no/such/page", None),
    ("GET", "/api/v1/search?q=sgmx", None),
    ("GET", "/api/v1/search?q=", None),
    ("GET", "/api/v1/terms/four-orientations", None),
    ("GET", "/api/v1/terms/no-such-term", None),
    ("GET", "/api/v1/terms", None),
    ("GET", "/api/v1/pinyin?text=%E4%B8%AD", None),
    ("GET", "/api/v1/export?format=csv", None),
    ("GET", "/api/v1/health", None),
    ("GET", "/api/v1/openapi.json", None),
    ("GET", "/api/v1/sources", None),
    ("POST", "/api/v1/check", {"text": "科技强国"}),
    ("POST", "/api/v1/check", {"nonsense": 1}),
    ("DELETE", "/api/v1/terms", None),
    ("OPTIONS", "/api/v1/check", None),
    ("GET", "/api/v1/nothing-here", None),
]


@pytest.mark.parametrize(("method", "url", "body"), EVERY_KIND)
def test_security_headers_on_every_response(client, method: str, url: str, body: object) -> None:  # type: ignore[no-untyped-def]
    """Content-Security-Policy, X-Content-Type-Options and Referrer-Policy on pages, data, errors, 405s."""
    response = client.open(url, method=method, json=body)
    response.close()  # static files are streamed from disk
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name), f"{name} missing on {method} {url} ({response.status_code})"
        assert len(response.headers.getlist(name)) == 1, f"{name} sent twice on {method} {url}"
        if value is not None:
            assert response.headers[name] == value
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if url.startswith("/api/"):
        assert policy.startswith("default-src 'none'")  # the API's documents may load nothing at all


def test_security_headers_on_304s(client) -> None:  # type: ignore[no-untyped-def]
    """Revalidated responses carry them too."""
    etag = client.get("/api/v1/terms").headers["ETag"]
    response = client.get("/api/v1/terms", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert all(response.headers.get(name) for name in SECURITY_HEADERS)


# ---- request size and time limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/search?q=" + "a" * 201, "query.q"),
        ("/api/v1/search?q=x&limit=101", "query.limit"),
        ("/api/v1/search?q=x&offset=10001", "query.offset"),
        ("/api/v1/pinyin?text=" + "中" * 1001, "query.text"),
        ("/api/v1/terms?limit=1000", "query.limit"),
        ("/api/v1/search?q=x&source=" + "s" * 81, "query.source"),
    ],
)
def test_parameters_over_their_caps_are_400s(client, url: str, field: str) -> None:  # type: ignore[no-untyped-def]
    """Every length and page-size cap answers 400 naming the field."""
    response = client.get(url)
    assert response.status_code == 400
    assert field in {e["loc"] for e in response.get_json()["errors"]}


def test_body_cap_is_two_megabytes(client) -> None:  # type: ignore[no-untyped-def]
    """2 MB of JSON is accepted; a byte more is a 413 problem, refused before it is parsed."""
    from service.app import DEFAULTS

    cap = DEFAULTS["MAX_CONTENT_LENGTH"]
    fits = json.dumps({"text": "a" * (cap - 20)}).encode()
    assert len(fits) <= cap
    assert client.post("/api/v1/check", data=fits, content_type="application/json").status_code == 200
    over = json.dumps({"text": "a" * cap}).encode()
    response = client.post("/api/v1/check", data=over, content_type="application/json")
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_gunicorn_kills_a_stuck_request_after_thirty_seconds() -> None:
    """The production server's settings: worker timeout, request line, header count and size limits."""
    from service.server import Server, options

    server = Server({}, options("127.0.0.1", 0, 1))
    assert server.cfg.timeout == 30
    assert server.cfg.limit_request_line == 0  # gunicorn's stops at 8,190: the worker enforces its own
    assert server.cfg.worker_class_str == "service.server.ProblemThreadWorker"
    assert server.cfg.limit_request_fields == 50
    assert server.cfg.limit_request_field_size == 8190
    assert server.cfg.settings["bind"].value == ["127.0.0.1:0"]  # loopback unless told otherwise


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`glossary serve` on the fixture base, one worker, on a free loopback port; the port."""
    script = Path(sys.executable).with_name("glossary")
    command = str(script) if script.exists() else shutil.which("glossary")
    if command is None:
        pytest.skip("the glossary command is not installed (pip install -e .)")
    port = _free_port()
    env = {**os.environ, "GLOSSARY_INDEX_DIR": str(tmp_path_factory.mktemp("security-index"))}
    args = [command, "serve", "--data", str(FIXTURE_DATA), "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "glossary serve exited"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "glossary serve did not start"
                time.sleep(0.1)
        yield port
    finally:
        stop(process)


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_server_refuses_an_overlong_request_line(served: int) -> None:
    """A request line over 12,288 bytes is refused before it reaches the app."""
    reply = _raw(served, b"GET /api/v1/search?q=" + b"a" * 13000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 414") or reply.startswith(b"HTTP/1.1 400"), reply[:100]


def test_server_refuses_too_many_or_too_large_headers(served: int) -> None:
    """More than 50 header fields, or one over 8190 bytes: a 4xx from gunicorn."""
    many = b"".join(b"X-H%d: v\r\n" % n for n in range(60))
    reply = _raw(served, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert reply[9:10] == b"4", reply[:100]
    big = b"X-Big: " + b"v" * 9000 + b"\r\n"
    reply = _raw(served, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
    assert reply[9:10] == b"4", reply[:100]


def test_server_refuses_a_large_body_with_a_problem(served: int) -> None:
    """Over HTTP too, a body over 2 MB is a 413 problem, and the server goes on answering."""
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
    body = b'{"text": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    try:
        connection.request("POST", "/api/v1/check", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 413
        assert response.getheader("Content-Type") == "application/problem+json"
        response.close()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close the connection before reading the whole body: refused all the same
    finally:
        connection.close()
    health = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
    try:  # the server keeps the connection alive (gthread): closed here
        health.request("GET", "/api/v1/health")
        assert health.getresponse().status == 200
    finally:
        health.close()


# ---- no user-supplied regular expressions ----------------------------------------------------------------

_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _constant_pattern(node: ast.expr) -> bool:
    """A pattern built only from literals, module constants (UPPER_CASE names) and re.escape(...)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | bytes)
    if isinstance(node, ast.Name):
        return node.id.lstrip("_").isupper()
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or _constant_pattern(v.value) for v in node.values)  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_pattern(node.left) and _constant_pattern(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "escape" and getattr(node.func.value, "id", "") == "re"
    return False


def test_no_regular_expression_is_built_from_input() -> None:
    """Every re.compile / re.search / ... pattern in glossary/ and service/ is a constant (or escaped)."""
    offending = []
    for path in sorted([*(ROOT / "glossary").rglob("*.py"), *(ROOT / "service").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RE_FUNCTIONS
                and getattr(node.func.value, "id", "") == "re"
                and node.args
                and not _constant_pattern(node.args[0])
            ):
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offending, offending


# ---- the dependency audit --------------------------------------------------------------------------------


def test_lock_pins_every_dependency() -> None:
    """requirements.lock (what bench/audit.sh gives pip-audit) pins each runtime dependency exactly."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {
        re.split(r"==", line)[0].lower().replace("_", "-")
        for line in lock.splitlines()
        if "==" in line and not line.startswith("#")
    }
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in declared}
    assert names <= pinned, names - pinned


# ---- XML from outside: no entities ----------------------------------------------------------------------

_LAUGHS = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


def _doctype(root: str, secret: Path) -> str:
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY inner "INNER-TEXT">{_LAUGHS}]>'


@pytest.mark.parametrize("payload", ["&xxe;", "&inner;", "&l9;"])
def test_imported_tbx_expands_no_entity(tmp_path: Path, payload: str) -> None:
    """A TBX file with an external entity (XXE), an internal one or a billion laughs: none is expanded."""
    from glossary import export, imports
    from glossary.base import store

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42", encoding="utf-8")
    content = export.render(store.load(FIXTURE_DATA), "tbx").content
    tbx = content.decode("utf-8") if isinstance(content, bytes) else content
    end = tbx.index("?>") + 2
    tbx = tbx[:end] + _doctype("tbx", secret) + tbx[end:].replace("four be oriented towards", payload, 1)
    (tmp_path / "evil.tbx").write_text(tbx, encoding="utf-8")
    data_dir = tmp_path / "data"
    started = time.perf_counter()
    imports.run(data_dir, tmp_path / "evil.tbx", "tbx")
    assert time.perf_counter() - started < 10
    for path in data_dir.rglob("*") if data_dir.exists() else []:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "TOP-SECRET" not in text and "INNER-TEXT" not in text and "lollol" not in text


@pytest.mark.parametrize("payload", ["&xxe;", "&inner;", "&l9;"])
def test_xliff_drafts_expand_no_entity(tmp_path: Path, payload: str) -> None:
    """The same for an XLIFF draft given to `glossary check`."""
    from glossary.check import drafts

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42", encoding="utf-8")
    xliff = tmp_path / "evil.xlf"
    xliff.write_text(
        f'<?xml version="1.0"?>{_doctype("xliff", secret)}'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="zh" '
        'target-language="en" datatype="plaintext" original="x"><body><trans-unit id="1">'
        f"<source>科技强国 {payload}</source><target>S&amp;T powerhouse {payload}</target>"
        "</trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    try:
        draft = drafts.read(xliff)
    except drafts.DraftError:
        return  # refused as a whole: fine too
    text = json.dumps(draft.request().model_dump(), ensure_ascii=False)
    assert "TOP-SECRET" not in text and "INNER-TEXT" not in text and "lollol" not in text
