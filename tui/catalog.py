"""The console's own words, English and German (the core's stay in `rules/i18n.py`).

`tui.words.t` looks a key up here first, then in the core's catalog: the console's
screens, keys and messages belong to the console (a test holds that every key has every
language).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str | dict[str, str]]] = {
    # The console (tui/): places, columns, keys, dialogs
    "tui_partners": {"en": "Partners", "de": "Partner"},
    "tui_accounts": {"en": "Accounts", "de": "Konten"},
    "tui_account_information": {"en": "Account Information", "de": "Kontoinformationen"},
    "tui_dashboard": {"en": "Dashboard", "de": "Dashboard"},
    "tui_users": {"en": "Users", "de": "Benutzer"},
    "tui_user": {"en": "User", "de": "Benutzer"},
    "tui_products_and_licenses": {"en": "Products and Licenses", "de": "Produkte und Lizenzen"},
    "tui_billing": {"en": "Billing", "de": "Abrechnung"},
    "tui_orders": {"en": "Orders", "de": "Bestellungen"},
    "tui_audit": {"en": "Audit", "de": "Protokoll"},
    "tui_history": {"en": "License history", "de": "Lizenzverlauf"},
    "tui_help": {"en": "Help: keys", "de": "Hilfe: Tasten"},
    "tui_kind_account": {"en": "Account", "de": "Konto"},
    "tui_kind_user": {"en": "User", "de": "Benutzer"},
    "tui_kind_order": {"en": "Order", "de": "Bestellung"},
    "tui_role_support": {"en": "support", "de": "Support"},
    "tui_role_partner": {"en": "partner", "de": "Partner"},
    "tui_role_account_admin": {"en": "account admin", "de": "Kontoadministrator"},
    "tui_col_partner": {"en": "Partner", "de": "Partner"},
    "tui_col_company": {"en": "Company", "de": "Firma"},
    "tui_col_id": {"en": "ID", "de": "Kennung"},
    "tui_col_name": {"en": "Name", "de": "Name"},
    "tui_col_account": {"en": "Account", "de": "Konto"},
    "tui_col_assigned": {"en": "Assigned", "de": "Zugew."},
    "tui_col_available": {"en": "Available", "de": "Verfügbar"},
    "tui_col_order": {"en": "Order", "de": "Bestellung"},
    "tui_col_quantity": {"en": "Qty", "de": "Anz."},
    "tui_col_state": {"en": "State", "de": "Status"},
    "tui_col_expires": {"en": "Expires", "de": "Läuft ab"},
    "tui_col_stored": {"en": "Stored", "de": "Gespeichert"},
    "tui_col_when": {"en": "When (UTC)", "de": "Wann (UTC)"},
    "tui_col_who": {"en": "Who", "de": "Wer"},
    "tui_col_operation": {"en": "Operation", "de": "Vorgang"},
    "tui_col_target": {"en": "Target", "de": "Ziel"},
    "tui_col_change": {"en": "Change", "de": "Änderung"},
    "tui_col_rule": {"en": "Rule", "de": "Regel"},
    "tui_email": {"en": "E-mail", "de": "E-Mail"},
    "tui_of": {"en": "of", "de": "von"},
    "tui_over": {"en": "over", "de": "über"},
    "tui_empty": {"en": "Nothing here", "de": "Keine Einträge"},
    "tui_loading": {"en": "Loading …", "de": "Wird geladen …"},
    "tui_no_orders": {"en": "No orders assigned (or none you may see)",
                      "de": "Keine Bestellungen zugewiesen (oder keine für Sie sichtbar)"},
    "tui_no_history": {"en": "No license changes recorded",
                       "de": "Keine Lizenzänderungen protokolliert"},
    "tui_no_toggle": {"en": "(no toggle)", "de": "(kein Schalter)"},
    "tui_not_switchable": {"en": "not switchable (w: why)",
                           "de": "nicht umschaltbar (w: warum)"},
    "tui_stored_license": {"en": "stored license", "de": "gespeicherte Lizenz"},
    "tui_decided_by": {"en": "decided by rule", "de": "entschieden durch Regel"},
    "tui_filter_all": {"en": "All", "de": "Alle"},
    "tui_filter_unassigned": {"en": "Unassigned", "de": "Nicht zugewiesen"},
    "tui_filter_expiring": {"en": "Expiring", "de": "Laufen ab"},
    "tui_filter_expired": {"en": "Expired", "de": "Abgelaufen"},
    "tui_filter_placeholder": {"en": "Filter: type to narrow the list, enter keeps it, "
                                     "escape clears it",
                               "de": "Filter: tippen grenzt die Liste ein, Enter behält ihn, "
                                     "Escape löscht ihn"},
    "tui_palette_placeholder": {"en": "Jump to an account, user or order by name or id…",
                                "de": "Zu Konto, Benutzer oder Bestellung springen "
                                      "(Name oder Kennung)…"},
    "tui_cmd_home": {"en": "Home", "de": "Start"},
    "tui_cmd_orders": {"en": "Billing › Orders", "de": "Abrechnung › Bestellungen"},
    "tui_cmd_audit": {"en": "Audit", "de": "Protokoll"},
    "tui_cmd_help": {"en": "Help: keys", "de": "Hilfe: Tasten"},
    # The license report place and the start screen's attention line (issue 12)
    "tui_cmd_report": {"en": "Report: licenses", "de": "Bericht: Lizenzen"},
    "tui_report": {"en": "License report", "de": "Lizenzbericht"},
    "tui_col_total": {"en": "Total", "de": "Gesamt"},
    "tui_col_attention": {"en": "Attention", "de": "Hinweis"},
    "tui_col_shown": {"en": "Shown", "de": "Angezeigt"},
    "tui_col_after_expiry": {"en": "After expiry", "de": "Nach Ablauf"},
    "tui_report_differs": {"en": "Stored ≠ shown", "de": "Gespeichert ≠ angezeigt"},
    "tui_report_micollab": {"en": "Set by the MiCollab server",
                            "de": "Vom MiCollab-Server gesetzt"},
    "tui_report_expiring": {"en": "Orders expiring within {days} days",
                            "de": "Innerhalb von {days} Tagen ablaufende Bestellungen"},
    "tui_report_over_after": {"en": "over-allocated after expiry ({keeps} left)",
                              "de": "nach Ablauf überbelegt ({keeps} übrig)"},
    "tui_report_will_be_over": {
        "en": "over-allocated: {assigned} assigned, {keeps} left",
        "de": "überbelegt: {assigned} zugewiesen, {keeps} übrig"},
    "tui_report_keeps": {"en": "{assigned} assigned, {keeps} left",
                         "de": "{assigned} zugewiesen, {keeps} übrig"},
    "tui_report_unassigned": {"en": "not assigned to an account",
                              "de": "keinem Konto zugewiesen"},
    "tui_attention_over_allocated": {
        "en": {"one": "{count} account over-allocated",
               "other": "{count} accounts over-allocated"},
        "de": {"one": "{count} Konto überbelegt", "other": "{count} Konten überbelegt"}},
    "tui_attention_over_after_expiry": {
        "en": {"one": "{count} account over-allocated once orders expire",
               "other": "{count} accounts over-allocated once orders expire"},
        "de": {"one": "{count} Konto nach Ablauf von Bestellungen überbelegt",
               "other": "{count} Konten nach Ablauf von Bestellungen überbelegt"}},
    "tui_attention_expiring": {
        "en": {"one": "{count} order expires within {days} days",
               "other": "{count} orders expire within {days} days"},
        "de": {"one": "{count} Bestellung läuft innerhalb von {days} Tagen ab",
               "other": "{count} Bestellungen laufen innerhalb von {days} Tagen ab"}},
    "tui_attention_stored_differs": {
        "en": {"one": "{count} user stored ≠ shown", "other": "{count} users stored ≠ shown"},
        "de": {"one": "{count} Benutzer gespeichert ≠ angezeigt",
               "other": "{count} Benutzer gespeichert ≠ angezeigt"}},
    "tui_attention_hint": {"en": "(r: report)", "de": "(r: Bericht)"},
    "tui_readonly_marker": {"en": "READ-ONLY", "de": "SCHREIBGESCHÜTZT"},
    "tui_rules_error_marker": {"en": "RULES ERROR", "de": "REGELFEHLER"},
    "tui_rules_reloaded": {"en": "Rule files changed: the new rules are in force",
                           "de": "Regeldateien geändert: die neuen Regeln gelten"},
    # The database server went away and came back (PostgreSQL: `{server}` names it).
    "tui_db_lost": {
        "en": "The database server cannot be reached; what you see may be out of date and "
              "changes are not saved until it is back. Retrying.\n{error}",
        "de": "Der Datenbankserver ist nicht erreichbar; die Anzeige kann veraltet sein, und "
              "Änderungen werden erst gespeichert, wenn er zurück ist. Neuer Versuch läuft.\n"
              "{error}",
    },
    "tui_db_back": {"en": "Connected to {server} again: showing the current state",
                    "de": "Wieder mit {server} verbunden: die Anzeige ist aktuell"},
    "tui_rules_error": {
        "en": "A rule file has an error; the last good rules stay in force.\n{error}",
        "de": "Eine Regeldatei ist fehlerhaft; die letzten gültigen Regeln gelten weiter.\n"
              "{error}",
    },
    "tui_press_w": {"en": "w: why (the rules' reasoning)", "de": "w: warum (die Begründung "
                                                                 "der Regeln)"},
    "tui_license_switched": {"en": "{name} ({id}): MiTeam Meetings license {value}",
                             "de": "{name} ({id}): MiTeam Meetings-Lizenz {value}"},
    "tui_integration_switched": {"en": "{account}: {integration} {value}",
                                 "de": "{account}: {integration} {value}"},
    "tui_order_assigned": {"en": "Order {order} assigned to {account}",
                           "de": "Bestellung {order} an {account} zugewiesen"},
    "tui_confirm_integration": {"en": "{account}: switch the {integration} {value}?",
                                "de": "{account}: {integration} auf {value} schalten?"},
    "tui_confirm_license": {"en": "{id}: switch the MiTeam Meetings license {value}?",
                            "de": "{id}: MiTeam Meetings-Lizenz auf {value} schalten?"},
    "tui_confirm_button": {"en": "Switch {value}", "de": "{value} schalten"},
    "tui_cancel": {"en": "Cancel", "de": "Abbrechen"},
    "tui_no_license_changes": {"en": "No user's license changes.",
                               "de": "Die Lizenz keines Benutzers ändert sich."},
    "tui_and_more": {"en": "and {count} more", "de": "und {count} weitere"},
    "tui_assign": {"en": "Assign", "de": "Zuweisen"},
    "tui_assign_title": {"en": "Assign order {order} · {quantity} licenses · {state}",
                         "de": "Bestellung {order} zuweisen · {quantity} Lizenzen · {state}"},
    "tui_assign_search": {"en": "Customer account (type the company name):",
                          "de": "Kundenkonto (Firmennamen eingeben):"},
    "tui_assign_placeholder": {"en": "company name or id", "de": "Firmenname oder Kennung"},
    "tui_assign_pick": {"en": "Pick the customer account (↑ ↓, enter).",
                        "de": "Kundenkonto wählen (↑ ↓, Enter)."},
    "tui_assign_confirm": {"en": "Assign all licenses of {order} to {account}? "
                                 "Enter confirms.",
                           "de": "Alle Lizenzen von {order} an {account} zuweisen? "
                                 "Enter bestätigt."},
    "tui_why_title": {"en": "Why? The rules' reasoning", "de": "Warum? Die Begründung der Regeln"},
    "tui_why_shows": {"en": "What Products and Licenses shows",
                      "de": "Was Produkte und Lizenzen anzeigt"},
    "tui_why_switch": {"en": "Switching the license {value}",
                       "de": "Die Lizenz auf {value} schalten"},
    "tui_why_integration": {"en": "Switching the {integration} {value}",
                            "de": "{integration} auf {value} schalten"},
    "tui_why_follows": {"en": "What would follow", "de": "Was daraus folgen würde"},
    "tui_why_assign": {"en": "Order {order} to account {account}",
                       "de": "Bestellung {order} an Konto {account}"},
    "tui_why_assign_rules": {"en": "Assigning the order", "de": "Die Bestellung zuweisen"},
    "tui_why_pick_account": {"en": "Press a (Assign) and pick an account: the rules answer "
                                   "for that account",
                             "de": "Drücken Sie a (Zuweisen) und wählen Sie ein Konto: die "
                                   "Regeln antworten für dieses Konto"},
    "tui_close_hint": {"en": "↑ ↓ scroll · esc close", "de": "↑ ↓ blättern · Esc schließt"},
    "tui_help_everywhere": {"en": "Everywhere", "de": "Überall"},
    "tui_help_lists": {"en": "Lists", "de": "Listen"},
    "tui_help_licenses": {"en": "Accounts and users", "de": "Konten und Benutzer"},
    "tui_help_orders": {"en": "Billing › Orders", "de": "Abrechnung › Bestellungen"},
    "tui_help_audit": {"en": "Audit", "de": "Protokoll"},
    # The Audit place: its filter bar and revert (issue 12)
    "tui_audit_filter_placeholder": {
        "en": "account: user: operator: operation: rule: since:YYYY-MM-DD until: · enter",
        "de": "konto: benutzer: von: vorgang: regel: seit:JJJJ-MM-TT bis: · Eingabe"},
    "tui_revert_title": {"en": "Revert #{seq}?", "de": "#{seq} zurücknehmen?"},
    "tui_revert_actions": {
        "en": {"one": "{count} action (↑ ↓ scroll)", "other": "{count} actions (↑ ↓ scroll)"},
        "de": {"one": "{count} Aktion (↑ ↓ blättern)",
               "other": "{count} Aktionen (↑ ↓ blättern)"}},
    "tui_revert_confirm": {"en": "Revert", "de": "Zurücknehmen"},
    "tui_revert_whole": {
        "en": "#{seq} followed from #{cause}: the whole operation is reverted",
        "de": "#{seq} folgte aus #{cause}: der ganze Vorgang wird zurückgenommen"},
    "tui_revert_refused": {"en": "Revert #{seq}: refused by today's rules",
                           "de": "#{seq} zurücknehmen: von den heutigen Regeln abgelehnt"},
    "tui_revert_would": {"en": "What the revert would do", "de": "Was die Rücknahme täte"},
    "tui_revert_nothing": {
        "en": "#{seq}: nothing to revert, everything is as it was before it",
        "de": "#{seq}: nichts zurückzunehmen, alles ist wie vor diesem Eintrag"},
    "tui_reverted": {"en": "#{seq} reverted (new entries {entries})",
                     "de": "#{seq} zurückgenommen (neue Einträge {entries})"},
    "tui_revert_of": {"en": "revert of #{seq}", "de": "Rücknahme von #{seq}"},
    "tui_help_move": {"en": "Moving", "de": "Bewegen"},
    "tui_help_mouse": {"en": "The mouse works too: click selects, double-click opens, "
                             "the wheel scrolls.",
                       "de": "Die Maus geht auch: Klick wählt, Doppelklick öffnet, "
                             "das Rad blättert."},
    "tui_help_readonly": {"en": "This console is read-only: no key changes anything.",
                          "de": "Diese Konsole ist schreibgeschützt: keine Taste ändert etwas."},
    "key_quit": {"en": "Quit", "de": "Ende"},
    "key_quit_help": {"en": "quit the console", "de": "die Konsole beenden"},
    "key_help": {"en": "Help", "de": "Hilfe"},
    "key_help_help": {"en": "this help: every key", "de": "diese Hilfe: alle Tasten"},
    "key_palette": {"en": "Jump", "de": "Suchen"},
    "key_palette_help": {"en": "jump to an account, user or order (name or id)",
                         "de": "zu Konto, Benutzer oder Bestellung springen (Name, Kennung)"},
    "key_home": {"en": "Home", "de": "Start"},
    "key_home_help": {"en": "back to where you started", "de": "zurück zum Start"},
    "key_orders": {"en": "Orders", "de": "Bestellungen"},
    "key_orders_help": {"en": "Billing › Orders", "de": "Abrechnung › Bestellungen"},
    "key_audit": {"en": "Audit", "de": "Protokoll"},
    "key_audit_help": {"en": "the audit trail (of this account, on an account or user)",
                       "de": "das Protokoll (dieses Kontos, bei Konto oder Benutzer)"},
    "key_report": {"en": "Report", "de": "Bericht"},
    "key_report_help": {"en": "the license report: what needs attention",
                        "de": "der Lizenzbericht: was Aufmerksamkeit braucht"},
    "key_audit_filter": {"en": "Filter", "de": "Filter"},
    "key_audit_filter_help": {
        "en": "filter by account, user, operator, operation, rule, dates",
        "de": "filtern: Konto, Benutzer, Bediener, Vorgang, Regel, Datum"},
    "key_revert": {"en": "Revert", "de": "Zurücknehmen"},
    "key_revert_help": {"en": "revert the selected change (a preview first)",
                        "de": "die gewählte Änderung zurücknehmen (zuerst eine Vorschau)"},
    "key_refresh": {"en": "Refresh", "de": "Aktualisieren"},
    "key_refresh_help": {"en": "ask the core again now", "de": "jetzt neu laden"},
    "key_open": {"en": "Open", "de": "Öffnen"},
    "key_open_help": {"en": "open the selected row", "de": "die gewählte Zeile öffnen"},
    "key_back": {"en": "Back", "de": "Zurück"},
    "key_back_help": {"en": "back one place (or close a dialog)",
                      "de": "eine Ebene zurück (oder Dialog schließen)"},
    "key_filter": {"en": "Filter", "de": "Filter"},
    "key_filter_help": {"en": "filter the list (name, id, e-mail, state)",
                        "de": "die Liste filtern (Name, Kennung, E-Mail, Status)"},
    "key_switch": {"en": "Switch", "de": "Schalten"},
    "key_switch_help": {"en": "switch the selected user's license (or integration) on/off",
                        "de": "Lizenz (oder Integration) der gewählten Zeile ein/aus"},
    "key_why": {"en": "Why", "de": "Warum"},
    "key_why_help": {"en": "why: the rule trace behind the toggle or the refusal",
                     "de": "warum: die Regelspur hinter Schalter oder Ablehnung"},
    "key_assign": {"en": "Assign", "de": "Zuweisen"},
    "key_assign_help": {"en": "assign the selected order to a customer account",
                        "de": "die gewählte Bestellung einem Kundenkonto zuweisen"},
    "key_state": {"en": "State", "de": "Status"},
    "key_state_help": {"en": "filter orders: all / unassigned / expiring / expired",
                       "de": "Bestellungen filtern: alle / nicht zugewiesen / laufen ab / "
                             "abgelaufen"},
    "key_next": {"en": "Section", "de": "Bereich"},
    "key_next_help": {"en": "next section (shift+tab: the one before)",
                      "de": "nächster Abschnitt (Umschalt+Tab: der vorige)"},
    # Marking users and switching them together (issue 12, tui/marks.py, tui/bulk.py).
    "key_mark": {"en": "Mark", "de": "Markieren"},
    "key_mark_help": {"en": "mark or unmark the selected user (to switch many at once)",
                      "de": "den gewählten Benutzer markieren oder die Markierung aufheben "
                            "(um viele zugleich zu schalten)"},
    "key_mark_all": {"en": "All", "de": "Alle"},
    "key_mark_all_help": {"en": "mark every user the filter shows (again: unmark them)",
                          "de": "alle Benutzer markieren, die der Filter zeigt (nochmals: "
                                "Markierung aufheben)"},
    "key_bulk": {"en": "Preview", "de": "Vorschau"},
    "key_bulk_help": {"en": "users marked: preview switching all their licenses, then "
                            "confirm (Cancel has the focus)",
                      "de": "Benutzer markiert: Vorschau, wie ihre Lizenzen geschaltet "
                            "würden, dann bestätigen (Abbrechen hat den Fokus)"},
    "tui_help_marks": {"en": "Many users at once", "de": "Viele Benutzer zugleich"},
    "tui_marked": {"en": "{count} marked", "de": "{count} markiert"},
    "tui_marked_none": {"en": "The filter shows no user to mark",
                        "de": "Der Filter zeigt keinen Benutzer zum Markieren"},
    "tui_marked_shown": {
        "en": {"one": "Marked the {count} user the filter shows ({marked} marked in all)",
               "other": "Marked the {count} users the filter shows ({marked} marked in all)"},
        "de": {"one": "Den {count} Benutzer markiert, den der Filter zeigt ({marked} "
                      "markiert insgesamt)",
               "other": "Die {count} Benutzer markiert, die der Filter zeigt ({marked} "
                        "markiert insgesamt)"},
    },
    "tui_unmarked_shown": {
        "en": {"one": "Unmarked the {count} user the filter shows ({marked} marked in all)",
               "other": "Unmarked the {count} users the filter shows ({marked} marked in "
                        "all)"},
        "de": {"one": "Markierung des {count} Benutzers aufgehoben, den der Filter zeigt "
                      "({marked} markiert insgesamt)",
               "other": "Markierung der {count} Benutzer aufgehoben, die der Filter zeigt "
                        "({marked} markiert insgesamt)"},
    },
    "tui_bulk_title": {
        "en": {"one": "Switch the MiTeam Meetings license of {count} marked user {value}?",
               "other": "Switch the MiTeam Meetings licenses of {count} marked users "
                        "{value}?"},
        "de": {"one": "MiTeam Meetings-Lizenz von {count} markierten Benutzer auf {value} "
                      "schalten?",
               "other": "MiTeam Meetings-Lizenzen von {count} markierten Benutzern auf "
                        "{value} schalten?"},
    },
    "tui_bulk_hint": {"en": "w: why (the selected user) · o: switch {value} instead · "
                            "esc: cancel",
                      "de": "w: warum (gewählter Benutzer) · o: stattdessen {value} "
                            "schalten · Esc: abbrechen"},
    "tui_bulk_readonly": {"en": "This console is read-only: nothing can be changed.",
                          "de": "Diese Konsole ist schreibgeschützt: es kann nichts geändert "
                                "werden."},
    "tui_bulk_nothing": {"en": "No marked user would switch {value}: nothing to confirm.",
                         "de": "Kein markierter Benutzer würde auf {value} geschaltet: "
                               "nichts zu bestätigen."},
    "tui_bulk_previewing": {
        "en": {"one": "Previewing the license of {count} marked user…",
               "other": "Previewing the licenses of {count} marked users…"},
        "de": {"one": "Vorschau für die Lizenz von {count} markierten Benutzer…",
               "other": "Vorschau für die Lizenzen von {count} markierten Benutzern…"},
    },
    "tui_bulk_applying": {
        "en": {"one": "Switching the license of {count} user…",
               "other": "Switching the licenses of {count} users…"},
        "de": {"one": "Die Lizenz von {count} Benutzer wird geschaltet…",
               "other": "Die Lizenzen von {count} Benutzern werden geschaltet…"},
    },
    "tui_bulk_switched": {"en": "{count} switched {value}", "de": "{count} auf {value} "
                                                                   "geschaltet"},
    "tui_close": {"en": "Close", "de": "Schließen"},
    # Scenario replay and recording in the console (`miteam tui --replay/--record FILE`).
    "key_replay_next": {"en": "Next", "de": "Vor"},
    "key_replay_next_help": {"en": "replay: the next step (at the place a person would use)",
                             "de": "Wiedergabe: der nächste Schritt (dort, wo ein Mensch "
                                   "ihn täte)"},
    "key_replay_previous": {"en": "Prev", "de": "Rück"},
    "key_replay_previous_help": {"en": "replay: back one step (the records as before it)",
                                 "de": "Wiedergabe: einen Schritt zurück (die Daten wie "
                                       "davor)"},
    "key_replay_end": {"en": "End", "de": "Alle"},
    "key_replay_end_help": {"en": "replay: run every remaining step",
                            "de": "Wiedergabe: alle übrigen Schritte ausführen"},
    "key_replay_transcript": {"en": "Transcript", "de": "Mitschrift"},
    "key_replay_transcript_help": {"en": "replay: the transcript so far, every expectation",
                                   "de": "Wiedergabe: die Mitschrift bis hier, jede "
                                         "Erwartung"},
    "tui_help_replay": {"en": "Replay", "de": "Wiedergabe"},
    "tui_replay_marker": {"en": "REPLAY", "de": "WIEDERGABE"},
    "tui_replay_help": {
        "en": "Replaying {file} on a temporary database (never yours): the scenario makes "
              "the changes, no key of yours does.",
        "de": "Wiedergabe von {file} auf einer temporären Datenbank (nie Ihrer): das "
              "Szenario ändert, keine Ihrer Tasten.",
    },
    "tui_replay_title": {"en": "Replay {index}/{total} · {title}",
                         "de": "Wiedergabe {index}/{total} · {title}"},
    "tui_replay_next": {"en": "next: {step}", "de": "als Nächstes: {step}"},
    "tui_replay_keys": {"en": "n: next step · p: back a step · G: run to the end · "
                              "l: transcript",
                        "de": "n: nächster Schritt · p: Schritt zurück · G: bis zum Ende · "
                              "l: Mitschrift"},
    "tui_replay_no_steps": {"en": "this scenario has no steps",
                            "de": "dieses Szenario hat keine Schritte"},
    "tui_replay_checks_ok": {
        "en": {"one": "{count} expectation holds", "other": "{count} expectations hold"},
        "de": {"one": "{count} Erwartung erfüllt", "other": "{count} Erwartungen erfüllt"},
    },
    "tui_replay_checks_failed": {  # a status: FAIL whatever {failed} is
        "en": {"one": "{failed} of {count} expectation FAIL",
               "other": "{failed} of {count} expectations FAIL"},
        "de": {"one": "{failed} von {count} Erwartung FEHLER",
               "other": "{failed} von {count} Erwartungen FEHLER"},
    },
    "tui_replay_failure": {"en": "{text} (line {line}): expected {expected}, got {got}",
                           "de": "{text} (Zeile {line}): erwartet {expected}, erhalten {got}"},
    "tui_replay_more_failures": {"en": "… {count} more: l shows the transcript",
                                 "de": "… {count} weitere: l zeigt die Mitschrift"},
    "tui_replay_at_end": {"en": "The scenario has no more steps (p: back a step)",
                          "de": "Das Szenario hat keine Schritte mehr (p: zurück)"},
    "tui_replay_at_start": {"en": "At the start: no step to go back to",
                            "de": "Am Anfang: kein Schritt zurück"},
    "tui_replay_transcript": {"en": "Transcript", "de": "Mitschrift"},
    "tui_replay_cannot_show": {
        "en": "{operator} is not registered here: shown as {shown}",
        "de": "{operator} ist hier nicht angemeldet: gezeigt als {shown}",
    },
    "tui_replay_with_record": {
        "en": "--replay and --record cannot go together: a replay changes nothing of yours "
              "to record",
        "de": "--replay und --record gehen nicht zusammen: eine Wiedergabe ändert nichts "
              "von Ihnen, das sich aufzeichnen ließe",
    },
    "tui_record_marker": {"en": "REC", "de": "AUFNAHME"},
    "tui_record_readonly": {
        "en": "--record with --readonly would record nothing: leave out --readonly",
        "de": "--record mit --readonly zeichnet nichts auf: --readonly weglassen",
    },
    "tui_record_exists": {
        "en": "{path} exists already: name a new file (a recording never overwrites one)",
        "de": "{path} gibt es schon: eine neue Datei nennen (eine Aufzeichnung "
              "überschreibt keine)",
    },
    "tui_record_cannot_write": {"en": "cannot write {path}: {error}",
                                "de": "{path} kann nicht geschrieben werden: {error}"},
    "tui_record_saved": {
        "en": {"one": "recorded {count} step in {path}; replay it: miteam tui --replay {path}",
               "other": "recorded {count} steps in {path}; replay it: "
                        "miteam tui --replay {path}"},
        "de": {"one": "{count} Schritt in {path} aufgezeichnet; wiedergeben: "
                      "miteam tui --replay {path}",
               "other": "{count} Schritte in {path} aufgezeichnet; wiedergeben: "
                        "miteam tui --replay {path}"},
    },
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
    # The keymap file and the theme (tui/prefs.py)
    "tui_keymap_bad": {
        "en": "{where}: {problem}; the console starts with its own keys",
        "de": "{where}: {problem}; die Konsole startet mit ihren eigenen Tasten",
    },
    "tui_keymap_refused": {
        "en": "{problem}; the console starts with its own keys",
        "de": "{problem}; die Konsole startet mit ihren eigenen Tasten",
    },
    "tui_keymap_unreadable": {"en": "cannot be read ({error})",
                              "de": "nicht lesbar ({error})"},
    "tui_keymap_syntax": {"en": "not TOML: {error}", "de": "kein TOML: {error}"},
    "tui_keymap_section": {
        "en": "'{name}' is not part of a keymap: write the keys under [keys]",
        "de": "'{name}' gehört nicht in eine Tastenbelegung: die Tasten unter [keys] "
              "schreiben",
    },
    "tui_keymap_unknown_id": {
        "en": "no key has the id '{id}' (ids like {example}: README, Your keys and colours)",
        "de": "keine Taste hat die Kennung '{id}' (Kennungen wie {example}: README, "
              "Your keys and colours)",
    },
    "tui_keymap_not_text": {
        "en": "the keys of {id} must be text, e.g. \"y\" or \"ctrl+y,f5\"",
        "de": "die Tasten von {id} müssen Text sein, z. B. \"y\" oder \"ctrl+y,f5\"",
    },
    "tui_keymap_bad_key": {
        "en": "'{name}' is not a key name (e.g. y, ctrl+y, f5, space, question_mark)",
        "de": "'{name}' ist kein Tastenname (z. B. y, ctrl+y, f5, space, question_mark)",
    },
    "tui_keymap_moves": {"en": "'{name}' moves in lists and cannot be given to another key",
                         "de": "'{name}' bewegt in Listen und kann nicht vergeben werden"},
    "tui_keymap_quits": {"en": "'{name}' quits the console and cannot be given to another key",
                         "de": "'{name}' beendet die Konsole und kann nicht vergeben werden"},
    "tui_keymap_clash": {"en": "'{name}' is already the key of {other}",
                         "de": "'{name}' ist schon die Taste von {other}"},
    "tui_unknown_theme": {"en": "there is no theme '{name}'; the themes: {themes}",
                          "de": "es gibt kein Thema '{name}'; die Themen: {themes}"},
    "tui_help_prefs": {"en": "Your keys and colours", "de": "Eigene Tasten und Farben"},
    "tui_help_prefs_text": {
        "en": "  keys: {path}, e.g. [keys] \"miteam.why\" = \"y\"\n"
              "  colours: miteam tui --theme NAME (ctrl+p: themes)",
        "de": "  Tasten: {path}, z. B. [keys] \"miteam.why\" = \"y\"\n"
              "  Farben: miteam tui --theme NAME (ctrl+p: Themen)",
    },
}
