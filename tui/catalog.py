"""The console's own words, English and German (the core's stay in `rules/i18n.py`).

`tui.words.t` looks a key up here first, then in the core's catalog: the console's
screens, keys and messages belong to the console (a test holds that every key has every
language).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
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
