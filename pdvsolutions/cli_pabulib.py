"""Flask CLI group `pabulib`: tally a Pabulib `.pb` file with the platform's rules."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import click
from flask.cli import AppGroup

from pdvsolutions.rules.pabulib import PbFormatError, format_number, read_pb
from pdvsolutions.rules.tally import Completion, Number, equal_shares, greedy

pabulib_cli = AppGroup("pabulib", help="Pabulib (.pb) files: tally with the platform's rules.")

def _json_number(value: Number) -> int | str:
    """Integers as JSON numbers, other exact values as decimal strings (never a rounded float)."""
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    try:
        return format_number(value)
    except ValueError:  # no finite decimal expansion: keep the exact fraction
        return str(value)


@pabulib_cli.command("tally")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice(["greedy", "equal-shares"]), required=True)
@click.option(
    "--completion",
    type=click.Choice(["none", "add1", "add1-comparison"]),
    default=None,
    help="Equal Shares completion; default: what the file's META rule names, else none.",
)
def tally_command(path: Path, rule: str, completion: str | None) -> None:
    """Print the outcome of RULE on the .pb file PATH as JSON."""
    try:
        election = read_pb(path.read_text(encoding="utf-8-sig"))
    except (PbFormatError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    data = election.tally_input()
    if rule == "greedy":
        result = greedy(data)
    else:
        chosen: Completion = completion or election.completion  # type: ignore[assignment]
        result = equal_shares(data, chosen)
    output = {
        "rule": result.rule,
        "selected": sorted(result.selected),
        "cost": _json_number(result.cost),
        "budget": _json_number(result.budget),
    }
    if result.completion is not None:
        output["completion"] = result.completion.method
    click.echo(json.dumps(output, ensure_ascii=False))


@pabulib_cli.command("export")
@click.argument("round_id", type=int)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
def export_command(round_id: int, output: Path | None) -> None:
    """Write the anonymous ballots of round ROUND_ID as a .pb file."""
    from pdvsolutions.extensions import db
    from pdvsolutions.models import Round
    from pdvsolutions.services import voting
    from pdvsolutions.services.voting_pabulib import export_round

    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(f"no round {round_id}")
    roll = voting.roll_of(round_)
    if roll is None or roll.closed_at is None:
        raise click.ClickException("the vote of this round is not closed: ballots stay secret")
    text = export_round(round_)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@pabulib_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--territory", default=None, help="Territory name (default: the first one).")
@click.option("--publish/--no-publish", default=True, help="Tally and publish the result.")
def import_command(path: Path, territory: str | None, publish: bool) -> None:
    """Create a demo round (vote closed) from the real election in the .pb file PATH."""
    import sqlalchemy as sa

    from pdvsolutions.errors import DomainError
    from pdvsolutions.extensions import db
    from pdvsolutions.models import Territory
    from pdvsolutions.services import voting
    from pdvsolutions.services.voting_pabulib import import_election

    try:
        election = read_pb(path.read_text(encoding="utf-8-sig"))
    except (PbFormatError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    query = sa.select(Territory).order_by(Territory.id)
    if territory:
        query = query.where(Territory.name == territory)
    place = db.session.scalar(query.limit(1))
    if place is None:
        raise click.ClickException("no territory: run `flask demo load` or create one first")
    try:
        round_ = import_election(election, place, None)
        if publish:
            voting.tally_round(round_, None)
            voting.publish_results(round_, None)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(json.dumps({"round": round_.id, "ballots": len(election.voters)}))
