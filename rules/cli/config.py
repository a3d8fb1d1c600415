"""The service account's own configuration: `~/.config/miteam/config.toml`.

    db = "/srv/miteam/miteam.json"     # the database (default: the data directory's),
                                       # or "postgresql://miteam@db.example.net/licensing"
    rules = "/srv/miteam/policy"       # a rules directory or file, or a list of them
    lang = "de"                        # the default language of messages

Only the account that runs `miteam` reads it (the service account, for SSH logins), so the
policy in force is the administrator's, never a caller's `--rules`. Relative paths are
relative to the file's directory. The file itself is held to StrictModes like the files
it names.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ..errors import BadInput
from ..i18n import t
from ..records.postgres.connect import is_url
from ..schema import LANGUAGES
from .trust import require_strict

KEYS = ("db", "rules", "lang")


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # None: there is no config file
    db: Path | str | None = None  # a file, or a postgresql:// URL
    rules: list[Path] | None = None
    lang: str | None = None


def config_path() -> Path:
    return Path(platformdirs.user_config_dir("miteam", appauthor=False)) / "config.toml"


def load(lang: str, path: Path | None = None) -> Config:
    """The config file's settings; an absent file is no settings. A malformed one is
    refused (exit 2) naming the file and what is wrong."""
    path = path or config_path()
    if not path.is_file():
        return Config()
    require_strict([path], lang)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(t("config_bad", lang, path=path, problem=exc)) from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise BadInput(t("config_bad", lang, path=path, problem=t(
            "config_unknown_key", lang, name=unknown[0], names=", ".join(KEYS))))

    def a_path(key: str, value: object) -> Path:
        if not isinstance(value, str) or not value:
            raise BadInput(t("config_bad", lang, path=path,
                             problem=t("config_not_path", lang, name=key)))
        p = Path(value).expanduser()
        return p if p.is_absolute() else path.parent / p

    db: Path | str | None = None
    if "db" in data:  # a file, or a PostgreSQL server's URL (kept as written)
        db = data["db"] if is_url(data["db"]) else a_path("db", data["db"])
    rules = None
    if "rules" in data:
        value = data["rules"]
        rules = [a_path("rules", v) for v in (value if isinstance(value, list) else [value])]
    conf_lang = data.get("lang")
    if conf_lang is not None and conf_lang not in LANGUAGES:
        raise BadInput(t("config_bad", lang, path=path, problem=t(
            "config_bad_lang", lang, value=conf_lang, langs=", ".join(LANGUAGES))))
    return Config(path, db, rules, conf_lang)
