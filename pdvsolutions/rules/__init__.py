"""Pure business rules: no Flask, no SQLAlchemy, no I/O (a test enforces it)."""
