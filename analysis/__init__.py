"""Analysis of a netsim results table: the report's metrics (docs/design.md, "Metrics") and their plots.

from analysis import plot_run, summarise, target_summary, time_to_target
summarise(results.to_pandas(), "frequency")  # variant, episode, trials, centre, low, high
plot_run(results.to_pandas(), Path("plots"), estimator="median-iqr")  # PNG and PDF
target_summary(time_to_target(results.to_pandas(), target=-5.5))  # time, episodes, bytes
paired_comparison(results.to_pandas(), baseline="ES n=25", from_episode=50)  # trial by trial
frequency_against_rise(results.to_pandas(), lag=10, rise=50)  # does sending follow reward's rises?
"""

from analysis.aggregate import METRICS, per_trial, reward_against_time, summarise
from analysis.compare import (
    frequency_against_rise,
    paired_comparison,
    time_window_means,
    window_means,
)
from analysis.plots import plot_run
from analysis.sweep import rankings, sweep_summary
from analysis.targets import (
    final_reward_and_bytes,
    pareto_front,
    target_summary,
    time_to_target,
    worst_agent_time_to_target,
)

__all__ = [
    "METRICS",
    "final_reward_and_bytes",
    "frequency_against_rise",
    "paired_comparison",
    "pareto_front",
    "per_trial",
    "plot_run",
    "rankings",
    "reward_against_time",
    "summarise",
    "sweep_summary",
    "target_summary",
    "time_to_target",
    "time_window_means",
    "window_means",
    "worst_agent_time_to_target",
]
