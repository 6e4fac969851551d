"""Sensitivity of DAVIA's findings to its threshold's direction: the report's formula,
lambda / rho^(N-1-k) with rho > 1, rises over the episodes (ours), while its text says the
threshold "decreases over time". Do figure 3.4's "DAVIA converges quickly, then cuts communication
sharply" and figure 3.5's "DAVIA rarely reaches the goal and communicates very little" hold under
the falling reading? DAVIA rising, falling, and falling from lambda = 0.05
(``_sensitivity.DAVIA_READINGS``) on Simple Grid, Windy Grid and Frozen Lake at chapter 3's
settings (n = 5, 1000 episodes), 20 trials each: DAVIA's trials differ by about 0.01 in mean
reward on Simple Grid and 0.0005 on Frozen Lake (figures 3.4, 3.5), so 20 give each mean to a few
thousandths (95%), and the 10th-90th percentiles rest on 2 trials at each end.
Full run: 240 s of CPU (2 workers, measured).

    netsim run sensitivity_davia [--quick]
"""

import sys

from _sensitivity import davia_readings, quick

SCENARIO = davia_readings("sensitivity_davia", trials=20)
QUICK = quick(SCENARIO)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
