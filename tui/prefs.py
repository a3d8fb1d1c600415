"""The operator's own preferences, applied when the console starts: a keymap file and a
Textual theme (`miteam tui --theme NAME`).

    ~/.config/miteam/keymap.toml       (platformdirs.user_config_dir("miteam"))
    [keys]
    "miteam.why" = "y"                 # a binding id (tui/keys.py) = Textual key names
    "miteam.switch" = "x,space"        # several keys: comma-separated

A file that cannot be used is never half applied: the console starts with its own keys
and says, in the status line, which file and line is wrong and why (also in the log).
"""

from __future__ import annotations

import logging
import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.keys import Keys, _character_to_key, _normalize_key_list

from rules.cli.trust import require_strict
from rules.errors import BadInput

from . import keys
from .words import t

if TYPE_CHECKING:
    from textual.app import App

SECTION = "keys"
PREFIX = "miteam."
_log = logging.getLogger(__name__)

# Key names Textual knows: its named keys, the names of punctuation ("question_mark"),
# and any single character; with modifiers in front ("ctrl+shift+x").
MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
NAMED = {k.value.split("+")[-1] for k in Keys if not k.value.startswith("<")} \
    | {_character_to_key(c) for c in string.punctuation}
# Keys the lists and Textual keep for themselves (no binding id): a binding moved onto
# one of them would never fire where it matters.
RESERVED = {"up": "tui_keymap_moves", "down": "tui_keymap_moves", "j": "tui_keymap_moves",
            "k": "tui_keymap_moves", "pageup": "tui_keymap_moves",
            "pagedown": "tui_keymap_moves", "home": "tui_keymap_moves",
            "end": "tui_keymap_moves", "ctrl+q": "tui_keymap_quits",
            "ctrl+c": "tui_keymap_quits"}


def keymap_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("miteam", appauthor=False)) / "keymap.toml"


def shown_path(path: Path) -> str:
    """`~/...` for a path in the home directory (help and messages stay short)."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass
class Keymap:
    bindings: dict[str, str] = field(default_factory=dict)  # binding id -> Textual keys
    problem: str | None = None  # why the file was not applied, in the operator's language


class _Bad(Exception):
    def __init__(self, line: int | None, message: str, **values: object) -> None:
        super().__init__(message)
        self.line, self.message, self.values = line, message, values


def load_keymap(lang: str, path: Path | None = None) -> Keymap:
    """The keymap file's bindings (none when there is no file), or its problem."""
    path = path or keymap_path()
    if not path.exists():
        return Keymap()
    try:
        # Keys decide what `space` or `enter` does to a license: a file others may write
        # is refused, as the config file is (StrictModes, rules/cli/trust.py).
        require_strict([path], lang)
    except BadInput as exc:
        return Keymap(problem=t("tui_keymap_refused", lang, problem=exc))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Keymap()
    except (OSError, UnicodeDecodeError) as exc:
        return Keymap(problem=_said(lang, path, None, t("tui_keymap_unreadable", lang,
                                                         error=getattr(exc, "strerror", None)
                                                         or exc)))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 3, column 7)": the line is in its words already.
        return Keymap(problem=_said(lang, path, None, t("tui_keymap_syntax", lang,
                                                         error=exc)))
    try:
        return Keymap(bindings=_bindings(data, text))
    except _Bad as bad:
        return Keymap(problem=_said(lang, path, bad.line, t(bad.message, lang, **bad.values)))


def _said(lang: str, path: Path, line: int | None, problem: str) -> str:
    where = shown_path(path) if line is None else f"{shown_path(path)}:{line}"
    return t("tui_keymap_bad", lang, where=where, problem=problem)


