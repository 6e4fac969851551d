"""Figure 3.4: DQL, EBCDQL, DAVIA and ES on Simple Grid (report section 3.3.2), at the report's
settings: n = 5 agents, gamma = 0.9, 1000 episodes, 100 trials. Each algorithm runs with its config
dataclass's defaults (see algorithms/), ES with the grid policy of report 4.6 (two hidden layers of
4, momentum). The network is a star of 1 Mbit/s, 10 ms access links, so the same runs are also
plotted against simulated time.

    netsim run fig3_4_simple_grid    # or: python scenarios/fig3_4_simple_grid.py [--trials N ...]
"""

import sys

from _grid_comparison import grid_comparison

SCENARIO = grid_comparison("fig3_4_simple_grid", "netsim/SimpleGrid-v0")

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
