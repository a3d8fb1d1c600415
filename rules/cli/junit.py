"""JUnit XML for CI (`rules test --junit FILE`, `scenario run --junit FILE`).

The common schema every CI reads (Jenkins, GitLab, GitHub test reporters): one
`<testsuite>` per command, a `<testcase>` per rule test or scenario, a `<failure>` with
what was expected and what happened. Written with ElementTree, so a hostile test or
scenario name is escaped, never markup; control characters are dropped (XML 1.0 forbids
them).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Case:
    name: str
    classname: str  # the file it is written in
    failures: list[str] = field(default_factory=list)  # one text per failed expectation


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def write(path: str, suite: str, cases: list[Case]) -> None:
    failed = sum(bool(c.failures) for c in cases)
    root = ET.Element("testsuites", tests=str(len(cases)), failures=str(failed))
    node = ET.SubElement(root, "testsuite", name=suite, tests=str(len(cases)),
                         failures=str(failed), errors="0", skipped="0")
    for c in cases:
        case = ET.SubElement(node, "testcase", name=_clean(c.name),
                             classname=_clean(c.classname))
        if c.failures:
            failure = ET.SubElement(case, "failure",
                                    message=_clean(c.failures[0].splitlines()[0][:200]))
            failure.text = _clean("\n\n".join(c.failures))
    ET.indent(root)
    data = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    target = Path(path)
    if target.is_dir():
        raise BadInput(f"--junit {path}: is a directory")
    try:
        target.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"--junit {path}: cannot write ({exc.strerror})") from None
