"""Quiet round trips: an agent's round trip that nothing else can touch, computed without events.

Under ``barrier`` rounds an agent's policy message goes down when the round starts and its report
(or notice) comes up when its episode ends; nothing else is sent until the round is over. Its trip
is *quiet* when

* every link of its routes to and from the learner carries no other pair's messages (so each
  message finds its links free and none joins them before it ends),
* the routes lose no packet and have no outages (no random resends, no waiting or failing),
* the network model computes quiet transfers (:meth:`BandwidthModel.quiet_ends_s`:
  store-and-forward) and records no trace or load (kept in the order transfers end), and
* the downlink is ``full`` without a lossy codec and the report codec is lossless (their
  bookkeeping and random draws then cannot depend on the order in which agents' trips are
  handled).

Its instants (policy received, episode ended, report arrived) are then those the SimPy events
would give, bit for bit, computed with the model's own arithmetic (``t + delay`` as SimPy adds a
timeout), and its link use is counted as the events would count it: so the tables are the same,
with no event per agent-episode (seven before: the process's start and end, two per message and the
episode's timeout).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from netsim.network import Network
from netsim.patterns.central.downlink import Downlinks


def quiet_agents(network: Network, downlinks: Downlinks, reports_lossless: bool) -> np.ndarray:
    """Which agents' round trips are quiet (module docstring), as a boolean mask over agents."""
    topology = network.topology
    quiet = np.zeros(topology.n_agents, dtype=bool)
    if downlinks.kind != "full" or downlinks.coded or not reports_lossless:
        return quiet
    learner = topology.learner
    routes = [
        (topology.route(learner, agent), topology.route(agent, learner))
        for agent in topology.agents
    ]
    pairs_on = Counter(link for down, up in routes for route in (down, up) for link in route)
    for index, (agent, (down, up)) in enumerate(zip(topology.agents, routes, strict=True)):
        quiet[index] = (
            all(pairs_on[link] == 1 for link in (*down, *up))
            and network.can_send_quietly(learner, agent)
            and network.can_send_quietly(agent, learner)
        )
    return quiet
