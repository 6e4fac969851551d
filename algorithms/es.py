"""Evolution Strategies (Salimans et al. 2017; report section 2.4.4, equation 2.1).

Per episode k, agent i:
    eps_i ~ N(0, I), drawn from a seed it shares with the learner (key: agent i, its episode k)
    F_i = discounted return of one episode with parameters theta + sigma * eps_i
    report (i, k, F_i) if c_i^k = 1                       (ES: always; ESPC: see espc.py)
Learner, over the set R of reports received:
    regenerate eps_i from (i, k)                           (or read it, kept as the agent drew it)
    g = 1 / (|R| sigma) * sum_{i in R} s(F)_i eps_i       (|R| = n when every agent reports)
with s the fitness shaping of :attr:`ESConfig.fitness` applied to the returns of R together
(:func:`shape_fitness`): by default ``"raw"``, s(F)_i = F_i, the report's equation 2.1.
    theta <- optimiser step along +g                       (no step when R is empty)

Decentralised (:class:`ESPeers`; D-PSGD, Lian et al. 2017, with ES's estimate), round k of agent i:
    play theta_i + sigma * eps_i; report (i, k, F_i) to its neighbours if c_i^k = 1
    g_i = 1 / (|R_i| sigma) * sum_{j in R_i} s(F)_j eps_j   R_i: its own sample and the reports
                                                         its neighbours sent it this round; s
                                                         shapes each peer's own R_i
    theta_i <- its own optimiser's step along +g_i
    every tau rounds: theta_i <- sum_j W_ij theta_j      (the pattern sends and weighs them)

Choices where the report is silent, stated here once:

* the report is 12 bytes, ``<IIf``: agent id, the agent's episode index, F as float32; the learner uses
  the float32 value it received;
* returns are used raw by default, without Salimans' rank-based fitness shaping, as the report's
  equation 2.1; ``fitness = "centred"`` or ``"ranks"`` shapes them (:func:`shape_fitness`), an option
  the report does not have;
* the optimiser ascends g: Adam with L2 (``torch.optim.Adam(weight_decay=l2)``, report 4.7) or SGD with
  momentum 0.9 (report 4.6);
* the learner sums the reports in agent order, so its update does not depend on arrival order;
* a batch's episodes go through the trial's rollout journal when it has one
  (:attr:`Problem.journal`, the simulator's): a trial run again after an interruption replays the batches it had
  computed, and its results are those of an uninterrupted trial;
* decentralised: an agent always learns from its own sample, sent or not (it needs no message to
  know it), and each agent keeps its own optimiser state, which is not mixed (only theta is, as
  D-PSGD mixes the parameters alone); each agent's environment is reset with its own seed, the
  round's seed plus its index, in a sync vector environment, so that its episode does not depend
  on the agents it is batched with. Where the central form's batch is every agent in order in a
  sync vector environment (an environment with no native vector form), that is the central reset
  exactly, and on a complete graph with uniform weights, tau = 1 and every report shared the
  agents hold the central learner's theta every round;
* a run's ``rollout_workers`` > 1 (:attr:`Problem.rollout_workers`) spreads each batch's episodes
  over that many threads where the environment has a batched form of ours (MuJoCo Ant:
  :class:`algorithms.ant.AntBatch` steps its ants on threads), else over that many worker
  processes (:class:`algorithms.rollout.RolloutPool`): results are identical, only faster when
  cores would otherwise idle.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from scipy import stats

from algorithms.base import (
    AgentPool,
    Algorithm,
    EpisodeBatch,
    Learner,
    Peers,
    Problem,
    RoundSeeds,
    derive_seed,
    require_valid,
    weighted_sum,
)
from algorithms.checks import check_fields
from algorithms.policies import MLPPolicy
from algorithms.rollout import (
    Rollout,
    RolloutPool,
    VectorEnvs,
    has_batched_form,
    make_vector_env,
    rollout,
)

REPORT = struct.Struct("<IIf")
"""An ES report on the wire: agent id (uint32), the agent's episode index (uint32), F (float32)."""

Fitness = Literal["raw", "centred", "ranks"]
FITNESS: tuple[Fitness, ...] = ("raw", "centred", "ranks")
"""The fitness shapings :func:`shape_fitness` knows."""


