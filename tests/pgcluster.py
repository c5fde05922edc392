"""A private PostgreSQL cluster for the tests that crash the database server.

The machine's PostgreSQL is shared: a test never stops it. A durability test starts its own
cluster instead (Debian's ``initdb`` and ``pg_ctl`` into a temporary folder, on a free loopback
port, fsync and synchronous commit on, as in production), crashes it with
``pg_ctl stop -m immediate`` (no checkpoint: recovery replays the WAL at the next start) and
removes it afterwards, also when the test fails::

    with private_cluster() as cluster:
        cluster.url                # postgresql://postgres@127.0.0.1:PORT/pdv
        cluster.stop_immediate()   # the crash
        cluster.start()            # recovery

PostgreSQL refuses to run as root: as root, the cluster runs as the ``postgres`` account
(``runuser``); otherwise as the current user. ``PDV_PG_BINDIR`` names another bin folder.
Without the binaries (or that account) the tests skip with the reason, and fail under CI=true.
"""

import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from .stack import free_port

DATABASE = "pdv"


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: PDV_PG_BINDIR, Debian's newest, or the PATH."""
    if os.environ.get("PDV_PG_BINDIR"):
        return Path(os.environ["PDV_PG_BINDIR"])
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version)
    for candidate in reversed(debian):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: a private PostgreSQL cluster is required)")
    pytest.skip(reason)


class PrivateCluster:
    """One cluster in ``root``: data in ``root/data``, log in ``root/postgres.log``."""

    def __init__(self, root: Path, bindir: Path, port: int, account: str | None):
        self.root = root
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.bindir = bindir
        self.port = port
        self.account = account
        self.url = f"postgresql://postgres@127.0.0.1:{port}/{DATABASE}"

    def _run(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bindir / tool), *args]
        if self.account:
            command = ["runuser", "-u", self.account, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False, cwd=self.root)

    def _check(self, result: subprocess.CompletedProcess, what: str) -> None:
        if result.returncode != 0:
            raise RuntimeError(f"{what} failed ({result.returncode}): {result.stderr[-1500:]}\n"
                               f"{self.log_tail()}")

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def init(self) -> None:
        self._check(self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                              "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"), "initdb")

    def start(self) -> None:
        """Start (after a crash: replay the WAL) and wait until connections are accepted."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=on -c synchronous_commit=on -c full_page_writes=on")
        self._check(self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                              "-w", "-t", "120", "start", timeout=180), "pg_ctl start")

    def stop_immediate(self) -> None:
        """The crash: every server process quits at once, without a checkpoint."""
        self._check(self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                    "pg_ctl stop -m immediate")

    def is_running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def create_database(self) -> None:
        self._check(self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port),
                              "-U", "postgres", DATABASE), "createdb")

    def destroy(self) -> None:
        """Stop whatever still runs (by the postmaster's own pid), then remove the folder."""
        if self.data.exists() and self.is_running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
            except (ValueError, IndexError, ProcessLookupError):
                pass
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def private_cluster():
    """Yield a running :class:`PrivateCluster` with an empty database; always removed after."""
    bindir = find_bindir()
    if bindir is None:
        _unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    account = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root without a 'postgres' account: initdb refuses root")
    root = Path(tempfile.mkdtemp(prefix="pdv-pgcluster-"))
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)
    cluster = PrivateCluster(root, bindir, free_port(), account.pw_name if account else None)
    try:
        cluster.init()
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        cluster.destroy()
