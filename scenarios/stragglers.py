"""Stragglers: barrier against deadline against async rounds, for ES and ESPC (m = n/2, k = 5) on
Cart Pole, when a fifth of the agents compute ten times slower (10 ms per environment step against
1 ms) over a star of 1 Mbit/s, 10 ms access links.

Under ``barrier`` every round waits for the slowest agent. Under ``deadline`` the learner aggregates
what arrived 0.6 s after its broadcast (a fast agent's longest episode, 500 steps, takes 0.5 s) and
drops, or carries into the next round, the stragglers' late reports. Under ``async`` the learner
updates after every n/2 arrivals and the stragglers' reports come in stale. The reward against
simulated time plot shows which of them learns fastest; the metrics table's ``late`` and
``staleness`` columns show what each policy did with the slow agents' reports.

    netsim run stragglers [--quick] [--out DIR]  # run (or resume), then print the comparison
    python scenarios/stragglers.py [--quick]     # the same

The report prints, per variant, the simulated time and the episodes per agent to a smoothed reward
of 195 (analysis.targets), the reward it ended at and when its last round ended, and what the
policy did with the reports: the share that came late and the mean and largest staleness of those
used.
"""

import sys

import pandas as pd

import netsim
import netsim.cli
from analysis import final_reward_and_bytes, per_trial, target_summary, time_to_target

FAST_STEP_S, SLOW_STEP_S = 1e-3, 1e-2
DEADLINE_S = 0.6


def stragglers(name: str, n_agents: int, episodes: int, trials: int) -> netsim.Scenario:
    """The study with ``n_agents`` agents, the last fifth of them slow."""
    slow = n_agents // 5
    compute = netsim.ComputeSettings(
        step_time_s=[FAST_STEP_S] * (n_agents - slow) + [SLOW_STEP_S] * slow
    )
    policies = {
        "barrier": netsim.CentralSettings(),
        "deadline, drop late": netsim.CentralSettings("deadline", deadline_s=DEADLINE_S),
        "deadline, carry late": netsim.CentralSettings(
            "deadline", deadline_s=DEADLINE_S, late_reports="carry"
        ),
        f"async k={n_agents // 2}": netsim.CentralSettings("async", updates_every=n_agents // 2),
    }
    algorithms = [("ES", "es", {}), ("ESPC", "espc", {"m": n_agents // 2, "k": 5})]
    network = netsim.star(n_agents, bandwidth_bps=1e6, latency_s=0.01)
    return netsim.Scenario(
        name=name,
        variants=[
            netsim.Variant(
                f"{label} {policy}",
                algorithm,
                network,
                config=config,
                compute=compute,
                pattern=rounds,
            )
            for label, algorithm, config in algorithms
            for policy, rounds in policies.items()
        ],
        episodes=episodes,
        trials=trials,
        seed=0,
    )


SCENARIO = stragglers("stragglers", n_agents=20, episodes=200, trials=10)
QUICK = stragglers("stragglers_quick", n_agents=5, episodes=10, trials=2)

TARGET = 195.0
"""Cart Pole's solved threshold, as a smoothed reward (analysis.targets)."""


def comparison(results: netsim.Results) -> pd.DataFrame:
    """Per variant: time and episodes to TARGET (medians over trials, and how many reached it),
    the mean reward of the last 10 rounds (``final_reward``: where it got) and the simulated
    seconds its last round ended at (``end_s``, median over trials: what waiting for the slow
    agents cost), the share of reports that came late, and the staleness of the reports the
    learner used."""
    metrics = results.to_pandas()
    summary = target_summary(time_to_target(metrics, TARGET)).set_index("variant")
    rounds = per_trial(metrics, by="policy_version").groupby(["variant", "trial"], sort=False)
    ends = rounds["round_end_s"].max().groupby("variant", sort=False).median()
    final = final_reward_and_bytes(metrics).groupby("variant", sort=False)["final_reward"].mean()
    sent = metrics[metrics["sent"] == 1].groupby("variant", sort=False)
    return pd.DataFrame(
        {
            "reached": summary["reached"].astype(str) + "/" + summary["trials"].astype(str),
            "time_s": summary["time_s_median"],
            "episodes": summary["episodes_median"],
            "final_reward": final,
            "end_s": ends,
            "late": sent["late"].mean(),
            "staleness_mean": sent["staleness"].mean(),
            "staleness_max": sent["staleness"].max(),
        }
    )


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the comparison."""
    if quick:
        print(
            f"the quick form's {QUICK.episodes} episodes are too few to learn Cart Pole (no "
            f"variant reaches {TARGET:g}); end_s, late and staleness show what each round policy "
            "did with the slow agents"
        )
    print(comparison(results).round(2).to_string())


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
