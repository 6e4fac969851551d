"""Figure 4.6 on Ant as the report had it: ES n = 25, ES n = 50 and ESPC n = 50, m = 25, k = 5 on
``netsim/Ant-v4-like`` (Gymnasium's Ant-v5 configured as the report's Ant-v4 without contact
forces: 27 inputs, 6,472 policy parameters; see :mod:`netsim.envs`), cut to 50 episodes and 1
trial. Needs the ``mujoco`` extra.

    netsim run ant_v4_like --out results/ant_v4_like --backend processes --workers 2 [--quick]

The question: does figure 4.6's ordering (ESPC above both ES) hold with the report's 27 inputs,
as it held on Ant-v5's 105 (``fig4_6_ant``)? Every setting but the environment, the episodes and
the trials is figure 4.6's (``_es_study.py``). Its companion ``ant_v4_like_m5`` asks figure
4.9's m = 5 question on the same Ant.

The cut: the report's 200 episodes and 3 trials would take about 3 x 200 x 28 s = 4.7 hours of
CPU (a round of the three variants took 28 s of one core here, about 220 µs per ant-step over
~980-step episodes, measured with ``--quick``). 50 episodes and 1 trial take about 23 minutes of
CPU: on Ant-v5 ESPC was above both ES from episode 3 and every trial's ESPC above every trial's ES
from episode 50, so 50 episodes show the ordering if it is there, while one trial cannot give its
spread.

Measured: the stored run (``results/ant_v4_like``) took 21 minutes of CPU in all (ES n = 25
4.3, ES n = 50 8.3, ESPC 8.5; about 205 µs per ant-step) and 61 minutes of wall time with 3
workers on the 2-core machine shared with four other jobs.
"""

import sys

from _es_study import ANT_ES, comparison, quick

ENV = "netsim/Ant-v4-like"

SCENARIO = comparison("ant_v4_like", ENV, ANT_ES, trials=1, episodes=50)
QUICK = quick(SCENARIO, trials=1, episodes=2)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
