"""Part 2, keys: `miteam keys add|list|remove` keep the service account's authorized_keys.

Each managed line pins one key to one operator with the forced command; lines miteam did
not write stay as they are; a bad key is refused before anything is written; adding and
removing are decided by the rules (`keys.add`, `keys.remove`) and audited."""

from __future__ import annotations

import base64
import os
import stat
import struct
from pathlib import Path

import pytest

from rules.cli.authkeys import authorized_keys_path
from tests.security.tamper import as_nobody, db_files, run

FOREIGN_LINE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHandWrittenByTheAdminLongEnough0000000 admin"


def ed25519_line(seed: int, comment: str = "anna@laptop") -> str:
    """A well-formed ed25519 public key line (any 32 bytes are a point's encoding)."""
    kind = b"ssh-ed25519"
    blob = struct.pack(">I", len(kind)) + kind + struct.pack(">I", 32) + bytes([seed]) * 32
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}".rstrip()


@pytest.fixture
def pubkey(tmp_path: Path) -> Path:
    path = tmp_path / "markus.pub"
    path.write_text(ed25519_line(7, "markus@laptop") + "\n")
    return path


def test_add_list_remove_a_key_pinned_to_an_operator(miteam, pubkey):
    ak = authorized_keys_path()
    ak.parent.mkdir(mode=0o700, parents=True)
    ak.write_text(FOREIGN_LINE + "\n")
    r = miteam("keys", "add", "markus.weber", str(pubkey))
    assert r.code == 0, r.err
    fingerprint = r.json["fingerprint"]
    lines = ak.read_text().splitlines()
    assert lines[0] == FOREIGN_LINE  # not miteam's: kept as it was
    assert lines[1].startswith('command="') and " shell markus.weber\",restrict,pty " \
        in lines[1]
    assert lines[1].endswith(pubkey.read_text().strip())
    assert "/miteam --db " in lines[1] and str(miteam.db) in lines[1]
    assert stat.S_IMODE(ak.stat().st_mode) == 0o600
    listed = miteam("keys", "list").json["keys"]
    assert listed == [{"operator": "markus.weber", "type": "ssh-ed25519",
                       "fingerprint": fingerprint, "comment": "markus@laptop"}]
    entry = miteam("audit", "--limit", "1").json[-1]
    assert entry["operation"] == "keys.add" and entry["target"] == f"key:{fingerprint}"
    assert entry["real"] == "root" and entry["rule"] == "support_adds_keys"

    r = miteam("keys", "remove", "markus.weber", fingerprint)
    assert r.code == 0, r.err
    assert ak.read_text().splitlines() == [FOREIGN_LINE]
    assert miteam("audit", "--limit", "1").json[-1]["operation"] == "keys.remove"


def test_the_fingerprint_is_the_one_ssh_keygen_prints(miteam, pubkey):
    import shutil
    import subprocess

    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed (apt-get install openssh-client)")
    r = miteam("keys", "add", "markus.weber", str(pubkey))
    shown = subprocess.run(["ssh-keygen", "-lf", str(pubkey)], capture_output=True,
                           text=True, check=True).stdout
    assert r.json["fingerprint"] in shown


@pytest.mark.parametrize("text, problem", [
    ("", "expected one key line, found 0"),
    ("hello world\n", "key type"),
    (ed25519_line(1) + "\n" + ed25519_line(2) + "\n", "found 2"),
    ('command="/bin/sh" ' + ed25519_line(3), "key type"),
    ("ssh-ed25519 not*base64 x", "base64"),
    ("ssh-rsa " + ed25519_line(4).split()[1], "not a ssh-rsa key"),
    (ed25519_line(5, "evil\x1b]0;pwned\x07"), "control characters"),
])
def test_a_bad_key_is_refused_and_nothing_is_written(miteam, tmp_path, text, problem):
    bad = tmp_path / "bad.pub"
    bad.write_text(text)
    before = db_files(miteam.db)
    r = miteam("keys", "add", "markus.weber", str(bad), json_out=False)
    assert r.code == 2 and problem in r.err and str(bad) in r.err
    assert not authorized_keys_path().exists()
    assert db_files(miteam.db) == before


def test_keys_add_says_what_it_wrote(miteam, pubkey):
    r = miteam("keys", "add", "markus.weber", str(pubkey), json_out=False, lang="de")
    assert r.code == 0, r.err
    said = r.out.splitlines()
    assert said[0].startswith("markus.weber darf sich mit ssh-ed25519 SHA256:")
    assert said[1].endswith(' shell markus.weber",restrict,pty')


def test_a_key_installed_already_is_refused(miteam, pubkey):
    assert miteam("keys", "add", "markus.weber", str(pubkey)).code == 0
    text = authorized_keys_path().read_text()
    r = miteam("keys", "add", "lena.support", str(pubkey), json_out=False)
    assert r.code == 2 and "installed already, for 'markus.weber'" in r.err
    assert authorized_keys_path().read_text() == text


def test_an_unknown_operator_or_fingerprint_is_bad_input(miteam, pubkey):
    before = db_files(miteam.db)
    assert miteam("keys", "add", "mallory", str(pubkey)).code == 2
    assert miteam("keys", "remove", "markus.weber", "SHA256:nope").code == 2
    assert not authorized_keys_path().exists()
    assert db_files(miteam.db) == before


def test_an_account_admin_cannot_install_keys(miteam, monkeypatch, capsys, pubkey):
    miteam("operator", "add", "nobody", "--role", "account_admin", "--account", "a-kranich")
    as_nobody(monkeypatch)
    before = db_files(miteam.db)
    r = run(capsys, "--db", str(miteam.db), "keys", "add", "lena.support", str(pubkey))
    assert r.code == 1 and "support" in r.err.lower()
    assert not authorized_keys_path().exists()
    assert db_files(miteam.db) == before


def test_keys_is_the_service_accounts_command_not_a_logins(miteam, monkeypatch, capsys,
                                                          pubkey):
    from tests.security.tamper import shell

    r = shell(capsys, monkeypatch, miteam.db, "lena.support", f"keys add lena.support {pubkey}")
    assert r.code == 2 and "not available over SSH" in r.err
    assert not authorized_keys_path().exists()
    assert os.environ.get("MITEAM_TODAY")  # the shell's environment drop did not leak
