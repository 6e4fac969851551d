"""Figure 4.9: ESPC n = 50, k = 10, with m = 5, 10, 15, 30, 45, beside ES n = 50, on MuJoCo Ant
(report section 4.8; the other settings as 4.7): 200 episodes, 6 trials. Needs the ``mujoco``
extra. See ``_es_study.py``.

    netsim run fig4_9_ant_m [--quick]
"""

import sys

from _es_study import ANT, ANT_ES, m_sweep, quick

SCENARIO = m_sweep("fig4_9_ant_m", ANT, ANT_ES, trials=6)
QUICK = quick(SCENARIO, trials=1, episodes=2)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
