"""Gymnasium's MuJoCo ``Ant-v5`` for a batch of ants, stepped in one call: equal to a sync vector
environment of Gymnasium's ``Ant-v5`` step for step, to the bit, at little more than the cost of
its physics.

Step of ant i with action a (float32, as the policy gives it), as ``AntEnv.step`` with its
defaults (every setting is read from a Gymnasium ``Ant-v5``, none typed again here):

    ctrl <- a;  frame_skip = 5 calls of mj_step (RK4, dt = 5 * 0.01 s);  mj_rnePostConstraint
    v      = (xy_after - xy_before) / dt        xy: the torso's xpos as MuJoCo leaves it after a
                                                step (at the last RK4 stage of the last substep)
    healthy = qpos, qvel all finite and 0.2 <= z <= 1.0
    reward = (v_x + 1.0 * healthy) - (0.5 * sum(a^2) + 5e-4 * sum(clip(cfrc_ext, -1, 1)^2))
             (the control cost in a's dtype, as numpy gives Gymnasium's; the contact forces
             cfrc_ext of every body, the world's zeros included, summed in the same order)
    observation = (qpos[2:], qvel, clip(cfrc_ext[1:], -1, 1))      13 + 14 + 78 = 105 values
                  (qpos[2:], qvel) if include_cfrc_ext_in_observation is False: 27 values
    terminated = not healthy;  truncated = its 1000th step (Gymnasium's ``TimeLimit``)

An Ant registered with other settings (``gymnasium.register`` with Ant-v5's entry point and
``kwargs``, as ``netsim/Ant-v4-like`` is) is batched with them: ``env_id`` names it, and every
setting above is read from a ``gym.make(env_id)``. The batch refuses the two settings whose
other value it does not implement (``exclude_current_positions_from_observation=False``,
``terminate_when_unhealthy=False``).

Reset of ant i with seed s, as ``MujocoEnv.reset``: its generator becomes ``np_random(s)``, then
mj_resetData, qpos = init_qpos + U(-0.1, 0.1)^15, qvel = init_qvel + 0.1 N(0, 1)^14, mj_forward.
A seed for the batch, s, resets ant i with s + i, as a sync vector environment does.

Gymnasium's step costs about a third more than its physics, in Python around it (``netsim bench
ant``); here that part is numpy over the batch, and each ant's physics is the same C calls Gymnasium makes
on its own ``MjData`` (so the solver's warm start and every intermediate quantity are Gymnasium's).
Why by hand, not with MuJoCo's batched stepping: ``mujoco.rollout`` starts every call from a cold
solver warm start (its state excludes ``qacc_warmstart``) and returns states, not the contact
forces of the last RK4 stage, so its episodes would differ; ``mujoco.batch.Batch`` steps
bit-exactly on C threads but cannot call ``mj_rnePostConstraint`` after the step, and reading each
simulation's ``MjData`` back to call it costs a copy per ant-step (about 8% on top of the physics
in one measurement here). ``mujoco.mj_step`` releases the GIL, so ``threads`` > 1 steps contiguous chunks of the
running ants on that many threads (the calling one among them); each ant's results are its own,
whatever the chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import gymnasium as gym
import mujoco
import numpy as np
from gymnasium.envs.mujoco.ant_v5 import AntEnv
from gymnasium.utils import seeding

ENV_ID = "Ant-v5"
SETTINGS = (
    "forward_reward_weight",
    "ctrl_cost_weight",
    "contact_cost_weight",
    "healthy_reward",
    "healthy_z_range",
    "contact_force_range",
    "reset_noise_scale",
    "main_body",
    "include_cfrc_ext_in_observation",
)
"""The settings of Gymnasium's ``AntEnv`` the batch reads, by their names in its ``__init__``."""


FIXED = {
    "exclude_current_positions_from_observation": True,
    "terminate_when_unhealthy": True,
}
"""Settings of ``AntEnv`` the batch implements at one value only: its default."""


