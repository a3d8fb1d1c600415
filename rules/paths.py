"""Where the product's own files are, installed or in a checkout.

An installed wheel carries `grammar/` and `data/` inside the package as `rules._grammar`
and `rules._data`; an editable install or a plain checkout finds them beside `rules/`.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _locate(package_dir: str, checkout_dir: str) -> Path:
    inside = _HERE / package_dir
    if inside.is_dir():
        return inside
    return _HERE.parent / checkout_dir


GRAMMAR_DIR = _locate("_grammar", "grammar")
DATA_DIR = _locate("_data", "data")
SHIPPED_RULES_DIR = _HERE / "policy"
DEMO_DB = DATA_DIR / "demo.json"
SCENARIOS_DIR = DATA_DIR / "scenarios"


def display_name(path: Path) -> str:
    """A file as a person would find it: a shipped rule file as `rules/policy/X` wherever
    the package is installed, any other file relative to here when it is below here."""
    resolved = path.resolve()
    if resolved.parent == SHIPPED_RULES_DIR.resolve():
        return f"rules/policy/{path.name}"
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
