"""Figure 4.7: ESPC's probability of communication on an agent's first episode against m, for
n = 50 (report section 4.8). A script, not a simulation.

On the first episode an agent's window holds one utility, whose variance is taken as 1, so z = 0,
p = Phi(0) = 1/2 and p_comm = P(M >= n - m) with M ~ Binomial(n - 1, 1/2): a function of m and n
alone. The script computes, per m = 1..n (``first_episode.csv``, ``fig4_7_first_episode.png``):

* ``p_comm``: ESPC's own ``communication_probability(0, n, m)``;
* ``binomial_tail``: ``scipy.stats.binom.sf(n - m - 1, n - 1, 0.5)``, independently;
* ``measured``: the fraction of agents that reported after the first episode of ESPC agents on
  Cart Pole (``--repeats`` fresh pools of n agents per m, the report's 4.7 settings), with its
  binomial standard error and the two-sided binomial test's p-value against the tail.

    netsim run fig4_7_first_episode [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from algorithms import ALGORITHMS, Problem
from algorithms.espc import communication_probability
from analysis import style

N = 50
NAME = "fig4_7_first_episode"


def first_episode_senders(n: int, m: int, seed: int) -> int:
    """How many of a fresh pool of n ESPC agents (Cart Pole, report 4.7 settings) report after
    their first episode."""
    espc = ALGORITHMS["espc"]
    config = espc.make_config({"m": m})
    problem = Problem("CartPole-v1", n, np.random.SeedSequence((seed, m)))
    agents = espc.agents_type(config, problem)
    learner = espc.learner_type(config, problem)
    batch = agents.run_episodes(learner.policy_payload(), np.arange(n))
    return sum(report is not None for report in batch.reports)


def study(repeats: int, seed: int) -> pd.DataFrame:
    m = np.arange(1, N + 1)
    senders = np.array(
        [sum(first_episode_senders(N, mm, seed + r) for r in range(repeats)) for mm in m]
    )
    decisions = N * repeats
    tail = stats.binom.sf(N - m - 1, N - 1, 0.5)
    return pd.DataFrame(
        {
            "m": m,
            "p_comm": [float(communication_probability(0.0, N, mm)) for mm in m],
            "binomial_tail": tail,
            "measured": senders / decisions,
            "standard_error": np.sqrt(tail * (1 - tail) / decisions),
            "p_value": [
                stats.binomtest(int(k), decisions, float(q)).pvalue
                if 0 < q < 1
                else float(k == q * decisions)
                for k, q in zip(senders, tail, strict=True)
            ],
        }
    )


@style.styled
def plot(table: pd.DataFrame, path: Path) -> Path:
    """ESPC's p_comm at z = 0 and the measured first-episode frequency against m, beside m / n,
    one column wide (PNG and PDF)."""
    fig = style.figure(style.COLUMN_IN)
    ax = fig.subplots()
    (formula,) = ax.plot(table.m, table.p_comm, color=style.COLOURS[0])
    (exact,) = ax.plot(table.m, table.m / N, ":", color=style.COLOURS[1])
    measured = ax.errorbar(
        table.m, table.measured, yerr=2 * table.standard_error, fmt=".", color="black"
    )
    ax.set(xlabel="m", ylabel="probability of communication", title=f"first episode, n = {N}")
    labels = ["p_comm at z = 0", "m / n", "ESPC agents, first episode"]
    style.legend_below(
        fig, [formula, exact, measured], labels, "bar: 2 standard errors of the measured fraction"
    )
    return style.save(fig, path)


def main(argv: Sequence[str]) -> int:
    """Run the study; exit status 0 when ESPC's p_comm at z = 0 is the binomial tail (to 1e-12)
    for every m and no measured fraction departs from it at the 1% level (binomial test,
    Bonferroni-corrected over the n values of m), else 1."""
    parser = argparse.ArgumentParser(prog=NAME, description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 pools per m instead of 20")
    parser.add_argument("--out", type=Path, default=Path("runs") / NAME)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=20, help="pools of n agents per m")
    args = parser.parse_args(argv)
    table = study(2 if args.quick else args.repeats, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "first_episode.csv", index=False)
    figure = plot(table, args.out / f"{NAME}.png")
    formula = (table.p_comm - table.binomial_tail).abs().max()
    worst = table.p_value.min()
    print(f"n = {N}: largest |p_comm(0) - binomial tail at 1/2| = {formula:.3g}")
    print(f"measured first-episode frequency: smallest binomial-test p-value {worst:.3g}")
    columns = ["m", "p_comm", "measured"]
    print(table[table.m % 5 == 0][columns].to_string(index=False, float_format="{:.4f}".format))
    print(f"table:   {(args.out / 'first_episode.csv').resolve()}")
    print(f"plot:    {figure.resolve()}")
    return 0 if formula < 1e-12 and worst * N >= 0.01 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
