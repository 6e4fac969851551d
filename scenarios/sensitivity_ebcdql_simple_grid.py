"""Sensitivity of figure 3.4's EBCDQL finding to its trigger: on Simple Grid (n = 5, 1000 episodes),
for which (rho, beta, floor) does EBCDQL stall short of the optimum with little communication, as
the report's figure 3.4 shows, and which reach DQL's reward with the fewest messages? DQL and 14
trigger settings (``_sensitivity.ebcdql_points``), 10 trials each: the trials' final rewards differ
by a few hundredths (figure 3.4), so 10 give each point's mean to about +-0.01 (95%).
Full run: 300 s of CPU (2 workers, measured on a loaded machine).

    netsim run sensitivity_ebcdql_simple_grid [--quick]
"""

import sys

from _sensitivity import ebcdql_grid, quick

SCENARIO = ebcdql_grid(
    "sensitivity_ebcdql_simple_grid", "netsim/SimpleGrid-v0", n_agents=5, trials=10
)
QUICK = quick(SCENARIO)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
