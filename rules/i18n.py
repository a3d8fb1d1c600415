"""The product's own words (not the policy's): labels and errors, English and German.

Policy messages live in the rule files; these are the console's and the command's
strings. Every key has every language (a test holds this).
"""

from __future__ import annotations

import os

from .schema import LANGUAGES

CATALOG: dict[str, dict[str, str]] = {
    # The database lock (rules/records/store/lock.py)
    "lock_waiting": {
        "en": "waiting for the database lock, held by pid {pid} ({command}) since {since}",
        "de": "warte auf die Sperre der Datenbank, gehalten von PID {pid} ({command}) "
              "seit {since}",
    },
    "lock_gave_up": {
        "en": "{path}: gave up waiting for the database lock after {seconds} s, held by "
              "pid {pid} ({command}) since {since}",
        "de": "{path}: nach {seconds} s nicht mehr auf die Sperre der Datenbank gewartet, "
              "gehalten von PID {pid} ({command}) seit {since}",
    },
    # Errors: bad input (exit 2)
    "unknown_record": {"en": "unknown {kind} '{id}'", "de": "{kind} '{id}' ist unbekannt"},
    "exists": {"en": "{kind} '{id}' exists already", "de": "{kind} '{id}' existiert bereits"},
    "bad_quantity": {
        "en": "the quantity must be a whole number from 1 to {limit}, not '{value}'",
        "de": "die Anzahl muss eine ganze Zahl von 1 bis {limit} sein, nicht '{value}'",
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
    # Tenants and text
    "text_field_name": {"en": "the name", "de": "Der Name"},
    "text_field_email": {"en": "the e-mail address", "de": "Die E-Mail-Adresse"},
    "text_control": {
        "en": "{field} holds a control character ({char} at position {pos}): "
              "only printable text is accepted",
        "de": "{field} enthält ein Steuerzeichen ({char} an Stelle {pos}): "
              "nur druckbarer Text ist erlaubt",
    },
    "text_bidi": {
        "en": "{field} holds a text direction control ({char} at position {pos}): "
              "it would make the text read differently than it is stored",
        "de": "{field} enthält ein Schreibrichtungs-Steuerzeichen ({char} an Stelle {pos}): "
              "der Text würde anders gelesen, als er gespeichert ist",
    },
    "text_too_long": {
        "en": "{field} is {length} characters long; at most {limit} are accepted",
        "de": "{field} ist {length} Zeichen lang; höchstens {limit} sind erlaubt",
    },
    "bad_email": {
        "en": "'{value}' is not an e-mail address: write name@domain, without spaces",
        "de": "'{value}' ist keine E-Mail-Adresse: name@domain schreiben, ohne Leerzeichen",
    },
    # Refusals outside the rules (exit 1)
    "unknown_operator": {
        "en": "operator '{login}' is not registered in this database "
              "(support can add it: miteam operator add {login} --role ...)",
        "de": "Operator '{login}' ist in dieser Datenbank nicht registriert "
              "(der Support kann ihn hinzufügen: miteam operator add {login} --role ...)",
    },
    # A stale edit: another console changed what this operator was looking at.
    "stale_license": {
        "en": "the {product} license of user '{user}' was changed after you looked at it: "
              "it is {now} now{by}. Nothing was changed; look again and switch if you still "
              "want to",
        "de": "die {product}-Lizenz von Benutzer '{user}' wurde geändert, nachdem Sie sie "
              "angesehen haben: sie ist jetzt {now}{by}. Es wurde nichts geändert; sehen Sie "
              "erneut nach und schalten Sie, wenn Sie es weiterhin möchten",
    },
    "stale_integration": {
        "en": "the {integration} of account '{account}' was changed after you looked at it: "
              "it is {now} now{by}. Nothing was changed; look again and switch if you still "
              "want to",
        "de": "die {integration} von Konto '{account}' wurde geändert, nachdem Sie sie "
              "angesehen haben: sie ist jetzt {now}{by}. Es wurde nichts geändert; sehen Sie "
              "erneut nach und schalten Sie, wenn Sie es weiterhin möchten",
    },
    # A sweeping change whose preview no longer holds (issue 13: S8 preview, then a change).
    "stale_preview": {
        "en": {"one": "{target} changed after its preview: it would now switch {count} "
                      "user's license ({users}). Nothing was changed; preview it again",
               "other": "{target} changed after its preview: it would now switch {count} "
                        "users' licenses ({users}). Nothing was changed; preview it again"},
        "de": {"one": "{target} hat sich seit der Vorschau geändert: jetzt würde die Lizenz "
                      "von {count} Benutzer geschaltet ({users}). Es wurde nichts geändert; "
                      "sehen Sie sich die Vorschau erneut an",
               "other": "{target} hat sich seit der Vorschau geändert: jetzt würden die "
                        "Lizenzen von {count} Benutzern geschaltet ({users}). Es wurde nichts "
                        "geändert; sehen Sie sich die Vorschau erneut an"},
    },
    "preview_digest": {
        "en": "preview {digest}: to apply exactly this, add --expect-preview {digest}",
        "de": "Vorschau {digest}: um genau dies anzuwenden, fügen Sie --expect-preview "
              "{digest} hinzu",
    },
    "stale_bulk_preview": {
        "en": "the users changed after the preview: the set would now go otherwise. Nothing "
              "was changed; preview it again",
        "de": "die Benutzer haben sich seit der Vorschau geändert: die Auswahl würde jetzt "
              "anders ausgehen. Es wurde nichts geändert; sehen Sie sich die Vorschau erneut an",
    },
    "stale_by": {"en": " (changed by {who} at {at})", "de": " (geändert von {who} am {at})"},
    "readonly_console": {
        "en": "this console is read-only", "de": "diese Konsole ist schreibgeschützt",
    },
    # Record kinds, as named in messages
    "kind_partner": {"en": "partner", "de": "Partner"},
    "kind_account": {"en": "account", "de": "Konto"},
    "kind_order": {"en": "order", "de": "Bestellung"},
    "kind_user": {"en": "user", "de": "Benutzer"},
    "kind_operator": {"en": "operator", "de": "Operator"},
    # Explanations (`miteam explain`, `--why`, the console's Why panel). Rule names, keywords
    # and message keys stay as written in the rule files.
    "x_decided_by": {"en": "decided by", "de": "entschieden durch"},
    "x_because": {"en": "because", "de": "weil"},
    "x_allowed": {"en": "allowed", "de": "erlaubt"},
    "x_refused": {"en": "refused", "de": "abgelehnt"},
    "x_matched": {"en": "matched", "de": "trifft zu"},
    "x_not_matched": {"en": "did not match", "de": "trifft nicht zu"},
    "x_applies": {"en": "applies", "de": "greift"},
    "x_not_applies": {"en": "did not apply", "de": "greift nicht"},
    "x_not_reached": {"en": "not reached", "de": "nicht erreicht"},
    "x_would_match": {"en": "(would match)", "de": "(würde zutreffen)"},
    "x_allows": {"en": "allows", "de": "erlaubt"},
    "x_refuses_because": {"en": "refuses because {message}",
                          "de": "lehnt ab, weil {message}"},
    "x_any_of": {"en": "(any of)", "de": "(eines davon)"},
    "x_all_of": {"en": "(all of)", "de": "(alle)"},
    "x_line": {"en": "line {line}", "de": "Zeile {line}"},
    "x_not_needed": {"en": "(not needed)", "de": "(nicht nötig)"},
    # Why not: the smallest change that would allow a refused switch
    "wn_head": {"en": "What would allow it (the smallest change):",
                "de": "Was es erlauben würde (die kleinste Änderung):"},
    "wn_none": {"en": "No change within this account would allow it.",
                "de": "Keine Änderung in diesem Konto würde es erlauben."},
    "wn_and": {"en": " and ", "de": " und "},
    "wn_micollab_off": {"en": "switch the MiCollab integration off",
                        "de": "die MiCollab-Integration ausschalten"},
    "wn_miteam_on": {"en": "switch the MiTeam Meetings integration on",
                     "de": "die MiTeam Meetings-Integration einschalten"},
    "wn_assign_order": {"en": "assign an order with at least {n} license(s) to this account",
                        "de": "diesem Konto eine Bestellung mit mindestens {n} Lizenz(en) "
                              "zuweisen"},
    "wn_free_license": {"en": "switch off another user's license",
                        "de": "die Lizenz eines anderen Benutzers ausschalten"},
    "wn_you_can": {"en": "you can do this", "de": "das können Sie selbst"},
    "wn_ask": {"en": "ask someone who may: to you the rules say \"{reason}\"",
               "de": "bitten Sie jemanden, der es darf: Ihnen sagen die Regeln \"{reason}\""},
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
    # Scenario transcripts (`miteam scenario run`). Steps and expectations are quoted in
    # scenario words (like rule names): only these labels are translated.
    "scenario_step": {"en": "step {number} as {operator}: {action}",
                      "de": "Schritt {number} als {operator}: {action}"},
    "scenario_checks": {"en": "checks", "de": "Prüfungen"},
    "scenario_done": {"en": "done by {rule}: {what}", "de": "erledigt durch {rule}: {what}"},
    "scenario_unchanged": {"en": "done by {rule}, unchanged (already so): {what}",
                           "de": "erledigt durch {rule}, unverändert (bereits so): {what}"},
    "scenario_dry_run": {"en": "dry run, nothing written: {rule} allows {what}",
                         "de": "Probelauf, nichts geschrieben: {rule} erlaubt {what}"},
    "scenario_refused": {"en": "refused by {rule}: {reason}",
                         "de": "abgelehnt durch {rule}: {reason}"},
    "scenario_refused_plain": {"en": "refused: {reason}", "de": "abgelehnt: {reason}"},
    "scenario_error": {"en": "error: {message}", "de": "Fehler: {message}"},
    "scenario_effect_revoke": {"en": "{rule} revoked {count} license(s)",
                               "de": "{rule} hat {count} Lizenz(en) entzogen"},
    "scenario_effect_grant": {"en": "{rule} granted {count} license(s)",
                              "de": "{rule} hat {count} Lizenz(en) erteilt"},
    "scenario_shown": {"en": "shown for {count} user(s): {before} → {after} ({rule})",
                       "de": "Anzeige für {count} Benutzer: {before} → {after} ({rule})"},
    "scenario_ok": {"en": "ok", "de": "ok"},
    "scenario_fail": {"en": "FAIL", "de": "FEHLER"},
    "scenario_expected": {"en": "expected", "de": "erwartet"},
    "scenario_got": {"en": "got", "de": "erhalten"},
    "scenario_line": {"en": "line {line}", "de": "Zeile {line}"},
    "scenario_implied": {
        "en": "line {line}: implied, as no 'expect refused' or 'expect error' follows the step",
        "de": "Zeile {line}: implizit, da dem Schritt kein 'expect refused' oder "
              "'expect error' folgt",
    },
    "scenario_step_at": {"en": "step {number} (line {line})",
                         "de": "Schritt {number} (Zeile {line})"},
    "scenario_result_ok": {
        "en": "result: {steps} step(s), {checks} expectation(s), all hold",
        "de": "Ergebnis: {steps} Schritt(e), {checks} Erwartung(en), alle erfüllt",
    },
    "scenario_result_failed": {
        "en": "result: {steps} step(s), {checks} expectation(s), {failed} failed: {where}",
        "de": "Ergebnis: {steps} Schritt(e), {checks} Erwartung(en), {failed} nicht erfüllt: "
              "{where}",
    },
    "scenario_result_start": {"en": "result: cannot start: {reason}",
                              "de": "Ergebnis: kann nicht beginnen: {reason}"},
    "scenario_start_after": {"en": "its {steps} step(s) hold",
                             "de": "seine {steps} Schritt(e) sind erfüllt"},
    "scenario_start_failed": {
        "en": "{name} does not end as it says: step {step} (line {line}) {text}: got {got}",
        "de": "{name} endet nicht wie beschrieben: Schritt {step} (Zeile {line}) {text}: "
              "erhalten {got}",
    },
    "scenario_expectation_failed": {
        "en": "step {step}: {text}: expected {expected}, got {got}",
        "de": "Schritt {step}: {text}: erwartet {expected}, erhalten {got}",
    },
    "scenario_summary": {
        "en": "{count} scenario(s): {passed} pass, {failed} fail",
        "de": "{count} Szenario(s): {passed} erfüllt, {failed} nicht erfüllt",
    },
    "scenario_well_formed": {
        "en": "{name}: well-formed, {steps} step(s), {checks} expectation(s)",
        "de": "{name}: wohlgeformt, {steps} Schritt(e), {checks} Erwartung(en)",
    },
    "scenario_diff_same": {
        "en": "{name}: no step differs from the shipped rules",
        "de": "{name}: kein Schritt weicht von den mitgelieferten Regeln ab",
    },
    "scenario_diff_changed": {
        "en": "{name}: {changed} of {steps} step(s) differ from the shipped rules",
        "de": "{name}: {changed} von {steps} Schritt(en) weichen von den mitgelieferten "
              "Regeln ab",
    },
    "scenario_diff_needs_rules": {
        "en": "--diff compares the shipped rules with others: name them with --rules DIR",
        "de": "--diff vergleicht die mitgelieferten Regeln mit anderen: nennen Sie diese "
              "mit --rules DIR",
    },
    "scenario_not_found": {
        "en": "no scenario '{name}': neither a file nor a shipped scenario "
              "(miteam scenario list)",
        "de": "kein Szenario '{name}': weder eine Datei noch ein mitgeliefertes Szenario "
              "(miteam scenario list)",
    },
    "scenario_none_in": {"en": "no .scenario files in {path}",
                         "de": "keine .scenario-Dateien in {path}"},
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
    "tui_consequence_grant": {"en": "{count} license(s) switched on by rule {rule}",
                              "de": "{count} Lizenz(en) durch Regel {rule} eingeschaltet"},
    "tui_confirm_integration": {"en": "{account}: switch the {integration} {value}?",
                                "de": "{account}: {integration} auf {value} schalten?"},
    "tui_confirm_license": {"en": "{id}: switch the MiTeam Meetings license {value}?",
                            "de": "{id}: MiTeam Meetings-Lizenz auf {value} schalten?"},
    "tui_confirm_button": {"en": "Switch {value}", "de": "{value} schalten"},
    "tui_cancel": {"en": "Cancel", "de": "Abbrechen"},
    "tui_no_license_changes": {"en": "No user's license changes.",
                               "de": "Die Lizenz keines Benutzers ändert sich."},
    "tui_preview_revoke": {"en": "{count} MiTeam Meetings license(s) will be switched off "
                                 "(rule {rule}):",
                           "de": "{count} MiTeam Meetings-Lizenz(en) werden ausgeschaltet "
                                 "(Regel {rule}):"},
    "tui_preview_grant": {"en": "{count} MiTeam Meetings license(s) will be switched on "
                                "(rule {rule}):",
                          "de": "{count} MiTeam Meetings-Lizenz(en) werden eingeschaltet "
                                "(Regel {rule}):"},
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
    "key_next": {"en": "Next", "de": "Weiter"},
    "key_next_help": {"en": "next section (shift+tab: the one before)",
                      "de": "nächster Abschnitt (Umschalt+Tab: der vorige)"},
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
    "tui_replay_checks_ok": {"en": "{count} expectation(s) hold",
                             "de": "{count} Erwartung(en) erfüllt"},
    "tui_replay_checks_failed": {"en": "{failed} of {count} expectation(s) FAIL",
                                 "de": "{failed} von {count} Erwartung(en) FEHLER"},
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
        "en": "recorded {count} step(s) in {path}; replay it: miteam tui --replay {path}",
        "de": "{count} Schritt(e) in {path} aufgezeichnet; wiedergeben: "
              "miteam tui --replay {path}",
    },
    "record_title": {"en": "Console session of {operator}, {date}",
                     "de": "Konsolensitzung von {operator}, {date}"},
    "record_comment": {"en": "Recorded in the console (miteam tui --record) as {operator}.",
                       "de": "In der Konsole aufgezeichnet (miteam tui --record) als "
                             "{operator}."},
    "record_comment_given": {
        "en": "The database was not the demo data: the records these steps read are given "
              "below.",
        "de": "Die Datenbank war nicht die Demo: die Daten, die diese Schritte lesen, "
              "folgen als given-Zeilen.",
    },
    # Daily license work (issue 12): many users at once, CSV, reports, audit search.
    "bad_where": {
        "en": "'{term}' is not a selection; use {keys}",
        "de": "'{term}' ist keine Auswahl; möglich sind {keys}",
    },
    "bad_users_file": {
        "en": "cannot read the list of users from {path}: {error}",
        "de": "die Liste der Benutzer kann nicht aus {path} gelesen werden: {error}",
    },
    "bulk_no_users": {
        "en": "no users selected: name users, --account or --from-file",
        "de": "keine Benutzer ausgewählt: nennen Sie Benutzer, --account oder --from-file",
    },
    "bulk_switched": {"en": "switched", "de": "geschaltet"},
    "bulk_removed": {"en": "removed", "de": "entfernt"},
    "bulk_would_remov": {"en": "would be removed", "de": "würde entfernt"},
    "bulk_would_switch": {"en": "would switch", "de": "würde geschaltet"},
    "bulk_unchanged": {"en": "unchanged", "de": "unverändert"},
    "bulk_refused": {"en": "refused", "de": "abgelehnt"},
    "bulk_error": {"en": "error", "de": "Fehler"},
    "bulk_group": {
        "en": {"one": "{count} user: {what}", "other": "{count} users: {what}"},
        "de": {"one": "{count} Benutzer: {what}", "other": "{count} Benutzer: {what}"},
    },
    "bulk_preview_head": {
        "en": {"one": "preview of {count} user's license:",
               "other": "preview of {count} users' licenses:"},
        "de": {"one": "Vorschau für die Lizenz von {count} Benutzer:",
               "other": "Vorschau für die Lizenzen von {count} Benutzern:"},
    },
    "bulk_done_head": {
        "en": {"one": "{count} user's license:", "other": "{count} users' licenses:"},
        "de": {"one": "Lizenz von {count} Benutzer:", "other": "Lizenzen von {count} Benutzern:"},
    },
    "bulk_users_preview": {
        "en": {"one": "preview of {count} user:", "other": "preview of {count} users:"},
        "de": {"one": "Vorschau für {count} Benutzer:", "other": "Vorschau für {count} Benutzer:"},
    },
    "bulk_users_done": {
        "en": {"one": "{count} user:", "other": "{count} users:"},
        "de": {"one": "{count} Benutzer:", "other": "{count} Benutzer:"},
    },
    "bulk_withheld": {
        "en": {"one": "nothing was changed: {count} user would be refused (--all-or-nothing)",
               "other": "nothing was changed: {count} users would be refused "
                        "(--all-or-nothing)"},
        "de": {"one": "es wurde nichts geändert: {count} Benutzer würde abgelehnt "
                      "(--all-or-nothing)",
               "other": "es wurde nichts geändert: {count} Benutzer würden abgelehnt "
                        "(--all-or-nothing)"},
    },
    "report_accounts": {
        "en": {"one": "{count} account:", "other": "{count} accounts:"},
        "de": {"one": "{count} Konto:", "other": "{count} Konten:"},
    },
    "report_over_after_expiry": {
        "en": "over-allocated once its expiring orders expire ({keeps} left)",
        "de": "überbelegt, sobald die bald ablaufenden Bestellungen ablaufen ({keeps} übrig)",
    },
    "report_differs": {
        "en": {"one": "{count} user whose stored license differs from what the screen shows:",
               "other": "{count} users whose stored license differs from what the screen "
                        "shows:"},
        "de": {"one": "{count} Benutzer, dessen gespeicherte Lizenz von der Anzeige abweicht:",
               "other": "{count} Benutzer, deren gespeicherte Lizenz von der Anzeige "
                        "abweicht:"},
    },
    "report_shown": {"en": "shown", "de": "angezeigt"},
    "report_micollab": {
        "en": {"one": "{count} user whose license the MiCollab server set:",
               "other": "{count} users whose license the MiCollab server set:"},
        "de": {"one": "{count} Benutzer, dessen Lizenz der MiCollab-Server gesetzt hat:",
               "other": "{count} Benutzer, deren Lizenz der MiCollab-Server gesetzt hat:"},
    },
    "report_expiring": {
        "en": {"one": "{count} order expiring soon:", "other": "{count} orders expiring soon:"},
        "de": {"one": "{count} bald ablaufende Bestellung:",
               "other": "{count} bald ablaufende Bestellungen:"},
    },
    "import_empty": {"en": "{path} is empty: it needs a header (id,name,email,miteam)",
                     "de": "{path} ist leer: es braucht eine Kopfzeile (id,name,email,miteam)"},
    "import_bad_csv": {"en": "{path}:{line}: not a CSV table: {error}",
                       "de": "{path}:{line}: keine CSV-Tabelle: {error}"},
    "import_header": {
        "en": "{path}:1: the header has no {missing} column; write {columns}",
        "de": "{path}:1: der Kopfzeile fehlt die Spalte {missing}; schreiben Sie {columns}",
    },
    "import_bad_switch": {"en": "miteam is on, off or empty, not '{value}'",
                          "de": "miteam ist on, off oder leer, nicht '{value}'"},
    "import_no_id": {"en": "no id", "de": "keine ID"},
    "import_twice": {"en": "the same id as line {line}", "de": "dieselbe ID wie Zeile {line}"},
    "import_elsewhere": {"en": "a user with this id exists in another account",
                         "de": "ein Benutzer mit dieser ID existiert in einem anderen Konto"},
    "import_differs": {
        "en": "exists with another {fields} (an import does not rename users)",
        "de": "existiert mit anderem Wert für {fields} (ein Import benennt nicht um)",
    },
    "import_stale": {
        "en": "the account changed after the preview (line {line}: {reason}). Nothing was "
              "changed; import again",
        "de": "das Konto hat sich seit der Vorschau geändert (Zeile {line}: {reason}). Es "
              "wurde nichts geändert; importieren Sie erneut",
    },
    "import_status_new": {"en": "new", "de": "neu"},
    "import_status_changed": {"en": "changed", "de": "geändert"},
    "import_status_unchanged": {"en": "unchanged", "de": "unverändert"},
    "import_status_error": {"en": "error", "de": "Fehler"},
    "import_line": {"en": "line {line}", "de": "Zeile {line}"},
    "import_summary": {
        "en": {"one": "{count} row: {new} new, {changed} changed, {unchanged} unchanged, "
                      "{errors} in error",
               "other": "{count} rows: {new} new, {changed} changed, {unchanged} unchanged, "
                        "{errors} in error"},
        "de": {"one": "{count} Zeile: {new} neu, {changed} geändert, {unchanged} "
                      "unverändert, {errors} fehlerhaft",
               "other": "{count} Zeilen: {new} neu, {changed} geändert, {unchanged} "
                        "unverändert, {errors} fehlerhaft"},
    },
    "import_not_written": {
        "en": {"one": "nothing was written: {count} row is in error (fix it, or "
                      "--skip-errors)",
               "other": "nothing was written: {count} rows are in error (fix them, or "
                        "--skip-errors)"},
        "de": {"one": "es wurde nichts geschrieben: {count} Zeile ist fehlerhaft (beheben "
                      "Sie sie, oder --skip-errors)",
               "other": "es wurde nichts geschrieben: {count} Zeilen sind fehlerhaft "
                        "(beheben Sie sie, oder --skip-errors)"},
    },
    "import_dry_run": {"en": "dry run: nothing was written",
                       "de": "Probelauf: es wurde nichts geschrieben"},
    "revert_unknown": {"en": "no audit entry #{seq}", "de": "kein Protokolleintrag #{seq}"},
    "revert_cannot": {
        "en": "entry #{seq} ({operation}) has no inverse operation: it cannot be reverted",
        "de": "Eintrag #{seq} ({operation}) hat keine Umkehrung: er kann nicht "
              "zurückgenommen werden",
    },
    "revert_head": {
        "en": {"one": "revert of #{seq} ({operation} {target}): {count} action",
               "other": "revert of #{seq} ({operation} {target}): {count} actions"},
        "de": {"one": "Rücknahme von #{seq} ({operation} {target}): {count} Aktion",
               "other": "Rücknahme von #{seq} ({operation} {target}): {count} Aktionen"},
    },
    "revert_done": {"en": "reverted", "de": "zurückgenommen"},
    "revert_would": {"en": "dry run: nothing was written",
                     "de": "Probelauf: es wurde nichts geschrieben"},
    "revert_withheld": {
        "en": "nothing was reverted: a part of it is refused by today's rules",
        "de": "nichts wurde zurückgenommen: ein Teil wird von den heutigen Regeln abgelehnt",
    },
    "bulk_done": {"en": "done", "de": "erledigt"},
    "bulk_would_do": {"en": "would be done", "de": "würde ausgeführt"},
    "by_rule": {"en": "rule {rule}", "de": "Regel {rule}"},
    # Trust boundary: identity, the shell of SSH logins, keys, the config file, StrictModes
    "operator_not_admin": {
        "en": "--operator (or MITEAM_OPERATOR) is for the administrator, who owns {path}; "
              "you act as your login '{login}': leave it out",
        "de": "--operator (oder MITEAM_OPERATOR) ist dem Administrator vorbehalten, dem "
              "{path} gehört; Sie handeln als Ihr Login '{login}': lassen Sie es weg",
    },
    "strict_modes": {
        "en": "{path} can be written by others than its owner, so it cannot be trusted: "
              "chmod go-w {path}",
        "de": "{path} ist für andere als den Eigentümer schreibbar und damit nicht "
              "vertrauenswürdig: chmod go-w {path}",
    },
    "rules_override_refused": {
        "en": "'{command}' changes records, so it runs under the configured rules: --rules "
              "(MITEAM_RULES) is only for rules check|fmt|test, scenario run, explain and "
              "--dry-run",
        "de": "'{command}' ändert Daten und läuft daher unter den konfigurierten Regeln: "
              "--rules (MITEAM_RULES) gilt nur für rules check|fmt|test, scenario run, "
              "explain und --dry-run",
    },
    "rules_override_admin": {
        "en": "'{command}' with other rules (--rules, MITEAM_RULES) reads the database: "
              "only its administrator may do that",
        "de": "'{command}' mit anderen Regeln (--rules, MITEAM_RULES) liest die Datenbank: "
              "das darf nur ihr Administrator",
    },
    "config_bad": {"en": "{path}: {problem}", "de": "{path}: {problem}"},
    "config_unknown_key": {"en": "unknown setting '{name}' (known: {names})",
                           "de": "unbekannte Einstellung '{name}' (bekannt: {names})"},
    "config_not_path": {"en": "'{name}' must be a path (a text)",
                        "de": "'{name}' muss ein Pfad sein (ein Text)"},
    "config_bad_lang": {"en": "lang '{value}' is not one of {langs}",
                        "de": "lang '{value}' ist keine von {langs}"},
    "shell_refused_option": {
        "en": "{option} is not available over SSH: your identity, rules and database are "
              "fixed by your key",
        "de": "{option} ist über SSH nicht verfügbar: Identität, Regeln und Datenbank legt "
              "Ihr Schlüssel fest",
    },
    "shell_refused_command": {
        "en": "'{command}' is not available over SSH (see: help)",
        "de": "'{command}' ist über SSH nicht verfügbar (siehe: help)",
    },
    "shell_bad_command": {"en": "cannot read the command: {problem}",
                          "de": "der Befehl ist nicht lesbar: {problem}"},
    "shell_help": {
        "en": "You are {login}. Commands over SSH (ssh HOST 'COMMAND'; with no command and a "
              "terminal, the console):",
        "de": "Sie sind {login}. Befehle über SSH (ssh HOST 'BEFEHL'; ohne Befehl und mit "
              "Terminal die Konsole):",
    },
    "shell_not_admin": {
        "en": "miteam shell is the service account's forced command (authorized_keys): "
              "only the administrator, who owns {path}, runs it",
        "de": "miteam shell ist der erzwungene Befehl des Dienstkontos (authorized_keys): "
              "nur der Administrator, dem {path} gehört, führt ihn aus",
    },
    "keys_added": {"en": "{login} may log in with {type} {fingerprint}",
                   "de": "{login} darf sich mit {type} {fingerprint} anmelden"},
    "keys_removed": {"en": "removed {type} {fingerprint} of {login} from {path}",
                     "de": "{type} {fingerprint} von {login} aus {path} entfernt"},
    "keys_empty": {"en": "{path}: no keys managed by miteam",
                   "de": "{path}: keine von miteam verwalteten Schlüssel"},
    "keys_header": {"en": "operator|type|fingerprint|comment",
                    "de": "Operator|Typ|Fingerabdruck|Kommentar"},
    "keys_bad_key": {"en": "{path}: not an SSH public key: {problem}",
                     "de": "{path}: kein öffentlicher SSH-Schlüssel: {problem}"},
    "keys_installed": {"en": "this key is installed already, for '{login}' ({fingerprint})",
                       "de": "dieser Schlüssel ist schon eingetragen, für '{login}' "
                             "({fingerprint})"},
    "keys_none": {"en": "operator '{login}' has no key {fingerprint}",
                  "de": "Operator '{login}' hat keinen Schlüssel {fingerprint}"},
    "keys_no_command": {
        "en": "cannot find the installed miteam command for the forced command: {path}",
        "de": "der installierte miteam-Befehl für den erzwungenen Befehl fehlt: {path}",
    },
    "keys_cannot_write": {"en": "cannot write {path}: {error}",
                          "de": "{path} kann nicht geschrieben werden: {error}"},
    "db_unreadable_admin": {
        "en": "{path} cannot be read, so no operator can be checked: only its administrator "
              "may replace it ({error})",
        "de": "{path} ist nicht lesbar, kein Operator kann geprüft werden: nur ihr "
              "Administrator darf sie ersetzen ({error})",
    },

}


def plural_form(lang: str, count: object) -> str:
    """CLDR's plural category for English and German (the same rule for both): "one" for
    exactly 1 (an integer, no fraction shown), "other" for everything else, 0 included."""
    return "one" if isinstance(count, int) and not isinstance(count, bool) and count == 1 \
        else "other"


def t(key: str, lang: str, **values: object) -> str:
    """A message in `lang` (English if it has no such language). A message with plural
    forms ({"one": ..., "other": ...}) picks the form for the value named `count`."""
    entry = CATALOG[key]
    text = entry.get(lang) or entry["en"]
    if isinstance(text, dict):
        text = text[plural_form(lang, values.get("count"))]
    return text.format(**values) if values else text


def default_language() -> str:
    """`MITEAM_LANG`, else the first language named by LANG / LC_ALL / LANGUAGE."""
    for var in ("MITEAM_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"
