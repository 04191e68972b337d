"""Documentation matches reality: the README's quick start, the Makefile, CI, and what the wheel ships."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    """The commands of the README's quick start section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_quick_start_is_two_commands_serve_then_test():
    serve, test = quick_start()
    assert serve.endswith(" . && glossary serve") and "pip install " in serve
    assert "pytest" in test and "pip install" in test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start()[1] in [line.strip() for line in ci]
    assert any("apt-get install" in line and "chromium" in line for line in ci)


def test_make_targets_are_the_readme_commands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    serve, test = quick_start()
    assert re.search(rf"^serve:\n\t{re.escape(serve)}$", makefile, re.M)
    assert re.search(rf"^test:\n\t{re.escape(test)}$", makefile, re.M)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("glossary_zh_en-*.whl"))


def test_the_wheel_ships_the_curated_base_and_the_service(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "glossary/_data/sources.yaml" in names
    entries = {n for n in names if n.startswith("glossary/_data/entries/") and n.endswith(".yaml")}
    assert len(entries) == len(list((ROOT / "data" / "entries").glob("*.yaml")))
    assert "service/__init__.py" in names or any(n.startswith("service/") for n in names)


def test_an_installed_wheel_validates_its_own_base(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True
    )
    result = subprocess.run(
        [str(venv / "bin" / "glossary"), "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


# --- the distribution name, the licence, the lock --------------------------------------------------------

LOCK = ROOT / "requirements.lock"
_NETWORK = (
    "Max retries exceeded",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def locked() -> dict[str, str]:
    """requirements.lock as {normalised name: version}."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==", 1)
            pins[_name(name)] = version.strip()
    return pins


def test_the_distribution_name_is_ours_and_the_command_stays():
    """`glossary` on PyPI is an unrelated project (ionosphere data): the distribution is glossary-zh-en."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "glossary-zh-en"
    assert project["scripts"] == {"glossary": "glossary.cli:cli"}


def test_the_licence_pyproject_claims_is_there(wheel):
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_install_commands_are_constrained_by_the_lock():
    serve, test = quick_start()
    assert "-c requirements.lock" in serve and "-c requirements.lock" in test


def test_the_lock_pins_every_declared_dependency():
    import tomllib

    from packaging.requirements import Requirement

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    missing = [r for r in declared if _name(Requirement(r).name) not in locked()]
    assert not missing, f"not in requirements.lock (run bench/audit.sh --lock): {missing}"


def test_pip_resolves_exactly_the_lock(tmp_path):
    """What `pip install -c requirements.lock .` installs, resolved afresh from the index (nothing installed):
    every package it would install is pinned in the lock at that version, and every pin is used."""
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--no-build-isolation",
            "--quiet",
            "--report",
            str(report),
            "-c",
            str(LOCK),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0 and any(marker in done.stderr for marker in _NETWORK):
        pytest.skip(f"the package index is unreachable: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr[-3000:]
    import json

    resolved = {
        _name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text(encoding="utf-8"))["install"]
    }
    assert resolved.pop("glossary-zh-en")
    assert resolved == locked()
