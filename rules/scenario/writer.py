"""Scenario text from steps: what a recorder writes, and how transcripts quote steps.

`write_scenario` turns what an operator did (a list of (operator, operation, arguments))
into a scenario a person can read and the runner can replay. The same functions render
each step and expectation in transcripts, so what a transcript shows can be pasted into
a scenario as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from ..ops.actions import (
    Action,
    AssignOrder,
    MoveUser,
    RemoveUser,
    SetIntegration,
    SetLicense,
)
from ..schema import PRODUCTS
from .many import ImportUsers, ManyStep, Revert, SwitchMany
from .model import DEFAULT_OPERATOR, GIVEN_FIELDS, Given

_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._@+/-]*$")
# Words the grammar spells out: written in quotes where a name may be quoted, so that an
# account called `orders` is never read as the keyword.
_KEYWORDS = frozenset(
    "scenario case start demo empty after date language given as expect dry-run on off "
    "license micollab integration order assign add partner account user operator miteam "
    "remove move to drop-license done unchanged refused by because error shows toggle "
    "editable readonly disabled "
    "stored set users licenses total assigned available orders state revoked granted no "
    "consequences sees accounts partners none cannot see revert import all-or-nothing "
    "skip-errors where".split())


class Recorded(NamedTuple):
    """One action an operator did. `refused_by`: None when it was done, else the rule
    that refused it ("" when no rule did): a recorder keeps refusals too, and replaying
    them proves they are still refused. `failed`: a step of many actions that wrote its
    good part and answered with an error for the rest (an import's rows in error)."""

    operator: str
    action: Action | ManyStep
    refused_by: str | None = None
    failed: bool = False


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def name(text: str) -> str:
    """An id or a name where the grammar takes either: bare when it is one plain word."""
    return text if _PLAIN.fullmatch(text) and text not in _KEYWORDS else quote(text)


def _switch(on: bool) -> str:
    return "on" if on else "off"


def _options(fields: Iterable[tuple[str, str, str]], values: Mapping[str, Any]) -> list[str]:
    out = []
    for field_name, kind, key in fields:
        value = values.get(key)
        if value is None:
            continue
        if kind == "switch":
            out.append(f"{field_name} {_switch(bool(value))}")
        elif kind == "text":
            out.append(f"{field_name} {name(str(value))}")
        else:
            out.append(f"{field_name} {value}")
    return out


def format_action(action: Action | ManyStep, dry_run: bool = False) -> str:
    """One step as a scenario line: `license set u-1030 miteam on`."""
    words = list(action.words)
    if isinstance(action, SwitchMany):
        if action.account is not None:
            words += ["account", name(action.account),
                      *(w for key, value in action.where for w in ("where", key, value))]
        words += [*action.users, action.product, _switch(action.on)]
        if action.all_or_nothing:
            words.append("all-or-nothing")
    elif isinstance(action, Revert):
        words.append("last" if action.seq is None else str(action.seq))
    elif isinstance(action, ImportUsers):
        words += [name(action.file), "account", name(action.account)]
        if action.skip_errors:
            words.append("skip-errors")
    elif isinstance(action, SetLicense):  # and MicollabSet, its kind
        words += [action.user, action.product, _switch(action.on)]
    elif isinstance(action, SetIntegration):
        words += [name(action.account), action.integration, _switch(action.on)]
    elif isinstance(action, AssignOrder):
        words += [action.order, name(action.account)]
    elif isinstance(action, RemoveUser):
        words += [action.user]
    elif isinstance(action, MoveUser):
        words += [action.user, "to", name(action.to)]
        if action.drop_license:
            words.append("drop-license")
    else:  # an `add` step: the id, then its options
        specs = [(o.name, o.kind, o.key) for o in action.options]  # type: ignore[attr-defined]
        values = action.args()
        if values.get("product") == PRODUCTS[0]:
            values.pop("product")  # the default: the one product there is
        words += [str(values.pop("id")), *_options(specs, values)]
    if dry_run:
        words.append("dry-run")
    return " ".join(words)


def format_given(record: Given) -> str:
    specs = [(f.name, f.kind, f.key) for f in GIVEN_FIELDS[record.kind]]
    return " ".join(["given", record.kind, record.id, *_options(specs, record.fields)])


def format_display(display: Mapping[str, Any]) -> str:
    """What Products and Licenses shows, as `expect user ... shows` takes it."""
    if display.get("display") == "toggle":
        text = f"toggle {_switch(display['on'])} {display['mode']}"
        return text + (f" {quote(display['message'])}" if display.get("message") else "")
    return quote(display.get("message") or "")


def _ids(ids: Sequence[str]) -> str:
    return " ".join(ids) if ids else "none"


def format_expectation(kind: str, args: Mapping[str, Any]) -> str:
    """One expectation as a scenario line: `expect user u-1018 shows "No licenses"`."""
    a = args
    if kind in ("done", "unchanged"):
        body = kind
    elif kind == "refused":
        body = " ".join(["refused", *([f"by {a['by']}"] if a.get("by") else []),
                         *([f"because {a['because']}"] if a.get("because") else []),
                         *([quote(a["text"])] if a.get("text") else [])])
    elif kind == "error":
        body = "error" + (f" {quote(a['text'])}" if a.get("text") else "")
    elif kind in ("shows", "stored"):
        users = a["users"]
        who = f"user {users[0]}" if len(users) == 1 else "users " + " ".join(users)
        if kind == "shows":
            body = f"{who} shows {format_display(a)}" + (f" by {a['by']}" if a.get("by") else "")
        else:
            body = f"{who} stored {_switch(a['on'])}" + (
                f" set by {a['set_by']}" if a.get("set_by") else "")
    elif kind == "licenses":
        counts = " ".join(f"{k} {v}" for k, v in a["counts"].items())
        body = f"account {name(a['account'])} licenses {counts}"
    elif kind == "integrations":
        pairs = " ".join(f"{k} {_switch(v)}" for k, v in a["integrations"].items())
        body = f"account {name(a['account'])} {pairs}"
    elif kind == "account_orders":
        body = f"account {name(a['account'])} orders {_ids(a['orders'])}"
    elif kind == "order":
        parts = [f"order {a['order']}"]
        if a.get("state"):
            parts.append(f"state {a['state']}")
        if a.get("account"):
            parts.append(f"account {name(a['account'])}")
        body = " ".join(parts)
    elif kind == "effect":
        verb = "revoked" if a["action"] == "revoke" else "granted"
        body = f"{verb} {a['count']}" + (f" by {a['by']}" if a.get("by") else "")
    elif kind == "no_effect":
        body = "no consequences"
    elif kind == "sees":
        body = f"sees {a['what']} {_ids(a['ids'])}"
    elif kind == "hidden":
        body = f"cannot see {a['kind']} {a['id']}"
    else:
        raise ValueError(f"no expectation of kind '{kind}'")
    return "expect " + body


def write_scenario(steps: Iterable[Recorded | tuple], *, title: str, start: str = "demo",
                   cases: Sequence[str] = (), on: date | None = None,
                   language: str | None = None, given: Sequence[Given] = ()) -> str:
    """Scenario text for what operators did, in order.

    `steps`: (operator, action) or (..., refused_by), the action as the core applies it
    (`SetLicense(...)`, `AssignOrder(...)`, ...).
    `start`: "demo", "empty", or a scenario file name to start after. A refused step is
    written with `expect refused by RULE`, so that the replay checks it is still refused.
    """
    lines = [f"scenario {quote(title)}"]
    if cases:
        lines.append("case " + " ".join(cases))
    lines.append(f"start {start}" if start in ("demo", "empty")
                 else f"start after {name(start)}")
    if on is not None:
        lines.append(f"date {on.isoformat()}")
    if language is not None:
        lines.append(f"language {language}")
    lines.extend(format_given(g) for g in given)
    current = DEFAULT_OPERATOR
    for item in steps:
        rec = Recorded(*item)
        if rec.operator != current:
            lines.append("")
            lines.append(f"as {rec.operator}")
            current = rec.operator
        lines.append(format_action(rec.action))
        if rec.refused_by is not None:
            # "" for a refusal no rule decided (an operator not registered, say).
            lines.append(f"  {format_expectation('refused', {'by': rec.refused_by or None})}")
        elif rec.failed:
            lines.append(f"  {format_expectation('error', {})}")
    return "\n".join(lines) + "\n"


def format_change(o: Any) -> str:
    """What an operation (an `Outcome`) changed, in scenario words: `u-1030 miteam off → on`."""
    def onoff(v: Any) -> str:
        return ("on" if v else "off") if isinstance(v, bool) else str(v or "-")

    # Targets read KIND:ID ("user:u-1030", "order:ord-1006") or account:ID:INTEGRATION.
    parts = o.target.split(":")
    if isinstance(o.after, dict):  # a new record
        return " ".join(parts)
    if o.after is None and isinstance(o.before, dict):  # a record removed
        return f"{' '.join(parts)} removed"
    if len(parts) == 3:
        return f"{parts[1]} {parts[2]} {onoff(o.before)} → {onoff(o.after)}"
    if isinstance(o.after, bool):  # a user's license (the one product)
        return f"{parts[1]} {PRODUCTS[0]} {onoff(o.before)} → {onoff(o.after)}"
    return f"{parts[-1]} {o.before or 'unassigned'} → {o.after}"
