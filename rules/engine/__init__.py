"""The engine: a loaded rule set (`ruleset`), its live reload (`reload`), and the runner of
rule authors' tests (`tester`). It uses the language; the language never uses it."""
