"""Shared fixtures. Tests never touch the user's real data or cache directory: HOME and the XDG
directories point into a temporary folder, and the date is pinned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.miteam_command", "tests.backends"]

TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("MITEAM_TODAY", TODAY)
    for var in ("MITEAM_DB", "MITEAM_OPERATOR", "MITEAM_LANG", "MITEAM_RULES", "MITEAM_LOG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    from rules.cli import logsetup

    logsetup.uninstall()  # a command run in-process logged to this test's HOME


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A fresh copy of the demo database, with the test login `tester` as support."""
    from rules.records import database

    path = tmp_path / "demo.json"
    database.create(path, "tester", demo=True, force=False).close()
    return path


@pytest.fixture
def rules_dir() -> Path:
    from rules.paths import SHIPPED_RULES_DIR

    return SHIPPED_RULES_DIR


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("MITEAM_TODAY", TODAY)
