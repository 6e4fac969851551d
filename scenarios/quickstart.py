"""Quickstart: ES n=25, ES n=50 and ESPC n=50 m=25 on Cart Pole (report section 4.7), each over a
star network whose access links run at 1 Mbit/s or 32 kbit/s, behind a router on a shared 10 Mbit/s
backbone. Sized to finish in about two minutes on 2 cores.

Under the barrier round policy the learner waits for every agent, so what is learnt per episode does
not depend on the network (the same seeds give the same updates): the bandwidths' curves coincide
against episode and part against simulated time, where the slow links' policy downloads add up.

    netsim run quickstart            # or: python scenarios/quickstart.py [--trials N ...]
    netsim run quickstart --quick    # the smoke form: 1 trial of 20 episodes
"""

import sys

import netsim
import netsim.cli


def network(n_agents: int, access_bps: float):
    return netsim.star(
        n_agents,
        bandwidth_bps=access_bps,
        latency_s=0.01,
        router=True,
        backbone_bandwidth_bps=10e6,
        backbone_latency_s=0.005,
    )


ACCESS = {"1 Mbit/s": 1e6, "32 kbit/s": 32e3}
ALGORITHMS = [
    ("ES n=25", "es", 25, {}),
    ("ES n=50", "es", 50, {}),
    ("ESPC n=50 m=25", "espc", 50, {"m": 25, "k": 5}),
]

SCENARIO = netsim.Scenario(
    name="quickstart",
    variants=[
        netsim.Variant(f"{label} @ {speed}", algorithm, network(n, bps), config=config)
        for speed, bps in ACCESS.items()
        for label, algorithm, n, config in ALGORITHMS
    ],
    episodes=200,
    trials=10,
    seed=0,
)
QUICK = netsim.Scenario("quickstart_quick", SCENARIO.variants, episodes=20, trials=1, seed=0)
"""The smoke form (``--quick``): every variant, one trial of 20 episodes, in well under a minute;
too short to learn Cart Pole, long enough to see each bandwidth's cost in simulated time."""

if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
