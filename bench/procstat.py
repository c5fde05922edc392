"""CPU time of processes read from /proc, for the benchmarks (Linux)."""

import os
from pathlib import Path

import sqlalchemy as sa

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])


def database_backends(engine: sa.Engine) -> set[int]:
    """PIDs of the client backends on the engine's database (not this one, not autovacuum)."""
    with engine.connect() as connection:
        return set(connection.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = :name "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"),
            {"name": engine.url.database}).scalars())
