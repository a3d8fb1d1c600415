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
    "wn_assign_order": {
        "en": {"one": "assign an order with at least {count} license to this account",
               "other": "assign an order with at least {count} licenses to this account"},
        "de": {"one": "diesem Konto eine Bestellung mit mindestens {count} Lizenz zuweisen",
               "other": "diesem Konto eine Bestellung mit mindestens {count} Lizenzen "
                        "zuweisen"},
    },
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
        "en": {"one": "{count} license switched off by rule {rule}",
               "other": "{count} licenses switched off by rule {rule}"},
        "de": {"one": "{count} Lizenz durch Regel {rule} ausgeschaltet",
               "other": "{count} Lizenzen durch Regel {rule} ausgeschaltet"},
    },
    "consequence_grant": {
        "en": {"one": "{count} license switched on by rule {rule}",
               "other": "{count} licenses switched on by rule {rule}"},
        "de": {"one": "{count} Lizenz durch Regel {rule} eingeschaltet",
               "other": "{count} Lizenzen durch Regel {rule} eingeschaltet"},
    },
    "dry_run": {"en": "dry run", "de": "Probelauf"},
    # The command's plain-text views (rules/cli/show.py)
    "show_account": {"en": "account", "de": "Konto"},
    "show_partner": {"en": "partner {id}", "de": "Partner {id}"},
    "show_products": {"en": "Products and Licenses", "de": "Produkte und Lizenzen"},
    "show_users": {"en": "users", "de": "Benutzer"},
    "show_orders": {"en": "orders", "de": "Bestellungen"},
    "show_expires": {"en": "expires {date}", "de": "läuft ab am {date}"},
    "db_converted": {
        "en": "{path}: converted to one file per account (faster at any size); the single "
              "file as it was is kept as {kept}",
        "de": "{path}: in eine Datei je Konto umgewandelt (schnell bei jeder Größe); die "
              "einzelne Datei bleibt unverändert erhalten als {kept}",
    },
    # Counted nouns, for messages that count more than one thing (t() picks one plural
    # form per message, by `count`): "result: {steps}, {checks}".
    "count_steps": {"en": {"one": "{count} step", "other": "{count} steps"},
                    "de": {"one": "{count} Schritt", "other": "{count} Schritte"}},
    # after "of" / "von" (German's dative plural differs)
    "count_steps_of": {"en": {"one": "{count} step", "other": "{count} steps"},
                       "de": {"one": "{count} Schritt", "other": "{count} Schritten"}},
    "count_expectations": {"en": {"one": "{count} expectation", "other": "{count} expectations"},
                           "de": {"one": "{count} Erwartung", "other": "{count} Erwartungen"}},
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
    "scenario_many": {
        "en": {"one": "{count} action: {done} done, {unchanged} unchanged, {refused} refused, "
                      "{errors} in error",
               "other": "{count} actions: {done} done, {unchanged} unchanged, {refused} refused, "
                        "{errors} in error"},
        "de": {"one": "{count} Aktion: {done} erledigt, {unchanged} unverändert, "
                      "{refused} abgelehnt, {errors} fehlerhaft",
               "other": "{count} Aktionen: {done} erledigt, {unchanged} unverändert, "
                        "{refused} abgelehnt, {errors} fehlerhaft"},
    },
    "scenario_many_would": {"en": "would be done by {rule}: {what}",
                            "de": "würde erledigt durch {rule}: {what}"},
    "scenario_many_withheld": {"en": "nothing written: not all of it goes through",
                               "de": "nichts geschrieben: nicht alles geht durch"},
    "scenario_many_dry_run": {"en": "dry run, nothing written",
                              "de": "Probelauf, nichts geschrieben"},
    "scenario_effect_revoke": {
        "en": {"one": "{rule} revoked {count} license", "other": "{rule} revoked {count} licenses"},
        "de": {"one": "{rule} hat {count} Lizenz entzogen",
               "other": "{rule} hat {count} Lizenzen entzogen"},
    },
    "scenario_effect_grant": {
        "en": {"one": "{rule} granted {count} license", "other": "{rule} granted {count} licenses"},
        "de": {"one": "{rule} hat {count} Lizenz erteilt",
               "other": "{rule} hat {count} Lizenzen erteilt"},
    },
    "scenario_shown": {
        "en": {"one": "shown for {count} user: {before} → {after} ({rule})",
               "other": "shown for {count} users: {before} → {after} ({rule})"},
        "de": {"one": "Anzeige für {count} Benutzer: {before} → {after} ({rule})",
               "other": "Anzeige für {count} Benutzer: {before} → {after} ({rule})"},
    },
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
    # {steps}, {checks}: count_steps, count_expectations
    "scenario_result_ok": {
        "en": "result: {steps}, {checks}, all hold",
        "de": "Ergebnis: {steps}, {checks}, alle erfüllt",
    },
    "scenario_result_failed": {
        "en": "result: {steps}, {checks}, {failed} failed: {where}",
        "de": "Ergebnis: {steps}, {checks}, {failed} nicht erfüllt: {where}",
    },
    "scenario_result_start": {"en": "result: cannot start: {reason}",
                              "de": "Ergebnis: kann nicht beginnen: {reason}"},
    "scenario_start_after": {"en": {"one": "its {count} step holds",
                                    "other": "its {count} steps hold"},
                             "de": {"one": "sein {count} Schritt ist erfüllt",
                                    "other": "seine {count} Schritte sind erfüllt"}},
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
        "en": {"one": "{count} scenario: {passed} pass, {failed} fail",
               "other": "{count} scenarios: {passed} pass, {failed} fail"},
        "de": {"one": "{count} Szenario: {passed} erfüllt, {failed} nicht erfüllt",
               "other": "{count} Szenarien: {passed} erfüllt, {failed} nicht erfüllt"},
    },
    "scenario_well_formed": {  # {steps}, {checks}: count_steps, count_expectations
        "en": "{name}: well-formed, {steps}, {checks}",
        "de": "{name}: wohlgeformt, {steps}, {checks}",
    },
    "scenario_diff_same": {
        "en": "{name}: no step differs from the shipped rules",
        "de": "{name}: kein Schritt weicht von den mitgelieferten Regeln ab",
    },
    "scenario_diff_changed": {  # {count} changed of {steps} (count_steps_of)
        "en": {"one": "{name}: {count} of {steps} differs from the shipped rules",
               "other": "{name}: {count} of {steps} differ from the shipped rules"},
        "de": {"one": "{name}: {count} von {steps} weicht von den mitgelieferten Regeln ab",
               "other": "{name}: {count} von {steps} weichen von den mitgelieferten Regeln ab"},
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
    "revert_nothing": {"en": "no audit entry to revert", "de": "kein Protokolleintrag zum "
                       "Zurücknehmen"},
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
    "audit_filter_unknown": {
        "en": "unknown filter '{word}:'; use {words} (dates YYYY-MM-DD)",
        "de": "unbekannter Filter '{word}:'; möglich sind {words} (Datum JJJJ-MM-TT)",
    },
    "audit_filter_empty": {"en": "filter '{word}:' needs a value after the colon",
                           "de": "Filter '{word}:' braucht einen Wert nach dem Doppelpunkt"},
    "audit_filter_twice": {"en": "filter '{word}:' is given twice",
                           "de": "Filter '{word}:' ist doppelt angegeben"},
    "audit_filter_quote": {"en": "a quote in the filter is not closed",
                           "de": "ein Anführungszeichen im Filter ist nicht geschlossen"},
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
    "internal_error": {
        "en": "an internal error ({error}); the details are in {path}: please report it",
        "de": "ein interner Fehler ({error}); die Einzelheiten stehen in {path}: bitte "
              "melden Sie ihn",
    },
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
