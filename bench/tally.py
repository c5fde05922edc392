"""Benchmark of pdvsolutions.rules.tally against pabutools 1.2.3 on the shared Pabulib files.

Needs pabutools for the comparison (NOT an app dependency), e.g.:

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install "pabutools==1.2.3" gmpy2
    /work/bench-venv/bin/python bench/tally.py [--only NAME] [--repeat N] [--scale 1,10,100]

Only the pure ``rules/`` package is imported (without the Flask app), so the environment
needs nothing but pabutools.

What is timed, on both sides: CPU seconds of the process doing the call
(``time.process_time``; a shared, busy machine disturbs it far less than wall time), best of
``--repeat`` calls (a pabutools call longer than 5 s runs once). The two sides run one after
the other in the same run, and the table prints their ratio.

* ours: ``greedy(data)`` or ``equal_shares(data, completion)`` on the ``TallyInput`` of the
  parsed file, i.e. a list of one ``{project id: points}`` dict per voter, as the app builds
  it. Parsing the file is excluded; everything the rule does is included: grouping the raw
  ballots, the rule, the completion, the explanation of every project (exact fractions).
* pabutools: the reference call of shared/pabulib/README.md on
  ``profile.as_multiprofile()`` (greedy_utilitarian_welfare, method_of_equal_shares, Add1 as
  exhaustion_by_budget_increase, popularity_comparison), exact gmpy2 fractions. Parsing and
  the conversion to a multiprofile (pabutools' grouping of identical ballots) are excluded
  from the ratio; the conversion's own time is shown apart ("conv s"), and "ratio+c" is the
  ratio with it added to pabutools' time (both sides then group the ballots).
* "group s": one bare C-level pass counting the ballots' item tuples
  (``Counter(map(tuple, map(dict.items, ballots)))``), the core of any grouping of the raw
  ballots in Python: a floor for our side, which must group them (pabutools' grouping is
  its conversion, excluded). Where pabutools' time is under 20x this floor, 20x is out of
  reach for any Python implementation timed this way.

The completion of equal shares is the one META names (add1, add1-comparison), else none.
"same" says whether both select the same projects.

``--scale 1,10,100`` replicates the ballots of the largest shared election (by voters) and
runs both rules on it, each (factor, rule, input) in a fresh interpreter so that its peak
memory is its own. Two ways of handing the ballots over:

* list: the TallyInput holds a list of factor x n references to the n parsed dicts (the
  fast path for a list of plain dicts; the list itself costs 8 bytes a ballot);
* stream: a one-shot generator yields a fresh dict per ballot (copied from the parsed one),
  so no more than one ballot exists at a time; the time includes making those copies.

For each: seconds (CPU), microseconds per ballot, microseconds per ballot added since the
previous size ("us/extra": constant = linear growth; grouping is linear, MES itself then works
on the distinct ballots, whose number replicas do not change), resident memory
of the child before the call (interpreter, the 1x ballots, the input), its peak during the
call (Linux VmHWM, reset just before the call through /proc/self/clear_refs; the child reads
the 1x ballots line by line from a plain file, not the .pb), the difference
("MiB call": what the tally itself added at its peak), and whether the selection equals the 1x one (the budget is unchanged, so MES, whose
per-voter share divides by the factor, selects the same projects). pabutools at 1x is
printed beside (same timing rules as above).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
import types
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if "pdvsolutions" not in sys.modules:
    # rules/ is pure Python: load it without the package __init__ (which builds the Flask app),
    # so the benchmark runs in an environment holding only pabutools
    _package = types.ModuleType("pdvsolutions")
    _package.__path__ = [str(REPO / "pdvsolutions")]
    sys.modules["pdvsolutions"] = _package

from pdvsolutions.rules.pabulib import format_number, parse_number, read_pb  # noqa: E402
from pdvsolutions.rules.tally import Completion, Project, TallyInput, equal_shares, greedy  # noqa: E402

META_COMPLETION: dict[str, Completion] = {
    "equalshares/add1": "add1",
    "equalshares/add1-comparison": "add1-comparison",
}
LONG_CALL = 5.0  # seconds: a call this long is not repeated


def best_of(call, repeat: int):
    """(best CPU seconds, last result) over up to `repeat` calls."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = call()
        best = min(best, time.process_time() - start)
        if best > LONG_CALL:
            break
    return best, result


