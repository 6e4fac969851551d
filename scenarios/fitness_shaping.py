"""Does ESPC still beat ES when ES's returns are shaped? ES n = 50 and ESPC n = 50, m = 25, k = 5
on Cart Pole (figure 4.5's settings, report 4.7), each with raw returns (the report's equation
2.1), mean-subtracted returns and Salimans et al. 2017's centred ranks (``ESConfig.fitness``):
6 variants, 200 episodes, 20 trials paired by seed, as figure 4.5. About 8 min of CPU (figure 4.5's
3 variants took 233 s); with 20 paired trials a two-sided sign test is significant at 5% when 15
of 20 trials go one way. See ``_fitness_study.py``.

    netsim run fitness_shaping [--quick]   # or: python scenarios/fitness_shaping.py [--trials N ...]
"""

import sys

from _es_study import CARTPOLE, CARTPOLE_ES, quick
from _fitness_study import shaping_study

SCENARIO = shaping_study("fitness_shaping", CARTPOLE, CARTPOLE_ES, trials=20, episodes=200)
QUICK = quick(SCENARIO, trials=2, episodes=20)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
