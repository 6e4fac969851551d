"""Figure 4.5: ES n = 25, ES n = 50 and ESPC n = 50, m = 25, k = 5 on Cart Pole (report section
4.7): MLP 8, 8, Adam lr 0.01, L2 0.05, sigma 0.05, gamma 1, 200 episodes, 20 trials. Shared
settings and the choices the report leaves open are in ``_es_study.py``.

    netsim run fig4_5_cartpole [--quick]   # or: python scenarios/fig4_5_cartpole.py [--trials N ...]
"""

import sys

from _es_study import CARTPOLE, CARTPOLE_ES, comparison, quick

SCENARIO = comparison("fig4_5_cartpole", CARTPOLE, CARTPOLE_ES, trials=20)
QUICK = quick(SCENARIO, trials=2, episodes=20)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
