"""Large, realistic databases for trials and benchmarks (`miteam db generate`).

Deterministic for a given seed and date (`MITEAM_TODAY`): the same arguments give the same
records. Every account is one of the situations the seed describes (integrations in every
combination, the order they were switched off in, licenses left, none left, no orders,
over-allocated after an order expired), and account sizes are skewed the way real
partners' are: many small accounts, a few large ones, and the first account is a large
standalone one (up to 10,000 users) for the benchmarks. Records are written directly
(`Store.create`), not through operations: 100,000 users take seconds. The audit trail
holds the history that led there (each order assigned, each license switched on).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from .. import schema
from .orders import today
from .store import Store

# The first account's size (capped by what the database holds): the benchmarks evaluate
# every user of it.
BIG_ACCOUNT = 10_000

# (kind, weight, micollab, miteam): what each kind stands for is in _licensed().
_KINDS: list[tuple[str, float, bool, bool]] = [
    ("micollab", 30, True, True),          # S4/S6/S7: MiCollab manages the licenses
    ("micollab_off_miteam", 8, True, False),  # S5/S13: MiTeam off, licenses kept, not shown
    ("standalone", 34, False, True),       # S10: licenses left
    ("none_left", 8, False, True),         # S12: every license assigned
    ("no_orders", 5, False, True),         # S10: nothing assigned to the account
    ("s9_kept", 5, False, False),          # S9: MiCollab off after MiTeam: licenses kept
    ("s8_returned", 5, False, False),      # S8: MiTeam off after MiCollab: licenses returned
    ("over_allocated", 5, False, True),    # an assigned order expired: more on than held
]

_FIRST_DE = ["Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lea", "Paul", "Hannah",
             "Leon", "Emilia", "Maximilian", "Clara", "Niklas", "Johanna", "Tobias", "Greta",
             "Florian", "Ida", "Moritz", "Katharina", "Sebastian", "Lina", "Jan"]
_LAST_DE = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Hoffmann", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
            "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Vogel", "Jung"]
_FIRST_EN = ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah",
             "Grace", "Charlie", "Freya", "Thomas", "Lily", "Oscar", "Emily", "William",
             "Ruby", "James", "Evie", "Arthur", "Sophia", "Henry", "Poppy"]
_LAST_EN = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
            "Green", "Hall", "Wood", "Clarke", "Hughes", "Edwards", "Turner", "Hill"]
_COMPANY_DE = ["Alpen", "Berg", "See", "Linden", "Falken", "Wiesen", "Eichen", "Sonnen",
               "Rhein", "Donau", "Kranich", "Adler", "Tannen", "Nord", "Süd", "Ost",
               "Stern", "Mühlen", "Brunnen", "Holz"]
_TRADE_DE = ["Maschinenbau", "Logistik", "Kliniken", "Architekten", "Bau", "Hotels",
             "Elektrotechnik", "Versicherung", "Steuerberatung", "Druckerei", "Software",
             "Metallbau", "Apotheken", "Autohaus", "Brauerei"]
_FORM_DE = ["GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "gGmbH"]
_COMPANY_EN = ["Harbour", "Oakridge", "Brightwater", "Copperfield", "Meridian", "Northwind",
               "Kingsbridge", "Ashford", "Silverline", "Redwood", "Bluebell", "Thornbury",
               "Westgate", "Highfield", "Riverside", "Stonebridge", "Elmwood", "Fairview"]
_TRADE_EN = ["Freight", "Dental Group", "Schools Trust", "Legal", "Retail", "Energy",
             "Engineering", "Insurance", "Accountants", "Printing", "Software", "Builders",
             "Pharmacies", "Motors", "Brewery"]
_FORM_EN = ["Ltd", "plc", "LLP", "Group", "Holdings"]

# History timestamps start here (not the clock: the same seed gives the same file).
_EPOCH = datetime.combine(date(2025, 1, 6), time(8, 0), tzinfo=UTC)


@dataclass
class Generated:
    """What was generated, for the command's summary and the benchmarks."""

    records: dict[str, list[dict]]
    big_account: str | None  # the large standalone account (None without users)
    kinds: dict[str, str]  # account id -> kind

    def counts(self) -> dict[str, int]:
        return {t: len(docs) for t, docs in self.records.items()}


def _ascii(text: str) -> str:
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), (" & ", "-"),
                 (" ", "-"), (".", "")):
        text = text.replace(a, b)
    return text.lower()


