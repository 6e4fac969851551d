"""A barrier round whose last quiet report ends at an instant no single delay reaches from the
learner's clock still ends there exactly (it used to stop the trial: figure 4.5's ESPC trial 4)."""

import simpy

from netsim.network.base import delay_until
from netsim.patterns.central.barrier import wait_until

NOW, AT = 0.3389734947748931, 0.8568640000000002
"""A clock and a round end from which ``now + d`` rounds past ``at`` for every float d."""


def test_the_clock_reaches_an_instant_no_single_delay_reaches():
    assert NOW + delay_until(NOW, AT) != AT
    env = simpy.Environment(initial_time=NOW)
    env.process(wait_until(env, AT))
    env.run()
    assert env.now == AT

