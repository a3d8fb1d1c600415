"""`python -m rules` is the `miteam` command."""

from .cli import run

run()
