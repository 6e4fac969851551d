"""``netsim bench``: what the simulator costs on top of the learning it simulates.

Three ways to run the same ES on Cart Pole (n agents, the same seed), timed side by side in one
process, interleaved, best of ``repeats``:

* **simulator**: :func:`netsim.simulate` over a star network (SimPy processes, messages, recorder);
* **bare batched loop**: the same learner and agent pool called in a plain loop: broadcast, batched
  episodes, update; no SimPy, no network, no records. Same seed, so the same arithmetic;
* **naive per-agent loop**: one Gymnasium environment and one policy call per agent per step, the
  way a framework without batching runs it. It is slow, so it runs the first 30 episodes, against
  the simulator over the same episodes, compared by cost per agent-step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import gymnasium as gym
import numpy as np
import torch
from tqdm import tqdm

from algorithms import ALGORITHMS, Problem
from algorithms.es import REPORT, ESAgents, ESLearner
from netsim.builders import star
from netsim.scenario import Variant
from netsim.simulation import simulate

ENV = "CartPole-v1"


def simulator(n_agents: int, episodes: int, seed: int) -> int:
    """Agent-steps simulated by the full simulator."""
    variant = Variant("bench", "es", star(n_agents, 1e6, 0.001), env=ENV)
    return int(simulate(variant, episodes, np.random.SeedSequence(seed))["metrics"]["steps"].sum())


def _es(n_agents: int, seed: int) -> tuple[ESLearner, ESAgents]:
    es = ALGORITHMS["es"]
    config = es.make_config()
    problem = Problem(ENV, n_agents, np.random.SeedSequence(seed))
    learner, agents = es.learner_type(config, problem), es.agents_type(config, problem)
    assert isinstance(learner, ESLearner) and isinstance(agents, ESAgents)
    return learner, agents


def bare_batched_loop(n_agents: int, episodes: int, seed: int) -> int:
    """Agent-steps of the same ES arithmetic in a plain loop."""
    learner, agents = _es(n_agents, seed)
    everyone = np.arange(n_agents)
    steps = 0
    for _ in range(episodes):
        batch = agents.run_episodes(learner.policy_payload(), everyone)
        learner.update([report for report in batch.reports if report is not None])
        steps += int(batch.steps.sum())
    return steps


def naive_per_agent_loop(n_agents: int, episodes: int, seed: int) -> int:
    """Agent-steps of ES run agent by agent, step by step."""
    learner, agents = _es(n_agents, seed)
    envs = [gym.make(ENV) for _ in range(n_agents)]
    policy, sigma = agents.policy, agents.config.sigma
    steps = 0
    for episode in range(episodes):
        theta = np.frombuffer(learner.policy_payload(), dtype=np.float32)
        reports = []
        for agent, env in enumerate(envs):
            noise = agents.noise.perturbations(
                np.array([agent]), np.array([episode]), policy.n_params
            )
            params = theta + sigma * noise
            observation, _ = env.reset(seed=seed * 100_003 + episode * n_agents + agent)
            total, discount, done = 0.0, 1.0, False
            while not done:
                action = int(policy.act(params, observation[None])[0])
                observation, reward, terminated, truncated, _ = env.step(action)
                total += discount * float(reward)
                discount *= agents.config.gamma
                done = terminated or truncated
                steps += 1
            reports.append(REPORT.pack(agent, episode, total))
        learner.update(reports)
    return steps


def _timed(function: Callable[[], int]) -> tuple[float, int]:
    """Seconds taken by ``function`` and the agent-steps it returned."""
    start = time.perf_counter()
    steps = function()
    return time.perf_counter() - start, steps


def main(episodes: int = 200, n_agents: int = 50, repeats: int = 3, seed: int = 1) -> int:
    torch.set_num_threads(1)
    naive_episodes = min(episodes, 30)
    simulator(n_agents, 2, seed), bare_batched_loop(n_agents, 2, seed)  # warm up imports and caches
    timings: dict[str, list[float]] = {"simulator": [], "bare": []}
    steps: dict[str, int] = {}
    for _ in tqdm(range(repeats), desc="bench", unit="repeat"):  # interleaved: noise hits both
        for name, run in (("simulator", simulator), ("bare", bare_batched_loop)):
            seconds, steps[name] = _timed(partial(run, n_agents, episodes, seed))
            timings[name].append(seconds)
    naive_s, naive_steps = _timed(partial(naive_per_agent_loop, n_agents, naive_episodes, seed))
    short_s, short_steps = _timed(partial(simulator, n_agents, naive_episodes, seed))
    sim_s, bare_s = min(timings["simulator"]), min(timings["bare"])
    if steps["simulator"] != steps["bare"]:
        raise RuntimeError("simulator and bare loop diverged: they must do the same arithmetic")
    print(f"ES on {ENV}, n = {n_agents}, best of {repeats}")
    print(f"  {episodes} episodes, {steps['simulator']:,} agent-steps:")
    for name, seconds in (("simulator", sim_s), ("bare batched loop", bare_s)):
        print(
            f"    {name:<22} {seconds:7.2f} s  {seconds / steps['bare'] * 1e6:6.2f} us/agent-step"
        )
    print(f"  the first {naive_episodes} episodes only:")
    for name, seconds, count in (
        ("simulator", short_s, short_steps),
        ("naive per-agent loop", naive_s, naive_steps),
    ):
        print(f"    {name:<22} {seconds:7.2f} s  {seconds / count * 1e6:6.2f} us/agent-step")
    print(f"simulator / bare batched loop:        {sim_s / bare_s:.3f}x  (goal <= 1.2x)")
    naive_ratio = (naive_s / naive_steps) / (short_s / short_steps)
    print(f"naive per-agent loop / simulator:     {naive_ratio:.1f}x per agent-step")
    return 0
