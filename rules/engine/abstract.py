"""The abstract state space the rules observe, enumerated (for `miteam rules verify`).

The rules read a small finite world: flags, a role, a few references that either point
at the subject's records or elsewhere, and counts whose only meaning to the rules is how
they compare with the constants the rules write (`available <= 0`, `total == 0`). So the
space is derived, not written down: from the schema (`schema.CONTEXTS`: which fields
exist, of which type) and from the rules (which fields they read, which constants and
which other fields they compare them with). Each field gets a handful of candidate
values (a flag both ways; an enum each value, none when optional; a reference the
subject's own id, another one, none; a count 0..the largest constant + 1); their
combinations that records can hold (`_possible`) are evaluated on every *atom* of the
rules (each comparison, each flag read), and states that no atom tells apart are one
abstract state, represented by its cheapest witness (closest to the rule tests' default
records), which is then the smallest counter-example.

Renaming ids changes no rule's answer, so the subject's own records keep fixed ids
(account `a-1` of partner `p-1`, user `u-1`); what varies is where the other records
(the operator, an order, an audit entry) point.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .. import schema
from ..lang import ast
from ..lang.compiler import Compiled
from ..schema import Type
from .tester import world

# Ids of the subject's own records: never varied (see the module docstring).
FIXED = frozenset({"account.id", "account.partner", "partner.id", "user.account", "user.id",
                   "order.id", "subject.id", "account.users"})
# Counts the context builder derives (rules/ops/context.py): not enumerated, computed.
DERIVED = {f"account.licenses.{p}.available": (f"account.licenses.{p}.total",
                                               f"account.licenses.{p}.assigned")
           for p in schema.PRODUCTS}
# References to the subject's records: each may point at them (`p-1`, `a-1`), elsewhere,
# or nowhere. A person's role and references are read together: records tie them.
REFERENCES = {f"{who}.{ref}": f"{ref}.id" for who in ("operator", "subject", "order", "entry")
              for ref in ("partner", "account")}
TIED = {**{f"{who}.{f}": (f"{who}.role", f"{who}.partner", f"{who}.account")
           for who in ("operator", "subject") for f in ("role", "partner", "account")},
        "order.state": ("order.account",)}
# The subject's own ids, which references point at when they point home.
HOMES = world([])
# Names an assertion reads that are the rules' answers, not records.
ANSWERS = ("shown", "switch")


def get(c: Mapping[str, object], path: str) -> object:
    value: object = c
    for part in path.split("."):
        value = value[part]  # type: ignore[index]
    return value


def put(c: dict, path: str, value: object) -> None:
    *head, last = path.split(".")
    for part in head:
        c = c.setdefault(part, {})
    c[last] = value


def type_of(path: str, roots: Mapping[str, Type]) -> Type | None:
    head, *rest = path.split(".")
    t = roots.get(head)
    for part in rest:
        if t is None or t.kind != "record":
            return None
        t = t.fields.get(part)
    return t


@dataclass
class Reads:
    """What a group of expressions reads: fields, the constants each is compared with,
    the fields compared with each other, and the atoms that decide every answer."""

    fields: dict[str, Type] = field(default_factory=dict)
    constants: dict[str, set] = field(default_factory=dict)
    pairs: set[tuple[str, str]] = field(default_factory=set)
    atoms: dict[str, ast.Expr] = field(default_factory=dict)  # keyed by source-free text


def _text(e: ast.Expr) -> str:
    """A span-free key for an atom, so the same comparison in two rules is one atom."""
    if isinstance(e, ast.Path):
        return e.text
    if isinstance(e, ast.Literal):
        return repr(e.value)
    return f"{type(e).__name__}({getattr(e, 'op', '')}:" + ",".join(
        _text(c) for c in ast.children(e)) + ")"


class Reader:
    """Collects `Reads` from expressions, `let`s inlined."""

    def __init__(self, lets: Mapping[str, ast.Let], roots: Mapping[str, Type]) -> None:
        self.lets = lets
        self.roots = roots
        self.reads = Reads()

    def expr(self, e: ast.Expr, depth: int = 0) -> None:
        if isinstance(e, ast.Path):
            head = e.parts[0]
            if head not in self.roots and head in self.lets:
                if depth < 64:  # the checker refuses recursive lets; this is a guard
                    self.expr(self.lets[head].expr, depth + 1)
                return
            self._field(e.text)
            t = type_of(e.text, self.roots)
            if t is not None and t.kind == "bool":
                self.reads.atoms.setdefault(_text(e), e)
            return
        if isinstance(e, ast.Compare | ast.InList):
            self.reads.atoms.setdefault(_text(e), e)
            self._relate(e)
        for child in ast.children(e):
            self.expr(child, depth)

    def _field(self, path: str) -> None:
        if path.split(".")[0] in ANSWERS:
            return
        t = type_of(path, self.roots)
        if t is None or t.kind in ("record", "users"):
            return
        self.reads.fields[path] = t
        for base in DERIVED.get(path, ()):
            self.reads.fields[base] = schema.INT
        for tied in TIED.get(path, ()):
            if tied not in self.reads.fields:
                self._field(tied)

    def _paths(self, e: ast.Expr) -> list[str]:
        if isinstance(e, ast.Path):
            if e.parts[0] in self.lets and e.parts[0] not in self.roots:
                return []
            return [e.text]
        return [p for c in ast.children(e) for p in self._paths(c)]

    def _relate(self, e: ast.Compare | ast.InList) -> None:
        sides = [e.left, e.right] if isinstance(e, ast.Compare) else [e.item, *e.options]
        literals = [s.value for s in sides if isinstance(s, ast.Literal)]
        paths = [p for s in sides if not isinstance(s, ast.Literal) for p in self._paths(s)]
        for p in paths:
            for v in literals:
                self.reads.constants.setdefault(p, set()).add(v)
        for a, b in itertools.combinations(paths, 2):
            self.reads.pairs.add((a, b))


@dataclass
class Space:
    """One space: its fields with their candidate values, and its abstract states."""

    name: str
    roots: dict[str, Type]
    reads: Reads
    candidates: dict[str, list[object]]
    states: list[dict] = field(default_factory=list)  # one witness per abstract state
    tried: int = 0

    def partitions(self) -> list[tuple[str, list[str]]]:
        """Each field and the cells the rules tell apart, for people."""
        out = []
        for path, values in self.candidates.items():
            out.append((path, _cells(path, values, self.reads)))
        for path, (total, assigned) in DERIVED.items():
            if path in self.reads.fields:
                out.append((path, _int_cells(self.reads.constants.get(path, set()),
                                             lowest=None)
                            + [f"(= {total.rsplit('.', 1)[1]} - {assigned.rsplit('.', 1)[1]})"]))
        return out


def _int_cells(constants: set, lowest: int | None = 0) -> list[str]:
    ks = sorted({int(k) for k in constants if isinstance(k, int) and not isinstance(k, bool)})
    if not ks:
        return ["any"]
    cells = [] if lowest is not None and ks[0] <= lowest else [f"< {ks[0]}"]
    for i, k in enumerate(ks):
        cells.append(str(k))
        if i + 1 < len(ks) and ks[i + 1] > k + 1:
            cells.append(f"{k + 1}..{ks[i + 1] - 1}")
    cells.append(f"> {ks[-1]}")
    return cells


def _cells(path: str, values: list[object], reads: Reads) -> list[str]:
    t = reads.fields[path]
    if t.kind == "int":
        if not reads.constants.get(path) and len(values) > 1:
            return [f"0..{values[-1]} (what the derived count compares)"]
        return _int_cells(reads.constants.get(path, set()))
    shown = []
    for v in values:
        text = "none" if v is None else (str(v).lower() if isinstance(v, bool) else f'"{v}"')
        shown.append(text)
    others = [b if a == path else a for a, b in reads.pairs if path in (a, b)]
    if path in FIXED:
        shown.append("(the subject's own)")
    if others and t.kind in ("str", "enum"):
        shown.append("(compared with " + ", ".join(sorted(set(others))) + ")")
    return shown


def _other(value: str) -> str:
    return value[:-1] + "2" if value.endswith("-1") else value + "-other"


def candidates(reads: Reads, defaults: Mapping[str, object]) -> dict[str, list[object]]:
    """The values each field read takes, its default first (the cheapest)."""
    out: dict[str, list[object]] = {}
    ints = {p: {abs(int(k)) for k in reads.constants.get(p, ()) if isinstance(k, int)}
            for p in reads.fields}
    for derived, bases in DERIVED.items():
        for base in bases:
            ints.setdefault(base, set()).update(ints.get(derived, set()))
    for path, t in reads.fields.items():
        if path in DERIVED:
            continue
        default = get(defaults, path)
        if path in FIXED:
            values: list[object] = [default]
        elif t.kind == "bool":
            values = [default, not default]
        elif t.kind == "enum":
            values = [default, *t.values]
        elif t.kind == "int":
            top = max(ints.get(path) or {0}) + 1
            values = list(range(0, top + 1))  # the cost of a count is its size
        else:
            values = [default]
            home = get(HOMES, REFERENCES[path]) if path in REFERENCES else None
            if isinstance(home, str):
                values += [home, _other(home)]
            for a, b in reads.pairs:
                if path in (a, b):
                    home = get(defaults, b if a == path else a)
                    if isinstance(home, str):
                        values += [home, _other(home)]
            values += sorted(v for v in reads.constants.get(path, ()) if isinstance(v, str))
            if len(values) > 1 and isinstance(default, str):
                values.append(_other(default))
        if t.optional:
            values.append(None)
        out[path] = list(dict.fromkeys(values))
    return out


def _possible(f: Mapping[str, object]) -> bool:
    """What records can hold (the facts `db verify` and the context builder keep), over a
    state's fields by path."""
    for who in ("operator", "subject"):
        if f"{who}.role" not in f:
            continue
        role, partner, account = f[f"{who}.role"], f[f"{who}.partner"], f[f"{who}.account"]
        if role == "support" and (partner is not None or account is not None):
            return False
        if role == "partner" and (partner is None or account is not None):
            return False
        if role == "account_admin":
            if partner is None or account is None:
                return False
            if account == f.get("account.id") and partner != f.get("account.partner"):
                return False
    for p in schema.PRODUCTS:
        total = f.get(f"account.licenses.{p}.total")
        if f.get("account.orders") == 0 and total not in (None, 0):
            return False
        if f.get(f"user.licenses.{p}") and f.get(f"account.licenses.{p}.assigned", 1) < 1:
            return False
    state = f.get("order.state")
    if state is not None:
        if state != "expired" and (state == "assigned") != (f.get("order.account") is not None):
            return False
        if state == "expired" and f.get("order.expiring"):
            return False
    return True


