"""Every shipped scenario replays, holds, and prints the transcript its snapshot holds.

pytest collects each `data/scenarios/*.scenario` as one test. A changed transcript fails
with a diff; after reading it, `pytest --snapshot-update tests/scenarios/test_transcripts.py`
accepts it. Also: the command (`miteam scenario run`), its exit codes and its messages.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rules.cli import main
from rules.engine.ruleset import RuleSet
from rules.paths import SCENARIOS_DIR, SHIPPED_RULES_DIR
from rules.scenario import parse_file, run

SHIPPED = sorted(SCENARIOS_DIR.glob("*.scenario"))
# A parametrisation over nothing would pass: the shipped scenarios must be found.
assert len(SHIPPED) >= 13, f"no shipped scenarios in {SCENARIOS_DIR}"
SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "scenarios"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.load()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_holds_and_matches_its_snapshot(path, rules, snapshot, backend,
                                                         request):
    # The same transcript on both backends: the PostgreSQL store behaves as the file does.
    db = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    result = run(parse_file(path), rules, db=db)
    assert result.passed, result.text()
    snapshot.snapshot_dir = SNAPSHOTS
    snapshot.assert_match(result.text(), f"{path.stem}.txt")


def test_every_s_case_and_the_cross_tenant_refusals_have_a_scenario():
    cases = {c for path in SHIPPED for c in parse_file(path).cases}
    assert {f"S{n}" for n in range(1, 14)} <= cases
    assert "cross-tenant" in cases


def test_every_operation_is_a_step_of_some_shipped_scenario():
    from rules.ops.actions import ACTIONS
    from rules.scenario.many import MANY_STEPS

    # Issue 12's operations of many actions too: several users, revert, an import.
    used = {type(s.action.do) for path in SHIPPED for s in parse_file(path).steps if s.action}
    assert used == set(ACTIONS) | set(MANY_STEPS)


def test_every_snapshot_belongs_to_a_shipped_scenario():
    # A renamed or removed scenario must not leave a stale snapshot behind.
    assert {p.stem for p in SNAPSHOTS.glob("*.txt")} == {p.stem for p in SHIPPED}


# The command ---------------------------------------------------------------------------


def scenario_cmd(capsys, *args: str, cwd: Path | None = None):
    capsys.readouterr()
    code = main(["scenario", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FAILING = """\
scenario "a wrong expectation"
start demo
as anna.huber
license set u-1057 miteam on
  expect refused by s12_no_license_left
