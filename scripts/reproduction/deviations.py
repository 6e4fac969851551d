"""The page's table of every place where our runs differ from the report, or choose where it is
silent, each with its reason and where its effect is measured.

The numbers in the table (observation sizes, parameter counts, defaults) are read from the code
that makes the choice, so the table cannot drift from it.
"""

from __future__ import annotations

from reproduction.common import table


def ant_inputs() -> tuple[int, int]:
    """Ant-v5's observation size and our policy's parameter count on it (MLP 64, 64)."""
    import gymnasium as gym

    from algorithms.policies import MLPPolicy

    env = gym.make("Ant-v5")
    policy = MLPPolicy.for_spaces(env.observation_space, env.action_space, (64, 64))
    return env.observation_space.shape[0], policy.n_params


def section() -> str:
    from algorithms.davia import DAVIAConfig
    from algorithms.dql import DQLConfig
    from algorithms.ebcdql import EBCDQLConfig
    from netsim.envs.grid_env import STEP_LIMIT
    from netsim.envs.worlds import FROZEN_LAKE_ACTIONS, GRID_ACTIONS

    davia, dql, ebcdql = DAVIAConfig(), DQLConfig(), EBCDQLConfig()
    inputs, parameters = ant_inputs()
    first = davia.threshold / davia.threshold_growth ** (davia.horizon - 1)
    rows = [
        [
            "Ant",
            "Gymnasium's Ant of May 2023: Ant-v4, whose default observation leaves out the "
            "contact forces (27 inputs) and whose reward has no contact cost",
            f"Ant-v5 with its defaults: {inputs} inputs with the contact forces, contact cost "
            f"in the reward; {parameters:,} policy parameters",
            "Ant-v5 is the version Gymnasium maintains",
            'section "Ant as the report had it" (`netsim/Ant-v4-like`)',
        ],
        [
            "Frozen Lake's actions",
            f"left, right, up, down or stay ({len(GRID_ACTIONS)}), as on its other grids",
            f"Gymnasium's {len(FROZEN_LAKE_ACTIONS)}: {', '.join(FROZEN_LAKE_ACTIONS)}",
            "the report calls it Gymnasium's environment, which has no stay",
            'section "Frozen Lake with a fifth action" (`netsim/FrozenLake5x5Stay-v0`)',
        ],
        [
            "Frozen Lake's map",
            "5x5, not given",
            "our fixed 5x5 map with four holes (`netsim/envs/worlds.py`), Gymnasium's slippery ice",
            "Gymnasium's maps are 4x4 and 8x8",
            "not measured",
        ],
        [
            "DAVIA's threshold",
            '"decreases over time" (text); J(theta - eps g) <= lambda / rho^(N-1-k)',
            f"sent when the step lowers J_i by at least lambda / rho^(N-1-k), lambda = "
            f"{davia.threshold:g}, rho = {davia.threshold_growth:g}, N = {davia.horizon}: rising "
            f"from {first:.3f} to {davia.threshold:g}",
            "with rho > 1 the formula rises; a rising bar on the decrease is what thins "
            "communication as learning settles (the report's figure 3.4)",
            'section "DAVIA\'s threshold: rising or falling" (`threshold_direction`)',
        ],
        [
            "EBCDQL's trigger",
            "rho, beta and the floor not given",
            f"rho = {ebcdql.rho:g}, beta = {ebcdql.beta:g}, floor = {ebcdql.threshold_floor:g}",
            "tuned on Simple Grid so communication falls from episode 50, as in figure 3.4",
            'section "EBCDQL\'s trigger"',
        ],
        [
            "Exploration and steps of DQL, EBCDQL, DAVIA",
            "not given",
            f"epsilon = {dql.epsilon:g} * {dql.epsilon_decay:g}^k in the agent's episode k, each "
            f"agent from its own random stream; DQL's alpha = {dql.alpha:g}, DAVIA's "
            f"alpha = {davia.step_size:g}",
            "an agent's episode does not depend on the agents it is batched with; each update "
            "averages over samples, so a large step is stable",
            "not measured",
        ],
        [
            "DQL's update",
            "groups samples by s, updates Q(s, a)",
            "groups by (s, a)",
            "the update is per (s, a)",
            "not measured",
        ],
        [
            "ESPC's z and p",
            "z with the variance as divisor; p the integral of the normal density from 0 to z",
            "z = (u - mean) / std, p = Phi(z)",
            "the reading under which E[p_comm] = m/n, as the report's figure 4.1 checks",
            "not measured",
        ],
        [
            "ESPC on the grids",
            "m and k not given for section 4.6",
            "m = n / 2 = 15, k = 5",
            "section 4.7's ratio and horizon",
            "not measured",
        ],
        [
            "Grid episode length",
            "not given",
            f"{STEP_LIMIT} steps",
            "Gymnasium's Frozen Lake 4x4 limit",
            "not measured",
        ],
        [
            "ES's fitness",
            "raw returns (equation 2.1)",
            "raw returns",
            "faithful; Salimans' rank shaping is the common practice",
            'section "Sensitivity: does ESPC still beat ES under fitness shaping?" (`fitness`)',
        ],
        [
            "The network",
            "messages counted, no network",
            "a star of 1 Mbit/s, 10 ms access links",
            "under barrier rounds it changes when an episode ends, not what is learnt",
            "not measured",
        ],
    ]
    return "\n".join(
        [
            "## Where we differ from the report",
            "",
            "Every place where our runs differ from the report or choose where it is silent, with "
            "the reason (each choice is also in the docstring of the code that makes it), and the "
            "section above that measures what it changes where one does:",
            "",
            table(["what", "the report", "here", "why", "its effect"], rows),
        ]
    )
