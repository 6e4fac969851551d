"""Analysis of a netsim results table: the report's metrics (SPEC.md section 1) and their plots.

from analysis import plot_run, summarise
summarise(results.to_pandas(), "frequency")  # variant, episode, mean, p10, p90
plot_run(results.to_pandas(), Path("plots"))
"""

from analysis.aggregate import METRICS, per_trial, reward_against_time, summarise
from analysis.plots import plot_run

__all__ = ["METRICS", "per_trial", "plot_run", "reward_against_time", "summarise"]
