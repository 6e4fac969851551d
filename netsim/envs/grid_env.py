"""Gymnasium environments for the grid worlds, single and batched, both stepping one
:class:`~netsim.envs.tabular_model.TabularModel` with :meth:`TabularModel.step`.

The batched form is a Gymnasium ``VectorEnv`` with next-step autoreset (as Gymnasium's own
``CartPoleVectorEnv``): a sub-environment that ended on one step is reset by the next, which returns
its start state with reward 0. ``gymnasium.make_vec`` builds it for the registered ids. Each
sub-environment draws its randomness from its own generator, seeded as a sync vector environment
of the single environments seeds it (sub-environment j from ``seed + j``, or from ``seed[j]`` of a
list): the batched form gives exactly the single environments' episodes, and an agent's episode
does not depend on the agents it is batched with.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from netsim.envs.tabular_model import TabularModel
from netsim.envs.worlds import frozen_lake, simple_grid, windy_grid

STEP_LIMIT = 100
"""Episode step limit of every grid world (our choice; the report gives none): Gymnasium's
FrozenLake-v1 uses 100 on its 4x4 map, and 100 steps is 12 times the shortest path."""


class GridWorldEnv(gym.Env[np.int64, np.int64]):
    """One agent in a grid world given by a tabular model."""

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(self, model: TabularModel) -> None:
        self.tabular_model = model
        """The world's P(s'|s,a), rewards and terminal states (DAVIA plans with it)."""
        self.observation_space = gym.spaces.Discrete(model.n_states)
        self.action_space = gym.spaces.Discrete(model.n_actions)
        self.state = model.start

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.int64, dict[str, Any]]:
        super().reset(seed=seed)
        self.state = self.tabular_model.start
        return np.int64(self.state), {}

    def step(self, action: np.int64) -> tuple[np.int64, float, bool, bool, dict[str, Any]]:
        if not self.action_space.contains(action):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        next_states, rewards, terminated = self.tabular_model.step(
            np.array([self.state]), np.array([action]), self.np_random.random(1)
        )
        self.state = int(next_states[0])
        return np.int64(self.state), float(rewards[0]), bool(terminated[0]), False, {}


class GridWorldVectorEnv(VectorEnv):
    """``num_envs`` agents in one grid world, stepped together; episodes end at the terminal
    states or after ``max_episode_steps`` steps (truncated)."""

    metadata: dict[str, Any] = {"render_modes": [], "autoreset_mode": AutoresetMode.NEXT_STEP}

    def __init__(
        self, model: TabularModel, num_envs: int = 1, max_episode_steps: int = STEP_LIMIT
    ) -> None:
        if num_envs < 1:
            raise ValueError(f"num_envs = {num_envs} must be at least 1")
        if max_episode_steps < 1:
            raise ValueError(f"max_episode_steps = {max_episode_steps} must be at least 1")
        self.tabular_model = model
        self.num_envs = num_envs
        self.max_episode_steps = max_episode_steps
        self.single_observation_space = gym.spaces.Discrete(model.n_states)
        self.single_action_space = gym.spaces.Discrete(model.n_actions)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self.states = np.full(num_envs, model.start, dtype=np.int64)
        self.steps = np.zeros(num_envs, dtype=np.int64)
        self.ended = np.zeros(num_envs, dtype=bool)
        """Which sub-environments ended on the last step (reset on the next)."""
        self.generators = [seeding.np_random()[0] for _ in range(num_envs)]
        """Each sub-environment's own source of randomness."""

    def reset(
        self,
        *,
        seed: int | list[int | None] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Every sub-environment to the start; with a seed, its generator reseeded as Gymnasium's
        sync vector environment reseeds its sub-environments' (None keeps a generator going)."""
        if seed is None or isinstance(seed, int):
            seeds = [None if seed is None else seed + j for j in range(self.num_envs)]
        else:
            seeds = list(seed)
        if len(seeds) != self.num_envs:
            raise ValueError(f"{len(seeds)} seeds given for {self.num_envs} sub-environments")
        for j, sub_seed in enumerate(seeds):
            if sub_seed is not None:
                self.generators[j] = seeding.np_random(sub_seed)[0]
        self.states[:] = self.tabular_model.start
        self.steps[:] = 0
        self.ended[:] = False
        return self.states.copy(), {}

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        actions = np.asarray(actions)
        if actions.shape != (self.num_envs,) or not (
            actions.min() >= 0 and actions.max() < self.tabular_model.n_actions
        ):
            raise ValueError(f"actions {actions!r} are not in {self.action_space}")
        uniforms = np.array([generator.random() for generator in self.generators])
        states, rewards, terminated = self.tabular_model.step(self.states, actions, uniforms)
        self.steps += 1
        truncated = (self.steps >= self.max_episode_steps) & ~terminated
        if self.ended.any():  # next-step autoreset of the sub-environments that ended last step
            states[self.ended] = self.tabular_model.start
            self.steps[self.ended] = 0
            rewards = np.where(self.ended, 0.0, rewards)
            terminated &= ~self.ended
            truncated &= ~self.ended
        self.states = states
        self.ended = terminated | truncated
        return states.copy(), rewards, terminated, truncated, {}


class SimpleGridEnv(GridWorldEnv):
    """
    ## Description
    Simple Grid (report section 3.3.2): a 5x5 grid world; walk from the top-left square to the
    bottom-right one.

    ## Action Space
    ``Discrete(5)``: 0 left, 1 right, 2 up, 3 down, 4 stay. A move into the edge leaves the agent
    where it is.

    ## Observation Space
    ``Discrete(25)``: the square, row * 5 + column, from the top left.

    ## Starting State
    The top-left square, 0.

    ## Rewards
    -1 for every step, 0 for the step that reaches the goal.

    ## Episode End
    Terminated on reaching the bottom-right square, 24; truncated after 100 steps (our choice).
    The best discounted return with gamma = 0.9 is -(1 - 0.9^7) / 0.1 = -5.217 (8 moves).

    ## Arguments
    None: ``gymnasium.make("netsim/SimpleGrid-v0")``; ``gymnasium.make_vec(..., num_envs=n)`` gives
    the batched form.
    """

    def __init__(self) -> None:
        super().__init__(simple_grid())


class SimpleGridVectorEnv(GridWorldVectorEnv):
    """:class:`SimpleGridEnv`, ``num_envs`` at once."""

    def __init__(self, num_envs: int = 1, max_episode_steps: int = STEP_LIMIT) -> None:
        super().__init__(simple_grid(), num_envs, max_episode_steps)


class WindyGridEnv(GridWorldEnv):
    """
    ## Description
    Windy Grid (report section 4.6): Simple Grid with wind. After the action's move the agent is
    pushed one square up with probability 0.3 and, independently, one square left with probability
    0.3, each push stopping at the edge.

    ## Action Space
    ``Discrete(5)``: 0 left, 1 right, 2 up, 3 down, 4 stay.

    ## Observation Space
    ``Discrete(25)``: the square, row * 5 + column, from the top left.

    ## Starting State
    The top-left square, 0.

    ## Rewards
    -1 for every step, 0 for the step that ends on the goal.

    ## Episode End
    Terminated when the agent ends a step (wind included) on the bottom-right square, 24; truncated
    after 100 steps.

    ## Arguments
    ``push_probability`` (default 0.3): the chance of each push.
    """

    def __init__(self, push_probability: float = 0.3) -> None:
        super().__init__(windy_grid(push_probability))


class WindyGridVectorEnv(GridWorldVectorEnv):
    """:class:`WindyGridEnv`, ``num_envs`` at once."""

    def __init__(
        self, num_envs: int = 1, max_episode_steps: int = STEP_LIMIT, push_probability: float = 0.3
    ) -> None:
        super().__init__(windy_grid(push_probability), num_envs, max_episode_steps)


class FrozenLake5x5Env(GridWorldEnv):
    """
    ## Description
    Gymnasium's Frozen Lake on a fixed 5x5 map (report sections 3.3.2, 4.6), slippery by default::

        S F F F F
        F F F H F
        F H F F F
        F F F H F
        H F F F G

    Walk from S to G over the frozen squares F without falling into a hole H. On slippery ice the
    agent moves in the intended direction with probability 1/3 and in each perpendicular direction
    with probability 1/3 (Gymnasium's rule).

    ## Action Space
    ``Discrete(4)``: 0 left, 1 down, 2 right, 3 up (Gymnasium's FrozenLake numbering); with
    ``stay``, ``Discrete(5)``, and 4 stays in place (it never slips).

    ## Observation Space
    ``Discrete(25)``: the square, row * 5 + column, from the top left.

    ## Starting State
    The top-left square, 0.

    ## Rewards
    1 for reaching the goal, 0 otherwise.

    ## Episode End
    Terminated on a hole or the goal; truncated after 100 steps (FrozenLake-v1's limit on 4x4).

    ## Arguments
    ``is_slippery`` (default True) and ``success_rate`` (default 1/3), as Gymnasium's FrozenLake;
    ``stay`` (default False): a fifth action that stays in place, as the report's grids have
    (:func:`netsim.envs.worlds.frozen_lake`). ``gymnasium.make("netsim/FrozenLake5x5Stay-v0")``
    is this world with ``stay=True``.
    """

    def __init__(
        self, is_slippery: bool = True, success_rate: float = 1.0 / 3.0, stay: bool = False
    ) -> None:
        super().__init__(frozen_lake(is_slippery, success_rate, stay))


class FrozenLake5x5VectorEnv(GridWorldVectorEnv):
    """:class:`FrozenLake5x5Env`, ``num_envs`` at once."""

    def __init__(
        self,
        num_envs: int = 1,
        max_episode_steps: int = STEP_LIMIT,
        is_slippery: bool = True,
        success_rate: float = 1.0 / 3.0,
        stay: bool = False,
    ) -> None:
        super().__init__(frozen_lake(is_slippery, success_rate, stay), num_envs, max_episode_steps)