@dataclass(frozen=True)
class ESConfig:
    """ES hyperparameters; defaults are the report's Cart Pole settings (section 4.7)."""

    hidden: tuple[int, ...] = (8, 8)
    """Hidden layer widths of the MLP policy (Cart Pole 8, 8; Ant 64, 64; grids 4, 4)."""
    sigma: float = 0.05
    """Standard deviation of the parameter perturbations."""
    learning_rate: float = 0.01
    """Optimiser step size."""
    l2: float = 0.05
    """L2 regularisation coefficient (Adam's ``weight_decay``)."""
    gamma: float = 1.0
    """Discount factor of the return F."""
    optimizer: Literal["adam", "momentum"] = "adam"
    """``adam`` (report 4.7) or SGD with ``momentum`` (report 4.6)."""
    momentum: float = 0.9
    """Momentum coefficient when ``optimizer = "momentum"``."""
    fitness: Fitness = "raw"
    """How the learner shapes the returns it combines (:func:`shape_fitness`): ``"raw"`` (the
    report's equation 2.1), ``"centred"`` or ``"ranks"`` (Salimans et al. 2017's centred ranks)."""

    def __post_init__(self) -> None:
        if self.fitness not in FITNESS:
            raise ValueError(
                f"{type(self).__name__}.fitness = {self.fitness!r} must be one of "
                + ", ".join(repr(name) for name in FITNESS)
            )
        check_fields(self)  # finite numbers and integers, by name, before their bounds
        checks = {
            "sigma": self.sigma > 0,
            "learning_rate": self.learning_rate > 0,
            "l2": self.l2 >= 0,
            "gamma": 0 <= self.gamma <= 1,
            "optimizer": self.optimizer in ("adam", "momentum"),
            "hidden": all(width > 0 for width in self.hidden),
        }
        require_valid(self, checks)

    def check(self, n_agents: int) -> None:
        """Raise if these settings cannot run with ``n_agents`` agents."""


@dataclass(frozen=True)
class NoiseKey:
    """The seed the learner and its agents share: eps_i for (agent, episode) is a pure function of it."""

    entropy: int

    @classmethod
    def for_problem(cls, problem: Problem) -> NoiseKey:
        return cls(int(derive_seed(problem.seed, 1).generate_state(1, np.uint64)[0]))

    def perturbations(self, agents: np.ndarray, episodes: np.ndarray, dim: int) -> np.ndarray:
        """eps_i ~ N(0, I) of dimension ``dim`` for each (agent, episode) pair, shape (b, dim)."""
        noise = np.empty((len(agents), dim), dtype=np.float32)
        keys = zip(np.asarray(agents).tolist(), np.asarray(episodes).tolist(), strict=True)
        for row, (agent, episode) in enumerate(keys):
            # default_rng((entropy, agent, episode)), without its per-call wrapper
            seed = np.random.SeedSequence((self.entropy, agent, episode))
            rng = np.random.Generator(np.random.PCG64(seed))
            noise[row] = rng.standard_normal(dim, dtype=np.float32)
        return noise


