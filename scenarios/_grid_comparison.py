"""The report's comparison of value-based algorithms and ES on a grid world (figures 3.4, 3.5),
shared by the scenarios that draw them: a helper module, not a scenario."""

import netsim

GAMMA = 0.9
ES_ON_GRIDS = {
    "hidden": (4, 4),
    "optimizer": "momentum",
    "learning_rate": 0.01,
    "sigma": 0.1,
    "l2": 0.0,
    "gamma": GAMMA,
}
"""ES on the grid worlds: the report's policy size and optimiser (4.6); step, noise and no L2 ours."""


def grid_comparison(name: str, env: str, *, cumulative_reward: bool = False) -> netsim.Scenario:
    """DQL, EBCDQL, DAVIA and ES (each with its config's defaults, gamma = 0.9) on ``env`` at the
    report's section 3.3.2 settings: n = 5, 1000 episodes, 100 trials, over a star of 1 Mbit/s,
    10 ms access links."""
    network = netsim.star(5, bandwidth_bps=1e6, latency_s=0.01)
    return netsim.Scenario(
        name=name,
        variants=[
            netsim.Variant(label, algorithm, network, env=env, config=config)
            for label, algorithm, config in [
                ("DQL", "dql", {"gamma": GAMMA}),
                ("EBCDQL", "ebcdql", {"gamma": GAMMA}),
                ("DAVIA", "davia", {"gamma": GAMMA}),
                ("ES", "es", ES_ON_GRIDS),
            ]
        ],
        episodes=1000,
        trials=100,
        seed=0,
        cumulative_reward=cumulative_reward,
    )
