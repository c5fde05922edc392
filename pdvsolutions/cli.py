"""Command-line tools: ``flask territories``, ``flask audit``, ``flask outbox``, ``flask demo``."""

import click
from flask.cli import AppGroup

from .extensions import db

territories_cli = AppGroup("territories", help="Quartiers prioritaires et territoires.")
audit_cli = AppGroup("audit", help="Journal d'audit.")
outbox_cli = AppGroup("outbox", help="Boîte d'envoi des courriels.")
demo_cli = AppGroup("demo", help="Données de démonstration.")


@territories_cli.command("import-qpv")
def import_qpv_command():
    """Import (or refresh) the official QPV list shipped with the project."""
    from .services.territories import import_qpv

    added, updated = import_qpv()
    db.session.commit()
    click.echo(f"QPV: {added} added, {updated} updated")


@audit_cli.command("verify")
def audit_verify_command():
    """Check the hash chain of the audit log; exit 1 and name the first broken row."""
    from .services.audit import verify_chain

    broken = verify_chain()
    if broken is not None:
        click.echo(f"BROKEN at audit event {broken.id} ({broken.action}, {broken.created_at})")
        raise SystemExit(1)
    click.echo("audit chain OK")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True)
def outbox_send_command(limit: int):
    """Send pending messages over SMTP and mark them sent."""
    from .services.outbox import send_pending

    sent, failed = send_pending(limit)
    click.echo(f"sent: {sent}, failed: {failed}")
    if failed:
        raise SystemExit(1)


@demo_cli.command("load")
def demo_load_command():
    """Load the demo data (idempotent: running it twice changes nothing)."""
    from .demo import load

    for line in load():
        click.echo(line)


def init_app(app) -> None:
    from .cli_security import accounts_cli

    for group in (territories_cli, audit_cli, outbox_cli, demo_cli, accounts_cli):
        app.cli.add_command(group)
