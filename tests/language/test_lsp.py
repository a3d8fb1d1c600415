"""`miteam rules lsp`, driven over stdio the way an editor does: initialize, didOpen with a
typo (a diagnostic with the did-you-mean), hover, definition, completion, formatting."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rules.paths import GRAMMAR_DIR, SHIPPED_RULES_DIR

pytest.importorskip("pygls")


class Client:
    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        self.proc = subprocess.Popen([sys.executable, "-m", "rules", "rules", "lsp"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     cwd=cwd, env=env)
        self.next_id = 0
        self.notifications: list[dict] = []

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()

    def read(self) -> dict:
        length = 0
        while True:
            line = self.proc.stdout.readline()
            assert line, "the server closed its output"
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message
            self.notifications.append(message)

    def notification(self, method: str) -> dict:
        for i, n in enumerate(self.notifications):
            if n.get("method") == method:
                return self.notifications.pop(i)
        while True:
            message = self.read()
            if message.get("method") == method:
                return message
            self.notifications.append(message)

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.send({"method": "exit"})
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def client(tmp_path):
    c = Client(tmp_path)
    c.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(),
                             "capabilities": {}})
    c.send({"method": "initialized", "params": {}})
    yield c
    c.close()


def test_the_server_answers_an_editor_over_stdio(client, tmp_path):
    rules = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, rules, ignore=shutil.ignore_patterns("__*", "*.test"))
    path = rules / "licenses.rules"
    text = path.read_text(encoding="utf-8").replace(
        "when account.integrations.micollab\n", "when account.integrations.micolab\n", 1)
    uri = path.as_uri()
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "miteam-rules", "version": 1, "text": text}}})
    published = client.notification("textDocument/publishDiagnostics")["params"]
    assert published["uri"] == uri
    (typo,) = [d for d in published["diagnostics"] if "micolab" in d["message"]]
    assert "did you mean 'micollab'?" in typo["message"] and typo["severity"] == 1
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if "account.integrations.micolab" in line)
    assert typo["range"]["start"]["line"] == row

    # Hover: a field's type, a message in both languages, a let's definition.
    at = lines[row].index("micolab")
    msg_row = next(i for i, line in enumerate(lines) if "because micollab_manages" in line)
    h = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {
        "line": msg_row, "character": lines[msg_row].index("micollab_manages") + 2}})
    value = h["result"]["contents"]["value"]
    assert "The MiCollab server manages" in value and "Der MiCollab-Server" in value
    field_row = next(i for i, line in enumerate(lines) if "available <= 0" in line)
    h = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {
        "line": field_row, "character": lines[field_row].index("available") + 1}})
    assert "a number" in h["result"]["contents"]["value"]

    # Definition: a let used here, defined in a sibling file.
    use_row = next(i for i, line in enumerate(lines) if "not may_manage_account" in line)
    d = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": {
        "line": use_row, "character": lines[use_row].index("may_manage_account") + 3}})
    assert d["result"]["uri"].endswith("/my-rules/scope.rules")
    scope = (rules / "scope.rules").read_text(encoding="utf-8").split("\n")
    assert scope[d["result"]["range"]["start"]["line"]].startswith("let may_manage_account")

    # Completion: the fields of a record after a dot, message keys elsewhere.
    c = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {
        "line": row, "character": at}})
    labels = {i["label"] for i in c["result"]["items"]}
    assert {"micollab", "miteam"} <= labels


def test_formatting_is_rules_fmt(client, tmp_path):
    path = tmp_path / "x.rules"
    text = 'message m {en "A"   de "B"}\n'
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": path.as_uri(), "languageId": "miteam-rules", "version": 1, "text": text}}})
    r = client.request("textDocument/formatting", {"textDocument": {"uri": path.as_uri()},
                                                  "options": {"tabSize": 2,
                                                              "insertSpaces": True}})
    (edit,) = r["result"]
    assert edit["newText"] == 'message m {\n  en "A"\n  de "B"\n}\n'


def test_the_textmate_grammar_knows_every_keyword_of_the_lark_grammar():
    lark = (GRAMMAR_DIR / "rules.lark").read_text(encoding="utf-8")
    words = set(re.findall(r'"([a-z]+)"', lark)) | {"and", "or", "not", "in"}
    tm = json.loads((GRAMMAR_DIR / "miteam-rules.tmLanguage.json").read_text(encoding="utf-8"))
    patterns = " ".join(p.get("match", "") for group in ("keywords", "constants")
                        for p in tm["repository"][group]["patterns"])
    listed = set(re.findall(r"[a-z]+", patterns)) - {"b"}
    assert words <= listed, words - listed
    assert tm["scopeName"] == "source.miteam-rules"


def test_verify_findings_are_diagnostics_on_the_rules_they_involve(tmp_path):
    from rules.lsp.analysis import analyse, hover

    rules = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, rules, ignore=shutil.ignore_patterns("__*", "*.test"))
    path = rules / "licenses.rules"
    text = path.read_text(encoding="utf-8").replace(
        "  deny s4_micollab_manages\n    when account.integrations.micollab\n"
        "    because micollab_manages\n", "")
    a = analyse(path, text)
    found = [d for d in a.diagnostics if d.message.startswith("rules verify:")]
    assert found and all(d.severity == "warning" for d in found)
    lines = text.split("\n")
    assert any("s6_micollab_license" in lines[d.span.line - 1] for d in found)
    # A let's definition on hover, from the sibling file that holds it.
    assert "let may_manage_account =" in hover(a, "may_manage_account")
