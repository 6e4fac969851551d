"""Figure 4.8: ESPC n = 50, k = 10, with m = 5, 10, 15, 30, 45, beside ES n = 50, on Cart Pole
(report section 4.8; the other settings as 4.7): 200 episodes, 20 trials. See ``_es_study.py``.

    netsim run fig4_8_cartpole_m [--quick]
"""

import sys

from _es_study import CARTPOLE, CARTPOLE_ES, m_sweep, quick

SCENARIO = m_sweep("fig4_8_cartpole_m", CARTPOLE, CARTPOLE_ES, trials=20)
QUICK = quick(SCENARIO, trials=2, episodes=20)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
