"""`python -m rules.cli` is the `miteam` command."""

from . import run

run()
