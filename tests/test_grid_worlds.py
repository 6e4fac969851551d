"""The grid worlds: Gymnasium's checks, the dynamics on hand-computed cases, and one implementation
behind the single and the batched forms."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.envs.toy_text.frozen_lake import FrozenLakeEnv
from gymnasium.utils.env_checker import check_env

import netsim  # registers the grid worlds
from algorithms import ALGORITHMS, Problem
from netsim.envs import GRID_WORLDS, STEP_LIMIT
from netsim.envs.worlds import FROZEN_LAKE_5X5, frozen_lake, simple_grid, windy_grid

LEFT, RIGHT, UP, DOWN, STAY = range(5)


@pytest.mark.parametrize("env_id", list(GRID_WORLDS))
def test_grid_worlds_pass_gymnasiums_checker(env_id):
    env = gym.make(env_id)
    check_env(env.unwrapped, skip_render_check=True)
    assert env.spec.max_episode_steps == STEP_LIMIT


def _walk(env, actions, seed=0):
    env.reset(seed=seed)
    return [env.step(action) for action in actions]


def test_simple_grid_walls_keep_the_agent_in_place():
    env = gym.make("netsim/SimpleGrid-v0")
    steps = _walk(env, [LEFT, UP, STAY, RIGHT, DOWN])
    assert [state for state, *_ in steps] == [0, 0, 0, 1, 6]
    env.reset()
    for _ in range(4):
        state, *_ = env.step(RIGHT)
    assert state == 4
    state, *_ = env.step(RIGHT)
    assert state == 4  # the right edge


def test_simple_grid_pays_minus_one_per_step_and_zero_at_the_goal():
    env = gym.make("netsim/SimpleGrid-v0")
    steps = _walk(env, [RIGHT] * 4 + [DOWN] * 4)
    rewards = [reward for _, reward, *_ in steps]
    terminated = [done for _, _, done, *_ in steps]
    assert rewards == [-1.0] * 7 + [0.0]
    assert terminated == [False] * 7 + [True]
    assert steps[-1][0] == 24


def test_an_episode_is_truncated_at_the_step_limit():
    env = gym.make("netsim/SimpleGrid-v0")
    steps = _walk(env, [STAY] * STEP_LIMIT)
    assert not any(truncated for *_, truncated, _ in steps[:-1])
    assert steps[-1][3] and not steps[-1][2]


def test_windy_grid_pushes_up_and_left_independently_with_probability_0_3():
    model = windy_grid()
    rng = np.random.default_rng(0)
    draws = 200_000
    centre = 12  # row 2, column 2: the wind can move the agent either way
    states = np.full(draws, centre)
    next_states, _, _ = model.step(states, np.full(draws, STAY), rng.random(draws))
    frequencies = {square: np.mean(next_states == square) for square in (12, 7, 11, 6)}
    expected = {12: 0.7 * 0.7, 7: 0.3 * 0.7, 11: 0.7 * 0.3, 6: 0.3 * 0.3}  # none, up, left, both
    for square, probability in expected.items():
        standard_error = np.sqrt(probability * (1 - probability) / draws)
        assert abs(frequencies[square] - probability) < 4 * standard_error, square
    assert sum(frequencies.values()) == pytest.approx(1.0)


def test_windy_grid_moves_first_then_pushes_and_walls_stop_the_push():
    model = windy_grid()
    # From the top-left corner the pushes hit walls: staying stays, whatever the wind.
    assert model.transitions[0, STAY, 0] == pytest.approx(1.0)
    # Moving right from square 0 lands on 1; a left push brings it back to 0 (probability 0.3).
    assert model.transitions[0, RIGHT, 0] == pytest.approx(0.3)
    assert model.transitions[0, RIGHT, 1] == pytest.approx(0.7)
    # Moving down into the goal only ends there if no push follows.
    assert model.transitions[19, DOWN, 24] == pytest.approx(0.49)


def test_frozen_lake_has_gymnasiums_dynamics_on_our_map():
    ours = frozen_lake()
    gymnasiums = FrozenLakeEnv(desc=list(FROZEN_LAKE_5X5), is_slippery=True)
    for state, by_action in gymnasiums.unwrapped.P.items():
        if ours.terminal[state]:
            continue  # Gymnasium keeps a terminal state in place; an episode never steps from one
        for action, outcomes in by_action.items():
            expected = np.zeros(ours.n_states)
            for probability, next_state, reward, terminated in outcomes:
                expected[next_state] += probability
                assert ours.arrival_reward[next_state] == reward
                assert ours.terminal[next_state] == terminated
            np.testing.assert_allclose(ours.transitions[state, action], expected)


def test_frozen_lake_pays_one_at_the_goal_and_ends_in_holes():
    model = frozen_lake(is_slippery=False)
    hole, goal = FROZEN_LAKE_5X5[1].index("H") + 5, 24
    assert model.terminal[hole] and model.terminal[goal]
    assert model.arrival_reward[goal] == 1.0 and model.arrival_reward[hole] == 0.0
    env = gym.make("netsim/FrozenLake5x5-v0", is_slippery=False)
    steps = _walk(env, [2] * 4 + [1] * 4)  # right along the top, down the right edge
    assert [reward for _, reward, *_ in steps] == [0.0] * 7 + [1.0]


def test_frozen_lake_with_stay_adds_a_fifth_action_that_stays_put_and_keeps_the_four_moves():
    four, five = frozen_lake(), frozen_lake(stay=True)
    assert (four.n_actions, five.n_actions) == (4, 5) and five.action_names[4] == "stay"
    np.testing.assert_array_equal(five.transitions[:, :4], four.transitions)
    np.testing.assert_array_equal(five.transitions[:, 4], np.eye(25))  # never slips
    assert gym.make("netsim/FrozenLake5x5-v0").action_space == gym.spaces.Discrete(4)
    assert gym.make("netsim/FrozenLake5x5Stay-v0").action_space == gym.spaces.Discrete(5)
    envs = gym.make_vec("netsim/FrozenLake5x5Stay-v0", num_envs=2)
    assert envs.single_action_space == gym.spaces.Discrete(5)
    envs.reset(seed=0)
    for _ in range(10):
        states, *_ = envs.step(np.array([4, 4]))
    assert states.tolist() == [0, 0]


def test_davia_plans_a_stay_on_the_lake_as_its_arrival_reward_plus_the_discounted_value():
    from algorithms.davia import environment_model

    model = environment_model("netsim/FrozenLake5x5Stay-v0")
    values = np.random.default_rng(0).random(25)
    lookahead = model.expected_values(values, 0.9)
    assert lookahead.shape == (25, 5)
    lake = frozen_lake(stay=True)
    staying = lake.arrival_reward + 0.9 * np.where(lake.terminal, 0.0, values)
    np.testing.assert_allclose(lookahead[:, 4], staying)


@pytest.mark.parametrize("algorithm", ["dql", "ebcdql", "davia", "es"])
def test_every_grid_algorithm_learns_on_the_lake_with_stay_and_uses_the_fifth_action(
    algorithm, tmp_path
):
    config = {"hidden": (4, 4), "optimizer": "momentum"} if algorithm == "es" else {}
    scenario = netsim.Scenario(
        "stay",
        [
            netsim.Variant(
                algorithm,
                algorithm,
                netsim.star(3, 1e6),
                env="netsim/FrozenLake5x5Stay-v0",
                config={"gamma": 0.9, **config},
            )
        ],
        episodes=3,
        trials=1,
    )
    results = netsim.run(scenario, tmp_path / "run", backend="serial", progress=False, plots=False)
    assert len(results.to_pandas()) == 3 * 3  # every agent's every episode
    if algorithm == "dql":  # its reports are every sample, so the actions played show
        from algorithms.tabular import decode_samples, sample_dtype

        agents = ALGORITHMS["dql"].agents_type(
            ALGORITHMS["dql"].make_config(),
            Problem("netsim/FrozenLake5x5Stay-v0", 5, np.random.SeedSequence(0)),
        )
        payload = np.zeros((25, 5), dtype=np.float32).tobytes()
        batch = agents.run_episodes(payload, np.arange(5))
        samples = decode_samples(sample_dtype(25, 5), batch.reports)
        assert set(samples["a"].tolist()) == {0, 1, 2, 3, 4}


@pytest.mark.parametrize("seed", [3, [7, 2, 5]])
def test_the_batched_form_steps_like_the_single_forms_in_a_sync_vector_env(seed):
    """Sub-environment j seeded as a sync vector environment seeds it, and drawing from its own
    generator: the same episodes, whatever else is in the batch."""
    batched = gym.make_vec("netsim/WindyGrid-v0", num_envs=3)
    singles = gym.make_vec("netsim/WindyGrid-v0", num_envs=3, vectorization_mode="sync")
    assert batched.reset(seed=seed)[0].tolist() == singles.reset(seed=seed)[0].tolist()
    actions = np.random.default_rng(1).integers(5, size=(60, 3))
    for action in actions:
        for ours, theirs in zip(batched.step(action)[:4], singles.step(action)[:4], strict=True):
            assert ours.tolist() == theirs.tolist()
    alone = gym.make_vec("netsim/WindyGrid-v0", num_envs=1)
    alone.reset(seed=[seed + 1 if isinstance(seed, int) else seed[1]])
    batched.reset(seed=seed)
    for action in actions[:20]:
        assert alone.step(action[1:2])[0][0] == batched.step(action)[0][1]


def test_the_batched_form_resets_an_ended_agent_on_the_next_step():
    envs = gym.make_vec("netsim/SimpleGrid-v0", num_envs=2)
    envs.reset(seed=0)
    for _ in range(4):
        states, rewards, terminated, truncated, _ = envs.step(np.array([DOWN, STAY]))
    for _ in range(4):
        states, rewards, terminated, truncated, _ = envs.step(np.array([RIGHT, STAY]))
    assert terminated[0] and states[0] == 24
    states, rewards, terminated, truncated, _ = envs.step(np.array([RIGHT, STAY]))
    assert states[0] == 0 and rewards[0] == 0.0 and not terminated[0]
    assert states[1] == 0 and rewards[1] == -1.0


def test_bad_actions_and_settings_are_refused():
    envs = gym.make_vec("netsim/SimpleGrid-v0", num_envs=2)
    envs.reset(seed=0)
    with pytest.raises(ValueError, match="not in"):
        envs.step(np.array([0, 5]))
    with pytest.raises(ValueError, match="push_probability"):
        windy_grid(1.5)
    with pytest.raises(ValueError, match="num_envs"):
        gym.make_vec("netsim/SimpleGrid-v0", num_envs=0)


def test_simple_grids_best_discounted_return_is_minus_5_217():
    model = simple_grid()
    values = np.zeros(model.n_states)
    for _ in range(100):
        values = model.expected_values(values, 0.9).max(axis=1)
    assert values[model.start] == pytest.approx(-(1 - 0.9**7) / 0.1)
