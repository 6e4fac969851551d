"""Figure 4.10: ESPC n = 50, m = 25, with k = 3, 10, 30, beside ES n = 50, on Cart Pole (report
section 4.9; the other settings as 4.7): 200 episodes, 10 trials. See ``_es_study.py``.

    netsim run fig4_10_cartpole_k [--quick]
"""

import sys

from _es_study import CARTPOLE, CARTPOLE_ES, k_sweep, quick

SCENARIO = k_sweep("fig4_10_cartpole_k", CARTPOLE, CARTPOLE_ES, trials=10, episodes=200)
QUICK = quick(SCENARIO, trials=2, episodes=20)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
