"""``netsim bench ant``: what one step of MuJoCo's ``Ant-v5`` costs per ant-step, against the
physics it cannot do without.

A batch of ``n_agents`` ants is first played by our batched Ant (:class:`algorithms.ant.AntBatch`)
around a fresh MLP policy (64, 64; every parameter perturbed by N(0, ``spread``^2), so that some
ants fall and end early), and every running ant's action is recorded for its first ``steps``
steps. The contenders then replay those actions, so all run the same trajectories, bit for bit
(the bench checks it), timed side by side, interleaved, best of ``repeats``:

* **raw physics floor**: per running ant, ``ctrl <- a; mj_step(nstep=5); mj_rnePostConstraint``
  on its own ``MjData``, in a plain loop: the MuJoCo calls an Ant-v5 step needs, and nothing else;
* **Gymnasium**: each running ant's ``step`` of Gymnasium's own sync vector environment of
  ``Ant-v5`` (as :func:`algorithms.rollout.rollout` steps it with ``batched=False``);
* **ours, 1 thread** and **ours, 2 threads**: ``AntBatch.step_running``, one call per step;
* **raw physics floor, 2 threads**: the floor with each step's running ants split in two halves,
  one stepped on a second thread (``mj_step`` releases the GIL): what two threads can gain at most
  on this machine, whose two cores may not be two cores' worth of physics (virtual CPUs sharing a
  host's core or its memory bandwidth).

Each is charged per ant-step (seconds / ant-steps replayed). On one core the floor, Gymnasium and
ours on one thread are timed by the process's CPU time (the machine is shared: CPU time counts
the work done, not the waits for a core), giving ours / floor and Gymnasium / floor; then ours on
one thread and on two are timed by wall time, giving what a second thread gains, beside what it gains the
floor (ours on two threads / the floor on two threads is what our threading loses), each with the
cores it kept busy (CPU time / wall time): a second thread can gain only where a core is free, and
on a machine whose cores are all taken (Linux's autogroup gives each session its share, however
many threads it runs) both stay near one thread's share. Short replays, many repeats: the best of
each is the least disturbed by neighbours.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import gymnasium as gym
import mujoco
import numpy as np

from algorithms.ant import AntBatch
from algorithms.policies import MLPPolicy
from algorithms.rollout import make_vector_env
from netsim.bench.timing import best_of

ENV = "Ant-v5"
HIDDEN = (64, 64)
"""The report's Ant policy (section 4.7)."""
SEED = 0
"""The reset seed of the batch (ant i: SEED + i)."""

Replay = tuple[np.ndarray, np.ndarray]
"""What a contender's replay ends with: each ant's summed rewards and its final qpos (rewards
are NaN where a contender computes none: the floor)."""