def _flatten(c: Mapping, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in c.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def base_context(roots: Iterable[str]) -> dict:
    """The rule tests' default records (every field, plain values where the tests give
    none), for the names a space reads."""
    records = world([])
    return {name: copy.deepcopy(records[name]) for name in roots if name in records}


def _copy(c: Mapping) -> dict:
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in c.items()}


def nested(flat: Mapping[str, object], defaults: Mapping) -> dict:
    """A state as the rules read it (records of records), from its fields by path."""
    c = _copy(defaults)
    for path, value in flat.items():
        if path.split(".")[0] in c:
            put(c, path, value)
    return c


def build(name: str, exprs: Iterable[ast.Expr], lets: Mapping[str, ast.Let],
          roots: Mapping[str, Type]) -> Space:
    """Enumerate the space of `exprs` (with `lets`), over the names `roots`."""
    return build_joint(name, [(exprs, lets)], roots)


def build_joint(name: str, groups: list[tuple[Iterable[ast.Expr], Mapping[str, ast.Let]]],
                roots: Mapping[str, Type]) -> Space:
    """One space for several groups of expressions, each with its own `let`s (two rule
    sets, for `rules diff`): a state tells apart what any of them tells apart."""
    reads = Reads()
    atoms: list[Compiled] = []
    for exprs, lets in groups:
        reader = Reader(lets, roots)
        reader.reads = reads
        before = set(reads.atoms)
        for e in exprs:
            reader.expr(e)
        atoms += [_flat_atom(e, lets, roots) for key, e in reads.atoms.items()
                  if key not in before
                  and not any(p.split(".")[0] in ANSWERS for p in _all_paths(e))]
        # The same text may mean another thing under the other set's `let`s.
        atoms += [_flat_atom(reads.atoms[key], lets, roots) for key in before
                  if key in reads.atoms and _uses_lets(reads.atoms[key], lets, roots)]
    defaults = base_context(roots)
    cands = candidates(reads, defaults)
    space = Space(name, dict(roots), reads, cands)
    base = _flatten(defaults)
    seen: set[tuple] = set()
    for flat in _enumerate(base, cands):
        space.tried += 1
        key = tuple(_safe(a, flat) for a in atoms)
        if key not in seen:
            seen.add(key)
            space.states.append(nested(flat, defaults))
    return space


