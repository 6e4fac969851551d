"""Figure 4.11: ESPC n = 50, m = 25, with k = 3, 10, 30, beside ES n = 50, on MuJoCo Ant (report
section 4.9; the other settings as 4.7): 300 episodes, 5 trials. Needs the ``mujoco`` extra. See
``_es_study.py``.

    netsim run fig4_11_ant_k [--quick]
"""

import sys

from _es_study import ANT, ANT_ES, k_sweep, quick

SCENARIO = k_sweep("fig4_11_ant_k", ANT, ANT_ES, trials=5, episodes=300)
QUICK = quick(SCENARIO, trials=1, episodes=2)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
