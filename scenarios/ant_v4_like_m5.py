"""Figure 4.9's m = 5 question on Ant as the report had it: ESPC n = 50, m = 5, k = 10 on
``netsim/Ant-v4-like`` (27 inputs, 6,472 policy parameters; see :mod:`netsim.envs`), 150 episodes,
3 trials, alone. Needs the ``mujoco`` extra.

    netsim run ant_v4_like_m5 --out results/ant_v4_like_m5 --backend processes --workers 2 [--quick]

The question: the report's m = 5 collapsed around episode 120 (figure 4.9), and the report put it
down to a gradient estimated from too few samples; on Ant-v5's 105-dimensional observation
(``fig4_9_ant_m``, 6 trials) m = 5 stalled but did not collapse. Does it collapse with the
report's 27 inputs? Every setting but the environment, the episodes, the trials and the variants
is figure 4.9's (``_es_study.py``).

The cut: the report's six variants, 200 episodes and 6 trials would take about 6 x 6 x 200 x 10 s
= 20 hours of CPU (a round of 50 ants took about 10 s of one core here, measured with ``--quick``
of ``ant_v4_like``). Kept: m = 5 alone, for 150 episodes (about 23 minutes of CPU a trial), so
the run goes 30 episodes past the report's collapse; its benchmark, ES n = 50, is
``ant_v4_like``'s trial 0, which has the same seed as trial 0 here (the same starting policy and
noise) and 50 episodes. Three trials can show a collapse, not rule one out: were one trial in
three to collapse, all three would stay up with probability (2/3)^3 = 0.30.

Measured: trial 0 of the stored run (``results/ant_v4_like_m5``) took 23 minutes of CPU on the
2-core machine shared with four other jobs; trials 1 and 2, added later with ``--reuse``, took
39 minutes of CPU together, 31 minutes of wall time with 2 workers beside one other job.
"""

import sys

from _es_study import ANT_ES, espc, quick

import netsim

ENV = "netsim/Ant-v4-like"

SCENARIO = netsim.Scenario(
    "ant_v4_like_m5",
    [espc("ESPC m=5", ENV, ANT_ES, m=5, k=10)],  # as figure 4.9's (m_sweep)
    episodes=150,
    trials=3,
    seed=0,
)
QUICK = quick(SCENARIO, trials=1, episodes=2)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