class DrawnNoise:
    """eps as :class:`NoiseKey` gives it, keeping the newest row each agent drew, so that the
    learner (or a neighbour) that needs an agent's eps again reads it instead of regenerating it.

    One slot per agent holds (its episode, its eps) from its last :meth:`draw`; :meth:`perturbations`
    returns the slot for a (agent, episode) it holds and generates the others, so its values are
    :meth:`NoiseKey.perturbations`' exactly whatever is held. Memory: n x dim float32, bounded
    whatever the reports' fate (a lost or late report's eps is generated again when needed)."""

    def __init__(self, key: NoiseKey, n_agents: int) -> None:
        self.key = key
        self.n_agents = n_agents
        self._episodes = np.full(n_agents, -1, dtype=np.int64)
        """The episode each agent's slot holds (-1: none)."""
        self._rows: np.ndarray | None = None
        """The slots, allocated at the first draw, shape (n, dim)."""

    @classmethod
    def for_problem(cls, problem: Problem) -> DrawnNoise:
        """The one instance the learner and agents built for ``problem`` share."""
        if "es.noise" not in problem.shared:
            problem.shared["es.noise"] = cls(NoiseKey.for_problem(problem), problem.n_agents)
        drawn = problem.shared["es.noise"]
        assert isinstance(drawn, DrawnNoise)
        return drawn

    def draw(self, agents: np.ndarray, episodes: np.ndarray, dim: int) -> np.ndarray:
        """eps for each (agent, episode) pair, shape (b, dim), generated and kept."""
        noise = self.key.perturbations(agents, episodes, dim)
        if self._rows is None:
            self._rows = np.empty((self.n_agents, dim), dtype=np.float32)
        if self._rows.shape[1] == dim:
            self._rows[agents] = noise
            self._episodes[agents] = episodes
        return noise

    def perturbations(self, agents: np.ndarray, episodes: np.ndarray, dim: int) -> np.ndarray:
        """eps for each (agent, episode) pair, shape (b, dim): kept rows where held."""
        agents, episodes = np.asarray(agents, dtype=np.int64), np.asarray(episodes, dtype=np.int64)
        if self._rows is None or self._rows.shape[1] != dim:
            return self.key.perturbations(agents, episodes, dim)
        held = np.zeros(len(agents), dtype=bool)
        known = agents < self.n_agents
        held[known] = self._episodes[agents[known]] == episodes[known]
        noise = np.empty((len(agents), dim), dtype=np.float32)
        noise[held] = self._rows[agents[held]]
        missing = ~held
        if missing.any():
            noise[missing] = self.key.perturbations(agents[missing], episodes[missing], dim)
        return noise


def shape_fitness(returns: np.ndarray, fitness: Fitness) -> np.ndarray:
    """The b returns F the learner combines in one estimate, shaped together, as float64:

    * ``"raw"``: s_i = F_i, unchanged (the report's equation 2.1);
    * ``"centred"``: s_i = F_i - mean_j F_j, so that adding a constant to every return changes
      nothing (the mean acts as a baseline);
    * ``"ranks"``: Salimans et al. 2017's centred ranks, s_i = r_i / (b - 1) - 1/2 with r_i the
      rank of F_i from 0 (lowest) to b - 1 (highest), so s runs evenly from -1/2 to 1/2 and any
      increasing transform of the returns changes nothing. Our choice where Salimans breaks ties
      by sort order: tied returns share their mean rank (``scipy.stats.rankdata(method="average")``),
      so equal returns get equal weight.

    With a single return (b = 1) both shapings give s = 0: one sample carries no comparison."""
    values = np.asarray(returns, dtype=np.float64)
    if fitness == "raw":
        return values
    if len(values) < 2:
        return np.zeros_like(values)
    if fitness == "centred":
        return values - values.mean()
    return (stats.rankdata(values, method="average") - 1) / (len(values) - 1) - 0.5


def es_gradient(returns: np.ndarray, noise: np.ndarray, sigma: float) -> np.ndarray:
    """The ES estimate g = 1 / (b sigma) * sum_i F_i eps_i over the b samples given (equation 2.1)."""
    return (noise.T @ returns.astype(np.float64)) / (len(returns) * sigma)


def es_step(
    optimizer: torch.optim.Optimizer,
    theta: torch.nn.Parameter,
    noise: NoiseKey | DrawnNoise,
    reports: Sequence[bytes],
    sigma: float,
    fitness: Fitness = "raw",
) -> None:
    """One optimiser step of ``theta`` along the ES estimate over ``reports`` (in agent, then
    episode order, whatever order they came in), their returns shaped together by ``fitness``
    (:func:`shape_fitness`); nothing when there are none."""
    if not reports:
        return
    decoded = sorted(REPORT.unpack(report) for report in reports)
    agents, episodes, returns = (np.array(column) for column in zip(*decoded, strict=True))
    perturbations = noise.perturbations(agents, episodes, theta.numel())
    gradient = es_gradient(shape_fitness(returns, fitness), perturbations, sigma)
    optimizer.zero_grad()
    theta.grad = torch.from_numpy(-gradient.astype(np.float32))  # ascend g
    optimizer.step()


