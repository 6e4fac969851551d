"""Sensitivity of figure 3.5's EBCDQL finding to its trigger: on Frozen Lake 5x5 (n = 5, 1000
episodes), does any (rho, beta, floor) give the report's "best reward with little
communication", i.e. DQL's reward or more while sending in few agent-episodes? DQL and 14 trigger
settings (``_sensitivity.ebcdql_points``), 20 trials each: a trial's mean reward varies by about
0.008 between trials (DQL in figure 3.5), so 20 give each point's mean to about +-0.004 (95%),
a third of the gap between DQL and EBCDQL at its defaults (30 would give +-0.003 for half as much
again of CPU). The reward panel is cumulative. Full run: 440 s of CPU (2 workers, measured).

    netsim run sensitivity_ebcdql_frozen_lake [--quick]
"""

import sys

from _sensitivity import ebcdql_grid, quick

SCENARIO = ebcdql_grid(
    "sensitivity_ebcdql_frozen_lake",
    "netsim/FrozenLake5x5-v0",
    n_agents=5,
    trials=20,
    cumulative_reward=True,
)
QUICK = quick(SCENARIO)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