class AntBatch:
    """``num_envs`` ants of Gymnasium's ``Ant-v5`` (or of ``env_id``, an id registered with its
    class, with that id's settings), stepped together.

    The interface :func:`algorithms.rollout.rollout` uses: ``reset`` as a sync vector
    environment's, and ``step_running``, which steps only the running ants."""

    def __init__(self, num_envs: int, threads: int = 1, env_id: str = ENV_ID) -> None:
        if num_envs < 1:
            raise ValueError(f"an Ant batch needs at least one ant, not num_envs = {num_envs}")
        if threads < 1:
            raise ValueError(f"an Ant batch steps on at least one thread, not threads = {threads}")
        template = gym.make(env_id)
        ant = template.unwrapped
        if not isinstance(ant, AntEnv):
            raise ValueError(f"{env_id} is not Gymnasium's Ant-v5 class, so it has no Ant batch")
        for name, value in FIXED.items():
            if getattr(ant, f"_{name}") != value:
                raise ValueError(f"{env_id}: the Ant batch steps only {name}={value}")
        self.num_envs = num_envs
        self.threads = threads
        self.single_observation_space = template.observation_space
        self.single_action_space = template.action_space
        assert template.spec is not None and template.spec.max_episode_steps is not None
        self.max_episode_steps: int = template.spec.max_episode_steps
        self.model = ant.model
        self.frame_skip = ant.frame_skip
        self.dt = ant.dt
        self.init_qpos, self.init_qvel = ant.init_qpos, ant.init_qvel
        self.settings = {name: getattr(ant, f"_{name}") for name in SETTINGS}
        self.main_body = self.model.body(self.settings["main_body"]).id
        self.datas = [mujoco.MjData(self.model) for _ in range(num_envs)]
        self.elapsed = np.zeros(num_envs, dtype=np.int64)
        self.qpos = np.zeros((num_envs, self.model.nq))
        self.qvel = np.zeros((num_envs, self.model.nv))
        self.cfrc_ext = np.zeros((num_envs, *self.datas[0].cfrc_ext.shape))
        self.xy = np.zeros((num_envs, 2))
        """The main body's xy position where the last reset or step left each ant."""
        self._pool = ThreadPoolExecutor(threads - 1) if threads > 1 else None
        template.close()

    def reset(self, *, seed: int | Sequence[int]) -> tuple[np.ndarray, dict[str, Any]]:
        """Every ant reset: ant i with ``seed + i``, or ``seed[i]`` of a sequence; its observation."""
        seeds = [seed + i for i in range(self.num_envs)] if isinstance(seed, int) else list(seed)
        if len(seeds) != self.num_envs:
            raise ValueError(f"{len(seeds)} seeds for a batch of {self.num_envs} ants")
        noise = self.settings["reset_noise_scale"]
        for i, data in enumerate(self.datas):
            generator, _ = seeding.np_random(int(seeds[i]))
            mujoco.mj_resetData(self.model, data)
            data.qpos[:] = self.init_qpos + generator.uniform(-noise, noise, size=self.model.nq)
            data.qvel[:] = self.init_qvel + noise * generator.standard_normal(self.model.nv)
            mujoco.mj_forward(self.model, data)
            self._gather(i)
        self.elapsed[:] = 0
        return self._observations(np.arange(self.num_envs)), {}

    def step_running(
        self, actions: np.ndarray, active: np.ndarray, observations: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One step of the ``active`` ants, ant i taking row i of ``actions``: observations (the
        ``active`` rows of ``observations`` written, the others left as they are), and rewards,
        terminated and truncated per ant (0 and False for an ant not stepped)."""
        running = np.flatnonzero(active)
        xy_before = self.xy[running]
        if self._pool is None:
            self._step_ants(running, actions)
        else:
            chunks = np.array_split(running, self.threads)
            futures = [self._pool.submit(self._step_ants, rows, actions) for rows in chunks[1:]]
            self._step_ants(chunks[0], actions)
            for future in futures:
                future.result()
        self.elapsed[running] += 1
        observations[running] = self._observations(running)
        settings = self.settings
        velocity = (self.xy[running] - xy_before) / self.dt
        qpos, qvel = self.qpos[running], self.qvel[running]
        min_z, max_z = settings["healthy_z_range"]
        healthy = (
            np.isfinite(qpos).all(axis=1)
            & np.isfinite(qvel).all(axis=1)
            & (min_z <= qpos[:, 2])
            & (qpos[:, 2] <= max_z)
        )
        gains = velocity[:, 0] * settings["forward_reward_weight"] + (
            healthy * settings["healthy_reward"]
        )
        control_cost = settings["ctrl_cost_weight"] * np.square(actions[running]).sum(axis=1)
        low, high = settings["contact_force_range"]
        forces = np.clip(self.cfrc_ext[running], low, high).reshape(len(running), -1)
        contact_cost = settings["contact_cost_weight"] * np.square(forces).sum(axis=1)
        rewards = np.zeros(self.num_envs)
        rewards[running] = gains - (control_cost + contact_cost)
        terminated = np.zeros(self.num_envs, dtype=bool)
        terminated[running] = ~healthy
        truncated = np.zeros(self.num_envs, dtype=bool)
        truncated[running] = self.elapsed[running] >= self.max_episode_steps
        return observations, rewards, terminated, truncated

    def _step_ants(self, rows: np.ndarray, actions: np.ndarray) -> None:
        """The physics of ants ``rows``, as ``MujocoEnv.do_simulation`` steps one."""
        model, frame_skip = self.model, self.frame_skip
        for i in rows.tolist():
            data = self.datas[i]
            data.ctrl[:] = actions[i]
            mujoco.mj_step(model, data, nstep=frame_skip)
            mujoco.mj_rnePostConstraint(model, data)
            self._gather(i)

    def _gather(self, i: int) -> None:
        """Copy what the observation and reward read of ant ``i``'s ``MjData`` into the batch."""
        data = self.datas[i]
        self.qpos[i] = data.qpos
        self.qvel[i] = data.qvel
        self.cfrc_ext[i] = data.cfrc_ext
        self.xy[i] = data.xpos[self.main_body, :2]

    def _observations(self, rows: np.ndarray) -> np.ndarray:
        """Ants ``rows``' observations: qpos without x, y; qvel; unless the settings leave them
        out, clipped contact forces of every body but the world."""
        if not self.settings["include_cfrc_ext_in_observation"]:
            return np.concatenate((self.qpos[rows, 2:], self.qvel[rows]), axis=1)
        low, high = self.settings["contact_force_range"]
        forces = np.clip(self.cfrc_ext[rows, 1:], low, high).reshape(len(rows), -1)
        return np.concatenate((self.qpos[rows, 2:], self.qvel[rows], forces), axis=1)

    def close(self) -> None:
        """Stop the stepping threads."""
        if self._pool is not None:
            self._pool.shutdown()
