"""Flask CLI group `pabulib`: tally a Pabulib `.pb` file with the platform's rules."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import click
from flask.cli import AppGroup

from pdvsolutions.rules.pabulib import PbFormatError, read_pb
from pdvsolutions.rules.tally import Completion, Number, equal_shares, greedy

pabulib_cli = AppGroup("pabulib", help="Pabulib (.pb) files: tally with the platform's rules.")

#: completion implied by a file's META rule when --completion is not given
META_COMPLETION: dict[str, Completion] = {
    "equalshares/add1": "add1",
    "equalshares/add1-comparison": "add1-comparison",
}


def _json_number(value: Number) -> int | str:
    """Integers as JSON numbers, other exact values as strings (never a rounded float)."""
    value = Fraction(value)
    return int(value) if value.denominator == 1 else str(value)


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
        chosen: Completion = completion or META_COMPLETION.get(election.rule, "none")  # type: ignore[assignment]
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
