"""One episode for each of b agents, as one vectorised computation.

The agents' environments are one Gymnasium vector environment (its native vector form where the
environment has one, as Cart Pole does); an agent's rewards count until its episode ends, and
stepping stops once every agent's episode has ended. A sync vector environment (every environment
without a native vector form: the grids, MuJoCo Ant) steps only the running agents'
sub-environments, each as its own ``step`` would, and leaves a finished one as it ended: on Ant,
where an ant that falls ends its episode (ESPC's averaged 860-900 of 1000 steps in figure 4.11),
this saves the physics of the steps after it (``netsim bench rollout``). MuJoCo's ``Ant-v5`` is
stepped so by its own batched form (:class:`algorithms.ant.AntBatch`): all running ants in one
call, equal to Gymnasium's step for step, without Gymnasium's per-environment Python
(``netsim bench ant``); ``batched=False`` gives Gymnasium's sync vector environment. A native
vector environment is stepped whole: it resets a finished sub-environment on the *next* step
("next-step autoreset") and steps it on its last action until the batch ends, for nothing.

Finished agents are compacted out of the policy evaluation: once at most half of the agents the
policy still evaluates are running (and there are at least :data:`COMPACT_MIN_AGENTS` of them), it
is narrowed to the running ones, so the short early episodes of a large batch do not cost a full
batch of policy evaluations per step. Neither changes any result: each agent's actions depend on
its own parameters and observations only, and its episode on its own sub-environment, which its
neighbours' actions do not touch (native vector Cart Pole draws randomness only when it resets a
finished sub-environment; a sync vector environment gives every sub-environment its own
generator, reseeded at every batch's reset).

:class:`RolloutPool` spreads one batch's rollout over worker processes, for environments whose
physics, not the policy, is the cost (MuJoCo Ant's batched form needs none: it steps its ants on
threads): the batch is cut into contiguous chunks of agents, each run to its end by one worker
with its own vector environment, one round trip per chunk per episode. Agent j's sub-environment is reset with seed + j whichever chunk it is in, as a sync
vector environment of the whole batch resets it, so a pooled rollout gives the serial one's results
exactly; a native vector environment (Cart Pole's) draws every reset from one generator per batch,
so the pool refuses it.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import gymnasium as gym
import numpy as np

COMPACT_MIN_AGENTS = 64
"""Below this many evaluated agents a narrower batch saves less than the copying costs."""


class Actor(Protocol):
    """A batched policy: one action per row of observations, and the same policy for a subset."""

    def __call__(self, observations: np.ndarray) -> np.ndarray:
        """The actions of the policy's agents, one per observation, in order."""
        ...

    def select(self, rows: np.ndarray) -> Actor:
        """The policy of agents ``rows`` (positions in this policy's batch) only."""
        ...


