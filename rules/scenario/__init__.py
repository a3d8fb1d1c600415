"""Scenarios: scripted operator sessions with expectations, replayed as regression tests.

A scenario file (grammar in `grammar/scenario.lark`) names who acts, where it starts, the
steps (every operation the `miteam` command offers) and what should hold after each one.
`parse_file` reads one (`parser`); `Player` plays it one step at a time on a fresh
temporary database, the way the console drives it, and `run` plays it to the end
(`runner`); `Run` is its transcript and `compare` tells two replays apart (`transcript`);
`write_scenario` turns recorded operations back into scenario text (`writer`).
"""

from .model import Scenario, Step
from .parser import ScenarioError, parse, parse_file
from .runner import Player, Result, StartFailed, run, run_file
from .transcript import Change, Failure, Run, StepReport, compare
from .writer import Recorded, write_scenario

__all__ = [
    "Change", "Failure", "Player", "Recorded", "Result", "Run", "Scenario", "ScenarioError",
    "StartFailed", "Step", "StepReport", "compare", "parse", "parse_file", "run",
    "run_file", "write_scenario",
]
