"""ESPC's communication rule (report 4.2-4.4; docs/design.md, "Reading the report")."""

import math

import numpy as np
import pytest
from scipy import stats

from algorithms import ALGORITHMS, Problem
from algorithms.espc import ESPCConfig, communication_probability, standardised_utility


def binomial_tail(n: int, m: int, p: float) -> float:
    """P(M >= n - m), M ~ Binomial(n - 1, p), summed term by term (report 4.2, step 5)."""
    return sum(math.comb(n - 1, j) * p**j * (1 - p) ** (n - 1 - j) for j in range(n - m, n))


@pytest.mark.parametrize("z", [-2.0, -0.3, 0.0, 0.7, 1.9])
@pytest.mark.parametrize(("n", "m"), [(50, 25), (50, 5), (50, 45), (10, 1), (10, 10), (2, 1)])
def test_probability_is_the_binomial_tail_at_phi_of_z(z, n, m):
    p = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    assert communication_probability(z, n, m) == pytest.approx(binomial_tail(n, m, p), abs=1e-12)


def test_expected_probability_over_standard_normal_z_is_m_over_n():
    """Report figure 4.1: Monte Carlo over 100,000 z ~ N(0, 1), n = 50, every m."""
    n = 50
    z = np.random.default_rng(0).standard_normal(100_000)
    means = np.array([communication_probability(z, n, m).mean() for m in range(1, n + 1)])
    errors = means - np.arange(1, n + 1) / n
    assert np.abs(errors).max() < 1e-3
    assert np.mean(errors**2) < 1e-6


def test_first_episode_gives_p_one_half():
    """Report 4.8: one utility in the window, its variance taken as 1, so z = 0 and p = 1/2."""
    window = np.array([[7.5, 0.0, 0.0]])
    z = standardised_utility(window, np.array([1]), np.array([7.5]))
    assert z == pytest.approx([0.0])
    n, m = 50, 20
    assert communication_probability(z, n, m)[0] == pytest.approx(
        stats.binom.sf(n - m - 1, n - 1, 0.5)
    )


def test_utility_is_standardised_by_the_window_population_statistics():
    window = np.array([[1.0, 2.0, 3.0, 99.0], [4.0, 4.0, 0.0, 0.0]])
    z = standardised_utility(window, np.array([3, 2]), np.array([3.0, 4.0]))
    # row 0: mean 2, population variance 2/3; row 1: equal utilities, variance taken as 1
    assert z == pytest.approx([1.0 / math.sqrt(2.0 / 3.0), 0.0])


def test_agents_report_on_the_first_episode_with_the_binomial_tail_at_one_half():
    n, m = 400, 190
    espc = ALGORITHMS["espc"]
    config = espc.make_config({"m": m})
    agents = espc.agents_type(config, Problem("CartPole-v1", n, np.random.SeedSequence(3)))
    learner = espc.learner_type(config, Problem("CartPole-v1", n, np.random.SeedSequence(3)))
    batch = agents.run_episodes(learner.policy_payload(), np.arange(n))
    sent = np.mean([report is not None for report in batch.reports])
    expected = stats.binom.sf(n - m - 1, n - 1, 0.5)  # about 0.16
    assert sent == pytest.approx(expected, abs=4 * math.sqrt(expected * (1 - expected) / n))


def test_m_outside_one_to_n_is_refused():
    with pytest.raises(ValueError, match="ESPC m = 51 exceeds the number of agents n = 50"):
        ESPCConfig(m=51).check(50)
    with pytest.raises(ValueError, match="ESPC m = 0 must be at least 1"):
        ESPCConfig(m=0)
    with pytest.raises(ValueError, match="ESPC k = 0 must be at least 1"):
        ESPCConfig(k=0)
