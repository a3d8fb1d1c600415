"""The player a console drives (next, previous, run to end), the writer a recorder uses
(operations → scenario text, replayed to the same records), and the transcript's promises:
deterministic, and every "got" written so that it can be pasted back into a scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.ops.actions import (
    AddAccount,
    AddOperator,
    AddOrder,
    AddPartner,
    AddUser,
    AssignOrder,
    MicollabSet,
    MoveUser,
    RemoveUser,
    SetIntegration,
    SetLicense,
)
from rules.paths import SCENARIOS_DIR
from rules.records.store import records
from rules.scenario import Player, Recorded, parse, parse_file, run, write_scenario
from rules.scenario.many import ImportUsers, Revert, SwitchMany
from rules.scenario.model import Action
from rules.scenario.writer import format_action, format_expectation, name

SHIPPED = sorted(SCENARIOS_DIR.glob("*.scenario"))
# A parametrisation over nothing would pass: the shipped scenarios must be found.
assert len(SHIPPED) >= 13, f"no shipped scenarios in {SCENARIOS_DIR}"
S8 = SCENARIOS_DIR / "s08_miteam_off_after_micollab_off.scenario"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.load()


def kranich_assigned(player: Player) -> int:
    return player.session("anna.huber").account("a-kranich")["licenses"]["miteam"]["assigned"]


def test_the_player_steps_forward_and_back_through_a_scenario(rules):
    with Player(parse_file(S8), rules) as player:
        assert (player.index, len(player.steps), player.finished) == (0, 5, False)
        assert kranich_assigned(player) == 7
        held = player.session("anna.huber")  # a console keeps its session across steps
        first = player.next()
        assert first.step.number == 1 and first.passed
        assert first.lines[0] == ("step 1 as anna.huber: integration set a-kranich miteam "
                                  "off")
        assert kranich_assigned(player) == 0
        player.previous()
        assert player.index == 0 and player.reports == []
        assert held.account("a-kranich")["licenses"]["miteam"]["assigned"] == 7
        player.next()
        player.next()
        player.previous()
        assert player.index == 1 and kranich_assigned(player) == 0
        reports = player.run_to_end()
        assert player.finished and len(reports) == 5
        with pytest.raises(IndexError):
            player.next()
        folder = player.path.parent
        assert folder.exists()
    assert not folder.exists()


def test_the_player_shows_what_the_command_prints(rules):
    scenario = parse_file(S8)
    with Player(scenario, rules) as player:
        lines = [*player.header(), *(line for r in player.run_to_end() for line in r.lines)]
    assert lines == run(scenario, rules).lines()[:-1]


def _comparable(recs: dict) -> dict:
    """Records without the clock: when an order was assigned or added, and the audit."""
    return {table: sorted(({k: v for k, v in doc.items() if k not in ("assigned_at",
                                                                        "created")}
                           for doc in docs), key=lambda d: d["id"])
            for table, docs in recs.items() if table != "audit"}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_recorded_session_replays_to_the_same_records(path, rules):
    scenario = parse_file(path)
    with Player(scenario, rules) as player:
        player.run_to_end()
        recorded = player.recorded()
        expected = _comparable(records(player.store.read()))
    text = write_scenario(recorded, title=scenario.title, cases=scenario.cases,
                          start=scenario.start.ref or scenario.start.kind, on=scenario.on,
                          language=scenario.language, given=scenario.given)
    replay = parse(text, "recorded.scenario")
    with Player(replay, rules) as player:
        reports = player.run_to_end()
        assert all(r.passed for r in reports), "\n".join(
            line for r in reports for line in r.lines)
        assert _comparable(records(player.store.read())) == expected


def test_the_writer_writes_what_the_parser_reads_back():
    cases = [
        (SetLicense("u-1", "miteam", True), True),
        (MicollabSet("u-1", "miteam", False), False),
        (SetIntegration("Kranich Logistik GmbH", "micollab", False), True),
        (AssignOrder("ord-1", "orders"), False),
        (AddPartner("p-1", 'Say "Hi" \\ GmbH'), False),
        (AddAccount("a-1", "p-1", "A", micollab=True, miteam=False), False),
        (AddUser("u-1", "a-1", "Eva", "e@x.de"), False),
        (AddOrder("o-1", "p-1", 5, "miteam", "2027-01-31"), False),
        (AddOperator("x.y", "account_admin", account="a-1", name="X Y"), False),
        (RemoveUser("u-1"), True),
        (MoveUser("u-1", "Kranich Logistik GmbH", True), True),
        (MoveUser("u-1", "to", False), False),
        (SwitchMany(("u-1", "u-2"), "miteam", True), True),
        (SwitchMany(("u-1",), "miteam", False, all_or_nothing=True), False),
        (SwitchMany((), "miteam", True, account="Kranich Logistik GmbH",
                    where=(("shown", "off"), ("mode", "editable"))), True),
        (SwitchMany((), "miteam", False, True, account="a-1"), False),
        (Revert(57), True),
        (Revert(None), False),
        (ImportUsers("new staff.csv", "Kranich Logistik GmbH", skip_errors=True), True),
        (ImportUsers("import.csv", "a-1"), False),
    ]
    for action, dry in cases:
        line = format_action(action, dry)
        (step,) = parse(f'scenario "x"\nstart empty\n{line}\n', "w.scenario").steps
        assert step.action == Action(action, step.action.span, dry), line


def test_names_are_quoted_only_when_they_must_be():
    assert name("a-kranich") == "a-kranich"
    assert name("Kranich Logistik GmbH") == '"Kranich Logistik GmbH"'
    assert name("orders") == '"orders"'  # a keyword: quoted, never read as one
    assert name('A "B"') == '"A \\"B\\""'


def test_a_refusal_is_recorded_as_an_expectation():
    text = write_scenario([
        Recorded("anna.huber", SetLicense("u-1057", "miteam", True), "s12_no_license_left"),
        ("nobody", SetLicense("u-1", "miteam", True), ""),
        ("anna.huber", AssignOrder("ord-1006", "a-kranich")),
    ], title="recorded")
    assert text == (
        'scenario "recorded"\nstart demo\n\n'
        "as anna.huber\nlicense set u-1057 miteam on\n"
        "  expect refused by s12_no_license_left\n\n"
        "as nobody\nlicense set u-1 miteam on\n  expect refused\n\n"
        "as anna.huber\norder assign ord-1006 a-kranich\n")


# The transcript ------------------------------------------------------------------------


def test_transcripts_are_deterministic(rules, monkeypatch):
    scenario = parse_file(S8)
    first = run(scenario, rules).text()
    # Another day on the clock changes nothing: the scenario's date is pinned.
    monkeypatch.setenv("MITEAM_TODAY", "2031-01-01")
    assert run(scenario, rules).text() == first
    import tempfile

    assert tempfile.gettempdir() not in first and "miteam-scenario" not in first


def test_refusals_without_a_rule_and_errors_are_outcomes_too(rules):
    result = run(parse(
        'scenario "x"\nstart demo\nas nobody\nlicense set u-1001 miteam on\n'
        "  expect refused \"not registered\"\n"
        "as anna.huber\nlicense set u-9999 miteam on\n  expect error \"unknown user\"\n",
        "x.scenario"), rules)
    assert result.passed, result.text()
    text = result.text()
    assert "refused: operator 'nobody' is not registered in this database" in text
    assert "error: unknown user 'u-9999'" in text


def test_what_was_got_can_be_pasted_into_the_scenario(rules):
    wrong = ('scenario "x"\nstart demo\nas anna.huber\n'
             "expect user u-1057 shows toggle on editable\n"
             "expect user u-1047 stored off\n"
             "expect account a-kranich licenses total 1\n"
             "expect account a-kranich micollab on\n"
             "expect account a-kranich orders none\n"
             "expect order ord-1006 state assigned\n"
             "expect sees accounts a-kranich\n"
             "license set u-1057 miteam on\n  expect refused by x\n"
             "integration set a-kranich miteam off\n  expect revoked 1\n")
    result = run(parse(wrong, "x.scenario"), rules)
    failures = result.failures
    assert len(failures) == 9
    fixed = wrong
    for f in failures:
        fixed = fixed.replace(f.text, f.text.replace(f.expected, f.got), 1)
    assert fixed != wrong
    result = run(parse(fixed, "x.scenario"), rules)
    assert result.passed, result.text()


def test_a_start_after_a_failing_scenario_cannot_start(rules, tmp_path: Path):
    (tmp_path / "first.scenario").write_text(
        'scenario "first"\nstart demo\nexpect user u-1001 stored off\n', encoding="utf-8")
    second = tmp_path / "second.scenario"
    second.write_text('scenario "second"\nstart after first\n', encoding="utf-8")
    result = run(parse_file(second), rules)
    assert not result.passed
    assert result.summary() == (
        "result: cannot start: first does not end as it says: step 1 (line 3) "
        "expect user u-1001 stored off: got stored on set by micollab")


def test_a_loop_of_starts_is_a_malformed_scenario(rules, tmp_path: Path):
    from rules.scenario import ScenarioError

    (tmp_path / "a.scenario").write_text('scenario "a"\nstart after b\n', encoding="utf-8")
    (tmp_path / "b.scenario").write_text('scenario "b"\nstart after a.scenario\n',
                                         encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        run(parse_file(tmp_path / "a.scenario"), rules)
    assert "starts, in the end, after this scenario: a loop" in info.value.render()


def test_given_records_are_checked_against_the_start(rules):
    from rules.scenario import ScenarioError

    with pytest.raises(ScenarioError) as info:
        run(parse('scenario "x"\nstart demo\ngiven user u-9999 name "X"\n'
                  'given user u-9998 account a-nowhere name "Y"\n', "x.scenario"), rules)
    text = info.value.render()
    assert "x.scenario:3:1: error: there is no user 'u-9999' to change, and a new one " \
        "needs 'account'" in text
    assert "x.scenario:4:1: error: the user 'u-9998' names account 'a-nowhere', which does " \
        "not exist" in text


def test_format_expectation_round_trips_through_the_parser():
    lines = [
        'expect refused by r because k "text"', 'expect error "x"', "expect done",
        "expect unchanged", "expect users u-1 u-2 shows toggle off disabled \"N\" by r",
        'expect user u-1 shows "No licenses"', "expect user u-1 stored on set by micollab",
        "expect account a-1 licenses total 1 assigned 2 available -1",
        "expect account \"A B\" micollab on miteam off", "expect account a-1 orders none",
        "expect order o-1 state assigned account a-1", "expect revoked 7 by r",
        "expect granted 1", "expect no consequences", "expect sees orders o-1 o-2",
        "expect cannot see user u-1",
    ]
    # One step each: `expect done` and `expect refused` cannot both hold for one step.
    source = 'scenario "x"\nstart demo\n' + "".join(
        f"license set u-1 miteam on\n{line}\n" for line in lines)
    steps = parse(source, "x.scenario").steps
    assert [format_expectation(e.kind, e.args) for s in steps for e in s.expectations] \
        == lines
