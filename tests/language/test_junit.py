"""`--junit FILE` on `rules test` and `scenario run`: JUnit XML that CI reads."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from rules.paths import SCENARIOS_DIR, SHIPPED_RULES_DIR


def test_rules_test_writes_junit_with_each_test_and_its_failure(miteam, tmp_path):
    rules = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, rules, ignore=shutil.ignore_patterns("__*"))
    (rules / "hostile.test").write_text(
        'test "<script>&\\"quoted\\"" {\n'
        "  expect license.set with account.integrations.micollab = true allowed\n}\n",
        encoding="utf-8")
    out = tmp_path / "rules.xml"
    r = miteam("rules", "test", str(rules), "--junit", str(out), json_out=False)
    assert r.code == 1
    suite = ET.parse(out).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) > 40 and suite.get("failures") == "1"
    (bad,) = [c for c in cases if c.find("failure") is not None]
    assert bad.get("name") == '<script>&"quoted"'  # escaped in the file, intact when read
    assert bad.get("classname").endswith("hostile.test:1")
    assert "expected allowed" in bad.find("failure").text
    assert "<script>" not in out.read_text(encoding="utf-8")


def test_scenario_run_writes_junit_per_scenario(miteam, tmp_path):
    out = tmp_path / "scenarios.xml"
    good = SCENARIOS_DIR / "s12_no_license_left.scenario"
    failing = tmp_path / "failing.scenario"
    failing.write_text(good.read_text(encoding="utf-8").replace(
        'expect refused by s12_no_license_left "Licenses not available"', "expect done"),
        encoding="utf-8")
    r = miteam("scenario", "run", "-q", str(good), str(failing), "--junit", str(out),
               json_out=False)
    assert r.code == 1
    suite = ET.parse(out).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [Path(c.get("name")).name for c in failed] == ["failing.scenario"]
    assert "expected done" in failed[0].find("failure").text


def test_junit_to_an_unwritable_place_is_bad_input(miteam, tmp_path):
    r = miteam("rules", "test", "--junit", str(tmp_path), json_out=False)
    assert r.code == 2 and "is a directory" in r.err
