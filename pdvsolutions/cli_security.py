"""``flask accounts``: retention of inactive accounts and reset of a lost second factor."""

import click
from flask import current_app
from flask.cli import AppGroup

from .extensions import db

accounts_cli = AppGroup("accounts", help="Comptes : conservation des données, double facteur.")


@accounts_cli.command("anonymise-inactive")
@click.option("--years", type=click.IntRange(min=1), default=None,
              help="Période d'inactivité (défaut : INACTIVE_ACCOUNT_YEARS, 3 ans).")
def anonymise_inactive_command(years: int | None):
    """Anonymise resident and operator accounts without login for that many years."""
    from .services.privacy import anonymise_inactive

    years = years or current_app.config["INACTIVE_ACCOUNT_YEARS"]
    count = anonymise_inactive(years)
    db.session.commit()
    click.echo(f"anonymised {count} account(s) inactive for {years} year(s)")


@accounts_cli.command("totp-reset")
@click.argument("login")
@click.option("--secret", default=None,
              help="Enrol this base32 secret at once (demo accounts only).")
def totp_reset_command(login: str, secret: str | None):
    """Remove the authenticator app of a staff account (lost phone): it enrols again at login."""
    from .services.accounts import find_by_login
    from .services.second_factor import reset

    user = find_by_login(login)
    if user is None:
        raise click.ClickException("no such account")
    reset(user, secret)
    db.session.commit()
    click.echo(f"second factor reset for account {user.id}")
