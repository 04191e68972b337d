"""The container image: the Dockerfile builds `glossary serve` with the index built at build time.

Building needs a Docker daemon and a base image already on this machine (no container registry is reachable
from here, so nothing is pulled): $GLOSSARY_DOCKER_BASE names one (default python:3.11-slim). Without them the
build test skips and says which is missing; the structure tests always run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = os.environ.get("GLOSSARY_DOCKER_BASE", "python:3.11-slim")
#: A CA bundle inside the base image for pip, where the network intercepts TLS (as this machine's does).
PIP_CERT = os.environ.get("GLOSSARY_DOCKER_PIP_CERT")


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_image_builds_the_index_and_serves() -> None:
    steps = _instructions()
    runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert "glossary build" in runs and "glossary validate" in runs
    assert "-r requirements.lock" in runs, "the image installs the locked versions"
    (cmd,) = [json.loads(arg) for op, arg in steps if op == "CMD"]
    assert cmd[:2] == ["glossary", "serve"]
    assert ("USER", "nobody") in steps


def test_compose_publishes_on_loopback_only() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["glossary"]
    assert service["build"] == "." and service["read_only"] is True
    assert all(port.startswith("127.0.0.1:") for port in service["ports"])


def _docker_ready() -> str:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker command")
    info = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=30, check=False)
    if info.returncode != 0:
        pytest.skip(f"no Docker daemon answers: {info.stderr.strip().splitlines()[-1:]}")
    inspect = subprocess.run([docker, "image", "inspect", BASE], capture_output=True, timeout=30, check=False)
    if inspect.returncode != 0:
        pytest.skip(
            f"base image {BASE} is not on this machine (no registry to pull it from): set "
            "GLOSSARY_DOCKER_BASE to a local image with Python 3.11+ or Debian"
        )
    return docker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_container_serves_the_api() -> None:
    docker = _docker_ready()
    tag = f"glossary-test-{uuid.uuid4().hex[:8]}"
    build = subprocess.run(
        [docker, "build", "--network", "host", "--build-arg", f"BASE={BASE}", "-t", tag, str(ROOT)]
        + (["--build-arg", f"PIP_CERT={PIP_CERT}"] if PIP_CERT else []),
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    port = _free_port()
    name = f"{tag}-run"
    try:
        run = subprocess.run(
            [
                docker,
                "run",
                "-d",
                "--rm",
                "--name",
                name,
                "--read-only",
                "--tmpfs",
                "/tmp",
                "-p",
                f"127.0.0.1:{port}:8000",
                tag,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        deadline, health = time.monotonic() + 90, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5) as response:
                    health = json.load(response)
                    break
            except OSError:
                time.sleep(1)
        logs = subprocess.run([docker, "logs", name], capture_output=True, text=True, timeout=60, check=False)
        assert health is not None, logs.stdout[-2000:] + logs.stderr[-2000:]
        assert health["entries"] > 100
        output = logs.stdout + logs.stderr
        assert "building" not in output.lower(), "the index was built at image build time"
        assert "Read-only file system" not in output, "a read-only container writes nothing"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q=sgmx", timeout=10) as response:
            assert json.load(response)["results"][0]["id"] == "four-orientations"
    finally:
        subprocess.run([docker, "rm", "-f", name], capture_output=True, timeout=60, check=False)
        subprocess.run([docker, "image", "rm", "-f", tag], capture_output=True, timeout=120, check=False)
