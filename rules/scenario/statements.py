"""Scenario lines, as Lark parsed them, → statements: one dataclass per line, each with
its span, the step's action type and arguments resolved; `parser.py` then checks what the
grammar leaves open and groups the statements into steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lark import Token, Transformer, v_args

from ..lang.errors import Span
from ..lang.parser import unquote
from ..ops.actions import (
    ADDERS,
    AssignOrder,
    MicollabSet,
    MoveUser,
    RemoveUser,
    SetIntegration,
    SetLicense,
)
from .many import ImportUsers, Revert, SwitchMany
from .model import Start


@dataclass
class Stmt:
    kind: str  # title cases start date language given actor action expect
    value: Any
    span: Span


@dataclass
class Opt:
    name: str
    value: str  # the text as written (quotes removed)
    quoted: bool
    name_span: Span
    value_span: Span


class ToStatements(Transformer):
    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def _span(self, meta) -> Span:
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, tok: Token) -> Span:
        return Span(self.file, tok.line, tok.column, tok.end_line, tok.end_column)

    def _text(self, tok: Token) -> str:
        return unquote(tok) if tok.type == "STRING" else str(tok)

    def start(self, children):
        return list(children)

    # Header
    @v_args(meta=True)
    def title(self, meta, c):
        return Stmt("title", unquote(c[0]), self._span(meta))

    @v_args(meta=True)
    def cases(self, meta, c):
        return Stmt("cases", [str(w) for w in c], self._span(meta))

    @v_args(meta=True)
    def start_demo(self, meta, c):
        return Stmt("start", Start("demo", None, self._span(meta)), self._span(meta))

    @v_args(meta=True)
    def start_empty(self, meta, c):
        return Stmt("start", Start("empty", None, self._span(meta)), self._span(meta))

    @v_args(meta=True)
    def start_after(self, meta, c):
        return Stmt("start", Start("after", self._text(c[0]), self._tspan(c[0])),
                     self._span(meta))

    @v_args(meta=True)
    def on_date(self, meta, c):
        return Stmt("date", (str(c[0]), self._tspan(c[0])), self._span(meta))

    @v_args(meta=True)
    def language(self, meta, c):
        return Stmt("language", (str(c[0]), self._tspan(c[0])), self._span(meta))

    @v_args(meta=True)
    def given(self, meta, c):
        kind, key, *opts = c
        return Stmt("given", (str(kind), str(key), self._tspan(key), opts), self._span(meta))

    def record_kind(self, c):
        return c[0]

    def option(self, c):
        name, value = c
        return Opt(str(name), self._text(value), value.type == "STRING", self._tspan(name),
                    self._tspan(value))

    # Steps
    @v_args(meta=True)
    def actor(self, meta, c):
        return Stmt("actor", str(c[0]), self._span(meta))

    @v_args(meta=True)
    def action(self, meta, c):
        op, args, extra = c[0]
        dry = len(c) > 1
        return Stmt("action", (op, args, extra, dry, self._tspan(c[1]) if dry else None),
                     self._span(meta))

    def switch(self, c):
        return str(c[0]) == "on"

    def integration_name(self, c):
        return str(c[0])

    def account(self, c):
        return self._text(c[0])

    # A step: (the action type, its arguments, what checking it needs to point at).
    def _license(self, action, c):
        user, product, on = c
        return action, {"user": str(user), "product": str(product), "on": on}, \
            {"product": self._tspan(product)}

    def license_set(self, c):
        all_or_nothing = isinstance(c[-1], Token) and c[-1].type == "ALL_OR_NOTHING"
        if all_or_nothing:
            c = c[:-1]
        if len(c) == 3 and not all_or_nothing:
            return self._license(SetLicense, c)
        *users, product, on = c
        return SwitchMany, {"users": tuple(str(u) for u in users), "product": str(product),
                            "on": on, "all_or_nothing": all_or_nothing}, \
            {"product": self._tspan(product)}

    def license_set_account(self, c):
        all_or_nothing = isinstance(c[-1], Token) and c[-1].type == "ALL_OR_NOTHING"
        account, *wheres, product, on = c[:-1] if all_or_nothing else c
        return SwitchMany, {"users": (), "product": str(product), "on": on,
                            "all_or_nothing": all_or_nothing, "account": account,
                            "where": tuple((k, v) for k, v, _, _ in wheres)}, \
            {"product": self._tspan(product), "where": wheres}

    def where(self, c):
        key, value = c
        return str(key), str(value), self._tspan(key), self._tspan(value)

    def where_value(self, c):
        return c[0]

    def product(self, c):
        return c[0]

    def user_import(self, c):
        file, account, *skip = c
        return ImportUsers, {"file": self._text(file), "account": account,
                             "skip_errors": bool(skip)}, {}

    def revert(self, c):
        (seq,) = c
        return Revert, {"seq": str(seq)}, {"seq": self._tspan(seq)}

    def micollab_set(self, c):
        return self._license(MicollabSet, c)

    def integration_set(self, c):
        account, integration, on = c
        return SetIntegration, {"account": account, "integration": integration, "on": on}, {}

    def order_assign(self, c):
        order, account = c
        return AssignOrder, {"order": str(order), "account": account}, {}

    def user_move(self, c):
        return MoveUser, {"user": str(c[0]), "to": c[1], "drop_license": len(c) > 2}, {}

    def user_remove(self, c):
        return RemoveUser, {"user": str(c[0])}, {}

    def adding(self, c):
        kind, key, *opts = c
        return ADDERS[str(kind)], {"id": str(key)}, {"kind": str(kind), "options": opts,
                                                     "id_span": self._tspan(key)}

    # Expectations
    @v_args(meta=True)
    def expect(self, meta, c):
        kind, args = c[0]
        return Stmt("expect", (kind, args), self._span(meta))

    def exp_done(self, c):
        return "done", {}

    def exp_unchanged(self, c):
        return "unchanged", {}

    def exp_refused(self, c):
        args: dict[str, Any] = {"by": None, "because": None, "text": None}
        for item in c:
            if isinstance(item, tuple):
                args[item[0]] = item[1]
            else:
                args["text"] = unquote(item)
        return "refused", args

    def by(self, c):
        return ("by", str(c[0]))

    def because(self, c):
        return ("because", str(c[0]))

    def exp_error(self, c):
        return "error", {"text": unquote(c[0]) if c else None}

    def users(self, c):
        return [str(u) for u in c]

    def exp_shows(self, c):
        users, display, *rest = c
        args: dict[str, Any] = {"users": users, "by": rest[0][1] if rest else None}
        if isinstance(display, dict):
            args.update(display)
        else:
            args.update({"display": "message", "message": unquote(display)})
        return "shows", args

    def toggle(self, c):
        on, mode, *message = c
        return {"display": "toggle", "on": on, "mode": mode,
                "message": unquote(message[0]) if message else None}

    def mode(self, c):
        return str(c[0])

    def exp_stored(self, c):
        users, on, *set_by = c
        return "stored", {"users": users, "on": on, "set_by": set_by[0] if set_by else None}

    def set_by(self, c):
        return str(c[0])

    def exp_licenses(self, c):
        account, *counts = c
        return "licenses", {"account": account, "counts": list(counts)}

    def count(self, c):
        return (str(c[0]), int(c[1]))

    def count_name(self, c):
        return str(c[0])

    def exp_integrations(self, c):
        account, *pairs = c
        return "integrations", {"account": account, "integrations": list(pairs)}

    def integration(self, c):
        return (c[0], c[1])

    def exp_account_orders(self, c):
        account, *ids = c
        return "account_orders", {"account": account, "orders": _ids(ids)}

    def exp_order(self, c):
        order, *fields = c
        return "order", {"order": str(order), **dict(fields)}

    def order_state(self, c):
        return ("state", str(c[0]))

    def order_account(self, c):
        return ("account", c[0])

    def exp_effect(self, c):
        action, count, *by = c
        return "effect", {"action": "revoke" if action == "revoked" else "grant",
                          "count": int(count), "by": by[0][1] if by else None}

    def effect(self, c):
        return str(c[0])

    def exp_no_effect(self, c):
        return "no_effect", {}

    def exp_sees(self, c):
        what, *ids = c
        return "sees", {"what": what, "ids": _ids(ids)}

    def seen(self, c):
        return str(c[0])

    def exp_hidden(self, c):
        kind, key = c
        return "hidden", {"kind": str(kind), "id": str(key)}


def _ids(tokens: list[Token]) -> list[str]:
    return [] if [t.type for t in tokens] == ["NONE"] else [str(t) for t in tokens]