def _optimizer(config: ESConfig, theta: torch.nn.Parameter) -> torch.optim.Optimizer:
    if config.optimizer == "adam":
        return torch.optim.Adam([theta], lr=config.learning_rate, weight_decay=config.l2)
    return torch.optim.SGD(
        [theta], lr=config.learning_rate, momentum=config.momentum, weight_decay=config.l2
    )


def _initial_theta(problem: Problem, policy: MLPPolicy) -> np.ndarray:
    """theta_0: the same for the central learner and every decentralised agent."""
    return policy.initial_params(np.random.default_rng(derive_seed(problem.seed, 0)))


def _policy(problem: Problem, config: ESConfig) -> MLPPolicy:
    env = make_vector_env(problem.env_id, 1)
    try:
        return MLPPolicy.for_spaces(
            env.single_observation_space, env.single_action_space, config.hidden
        )
    finally:
        env.close()


class ESLearner(Learner):
    """Holds theta; broadcasts it as float32 bytes; steps the optimiser along the ES estimate."""

    def __init__(self, config: ESConfig, problem: Problem) -> None:
        self.config = config
        self.noise = DrawnNoise.for_problem(problem)
        self.policy = _policy(problem, config)
        self.theta = torch.nn.Parameter(torch.from_numpy(_initial_theta(problem, self.policy)))
        self.optimizer = _optimizer(config, self.theta)

    def policy_payload(self) -> bytes:
        return self.theta.detach().numpy().tobytes()

    def update(self, reports: Sequence[bytes]) -> None:
        es_step(
            self.optimizer, self.theta, self.noise, reports, self.config.sigma, self.config.fitness
        )

    def state_payload(self) -> bytes:
        """theta and the optimiser's state (Adam's two moment estimates and its step count, or
        SGD's momentum buffer), each as float32."""
        state = self.optimizer.state.get(self.theta, {})
        parts = [self.theta.detach().numpy().tobytes()]
        parts += [
            np.asarray(value.detach().numpy() if torch.is_tensor(value) else value, "<f4").tobytes()
            for value in state.values()
            if value is not None
        ]
        return b"".join(parts)


