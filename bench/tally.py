"""Benchmark of pdvsolutions.rules.tally against pabutools 1.2.3 on the shared Pabulib files.

Needs pabutools for the comparison (NOT an app dependency), e.g.:

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install "pabutools==1.2.3" gmpy2
    /work/bench-venv/bin/python bench/tally.py [--shared DIR] [--only NAME] [--scale 1,10,100]

Per instance: our time (parse excluded; grouping of ballots included), pabutools' time for the
equivalent reference call of shared/pabulib/README.md (on `profile.as_multiprofile()`, whose
conversion is excluded), the ratio, and whether the selections agree. Each pabutools call runs
in a child process stopped after --timeout seconds. `--scale` replicates the ballots of the
largest shared election and prints our time per rule and the child's peak memory per size
(pabutools at 1x only). Without pabutools (`--no-pabutools`) only our side runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if "pdvsolutions" not in sys.modules:
    # rules/ is pure Python: load it without the package __init__ (which builds the Flask app),
    # so the benchmark runs in an environment holding only pabutools
    _package = types.ModuleType("pdvsolutions")
    _package.__path__ = [str(REPO / "pdvsolutions")]
    sys.modules["pdvsolutions"] = _package

from pdvsolutions.rules.pabulib import read_pb  # noqa: E402
from pdvsolutions.rules.tally import Completion, TallyInput, equal_shares, greedy  # noqa: E402

META_COMPLETION: dict[str, Completion] = {
    "equalshares/add1": "add1",
    "equalshares/add1-comparison": "add1-comparison",
}


# ----------------------------------------------------------------------------- pabutools side


def _pabutools_call(path: str, rule: str, completion: str, queue: mp.Queue) -> None:
    """Run the README's reference call in this (child) process; put (seconds, ids)."""
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
    mprofile = profile.as_multiprofile()
    mes_sat = {"cumulative": Additive_Cardinal_Sat, "ordinal": Ordinal_Points_Sat}.get(
        vote_type, Cost_Sat
    )
    greedy_sat = {"cumulative": Points_Cost_Sat, "ordinal": Ordinal_Cost_Sat}.get(
        vote_type, Cost_Sat
    )
    start = time.perf_counter()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, mprofile, sat_class=greedy_sat)
    elif completion == "none" or all_supported_fit(instance, mprofile):
        outcome = method_of_equal_shares(instance, mprofile, sat_class=mes_sat)
    else:
        add1 = {
            "rule": method_of_equal_shares,
            "rule_params": {"sat_class": mes_sat},
            "budget_step": mprofile.num_ballots(),
            "exhaustive_stop": False,
        }
        if completion == "add1":
            outcome = exhaustion_by_budget_increase(instance, mprofile, **add1)
        else:
            outcome = popularity_comparison(
                instance,
                mprofile,
                Cardinality_Sat,
                [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
                [add1, {"sat_class": greedy_sat}],
            )[0]
    queue.put((time.perf_counter() - start, sorted(str(p.name) for p in outcome)))


def all_supported_fit(instance, profile) -> bool:
    supported = {p for ballot in profile for p in ballot}
    return sum(p.cost for p in supported) <= instance.budget_limit


def pabutools_time(path: Path, rule: str, completion: str, timeout: float):
    """(seconds, sorted ids) of the reference call, or (None, None) after a timeout."""
    queue: mp.Queue = mp.Queue()
    child = mp.Process(target=_pabutools_call, args=(str(path), rule, completion, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, None
    return queue.get() if not queue.empty() else (None, None)


# ----------------------------------------------------------------------------- our side


def ours(data: TallyInput, rule: str, completion: Completion, repeat: int):
    """Best wall time over `repeat` runs, and the sorted selection."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = greedy(data) if rule == "greedy" else equal_shares(data, completion)
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, sorted(result.selected)


def bench_instances(args) -> None:
    files = sorted((args.shared / "pabulib").glob("*.pb"))
    if args.only:
        files = [f for f in files if any(o in f.name for o in args.only)]
    print(
        f"{'instance':46} {'rule':22} {'voters':>7} {'ours s':>9} {'pabutools s':>12} {'ratio':>8}  same"
    )
    for path in files:
        election = read_pb(path.read_text(encoding="utf-8"))
        data = election.tally_input()
        completion = META_COMPLETION.get(election.rule, "none")
        for rule in ("greedy", "equal-shares"):
            label = (
                rule if rule == "greedy" or completion == "none" else f"equal-shares/{completion}"
            )
            our_s, our_ids = ours(data, rule, completion, args.repeat)
            if args.no_pabutools:
                ref_s, ref_ids = None, None
            else:
                ref_s, ref_ids = pabutools_time(path, rule, completion, args.timeout)
            ratio = f"{ref_s / our_s:8.1f}" if ref_s else "       -"
            ref = (
                f"{ref_s:12.3f}"
                if ref_s is not None
                else (" timeout" if not args.no_pabutools else "           -")
            )
            same = "-" if ref_ids is None else ("yes" if ref_ids == our_ids else "NO")
            print(
                f"{path.stem[:46]:46} {label:22} {len(data.ballots):7d} {our_s:9.3f} {ref:>12} {ratio}  {same}",
                flush=True,
            )


# ----------------------------------------------------------------------------- scaling


def _scale_child(path: str, factor: int, queue: mp.Queue) -> None:
    data = read_pb(Path(path).read_text(encoding="utf-8")).tally_input()
    scaled = TallyInput(data.projects, data.budget, list(data.ballots) * factor, data.vote_type)
    times = {}
    for rule in ("greedy", "equal-shares"):
        start = time.perf_counter()
        result = greedy(scaled) if rule == "greedy" else equal_shares(scaled)
        times[rule] = (time.perf_counter() - start, sorted(result.selected))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # includes the parse
    queue.put((times, peak_mib))


def bench_scale(args) -> None:
    files = sorted((args.shared / "pabulib").glob("*.pb"))
    sizes = {f: read_pb(f.read_text(encoding="utf-8")) for f in files}
    largest = max(files, key=lambda f: len(sizes[f].voters))
    print(
        f"\nScaling on {largest.name} (ballots replicated; budget unchanged, so MES selects the same)"
    )
    print(
        f"{'factor':>6} {'voters':>9} {'greedy s':>9} {'MES s':>9} {'MES s/1M voters':>16} {'peak MiB':>9}  same as 1x"
    )
    base_sel = None
    spawn = mp.get_context("spawn")  # a fresh interpreter, so its peak memory is its own
    for factor in args.scale:
        queue = spawn.Queue()
        child = spawn.Process(target=_scale_child, args=(str(largest), factor, queue))
        child.start()
        times, peak = queue.get()
        child.join()
        voters = len(sizes[largest].voters) * factor
        sel = (times["greedy"][1], times["equal-shares"][1])
        base_sel = base_sel or sel
        print(
            f"{factor:6d} {voters:9d} {times['greedy'][0]:9.3f} {times['equal-shares'][0]:9.3f} "
            f"{times['equal-shares'][0] / voters * 1e6:16.3f} {peak:9.0f}  {'yes' if sel == base_sel else 'NO'}",
            flush=True,
        )
    if not args.no_pabutools:
        for rule in ("greedy", "equal-shares"):
            seconds, _ = pabutools_time(largest, rule, "none", args.timeout)
            shown = f"{seconds:.3f} s" if seconds is not None else "timeout"
            print(f"pabutools 1x {rule}: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("PDV_SHARED_DIR", REPO / "tests" / "data"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--only", action="append", help="substring of the file names to run")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per pabutools call")
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--no-instances", action="store_true", help="only the scaling table")
    parser.add_argument(
        "--scale",
        type=lambda s: [int(x) for x in s.split(",")],
        default=None,
        help="replication factors of the largest election, e.g. 1,10,100",
    )
    args = parser.parse_args()
    if not args.no_pabutools:
        try:
            import pabutools  # noqa: F401
        except ImportError:
            sys.exit(
                "pabutools is not installed here: see the module docstring (or --no-pabutools)"
            )
    if not args.no_instances:
        bench_instances(args)
    if args.scale:
        bench_scale(args)


if __name__ == "__main__":
    main()
