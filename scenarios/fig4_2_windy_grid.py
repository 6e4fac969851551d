"""Figure 4.2: DQL, EBCDQL, DAVIA, ES and ESPC with n = 30 on Windy Grid (report section 4.6):
1000 episodes, 5 trials; ES and ESPC with an MLP of 4, 4 and momentum. ESPC m = 15, k = 5 and the
other choices the report leaves open are in ``_es_study.py``.

    netsim run fig4_2_windy_grid [--quick]
"""

import sys

from _es_study import grid_study, quick

SCENARIO = grid_study("fig4_2_windy_grid", "netsim/WindyGrid-v0")
QUICK = quick(SCENARIO, trials=1, episodes=50)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
