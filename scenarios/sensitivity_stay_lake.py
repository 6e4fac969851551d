"""Sensitivity of figure 3.5's findings to Frozen Lake's actions: the report gives its grids five
actions, "stay" among them, where Gymnasium's Frozen Lake (and ours by default) has four. Do DQL,
EBCDQL, DAVIA and ES rank and communicate as on the 4-action lake when agents may stay? Figure
3.5's algorithms and settings (n = 5, 1000 episodes) on ``netsim/FrozenLake5x5Stay-v0``, 30
trials, against figure 3.5's stored trials 0-29 (the same seeds) on four actions: a trial's mean
reward varies by about 0.008 between trials (DQL in figure 3.5), so 30 give each mean to about
+-0.003 (95%). The reward panel is cumulative. Full run: 220 s of CPU (2 workers, measured).

    netsim run sensitivity_stay_lake [--quick]
"""

import sys

from _sensitivity import quick, stay_lake

SCENARIO = stay_lake("sensitivity_stay_lake", trials=30)
QUICK = quick(SCENARIO)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