expect user u-1057 shows toggle on editable
license set u-1058 miteam on
"""


def test_a_failing_expectation_names_the_step_and_shows_expected_and_got(tmp_path, capsys):
    path = write(tmp_path, "wrong.scenario", FAILING)
    code, out, err = scenario_cmd(capsys, "run", str(path))
    assert code == 1
    # The transcript marks the expectation and says what was expected and what was got.
    assert "FAIL  expect user u-1057 shows toggle on editable  (line 6)" in out
    assert "expected: toggle on editable" in out
    assert 'got:      toggle off disabled "Licenses not available" by s12_none_left' in out
    # A refused step with no `expect refused` after it fails too: every step is expected
    # to be done unless the scenario says otherwise.
    assert "FAIL  expect done  (line 7: implied" in out
    assert "result: 2 steps, 3 expectations, 2 failed: step 1 (line 6), step 2 (line 7)" \
        in out
    # stderr: one line per failure, at file:line:column, naming the step.
    lines = err.strip().splitlines()
    assert lines[0].endswith("wrong.scenario:6:1: step 1: expect user u-1057 shows toggle on "
                             'editable: expected toggle on editable, got toggle off disabled '
                             '"Licenses not available" by s12_none_left')
    assert ":7:1: step 2: expect done: expected done, got refused by s12_no_license_left " \
        'because licenses_not_available "Licenses not available"' in lines[1]


def test_a_malformed_scenario_exits_2_with_place_line_and_caret(tmp_path, capsys):
    path = write(tmp_path, "broken.scenario",
                 'scenario "x"\nstart demo\norder assign ord-1006 Kranich Logistik\n')
    code, out, err = scenario_cmd(capsys, "run", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{path}:3:31: error: unexpected word 'Logistik'; expected 'dry-run' or the end of "
        "the line",
        "  order assign ord-1006 Kranich Logistik",
        "  " + " " * 30 + "^" * len("Logistik"),
        '  hint: one statement per line; a name with spaces goes in double quotes: '
        '"Kranich Logistik GmbH"',
    ]


def test_the_scenario_runs_on_a_temporary_database_never_the_users(tmp_path, capsys):
    mine = tmp_path / "mine.json"
    capsys.readouterr()
    code = main(["--db", str(mine), "scenario", "run", "s08_miteam_off_after_micollab_off"])
    assert code == 0, capsys.readouterr().err
    assert not mine.exists()
    from rules.records.database import default_db_path

    assert not default_db_path().exists()


def test_run_with_no_files_runs_every_shipped_scenario(capsys):
    code, out, err = scenario_cmd(capsys, "run", "--quiet")
    assert code == 0, err
    assert out.splitlines()[-1] == f"{len(SHIPPED)} scenarios: {len(SHIPPED)} pass, 0 fail"


def test_json_output_carries_steps_outcomes_and_failures(tmp_path, capsys):
    path = write(tmp_path, "wrong.scenario", FAILING)
    capsys.readouterr()
    code = main(["--json", "scenario", "run", str(path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["ok"] is False and doc["exit"] == 1
    (sc,) = doc["scenarios"]
    first = sc["steps"][0]
    assert (first["outcome"], first["rule"], first["reason"]) == (
        "refused", "s12_no_license_left", "Licenses not available")
    assert [(f["step"], f["line"]) for f in sc["failures"]] == [(1, 6), (2, 7)]


def test_unknown_scenario_name_is_bad_input(capsys):
    code, out, err = scenario_cmd(capsys, "run", "s99_nothing")
    assert code == 2
    assert "no scenario 's99_nothing'" in err


def test_list_shows_the_shipped_scenarios_and_their_cases(capsys):
    capsys.readouterr()
    assert main(["--json", "scenario", "list"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == [p.stem for p in SHIPPED]
    s8 = next(r for r in rows if r["name"] == "s08_miteam_off_after_micollab_off")
    assert s8["cases"] == ["S8"]


def test_check_reads_without_replaying(tmp_path, capsys):
    good = write(tmp_path, "good.scenario", FAILING)
    code, out, err = scenario_cmd(capsys, "check", str(good))
    assert code == 0 and "well-formed, 2 steps, 2 expectations" in out
    bad = write(tmp_path, "bad.scenario", 'scenario "x"\nstart demo\nexpect refused\n')
    code, out, err = scenario_cmd(capsys, "check", str(bad))
    assert code == 2
    assert "bad.scenario:3:1: error: 'expect refused' is about the step before it" in err


def test_transcripts_are_in_the_scenarios_language(rules):
    result = run(parse_file(SCENARIOS_DIR / "s13_deutsch.scenario"), rules)
    text = result.text()
    assert "Schritt 2 als anna.huber: license set u-1057 miteam on" in text
    assert "abgelehnt durch s12_no_license_left: Lizenzen nicht verfügbar" in text
    assert text.rstrip().endswith("alle erfüllt")


# A changed rule set --------------------------------------------------------------------


@pytest.fixture
def my_rules(tmp_path: Path) -> Path:
    """The shipped rules with S8 weakened: MiTeam off keeps licenses unless over-allocated."""
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("*.py",
                                                                             "__pycache__"))
    f = target / "integrations.rules"
    text = f.read_text(encoding="utf-8")
    old = 'when integration == "miteam" and not value and not account.integrations.micollab'
    assert old in text
    f.write_text(text.replace(old, old + " and account.licenses.miteam.available < 0"),
                 encoding="utf-8")
    return target


def test_scenarios_replay_against_another_rule_set(my_rules, capsys):
    code, out, err = scenario_cmd(capsys, "run", "--rules", str(my_rules),
                                  "s08_miteam_off_after_micollab_off")
    assert code == 1
    assert "got:      no consequences" in out
    # The global option works the same.
    capsys.readouterr()
    assert main(["--rules", str(my_rules), "scenario", "run", "-q",
                 "s12_no_license_left"]) == 0


def test_diff_shows_step_by_step_what_a_rule_change_alters(my_rules, capsys):
    code, out, err = scenario_cmd(capsys, "run", "--rules", str(my_rules), "--diff",
                                  "s08_miteam_off_after_micollab_off", "s12_no_license_left",
                                  "s10_after_s08_switch_on_again")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("s08_miteam_off_after_micollab_off.scenario: 2 of 5 steps differ "
                        "from the shipped rules")
    assert lines[1] == "  step 1 as anna.huber: integration set a-kranich miteam off"
    assert lines[2].startswith("  - s8_miteam_off_when_standalone revoked 7 licenses: u-1029")
    assert "  + FAIL  expect revoked 7 by s8_miteam_off_when_standalone  (line 11)" in lines
    assert "s12_no_license_left.scenario: no step differs from the shipped rules" in lines
    # A scenario that starts after a changed one cannot start: said, not hidden.
    assert any(line.startswith("  result: cannot start: s08_miteam_off_after_micollab_off"
                               ".scenario does not end as it says") for line in lines)


def test_diff_needs_another_rule_set(capsys):
    code, out, err = scenario_cmd(capsys, "run", "--diff")
    assert code == 2 and "--rules DIR" in err


def test_a_broken_rule_set_is_reported_before_anything_runs(tmp_path, capsys):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.rules").write_text("view miteam {\n", encoding="utf-8")
    code, out, err = scenario_cmd(capsys, "run", "--rules", str(broken))
    assert code == 2 and "x.rules" in err and out == ""
