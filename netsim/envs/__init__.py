"""The report's grid worlds, registered with Gymnasium when ``netsim`` is imported:

    gymnasium.make("netsim/SimpleGrid-v0")       # one agent
    gymnasium.make_vec("netsim/WindyGrid-v0", 5) # five agents, batched
    gymnasium.make("netsim/FrozenLake5x5-v0")
    gymnasium.make("netsim/FrozenLake5x5Stay-v0")  # with a fifth action, "stay"

Each world is a tabular model (:mod:`netsim.envs.worlds`) stepped by one function
(:meth:`TabularModel.step`) in both forms (:mod:`netsim.envs.grid_env`).
"""

import gymnasium as gym

from netsim.envs.grid_env import STEP_LIMIT, GridWorldEnv, GridWorldVectorEnv
from netsim.envs.tabular_model import TabularModel

GRID_WORLDS = {
    "netsim/SimpleGrid-v0": ("SimpleGrid", {}),
    "netsim/WindyGrid-v0": ("WindyGrid", {}),
    "netsim/FrozenLake5x5-v0": ("FrozenLake5x5", {}),
    "netsim/FrozenLake5x5Stay-v0": ("FrozenLake5x5", {"stay": True}),
}
"""Registered id -> (class name prefix in :mod:`netsim.envs.grid_env`, its arguments)."""

for _env_id, (_name, _kwargs) in GRID_WORLDS.items():
    if _env_id not in gym.registry:
        gym.register(
            id=_env_id,
            entry_point=f"netsim.envs.grid_env:{_name}Env",
            vector_entry_point=f"netsim.envs.grid_env:{_name}VectorEnv",
            max_episode_steps=STEP_LIMIT,
            kwargs=_kwargs,
        )

__all__ = ["GRID_WORLDS", "STEP_LIMIT", "GridWorldEnv", "GridWorldVectorEnv", "TabularModel"]
