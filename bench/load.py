"""Load, and change under load: `glossary serve` with many concurrent connections, while data/ changes.

    python bench/load.py [--connections 64] [--duration 30] [--change-every 2] [--no-change] [--json]

Copies the curated base (--data, default data/) to a temporary folder, builds its index, and starts
`glossary serve` on a free port on 127.0.0.1 (gunicorn, its default workers, the curated base without the
reference layer: bench/serving.py measures that one). Then --connections threads, each with one connection
at a time (http.client; gunicorn's sync workers close the connection after each response), send a mix of
requests for --duration seconds or --max-requests requests, whichever comes first, and stop by themselves:

- search  (60%): queries in every form (characters, pinyin, initials, English); 10% the probe query below;
- term    (23%): GET /api/v1/terms/<id> of entries of the base (20%), the page GET /api/v1/terms?limit=1 (3%);
- health   (2%): GET /api/v1/health;
- check   (15%): POST /api/v1/check with a short bilingual draft.

Unless --no-change, every --change-every seconds a changer adds an entry `reliability-probe-N` to the copy
of data/ (an atomic file write) and runs `glossary build` to rebuild and swap the index, as an operator
would; the servers also notice the change themselves and pick the new index up. Zero failed requests are
allowed: a failure is a connection error, a 5xx, or an unexpected status. And every response must come
from one whole version of the data, never a mix — each data response carries the version it was served
from in its ETag, and the bench knows what each version holds:

- search "reliability probe" must list exactly the probes of the version named by its ETag;
- the page of terms must count exactly that version's entries;
- /health must report, for the version it names, exactly its entry count.

With --slow-clients N, N more connections are held open beside the load for the whole run, each sending
half a request and then nothing (--slow-kind partial, the slowloris pattern) or nothing at all (idle), and
reopened whenever the server closes one (bench/slowclients.py): the API must go on answering the load.

Prints requests/s, p50/p99 latency (overall and per kind) and the checks; exits 1 on any failure.
The load generator shares the machine's cores with the server: the figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from slowclients import SlowClients  # bench/ is on the path when this runs as a script

from glossary.base import store
from glossary.search import index

ROOT = Path(__file__).resolve().parent.parent

HOST = "127.0.0.1"  # loopback only: this never loads another machine
PROBE_QUERY = "reliability probe"
PROBE_PREFIX = "reliability-probe-"
QUERIES = [
    "四个面向",
    "sgmx",
    "si4ge4mian4xiang4",
    "sigemianxiang",
    "科技强国",
    "兩個確立",
    "jiebang",
    "powerhouse",
    "innovation",
    "strategic",
    "科技qiangguo",
    "new type of whole-nation system",
    "zili ziqiang",
    "self-reliance",
    "xin fazhan geju",
]
DRAFT = {"segments": [{"source": "建设科技强国，坚持四个面向。", "target": "Build an S&T powerhouse."}]}
NUMERALS = "〇一二三四五六七八九"


def glossary_command() -> str:
    """The `glossary` script of this Python environment."""
    script = Path(sys.executable).with_name("glossary")
    found = str(script) if script.exists() else shutil.which("glossary")
    if found is None:
        sys.exit("the glossary command is not installed (pip install -e .)")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# ---- the data versions -----------------------------------------------------------------------------------


@dataclass
class Versions:
    """What each data version holds: its entry count and its probes, by index version name."""

    entries: dict[str, int] = field(default_factory=dict)
    probes: dict[str, frozenset[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, data_dir: Path, probes: frozenset[str]) -> str:
        """Record the data as it is now; its version name."""
        name = index.version_name(store.content_hash(data_dir))
        count = len(list((data_dir / store.ENTRIES_DIR).glob("*.yaml")))
        with self.lock:
            self.entries[name], self.probes[name] = count, probes
        return name


def probe_yaml(number: int, source: str) -> str:
    """A valid entry, unique in its Chinese and its English, found by the probe query."""
    zh = "可靠性探针" + "".join(NUMERALS[int(d)] for d in str(number))
    return (
        f"id: {PROBE_PREFIX}{number}\nzh: {zh}\ncategory: concept\nzh_attested: false\nrenderings:\n"
        f"  - en: reliability probe {number}\n    status: preferred\n    sources: [{source}]\n"
        f"    quote: the reliability probe {number} in use\n"
    )


def changer(
    data_dir: Path, index_dir: Path, versions: Versions, every: float, stop: threading.Event, log: list[str]
) -> None:
    """Add a probe entry every `every` seconds and rebuild the index with `glossary build`."""
    source = next(iter(store.load(data_dir).sources))
    probes: frozenset[str] = frozenset()
    number = 0
    while not stop.wait(every):
        number += 1
        path = data_dir / store.ENTRIES_DIR / f"{PROBE_PREFIX}{number}.yaml"
        store.write_atomic(path, probe_yaml(number, source))
        probes = probes | {path.stem}
        name = versions.record(data_dir, probes)
        started = time.perf_counter()
        build = [glossary_command(), "build", "--data", str(data_dir), "--index-dir", str(index_dir)]
        subprocess.run(build, check=True, capture_output=True, timeout=120)
        log.append(f"{name}: {len(probes)} probe(s), rebuilt in {time.perf_counter() - started:.1f}s")


# ---- the load ----------------------------------------------------------------------------------------------


@dataclass
class Result:
    """One request: its kind, status, latency and what the consistency check needs."""

    kind: str
    status: int
    seconds: float
    version: str | None = None
    observed: object = None


def version_of(etag: str | None) -> str | None:
    """The curated index version named by an ETag (`"v1-<hash>-f<format>[+<reference>]"`)."""
    if not etag:
        return None
    return etag.strip('W/"').removeprefix("v1-").split("+")[0]


def requests(ids: list[str], rng: random.Random) -> tuple[str, str, str, bytes | None]:
    """A random request of the mix: (kind, method, path, body)."""
    roll = rng.random()
    if roll < 0.10:
        return "probe", "GET", f"/api/v1/search?q={quote(PROBE_QUERY)}&limit=100", None
    if roll < 0.60:
        return "search", "GET", f"/api/v1/search?q={quote(rng.choice(QUERIES))}", None
    if roll < 0.80:
        return "term", "GET", f"/api/v1/terms/{rng.choice(ids)}", None
    if roll < 0.83:
        return "page", "GET", "/api/v1/terms?limit=1", None
    if roll < 0.85:
        return "health", "GET", "/api/v1/health", None
    return "check", "POST", "/api/v1/check", json.dumps(DRAFT).encode()


@dataclass
class Limits:
    """When the load stops: at the deadline, or later (up to the hard deadline) until enough versions were
    served; and always when the request budget runs out."""

    deadline: float
    hard_deadline: float
    min_versions: int
    budget: int
    served: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def go_on(self) -> bool:
        """Take one request from the budget, unless it is time to stop."""
        now = time.monotonic()
        with self.lock:
            enough = len(self.served) >= self.min_versions
            if self.budget <= 0 or now >= self.hard_deadline or (now >= self.deadline and enough):
                return False
            self.budget -= 1
            return True


def worker(port: int, ids: list[str], limits: Limits, results: list[Result], seed: int) -> None:
    """One connection at a time, until the limits say stop."""
    rng = random.Random(seed)
    mine: list[Result] = []
    while limits.go_on():
        kind, method, path, body = requests(ids, rng)
        headers = {"Content-Type": "application/json"} if body else {}
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            connection.close()
        except OSError as exc:
            mine.append(Result(kind, 0, time.perf_counter() - started, observed=repr(exc)))
            continue
        seconds = time.perf_counter() - started
        result = Result(kind, response.status, seconds, version_of(response.getheader("ETag")))
        if response.status == 200 and kind in ("probe", "page", "health"):
            data = json.loads(payload)
            if kind == "probe":
                found = (r["id"] for r in data["results"])
                result.observed = frozenset(i for i in found if i.startswith(PROBE_PREFIX))
            elif kind == "page":
                result.observed = data["total"]
            else:
                result.version, result.observed = data["version"].split("+")[0], data["entries"]
        mine.append(result)
        if result.version:
            with limits.lock:
                limits.served.add(result.version)
    with limits.lock:
        results.extend(mine)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def inconsistencies(results: list[Result], versions: Versions) -> list[str]:
    """Responses whose content is not exactly what the version they name holds."""
    found = []
    for r in results:
        if r.status != 200 or r.kind not in ("probe", "page", "health"):
            continue
        if r.version not in versions.entries:
            found.append(f"{r.kind}: unknown version {r.version}")
        elif r.kind == "probe" and r.observed != versions.probes[r.version]:
            found.append(f"search from {r.version} lists probes {sorted(r.observed)}")  # type: ignore[call-overload]
        elif r.kind in ("page", "health") and r.observed != versions.entries[r.version]:
            found.append(f"{r.kind} from {r.version} counts {r.observed}, not {versions.entries[r.version]}")
    return found


def wait_until_up(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Poll /api/v1/health until the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"glossary serve exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"glossary serve did not answer within {timeout:.0f}s")


def run(args: argparse.Namespace) -> dict[str, object]:
    """Serve a copy of the base, load it (and change it), stop everything; the figures and checks."""
    with tempfile.TemporaryDirectory(prefix="glossary-load-") as tmp:
        data_dir, index_dir = Path(tmp) / "data", Path(tmp) / "index"
        shutil.copytree(args.data, data_dir, ignore=shutil.ignore_patterns(".*"))
        versions = Versions()
        versions.record(data_dir, frozenset())
        ids = sorted(store.load(data_dir).entries)
        port = free_port()
        command = [
            glossary_command(),
            "serve",
            "--data",
            str(data_dir),
            "--index-dir",
            str(index_dir),
            "--port",
            str(port),
            "--no-reference",
        ]
        if args.workers:
            command += ["--workers", str(args.workers)]
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log_file:
            server = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
        slow = SlowClients(HOST, port, args.slow_clients, args.slow_kind)
        try:
            wait_until_up(port, server)
            if args.slow_clients:
                slow.start()
                time.sleep(2.0)  # all of them connected before the load starts
            stop, changes = threading.Event(), list[str]()
            change = None
            if args.change_every > 0:
                change = threading.Thread(
                    target=changer, args=(data_dir, index_dir, versions, args.change_every, stop, changes)
                )
                change.start()
            results: list[Result] = []
            started = time.monotonic()
            limits = Limits(
                started + args.duration,
                started + max(args.duration, args.max_duration),
                args.min_versions,
                args.max_requests,
            )
            threads = [
                threading.Thread(target=worker, args=(port, ids, limits, results, n))
                for n in range(args.connections)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            stop.set()
            if change is not None:
                change.join()
        finally:
            slow_figures = slow.stop() if args.slow_clients else {}
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_log = log_path.read_text(encoding="utf-8", errors="replace")
    return {**summarise(args, results, elapsed, versions, changes, server_log), **slow_figures}


def summarise(
    args: argparse.Namespace,
    results: list[Result],
    elapsed: float,
    versions: Versions,
    changes: list[str],
    server_log: str,
) -> dict[str, object]:
    """The figures and the checks of a run."""
    failures = [r for r in results if r.status != 200]  # every request of the mix must be served
    by_kind: dict[str, list[float]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r.seconds)
    seconds = [r.seconds for r in results]
    served = Counter(r.version for r in results if r.version)
    return {
        "command": " ".join(["python bench/load.py", *sys.argv[1:]]),
        "connections": args.connections,
        "duration_s": round(elapsed, 1),
        "requests": len(results),
        "requests_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(seconds, 50), 1),
        "p99_ms": round(percentile(seconds, 99), 1),
        "max_ms": round(1000 * max(seconds, default=0), 1),
        "by_kind": {
            kind: {
                "requests": len(v),
                "p50_ms": round(percentile(v, 50), 1),
                "p99_ms": round(percentile(v, 99), 1),
            }
            for kind, v in sorted(by_kind.items())
        },
        "failed": len(failures),
        "failures": [f"{r.kind} {r.status} {r.observed or ''}" for r in failures[:20]],
        "versions_created": len(versions.entries),
        "versions_served": len(served),
        "changes": changes,
        "inconsistent": inconsistencies(results, versions)[:20],
        "server_errors_logged": server_log.count("Traceback") + server_log.count("WORKER TIMEOUT"),
    }


def main() -> None:
    """Run the bench from the command line."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--connections", type=int, default=64, help="concurrent connections (default 64)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many requests")
    parser.add_argument(
        "--min-versions",
        type=int,
        default=0,
        help="go on past --duration until responses came from this many data versions ...",
    )
    parser.add_argument("--max-duration", type=float, default=120.0, help="... but stop after this long")
    parser.add_argument("--change-every", type=float, default=2.0, help="seconds between data changes")
    parser.add_argument(
        "--no-change",
        dest="change_every",
        action="store_const",
        const=0.0,
        help="load only: leave data/ alone",
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the base to copy (default data/)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: serve's)")
    parser.add_argument("--slow-clients", type=int, default=0, help="connections held open beside the load")
    parser.add_argument("--slow-kind", choices=["partial", "idle"], default="partial",
                        help="half a request then nothing (default), or nothing at all")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    summary = run(args)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{summary['command']}")
        print(
            f"{summary['requests']} requests in {summary['duration_s']}s over {summary['connections']} "
            f"connections: {summary['requests_per_s']} req/s, p50 {summary['p50_ms']} ms, "
            f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms"
        )
        for kind, figures in summary["by_kind"].items():  # type: ignore[attr-defined]
            print(
                f"  {kind:<7} {figures['requests']:>7} requests  p50 {figures['p50_ms']:>7} ms  "
                f"p99 {figures['p99_ms']:>7} ms"
            )
        print(f"data versions: {summary['versions_created']} created, {summary['versions_served']} served")
        for line in summary["changes"]:  # type: ignore[attr-defined]
            print(f"  {line}")
        print(f"failed requests: {summary['failed']} {summary['failures']}")
        mixed = summary["inconsistent"]
        print(f"responses not from one whole version: {len(mixed)} {mixed}")  # type: ignore[arg-type]
        print(f"server tracebacks/worker timeouts logged: {summary['server_errors_logged']}")
        if args.slow_clients:
            print(f"slow clients ({args.slow_kind}): {args.slow_clients} held open, {summary['slow_opened']} "
                  f"opened, {summary['slow_closed_by_server']} closed by the server (median after "
                  f"{summary['slow_median_lifetime_s']} s), {summary['slow_refused']} refused")
    if summary["failed"] or summary["inconsistent"] or summary["server_errors_logged"]:
        sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