def _uses_lets(e: ast.Expr, lets: Mapping[str, ast.Let], roots: Mapping[str, Type]) -> bool:
    return any(p.split(".")[0] in lets and p.split(".")[0] not in roots for p in _all_paths(e))


def _safe(fn: Compiled, f: Mapping) -> object:
    try:
        return fn(f)
    except TypeError:  # `none < 0`: the atom has no value here; that too tells states apart
        return "error"


def _flat_atom(e: ast.Expr, lets: Mapping[str, ast.Let], roots: Mapping[str, Type]
               ) -> Compiled:
    """An atom as a function of a state's fields by path (the enumeration's hot loop:
    thousands of states on the shipped rules, so no nested records are built for them)."""
    return _compiled(f"lambda f: {_py(e, lets, roots)}")


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> Compiled:
    return eval(compile(source, "<verify atom>", "eval"), {"__builtins__": {}})  # noqa: S307


def _py(e: ast.Expr, lets: Mapping[str, ast.Let], roots: Mapping[str, Type]) -> str:
    if isinstance(e, ast.Path):
        if e.parts[0] not in roots and e.parts[0] in lets:
            return _py(lets[e.parts[0]].expr, lets, roots)
        return f"f[{e.text!r}]"
    if isinstance(e, ast.Literal):
        return repr(e.value)
    if isinstance(e, ast.Not):
        return f"(not {_py(e.operand, lets, roots)})"
    if isinstance(e, ast.BoolOp):
        return "(" + f" {e.op} ".join(_py(o, lets, roots) for o in e.operands) + ")"
    if isinstance(e, ast.Compare | ast.Arith):
        return f"({_py(e.left, lets, roots)} {e.op} {_py(e.right, lets, roots)})"
    if isinstance(e, ast.InList):
        options = ", ".join(_py(o, lets, roots) for o in e.options)
        return f"({_py(e.item, lets, roots)} in ({options},))"
    raise TypeError(e)


def _all_paths(e: ast.Expr) -> Iterator[str]:
    if isinstance(e, ast.Path):
        yield e.text
    for c in ast.children(e):
        yield from _all_paths(c)


def _cost(value: object, index: int) -> int:
    """A change from the defaults costs 1,000; a count costs its size (fewest changes
    first, then the smallest numbers)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return 1000 if index else 0


def _enumerate(base: dict[str, object], cands: dict[str, list[object]]
               ) -> Iterator[dict[str, object]]:
    """Every possible combination, cheapest first, so the first witness of each abstract
    state is its smallest counter-example."""
    paths = list(cands)
    costs = [[_cost(v, i) for i, v in enumerate(cands[p])] for p in paths]
    combos = sorted(itertools.product(*(range(len(cands[p])) for p in paths)),
                    key=lambda idx: sum(c[i] for c, i in zip(costs, idx, strict=True)))
    derived = [(d, t, a) for d, (t, a) in DERIVED.items() if t in cands or a in cands]
    for idx in combos:
        f = dict(base)
        for p, i in zip(paths, idx, strict=True):
            f[p] = cands[p][i]
        for d, t, a in derived:
            f[d] = f[t] - f[a]  # type: ignore[operator]
        if _possible(f):
            yield f
