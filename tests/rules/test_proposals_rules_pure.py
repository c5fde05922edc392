"""The rules of issue 4 know no framework: no Flask, no SQLAlchemy imports."""

import ast
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "pdvsolutions" / "rules"


@pytest.mark.parametrize("name", ["budget.py", "identifiers.py"])
def test_rule_module_imports_no_framework(name):
    tree = ast.parse((RULES / name).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in modules if m.split(".")[0] in {"flask", "sqlalchemy", "flask_babel"}}