def _sizes(rng: random.Random, accounts: int, users: int) -> list[int]:
    """Users per account: the first large, the rest skewed (Pareto), summing to `users`."""
    if accounts == 0:
        return []
    big = min(BIG_ACCOUNT, users if accounts == 1 else max(users // 4, min(users, 1)))
    rest, others = users - big, accounts - 1
    if others == 0:
        return [users]
    # Bounded so that no other account outgrows the first one at sensible sizes.
    weights = [min(rng.paretovariate(1.3), 40.0) for _ in range(others)]
    total = sum(weights)
    sizes = [int(w / total * rest) for w in weights]
    short = rest - sum(sizes)
    for i in range(short):
        sizes[i % others] += 1
    return [big, *sizes]


def _split(rng: random.Random, total: int) -> list[int]:
    """A license total as one to three orders."""
    if total <= 0:
        return []
    parts = min(total, rng.choice((1, 1, 2, 2, 3)))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


def _licensed(kind: str, n: int, rng: random.Random) -> tuple[int, int, int]:
    """(users holding a license, licenses in valid orders, licenses in expired orders)."""
    if n == 0 or kind in ("no_orders",):
        return 0, (0 if kind == "no_orders" else rng.randint(5, 50)), 0
    if kind == "s8_returned":
        return 0, max(1, round(n * rng.uniform(0.5, 1.0))), 0
    share = {"micollab": (0.4, 0.9), "micollab_off_miteam": (0.4, 0.9),
             "standalone": (0.3, 0.8), "none_left": (0.5, 1.0), "s9_kept": (0.3, 0.7),
             "over_allocated": (0.5, 0.9)}[kind]
    held = max(1, round(n * rng.uniform(*share)))
    if kind == "none_left":
        return held, held, 0
    if kind == "over_allocated":
        valid = max(0, held - max(1, round(held * rng.uniform(0.05, 0.3))))
        return held, valid, held - valid + rng.randint(0, 3)
    return held, held + max(1, round(held * rng.uniform(0.05, 0.25))), 0


def generate(accounts: int, users: int, seed: int = 1, on: date | None = None,
             progress: Callable[[str], None] | None = None) -> Generated:
    """The records of a database with `accounts` accounts and `users` users."""
    if accounts < 0 or users < 0:
        raise ValueError("counts cannot be negative")
    if users and not accounts:
        raise ValueError("users need at least one account")
    rng = random.Random(seed)
    on = on or today()
    clock = [_EPOCH]

    def stamp() -> str:
        clock[0] += timedelta(seconds=rng.randint(20, 900))
        return clock[0].isoformat(timespec="seconds")

    n_partners = max(1, round(accounts / 50)) if accounts else 1
    pw = len(str(n_partners))
    partners, german = [], {}
    for i in range(n_partners):
        pid = f"p-{i + 1:0{pw}d}"
        de = i % 2 == 0
        german[pid] = de
        stems = _COMPANY_DE if de else _COMPANY_EN
        stem = stems[(i // 2) % len(stems)]
        name = (f"{stem} Kommunikation GmbH" if de else f"{stem} Networks Ltd")
        if i // 2 >= len(stems):
            name = f"{name} {pid[2:]}"  # unique, however many partners
        partners.append({"id": pid, "name": name})

    sizes = _sizes(rng, accounts, users)
    aw, uw = len(str(max(accounts, 1))), max(5, len(str(max(users, 1))))
    kinds_list = [k for k, _w, _m, _t in _KINDS]
    weights = [w for _k, w, _m, _t in _KINDS]
    flags = {k: (m, t) for k, _w, m, t in _KINDS}
    out_accounts: list[dict] = []
    out_users: list[dict] = []
    orders: list[dict] = []
    audit: list[dict] = []
    kinds: dict[str, str] = {}
    operators = [{"id": f"support-{i}", "name": f"Support engineer {i}", "role": "support",
                  "partner": None, "account": None} for i in (1, 2)]
    order_no = 0
    user_no = 0
    names: set[str] = set()

    def new_order(partner: str, quantity: int, account: str | None, expires: date | None
                  ) -> dict:
        nonlocal order_no
        order_no += 1
        doc = {"id": f"ord-{order_no:06d}", "partner": partner, "product": "miteam",
               "quantity": quantity, "state": "assigned" if account else "unassigned",
               "account": account, "expires": expires.isoformat() if expires else None,
               "created": stamp()}
        orders.append(doc)
        return doc

    def valid_expiry() -> date:
        # Mostly a year or two out; some within the shipped rules' `expiring_days` (30).
        if rng.random() < 0.06:
            return on + timedelta(days=rng.randint(1, 29))
        return on + timedelta(days=rng.randint(60, 1000))

    for i, n in enumerate(sizes):
        aid = f"a-{i + 1:0{aw}d}"
        partner = partners[i % n_partners]["id"]
        de = german[partner]
        kind = "standalone" if i == 0 else rng.choices(kinds_list, weights)[0]
        kinds[aid] = kind
        micollab, miteam = flags[kind]
        while True:
            # German names as compounds ("Lindenapotheken") or two words ("Linden Bau").
            trade = rng.choice(_TRADE_DE)
            company = (f"{rng.choice(_COMPANY_DE)}"
                       f"{rng.choice([trade.lower(), ' ' + trade])} {rng.choice(_FORM_DE)}"
                       if de else
                       f"{rng.choice(_COMPANY_EN)} {rng.choice(_TRADE_EN)} "
                       f"{rng.choice(_FORM_EN)}")
            if company not in names:
                break
            company = f"{company} {aid[2:]}"
            if company not in names:
                break
        names.add(company)
        out_accounts.append({"id": aid, "name": company, "partner": partner,
                             "integrations": {"micollab": micollab, "miteam": miteam}})
        held, valid, expired = _licensed(kind, n, rng)
        for q in _split(rng, valid):
            o = new_order(partner, q, aid, valid_expiry())
            o["assigned_at"] = stamp()
            audit.append(_entry(o["assigned_at"], f"partner-{partner}", "operator",
                                schema.ORDER_ASSIGN, f"order:{o['id']}", aid, partner, None, aid,
                                "s2_partner_assigns"))
        for q in _split(rng, expired):
            o = new_order(partner, q, aid, on - timedelta(days=rng.randint(1, 200)))
            o["assigned_at"] = stamp()
            audit.append(_entry(o["assigned_at"], f"partner-{partner}", "operator",
                                schema.ORDER_ASSIGN, f"order:{o['id']}", aid, partner, None, aid,
                                "s2_partner_assigns"))
        if i % 20 == 0:
            operators.append({"id": f"admin-{aid}", "name": f"Administrator of {company}",
                              "role": "account_admin", "partner": partner, "account": aid})
        first, last = (_FIRST_DE, _LAST_DE) if de else (_FIRST_EN, _LAST_EN)
        domain = _ascii(company.split(" ")[0]) + f"-{aid[2:]}" + (".de" if de else ".co.uk")
        on_users = set(rng.sample(range(n), held)) if held else set()
        by_micollab = kind in ("micollab", "micollab_off_miteam", "s9_kept")
        actor = "micollab" if by_micollab else "operator"
        who = "micollab" if by_micollab else f"partner-{partner}"
        op_name, rule = ((schema.MICOLLAB_SET, "s4_micollab_server") if by_micollab
                         else (schema.LICENSE_SET, "s10_switch_standalone"))
        for j in range(n):
            user_no += 1
            uid = f"u-{user_no:0{uw}d}"
            f, l_ = rng.choice(first), rng.choice(last)
            has = j in on_users
            out_users.append({
                "id": uid, "account": aid, "name": f"{f} {l_}",
                "email": f"{_ascii(f)}.{_ascii(l_)}.{user_no}@{domain}",
                "licenses": {"miteam": has}, "set_by": {"miteam": actor if has else None},
            })
            if has:
                audit.append(_entry(stamp(), who, actor, op_name, f"user:{uid}", aid,
                                    partner, False, True, rule))
        if progress and i % 200 == 199:
            progress(f"{i + 1} accounts, {user_no} users")

    for p in partners:
        operators.append({"id": f"partner-{p['id']}", "name": f"Partner desk of {p['name']}",
                          "role": "partner", "partner": p["id"], "account": None})
        # Orders on the partner's Orders page, not yet assigned: valid, expiring, expired.
        for _ in range(rng.randint(2, 5)):
            r = rng.random()
            expires = (on - timedelta(days=rng.randint(1, 300)) if r < 0.2
                       else valid_expiry())
            new_order(p["id"], rng.choice((5, 10, 10, 20, 25, 50, 100)), None, expires)

    # The clock only moves forward, so the trail is already in time order.
    for seq, e in enumerate(audit, 1):
        e["seq"] = seq
    records = {"partners": partners, "accounts": out_accounts, "orders": orders,
               "users": out_users, "operators": operators, "audit": audit}
    big = out_accounts[0]["id"] if out_accounts and sizes[0] else None
    return Generated(records, big, kinds)


def _entry(at: str, operator: str, actor: str, operation: str, target: str, account: str,
           partner: str, before: object, after: object, rule: str) -> dict:
    # The shape Session._audit writes; the rule's file position is not known here.
    return {"at": at, "operator": operator, "actor": actor, "operation": operation,
            "target": target, "account": account, "partner": partner, "before": before,
            "after": after, "rule": rule, "rule_at": None, "outcome": "applied"}


def write(path: Path | str, generated: Generated, *, overwrite: bool = False) -> Store:
    """Write the generated records as a new database at `path` (a file, atomically, or a
    postgresql:// URL, in one transaction)."""
    from .database import create_store

    return create_store(path, generated.records, overwrite=overwrite)
