"""The headless core of the MiTeam licensing console: rule language, records, operations.

Never imports textual: the console (`tui/`) shows what this package decides.
"""

__version__ = "0.1.0"
