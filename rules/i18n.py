"""The product's own words (not the policy's): labels and errors, English and German.

Policy messages live in the rule files; these are the console's and the command's
strings. Every key has every language (a test holds this).
"""

from __future__ import annotations

import os

from .schema import LANGUAGES

CATALOG: dict[str, dict[str, str]] = {
    # Errors: bad input (exit 2)
    "unknown_record": {"en": "unknown {kind} '{id}'", "de": "{kind} '{id}' ist unbekannt"},
    "exists": {"en": "{kind} '{id}' exists already", "de": "{kind} '{id}' existiert bereits"},
    "bad_quantity": {
        "en": "the quantity must be a whole number of at least 1, not '{value}'",
        "de": "die Anzahl muss eine ganze Zahl ab 1 sein, nicht '{value}'",
    },
    "bad_date": {
        "en": "'{value}' is not a date; write YYYY-MM-DD",
        "de": "'{value}' ist kein Datum; schreiben Sie JJJJ-MM-TT",
    },
    "bad_id": {
        "en": "'{value}' is not a usable id: letters, digits, '-', '_' and '.' only",
        "de": "'{value}' ist keine gültige Kennung: nur Buchstaben, Ziffern, '-', '_' und '.'",
    },
    "empty_name": {"en": "the name cannot be empty", "de": "der Name darf nicht leer sein"},
    "role_needs": {
        "en": "a {role} operator needs --{field}",
        "de": "ein Operator mit der Rolle {role} braucht --{field}",
    },
    "ambiguous_account": {
        "en": "'{name}' matches several accounts: {ids}",
        "de": "'{name}' passt auf mehrere Konten: {ids}",
    },
    # Refusals outside the rules (exit 1)
    "unknown_operator": {
        "en": "operator '{login}' is not registered in this database "
              "(support can add it: miteam operator add {login} --role ...)",
        "de": "Operator '{login}' ist in dieser Datenbank nicht registriert "
              "(der Support kann ihn hinzufügen: miteam operator add {login} --role ...)",
    },
    "readonly_console": {
        "en": "this console is read-only", "de": "diese Konsole ist schreibgeschützt",
    },
    # Record kinds, as named in messages
    "kind_partner": {"en": "partner", "de": "Partner"},
    "kind_account": {"en": "account", "de": "Konto"},
    "kind_order": {"en": "order", "de": "Bestellung"},
    "kind_user": {"en": "user", "de": "Benutzer"},
    "kind_operator": {"en": "operator", "de": "Operator"},
    # Outcomes
    "done": {"en": "done", "de": "erledigt"},
    "unchanged": {"en": "unchanged (already so)", "de": "unverändert (bereits so)"},
    "on": {"en": "ON", "de": "EIN"},
    "off": {"en": "OFF", "de": "AUS"},
    "refused": {"en": "refused", "de": "abgelehnt"},
    "why": {"en": "why", "de": "warum"},
    # Labels
    "licenses": {"en": "licenses", "de": "Lizenzen"},
    "total": {"en": "total", "de": "gesamt"},
    "assigned": {"en": "assigned", "de": "zugewiesen"},
    "available": {"en": "available", "de": "verfügbar"},
    "over_allocated": {"en": "over-allocated", "de": "überbelegt"},
    "stored": {"en": "stored", "de": "gespeichert"},
    "shown": {"en": "shown", "de": "angezeigt"},
    "set_by": {"en": "set by", "de": "gesetzt von"},
    "read_only": {"en": "read-only", "de": "schreibgeschützt"},
    "disabled": {"en": "disabled", "de": "deaktiviert"},
    "editable": {"en": "switchable", "de": "umschaltbar"},
    "integration_micollab": {"en": "MiCollab integration", "de": "MiCollab-Integration"},
    "integration_miteam": {"en": "MiTeam Meetings integration",
                           "de": "MiTeam Meetings-Integration"},
    "state_unassigned": {"en": "unassigned", "de": "nicht zugewiesen"},
    "state_assigned": {"en": "assigned", "de": "zugewiesen"},
    "state_expired": {"en": "expired", "de": "abgelaufen"},
    "expiring": {"en": "expiring soon", "de": "läuft bald ab"},
    "consequence": {
        "en": "{count} license(s) switched off by rule {rule}",
        "de": "{count} Lizenz(en) durch Regel {rule} ausgeschaltet",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    entry = CATALOG[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def default_language() -> str:
    """`MITEAM_LANG`, else the first language named by LANG / LC_ALL / LANGUAGE."""
    for var in ("MITEAM_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"
