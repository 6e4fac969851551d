"""A multilayer perceptron policy over a flat parameter vector, evaluated for many parameter vectors
at once (one per agent), as ES needs: each agent acts with its own perturbation theta + sigma*eps_i.

Choices the report leaves open (section 4.6, 4.7 give only the hidden sizes):

* hidden activations are tanh;
* a discrete action is the argmax of the outputs; a continuous action is tanh of the outputs scaled
  to the action box;
* a discrete observation is one-hot encoded;
* initial weights and biases follow PyTorch's ``nn.Linear`` default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
"""

from __future__ import annotations

from dataclasses import dataclass

import gymnasium as gym
import numpy as np


@dataclass(frozen=True)
class MLPPolicy:
    """Layer sizes of an MLP from observations to actions, and how to read its outputs."""

    sizes: tuple[int, ...]
    """Input, hidden..., output widths."""
    observation_space: gym.Space
    action_space: gym.Space

    @classmethod
    def for_spaces(
        cls, observation_space: gym.Space, action_space: gym.Space, hidden: tuple[int, ...]
    ) -> MLPPolicy:
        if isinstance(observation_space, gym.spaces.Discrete):
            n_in = int(observation_space.n)
        elif isinstance(observation_space, gym.spaces.Box):
            n_in = int(np.prod(observation_space.shape))
        else:
            raise ValueError(f"MLP policy: unsupported observation space {observation_space}")
        if isinstance(action_space, gym.spaces.Discrete):
            n_out = int(action_space.n)
        elif isinstance(action_space, gym.spaces.Box):
            n_out = int(np.prod(action_space.shape))
        else:
            raise ValueError(f"MLP policy: unsupported action space {action_space}")
        return cls((n_in, *hidden, n_out), observation_space, action_space)

    @property
    def n_params(self) -> int:
        return sum((fan_in + 1) * fan_out for fan_in, fan_out in self._layers())

    def _layers(self) -> list[tuple[int, int]]:
        return list(zip(self.sizes[:-1], self.sizes[1:], strict=True))

    def initial_params(self, rng: np.random.Generator) -> np.ndarray:
        """A float32 parameter vector drawn as PyTorch's ``nn.Linear`` initialises its layers."""
        parts = []
        for fan_in, fan_out in self._layers():
            bound = 1.0 / np.sqrt(fan_in)
            parts.append(rng.uniform(-bound, bound, size=fan_out * fan_in))
            parts.append(rng.uniform(-bound, bound, size=fan_out))
        return np.concatenate(parts).astype(np.float32)

    def act(self, params: np.ndarray, observations: np.ndarray) -> np.ndarray:
        """Actions of b agents: ``params`` is (b, n_params), ``observations`` a batch of b."""
        return self.networks(params)(observations)

    def batch(self, params: np.ndarray) -> BatchedMLP | StateTable:
        """The policy of each row of ``params`` (b, n_params), ready to act step after step.

        Over a discrete observation space a policy is a function of the state alone, so it is
        evaluated once for every (agent, state) and looked up each step (:class:`StateTable`);
        otherwise each agent's layers are sliced out once (:class:`BatchedMLP`)."""
        networks = self.networks(params)
        if not isinstance(self.observation_space, gym.spaces.Discrete):
            return networks
        n_states, start = self.sizes[0], int(self.observation_space.start)
        states = np.tile(np.arange(n_states) + start, len(params))
        return StateTable(networks.repeat(n_states)(states).reshape(len(params), n_states), start)

    def networks(self, params: np.ndarray) -> BatchedMLP:
        """The MLP of each row of ``params`` (b, n_params), its layers sliced out once."""
        layers = []
        offset = 0
        for fan_in, fan_out in self._layers():
            weights = params[:, offset : offset + fan_out * fan_in].reshape(-1, fan_out, fan_in)
            offset += fan_out * fan_in
            layers.append((weights, params[:, offset : offset + fan_out]))
            offset += fan_out
        return BatchedMLP(self, layers)

    def encode(self, observations: np.ndarray) -> np.ndarray:
        """A batch of observations as the network's float32 inputs, one row each."""
        if isinstance(self.observation_space, gym.spaces.Discrete):
            index = np.asarray(observations) - self.observation_space.start
            return np.eye(self.sizes[0], dtype=np.float32)[index]
        return np.asarray(observations, dtype=np.float32).reshape(len(observations), -1)

    def decode(self, outputs: np.ndarray) -> np.ndarray:
        """The actions a batch of network outputs stand for, one per row."""
        space = self.action_space
        if isinstance(space, gym.spaces.Discrete):
            return np.argmax(outputs, axis=1) + space.start
        assert isinstance(space, gym.spaces.Box)
        low, high = space.low.reshape(-1), space.high.reshape(-1)
        scaled = low + (np.tanh(outputs) + 1.0) * 0.5 * (high - low)
        return scaled.reshape(len(outputs), *space.shape).astype(space.dtype)


@dataclass(frozen=True)
class BatchedMLP:
    """b MLPs of one shape, one per agent: row j of every layer is agent j's."""

    policy: MLPPolicy
    layers: list[tuple[np.ndarray, np.ndarray]]
    """Per layer: weights (b, fan_out, fan_in) and biases (b, fan_out)."""

    def __call__(self, observations: np.ndarray) -> np.ndarray:
        """Each agent's action for its observation (a batch of b)."""
        x = self.policy.encode(observations)
        last = len(self.layers) - 1
        for index, (weights, bias) in enumerate(self.layers):
            x = (weights @ x[:, :, None])[:, :, 0] + bias
            if index < last:
                x = np.tanh(x)
        return self.policy.decode(x)

    def select(self, rows: np.ndarray) -> BatchedMLP:
        """The MLPs of agents ``rows`` only, in that order (copied: later calls touch b' rows)."""
        return BatchedMLP(self.policy, [(w[rows], b[rows]) for w, b in self.layers])

    def repeat(self, times: int) -> BatchedMLP:
        """Each agent's MLP ``times`` times in a row, to evaluate it on ``times`` inputs at once."""
        return self.select(np.repeat(np.arange(len(self.layers[0][0])), times))


@dataclass(frozen=True)
class StateTable:
    """b policies over a discrete observation space, as each agent's action in every state."""

    actions: np.ndarray
    """Agent j's action in state s at row j, column s - start: shape (b, S)."""
    start: int
    """The observation space's first state."""

    def __call__(self, observations: np.ndarray) -> np.ndarray:
        """Each agent's action in its state (a batch of b)."""
        return self.actions[np.arange(len(self.actions)), np.asarray(observations) - self.start]

    def select(self, rows: np.ndarray) -> StateTable:
        """The policies of agents ``rows`` only, in that order."""
        return StateTable(self.actions[rows], self.start)
