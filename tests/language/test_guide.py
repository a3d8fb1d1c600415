"""The README's guide "A new rule, start to finish", followed step by step with the snippets
and the outputs it shows: add a rule, `check` catches the field typo with a suggestion, `fmt`
lays it out, a test reaches it in `test --coverage`, and `--why` names it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rules.paths import SHIPPED_RULES_DIR

README = Path(__file__).resolve().parents[2] / "README.md"


def guide() -> dict[str, str]:
    """The guide's code blocks, by the `<!-- guide: NAME -->` marker above each."""
    text = README.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(
        r"<!-- guide: (\w+) -->\n```\n(.*?)```\n", text, re.S)}


def output_of(block: str) -> list[str]:
    """A shown terminal session without its `$ command` line."""
    return [line for line in block.splitlines() if not line.startswith("$ ")]


def same(shown: list[str], got: list[str]) -> None:
    """Line by line; numbers (lines, columns, counts) may move as the rules grow."""
    def norm(lines: list[str]) -> list[str]:
        return [re.sub(r"\d+", "N", line.rstrip()) for line in lines]
    if shown and shown[-1] == "...":
        shown, got = shown[:-1], got[: len(shown) - 1]
    assert norm(got) == norm(shown), "\n".join(got)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SHIPPED_RULES_DIR, tmp_path / "my-rules",
                    ignore=shutil.ignore_patterns("__*", "*.pyc"))
    return tmp_path


def test_the_readme_guide_works_as_written(miteam, workdir):
    g = guide()
    assert {"message", "rule", "check", "fmt", "formatted", "uncovered", "test", "covered",
            "why"} <= set(g)
    rules = workdir / "my-rules"
    messages, orders = rules / "messages.rules", rules / "orders.rules"
    messages.write_text(messages.read_text() + "\n" + g["message"])
    anchor = "    because order_expired\n"
    text = orders.read_text()
    assert anchor in text
    orders.write_text(text.replace(anchor, anchor + "\n" + g["rule"], 1))

    check = miteam("rules", "check", "my-rules", json_out=False)
    assert check.code == 2
    same(output_of(g["check"]), check.err.splitlines())

    orders.write_text(orders.read_text().replace("order.expirng", "order.expiring"))
    fmt = miteam("rules", "fmt", "my-rules", json_out=False)
    assert fmt.code == 0
    same(output_of(g["fmt"]), fmt.out.splitlines())
    assert g["formatted"] in orders.read_text()
    assert miteam("rules", "fmt", "--check", "my-rules").code == 0

    uncovered = miteam("rules", "test", "--coverage", "my-rules", json_out=False)
    assert uncovered.code == 0
    same(output_of(g["uncovered"]), uncovered.out.splitlines())

    (rules / "expiring.test").write_text(g["test"])
    covered = miteam("rules", "test", "--coverage", "my-rules", json_out=False)
    assert covered.code == 0
    same(output_of(g["covered"]), covered.out.splitlines())
    assert "s2_expiring_soon" not in covered.out

    why = miteam("order", "assign", "ord-1007", "a-kranich", "--dry-run", "--why",
                 operator="anna.huber",
                 rules=Path("my-rules"), json_out=False)
    assert why.code == 1
    same(output_of(g["why"]), why.err.splitlines())
