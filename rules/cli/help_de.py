"""The command line's words in German: argparse's own (usage, section titles, its errors)
and every command's help text, keyed by the English text as written where the command
registers its parser (gettext's way: the English text is the message id).

Imported only when a parser is built for German, so English and `--version` never load
it. A test holds every help text of `miteam --help` and its commands to a German form
here; a missing one shows in English, never as a key.
"""

from __future__ import annotations

# argparse's message ids (Python 3.11's argparse.py, through its `_` and `ngettext`).
ARGPARSE: dict[str, str] = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "show program's version number and exit": "die Version des Programms zeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ungültige Auswahl: %(value)r (möglich sind %(choices)s)",
    "the following arguments are required: %s": "diese Argumente fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Argumente: %s",
    "one of the arguments %s is required": "eines der Argumente %s ist nötig",
    "not allowed with argument %s": "nicht zusammen mit dem Argument %s erlaubt",
    "ignored explicit argument %r": "überflüssiger Wert %r",
    "expected one argument": "ein Wert fehlt",
    "expected at most one argument": "höchstens ein Wert ist erlaubt",
    "expected at least one argument": "mindestens ein Wert ist nötig",
    "ambiguous option: %(option)s could match %(matches)s":
        "mehrdeutige Option: %(option)s kann %(matches)s bedeuten",
    "unexpected option string: %s": "unerwartete Option: %s",
    "invalid %(type)s value: %(value)r": "ungültiger Wert für %(type)s: %(value)r",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' kann nicht geöffnet werden: "
                                             "%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "unbekannter Befehl %(parser_name)r (möglich sind %(choices)s)",
}

# argparse's ngettext message ids: the German singular and plural.
ARGPARSE_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"):
        ("%s Wert erwartet", "%s Werte erwartet"),
}

