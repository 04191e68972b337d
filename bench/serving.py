"""Benchmark: the HTTP API under concurrent load — requests/s and p50/p99 latency, for issue 5's goals.

    python bench/serving.py [--rounds 3] [--duration 5] [--connections 16] [--workers N] [--search-cache 0]
                         [--skip-reference]

Servers run as subprocesses on free ports on 127.0.0.1; a bounded load generator (asyncio, raw HTTP/1.1,
N concurrent connections, stopping after --duration seconds or --max-requests requests, whichever comes
first) drives them. The scenarios of a phase alternate round by round (--rounds, median req/s reported), so
the ceiling and the endpoints are measured under the same background load. In the same run:

- ceiling:   a trivial Flask JSON endpoint, under Flask's development server and under gunicorn;
- baseline:  search and term lookup under Flask's development server (threaded);
- serve:     search and term lookup under gunicorn with `glossary serve`'s settings, curated base;
- reference: search with the CC-CEDICT reference layer (~123k entries) loaded (goal: p99 < 50 ms at 16).

The app keeps recent search responses per process (SEARCH_CACHE_SIZE); the workload cycles through a few
hundred queries, so once warm most searches are answered from it. `--search-cache 0` measures every search
computed by the searcher: run both, and report both.

Goal (issue 5): under gunicorn, search and term lookup reach at least 60% of the trivial ceiling.
The load generator shares the machine's cores with the server, as the issue's figures did. Latency includes
the TCP connect: gunicorn's sync workers and the development server close the connection after each response.
The reference layer is built once into $TMPDIR/glossary-bench/index (about a minute and a half) and reused.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Named serving.py, not the http.py: a script named http.py here would shadow the standard
# library's `http` package for every script run from this folder.
ROOT = Path(__file__).resolve().parent.parent

HOST = "127.0.0.1"  # the load generator targets the loopback interface only, never another machine
CEDICT = ROOT.parent / "shared" / "data" / "cedict_ts.u8.gz"
BENCH_DIR = Path(tempfile.gettempdir()) / "glossary-bench"


# ---- the servers (run in a subprocess: `python bench/serving.py --serve KIND --app APP --port N`) ---------


def make_app(name: str, data_dir: str | None, index_dir: str | None, reference: bool, cache: int) -> Any:
    """The WSGI app to serve: the glossary, or a trivial JSON endpoint (the ceiling)."""
    if name == "trivial":
        from flask import Flask

        app = Flask("trivial")

        @app.get("/trivial")
        def trivial() -> dict[str, bool]:
            """The least a JSON endpoint can do."""
            return {"ok": True}

        return app
    from service import create_app

    return create_app(
        {"DATA_DIR": data_dir, "INDEX_DIR": index_dir, "REFERENCE": reference, "SEARCH_CACHE_SIZE": cache}
    )


def run_server(args: argparse.Namespace) -> None:
    """Serve one app with one server kind until terminated."""
    if args.serve == "dev":
        app = make_app(args.app, args.data, args.index_dir, args.reference, args.search_cache)
        app.run(host=HOST, port=args.port, threaded=True)
        return
    from gunicorn.app.base import BaseApplication

    from service import server

    class Bench(BaseApplication):  # type: ignore[misc]
        """gunicorn with `glossary serve`'s settings, serving the app under test."""

        def load_config(self) -> None:
            """`glossary serve`'s gunicorn settings, quieter."""
            for key, value in server.options(HOST, args.port, args.workers).items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)
            self.cfg.set("loglevel", "warning")

        def load(self) -> Any:
            """The app, built in each worker."""
            return make_app(args.app, args.data, args.index_dir, args.reference, args.search_cache)

    if args.app == "glossary":
        server.prepare(Path(args.data) if args.data else None, Path(args.index_dir))
    Bench().run()


# ---- the load generator ---------------------------------------------------------------------------------


@dataclass
class Figures:
    """What one scenario measured."""

    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


