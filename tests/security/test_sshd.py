"""The whole path, end to end: a real sshd on 127.0.0.1, a key installed with `miteam keys
add` pinned to an account admin (markus.weber), and `ssh ... 'COMMAND'` as the person runs
it. The login switches a license in its own account, and is refused on another tenant's
user and on `--operator`, even with MITEAM_* variables it sends (sshd accepts them here)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rules.cli.authkeys import authorized_keys_path
from tests.backends import free_port
from tests.security.tamper import db_files, run

SSHD = Path("/usr/sbin/sshd")
pytestmark = pytest.mark.skipif(
    not SSHD.exists() or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None,
    reason="OpenSSH is not installed (apt-get install openssh-server openssh-client; "
           ".ci/run does)")


def _wait_listening(port: int, proc: subprocess.Popen, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"sshd exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(4).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.05)  # polling the condition: sshd not listening yet
    raise AssertionError("sshd did not start listening")


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[int]:
    """sshd in the foreground on a free port, with its own config and host key."""
    home = tmp_path / "sshd"
    home.mkdir(mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    str(home / "host_key")], check=True)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    port = free_port()
    config = home / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {home / 'host_key'}",
        f"PidFile {home / 'sshd.pid'}", f"AuthorizedKeysFile {authorized_keys_path()}",
        "StrictModes no", "UsePAM no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
        "PermitRootLogin forced-commands-only", f"AllowUsers {pwd.getpwuid(os.geteuid()).pw_name}",
        # Let the client's variables through: the forced command must ignore them.
        "AcceptEnv MITEAM_*", "LogLevel ERROR", "",
    ]))
    proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_listening(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def client_key(tmp_path: Path) -> Path:
    key = tmp_path / "markus_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "markus@laptop",
                    "-f", str(key)], check=True)
    return key


def ssh(port: int, key: Path, command: str, **environ: str) -> subprocess.CompletedProcess:
    login = pwd.getpwuid(os.geteuid()).pw_name
    return subprocess.run(
        ["ssh", "-F", "/dev/null", "-i", str(key), "-p", str(port), "-T",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR",
         "-o", "SendEnv=MITEAM_*", f"{login}@127.0.0.1", command],
        capture_output=True, text=True, timeout=60, env={**os.environ, **environ})


def test_an_ssh_login_is_pinned_to_its_operator(miteam, capsys, sshd, client_key):
    r = run(capsys, "--db", str(miteam.db), "--operator", "tester", "keys", "add",
            "markus.weber", f"{client_key}.pub")
    assert r.code == 0, r.err

    done = ssh(sshd, client_key, "license set u-1029 miteam off")
    assert done.returncode == 0, done.stderr
    assert "ON → OFF" in done.stdout
    assert miteam.user("u-1029")["licenses"]["miteam"] is False
    entry = miteam("audit", "--limit", "1").json[-1]
    assert entry["operator"] == "markus.weber" and entry["target"] == "user:u-1029"

    before = db_files(miteam.db)
    foreign = ssh(sshd, client_key, "license set u-1101 miteam off")
    assert foreign.returncode in (1, 2) and foreign.stderr.count("\n") == 1
    unpinned = ssh(sshd, client_key,
                   "miteam --operator lena.support license set u-1101 miteam off")
    assert unpinned.returncode == 2 and "--operator" in unpinned.stderr
    via_env = ssh(sshd, client_key, "license set u-1101 miteam off",
                  MITEAM_OPERATOR="lena.support", MITEAM_DB="/nonexistent.json")
    assert via_env.returncode in (1, 2)
    wipe = ssh(sshd, client_key, "db init --force")
    assert wipe.returncode == 2 and "not available over SSH" in wipe.stderr
    assert db_files(miteam.db) == before

    whoami = ssh(sshd, client_key, "miteam --json operator whoami",
                 MITEAM_OPERATOR="lena.support")
    assert whoami.returncode == 0 and '"id": "markus.weber"' in whoami.stdout
