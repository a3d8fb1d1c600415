"""The scenario language: what it reads, how it groups lines into steps, and the errors it
gives (file:line:column, the line, a caret, a hint) for what it cannot read."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.ops.actions import SetIntegration, SetLicense
from rules.paths import SCENARIOS_DIR
from rules.scenario import ScenarioError, parse

HEAD = 'scenario "x"\nstart demo\n'


def error_of(source: str) -> str:
    with pytest.raises(ScenarioError) as info:
        parse(source, "t.scenario")
    return info.value.render()


def test_a_scenario_reads_header_given_steps_and_expectations():
    sc = parse(
        "# a comment line\n"
        'scenario "S8: a title"   # trailing comment\n'
        "case S8 cross-tenant\n"
        "start demo\n"
        "date 2026-12-01\n"
        "language de\n"
        'given user u-1030 miteam on set-by micollab\n'
        "\n"
        "expect user u-1030 stored on\n"
        "as anna.huber\n"
        "  expect sees accounts none\n"
        'integration set "Kranich Logistik GmbH" miteam off dry-run\n'
        "  expect revoked 7 by s8_miteam_off_when_standalone\n"
        "license set u-1030 miteam on\n"
        "as markus.weber\n"
        "license set u-1 miteam off\n",
        "t.scenario")
    assert (sc.title, sc.cases, sc.start.kind, sc.on, sc.language) == (
        "S8: a title", ["S8", "cross-tenant"], "demo", date(2026, 12, 1), "de")
    (g,) = sc.given
    assert (g.kind, g.id, g.fields) == ("user", "u-1030", {"miteam": True,
                                                           "set_by": "micollab"})
    # Expectations join the step before them; `as` starts a new step for the checks
    # that follow it; each operation is a step of its own.
    shape = [(s.number, s.operator, type(s.action.do) if s.action else None,
              [e.kind for e in s.expectations]) for s in sc.steps]
    assert shape == [
        (1, "support", None, ["stored"]),
        (2, "anna.huber", None, ["sees"]),
        (3, "anna.huber", SetIntegration, ["effect"]),
        (4, "anna.huber", SetLicense, []),
        (5, "markus.weber", SetLicense, []),
    ]
    action = sc.steps[2].action
    assert action.dry_run
    assert action.do == SetIntegration("Kranich Logistik GmbH", "miteam", False)


def test_windows_line_ends_and_a_missing_last_newline_are_fine():
    sc = parse('scenario "x"\r\nstart empty\r\nexpect sees partners none', "t.scenario")
    assert sc.steps[0].expectations[0].args == {"what": "partners", "ids": []}


def test_every_shipped_scenario_is_well_formed():
    from rules.scenario import parse_file

    shipped = sorted(SCENARIOS_DIR.glob("*.scenario"))
    assert len(shipped) >= 13, f"the shipped scenarios are missing from {SCENARIOS_DIR}"
    for path in shipped:
        parse_file(path)


@pytest.mark.parametrize("line, message, hint", [
    ("licence set u-1 miteam on", "3:1: error: unexpected word 'licence'; expected a step "
     "(license, micollab,", "did you mean 'license'?"),
    ("license set u-1 miteam onn", "3:24: error: unexpected word 'onn'", "did you mean 'on'?"),
    ("expect user u-1 storedx on", "3:17: error: unexpected word 'storedx'",
     "did you mean 'stored'?"),
    ("expect user u-1 shows toggle on read-only",
     "3:33: error: unexpected word 'read-only'; expected 'disabled', 'editable' or 'readonly'",
     "did you mean 'readonly'?"),
    ("order assign ord-1 Kranich Logistik", "unexpected word 'Logistik'",
     "a name with spaces goes in double quotes"),
    ("license set u-1 miteam", "3:23: error: the line ends too early; expected 'off', 'on' or "
     "a word",
     None),
    ('expect user u-1 shows "No licenses', "unexpected '\"No licenses'",
     "a text ends on the line it starts"),
    ("order add o-9 --partner p-alpen", "unexpected '--partner'",
     "options are written without dashes"),
    ("expect refuse", "expected 'account', 'cannot', 'done', 'error',",
     "did you mean 'refused'?"),
])
def test_syntax_errors_name_the_place_and_what_was_expected(line, message, hint):
    text = error_of(HEAD + line + "\n")
    first, source, caret, *rest = text.splitlines()
    assert first.startswith("t.scenario:") and message in first, first
    assert source == "  " + line
    column = int(first.split(":")[2])
    assert caret.startswith("  " + " " * (column - 1) + "^")
    if hint:
        assert rest == [f"  hint: {hint}"] or hint in rest[0]
    else:
        assert rest == []


@pytest.mark.parametrize("source, message", [
    (HEAD + "given user u-1 acount a-x\n",
     "3:16: error: a given user has no 'acount'\n  given user u-1 acount a-x\n"
     "                 ^^^^^^\n  hint: did you mean 'account'?"),
    (HEAD + "order add o-1 partner p quantity 0\n",
     "3:34: error: 'quantity' is a whole number of at least 1, not '0'"),
    (HEAD + "order add o-1 quantity 3\n", "3:1: error: 'order add' needs 'partner'"),
    (HEAD + "order add o-1 partner p quantity 3 expires 2027-13-01\n",
     "3:44: error: '2027-13-01' is not a date"),
    (HEAD + "account add a-1 partner p name \"A\" micollab maybe\n",
     "error: 'micollab' is on or off, not 'maybe'"),
    (HEAD + "operator add x role boss\n", "error: 'role' is one of support, partner, "
     "account_admin; not 'boss'"),
    (HEAD + "license set u-1 teams on\n", "3:17: error: unknown product 'teams'"),
    (HEAD + "license set u-1 u-2 teams on all-or-nothing\n",
     "3:21: error: unknown product 'teams'"),
    (HEAD + "revert x\n", "3:8: error: 'x' is not an audit entry\n  revert x\n         ^\n"
     "  hint: write its number (miteam audit lists them), or last"),
    (HEAD + "revert 0\n", "3:8: error: '0' is not an audit entry"),
    (HEAD + "license set account a-1 where shwn off miteam on\n",
     "3:31: error: users are selected by stored, shown, mode, set_by; not 'shwn'\n"
     "  license set account a-1 where shwn off miteam on\n"
     "                                ^^^^\n  hint: did you mean 'shown'?"),
    (HEAD + "license set account a-1 where mode on miteam on\n",
     "3:36: error: 'mode' is one of editable, readonly, disabled; not 'on'"),
    (HEAD + "partner add p-1 name \"P\" dry-run\n",
     "3:26: error: 'partner add' cannot be tried as a dry run"),
    (HEAD + "expect refused\n", "3:1: error: 'expect refused' is about the step before it, "
     "and there is none"),
    (HEAD + "license set u-1 miteam on\nexpect done\nexpect refused\n",
     "5:1: error: 'expect refused' contradicts 'expect done' on line 4"),
    (HEAD + "expect cannot see partner p-1\n", "error: 'cannot see' is about a user, an "
     "account or an order"),
    (HEAD + "expect account a-1 licenses total 1 total 2\n", "error: 'total' is given twice"),
    (HEAD + "as anna\nstart empty\n", "4:1: error: 'start' belongs to the start, before the "
     "first step (line 3)"),
    (HEAD + "date 2026-1-1\n", "3:6: error: '2026-1-1' is not a date"),
    (HEAD + "language fr\n", "3:10: error: unknown language 'fr'"),
    ('scenario "x"\nstart demo\nstart empty\n', "3:1: error: a second 'start' line (the "
     "first is on line 2)"),
    ("start demo\n", "1:1: error: a scenario starts with its name"),
    ('scenario "x"\n', "1:1: error: a scenario says where it starts"),
])
def test_checks_after_parsing_are_located_too(source, message):
    assert message in error_of(source)


def test_every_problem_is_reported_not_just_the_first():
    text = error_of(HEAD + "given user u-1 acount a-x\nexpect refused\n"
                    "order add o-1 quantity 0\n")
    assert [line.split(": error: ")[1] for line in text.splitlines() if ": error: " in line] \
        == ["a given user has no 'acount'",
            "'expect refused' is about the step before it, and there is none",
            "'quantity' is a whole number of at least 1, not '0'",
            "'order add' needs 'partner'"]


# Robustness: whatever the text, the answer is a scenario or located errors.


def _parse_or_error(text: str) -> None:
    try:
        parse(text, "fuzz.scenario")
    except ScenarioError as exc:
        for d in exc.diagnostics:
            assert d.span.file == "fuzz.scenario" and d.span.line >= 1 and d.span.column >= 1
        assert exc.render()


_WORDS = ["scenario", '"t"', "start", "demo", "empty", "after", "as", "expect", "license",
          "set", "u-1", "miteam", "on", "off", "integration", "a-1", "order", "assign",
          "add", "given", "user", "shows", "toggle", "readonly", "stored", "refused", "by",
          "account", "licenses", "total", "3", "-2", "sees", "none", "dry-run", "\n", "\n",
          "#", '"', "--x", "=", "date", "2026-11-24"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30))
def test_random_word_salad_never_escapes_as_a_crash(words):
    _parse_or_error(" ".join(words))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_shipped_scenario_with_a_character_changed_still_parses_or_says_where(data):
    source = (SCENARIOS_DIR / "s08_miteam_off_after_micollab_off.scenario").read_text()
    at = data.draw(st.integers(0, len(source) - 1))
    char = data.draw(st.sampled_from(['"', "\n", " ", "x", "-", "#", "é", "\t", ""]))
    _parse_or_error(source[:at] + char + source[at + 1:])
