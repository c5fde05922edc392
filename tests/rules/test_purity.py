"""``rules/`` is pure Python: it imports neither Flask nor SQLAlchemy (parsed with ast)."""

import ast
from pathlib import Path

import pdvsolutions.rules

RULES = Path(pdvsolutions.rules.__file__).parent
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "wtforms", "pdvsolutions.extensions",
             "pdvsolutions.models", "pdvsolutions.services")


def _imports(source: str) -> set[str]:
    """Absolute module names imported by ``source``, a module of ``pdvsolutions.rules``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = "pdvsolutions.rules" if node.level == 1 else "pdvsolutions"
                names.add(f"{base}.{node.module}" if node.module else base)
            else:
                names.add(node.module)
    return names


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f if f.endswith("_") else f + ".") for f in FORBIDDEN)


def test_rules_import_neither_flask_nor_sqlalchemy():
    files = sorted(RULES.rglob("*.py"))
    assert len(files) >= 3
    bad = {f"{path.name}: {name}" for path in files for name in _imports(path.read_text()) if _forbidden(name)}
    assert not bad, sorted(bad)


def test_rules_purity_check_catches_a_framework_import():
    source = "import sqlalchemy as sa\nfrom flask import g\nfrom ..models import Round\n"
    names = _imports(source)
    assert names == {"sqlalchemy", "flask", "pdvsolutions.models"}
    assert all(_forbidden(name) for name in names)
    assert not _forbidden("dataclasses") and not _forbidden("pdvsolutions.rules.phases")
