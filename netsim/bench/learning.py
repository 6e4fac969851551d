"""``netsim bench learning``: what the simulator costs on top of the learning it simulates.

ES on Cart Pole with n agents is first trained for ``warmup`` episodes (bare batched loop, not
timed), so that its episodes run (nearly all) the full 500 steps, the case where batching pays
most. From that same state (deep copies, the same seed) three contenders then run ``episodes``
more episodes, timed side by side, interleaved, best of ``repeats``, in CPU seconds of this process
(``time.process_time``: every contender runs on this one thread, and on a shared machine its wall
seconds include the neighbours' turns):

* **simulator**: :func:`netsim.simulation.simulate_from` over a star network (SimPy processes,
  messages, the recorder), its variant built before the clock starts, as a run builds a variant
  (its topology checked, its routes found) once for all its trials;
* **bare batched loop**: the same learner and agent pool called in a plain loop: broadcast,
  batched episodes, update; no SimPy, no network, no records. It must do the same arithmetic: the
  bench checks that both end with the same policy after the same agent-steps;
* **naive per-agent loops**: one Gymnasium environment per agent, one policy evaluation per agent
  per step, the way a framework without batching runs ES: with a PyTorch ``nn.Sequential`` policy,
  as the report's first framework did (section 3.3.1: "many instances of a single environment", a
  policy "implemented in PyTorch"), and with our numpy MLP evaluated for one agent. Their
  environments start from their own states, so they are compared by cost per agent-step.

The short-episode case (``short_sizes``) times the simulator against the bare batched loop, in
CPU seconds too, from the start of training on Cart Pole cut to :data:`SHORT_STEPS`-step episodes
(:data:`SHORT_ENV`, Gymnasium's Cart Pole and its vector form with ``max_episode_steps``), at each
n: early training, where the cost per agent-episode of messages and events is largest beside that
of learning.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from functools import partial

import gymnasium as gym
import numpy as np
import torch

from algorithms import ALGORITHMS, Problem
from algorithms.es import REPORT, ESAgents, ESLearner
from algorithms.policies import MLPPolicy
from netsim.bench.timing import best_of
from netsim.builders import star
from netsim.scenario import Variant
from netsim.simulation import fewer_collections, simulate_from

ENV = "CartPole-v1"
MAX_STEPS = 500
"""Cart Pole v1's episode limit."""

SHORT_ENV = "netsim-bench/CartPoleShort-v1"
SHORT_STEPS = 10
"""The short-episode case's episode limit (early training's episodes)."""

State = tuple[ESLearner, ESAgents]
NAIVE_TORCH = "naive loop, PyTorch policy"
NAIVE_NUMPY = "naive loop, numpy policy"
Actor = Callable[[np.ndarray], int]
"""One agent's policy: an observation in, an action out."""


def register_short_env() -> None:
    """Register :data:`SHORT_ENV`: Cart Pole and its native vector form, ``SHORT_STEPS`` steps."""
    if SHORT_ENV not in gym.registry:
        cart_pole = "gymnasium.envs.classic_control.cartpole"
        gym.register(
            SHORT_ENV,
            entry_point=f"{cart_pole}:CartPoleEnv",
            vector_entry_point=f"{cart_pole}:CartPoleVectorEnv",
            max_episode_steps=SHORT_STEPS,
        )


def trained(n_agents: int, warmup: int, seed: int, env: str = ENV) -> State:
    """ES's learner and agents on ``env`` after ``warmup`` episodes of the bare batched loop."""
    es = ALGORITHMS["es"]
    config = es.make_config()
    problem = Problem(env, n_agents, np.random.SeedSequence(seed))
    learner, agents = es.learner_type(config, problem), es.agents_type(config, problem)
    assert isinstance(learner, ESLearner) and isinstance(agents, ESAgents)
    bare_batched_loop((learner, agents), warmup)
    return learner, agents


def bench_variant(n_agents: int, env: str = ENV) -> Variant:
    """The simulator contender's variant: ES on ``env`` over a star of ``n_agents``."""
    return Variant("bench", "es", star(n_agents, 1e6, 0.001), env=env)


def simulator(
    state: State, episodes: int, seed: int, variant: Variant | None = None
) -> tuple[int, bytes]:
    """Agent-steps simulated by the full simulator from ``state`` over ``variant`` (built here,
    :func:`bench_variant`, if None), and the policy it ends with. A run builds each variant, its
    topology checked and its routes found, once for all its trials: the timed contenders are
    given theirs."""
    learner, agents = state
    variant = variant or bench_variant(agents.n_agents, agents.env_id)
    tables = simulate_from(variant, episodes, np.random.SeedSequence(seed), (learner, agents))
    return int(tables["metrics"]["steps"].sum()), learner.policy_payload()


def bare_batched_loop(state: State, episodes: int) -> tuple[int, bytes]:
    """Agent-steps of the same ES arithmetic in a plain loop, and the policy it ends with. It runs
    with the garbage collector set as a trial sets it (:func:`fewer_collections`), so that the
    ratio counts the simulator's own work, not its collector settings (which spare a loop that
    makes many small objects, n = 1,000 with short episodes, a few percent)."""
    learner, agents = state
    everyone = np.arange(agents.n_agents)
    steps = 0
    with fewer_collections():
        for _ in range(episodes):
            batch = agents.run_episodes(learner.policy_payload(), everyone)
            learner.update([report for report in batch.reports if report is not None])
            steps += int(batch.steps.sum())
    return steps, learner.policy_payload()


