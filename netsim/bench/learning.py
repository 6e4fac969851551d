"""``netsim bench learning``: what the simulator costs on top of the learning it simulates.

ES on Cart Pole with n agents is first trained for ``warmup`` episodes (bare batched loop, not
timed), so that its episodes run (nearly all) the full 500 steps, the case where batching pays
most. From that same state (deep copies, the same seed) three contenders then run ``episodes``
more episodes, timed side by side, interleaved, best of ``repeats``:

* **simulator**: :func:`netsim.simulation.simulate_from` over a star network (SimPy processes,
  messages, the recorder);
* **bare batched loop**: the same learner and agent pool called in a plain loop: broadcast,
  batched episodes, update; no SimPy, no network, no records. It must do the same arithmetic: the
  bench checks that both end with the same policy after the same agent-steps;
* **naive per-agent loop**: one Gymnasium environment per agent, one policy evaluation per agent
  per step, the way a framework without batching runs ES. Its environments start from their own
  states, so it is compared by cost per agent-step.
"""

from __future__ import annotations

import copy
from functools import partial

import gymnasium as gym
import numpy as np
import torch

from algorithms import ALGORITHMS, Problem
from algorithms.es import REPORT, ESAgents, ESLearner
from netsim.bench.timing import best_of
from netsim.builders import star
from netsim.scenario import Variant
from netsim.simulation import simulate_from

ENV = "CartPole-v1"
MAX_STEPS = 500
"""Cart Pole v1's episode limit."""

State = tuple[ESLearner, ESAgents]


def trained(n_agents: int, warmup: int, seed: int) -> State:
    """ES's learner and agents after ``warmup`` episodes of the bare batched loop."""
    es = ALGORITHMS["es"]
    config = es.make_config()
    problem = Problem(ENV, n_agents, np.random.SeedSequence(seed))
    learner, agents = es.learner_type(config, problem), es.agents_type(config, problem)
    assert isinstance(learner, ESLearner) and isinstance(agents, ESAgents)
    bare_batched_loop((learner, agents), warmup)
    return learner, agents


def simulator(state: State, episodes: int, seed: int) -> tuple[int, bytes]:
    """Agent-steps simulated by the full simulator from ``state``, and the policy it ends with."""
    learner, agents = state
    variant = Variant("bench", "es", star(agents.n_agents, 1e6, 0.001), env=ENV)
    tables = simulate_from(variant, episodes, np.random.SeedSequence(seed), learner, agents)
    return int(tables["metrics"]["steps"].sum()), learner.policy_payload()


def bare_batched_loop(state: State, episodes: int) -> tuple[int, bytes]:
    """Agent-steps of the same ES arithmetic in a plain loop, and the policy it ends with."""
    learner, agents = state
    everyone = np.arange(agents.n_agents)
    steps = 0
    for _ in range(episodes):
        batch = agents.run_episodes(learner.policy_payload(), everyone)
        learner.update([report for report in batch.reports if report is not None])
        steps += int(batch.steps.sum())
    return steps, learner.policy_payload()


def naive_per_agent_loop(state: State, episodes: int, seed: int) -> tuple[int, bytes]:
    """Agent-steps of ES run agent by agent, step by step, and the policy it ends with."""
    learner, agents = state
    envs = [gym.make(ENV) for _ in range(agents.n_agents)]
    policy, sigma, gamma = agents.policy, agents.config.sigma, agents.config.gamma
    steps = 0
    for _ in range(episodes):
        theta = np.frombuffer(learner.policy_payload(), dtype=np.float32)
        reports = []
        for agent, env in enumerate(envs):
            episode = int(agents.episodes[agent])
            noise = agents.noise.perturbations(
                np.array([agent]), np.array([episode]), policy.n_params
            )
            act = policy.batch(theta + sigma * noise)
            observation, _ = env.reset(seed=seed * 100_003 + episode * agents.n_agents + agent)
            total, discount, done = 0.0, 1.0, False
            while not done:
                observation, reward, terminated, truncated, _ = env.step(
                    int(act(observation[None])[0])
                )
                total += discount * float(reward)
                discount *= gamma
                done = terminated or truncated
                steps += 1
            reports.append(REPORT.pack(agent, episode, total))
        agents.episodes += 1
        learner.update(reports)
    return steps, learner.policy_payload()


def main(
    n_agents: int = 50, episodes: int = 10, warmup: int = 100, repeats: int = 3, seed: int = 1
) -> dict[str, float]:
    """Print the three contenders' costs and ratios; return the ratios by name."""
    torch.set_num_threads(1)
    start = trained(n_agents, warmup, seed)
    fresh = partial(copy.deepcopy, start)
    simulator(fresh(), 1, seed)  # warm up imports and caches
    best = best_of(
        {
            "simulator": lambda: simulator(fresh(), episodes, seed),
            "bare batched loop": lambda: bare_batched_loop(fresh(), episodes),
            "naive per-agent loop": lambda: naive_per_agent_loop(fresh(), episodes, seed),
        },
        repeats,
        desc="bench learning",
    )
    (sim_s, (sim_steps, sim_policy)), (bare_s, (bare_steps, bare_policy)) = (
        best["simulator"],
        best["bare batched loop"],
    )
    if (sim_steps, sim_policy) != (bare_steps, bare_policy):
        raise RuntimeError("simulator and bare loop diverged: they must do the same arithmetic")
    mean_steps = sim_steps / (episodes * n_agents)
    print(
        f"learning: ES on {ENV}, n = {n_agents}, {episodes} episodes after {warmup} of training "
        f"(mean episode {mean_steps:.0f} of {MAX_STEPS} steps), best of {repeats}"
    )
    per_step = {}
    for name, (seconds, (steps, _)) in best.items():
        per_step[name] = seconds / steps
        print(
            f"  {name:<22} {seconds:7.2f} s  {steps:>9,} agent-steps  "
            f"{per_step[name] * 1e6:6.2f} us/agent-step"
        )
    ratios = {
        "simulator / bare batched loop": sim_s / bare_s,
        "naive per-agent loop / simulator": per_step["naive per-agent loop"]
        / per_step["simulator"],
    }
    print(f"  simulator / bare batched loop:     {ratios['simulator / bare batched loop']:6.3f}x")
    print(
        "  naive per-agent loop / simulator:  "
        f"{ratios['naive per-agent loop / simulator']:6.1f}x per agent-step"
    )
    return ratios
