"""Why not: the smallest change of records that would allow a refused license switch.

Computed from the rules, the way `rules verify` enumerates states: the records a person can
change about *this* account (its integrations, the licenses it holds, another of its users'
licenses) are the levers; every combination of them, fewest first, is applied to the
refused switch's context and asked of the rules again. The smallest combinations that
allow it are the answer, each lever marked with whether the rules let this operator make
that change (else they can ask someone who may). Nothing about other accounts or other
tenants is suggested or read, and an operator outside the account gets no suggestion.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import schema
from ..i18n import t
from .ruleset import RuleSet


@dataclass(frozen=True)
class Lever:
    """One change of records: what it is called, when it applies, what it does, and the
    operation (with its context) that would make it, to ask the rules who may."""

    key: str
    applies: Callable[[dict, str], bool]
    apply: Callable[[dict, str], None]
    operation: Callable[[dict, str], tuple[str, dict]]


def _counts(c: dict, product: str) -> dict:
    return c["account"]["licenses"][product]


def _needed(c: dict, product: str) -> int:
    """Licenses an order must bring so that one is left to assign."""
    return max(1, 1 - _counts(c, product)["available"])


def _add_order(c: dict, product: str) -> None:
    n = _needed(c, product)
    counts = _counts(c, product)
    counts["total"] += n
    counts["available"] += n
    c["account"]["orders"] = c["account"].get("orders", 0) + 1


def _free_one(c: dict, product: str) -> None:
    counts = _counts(c, product)
    counts["assigned"] -= 1
    counts["available"] += 1


def _integration(name: str, value: bool) -> Callable[[dict, str], tuple[str, dict]]:
    def operation(c: dict, product: str) -> tuple[str, dict]:
        return schema.INTEGRATION_SET, {"operator": c["operator"], "account": c["account"],
                                   "partner": c.get("partner", {}), "integration": name,
                                   "value": value}
    return operation


def _assign_operation(c: dict, product: str) -> tuple[str, dict]:
    account = c["account"]
    order = {"id": "(an order)", "partner": account["partner"], "product": product,
             "quantity": _needed(c, product), "state": "unassigned", "account": None,
             "expires": None, "expiring": False}
    return schema.ORDER_ASSIGN, {"operator": c["operator"], "order": order, "account": account,
                            "partner": c.get("partner", {})}


def _free_operation(c: dict, product: str) -> tuple[str, dict]:
    other = {**c["user"], "id": "(another user)", "licenses": {**c["user"]["licenses"],
                                                               product: True}}
    return schema.LICENSE_SET, {**c, "user": other, "product": product, "value": False}


def _set(path: tuple[str, ...], value: object) -> Callable[[dict, str], None]:
    def apply(c: dict, product: str) -> None:
        target = c
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return apply


LEVERS = (
    Lever("wn_micollab_off",
          lambda c, p: bool(c["account"]["integrations"]["micollab"]),
          _set(("account", "integrations", "micollab"), False),
          _integration("micollab", False)),
    Lever("wn_miteam_on",
          lambda c, p: not c["account"]["integrations"]["miteam"],
          _set(("account", "integrations", "miteam"), True),
          _integration("miteam", True)),
    Lever("wn_assign_order", lambda c, p: True, _add_order, _assign_operation),
    Lever("wn_free_license",
          lambda c, p: _counts(c, p)["assigned"] - bool(c["user"]["licenses"][p]) >= 1,
          _free_one, _free_operation),
)


@dataclass
class Step:
    key: str
    licenses: int  # for an order: how many licenses it must bring
    you_can: bool
    refusal: str | None  # the message key the rules refuse the operator with

    def text(self, rules: RuleSet, lang: str) -> str:
        what = t(self.key, lang, count=self.licenses)
        if self.you_can:
            return f"{what} ({t('wn_you_can', lang)})"
        reason = rules.message(self.refusal or "", lang)
        return f"{what} ({t('wn_ask', lang, reason=reason)})"

    def as_dict(self, rules: RuleSet, lang: str) -> dict:
        return {"change": self.key.removeprefix("wn_"), "licenses": self.licenses,
                "you_can": self.you_can, "refused_because": self.refusal,
                "text": self.text(rules, lang)}


@dataclass
class WhyNot:
    """The smallest changes that would allow it: alternatives, each a set of steps."""

    rules: RuleSet
    lang: str
    options: list[list[Step]] = field(default_factory=list)

    def lines(self, lang: str | None = None) -> list[str]:
        lang = lang or self.lang
        if not self.options:
            return [t("wn_none", lang)]
        out = [t("wn_head", lang)]
        for steps in self.options:
            out.append("  - " + t("wn_and", lang).join(s.text(self.rules, lang)
                                                        for s in steps))
        return out

    def as_dict(self) -> dict:
        return {"options": [[s.as_dict(self.rules, self.lang) for s in steps]
                            for steps in self.options]}


def _allowed(rules: RuleSet, c: Mapping, product: str, value: bool, want_view: bool) -> bool:
    d = rules.decide(schema.LICENSE_SET, {**c, "product": product, "value": value})
    if not d.allowed:
        return False
    if want_view and product in rules.program.views:
        v = rules.view(product, {**c, "product": product})
        return v.display == "toggle" and v.mode == "editable"
    return True


def why_not(rules: RuleSet, c: Mapping, product: str, value: bool, lang: str = "en",
            want_view: bool = False) -> WhyNot | None:
    """None when the switch is allowed already (and, with `want_view`, shown editable), or
    when the operator may not even read the account (nothing to say to them)."""
    if _allowed(rules, c, product, value, want_view):
        return None
    if not rules.decide(schema.ACCOUNT_READ, c).allowed:
        return None
    levers = [lv for lv in LEVERS if lv.applies(dict(c), product)]  # type: ignore[arg-type]
    answer = WhyNot(rules, lang)
    for size in range(1, len(levers) + 1):
        for combo in itertools.combinations(levers, size):
            changed = copy.deepcopy(dict(c))
            for lever in combo:
                lever.apply(changed, product)
            if _allowed(rules, changed, product, value, want_view):
                answer.options.append([_step(rules, lv, c, product) for lv in combo])
        if answer.options:
            break
    return answer


def _step(rules: RuleSet, lever: Lever, c: Mapping, product: str) -> Step:
    ctx = copy.deepcopy(dict(c))
    op, op_ctx = lever.operation(ctx, product)
    d = rules.decide(op, op_ctx)
    return Step(lever.key, _needed(ctx, product), d.allowed, d.because)
