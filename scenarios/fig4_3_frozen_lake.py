"""Figure 4.3: DQL, EBCDQL, DAVIA, ES and ESPC with n = 30 on Frozen Lake 5x5 (report section
4.6): 1000 episodes, 5 trials, the reward panel cumulative (rewards are rare). See
``_es_study.py`` and ``fig4_2_windy_grid.py``.

    netsim run fig4_3_frozen_lake [--quick]
"""

import sys

from _es_study import grid_study, quick

SCENARIO = grid_study("fig4_3_frozen_lake", "netsim/FrozenLake5x5-v0", cumulative_reward=True)
QUICK = quick(SCENARIO, trials=1, episodes=50)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
