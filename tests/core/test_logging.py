"""Issue 13 (logging goes somewhere): the command logs to a file in the user's log
directory, WARNING by default, MITEAM_LOG=debug|info raises it; the store's "compaction
postponed" warning reaches it; a bug of ours is one line and a log entry, never a
traceback; the file is the owner's alone (0600 in 0700)."""

from __future__ import annotations

import errno
import logging
import os
import stat

from rules.cli import logsetup
from rules.records.store import files as F


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_store_s_compaction_warning_reaches_the_log_file(miteam, monkeypatch):
    monkeypatch.setattr(F, "COMPACT_COMMITS", 0)

    def hook(step: str) -> None:
        if step == "compact-replace":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(F, "FAULT_HOOK", hook)
    r = miteam("license", "set", "u-1036", "miteam", "on", operator="anna.huber")
    assert r.code == 0, r.err  # the change is durable; only the compaction waits
    assert r.err == ""
    log = logsetup.log_path()
    text = log.read_text(encoding="utf-8")
    assert "WARNING" in text and "compaction postponed" in text and "No space left" in text
    assert mode(log) == 0o600 and mode(log.parent) == 0o700


def test_warning_by_default_and_miteam_log_raises_it(miteam, monkeypatch):
    assert miteam("report", "licenses").code == 0
    assert not logsetup.log_path().exists()  # nothing worth a warning: no file at all
    monkeypatch.setenv("MITEAM_LOG", "info")
    assert miteam("report", "licenses").code == 0
    assert "INFO miteam [pid" in logsetup.log_path().read_text(encoding="utf-8")
    assert "miteam report licenses: exit 0" in logsetup.log_path().read_text(encoding="utf-8")
    monkeypatch.setenv("MITEAM_LOG", "debug")
    logsetup.install()
    assert logging.getLogger("rules.test").isEnabledFor(logging.DEBUG)


def test_a_misspelt_level_is_named_in_the_file_and_warnings_still_go(monkeypatch):
    monkeypatch.setenv("MITEAM_LOG", "verbose")
    logsetup.install()
    logging.getLogger("rules.test").info("not at the default level")
    logging.getLogger("rules.test").warning("a warning")
    text = logsetup.log_path().read_text(encoding="utf-8")
    assert "MITEAM_LOG='verbose' is not a level (debug, info, warning, error)" in text
    assert "a warning" in text and "not at the default level" not in text


def test_a_bug_is_one_line_and_its_traceback_goes_to_the_log(miteam, monkeypatch):
    from rules.cli import records

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(records, "account_lines", broken)
    r = miteam("account", "show", "a-kranich", operator="anna.huber", json_out=False,
               lang="de")
    assert r.code == 1
    assert "Traceback" not in r.err and len(r.err.splitlines()) == 1
    assert r.err.startswith("miteam: ein interner Fehler (RuntimeError: boom)")
    assert str(logsetup.log_path()) in r.err
    text = logsetup.log_path().read_text(encoding="utf-8")
    assert "ERROR miteam" in text and "Traceback" in text and "RuntimeError: boom" in text


def test_the_log_file_is_the_owner_s_alone_and_cannot_steer_a_terminal():
    path = logsetup.log_path()
    path.parent.mkdir(parents=True, mode=0o755)
    path.write_text("an older file\n", encoding="utf-8")
    path.chmod(0o644)
    logsetup.install()
    logging.getLogger("rules.test").warning("user %s", "Eve\x1b]0;owned\x07\x1b[2J")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "\x1b" not in text and "Eve\\x1b]0;owned\\x07\\x1b[2J" in text


def test_the_log_file_is_never_opened_through_a_symbolic_link(tmp_path, capsys):
    path = logsetup.log_path()
    path.parent.mkdir(parents=True, mode=0o700)
    target = tmp_path / "elsewhere"
    path.symlink_to(target)
    logsetup.install()
    logging.getLogger("rules.test").warning("not through the link")
    assert not target.exists()
    assert capsys.readouterr().err == ""  # and no "--- Logging error ---" traceback
