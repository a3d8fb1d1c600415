"""The rule language's language server (`miteam rules lsp`, optional extra `lsp`)."""
