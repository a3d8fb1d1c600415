"""Records and their storage: the store (`store`), a database's lifecycle (`database`),
order dates (`orders`), checks of what records mean (`verify`), and the generated and demo
data (`generate`, `demo`). Nothing here knows the rule language, the engine or operations."""