def record(n_agents: int, spread: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The actions of a batch of ``n_agents`` ants, (t, ant, 8), and which ants were running at
    each step, (t, ant), for at most ``steps`` steps."""
    ants = AntBatch(n_agents)
    policy = MLPPolicy.for_spaces(ants.single_observation_space, ants.single_action_space, HIDDEN)
    rng = np.random.default_rng(SEED)
    theta = policy.initial_params(rng)
    noise = rng.standard_normal((n_agents, theta.size), dtype=np.float32)
    act = policy.batch(theta + np.float32(spread) * noise)
    observations, _ = ants.reset(seed=SEED)
    active = np.ones(n_agents, dtype=bool)
    actions: list[np.ndarray] = []
    running: list[np.ndarray] = []
    while active.any() and len(actions) < steps:
        actions.append(act(observations))
        running.append(active.copy())
        observations, _, terminated, truncated = ants.step_running(
            actions[-1], active, observations
        )
        active &= ~(terminated | truncated)
    return np.array(actions), np.array(running)


def floor(
    ants: AntBatch,
    actions: np.ndarray,
    running: np.ndarray,
    second_thread: ThreadPoolExecutor | None = None,
) -> Replay:
    """The raw physics of the replay: the MuJoCo calls alone, on ``ants``' ``MjData`` reset as
    the others' are; with a ``second_thread``, the second half of each step's running ants is
    stepped on it while the calling thread steps the first."""
    ants.reset(seed=SEED)
    model, frame_skip, datas = ants.model, ants.frame_skip, ants.datas

    def physics(rows: list[int], step_actions: np.ndarray) -> None:
        for i in rows:
            data = datas[i]
            data.ctrl[:] = step_actions[i]
            mujoco.mj_step(model, data, nstep=frame_skip)
            mujoco.mj_rnePostConstraint(model, data)

    for step_actions, step_rows in zip(actions, _rows(running), strict=True):
        if second_thread is None:
            physics(step_rows, step_actions)
        else:
            half = (len(step_rows) + 1) // 2
            other = second_thread.submit(physics, step_rows[half:], step_actions)
            physics(step_rows[:half], step_actions)
            other.result()
    return np.full(len(datas), np.nan), np.array([data.qpos for data in datas])


def gymnasium_step(
    envs: gym.vector.SyncVectorEnv, actions: np.ndarray, running: np.ndarray
) -> Replay:
    """The replay through Gymnasium's ``Ant-v5``, each running ant's own ``step``."""
    envs.reset(seed=SEED)
    totals = np.zeros(envs.num_envs)
    for step_actions, step_rows in zip(actions, _rows(running), strict=True):
        for i in step_rows:
            totals[i] += envs.envs[i].step(step_actions[i])[1]
    qpos = [env.unwrapped.data.qpos for env in envs.envs]  # type: ignore[attr-defined]
    return totals, np.array(qpos)


def ours(ants: AntBatch, actions: np.ndarray, running: np.ndarray) -> Replay:
    """The replay through :class:`AntBatch` ``ants``, one call per step."""
    observations, _ = ants.reset(seed=SEED)
    totals = np.zeros(ants.num_envs)
    for step_actions, active in zip(actions, running, strict=True):
        observations, rewards, _, _ = ants.step_running(step_actions, active, observations)
        totals += rewards
    return totals, ants.qpos.copy()


def _with_cpu(run: Callable[[], Replay]) -> tuple[float, Replay]:
    """``run()``'s replay, with the CPU seconds the process spent on it (on every thread)."""
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def _rows(running: np.ndarray) -> list[list[int]]:
    """The running ants of each step, as lists of indices."""
    return [np.flatnonzero(active).tolist() for active in running]


FLOOR, GYMNASIUM, OURS_1, OURS_2, FLOOR_2 = (
    "raw physics floor",
    "Gymnasium Ant-v5 step",
    "ours, 1 thread",
    "ours, 2 threads",
    "raw physics floor, 2 threads",
)


def main(
    n_agents: int = 50, spread: float = 0.075, steps: int = 50, repeats: int = 10
) -> dict[str, float]:
    """Time the contenders on one recorded batch; print and return their ratios."""
    actions, running = record(n_agents, spread, steps)
    ant_steps = int(running.sum())
    envs = make_vector_env(ENV, n_agents, batched=False)
    assert isinstance(envs, gym.vector.SyncVectorEnv)
    one, two = AntBatch(n_agents), AntBatch(n_agents, threads=2)
    second_thread = ThreadPoolExecutor(1)
    replay: dict[str, Callable[[], Replay]] = {
        FLOOR: partial(floor, AntBatch(n_agents), actions, running),
        GYMNASIUM: partial(gymnasium_step, envs, actions, running),
        OURS_1: partial(ours, one, actions, running),
        OURS_2: partial(ours, two, actions, running),
        FLOOR_2: partial(floor, AntBatch(n_agents), actions, running, second_thread),
    }
    one_core = best_of(
        {name: replay[name] for name in (FLOOR, GYMNASIUM, OURS_1)},
        repeats,
        desc="bench ant, one core",
        clock=time.process_time,
    )
    threads = best_of(
        {name: partial(_with_cpu, replay[name]) for name in (OURS_1, OURS_2, FLOOR_2)},
        repeats,
        desc="bench ant, threads",
    )
    two.close()
    second_thread.shutdown()
    replays = [(name, run) for name, (_, run) in one_core.items()]
    replays += [(name, run) for name, (_, (_, run)) in threads.items()]
    reference_rewards, reference_qpos = one_core[GYMNASIUM][1]
    for name, (rewards, qpos) in replays:
        if not np.array_equal(qpos, reference_qpos) or (
            name not in (FLOOR, FLOOR_2) and not np.array_equal(rewards, reference_rewards)
        ):
            raise AssertionError(f"{name} did not replay Gymnasium's trajectories to the bit")
    print(
        f"ant: {ENV}, {n_agents} ants replaying {ant_steps:,} recorded ant-steps (their first "
        f"{len(actions)} steps, parameter spread {spread:g}), best of {repeats}"
    )
    cpu = {name: seconds / ant_steps for name, (seconds, _) in one_core.items()}
    wall = {name: seconds / ant_steps for name, (seconds, _) in threads.items()}
    cores = {name: cpu_s / seconds for name, (seconds, (cpu_s, _)) in threads.items()}
    print("  one core, CPU time of the process:")
    for name, seconds in cpu.items():
        print(f"    {name:<24} {seconds * 1e6:7.1f} us/ant-step  {seconds / cpu[FLOOR]:5.2f}x")
    print("  wall time (cores busy: the process's CPU time / wall time of that run):")
    for name, seconds in wall.items():
        print(
            f"    {name:<24} {seconds * 1e6:7.1f} us/ant-step  {seconds / wall[OURS_1]:5.2f}x  "
            f"cores busy {cores[name]:4.2f}"
        )
    ratios = {
        "ant: ours / raw physics floor": cpu[OURS_1] / cpu[FLOOR],
        "ant: Gymnasium / raw physics floor": cpu[GYMNASIUM] / cpu[FLOOR],
        "ant: ours 2 threads / 1 thread (wall)": wall[OURS_2] / wall[OURS_1],
        "ant: floor 2 threads / ours 1 thread (wall)": wall[FLOOR_2] / wall[OURS_1],
        "ant: ours 2 threads / floor 2 threads (wall)": wall[OURS_2] / wall[FLOOR_2],
    }
    for name, ratio in ratios.items():
        print(f"  {name + ':':<44} {ratio:6.2f}x")
    return ratios
