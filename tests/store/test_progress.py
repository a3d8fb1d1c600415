"""Long commands show their progress on a terminal, and nothing extra when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_generate_shows_progress_on_a_terminal_only(tmp_path):
    db = tmp_path / "db.json"
    argv = [sys.executable, "-m", "rules.cli", "--db", str(db), "db", "generate",
            "--accounts", "5", "--users", "300"]
    piped = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""  # piped: not a word extra
    controller, terminal = pty.openpty()
    try:
        on_tty = subprocess.run([*argv, "--force"], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=terminal, text=True, timeout=120,
                                env={**os.environ, "TERM": "xterm", "COLUMNS": "100"})
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert on_tty.returncode == 0 and "generated" in on_tty.stdout
    assert b"generating db.json" in shown  # the bar, on the terminal (stderr)
    assert b"generating db.json" not in on_tty.stdout.encode()
