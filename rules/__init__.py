"""The headless core of the MiTeam licensing console. Never imports Textual: the console
(`tui/`) shows what this package decides.

The layers, bottom up (import contracts in pyproject.toml hold them):
- `schema` (with the operations' names), `errors`, `i18n`, `paths`, `text` (checking and
  escaping stored text), `cachefiles`: the shared vocabulary every layer may use;
- `records/`: records and their store; `lang/`: the rule language (neither knows the other);
- `engine/`: a loaded rule set, reload, the rule-test runner (uses `lang/`);
- `ops/`: operations applied by a `Session` under the rules (uses `engine/` and `records/`);
- `scenario/`: scripted sessions; `cli/`: the `miteam` command; `lsp/`: the language
  server; `bench/`: the measurements; `policy/`: the shipped rules.
"""

__version__ = "0.1.0"