def _bindings(data: dict, text: str) -> dict[str, str]:
    lines = text.splitlines()
    for name, value in data.items():
        if name != SECTION:
            raise _Bad(_line(lines, name, section=isinstance(value, dict)),
                       "tui_keymap_section", name=name)
    table = data.get(SECTION, {})
    if not isinstance(table, dict):
        raise _Bad(_line(lines, SECTION), "tui_keymap_section", name=SECTION)
    # `miteam.why = "y"` without quotes is a dotted key to TOML: {"miteam": {"why": "y"}}
    dotted = table.get(PREFIX[:-1])
    entries = [(k, v) for k, v in table.items() if k != PREFIX[:-1] or not isinstance(v, dict)]
    if isinstance(dotted, dict):
        entries += [(PREFIX + k, v) for k, v in dotted.items()]
    out: dict[str, str] = {}
    for raw, value in entries:
        line = _line(lines, raw)
        key_id = raw.removeprefix(PREFIX)
        if key_id not in keys.KEYS:
            raise _Bad(line, "tui_keymap_unknown_id", id=raw, example=f"{PREFIX}why")
        if not isinstance(value, str) or not value.strip():
            raise _Bad(line, "tui_keymap_not_text", id=raw)
        names = [part.strip() for part in value.split(",")]
        for name in names:
            if not _is_key(name):
                raise _Bad(line, "tui_keymap_bad_key", name=name)
            if name in RESERVED:
                raise _Bad(line, RESERVED[name], name=name)
        out[PREFIX + key_id] = ",".join(names)
    _check_clashes(out, lines)
    return out


def _is_key(name: str) -> bool:
    *mods, base = name.split("+")
    if not base or any(m not in MODIFIERS for m in mods):
        return False
    return base in NAMED or (len(base) == 1 and base.isprintable() and not base.isspace())


def _keys_of(key_id: str, keymap: dict[str, str]) -> set[str]:
    """The keys of a binding, in Textual's long names ("?" is "question_mark")."""
    text = keymap.get(PREFIX + key_id, keys.KEYS[key_id].key)
    return set(_normalize_key_list(text).split(","))


def _check_clashes(keymap: dict[str, str], lines: list[str]) -> None:
    """Two bindings on one key: one of them would never fire. Bindings that share their
    default key already (`o`: Orders from anywhere and from a home place) may share."""
    for bound in keymap:
        key_id = bound.removeprefix(PREFIX)
        mine = _keys_of(key_id, keymap)
        for other in keys.KEYS:
            if other == key_id or _keys_of(other, {}) & _keys_of(key_id, {}):
                continue
            shared = mine & _keys_of(other, keymap)
            if shared:
                written = next(n for n in keymap[bound].split(",")
                               if _normalize_key_list(n) in shared)  # as the file has it
                raise _Bad(_line(lines, bound.removeprefix(PREFIX)), "tui_keymap_clash",
                           name=written, other=PREFIX + other)


def _line(lines: list[str], name: str, section: bool = False) -> int | None:
    """The line that writes `name` (a key, or a [section]), for the message."""
    pattern = (re.compile(rf"^\s*\[\s*[\"']?{re.escape(name)}[\"']?\s*[\].]") if section else
               re.compile(rf"^\s*[\"']?(?:{re.escape(PREFIX)})?{re.escape(name)}[\"']?\s*="))
    return next((i for i, line in enumerate(lines, 1) if pattern.search(line)), None)


# The theme --------------------------------------------------------------------------
# `miteam tui --theme NAME` chooses it before the app exists (the replay and the
# recording build their own app); every console applies it when it mounts.
_theme: list[str] = []


def themes() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def choose_theme(name: str | None, lang: str) -> None:
    """The theme the next console starts with (None: Textual's default). An unknown
    name is bad input (exit 2), listing the themes there are."""
    _theme.clear()
    if name is None:
        return
    if name not in themes():
        raise BadInput(t("tui_unknown_theme", lang, name=name, themes=", ".join(themes())))
    _theme.append(name)


def apply(app: App, lang: str) -> None:
    """The chosen theme and the keymap file, on a console that has just mounted."""
    if _theme:
        app.theme = _theme[0]
    keymap = load_keymap(lang)
    if keymap.problem is not None:
        _log.warning("%s", keymap.problem)
        # In the status line of the first place, once it is there (a place starts with
        # an empty status line when it mounts).
        app.call_after_refresh(app.notify, keymap.problem, severity="warning")
    elif keymap.bindings:
        app.set_keymap(keymap.bindings)


def key_shown(app: App, key: keys.Key) -> str:
    """How help shows a key: as the keymap moved it, else as tui/keys.py writes it."""
    # The keymap as set_keymap normalised it (Textual is pinned: pyproject.toml).
    moved = app._keymap.get(PREFIX + key.id)
    if not moved:
        return key.display
    from textual.binding import Binding

    return ",".join(app.get_key_display(Binding(k, key.action)) for k in moved.split(","))
