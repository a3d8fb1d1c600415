"""Operations: the `Session` that applies them under the rules (`session`), the contexts
the rules read (`context`), and the views built from the rules' answers (`views`)."""