def numpy_actor(policy: MLPPolicy, params: np.ndarray) -> Actor:
    """The policy of one parameter vector, as our batched numpy MLP for a batch of one."""
    act = policy.batch(params[None])
    return lambda observation: int(act(observation[None])[0])


def torch_actor(policy: MLPPolicy, params: np.ndarray) -> Actor:
    """The same policy as a PyTorch ``nn.Sequential`` of ``Linear`` and ``Tanh`` layers, whose
    parameters (each layer's weights, then biases) are laid out as ours."""
    layers: list[torch.nn.Module] = []
    for fan_in, fan_out in zip(policy.sizes[:-1], policy.sizes[1:], strict=True):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.Tanh()]
    network = torch.nn.Sequential(*layers[:-1])
    torch.nn.utils.vector_to_parameters(torch.from_numpy(params.copy()), network.parameters())

    def act(observation: np.ndarray) -> int:
        with torch.no_grad():
            return int(network(torch.as_tensor(observation, dtype=torch.float32)).argmax())

    return act


def naive_per_agent_loop(
    state: State, episodes: int, seed: int, actor: Callable[[MLPPolicy, np.ndarray], Actor]
) -> tuple[int, bytes]:
    """Agent-steps of ES run agent by agent, step by step, each agent acting through ``actor``,
    and the policy it ends with."""
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
            act = actor(policy, theta + sigma * noise[0])
            observation, _ = env.reset(seed=seed * 100_003 + episode * agents.n_agents + agent)
            total, discount, done = 0.0, 1.0, False
            while not done:
                observation, reward, terminated, truncated, _ = env.step(act(observation))
                total += discount * float(reward)
                discount *= gamma
                done = terminated or truncated
                steps += 1
            reports.append(REPORT.pack(agent, episode, total))
        agents.episodes += 1
        learner.update(reports)
    return steps, learner.policy_payload()


def short_episodes(
    sizes: Sequence[int], episodes: int, repeats: int, seed: int
) -> dict[str, float]:
    """Print the simulator's cost against the bare batched loop's on :data:`SHORT_ENV` from the
    start of training, at each of ``sizes``; return the ratios by name."""
    register_short_env()
    print(
        f"learning, short episodes: ES on {SHORT_ENV} ({SHORT_STEPS}-step episodes), "
        f"{episodes} episodes from the start of training, best of {repeats}"
    )
    return {
        f"short episodes: simulator / bare loop n={n_agents}": _short_case(
            n_agents, episodes, repeats, seed
        )
        for n_agents in sizes
    }


def _short_case(n_agents: int, episodes: int, repeats: int, seed: int) -> float:
    """Print and return the simulator / bare loop ratio of the short-episode case at n."""
    start = trained(n_agents, 0, seed, SHORT_ENV)
    variant = bench_variant(n_agents, SHORT_ENV)
    simulator(copy.deepcopy(start), 1, seed, variant)  # warm up its vector environment and caches
    # each run starts from its own copy, made before the clock starts: copying the state costs
    # about as much as ten short episodes of learning, and would dilute the ratio
    copies = {name: [copy.deepcopy(start) for _ in range(repeats)] for name in ("sim", "bare")}
    best = best_of(
        {
            "simulator": lambda: simulator(copies["sim"].pop(), episodes, seed, variant),
            "bare batched loop": lambda: bare_batched_loop(copies["bare"].pop(), episodes),
        },
        repeats,
        desc=f"bench learning short n={n_agents}",
        clock=time.process_time,
    )
    (sim_s, sim_result), (bare_s, bare_result) = best["simulator"], best["bare batched loop"]
    if sim_result != bare_result:
        raise RuntimeError("simulator and bare loop diverged: they must do the same arithmetic")
    print(
        f"  n = {n_agents:>6,}: simulator {sim_s:6.3f} s, bare batched loop {bare_s:6.3f} s of CPU, "
        f"{sim_result[0] / (episodes * n_agents):.1f} steps per episode: {sim_s / bare_s:.2f}x"
    )
    return sim_s / bare_s


def main(
    n_agents: int = 50,
    episodes: int = 10,
    warmup: int = 100,
    repeats: int = 3,
    seed: int = 1,
    short_sizes: Sequence[int] = (50, 1_000),
) -> dict[str, float]:
    """Print the three contenders' costs and ratios, then the short-episode case's at each of
    ``short_sizes``; return the ratios by name."""
    torch.set_num_threads(1)
    start = trained(n_agents, warmup, seed)
    fresh = partial(copy.deepcopy, start)
    variant = bench_variant(n_agents)
    simulator(fresh(), 1, seed, variant)  # warm up imports and caches
    best = best_of(
        {
            "simulator": lambda: simulator(fresh(), episodes, seed, variant),
            "bare batched loop": lambda: bare_batched_loop(fresh(), episodes),
            NAIVE_TORCH: lambda: naive_per_agent_loop(fresh(), episodes, seed, torch_actor),
            NAIVE_NUMPY: lambda: naive_per_agent_loop(fresh(), episodes, seed, numpy_actor),
        },
        repeats,
        desc="bench learning",
        clock=time.process_time,
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
        **{
            f"{naive} / simulator": per_step[naive] / per_step["simulator"]
            for naive in (NAIVE_TORCH, NAIVE_NUMPY)
        },
    }
    for name, ratio in ratios.items():
        print(f"  {name + ':':<44} {ratio:6.2f}x")
    if short_sizes:
        print()
        ratios.update(short_episodes(short_sizes, episodes, repeats, seed))
    return ratios