class BatchedEnv(Protocol):
    """A batch of environments that steps only the running ones, each as its own ``step`` would,
    and seeds each from its own seed as a sync vector environment does (MuJoCo Ant's)."""

    num_envs: int
    single_observation_space: gym.Space[Any]
    single_action_space: gym.Space[Any]

    def reset(self, *, seed: int | Sequence[int]) -> tuple[np.ndarray, dict[str, Any]]:
        """Every environment reset, environment i with ``seed + i`` or ``seed[i]``."""
        ...

    def step_running(
        self, actions: np.ndarray, active: np.ndarray, observations: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """As :func:`_step` of a sync vector environment."""
        ...

    def close(self) -> None:
        """Release what the batch holds (threads)."""
        ...


Envs = gym.vector.VectorEnv | BatchedEnv
"""What :func:`rollout` steps."""

BATCHED_ENTRY_POINTS = ("gymnasium.envs.mujoco.ant_v5:AntEnv",)
"""Environment classes with a batched form of ours (:class:`algorithms.ant.AntBatch`): every id
registered with one (``Ant-v5``, ``netsim/Ant-v4-like``) has it, with that id's settings."""


def has_batched_form(env_id: str) -> bool:
    """Whether ``env_id`` is registered with a class of :data:`BATCHED_ENTRY_POINTS`."""
    return gym.spec(env_id).entry_point in BATCHED_ENTRY_POINTS


def make_vector_env(
    env_id: str, num_envs: int, native: bool = True, batched: bool = True, threads: int = 1
) -> Envs:
    """``num_envs`` copies of ``env_id``: its own batched form when it has one
    (:func:`has_batched_form`) and ``batched``, stepping on ``threads`` threads; else vectorised
    natively when the environment supports it and ``native``; else a sync vector environment,
    whose sub-environments each have their own generator (reset with a seed each, an agent's
    episode does not depend on its batch)."""
    if batched and has_batched_form(env_id):
        from algorithms.ant import AntBatch  # needs the mujoco extra

        return AntBatch(num_envs, threads, env_id)
    spec = gym.spec(env_id)
    mode = "vector_entry_point" if native and spec.vector_entry_point is not None else "sync"
    return gym.make_vec(env_id, num_envs=num_envs, vectorization_mode=mode)


class VectorEnvs:
    """One environment's vector environments, each size made once in each form: a batch reset
    with one seed runs the native form where the environment has one; a batch whose agents bring
    a seed each runs a sync one, the form that resets every sub-environment from its own seed
    (so an agent's episode does not depend on the agents it is batched with). A batched form of
    ours (:func:`has_batched_form`) serves both, stepping on ``threads`` threads."""

    def __init__(self, env_id: str, threads: int = 1) -> None:
        self.env_id = env_id
        self.threads = threads
        self._made: dict[tuple[int, bool], Envs] = {}

    def for_batch(self, size: int, seed: int | Sequence[int]) -> Envs:
        """The vector environment for a batch of ``size`` reset with ``seed``."""
        key = (size, isinstance(seed, int))
        if key not in self._made:
            self._made[key] = make_vector_env(self.env_id, size, key[1], threads=self.threads)
        return self._made[key]


@dataclass(frozen=True)
class Rollout:
    """Per agent: discounted return sum_t gamma^t r_t, and the number of steps taken."""

    discounted_returns: np.ndarray
    steps: np.ndarray


def rollout(envs: Envs, actor: Actor, gamma: float, seed: int | Sequence[int]) -> Rollout:
    """Run one episode in every sub-environment of ``envs``, agent j acting with row j of
    ``actor``; the environments are reset with ``seed`` (one seed for the batch, or one each)."""
    # a sync vector environment also takes one seed per sub-environment, as the pool passes them
    observations, _ = envs.reset(seed=seed)  # type: ignore[arg-type]
    n = envs.num_envs
    returns = np.zeros(n, dtype=np.float64)
    steps = np.zeros(n, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    evaluated = np.arange(n)  # the agents ``actor`` evaluates, in its row order
    actions = actor(observations)
    discount = 1.0
    while True:
        observations, rewards, terminated, truncated = _step(envs, actions, active, observations)
        np.add(returns, discount * rewards, out=returns, where=active)
        steps += active
        active &= ~(terminated | truncated)
        running = np.count_nonzero(active)
        if running == 0:
            return Rollout(returns, steps)
        discount *= gamma
        if len(evaluated) >= COMPACT_MIN_AGENTS and 2 * running <= len(evaluated):
            keep = np.flatnonzero(active[evaluated])
            actor, evaluated = actor.select(keep), evaluated[keep]
        if len(evaluated) == n:
            actions = actor(observations)
        else:
            actions[evaluated] = actor(observations[evaluated])


def _step(
    envs: Envs, actions: np.ndarray, active: np.ndarray, observations: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One step of ``envs``: observations, rewards, terminated and truncated, per sub-environment.
    A sync vector environment (or a batched form) steps the ``active`` sub-environments only, as
    its own ``step`` steps each (row i of ``actions`` to sub-environment i, results into float64
    rewards), and writes their observations into ``observations``; a finished one keeps its last
    observation."""
    if not isinstance(envs, gym.vector.VectorEnv):
        return envs.step_running(actions, active, observations)
    if not isinstance(envs, gym.vector.SyncVectorEnv):
        observations, rewards, terminated, truncated, _ = envs.step(actions)
        return observations, rewards, terminated, truncated
    rewards = np.zeros(envs.num_envs, dtype=np.float64)
    terminated = np.zeros(envs.num_envs, dtype=bool)
    truncated = np.zeros(envs.num_envs, dtype=bool)
    for i in np.flatnonzero(active):
        observations[i], rewards[i], terminated[i], truncated[i], _ = envs.envs[i].step(actions[i])
    return observations, rewards, terminated, truncated


class RolloutPool:
    """:func:`rollout` of ``env_id`` over ``workers`` worker processes, one contiguous chunk of
    agents each. The processes (``forkserver``: the parent may hold threads) and each one's
    vector environments are kept for the life of the interpreter and shared by every pool of the
    same size in it, so a worker process that runs many trials starts them once."""

    _executors: dict[int, ProcessPoolExecutor] = {}

    def __init__(self, env_id: str, workers: int) -> None:
        if gym.spec(env_id).vector_entry_point is not None:
            raise ValueError(
                f"{env_id} has a native vector form, whose episodes depend on how a batch is cut; "
                "its rollouts cannot be spread over worker processes"
            )
        self.env_id = env_id
        self.workers = workers

    def _executor(self) -> ProcessPoolExecutor:
        if self.workers not in self._executors:
            context = multiprocessing.get_context("forkserver")
            executor = ProcessPoolExecutor(self.workers, mp_context=context)
            # A process that is itself a worker (netsim's trials run in a process pool) joins its
            # children when it exits, without the interpreter's atexit hooks that would stop
            # these: stop them in multiprocessing's own exit finalizers, ahead of the one that
            # closes the executor's task queue (priority 10), or the stop signal is never sent.
            multiprocessing.util.Finalize(None, executor.shutdown, exitpriority=100)
            self._executors[self.workers] = executor
        return self._executors[self.workers]

    def rollout(
        self, actor: Actor, n_agents: int, gamma: float, seed: int | Sequence[int]
    ) -> Rollout:
        """As ``rollout(make_vector_env(env_id, n_agents), actor, gamma, seed)``, in chunks."""
        seeds = seed + np.arange(n_agents) if isinstance(seed, int) else np.asarray(seed)
        chunks = [rows for rows in np.array_split(np.arange(n_agents), self.workers) if len(rows)]
        futures = [
            self._executor().submit(
                _rollout_chunk, self.env_id, actor.select(rows), gamma, seeds[rows].tolist()
            )
            for rows in chunks
        ]
        results = [future.result() for future in futures]
        return Rollout(
            np.concatenate([result.discounted_returns for result in results]),
            np.concatenate([result.steps for result in results]),
        )


_worker_envs: dict[tuple[str, int], Envs] = {}
"""A worker process's vector environments, by environment and size."""


def _rollout_chunk(env_id: str, actor: Actor, gamma: float, seeds: list[int]) -> Rollout:
    key = (env_id, len(seeds))
    if key not in _worker_envs:
        _worker_envs[key] = make_vector_env(env_id, len(seeds))
    return rollout(_worker_envs[key], actor, gamma, seeds)