REQUEST_TIMEOUT = 10.0  # seconds: a request slower than this counts as an error


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str
) -> tuple[int, bool]:
    """Send one GET and read its response; the status, and whether the server keeps the connection."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
    status = int(head.split(" ", 2)[1])
    lines = head.split("\r\n")
    length = next((int(line.split(":")[1]) for line in lines if line.startswith("content-length:")), 0)
    await reader.readexactly(length)
    if "connection: close" in lines or head.startswith("http/1.0"):
        await reader.read()  # let the server close first, so no TIME_WAIT piles up on the client side
        return status, False
    return status, True


async def _one_connection(
    port: int, paths: itertools.cycle, stop: float, budget: list[int], out: Figures
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < stop and budget[0] > 0:
        budget[0] -= 1
        started = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                if reader is None or writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                status, keep = await _request(reader, writer, f"{HOST}:{port}", next(paths))
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            out.errors += 1
            keep = False
            status = 0
        else:
            out.latencies.append(time.perf_counter() - started)
            out.requests += 1
            out.errors += status >= 400
        if not keep and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _load(port: int, paths: list[str], connections: int, seconds: float, max_requests: int) -> Figures:
    figures = Figures(0, 0, 0.0, [])
    cycle = itertools.cycle(paths)
    budget = [max_requests]
    started = time.perf_counter()
    stop = started + seconds
    tasks = [_one_connection(port, cycle, stop, budget, figures) for _ in range(connections)]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 30)
    figures.seconds = time.perf_counter() - started
    return figures


WARM_UP_LIMIT = 60.0  # seconds


def load(
    port: int, paths: list[str], connections: int, seconds: float, max_requests: int, warm: int
) -> Figures:
    """Load 127.0.0.1:`port` with `connections` concurrent clients, bounded in time and in count."""
    # Warm-up, not counted: every path `warm` times (once per worker), so that each worker has seen each
    # request once and its lazily filled caches are warm; bounded in time.
    if warm:
        asyncio.run(_load(port, paths, connections, WARM_UP_LIMIT, len(paths) * warm))
    return asyncio.run(_load(port, paths, connections, seconds, max_requests))


# ---- scenarios ------------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """A server subprocess, up until the `with` block ends."""

    def __init__(self, kind: str, app: str, args: argparse.Namespace, index_dir: Path, reference: bool):
        self.port = free_port()
        self.ready = "/trivial" if app == "trivial" else "/api/v1/health"
        command = [sys.executable, __file__, "--serve", kind, "--app", app, "--port", str(self.port)]
        command += ["--workers", str(args.workers), "--index-dir", str(index_dir)]
        command += ["--data", str(args.data), "--search-cache", str(args.search_cache)]
        command += ["--reference"] if reference else []
        self.command = command

    def __enter__(self) -> Server:
        # The server's output goes to a file: a pipe nobody reads fills up with the development server's
        # request log, and the server then blocks on writing it.
        self.log = tempfile.NamedTemporaryFile(prefix="glossary-bench-", suffix=".log", delete=False)
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}{self.ready}", timeout=5):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    tail = Path(self.log.name).read_text(errors="replace")[-3000:]
                    raise SystemExit(f"server did not start: {' '.join(self.command)}\n{tail}") from None
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def workloads(data_dir: Path) -> dict[str, list[str]]:
    """Request paths per endpoint: term lookups of every entry; searches by characters, pinyin and English."""
    from glossary.base import pinyin, store

    base = store.load(data_dir)
    terms = [f"/api/v1/terms/{entry_id}" for entry_id in base.entries]
    queries: list[str] = []
    for entry in base.entries.values():
        forms = pinyin.forms(entry.pinyin)
        queries += [entry.zh, forms["toneless"], " ".join(entry.preferred.en.split()[:2])]
    searches = [f"/api/v1/search?q={quote(q)}" for q in queries if q]
    return {"trivial": ["/trivial"], "search": searches, "term": terms}


def reference_index(index_root: Path) -> Path:
    """An index root with the reference layer built (reused between runs)."""
    from glossary.search import index
    from glossary.search.reference import import_cedict

    built = index.current(index.reference_home(index_root))
    if built is None or not built.name.endswith(f"-f{index.FORMAT}"):  # none yet, or by older code
        if not CEDICT.is_file():
            raise SystemExit(f"CC-CEDICT not found at {CEDICT}; use --skip-reference")
        print(f"building the reference layer into {index_root} (once) …", file=sys.stderr)
        import_cedict(CEDICT, index_root)
    return index_root


def main() -> None:
    """Run every phase and print the figures and the goals."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; req/s is the median over them")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="upper bound per scenario and round"
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: serve's)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the curated base")
    parser.add_argument("--skip-reference", action="store_true", help="leave out the reference layer")
    parser.add_argument("--only", default="", help="only the scenarios whose name contains this text")
    parser.add_argument("--search-cache", type=int, default=4096, help="the app's SEARCH_CACHE_SIZE (0: off)")
    # Server mode, used by the phases themselves.
    parser.add_argument("--serve", choices=["dev", "gunicorn"], help=argparse.SUPPRESS)
    parser.add_argument("--app", choices=["trivial", "glossary"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        run_server(args)
        return

    from service.server import default_workers

    args.workers = args.workers or default_workers()
    curated = BENCH_DIR / "curated-only"
    paths = workloads(args.data)
    print(
        f"cores {os.cpu_count()}, gunicorn workers {args.workers} (sync), {args.connections} connections, "
        f"{args.rounds} rounds x {args.duration:g} s per scenario; {len(paths['search'])} queries, "
        f"{len(paths['term'])} terms; search cache {args.search_cache or 'off'}"
    )
    print(
        "load average before: {:.1f} {:.1f} {:.1f} (other work on this machine skews figures)".format(
            *os.getloadavg()
        )
    )
    print(f"{'scenario':28} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    # Each phase starts its servers side by side and alternates between the scenarios round by round, so
    # that the ceiling and the endpoints are measured under the same background load.
    phases: list[tuple[str, list[tuple[str, str, str, Path, bool]]]] = [
        (
            "dev",
            [
                ("ceiling dev", "trivial", "trivial", curated, False),
                ("baseline dev search", "glossary", "search", curated, False),
                ("baseline dev term", "glossary", "term", curated, False),
            ],
        ),
        (
            "gunicorn",
            [
                ("ceiling gunicorn", "trivial", "trivial", curated, False),
                ("serve gunicorn search", "glossary", "search", curated, False),
                ("serve gunicorn term", "glossary", "term", curated, False),
            ],
        ),
    ]
    if not args.skip_reference:
        reference_index(BENCH_DIR / "index")
        phases.append(
            ("gunicorn", [("reference gunicorn search", "glossary", "search", BENCH_DIR / "index", True)])
        )
    phases = [(kind, [sc for sc in scenarios if args.only in sc[0]]) for kind, scenarios in phases]
    phases = [(kind, scenarios) for kind, scenarios in phases if scenarios]
    results: dict[str, list[Figures]] = {}
    for kind, scenarios in phases:
        servers = {}
        with contextlib.ExitStack() as stack:
            for _name, app, _, index_root, reference in scenarios:
                key = (app, reference)
                if key not in servers:
                    servers[key] = stack.enter_context(Server(kind, app, args, index_root, reference))
            workers = args.workers if kind == "gunicorn" else 1
            for round_ in range(args.rounds):
                for name, app, endpoint, _, reference in scenarios:
                    port = servers[(app, reference)].port
                    warm = workers if round_ == 0 else 0
                    figures = load(
                        port, paths[endpoint], args.connections, args.duration, args.max_requests, warm
                    )
                    results.setdefault(name, []).append(figures)
        for name, *_ in scenarios:
            print_row(name, results[name])
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    report_goals(results)


def rate(rounds: list[Figures]) -> float:
    """The median requests per second over the rounds."""
    return statistics.median(f.requests / f.seconds for f in rounds)


def print_row(name: str, rounds: list[Figures]) -> None:
    """One line of the table: totals and the median rate over the rounds, percentiles over all requests."""
    pooled = Figures(sum(f.requests for f in rounds), sum(f.errors for f in rounds), 0.0, [])
    for figures in rounds:
        pooled.latencies += figures.latencies
    spread = "/".join(f"{f.requests / f.seconds:.0f}" for f in rounds)
    print(
        f"{name:28} {pooled.requests:9d} {pooled.errors:7d} {rate(rounds):8.0f} "
        f"{pooled.percentile(50):8.1f} {pooled.percentile(99):8.1f}   rounds {spread}",
        flush=True,
    )


def report_goals(results: dict[str, list[Figures]]) -> None:
    """Print the issue's goals against the figures of this run."""
    if "ceiling gunicorn" in results:
        ceiling = rate(results["ceiling gunicorn"])
        for endpoint in ("search", "term"):
            name = f"serve gunicorn {endpoint}"
            if name in results:
                share = rate(results[name]) / ceiling
                verdict = "met" if share >= 0.6 else "NOT met"
                print(f"goal: {endpoint} at >= 60% of the trivial ceiling: {share:.0%} ({verdict})")
    if "reference gunicorn search" in results:
        pooled = Figures(
            0, 0, 0.0, [lat for f in results["reference gunicorn search"] for lat in f.latencies]
        )
        p99 = pooled.percentile(99)
        verdict = "met" if p99 < 50 else "NOT met"
        print(f"goal: search with the reference layer, p99 < 50 ms: {p99:.1f} ms ({verdict})")


if __name__ == "__main__":
    main()
