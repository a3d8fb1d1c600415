"""Hypothesis strategies for rule text: random syntax-valid rule files, written with random
spacing, line breaks and comments, for the formatter and parser properties."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from hypothesis import strategies as st

from rules import schema
from rules.lang import ast

NAMES = ["a", "b", "account", "user", "x_1", "micollab", "value",
         "a_rather_long_condition_name_that_fills_a_line", "another_fairly_long_name_here"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\n    ", "\t", " # why\n",
              "\n# a note\n", "\n\n  # indented note\n\n", " #\n"]

name = st.sampled_from(NAMES)
text = st.text(alphabet="abc XYZ äöü-_.,:!?'", max_size=12).map(lambda s: f'"{s}"') | \
    st.sampled_from(['"with \\"quotes\\""', '"back\\\\slash"', '"line\\nbreak"', '""'])


def _path() -> st.SearchStrategy[list[str]]:
    return st.lists(name, min_size=1, max_size=3).map(
        lambda parts: [t for i, p in enumerate(parts) for t in ((".", p) if i else (p,))])


_leaf = st.one_of(
    _path(),
    st.integers(0, 99).map(lambda n: [str(n)]),
    text.map(lambda s: [s]),
    st.sampled_from([["true"], ["false"], ["none"]]),
)


def _compound(inner: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    def group(tokens: list[str]) -> list[str]:
        return ["(", *tokens, ")"]

    return st.one_of(
        inner.map(lambda e: ["not", *group(e)]),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=4))
        .map(lambda t: [tok for i, e in enumerate(t[1])
                        for tok in ((t[0], *group(e)) if i else group(e))]),
        st.tuples(inner, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), inner)
        .map(lambda t: [*group(t[0]), t[1], *group(t[2])]),
        st.tuples(inner, st.sampled_from(["+", "-"]), inner)
        .map(lambda t: [*group(t[0]), t[1], *group(t[2])]),
        st.tuples(inner, st.lists(inner, max_size=3))
        .map(lambda t: [*group(t[0]), "in", "[",
                        *[tok for i, e in enumerate(t[1]) for tok in ((",", *e) if i else e)],
                        "]"]),
        inner.map(group),
    )


expr = st.recursive(_leaf, _compound, max_leaves=12)


def _show() -> st.SearchStrategy[list[str]]:
    fields_ = st.lists(st.sampled_from(["on", "mode", "message"]), unique=True, max_size=3)

    def build(display: str, chosen: list[str], on: list[str], mode: str, msg: str):
        out = ["show", display]
        for f in chosen:
            out += ["on", *on] if f == "on" else [f, mode if f == "mode" else msg]
        return out

    return st.builds(build, name, fields_, expr, name, name)


_view_rule = st.one_of(
    st.tuples(name, expr, _show()).map(lambda t: ["rule", t[0], "when", *t[1], *t[2]]),
    st.tuples(name, _show()).map(lambda t: ["default", t[0], *t[1]]),
)
_decision = st.one_of(
    st.tuples(name, expr).map(lambda t: ["allow", t[0], "when", *t[1]]),
    st.tuples(name, expr, name).map(lambda t: ["deny", t[0], "when", *t[1], "because", t[2]]),
    name.map(lambda k: ["default", "deny", "because", k]),
)
_effect = st.tuples(st.sampled_from(["grant", "revoke"]), name, _path()).map(
    lambda t: [t[0], t[1], "to" if t[0] == "grant" else "from", *t[2]])
_consequence = st.tuples(name, expr, st.lists(_effect, min_size=1, max_size=2)).map(
    lambda t: ["rule", t[0], "when", *t[1], *[tok for e in t[2] for tok in e]])


def _block(head: list[str], members: st.SearchStrategy[list[str]]):
    return st.lists(members, max_size=4).map(
        lambda ms: [*head, "{", *[tok for m in ms for tok in m], "}"])


_op = st.tuples(name, name).map(lambda t: [t[0], ".", t[1]])
item = st.one_of(
    st.tuples(name, st.lists(st.tuples(name, text), max_size=3)).map(
        lambda t: ["message", t[0], "{", *[tok for lang, s in t[1] for tok in (lang, s)], "}"]),
    st.tuples(name, expr).map(lambda t: ["let", t[0], "=", *t[1]]),
    name.flatmap(lambda p: _block(["view", p], _view_rule)),
    _op.flatmap(lambda op: _block(["policy", *op], _decision)),
    _op.flatmap(lambda op: _block(["after", *op], _consequence)),
)


@st.composite
def rule_files(draw) -> str:
    """A syntax-valid rule file, laid out at random, with comments here and there."""
    tokens = [tok for it in draw(st.lists(item, max_size=5)) for tok in it]
    out = [draw(st.sampled_from(["", "# header\n", "\n\n"]))]
    for tok in tokens:
        out.append(tok)
        out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


def normalized(node: object) -> object:
    """A syntax tree without positions, nested `and`/`or` of one kind flattened: what the
    formatter must keep."""
    if isinstance(node, ast.BoolOp):
        flat: list[object] = []
        for o in node.operands:
            n = normalized(o)
            if isinstance(o, ast.BoolOp) and o.op == node.op:
                flat.extend(n[2])  # type: ignore[index]
            else:
                flat.append(n)
        return ("BoolOp", node.op, flat)
    if is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__, *[normalized(getattr(node, f.name)) for f in fields(node)
                                       if f.name not in ("span", "comments", "source", "path")])
    if isinstance(node, list | tuple):
        return [normalized(n) for n in node]
    return node


# Rule files that pass the checker -----------------------------------------------------
# Random conditions over the schema, well typed, for the evaluator property: a generated
# `licenses.rules` (view, license.set, micollab.set, after license.set) loaded with the
# other shipped files.

_BOOL_PATHS = ["account.integrations.micollab", "account.integrations.miteam",
               "user.licenses.miteam"]
_INT_PATHS = ["account.licenses.miteam.total", "account.licenses.miteam.assigned",
              "account.licenses.miteam.available", "account.orders"]
_STR_PATHS = ["operator.partner", "account.partner", "operator.account", "account.id",
              "user.account", "partner.id", "operator.id"]
_OPTIONAL = {"operator.partner", "operator.account", "user.email"}
_IDS = ['"p-1"', '"p-2"', '"a-1"', '"a-2"']
_LETS = ["is_support", "partner_of_account", "admin_of_account", "may_manage_account"]

_int = st.recursive(
    st.sampled_from(_INT_PATHS) | st.integers(0, 3).map(str),
    lambda inner: st.tuples(inner, st.sampled_from(["+", "-"]), inner)
    .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    max_leaves=3)


def _str_compare() -> st.SearchStrategy[str]:
    def build(path: str, op: str, other: str) -> str:
        if other == "none" and path not in _OPTIONAL:
            other = '"p-1"'
        return f"{path} {op} {other}"

    return st.builds(build, st.sampled_from([*_STR_PATHS, "user.email"]),
                     st.sampled_from(["==", "!="]),
                     st.sampled_from([*_STR_PATHS, *_IDS, "none"]))


def _enum_test() -> st.SearchStrategy[str]:
    roles = st.lists(st.sampled_from(list(schema.ROLES)), min_size=1, max_size=3, unique=True)
    return st.one_of(
        st.sampled_from(list(schema.ROLES)).map(lambda r: f'operator.role == "{r}"'),
        roles.map(lambda rs: "operator.role in [" + ", ".join(f'"{r}"' for r in rs) + "]"),
        st.sampled_from([*schema.ACTORS, None]).map(
            lambda a: "user.set_by.miteam == " + (f'"{a}"' if a else "none")),
        st.just('product == "miteam"'),
    )


def _bool(extra: list[str]) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.sampled_from(_BOOL_PATHS + _LETS + extra),
        st.tuples(_int, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), _int)
        .map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        _str_compare(),
        _enum_test(),
    )
    return st.recursive(leaf, lambda inner: st.one_of(
        inner.map(lambda e: f"not ({e})"),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=3))
        .map(lambda t: f" {t[0]} ".join(f"({e})" for e in t[1])),
    ), max_leaves=6)


@st.composite
def checked_rule_files(draw) -> str:
    """A `licenses.rules` of random, well-typed conditions (may still be refused by the
    checker for what it proves, e.g. a rule that can never match)."""
    counter = iter(range(1000))
    view_cond, policy_cond = _bool(["g_let"]), _bool(["g_let", "value"])
    modes = st.sampled_from(list(schema.MODES))
    out = [f"let g_let = {draw(_bool([]))}", "view miteam {"]
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            show = f"show toggle on {draw(view_cond)} mode {draw(modes)}"
        else:
            show = "show no_licenses message no_licenses"
        out.append(f"  rule g{next(counter)} when {draw(view_cond)} {show}")
    out += [f"  default g{next(counter)} show toggle on {draw(view_cond)} mode editable", "}"]
    for op in ("license.set", "micollab.set"):
        out.append(f"policy {op} {{")
        for _ in range(draw(st.integers(0, 2))):
            out.append(f"  deny g{next(counter)} when {draw(policy_cond)} "
                       "because licenses_not_available")
        for _ in range(draw(st.integers(0, 2))):
            out.append(f"  allow g{next(counter)} when {draw(policy_cond)}")
        out += ["  default deny because not_permitted", "}"]
    out.append("after license.set {")
    for _ in range(draw(st.integers(0, 2))):
        effect = draw(st.sampled_from(["revoke miteam from account.users",
                                       "grant miteam to user"]))
        out.append(f"  rule g{next(counter)} when {draw(policy_cond)} {effect}")
    out.append("}")
    return "\n".join(out) + "\n"
