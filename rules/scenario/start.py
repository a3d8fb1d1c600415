"""The records a scenario starts from: the demo data, nothing, or another scenario's end,
with the `given` records written over them as they are (no rule is asked)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..lang.errors import Diagnostic, Span
from ..paths import SCENARIOS_DIR
from ..records.database import demo_records
from ..records.store import TABLES
from ..schema import PRODUCTS
from ..text import check_email, check_id, check_name
from .model import DEFAULT_OPERATOR, GIVEN_FIELDS, Given, Scenario
from .parser import SUFFIX, ScenarioError

_TABLE = {"partner": "partners", "account": "accounts", "user": "users", "order": "orders",
          "operator": "operators"}


def resolve(ref: str, scenario: Scenario) -> Path | None:
    """`start after NAME`: beside the scenario that names it, else a shipped scenario."""
    candidates = []
    name = ref if ref.endswith(SUFFIX) else ref + SUFFIX
    if scenario.path is not None:
        candidates.append(scenario.path.parent / name)
    candidates.append(Path(name))
    candidates.append(SCENARIOS_DIR / name)
    for path in candidates:
        if path.is_file():
            return path
    return None


def base_records(kind: str) -> dict[str, list[dict]]:
    if kind == "demo":
        return demo_records()
    return {t: [] for t in TABLES}


def with_support(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every scenario database has the support operator steps act as before any `as`."""
    operators = records.setdefault("operators", [])
    if not any(o.get("id") == DEFAULT_OPERATOR for o in operators):
        operators.append({"id": DEFAULT_OPERATOR, "name": "Scenario support", "role": "support",
                          "partner": None, "account": None})
    return records


def apply_given(records: dict[str, list[dict]], scenario: Scenario) -> dict[str, list[dict]]:
    """Write each `given` record over the start records; every problem located."""
    records = copy.deepcopy(records)
    problems: list[Diagnostic] = []
    for g in scenario.given:
        table = records.setdefault(_TABLE[g.kind], [])
        index = {doc["id"]: i for i, doc in enumerate(table)}
        old = table[index[g.id]] if g.id in index else None
        if old is None:
            missing = [f.name for f in GIVEN_FIELDS[g.kind] if f.required and f.key not in g.fields]
            if missing:
                problems.append(Diagnostic(
                    "error", f"there is no {g.kind} '{g.id}' to change, and a new one needs "
                    + " and ".join(f"'{m}'" for m in missing), g.span,
                    "name every field a new record needs, or check the id"))
                continue
        problem = _hostile_text(g, scenario.language)
        if problem is not None:
            problems.append(problem)
            continue
        doc = _merge(g, old, scenario)
        if old is None:
            table.append(doc)
        else:
            table[index[g.id]] = doc
    # References are checked once every given record is in: they may name each other.
    for g in scenario.given:
        problems.extend(_references(g, records))
    if problems:
        raise ScenarioError(problems, {scenario.name: scenario.source})
    return records


def _hostile_text(g: Given, lang: str) -> Diagnostic | None:
    """`given` writes records in directly, so it checks their text the way adding a record
    does (rules/text.py): an id as a whole, names and e-mails without control characters."""
    try:
        check_id(g.id, lang)
        if "name" in g.fields:
            check_name(g.fields["name"], lang)
        if "email" in g.fields:
            check_email(g.fields["email"], lang)
    except BadInput as exc:
        return Diagnostic("error", str(exc), g.span)
    return None


def _merge(g: Given, old: dict | None, scenario: Scenario) -> dict[str, Any]:
    f = g.fields
    if g.kind == "partner":
        return {"id": g.id, **(old or {}), **{k: f[k] for k in ("name",) if k in f}}
    if g.kind == "account":
        doc = {"id": g.id, **(old or {"integrations": {"micollab": False, "miteam": True}})}
        doc.update({k: f[k] for k in ("partner", "name") if k in f})
        doc["integrations"] = {**doc["integrations"],
                               **{k: f[k] for k in ("micollab", "miteam") if k in f}}
        return doc
    if g.kind == "user":
        doc = {"id": g.id, "email": None, **(old or {})}
        doc.setdefault("licenses", {p: False for p in PRODUCTS})
        doc.setdefault("set_by", {p: None for p in PRODUCTS})
        doc.update({k: f[k] for k in ("account", "name", "email") if k in f})
        if "miteam" in f:
            doc["licenses"] = {**doc["licenses"], "miteam": f["miteam"]}
            if "set_by" not in f:
                doc["set_by"] = {**doc["set_by"], "miteam": None}
        if "set_by" in f:
            doc["set_by"] = {**doc["set_by"], "miteam": f["set_by"]}
        return doc
    if g.kind == "order":
        doc = {"id": g.id, "product": "miteam", "account": None, "expires": None,
               "created": f"{scenario.on.isoformat()}T09:00:00+00:00", **(old or {})}
        doc.update({k: f[k] for k in ("partner", "quantity", "product", "account", "expires")
                    if k in f})
        doc["state"] = "assigned" if doc.get("account") else "unassigned"
        return doc
    doc = {"id": g.id, "name": g.id, "partner": None, "account": None, **(old or {})}
    doc.update({k: f[k] for k in ("role", "partner", "account", "name") if k in f})
    return doc


def _references(g: Given, records: dict[str, list[dict]]) -> list[Diagnostic]:
    ids = {t: {d["id"] for d in records.get(t, []) if "id" in d} for t in _TABLE.values()}
    doc = next((d for d in records[_TABLE[g.kind]] if d.get("id") == g.id), None)
    if doc is None:  # not written: its own problem is reported already
        return []
    out = []
    for field_name, kind in (("partner", "partner"), ("account", "account")):
        value = doc.get(field_name)
        if value is not None and field_name in _refs(g.kind) and value not in ids[_TABLE[kind]]:
            out.append(Diagnostic("error", f"the {g.kind} '{g.id}' names {kind} '{value}', "
                                  f"which does not exist", g.span))
    if g.kind == "operator":
        role = doc.get("role")
        if role == "partner" and not doc.get("partner"):
            out.append(Diagnostic("error", f"the partner operator '{g.id}' needs 'partner'",
                                  g.span))
        if role == "account_admin" and not doc.get("account"):
            out.append(Diagnostic("error", f"the account admin '{g.id}' needs 'account'",
                                  g.span))
    return out


def _refs(kind: str) -> tuple[str, ...]:
    return {"account": ("partner",), "user": ("account",), "order": ("partner", "account"),
            "operator": ("partner", "account")}.get(kind, ())


def start_problem(scenario: Scenario, message: str, hint: str | None = None) -> ScenarioError:
    span = scenario.start.span
    return ScenarioError([Diagnostic("error", message, Span(span.file, span.line, span.column,
                                                              span.end_line, span.end_column),
                                     hint)], {scenario.name: scenario.source})
