"""Pure reader and writer for the Pabulib `.pb` participatory-budgeting file format."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction

from pdvsolutions.rules.tally import Ballot, Completion, Number, Project, TallyInput, VoteType

__all__ = [
    "META_COMPLETION",
    "Election",
    "PbProject",
    "PbVoter",
    "PbFormatError",
    "parse_number",
    "format_number",
    "read_pb",
    "write_pb",
]

SECTIONS = ("META", "PROJECTS", "VOTES")
#: completion of equal shares implied by a file's META rule (otherwise none)
META_COMPLETION: dict[str, Completion] = {
    "equalshares/add1": "add1",
    "equalshares/add1-comparison": "add1-comparison",
}
VOTE_TYPES: tuple[VoteType, ...] = ("approval", "cumulative", "ordinal", "choose-1")


class PbFormatError(ValueError):
    """Raised when a `.pb` text cannot be parsed."""


@dataclass
class PbProject:
    """One row of the PROJECTS section; `fields` keeps every column as written."""

    id: str
    cost: Number
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PbVoter:
    """One row of the VOTES section: ordered project ids, optional points, other columns."""

    id: str
    vote: list[str]
    points: list[Number] | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Election:
    """A whole `.pb` file: META key/values, projects and voters, columns in file order."""

    meta: dict[str, str]
    projects: list[PbProject]
    voters: list[PbVoter]
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])

    @property
    def budget(self) -> Number:
        """The budget limit from META (exact)."""
        return parse_number(self.meta["budget"])

    @property
    def vote_type(self) -> VoteType:
        """The META vote_type, checked against the supported ones."""
        value = self.meta.get("vote_type", "approval")
        if value not in VOTE_TYPES:
            raise PbFormatError(f"unsupported vote_type {value!r}")
        return value  # type: ignore[return-value]

    @property
    def rule(self) -> str:
        """The META rule ('' when absent)."""
        return self.meta.get("rule", "")

    @property
    def completion(self) -> Completion:
        """The completion of equal shares that the META rule names ("none" otherwise)."""
        return META_COMPLETION.get(self.rule, "none")

    def ballots(self) -> list[Ballot]:
        """Ballots as {project id: points}: 1 for approval/choose-1, points, or positional points."""
        vote_type = self.vote_type
        result: list[Ballot] = []
        for voter in self.voters:
            if vote_type == "cumulative":
                if voter.points is None:
                    raise PbFormatError(f"voter {voter.id}: cumulative vote without points")
                ballot: Ballot = {}
                for pid, pts in zip(voter.vote, voter.points, strict=True):
                    ballot[pid] = ballot.get(pid, 0) + pts
                result.append(ballot)
            elif vote_type == "ordinal":
                n = len(voter.vote)
                result.append({pid: n - pos for pos, pid in enumerate(voter.vote)})
            else:
                result.append(dict.fromkeys(voter.vote, 1))
        return result

    def tally_input(self) -> TallyInput:
        """The plain tally input (projects, budget, ballots, vote type) of this election."""
        return TallyInput(
            projects=[Project(p.id, p.cost) for p in self.projects],
            budget=self.budget,
            ballots=self.ballots(),
            vote_type=self.vote_type,
        )


def parse_number(text: str) -> Number:
    """Parse a decimal written in a .pb file exactly: an int when whole, else a Fraction."""
    text = text.strip()
    if text.isdigit():  # the common case, much faster than Fraction's parser
        return int(text)
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise PbFormatError(f"not a number: {text!r}") from exc
    return int(value) if value.denominator == 1 else value


def format_number(value: Number) -> str:
    """Write an exact number as a plain decimal (no exponent); reject non-terminating ones."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    digits = 0
    while den % 10 == 0 or den % 2 == 0 or den % 5 == 0:
        for prime in (2, 5):
            if den % prime == 0:
                den //= prime
        digits += 1
    if den != 1:
        raise ValueError(f"{value} has no finite decimal expansion")
    sign = "-" if value < 0 else ""
    scaled = abs(value) * 10**digits
    whole, frac = divmod(int(scaled), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}".rstrip("0").rstrip(".")


