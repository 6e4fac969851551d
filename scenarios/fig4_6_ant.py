"""Figure 4.6: ES n = 25, ES n = 50 and ESPC n = 50, m = 25, k = 5 on MuJoCo Ant (report section
4.7): MLP 64, 64, Adam lr 0.005, L2 0.05, sigma 0.02, gamma 0.99, 200 episodes, 3 trials. Needs the
``mujoco`` extra (``pip install -e ".[mujoco]"``). See ``_es_study.py`` for the shared settings and
how Ant's rollouts use worker processes.

    netsim run fig4_6_ant [--quick]
"""

import sys

from _es_study import ANT, ANT_ES, comparison, quick

SCENARIO = comparison("fig4_6_ant", ANT, ANT_ES, trials=3)
QUICK = quick(SCENARIO, trials=1, episodes=3)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
