"""The installed environment is the lock: `pip freeze` of this venv lists exactly what uv.lock pins
for it, and uv.lock records the requirements that pyproject.toml states (`make lock` after an edit).

`make test` runs `uv lock --check` too; this test keeps the promise without uv on the PATH.
"""

import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "seminars-site"


def _lock():
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _installed_extras():
    """The project's extras this venv was synced with: dev when its tools are here (pytest is)."""
    extras = []
    for extra, requirements in _pyproject()["project"].get("optional-dependencies", {}).items():
        names = [Requirement(r).name for r in requirements]
        try:
            for name in names:
                distribution(name)
        except PackageNotFoundError:
            continue
        extras.append(extra)
    return extras


def _applies(marker, extra=""):
    return marker is None or Marker(marker).evaluate({"extra": extra})


def locked_for_this_environment():
    """{name: version} that uv.lock installs here: the project's dependencies and extras, then
    theirs, each edge kept only where its marker holds for this interpreter and platform."""
    packages = {}
    for package in _lock()["package"]:
        packages.setdefault(canonicalize_name(package["name"]), []).append(package)

    def find(edge):
        candidates = packages[canonicalize_name(edge["name"])]
        if "version" in edge:
            candidates = [p for p in candidates if p["version"] == edge["version"]]
        assert len(candidates) == 1, f"ambiguous lock entry for {edge}"
        return candidates[0]

    root = find({"name": PROJECT})
    pending = [(d, "") for d in root.get("dependencies", [])]
    for extra in _installed_extras():
        pending += [(d, extra) for d in root.get("optional-dependencies", {}).get(extra, [])]
    pinned = {}
    seen = set()
    while pending:
        edge, extra = pending.pop()
        if not _applies(edge.get("marker"), extra):
            continue
        package = find(edge)
        key = (canonicalize_name(package["name"]), tuple(edge.get("extra", ())))
        if key in seen:
            continue
        seen.add(key)
        pinned[key[0]] = package["version"]
        pending += [(d, "") for d in package.get("dependencies", [])]
        for wanted in edge.get("extra", ()):
            pending += [(d, wanted) for d in package.get("optional-dependencies", {})[wanted]]
    return pinned


def pip_freeze():
    """{name: version} of everything in this venv (--all: pip itself is locked too)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    frozen = {}
    for line in result.stdout.splitlines():
        if not line or line.startswith("#"):
            continue
        assert "==" in line, f"not installed from the lock: {line}"
        name, version = line.split("==", 1)
        frozen[canonicalize_name(name)] = version
    return frozen


def test_pip_freeze_is_the_lock():
    locked = locked_for_this_environment()
    frozen = pip_freeze()
    # Names first, so a failure says which package is missing or extra rather than a wall of pins.
    assert sorted(set(frozen) - set(locked)) == [], "installed but not locked: make install"
    assert sorted(set(locked) - set(frozen)) == [], "locked but not installed: make install"
    assert frozen == locked
    assert "django" in locked and "psycopg2-binary" in locked and "pytest" in locked


def _normalized(requirement, extra=None):
    r = Requirement(requirement)
    r.name = canonicalize_name(r.name)
    if extra:
        r.marker = Marker(f"extra == '{extra}'")
    return str(r)


def test_lock_records_the_requirements_of_pyproject():
    project = _pyproject()["project"]
    wanted = {_normalized(r) for r in project["dependencies"]}
    for extra, requirements in project.get("optional-dependencies", {}).items():
        wanted |= {_normalized(r, extra) for r in requirements}
    root = next(p for p in _lock()["package"] if p["name"] == PROJECT)
    recorded = set()
    for entry in root["metadata"]["requires-dist"]:
        line = entry["name"]
        if entry.get("extras"):
            line += "[" + ",".join(sorted(entry["extras"])) + "]"
        line += entry.get("specifier", "")
        if entry.get("marker"):
            line += f"; {entry['marker']}"
        recorded.add(_normalized(line))
    assert recorded == wanted, "pyproject.toml changed without `make lock`"


def test_lock_supports_python_3_11():
    lock = _lock()
    assert lock["requires-python"] == ">=3.11"
    # The chosen driver installs from a wheel on Debian 12's Python 3.11 (no compiler needed).
    driver = next(p for p in lock["package"] if p["name"] == "psycopg2-binary")
    wheels = [w["url"].rsplit("/", 1)[1] for w in driver["wheels"]]
    assert any("-cp311-cp311-manylinux" in w and w.endswith("x86_64.whl") for w in wheels)
    assert all("hash" in w for w in driver["wheels"])