def _rows(text: str) -> list[list[str]]:
    """Split the whole text into CSV rows (';' separated, '"' quoting)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(csv.reader(io.StringIO(text), delimiter=";", quotechar='"'))


def read_pb(text: str) -> Election:
    """Parse the text of a `.pb` file into an Election (ids kept as strings, numbers exact)."""
    sections: dict[str, list[list[str]]] = {}
    current: str | None = None
    for row in _rows(text):
        if not row or all(not cell.strip() for cell in row):
            continue
        head = row[0].strip()
        if len(row) == 1 and head in SECTIONS:
            current = head
            if current in sections:
                raise PbFormatError(f"section {current} appears twice")
            sections[current] = []
            continue
        if current is None:
            raise PbFormatError("content before the META section")
        sections[current].append(row)
    for name in SECTIONS:
        if not sections.get(name):
            raise PbFormatError(f"missing or empty section {name}")

    meta_rows = sections["META"]
    meta: dict[str, str] = {}
    for row in meta_rows[1:]:
        if len(row) < 2:
            raise PbFormatError(f"META row without value: {row!r}")
        meta[row[0].strip()] = ";".join(row[1:]).strip() if len(row) > 2 else row[1].strip()
    if "budget" not in meta:
        raise PbFormatError("META has no budget")
    parse_number(meta["budget"])

    project_columns = [c.strip() for c in sections["PROJECTS"][0]]
    if project_columns[:1] != ["project_id"] or "cost" not in project_columns:
        raise PbFormatError("PROJECTS header must start with project_id and have cost")
    projects: list[PbProject] = []
    seen: set[str] = set()
    for row in sections["PROJECTS"][1:]:
        fields = _as_fields(project_columns, row)
        pid = fields["project_id"]
        if pid in seen:
            raise PbFormatError(f"duplicate project id {pid!r}")
        seen.add(pid)
        projects.append(PbProject(pid, parse_number(fields["cost"]), fields))

    vote_columns = [c.strip() for c in sections["VOTES"][0]]
    if vote_columns[:1] != ["voter_id"] or "vote" not in vote_columns:
        raise PbFormatError("VOTES header must start with voter_id and have vote")
    voters: list[PbVoter] = []
    for row in sections["VOTES"][1:]:
        fields = _as_fields(vote_columns, row)
        vote = [pid.strip() for pid in fields["vote"].split(",") if pid.strip()]
        unknown = [pid for pid in vote if pid not in seen]
        if unknown:
            raise PbFormatError(f"voter {fields['voter_id']}: unknown project(s) {unknown}")
        points = None
        if fields.get("points", "").strip():
            points = [parse_number(p) for p in fields["points"].split(",")]
            if len(points) != len(vote):
                raise PbFormatError(f"voter {fields['voter_id']}: points do not match vote")
        voters.append(PbVoter(fields["voter_id"], vote, points, fields))
    election = Election(meta, projects, voters, project_columns, vote_columns)
    election.vote_type  # noqa: B018 - validates vote_type early
    return election


def _as_fields(columns: list[str], row: list[str]) -> dict[str, str]:
    """Map a data row onto its header; a short row gets empty trailing cells."""
    if len(row) > len(columns):
        raise PbFormatError(f"row has more cells than the header: {row!r}")
    cells = [cell.strip() for cell in row] + [""] * (len(columns) - len(row))
    return dict(zip(columns, cells, strict=True))


def write_pb(election: Election) -> str:
    """Serialise an Election to `.pb` text; read_pb(write_pb(e)) equals e."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    writer.writerow(election.project_columns)
    for project in election.projects:
        fields = dict(project.fields)
        fields["project_id"] = project.id
        fields["cost"] = _keep_or_format(fields.get("cost"), project.cost)
        writer.writerow([fields.get(col, "") for col in election.project_columns])
    out.write("VOTES\n")
    columns = list(election.vote_columns)
    if any(v.points is not None for v in election.voters) and "points" not in columns:
        columns.insert(2, "points")
    for_header = columns
    writer.writerow(for_header)
    for voter in election.voters:
        fields = dict(voter.fields)
        fields["voter_id"] = voter.id
        fields["vote"] = ",".join(voter.vote)
        if voter.points is not None:
            written = fields.get("points", "")
            if not written or [parse_number(p) for p in written.split(",")] != voter.points:
                fields["points"] = ",".join(format_number(p) for p in voter.points)
        else:
            fields["points"] = ""
        writer.writerow([fields.get(col, "") for col in columns])
    return out.getvalue()


def _keep_or_format(written: str | None, value: Number) -> str:
    """Keep a number as originally written when it still has the same value."""
    if written and parse_number(written) == value:
        return written
    return format_number(value)
