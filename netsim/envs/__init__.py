"""The report's grid worlds, and MuJoCo Ant as the report had it, registered with Gymnasium when
``netsim`` is imported:

    gymnasium.make("netsim/SimpleGrid-v0")       # one agent
    gymnasium.make_vec("netsim/WindyGrid-v0", 5) # five agents, batched
    gymnasium.make("netsim/FrozenLake5x5-v0")
    gymnasium.make("netsim/FrozenLake5x5Stay-v0")  # with a fifth action, "stay"
    gymnasium.make("netsim/Ant-v4-like")         # needs the mujoco extra

Each world is a tabular model (:mod:`netsim.envs.worlds`) stepped by one function
(:meth:`TabularModel.step`) in both forms (:mod:`netsim.envs.grid_env`).

``netsim/Ant-v4-like`` is Gymnasium's ``Ant-v5`` configured as the ``Ant-v4`` of the report's
time (Gymnasium 0.28-0.29, spring 2023, whose ``use_contact_forces`` defaulted to False):
Ant-v5's class and spec (1000-step limit) with the two settings of :data:`ANT_FORMS`:

* ``include_cfrc_ext_in_observation=False``: the observation is qpos without x, y (13) and
  qvel (14), 27 values, as v4's without contact forces; v5's default adds the 78 clipped
  contact forces, 105 values (an MLP 64, 64 then has 11,464 parameters, not 6,472);
* ``contact_cost_weight=0.0``: v4 without contact forces has no contact cost in its reward; v5
  subtracts 0.0 x the clipped forces' squared sum, which is 0.0 exactly, so the reward is v4's
  forward + healthy - control cost to the bit.

Every other setting is v5's default, which is v4's value: the same ``ant.xml``, frame skip 5,
control cost 0.5, healthy reward 1, healthy z in [0.2, 1], reset noise 0.1, x and y left out of
the observation, termination when unhealthy; v4's forward velocity is the torso's ``xpos``
displacement, as v5's ``main_body = 1`` is. What still differs, and no v5 setting restores: on
the step an ant falls (``terminated``), v4 pays the healthy reward of 1 anyway (its
``healthy_reward`` is ``(is_healthy or terminate_when_unhealthy) * 1``) and v5 pays 0, so an
episode that ends in a fall returns gamma^(T-1) more under v4 (T its length), at most 1 of a
return in the hundreds; and v4's ``info`` reads x, y from ``xpos`` where v5 reads ``qpos``
(nothing here uses ``info``). ``tests/test_ant.py`` checks both against Gymnasium's ``Ant-v4``.
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

ANT_FORMS = {
    "netsim/Ant-v4-like": {"include_cfrc_ext_in_observation": False, "contact_cost_weight": 0.0},
}
"""Registered id -> the settings of Gymnasium's ``Ant-v5`` it is made with (see above)."""

for _env_id, (_name, _kwargs) in GRID_WORLDS.items():
    if _env_id not in gym.registry:
        gym.register(
            id=_env_id,
            entry_point=f"netsim.envs.grid_env:{_name}Env",
            vector_entry_point=f"netsim.envs.grid_env:{_name}VectorEnv",
            max_episode_steps=STEP_LIMIT,
            kwargs=_kwargs,
        )

_ANT = gym.spec("Ant-v5")
for _env_id, _settings in ANT_FORMS.items():
    if _env_id not in gym.registry:
        gym.register(
            id=_env_id,
            entry_point=_ANT.entry_point,
            max_episode_steps=_ANT.max_episode_steps,
            kwargs={**_ANT.kwargs, **_settings},
        )

__all__ = [
    "ANT_FORMS",
    "GRID_WORLDS",
    "STEP_LIMIT",
    "GridWorldEnv",
    "GridWorldVectorEnv",
    "TabularModel",
]
