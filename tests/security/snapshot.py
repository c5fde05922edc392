"""Database snapshots: every row of every table, or only the columns an attacker would target."""

import sqlalchemy as sa

from pdvsolutions.extensions import db

#: Columns a mass-assignment attack would try to set.
SENSITIVE = {"role", "is_admin", "phase", "status", "round_id", "user_id", "organization_id"}


def _tables():
    return list(db.metadata.sorted_tables)


def rows() -> dict[str, list[tuple]]:
    """Every row of every table, ordered: any change shows up."""
    return {
        table.name: sorted(map(tuple, db.session.execute(sa.select(table)).all()), key=repr)
        for table in _tables()
    }


def sensitive() -> dict[tuple[str, tuple], dict]:
    """(table, primary key) → values of its sensitive columns (amounts in cents included)."""
    result = {}
    for table in _tables():
        columns = [c for c in table.columns if c.name in SENSITIVE or c.name.endswith("_cents")]
        if not columns:
            continue
        pk = list(table.primary_key.columns)
        names = [c.name for c in columns]
        if any(c.default is not None and c.default.is_callable for c in pk):
            # Ids drawn at random (ballots): two copies of the world cannot share them, so the
            # rows are compared as a sorted list of their values.
            values = sorted((tuple(r) for r in db.session.execute(sa.select(*columns))), key=repr)
            for number, row in enumerate(values):
                result[(table.name, (f"#{number}",))] = dict(zip(names, row, strict=True))
            continue
        for row in db.session.execute(sa.select(*pk, *columns)).all():
            key = tuple(row[: len(pk)])
            result[(table.name, key)] = dict(zip(names, row[len(pk):], strict=True))
    return result
