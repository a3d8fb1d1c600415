"""The console's own words, English and German (the core's stay in `rules/i18n.py`).

`tui.words.t` looks a key up here first, then in the core's catalog: the console's
screens, keys and messages belong to the console (a test holds that every key has every
language).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str | dict[str, str]]] = {
    # Plural forms: {"one": ..., "other": ...}, chosen by `count`.
    "tui_preview_revoke": {
        "en": {"one": "{count} MiTeam Meetings license will be switched off (rule {rule})",
               "other": "{count} MiTeam Meetings licenses will be switched off (rule {rule})"},
        "de": {"one": "{count} MiTeam Meetings-Lizenz wird ausgeschaltet (Regel {rule})",
               "other": "{count} MiTeam Meetings-Lizenzen werden ausgeschaltet "
                        "(Regel {rule})"},
    },
    "tui_preview_grant": {
        "en": {"one": "{count} MiTeam Meetings license will be switched on (rule {rule})",
               "other": "{count} MiTeam Meetings licenses will be switched on (rule {rule})"},
        "de": {"one": "{count} MiTeam Meetings-Lizenz wird eingeschaltet (Regel {rule})",
               "other": "{count} MiTeam Meetings-Lizenzen werden eingeschaltet "
                        "(Regel {rule})"},
    },
    "tui_consequence_revoke": {
        "en": {"one": "{count} license switched off by rule {rule}",
               "other": "{count} licenses switched off by rule {rule}"},
        "de": {"one": "{count} Lizenz durch Regel {rule} ausgeschaltet",
               "other": "{count} Lizenzen durch Regel {rule} ausgeschaltet"},
    },
    "tui_consequence_grant": {
        "en": {"one": "{count} license switched on by rule {rule}",
               "other": "{count} licenses switched on by rule {rule}"},
        "de": {"one": "{count} Lizenz durch Regel {rule} eingeschaltet",
               "other": "{count} Lizenzen durch Regel {rule} eingeschaltet"},
    },
    "tui_preview_users": {
        "en": {"one": "{count} user (↑ ↓ scroll)",
               "other": "{count} users (↑ ↓ scroll)"},
        "de": {"one": "{count} Benutzer (↑ ↓ blättern)",
               "other": "{count} Benutzer (↑ ↓ blättern)"},
    },
    "tui_assign_no_account": {"en": "no account may receive this order",
                              "de": "kein Konto darf diese Bestellung erhalten"},
    "tui_readonly_row": {"en": "read-only console", "de": "Konsole schreibgeschützt"},
    "tui_orders_section_space": {
        "en": "space switches users and integrations; an order is assigned in "
              "Billing › Orders (enter)",
        "de": "Leertaste schaltet Benutzer und Integrationen; eine Bestellung wird unter "
              "Abrechnung › Bestellungen zugewiesen (Eingabe)",
    },
    "tui_confirm_why": {"en": "w: why (the rules' reasoning)",
                        "de": "w: warum (die Begründung der Regeln)"},
}
