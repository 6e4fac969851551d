"""Figure 3.4: DQL, EBCDQL, DAVIA and ES on Simple Grid (report section 3.3.2), at the report's
settings: n = 5 agents, gamma = 0.9, 1000 episodes, 100 trials. Each algorithm runs with its config
dataclass's defaults (see algorithms/), ES with the grid policy of report 4.6 (two hidden layers of
4, momentum). The network is a star of 1 Mbit/s, 10 ms access links, so the same runs are also
plotted against simulated time.

    netsim run fig3_4_simple_grid    # or: python scenarios/fig3_4_simple_grid.py [--trials N ...]
"""

import sys

import netsim

N_AGENTS = 5
GAMMA = 0.9
ES_ON_GRIDS = {
    "hidden": (4, 4),
    "optimizer": "momentum",
    "learning_rate": 0.01,
    "sigma": 0.1,
    "l2": 0.0,
    "gamma": GAMMA,
}
"""ES on the grid worlds: the report's policy size and optimiser (4.6); step, noise and no L2 ours."""

NETWORK = netsim.star(N_AGENTS, bandwidth_bps=1e6, latency_s=0.01)

SCENARIO = netsim.Scenario(
    name="fig3_4_simple_grid",
    variants=[
        netsim.Variant(label, algorithm, NETWORK, env="netsim/SimpleGrid-v0", config=config)
        for label, algorithm, config in [
            ("DQL", "dql", {"gamma": GAMMA}),
            ("EBCDQL", "ebcdql", {"gamma": GAMMA}),
            ("DAVIA", "davia", {"gamma": GAMMA}),
            ("ES", "es", ES_ON_GRIDS),
        ]
    ],
    episodes=1000,
    trials=100,
    seed=0,
)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
