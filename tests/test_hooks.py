"""pre-commit runs local hooks only, each a tool that the lock installs into .venv."""

import shlex
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = [hook for repo in CONFIG["repos"] for hook in repo["hooks"]]


def test_every_hook_is_local():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert {hook["language"] for hook in HOOKS} == {"unsupported"}


def test_every_hook_runs_a_tool_of_the_venv():
    for hook in HOOKS:
        program = shlex.split(hook["entry"])[0]
        assert program.startswith(".venv/bin/"), hook["id"]
        assert (ROOT / program).is_file(), f"{program} is not installed: make install-dev"


def test_the_hook_tools_are_dev_requirements():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["dev"]
    names = {Requirement(r).name for r in extra}
    assert {"pre-commit", "pre-commit-hooks", "ruff", "django-upgrade", "djangofmt"} <= names


def test_the_issue_s_hooks_are_all_there():
    entries = {hook["id"]: hook["entry"] for hook in HOOKS}
    assert {
        "trailing-whitespace",
        "end-of-file-fixer",
        "ruff-check",
        "ruff-format",
        "django-upgrade",
        "djangofmt",
    } <= set(entries)
    assert "--target-version 5.2" in entries["django-upgrade"]
