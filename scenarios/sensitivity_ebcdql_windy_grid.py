"""Sensitivity of figure 4.2's EBCDQL finding to its trigger: on Windy Grid (n = 30, 1000
episodes, figure 4.2's settings), does any (rho, beta, floor) save communication against DQL while
keeping its reward? Ours at the defaults sends in nearly every agent-episode. DQL and 14 trigger
settings (``_sensitivity.ebcdql_points``), 3 trials each (figure 4.2 has 5): with 30 agents a
trial's mean reward varies by about 0.02 between trials and its frequency by 0.0005 (EBCDQL in
figure 4.2), so 3 give each point's mean reward to about +-0.05 and its frequency to +-0.002
(95%), enough to see whether a setting saves communication; a 10th-90th band over 3 trials is
nearly their range. Full run: 230 s of CPU (2 workers, measured).

    netsim run sensitivity_ebcdql_windy_grid [--quick]
"""

import sys

from _sensitivity import ebcdql_grid, quick

SCENARIO = ebcdql_grid(
    "sensitivity_ebcdql_windy_grid", "netsim/WindyGrid-v0", n_agents=30, trials=3
)
QUICK = quick(SCENARIO)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
