"""Reading dreams: plain prose or .dream scripts become a `Script` (parse, lint, auto-direct)."""
