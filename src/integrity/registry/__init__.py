"""Registry rules that need no database (pure)."""