# Every command's and option's help text (rules/cli/*.py).
HELP: dict[str, str] = {
    # miteam (rules/cli/__init__.py)
    "Licensing console for MiTeam Meetings. With no command, opens the console.":
        "Lizenzkonsole für MiTeam Meetings. Ohne Befehl öffnet sich die Konsole.",
    "Exit codes: 0 done, 1 refused by the rules, 2 bad input.":
        "Exit-Codes: 0 erledigt, 1 von den Regeln abgelehnt, 2 ungültige Eingabe.",
    "database file, or postgresql://USER@HOST/DB for a PostgreSQL server (env MITEAM_DB; "
    "default: a file in your data directory)":
        "Datenbankdatei, oder postgresql://USER@HOST/DB für einen PostgreSQL-Server "
        "(Umgebung MITEAM_DB; Vorgabe: eine Datei in Ihrem Datenverzeichnis)",
    "act as this operator: the administrator only, who owns the database (env "
    "MITEAM_OPERATOR; default: your login)":
        "als dieser Operator handeln: nur der Administrator, dem die Datenbank gehört "
        "(Umgebung MITEAM_OPERATOR; Vorgabe: Ihr Login)",
    "language of messages (env MITEAM_LANG; default from LANG)":
        "Sprache der Meldungen (Umgebung MITEAM_LANG; Vorgabe aus LANG)",
    "other rule files, for commands that change nothing (env MITEAM_RULES; default: the "
    "configured rules, else the shipped)":
        "andere Regeldateien, für Befehle, die nichts ändern (Umgebung MITEAM_RULES; "
        "Vorgabe: die konfigurierten Regeln, sonst die mitgelieferten)",
    "machine-readable output": "maschinenlesbare Ausgabe",
    # The commands
    "create and look after the database": "die Datenbank anlegen und pflegen",
    "measure the store against stock TinyDB on a generated database, and against the "
    "targets":
        "den Speicher auf einer erzeugten Datenbank mit dem unveränderten TinyDB und den "
        "Zielwerten vergleichen",
    "operators: who may act, and where": "Operatoren: wer handeln darf, und wo",
    "partners": "Partner",
    "customer accounts": "Kundenkonten",
    "users of customer accounts": "Benutzer der Kundenkonten",
    "orders of licenses (Billing → Orders)": "Bestellungen von Lizenzen (Abrechnung → "
                                             "Bestellungen)",
    "an account's MiCollab / MiTeam integrations":
        "die MiCollab- / MiTeam-Integrationen eines Kontos",
    "switch a user's license in the console": "die Lizenz eines Benutzers schalten, wie in "
                                              "der Konsole",
    "act as the MiCollab server: grant or withdraw":
        "als MiCollab-Server handeln: erteilen oder entziehen",
    "what Products and Licenses shows for a user, and why":
        "was Produkte und Lizenzen für einen Benutzer zeigt, und warum",
    "apply the inverse of an audited change, decided by today's rules":
        "eine protokollierte Änderung umkehren, nach den heutigen Regeln entschieden",
    "the audit trail: every change, who, when, which rule":
        "das Änderungsprotokoll: jede Änderung, wer, wann, welche Regel",
    "reports: what needs attention": "Berichte: was Aufmerksamkeit braucht",
    "the rule author's tools: check, fmt, test, verify, diff":
        "die Werkzeuge für Regelautoren: check, fmt, test, verify, diff",
    "replay scenarios: scripted sessions with expectations":
        "Szenarien abspielen: vorgeschriebene Sitzungen mit Erwartungen",
    "SSH keys pinned to operators (the service account's authorized_keys)":
        "SSH-Schlüssel, an Operatoren gebunden (die authorized_keys des Dienstkontos)",
    "the forced command of an SSH login: act as OPERATOR, pinned (in authorized_keys; see "
    "README, Deploying)":
        "der erzwungene Befehl einer SSH-Anmeldung: als OPERATOR handeln, fest gebunden "
        "(in authorized_keys; siehe README, Deploying)",
    # db
    "create the database (the demo data by default)":
        "die Datenbank anlegen (als Vorgabe mit den Demodaten)",
    "print where the database is": "ausgeben, wo die Datenbank liegt",
    "a large realistic database, for trials and benchmarks (replaces nothing without "
    "--force)":
        "eine große, realistische Datenbank für Versuche und Messungen (ersetzt nichts ohne "
        "--force)",
    "check the database: schema, references, license counts (exit 0 clean, 1 problems, "
    "2 unreadable)":
        "die Datenbank prüfen: Schema, Verweise, Lizenzzahlen (Exit 0 in Ordnung, "
        "1 Probleme, 2 unlesbar)",
    "a consistent copy of the database, taken under the lock (one compacted JSON file)":
        "eine stimmige Kopie der Datenbank, unter der Sperre gezogen (eine kompaktierte "
        "JSON-Datei)",
    "replace the database with a backup, after checking the backup":
        "die Datenbank durch eine Sicherung ersetzen, nachdem die Sicherung geprüft ist",
    "salvage a damaged journal: keep its valid lines, set the rest aside in a side file":
        "ein beschädigtes Journal retten: die gültigen Zeilen behalten, den Rest in einer "
        "Nebendatei beiseitelegen",
    "bring a database up to this miteam's layout: a single file becomes one file per "
    "account; a PostgreSQL database gets this schema":
        "eine Datenbank auf den Stand dieses miteam bringen: aus einer einzelnen Datei wird "
        "eine Datei je Konto; eine PostgreSQL-Datenbank erhält dieses Schema",
    "copy a whole database, audit included, between a file and a PostgreSQL server, and "
    "check the copy":
        "eine ganze Datenbank samt Protokoll zwischen einer Datei und einem "
        "PostgreSQL-Server kopieren und die Kopie prüfen",
    "no records; the current operator becomes support":
        "keine Datensätze; der aktuelle Operator wird Support",
    "the demo data (the default)": "die Demodaten (die Vorgabe)",
    "replace an existing database": "eine vorhandene Datenbank ersetzen",
    "the same seed gives the same database (default 1)":
        "derselbe Startwert ergibt dieselbe Datenbank (Vorgabe 1)",
    "where to write the backup": "wohin die Sicherung geschrieben wird",
    "replace an existing file": "eine vorhandene Datei ersetzen",
    "a backup written by `db backup`": "eine mit `db backup` geschriebene Sicherung",
    "a database file or postgresql:// URL": "eine Datenbankdatei oder eine postgresql://-URL",
    "replace a database at TARGET": "eine Datenbank an TARGET ersetzen",
    "accounts (default 1000)": "Konten (Vorgabe 1000)",
    "users (default 100000)": "Benutzer (Vorgabe 100000)",
    "runs of each product operation (default 200)":
        "Durchläufe je Operation des Produkts (Vorgabe 200)",
    "runs of each stock TinyDB operation (default 3: each reads the whole file)":
        "Durchläufe je Operation des unveränderten TinyDB (Vorgabe 3: jede liest die ganze "
        "Datei)",
    "measure the product alone (1,000,000 users: stock takes minutes)":
        "nur das Produkt messen (1.000.000 Benutzer: das unveränderte braucht Minuten)",
    "runs of each whole-process command (default 5; 0: none)":
        "Durchläufe je Befehl als ganzer Prozess (Vorgabe 5; 0: keine)",
    "where to put the databases (default: a temporary directory, removed afterwards)":
        "wohin die Datenbanken kommen (Vorgabe: ein temporäres Verzeichnis, danach "
        "entfernt)",
    # operator, partner, account, user, order
    "register an operator": "einen Operator registrieren",
    "the operator you act as": "der Operator, als der Sie handeln",
    "the partner (role partner)": "der Partner (Rolle partner)",
    "the account (role account_admin)": "das Konto (Rolle account_admin)",
    "display name (default: the login)": "Anzeigename (Vorgabe: das Login)",
    "add a partner": "einen Partner hinzufügen",
    "partners you may see": "Partner, die Sie sehen dürfen",
    "add a customer account": "ein Kundenkonto hinzufügen",
    "accounts you may see, with license counts": "Konten, die Sie sehen dürfen, mit "
                                                 "Lizenzzahlen",
    "account information: integrations, orders, licenses":
        "Kontoinformationen: Integrationen, Bestellungen, Lizenzen",
    "company name": "Firmenname",
    "MiCollab integration (default off)": "MiCollab-Integration (Vorgabe aus)",
    "MiTeam Meetings integration (default on)": "MiTeam-Meetings-Integration (Vorgabe ein)",
    "csv: one row per record with a header, for spreadsheets":
        "csv: eine Zeile je Datensatz mit Kopfzeile, für Tabellenkalkulationen",
    "account id or company name": "Kennung des Kontos oder Firmenname",
    "add a user to an account": "einem Konto einen Benutzer hinzufügen",
    "users with their MiTeam Meetings license": "Benutzer mit ihrer MiTeam-Meetings-Lizenz",
    "users from a CSV file (id,name,email,miteam) into an account, with a status per row":
        "Benutzer aus einer CSV-Datei (id,name,email,miteam) in ein Konto übernehmen, mit "
        "einem Status je Zeile",
    "remove users: their licenses return to the account":
        "Benutzer entfernen: ihre Lizenzen gehen an das Konto zurück",
    "move a user to another account of the same partner":
        "einen Benutzer in ein anderes Konto desselben Partners verschieben",
    "users as CSV (id,name,email,miteam,...), for spreadsheets and `user import`":
        "Benutzer als CSV (id,name,email,miteam,...), für Tabellenkalkulationen und "
        "`user import`",
    "a user's Products and Licenses": "Produkte und Lizenzen eines Benutzers",
    "the file (- for standard input)": "die Datei (- für die Standardeingabe)",
    "id or company name": "Kennung oder Firmenname",
    "the status of every row; nothing written": "der Status jeder Zeile; nichts geschrieben",
    "write the rows that are not in error": "die Zeilen ohne Fehler schreiben",
    "say what would happen": "sagen, was geschehen würde",
    "if the target account's rules refuse the license there, move the user without it "
    "(else the move is refused)":
        "wenn die Regeln des Zielkontos die Lizenz dort ablehnen, den Benutzer ohne sie "
        "verschieben (sonst wird das Verschieben abgelehnt)",
    "record an order a partner bought": "eine Bestellung erfassen, die ein Partner gekauft "
                                        "hat",
    "assign all licenses of an order to an account":
        "alle Lizenzen einer Bestellung einem Konto zuweisen",
    "orders you may see": "Bestellungen, die Sie sehen dürfen",
    # integration, license, micollab, explain, audit, revert
    "show the rules' reasoning": "die Begründung der Regeln zeigen",
    "switch an integration on or off": "eine Integration ein- oder ausschalten",
    "say what would happen (which licenses would be switched off)":
        "sagen, was geschehen würde (welche Lizenzen ausgeschaltet würden)",
    "the state you saw: refuse if another console changed it since":
        "der Zustand, den Sie gesehen haben: ablehnen, wenn eine andere Konsole ihn "
        "seitdem geändert hat",
    "the preview a --dry-run printed: refuse if the change would now switch other "
    "licenses than it showed":
        "die Vorschau, die ein --dry-run ausgegeben hat: ablehnen, wenn die Änderung jetzt "
        "andere Lizenzen schalten würde, als sie zeigte",
    "one or more user ids (or select with --account/--from-file)":
        "eine oder mehrere Benutzerkennungen (oder Auswahl mit --account/--from-file)",
    "every user of this account (id or company name)":
        "jeder Benutzer dieses Kontos (Kennung oder Firmenname)",
    "with --account: only users in this state, e.g. shown=off, stored=on, mode=editable, "
    "set_by=micollab (repeatable)":
        "mit --account: nur Benutzer in diesem Zustand, z. B. shown=off, stored=on, "
        "mode=editable, set_by=micollab (wiederholbar)",
    "user ids, one a line (- for standard input)":
        "Benutzerkennungen, eine je Zeile (- für die Standardeingabe)",
    "several users: switch none if any would be refused":
        "mehrere Benutzer: keinen schalten, wenn einer abgelehnt würde",
    "several users: the preview a --dry-run printed; refuse if the set would now go "
    "otherwise":
        "mehrere Benutzer: die Vorschau, die ein --dry-run ausgegeben hat; ablehnen, wenn "
        "die Menge jetzt anders ausginge",
    "the audit entry (#SEQ in audit)": "der Protokolleintrag (#SEQ in audit)",
    "entries about this user": "Einträge zu diesem Benutzer",
    "entries made by this operator": "Einträge dieses Operators",
    "e.g. license.set, integration.set": "z. B. license.set, integration.set",
    "entries this rule decided": "Einträge, die diese Regel entschieden hat",
    "from this day (YYYY-MM-DD)": "ab diesem Tag (JJJJ-MM-TT)",
    "up to and including this day": "bis einschließlich zu diesem Tag",
    "the newest N entries (default 50; 0 for all)":
        "die neuesten N Einträge (Vorgabe 50; 0 für alle)",
    # report
    "license counts per account, stored≠shown users, MiCollab-set licenses, expiring orders":
        "Lizenzzahlen je Konto, Benutzer mit gespeichert≠angezeigt, vom MiCollab-Server "
        "gesetzte Lizenzen, ablaufende Bestellungen",
    # rules
    "check rule files against the record schema: every error and warning":
        "Regeldateien gegen das Datensatzschema prüfen: jeder Fehler und jede Warnung",
    "rewrite rule files in the canonical layout": "Regeldateien in der kanonischen Form "
                                                  "neu schreiben",
    "run the rule tests (*.test) beside the rules":
        "die Regeltests (*.test) neben den Regeln ausführen",
    "prove the rules' properties over every state they can observe":
        "die Eigenschaften der Regeln über jeden Zustand beweisen, den sie sehen können",
    "the semantic difference of two rule sets (and who it would change)":
        "der inhaltliche Unterschied zweier Regelsätze (und wen er ändern würde)",
    "a language server for rule files over stdio (editors; needs the `lsp` extra: pygls)":
        "ein Language Server für Regeldateien über stdio (Editoren; braucht das Extra "
        "`lsp`: pygls)",
    "rule files, test files or directories (default: the rules in use and the tests "
    "beside them)":
        "Regeldateien, Testdateien oder Verzeichnisse (Vorgabe: die verwendeten Regeln "
        "und die Tests daneben)",
    "treat warnings as errors (exit 2 on any)": "Warnungen als Fehler behandeln (Exit 2 "
                                                "bei jeder)",
    "rule files or directories (default: the rules in use)":
        "Regeldateien oder Verzeichnisse (Vorgabe: die verwendeten Regeln)",
    "write nothing; exit 1 if any file would change (for CI)":
        "nichts schreiben; Exit 1, wenn sich eine Datei ändern würde (für CI)",
    "write nothing; print what would change as a diff":
        "nichts schreiben; ausgeben, was sich ändern würde, als Diff",
    "report the rules and condition branches no test reached":
        "die Regeln und Bedingungszweige melden, die kein Test erreicht hat",
    "fail (exit 1) when fewer rules fired than this (implies --coverage)":
        "scheitern (Exit 1), wenn weniger Regeln gegriffen haben als diese Zahl (schließt "
        "--coverage ein)",
    "only the tests whose name matches": "nur die Tests, deren Name passt",
    "list every test": "jeden Test auflisten",
    "also write the results as JUnit XML (for CI)":
        "die Ergebnisse auch als JUnit-XML schreiben (für CI)",
    "Enumerate every abstract state the rules observe (from the record schema and the "
    "constants the rules compare with) and check the built-in properties and the rule "
    "files' `assert` blocks. Exit 0: all hold; 1: a property is violated (with its "
    "smallest counter-example); 2: the rules do not load.":
        "Jeden abstrakten Zustand aufzählen, den die Regeln sehen (aus dem Datensatzschema "
        "und den Konstanten, mit denen die Regeln vergleichen), und die eingebauten "
        "Eigenschaften sowie die `assert`-Blöcke der Regeldateien prüfen. Exit 0: alle "
        "gelten; 1: eine Eigenschaft ist verletzt (mit ihrem kleinsten Gegenbeispiel); "
        "2: die Regeln laden nicht.",
    "verify these rule files (the same as `miteam --rules DIR`)":
        "diese Regeldateien prüfen (dasselbe wie `miteam --rules DIR`)",
    "write the first counter-example as a scenario that replays it":
        "das erste Gegenbeispiel als Szenario schreiben, das es nachspielt",
    "one JSON document": "ein JSON-Dokument",
    "Every abstract state whose view, decision or consequence differs between two rule "
    "sets, grouped by the rules involved; with --db, the users and accounts whose screen "
    "or switch would change. Exit 0: the same; 1: they differ; 2: bad input.":
        "Jeder abstrakte Zustand, dessen Anzeige, Entscheidung oder Folge sich zwischen "
        "zwei Regelsätzen unterscheidet, nach den beteiligten Regeln gruppiert; mit --db "
        "die Benutzer und Konten, deren Anzeige oder Schalter sich ändern würde. Exit 0: "
        "gleich; 1: verschieden; 2: ungültige Eingabe.",
    "the rules in force (a directory or file)": "die geltenden Regeln (ein Verzeichnis "
                                                "oder eine Datei)",
    "the changed rules": "die geänderten Regeln",
    "also list the real users and accounts of this database it changes":
        "auch die echten Benutzer und Konten dieser Datenbank auflisten, die er ändert",
    # scenario
    "replay scenarios on a fresh temporary database and print transcripts":
        "Szenarien auf einer frischen temporären Datenbank abspielen und Protokolle ausgeben",
    "check that scenario files are well-formed (no replay)":
        "prüfen, dass Szenariodateien wohlgeformt sind (ohne Abspielen)",
    "the shipped example scenarios": "die mitgelieferten Beispielszenarien",
    "Replay each scenario on a fresh temporary database (never yours) and print its "
    "transcript. Exit 0: every expectation holds; 1: one failed; 2: a malformed scenario.":
        "Jedes Szenario auf einer frischen temporären Datenbank (nie Ihrer) abspielen und "
        "sein Protokoll ausgeben. Exit 0: jede Erwartung ist erfüllt; 1: eine ist nicht "
        "erfüllt; 2: ein fehlerhaftes Szenario.",
    "scenario files, directories of them, or names of shipped scenarios (default: every "
    "shipped scenario)":
        "Szenariodateien, Verzeichnisse davon oder Namen mitgelieferter Szenarien "
        "(Vorgabe: jedes mitgelieferte Szenario)",
    "replay with these rule files (the same as `miteam --rules DIR`)":
        "mit diesen Regeldateien abspielen (dasselbe wie `miteam --rules DIR`)",
    "with --rules: show, step by step, what those rules change compared with the shipped "
    "ones":
        "mit --rules: Schritt für Schritt zeigen, was diese Regeln gegenüber den "
        "mitgelieferten ändern",
    "one line per scenario, and the failures": "eine Zeile je Szenario, und die Fehlschläge",
    "scenario files or directories (default: every shipped scenario)":
        "Szenariodateien oder Verzeichnisse (Vorgabe: jedes mitgelieferte Szenario)",
    # keys
    "let the holder of a public key log in as OPERATOR":
        "den Inhaber eines öffentlichen Schlüssels als OPERATOR anmelden lassen",
    "the keys miteam manages, by operator": "die Schlüssel, die miteam verwaltet, nach "
                                            "Operator",
    "remove an operator's key, by its fingerprint":
        "den Schlüssel eines Operators entfernen, nach seinem Fingerabdruck",
    "the person's public key (*.pub)": "der öffentliche Schlüssel der Person (*.pub)",
    "SHA256:... (keys list)": "SHA256:... (keys list)",
}