# ----------------------------------------------------------------------------- pabutools side


def _pabutools_call(path: str, rule: str, completion: str, repeat: int, queue: mp.Queue) -> None:
    """Run the README's reference call in this (child) process; put (seconds, ids, conv)."""
    from pabutools.election import Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat, parse_pabulib
    from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction
    from pabutools.rules import (
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        popularity_comparison,
    )

    def positional(instance, profile, ballot, project, precomputed):
        return len(ballot) - ballot.position(project) if project in ballot else 0

    class Ordinal_Points_Sat(AdditiveSatisfaction):  # noqa: N801 - pabutools naming
        def __init__(self, instance, profile, ballot):
            super().__init__(instance, profile, ballot, positional)

    class Points_Cost_Sat(AdditiveSatisfaction):  # noqa: N801 - greedy ranks by sat / cost
        def __init__(self, instance, profile, ballot):
            super().__init__(
                instance, profile, ballot, lambda i, p, b, proj, pre: b.get(proj, 0) * proj.cost
            )

    class Ordinal_Cost_Sat(AdditiveSatisfaction):  # noqa: N801
        def __init__(self, instance, profile, ballot):
            super().__init__(
                instance,
                profile,
                ballot,
                lambda i, p, b, proj, pre: positional(i, p, b, proj, pre) * proj.cost,
            )

    instance, profile = parse_pabulib(path)
    vote_type = instance.meta.get("vote_type", "approval")
    conversion, mprofile = best_of(profile.as_multiprofile, 1)
    mes_sat = {"cumulative": Additive_Cardinal_Sat, "ordinal": Ordinal_Points_Sat}.get(
        vote_type, Cost_Sat
    )
    greedy_sat = {"cumulative": Points_Cost_Sat, "ordinal": Ordinal_Cost_Sat}.get(
        vote_type, Cost_Sat
    )

    def call():
        if rule == "greedy":
            return greedy_utilitarian_welfare(instance, mprofile, sat_class=greedy_sat)
        if completion == "none" or all_supported_fit(instance, mprofile):
            return method_of_equal_shares(instance, mprofile, sat_class=mes_sat)
        add1 = {
            "rule": method_of_equal_shares,
            "rule_params": {"sat_class": mes_sat},
            "budget_step": mprofile.num_ballots(),
            "exhaustive_stop": False,
        }
        if completion == "add1":
            return exhaustion_by_budget_increase(instance, mprofile, **add1)
        return popularity_comparison(
            instance,
            mprofile,
            Cardinality_Sat,
            [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
            [add1, {"sat_class": greedy_sat}],
        )[0]

    seconds, outcome = best_of(call, repeat)
    queue.put((seconds, sorted(str(p.name) for p in outcome), conversion))


def all_supported_fit(instance, profile) -> bool:
    supported = {p for ballot in profile for p in ballot}
    return sum(p.cost for p in supported) <= instance.budget_limit


def pabutools_time(path: Path, rule: str, completion: str, timeout: float, repeat: int):
    """(seconds, sorted ids, conversion seconds) of the reference call, Nones on timeout."""
    queue: mp.Queue = mp.Queue()
    child = mp.Process(target=_pabutools_call, args=(str(path), rule, completion, repeat, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, None, None
    return queue.get() if not queue.empty() else (None, None, None)


# ----------------------------------------------------------------------------- our side


def ours(data: TallyInput, rule: str, completion: Completion, repeat: int):
    """Best CPU time over `repeat` calls, and the sorted selection."""
    seconds, result = best_of(
        lambda: greedy(data) if rule == "greedy" else equal_shares(data, completion), repeat
    )
    return seconds, sorted(result.selected)


def bench_instances(args) -> dict:
    files = sorted((args.shared / "pabulib").glob("*.pb"))
    if args.only:
        files = [f for f in files if any(o in f.name for o in args.only)]
    header = (
        f"{'instance':44} {'rule':28} {'voters':>7} {'ours s':>8} {'pabutools s':>11} "
        f"{'ratio':>7} {'conv s':>7} {'ratio+c':>7} {'group s':>7}  same"
    )
    print(header)
    print("-" * len(header))
    reference: dict = {}
    for path in files:
        election = read_pb(path.read_text(encoding="utf-8"))
        data = election.tally_input()
        completion = META_COMPLETION.get(election.rule, "none")
        for rule in ("greedy", "equal-shares"):
            label = (
                rule if rule == "greedy" or completion == "none" else f"equal-shares/{completion}"
            )
            our_s, our_ids = ours(data, rule, completion, args.repeat)
            if rule == "greedy":
                floor_s, _ = best_of(
                    lambda b=data.ballots: Counter(map(tuple, map(dict.items, b))), 3
                )
            ref_s = ref_ids = conv = None
            if not args.no_pabutools:
                ref_s, ref_ids, conv = pabutools_time(
                    path, rule, completion, args.timeout, args.repeat
                )
                reference[(path.name, rule)] = ref_s
            ratio = f"{ref_s / our_s:7.1f}" if ref_s else "      -"
            with_conv = f"{(ref_s + conv) / our_s:7.1f}" if ref_s and conv else "      -"
            ref = (
                f"{ref_s:11.3f}"
                if ref_s is not None
                else ("    timeout" if not args.no_pabutools else "          -")
            )
            conv_s = f"{conv:7.3f}" if conv is not None else "      -"
            conv_s += f" {with_conv} {floor_s:7.3f}"
            same = "-" if ref_ids is None else ("yes" if ref_ids == our_ids else "NO")
            print(
                f"{path.stem[:44]:44} {label:28} {len(data.ballots):7d} {our_s:8.3f} {ref:>11} "
                f"{ratio} {conv_s}  {same}",
                flush=True,
            )
    return reference


# ----------------------------------------------------------------------------- scaling


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> float:
    """Reset the peak resident memory (VmHWM) to the current one, which is returned."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # Linux >= 4.0: "reset the peak resident set size"
    return _status_mib("VmRSS")


def _scale_child(source: str, factor: int, rule: str, mode: str, queue: mp.Queue) -> None:
    """In a fresh interpreter: build the replicated input, run one rule, report."""
    with open(source, encoding="utf-8") as handle:
        head = json.loads(handle.readline())
        projects = [Project(pid, parse_number(cost)) for pid, cost in head["projects"]]
        budget, vote_type = parse_number(head["budget"]), head["vote_type"]
        base = []
        for line in handle:  # one ballot a line: id, points, id, points, ...
            fields = line.rstrip("\n").split("\t") if line != "\n" else []
            base.append(dict(zip(fields[::2], map(parse_number, fields[1::2]), strict=True)))
    if mode == "list":
        ballots = base * factor
    else:
        ballots = (dict(b) for _ in range(factor) for b in base)
    scaled = TallyInput(projects, budget, ballots, vote_type)
    gc.collect()
    before = _reset_peak()
    start = time.process_time()
    result = greedy(scaled) if rule == "greedy" else equal_shares(scaled)
    seconds = time.process_time() - start
    queue.put((seconds, sorted(result.selected), before, _status_mib("VmHWM")))


def bench_scale(args, reference: dict) -> None:
    files = sorted((args.shared / "pabulib").glob("*.pb"))
    sizes = {f: len(read_pb(f.read_text(encoding="utf-8")).voters) for f in files}
    largest = max(files, key=sizes.__getitem__)
    n = sizes[largest]
    print(f"\nScaling on {largest.name} ({n} voters; ballots replicated, budget unchanged)")
    header = (
        f"{'rule':13} {'input':6} {'factor':>6} {'ballots':>9} {'ours s':>8} {'us/ballot':>9} "
        f"{'us/extra':>8} "
        f"{'MiB before':>10} {'MiB peak':>8} {'MiB call':>9}  same as 1x"
    )
    print(header)
    print("-" * len(header))
    # the children read the 1x ballots line by line from a plain file, not the .pb (whose
    # parse would leave them a much bigger heap)
    data = read_pb(largest.read_text(encoding="utf-8")).tally_input()
    source = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")  # noqa: SIM115
    with source:
        # the first line: projects, budget and vote type as JSON (exact numbers as strings)
        source.write(json.dumps({
            "projects": [[p.id, format_number(p.cost)] for p in data.projects],
            "budget": format_number(data.budget), "vote_type": data.vote_type}))
        for ballot in data.ballots:
            source.write(
                "\n" + "\t".join(f"{pid}\t{format_number(x)}" for pid, x in ballot.items())
            )
        source.write("\n")
    spawn = mp.get_context("spawn")  # a fresh interpreter, so its peak memory is its own
    for rule in ("greedy", "equal-shares"):
        for mode in args.inputs:
            first = None
            last: tuple[int, float] | None = None
            for factor in args.scale:
                queue = spawn.Queue()
                child = spawn.Process(
                    target=_scale_child, args=(source.name, factor, rule, mode, queue)
                )
                child.start()
                seconds, selected, before, peak = queue.get()
                child.join()
                first = first or selected
                extra = (
                    f"{(seconds - last[1]) / (n * factor - last[0]) * 1e6:8.2f}"
                    if last and n * factor > last[0]
                    else "       -"
                )
                last = (n * factor, seconds)
                print(
                    f"{rule:13} {mode:6} {factor:6d} {n * factor:9d} {seconds:8.3f} "
                    f"{seconds / (n * factor) * 1e6:9.2f} {extra} {before:10.0f} {peak:8.0f} "
                    f"{peak - before:9.0f}  {'yes' if selected == first else 'NO'}",
                    flush=True,
                )
    os.unlink(source.name)
    if not args.no_pabutools:
        for rule in ("greedy", "equal-shares"):
            seconds = reference.get((largest.name, rule))
            if seconds is None and (largest.name, rule) not in reference:
                seconds, _, _ = pabutools_time(largest, rule, "none", args.timeout, args.repeat)
            shown = f"{seconds:.3f} s" if seconds is not None else "timeout"
            print(f"pabutools 1x {rule}: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("PDV_SHARED_DIR", REPO / "tests" / "data"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--only", action="append", help="substring of the file names to run")
    parser.add_argument("--repeat", type=int, default=3, help="best of N calls (each side)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per pabutools call")
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--no-instances", action="store_true", help="only the scaling table")
    parser.add_argument(
        "--scale",
        type=lambda s: [int(x) for x in s.split(",")],
        default=None,
        help="replication factors of the largest election, e.g. 1,10,100",
    )
    parser.add_argument(
        "--inputs",
        type=lambda s: s.split(","),
        default=["list", "stream"],
        help="how the scaled ballots are handed over: list, stream or both (list,stream)",
    )
    args = parser.parse_args()
    if not args.no_pabutools:
        try:
            import pabutools  # noqa: F401
        except ImportError:
            sys.exit(
                "pabutools is not installed here: see the module docstring (or --no-pabutools)"
            )
    reference: dict = {}
    if not args.no_instances:
        reference = bench_instances(args)
    if args.scale:
        bench_scale(args, reference)


if __name__ == "__main__":
    main()
