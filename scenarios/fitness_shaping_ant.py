"""Does ESPC still beat ES on Ant when ES's returns are ranked? ES n = 50 and ESPC n = 50, m = 25,
k = 5 on MuJoCo Ant (figure 4.6's settings, report 4.7) with Salimans et al. 2017's centred ranks
(``ESConfig.fitness = "ranks"``), 12 trials paired by seed, 8 episodes. Needs the ``mujoco`` extra.

Cut to a budget of about 45 core-minutes on a 2-core machine shared with other jobs: an Ant
episode of 50 agents took 11.6 s of CPU (the quick form: 2 variants x 2 episodes, 46 s of trial
CPU), so this is 12 x 2 x 8 = 192 agent-pool episodes, about 37 core-minutes (trials 0-5 were
run first and 6-11 added later with ``--reuse``). Cuts: the raw-return
runs are not repeated, since trial t here has the seed of trial t of the stored figure 4.6 run
(``results/fig4_6_ant``), whose ES n = 50 and ESPC trials 0-2 pair with these; the
mean-subtracted shaping is left to Cart Pole (``fitness_shaping``); episodes are cut from 200 to
8, since in the stored raw-return runs ESPC's mean is above ES n = 50's in every trial by
episodes 4-7. 6 paired trials are the fewest at which a two-sided Wilcoxon signed-rank test can
reach p < 0.05 (6 of 6 one way: p = 2 / 2^6 = 0.031); with 12, a sign test reaches it at 10 of
12 one way (p = 0.039).

    netsim run fitness_shaping_ant [--quick]
"""

import sys

from _es_study import ANT, ANT_ES, quick
from _fitness_study import shaping_study

SCENARIO = shaping_study(
    "fitness_shaping_ant", ANT, ANT_ES, trials=12, episodes=8, shapings=("ranks",)
)
QUICK = quick(SCENARIO, trials=1, episodes=2)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
