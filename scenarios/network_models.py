"""Network models: ES and ESPC (n = 50, m = 25) on Cart Pole over a two-tier network of 5 edge
routers, with heterogeneous access links (log-normal around 1 Mbit/s, 1-20 ms) and 10 Mbit/s
backhauls, timed by the fair flow model, by store-and-forward, and by the fair model with 5% packet
loss on every access link.

Learning per episode is the same in every network (barrier rounds, common seeds); what differs is
the simulated time each round takes, which the reward-against-time plot shows.

    netsim run network_models        # or: python scenarios/network_models.py [--trials N ...]
"""

import sys

import netsim

N_AGENTS = 50


def network(loss: float = 0.0):
    return netsim.two_tier(
        N_AGENTS,
        n_edges=5,
        access_bandwidth_bps={"distribution": "lognorm", "s": 0.5, "scale": 1e6},
        access_latency_s={"distribution": "uniform", "loc": 0.001, "scale": 0.019},
        backhaul_bandwidth_bps=10e6,
        access_loss=loss,
        backhaul_latency_s=0.005,
        seed=7,
    )


NETWORKS = {
    "fair": (network(), netsim.NetworkSettings(model="fair")),
    "store-and-forward": (network(), netsim.NetworkSettings(model="store-and-forward")),
    "fair, 5% loss": (network(loss=0.05), netsim.NetworkSettings(model="fair")),
}
ALGORITHMS = [("ES", "es", {}), ("ESPC m=25", "espc", {"m": 25, "k": 5})]

SCENARIO = netsim.Scenario(
    name="network_models",
    variants=[
        netsim.Variant(f"{label} @ {name}", algorithm, graph, config=config, network=settings)
        for name, (graph, settings) in NETWORKS.items()
        for label, algorithm, config in ALGORITHMS
    ],
    episodes=200,
    trials=5,
    seed=0,
)

if __name__ == "__main__":
    from netsim.cli import main

    sys.exit(main(["run", __file__, *sys.argv[1:]]))
