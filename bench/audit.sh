#!/usr/bin/env bash
# Dependency audit: pip-audit of requirements.lock, the exact versions of the runtime dependency closure.
#
#   bench/audit.sh            audit requirements.lock (pip-audit, PyPI's vulnerability data; -s osv for OSV)
#   bench/audit.sh --lock     regenerate requirements.lock from this environment, then audit it
#
# Exit codes: 0 every pinned package was audited and none has a known vulnerability; 1 vulnerabilities found;
# 3 the audit could not be done (the vulnerability service is unreachable, or did not know the packages).
# pip-audit itself exits 0 when it could audit nothing ("No known vulnerabilities found", every package
# skipped): this script counts what was really audited, so an audit that did not happen never looks clean.
set -uo pipefail
cd "$(dirname "$0")/.."
LOCK=requirements.lock

if [ "${1:-}" = "--lock" ]; then
  shift
  python3 - "$LOCK" <<'EOF'
"""Write the runtime dependency closure of pyproject.toml, pinned to the installed versions."""
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement

declared = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
pinned: dict[str, str] = {}
todo = [Requirement(r) for r in declared]
while todo:
    requirement = todo.pop()
    name = requirement.name.lower().replace("_", "-")
    if name in pinned or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
        continue
    try:
        dist = distribution(requirement.name)
    except PackageNotFoundError:
        sys.exit(f"{requirement.name} is not installed: pip install -e . first")
    pinned[name] = dist.version
    todo += [Requirement(r) for r in dist.requires or []]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("# The runtime dependency closure of pyproject.toml, pinned: what bench/audit.sh audits.\n")
    out.write("# Regenerate with `bench/audit.sh --lock` after changing dependencies.\n")
    out.writelines(f"{name}=={version}\n" for name, version in sorted(pinned.items()))
print(f"wrote {sys.argv[1]}: {len(pinned)} packages")
EOF
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
# --no-deps --disable-pip: audit exactly the pinned list, without resolving or installing anything.
pip-audit -r "$LOCK" --no-deps --disable-pip --progress-spinner off -f json -o "$report" "$@" 2>"$report.err"
status=$?
python3 - "$report" "$status" "$report.err" <<'EOF'
import json
import sys

path, status, errors = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    with open(path, encoding="utf-8") as handle:
        result = json.load(handle)
except (OSError, ValueError):
    tail = open(errors, encoding="utf-8", errors="replace").read().strip().splitlines()[-1:]
    print(f"AUDIT NOT DONE: pip-audit failed (exit {status}) without a report: {' '.join(tail)}")
    print("The vulnerability service is probably unreachable from this machine; audit where it is reachable.")
    sys.exit(3)
dependencies = result.get("dependencies", [])
audited = [d for d in dependencies if "skip_reason" not in d]
skipped = [d for d in dependencies if "skip_reason" in d]
vulnerable = [d for d in audited if d.get("vulns")]
for d in vulnerable:
    for v in d["vulns"]:
        print(f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or 'no release'})")
print(f"pip-audit: {len(audited)} of {len(dependencies)} pinned packages audited, {len(vulnerable)} vulnerable")
if vulnerable:
    sys.exit(1)
if skipped or not dependencies:
    for d in skipped:
        print(f"  not audited: {d['name']}: {d['skip_reason']}")
    print("AUDIT NOT DONE: the vulnerability service did not answer for these packages (unreachable from")
    print("this machine, or it does not know them): they are NOT known to be safe. Audit where it is reachable.")
    sys.exit(3)
EOF
