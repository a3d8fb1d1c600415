"""The Textual console: it shows the core's decisions and decides nothing itself."""
