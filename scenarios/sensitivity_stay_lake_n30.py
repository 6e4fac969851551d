"""Sensitivity of figure 4.3's findings to Frozen Lake's actions (see sensitivity_stay_lake.py):
DQL, EBCDQL, DAVIA, ES and ESPC m = 15 at figure 4.3's settings (n = 30, 1000 episodes, 5 trials)
on Frozen Lake with "stay", against figure 4.3's stored trials on four actions (the same seeds).
Five trials, as the report's: enough to see a change in level or in who communicates, not to
rank ES against ESPC (figure 4.3 could not either). The reward panel is cumulative.
Full run: about 150 s of CPU (2 workers).

    netsim run sensitivity_stay_lake_n30 [--quick]
"""

import sys

from _sensitivity import quick, stay_lake

SCENARIO = stay_lake("sensitivity_stay_lake_n30", n_agents=30, trials=5, espc=True)
QUICK = quick(SCENARIO)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
