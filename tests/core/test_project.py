"""Project-wide promises: a headless core, every string in both languages, the demo file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rules.i18n import CATALOG
from rules.paths import DEMO_DB
from rules.records.demo import demo_records, to_tinydb_json
from rules.schema import LANGUAGES


def test_layers_hold_by_the_import_contracts():
    """The contracts in pyproject.toml (headless core, records below the language, ...)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(lint_imports), "--no-cache"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_version_loads_no_console_and_no_textual():
    code = ("import sys; from rules.cli import main;"
            "main(['--version']) if False else None;"
            "print('textual' in sys.modules, 'tui' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False False"


def test_every_product_string_exists_in_every_language():
    for key, texts in CATALOG.items():
        for lang in LANGUAGES:
            assert texts.get(lang), f"{key} has no {lang} text"


def test_shipped_demo_database_is_the_generated_one():
    assert DEMO_DB.read_text(encoding="utf-8") == to_tinydb_json(demo_records())


def test_demo_database_covers_every_integration_combination_and_order_state():
    records = demo_records()
    combos = {(a["integrations"]["micollab"], a["integrations"]["miteam"])
              for a in records["accounts"]}
    assert combos == {(False, False), (False, True), (True, False), (True, True)}
    assert 140 <= len(records["users"]) <= 160
    assert {o["role"] for o in records["operators"]} == {"support", "partner", "account_admin"}


def test_every_package_is_in_the_wheel():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    on_disk = {
        ".".join(init.parent.relative_to(root).parts)
        for top in ("rules", "tui") for init in (root / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk <= listed, f"add to pyproject.toml packages: {sorted(on_disk - listed)}"
