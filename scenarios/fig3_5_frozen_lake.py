"""Figure 3.5: DQL, EBCDQL, DAVIA and ES on Frozen Lake 5x5 (report section 3.3.2), at the report's
settings (n = 5, gamma = 0.9, 1000 episodes, 100 trials; see fig3_4_simple_grid.py). Rewards are
rare, so the reward panel is the cumulative mean, as in the report.

    netsim run fig3_5_frozen_lake    # or: python scenarios/fig3_5_frozen_lake.py [--trials N ...]
"""

import sys

from _grid_comparison import grid_comparison

SCENARIO = grid_comparison("fig3_5_frozen_lake", "netsim/FrozenLake5x5-v0", cumulative_reward=True)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
