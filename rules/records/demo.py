"""The demo database: every S-case on show, with plausible names, built deterministically.

`python -m rules.records.demo data/demo.json` writes the shipped file; a test holds the two equal.
Records are written directly (not through operations) so the file has no clock in it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# (id, partner, company name, micollab, miteam, users, licensed users, set by, purpose)
_ACCOUNTS = [
    ("a-bergmann", "p-alpen", "Bergmann Maschinenbau AG", True, True, 16, 9, "micollab",
     "S4/S6/S7: MiCollab manages licensing"),
    ("a-seeblick", "p-alpen", "Seeblick Hotels GmbH", True, False, 12, 6, "micollab",
     "S5/S13: MiTeam off, licenses kept active but not shown"),
    ("a-kranich", "p-alpen", "Kranich Logistik GmbH", False, True, 18, 7, "operator",
     "S10: standalone with licenses left"),
    ("a-lindenhof", "p-alpen", "Lindenhof Kliniken gGmbH", False, True, 14, 10, "operator",
     "S12: standalone, no licenses left"),
    ("a-falkenstein", "p-alpen", "Falkenstein Architekten PartG", False, True, 8, 0, None,
     "S10: no orders assigned"),
    ("a-wiesental", "p-alpen", "Wiesental Bau KG", False, False, 10, 4, "micollab",
     "S9: MiCollab switched off after MiTeam: licenses kept"),
    ("a-harbour", "p-northbridge", "Harbour Freight Ltd", True, True, 15, 8, "micollab",
     "S4/S6/S7 for the second partner"),
    ("a-oakridge", "p-northbridge", "Oakridge Dental Group", False, True, 13, 5, "operator",
     "S10: standalone with licenses left"),
    ("a-brightwater", "p-northbridge", "Brightwater Schools Trust", False, False, 11, 0, None,
     "S8: MiTeam switched off after MiCollab: licenses returned"),
    ("a-copperfield", "p-northbridge", "Copperfield Legal LLP", False, True, 9, 6, "operator",
     "over-allocated: an assigned order expired"),
    ("a-meridian", "p-northbridge", "Meridian Retail plc", True, True, 12, 0, None,
     "S7: MiCollab on, nobody licensed"),
    ("a-northwind", "p-northbridge", "Northwind Energy Ltd", False, True, 12, 4, "operator",
     "S12 edge: one license left"),
]

# (id, partner, quantity, account or None, expires or None)
_ORDERS = [
    ("ord-1001", "p-alpen", 20, "a-bergmann", "2028-03-31"),
    ("ord-1002", "p-alpen", 10, "a-seeblick", "2027-09-30"),
    ("ord-1003", "p-alpen", 15, "a-kranich", "2027-12-31"),
    ("ord-1004", "p-alpen", 10, "a-lindenhof", "2027-06-30"),
    ("ord-1005", "p-alpen", 5, "a-wiesental", "2027-10-31"),
    ("ord-1006", "p-alpen", 25, None, "2028-01-31"),
    ("ord-1007", "p-alpen", 10, None, "2026-12-15"),
    ("ord-1008", "p-alpen", 8, None, "2026-06-30"),
    ("ord-2001", "p-northbridge", 12, "a-harbour", "2027-11-30"),
    ("ord-2002", "p-northbridge", 10, "a-oakridge", "2027-08-31"),
    ("ord-2003", "p-northbridge", 4, "a-copperfield", "2026-12-31"),
    ("ord-2004", "p-northbridge", 5, "a-copperfield", "2026-09-30"),
    ("ord-2005", "p-northbridge", 5, "a-northwind", "2027-05-31"),
    ("ord-2006", "p-northbridge", 30, None, "2028-06-30"),
    ("ord-2007", "p-northbridge", 6, None, "2025-12-31"),
    ("ord-2008", "p-northbridge", 10, "a-brightwater", "2027-04-30"),
    ("ord-2009", "p-northbridge", 8, "a-meridian", "2027-07-31"),
]

_FIRST_DE = ["Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lea", "Paul", "Hannah",
             "Leon", "Emilia", "Maximilian", "Clara", "Niklas", "Johanna", "Tobias", "Greta",
             "Florian", "Ida", "Moritz"]
_LAST_DE = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Hoffmann", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
            "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange"]
_FIRST_EN = ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah",
             "Grace", "Charlie", "Freya", "Thomas", "Lily", "Oscar", "Emily", "William",
             "Ruby", "James", "Evie"]
_LAST_EN = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
            "Green", "Hall", "Wood", "Clarke", "Hughes", "Edwards"]

_OPERATORS = [
    {"id": "lena.support", "name": "Lena Vogt (Mitel support)", "role": "support",
     "partner": None, "account": None},
    {"id": "anna.huber", "name": "Anna Huber (Alpen Kommunikation)", "role": "partner",
     "partner": "p-alpen", "account": None},
    {"id": "james.cole", "name": "James Cole (Northbridge Networks)", "role": "partner",
     "partner": "p-northbridge", "account": None},
    {"id": "markus.weber", "name": "Markus Weber (Kranich Logistik)", "role": "account_admin",
     "partner": "p-alpen", "account": "a-kranich"},
    {"id": "petra.lang", "name": "Petra Lang (Bergmann Maschinenbau)", "role": "account_admin",
     "partner": "p-alpen", "account": "a-bergmann"},
    {"id": "olivia.grant", "name": "Olivia Grant (Oakridge Dental)", "role": "account_admin",
     "partner": "p-northbridge", "account": "a-oakridge"},
]


def _ascii(name: str) -> str:
    return (name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
            .replace("ß", "ss"))


def demo_records() -> dict[str, list[dict]]:
    partners = [{"id": "p-alpen", "name": "Alpen Kommunikation GmbH"},
                {"id": "p-northbridge", "name": "Northbridge Networks Ltd"}]
    accounts, users = [], []
    n = 0
    for acc_id, partner, name, micollab, miteam, count, licensed, set_by, _why in _ACCOUNTS:
        accounts.append({"id": acc_id, "name": name, "partner": partner,
                         "integrations": {"micollab": micollab, "miteam": miteam}})
        german = partner == "p-alpen"
        first, last = (_FIRST_DE, _LAST_DE) if german else (_FIRST_EN, _LAST_EN)
        domain = acc_id.removeprefix("a-") + (".de" if german else ".co.uk")
        for i in range(count):
            n += 1
            f, l_ = first[(n * 7) % len(first)], last[(n * 11 + i) % len(last)]
            has = i < licensed
            users.append({
                "id": f"u-{1000 + n}", "account": acc_id, "name": f"{f} {l_}",
                "email": f"{_ascii(f)}.{_ascii(l_)}@{domain}",
                "licenses": {"miteam": has}, "set_by": {"miteam": set_by if has else None},
            })
    orders = [{"id": oid, "partner": p, "product": "miteam", "quantity": q,
               "state": "assigned" if acc else "unassigned", "account": acc, "expires": exp,
               "created": "2026-01-15T09:00:00+00:00"}
              for oid, p, q, acc, exp in _ORDERS]
    return {"partners": partners, "accounts": accounts, "orders": orders, "users": users,
            "operators": list(_OPERATORS), "audit": []}


def to_tinydb_json(records: dict[str, list[dict]]) -> str:
    """TinyDB's own layout: table → {doc_id: doc}. Stock TinyDB opens it as it is."""
    # Doc ids stay in insertion order (sort_keys would put "10" before "2").
    tables = {t: {str(i): dict(sorted(doc.items())) for i, doc in enumerate(docs, start=1)}
              for t, docs in sorted(records.items())}
    return json.dumps(tables, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> int:
    text = to_tinydb_json(demo_records())
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
