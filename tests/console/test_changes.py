"""The change gateway without a screen (tui/changes.py): previews, applying, refusals, stale
previews and the words that say what happened, with a recording stand-in for the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.ops.actions import SetIntegration, SetLicense
from rules.ops.session import Session
from rules.records.store import Store
from tui.changes import Changed, Changes, Confirmation, preview_lines, users_source

KRANICH_HOLDERS = [f"u-10{n}" for n in range(29, 36)]  # the licenses S8 revokes at Kranich


@dataclass
class Surface:
    """Stands in for the app: records what the controller tells the operator."""

    session: Session
    lang: str = "en"
    readonly: bool = False
    notices: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Changed] = field(default_factory=list)
    questions: list[Confirmation] = field(default_factory=list)
    reloads: int = 0

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               **_: object) -> None:
        self.notices.append((severity, f"{title}: {message}" if title else message))

    def post_change(self, change: Changed) -> None:
        self.changes.append(change)

    def reload_place(self) -> None:
        self.reloads += 1

    def ask(self, question: Confirmation) -> None:
        self.questions.append(question)


@pytest.fixture
def stores(demo_db: Path):
    opened: list[Store] = []

    def session(operator: str = "anna.huber", lang: str = "en") -> Session:
        store = Store(demo_db)
        opened.append(store)
        return Session(store, RuleSet.load(), operator, lang)

    yield session
    for store in opened:
        store.close()


def licensed(session: Session, user: str) -> bool:
    return session.store.read().get("users", user)["licenses"]["miteam"]


def test_switching_a_license_applies_it_and_says_so(stores):
    surface = Surface(stores())
    outcome = Changes(surface).switch_license("u-1036", value=True)
    assert outcome is not None and outcome.changed
    assert licensed(surface.session, "u-1036")
    assert surface.notices[-1][0] == "information"
    assert "u-1036" in surface.notices[-1][1] and "ON" in surface.notices[-1][1]
    assert [c.outcome is not None for c in surface.changes] == [True]
    assert surface.reloads == 1


def test_a_refused_switch_says_why_and_keeps_it_for_w(stores):
    surface = Surface(stores())
    changes = Changes(surface)
    assert changes.switch_license("u-1057", value=True) is None  # S12: none left
    severity, text = surface.notices[-1]
    assert severity == "error" and "Licenses not available" in text and "w" in text
    assert surface.changes[-1].refused and surface.changes[-1].rule
    assert changes.last_refusal is not None
    assert changes.last_refusal[0] == SetLicense("u-1057", "miteam", True)
    assert not licensed(surface.session, "u-1057")
    assert surface.reloads == 0


def test_a_stale_switch_is_refused_naming_the_change(stores):
    """The screen showed u-1036 OFF; another console switched it on meanwhile: switching
    "from OFF" is refused instead of silently doing nothing or the opposite."""
    surface = Surface(stores())
    Changes(Surface(stores("markus.weber"))).switch_license("u-1036", value=True)
    assert Changes(surface).switch_license("u-1036", seen=False) is None
    assert surface.notices[-1][0] == "error"
    assert licensed(surface.session, "u-1036")


def test_a_read_only_console_changes_nothing_and_says_so(stores):
    surface = Surface(stores(), readonly=True)
    changes = Changes(surface)
    assert changes.switch_license("u-1036", value=True) is None
    assert changes.switch_integration("a-kranich", "miteam", value=False) is None
    assert changes.assign_choices("ord-1006") is None
    assert [n for n in surface.notices] == [("warning", "this console is read-only")] * 3
    assert not licensed(surface.session, "u-1036")
    assert not surface.questions


def test_s8_switch_asks_first_with_every_user_it_touches(stores):
    surface = Surface(stores())
    changes = Changes(surface)
    assert changes.switch_integration("a-kranich", "miteam", value=False) is None
    [question] = surface.questions
    assert question.action == SetIntegration("a-kranich", "miteam", False)
    assert question.users == KRANICH_HOLDERS
    assert "7 MiTeam Meetings licenses will be switched off" in " ".join(question.lines)
    assert all(licensed(surface.session, u) for u in KRANICH_HOLDERS)  # asked, not done
    source = users_source(surface.session, question.users, page_size=3)
    # Only the pages asked for are read: the first (for the total) and the last.
    assert source.total() == 7 and source.row(6).key == "u-1035" and source.fetches == 2
    assert changes.confirmed(question) is not None
    assert not any(licensed(surface.session, u) for u in KRANICH_HOLDERS)
    assert "7" in surface.notices[-1][1]


def test_s8_confirmed_after_another_console_changed_it_is_refused_as_stale(stores):
    surface = Surface(stores())
    changes = Changes(surface)
    changes.switch_integration("a-kranich", "miteam", value=False)
    [question] = surface.questions
    Changes(Surface(stores("markus.weber"))).switch_license("u-1036", value=True)
    assert changes.confirmed(question) is None
    assert "changed after its preview" in surface.notices[-1][1]
    assert all(licensed(surface.session, u) for u in [*KRANICH_HOLDERS, "u-1036"])


def test_plans_touch_no_screen_until_carried_out(stores):
    """A plan is the slow part (the dry run, run in a worker): it says nothing until the
    app carries it out on the screen's thread."""
    surface = Surface(stores())
    changes = Changes(surface)
    plan = changes.plan_integration("a-kranich", "miteam", value=False)
    refused = changes.plan_license("u-1057", value=True)
    assert plan.question is not None and refused.refusal is not None
    assert not surface.notices and not surface.changes and not surface.questions
    changes.carry_out(refused)
    assert "Licenses not available" in surface.notices[-1][1]


def test_assign_choices_refuse_an_expired_order_and_w_asks_about_it(stores):
    surface = Surface(stores())
    changes = Changes(surface)
    assert changes.assign_choices("ord-1008") is None  # expired
    assert surface.notices[-1][0] == "error" and "ord-1008" in surface.notices[-1][1]
    assert changes.assign_why_account("ord-1008", None) is not None
    assert changes.assign_choices("ord-nowhere") is None
    assert "ord-nowhere" in surface.notices[-1][1]


def test_unknown_user_is_one_clear_message(stores):
    surface = Surface(stores())
    assert Changes(surface).switch_license("u-9999", value=True) is None
    assert surface.notices == [("error", "unknown user 'u-9999'")]


def test_german_words_for_a_change_and_its_preview(stores):
    session = stores(lang="de")
    surface = Surface(session, lang="de")
    Changes(surface).switch_license("u-1036", value=True)
    assert "EIN" in surface.notices[-1][1]
    preview = session.apply(SetIntegration("a-kranich", "miteam", False), dry_run=True)
    lines = preview_lines(session, "de", preview)
    # u-1036 has just been given one: 8 now go.
    assert lines[0].startswith("8 MiTeam Meetings-Lizenzen werden ausgeschaltet")
    assert lines[1].split() == ["u-1029", *session.user("u-1029")["name"].split()]
