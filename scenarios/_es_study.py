"""The report's ES / ESPC study (chapter 4, figures 4.2-4.11), shared by the scenarios that draw
it: a helper module, not a scenario.

Every study runs over the same network as chapter 3's (a star of 1 Mbit/s, 10 ms access links), so
its curves can also be read against simulated time; under barrier rounds the network changes when
an episode ends, not what is learnt.

Choices where the report is silent, stated here once:

* the grid worlds of section 4.6 keep chapter 3's gamma = 0.9 and ES settings
  (``_grid_comparison.ES_ON_GRIDS``); ESPC there uses m = n / 2 = 15 and k = 5, the ratio and
  horizon of section 4.7 (4.6 gives neither);
* Ant is Gymnasium's ``Ant-v5`` with its defaults (1000-step limit, contact forces in the
  observation: 105 inputs), its action tanh-scaled to the box [-1, 1]^8;
* the quick forms keep every variant and cut trials and episodes, so a smoke run draws every curve;
* Ant's rollouts run where its trials run: ``netsim run`` already spreads trials over worker
  processes, one per core, and on this 2-core machine adding a rollout pool inside each trial
  worker made one episode of every fig4_6 variant slower (49.4 s against 36.6 s), while with
  the serial backend a pool of 2 helped (29.9 s against 36.5 s); see docs/reproduction.md. So a
  run keeps one process a trial by default; give ``netsim run --rollout-workers`` the core count
  for a run with fewer trials than cores (``--backend serial``, or ``--trials 1`` of one variant).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from _grid_comparison import ES_ON_GRIDS, GAMMA

import netsim

CARTPOLE = "CartPole-v1"
ANT = "Ant-v5"

CARTPOLE_ES: Mapping[str, Any] = {
    "hidden": (8, 8),
    "learning_rate": 0.01,
    "l2": 0.05,
    "sigma": 0.05,
    "gamma": 1.0,
}
"""ES and ESPC on Cart Pole (report 4.7): MLP 8, 8; Adam, lr 0.01, L2 0.05; sigma 0.05; gamma 1."""

ANT_ES: Mapping[str, Any] = {
    "hidden": (64, 64),
    "learning_rate": 0.005,
    "l2": 0.05,
    "sigma": 0.02,
    "gamma": 0.99,
}
"""ES and ESPC on Ant (report 4.7): MLP 64, 64; Adam, lr 0.005, L2 0.05; sigma 0.02; gamma 0.99."""

GRID_N = 30
GRID_ESPC = {**ES_ON_GRIDS, "m": GRID_N // 2, "k": 5}


def network(n_agents: int) -> Any:
    """The study's network: a star of ``n_agents`` 1 Mbit/s, 10 ms access links."""
    return netsim.star(n_agents, bandwidth_bps=1e6, latency_s=0.01)


def es(n: int, env: str, config: Mapping[str, Any]) -> netsim.Variant:
    return netsim.Variant(f"ES n={n}", "es", network(n), env=env, config=dict(config))


def espc(label: str, env: str, config: Mapping[str, Any], *, m: int, k: int) -> netsim.Variant:
    """ESPC with n = 50 agents, expected senders ``m`` and horizon ``k``."""
    return netsim.Variant(label, "espc", network(50), env=env, config={**config, "m": m, "k": k})


def grid_study(name: str, env: str, *, cumulative_reward: bool = False) -> netsim.Scenario:
    """Figures 4.2, 4.3: DQL, EBCDQL, DAVIA, ES and ESPC with n = 30 on a grid world, 1000
    episodes, 5 trials (report 4.6)."""
    variants = [
        netsim.Variant(label, algorithm, network(GRID_N), env=env, config=config)
        for label, algorithm, config in [
            ("DQL", "dql", {"gamma": GAMMA}),
            ("EBCDQL", "ebcdql", {"gamma": GAMMA}),
            ("DAVIA", "davia", {"gamma": GAMMA}),
            ("ES", "es", dict(ES_ON_GRIDS)),
            (f"ESPC m={GRID_N // 2}", "espc", GRID_ESPC),
        ]
    ]
    return netsim.Scenario(
        name, variants, episodes=1000, trials=5, seed=0, cumulative_reward=cumulative_reward
    )


def comparison(
    name: str, env: str, config: Mapping[str, Any], *, trials: int, episodes: int = 200
) -> netsim.Scenario:
    """Figures 4.5, 4.6: ES n = 25, ES n = 50 and ESPC n = 50, m = 25, k = 5 (report 4.7)."""
    variants = [
        es(25, env, config),
        es(50, env, config),
        espc("ESPC n=50 m=25", env, config, m=25, k=5),
    ]
    return netsim.Scenario(name, variants, episodes=episodes, trials=trials, seed=0)


def m_sweep(
    name: str,
    env: str,
    config: Mapping[str, Any],
    *,
    trials: int,
    episodes: int = 200,
    ms: Sequence[int] = (5, 10, 15, 30, 45),
) -> netsim.Scenario:
    """Figures 4.8, 4.9: ESPC n = 50, k = 10 for each m, beside ES n = 50 (report 4.8)."""
    variants = [es(50, env, config)] + [espc(f"ESPC m={m}", env, config, m=m, k=10) for m in ms]
    return netsim.Scenario(name, variants, episodes=episodes, trials=trials, seed=0)


def k_sweep(
    name: str,
    env: str,
    config: Mapping[str, Any],
    *,
    trials: int,
    episodes: int,
    ks: Sequence[int] = (3, 10, 30),
) -> netsim.Scenario:
    """Figures 4.10, 4.11: ESPC n = 50, m = 25 for each k, beside ES n = 50 (report 4.9)."""
    variants = [es(50, env, config)] + [espc(f"ESPC k={k}", env, config, m=25, k=k) for k in ks]
    return netsim.Scenario(name, variants, episodes=episodes, trials=trials, seed=0)


def quick(scenario: netsim.Scenario, *, trials: int, episodes: int) -> netsim.Scenario:
    """The smoke form of ``scenario``: every variant, fewer trials and episodes, its own name (so
    its results do not land in the full run's folder)."""
    return dataclasses.replace(
        scenario, name=f"{scenario.name}_quick", trials=trials, episodes=episodes
    )