class ESAgents(AgentPool):
    """n agents that perturb theta with shared-seed noise and report their scalar return."""

    def __init__(self, config: ESConfig, problem: Problem) -> None:
        config.check(problem.n_agents)
        self.config = config
        self.n_agents = problem.n_agents
        self.noise = DrawnNoise.for_problem(problem)
        self.policy = _policy(problem, config)
        self.episodes = np.zeros(problem.n_agents, dtype=np.int64)
        """Each agent's count of finished episodes: with its id, the key of its next eps."""
        self.env_id = problem.env_id
        self.journal = problem.journal
        workers, threaded = problem.rollout_workers, has_batched_form(problem.env_id)
        self._envs = VectorEnvs(problem.env_id, threads=workers if threaded else 1)
        self._pool = RolloutPool(problem.env_id, workers) if workers > 1 and not threaded else None
        self._reset_seeds = np.random.default_rng(derive_seed(problem.seed, 3))
        self._round_seeds = RoundSeeds(self._reset_seeds)
        self.agent_rngs = [
            np.random.default_rng(derive_seed(problem.seed, 2, agent))
            for agent in range(problem.n_agents)
        ]
        """Each agent's private stream (ESPC draws its send decisions from it)."""

    def run_episodes(self, policy_payload: bytes, agents: np.ndarray) -> EpisodeBatch:
        theta = np.frombuffer(policy_payload, dtype=np.float32)
        return self._play(theta, agents, int(self._reset_seeds.integers(2**31)))

    def run_own_episodes(self, thetas: np.ndarray, agents: np.ndarray) -> EpisodeBatch:
        """Agent ``agents[j]`` plays row j of ``thetas``, its environment reset with the seed of
        its own round (its episode count) plus its index, in a sync vector environment: whatever
        batch it is in."""
        episodes = self.episodes[agents]
        seeds = self._round_seeds.of(episodes, agents)
        return self._play(thetas, agents, seeds)

    def _play(self, theta: np.ndarray, agents: np.ndarray, seed: int | list[int]) -> EpisodeBatch:
        """Each of ``agents`` plays its row of ``theta`` (or ``theta`` itself) perturbed by its
        eps, and decides whether to report."""
        episodes = self.episodes[agents]
        noise = self.noise.draw(agents, episodes, self.policy.n_params)
        params = theta + self.config.sigma * noise
        result = self._rollout(params, seed)
        returns = result.discounted_returns
        send = self.communicate(agents, returns, noise)
        reports = [
            REPORT.pack(int(agent), int(episode), float(value)) if sending else None
            for agent, episode, value, sending in zip(agents, episodes, returns, send, strict=True)
        ]
        self.episodes[agents] += 1
        return EpisodeBatch(agents, returns, result.steps, reports)

    def _rollout(self, params: np.ndarray, seed: int | list[int]) -> Rollout:
        """One episode per row of ``params``, from the trial's journal when it kept this batch."""
        gamma, size = self.config.gamma, len(params)

        def compute() -> Rollout:
            actor = self.policy.batch(params)
            if self._pool is None:
                return rollout(self._envs.for_batch(size, seed), actor, gamma, seed)
            return self._pool.rollout(actor, size, gamma, seed)

        if self.journal is None:
            return compute()
        return self.journal.rollout((self.env_id, self.config.hidden, gamma, seed, params), compute)

    def communicate(self, agents: np.ndarray, returns: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """c_i^k for each agent of the batch. ES: every agent reports every episode."""
        return np.ones(len(agents), dtype=bool)


class ESPeers(Peers):
    """n agents, each with its own theta_i and optimiser, learning from their own and their
    neighbours' scalar reports and mixing theta (module docstring)."""

    agents_type: type[ESAgents] = ESAgents
    """Who plays and decides what to report: ESPC's peers take ESPC's agents."""

    def __init__(self, config: ESConfig, problem: Problem) -> None:
        self.config = config
        self.agents = self.agents_type(config, problem)
        self.noise = self.agents.noise
        initial = _initial_theta(problem, self.agents.policy)
        self.theta = [
            torch.nn.Parameter(torch.from_numpy(initial.copy())) for _ in range(problem.n_agents)
        ]
        self.optimizers = [_optimizer(config, theta) for theta in self.theta]
        self.own: dict[int, bytes] = {}
        """Each agent's latest sample as a report, whether it was sent or not."""

    def run_episodes(self, agents: np.ndarray) -> EpisodeBatch:
        thetas = np.stack([self.theta[agent].detach().numpy() for agent in agents.tolist()])
        episodes = self.agents.episodes[agents].copy()
        batch = self.agents.run_own_episodes(thetas, agents)
        for agent, episode, value in zip(agents, episodes, batch.rewards, strict=True):
            self.own[int(agent)] = REPORT.pack(int(agent), int(episode), float(value))
        return batch

    def learn(self, agent: int, reports: Mapping[int, bytes]) -> None:
        samples = [self.own[agent], *reports.values()]
        optimizer, theta, config = self.optimizers[agent], self.theta[agent], self.config
        es_step(optimizer, theta, self.noise, samples, config.sigma, config.fitness)

    def share(self, agent: int) -> bytes:
        return self.theta[agent].detach().numpy().tobytes()

    def mix(self, agent: int, weights: Sequence[float], payloads: Sequence[bytes]) -> None:
        with torch.no_grad():
            self.theta[agent].copy_(torch.from_numpy(weighted_sum(weights, payloads)))

    def parameters(self, agent: int) -> np.ndarray:
        return self.theta[agent].detach().numpy().astype(np.float64)


ES = Algorithm(
    name="es",
    config_type=ESConfig,
    learner_type=ESLearner,
    agents_type=ESAgents,
    peers_type=ESPeers,
    summary="Evolution Strategies: every agent reports its scalar return every episode",
)

__all__ = [
    "ES",
    "ESAgents",
    "ESConfig",
    "ESLearner",
    "ESPeers",
    "DrawnNoise",
    "NoiseKey",
    "REPORT",
    "FITNESS",
    "Fitness",
    "es_gradient",
    "es_step",
    "shape_fitness",
]
