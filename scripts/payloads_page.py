"""Write docs/payloads.md from the stored results of the payload studies.

The page's every number comes from the CSV summaries in ``docs/data/payloads/`` (each study's
``payloads.csv``, as ``python scenarios/NAME.py`` writes it into its run's ``plots/``); its figures
are drawn from the same summaries into ``docs/figures/``. With ``--runs DIR`` (a folder holding the run
directories ``downlinks`` and ``lossy_codecs``) the script first stores each run's summary and
draws the figures; ``--figures`` redraws the figures from the stored summaries;
without either, it rewrites the page from the summaries already stored.
``tests/test_payloads.py`` checks that the page is what the stored summaries give.

    python scenarios/downlinks.py --out runs/downlinks   # and scenarios/lossy_codecs.py
    python scripts/payloads_page.py --runs runs
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from analysis.markdown import Store, band, page_main, run_size, runs_table, seconds, si, table

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "data" / "payloads"
FIGURES = ROOT / "docs" / "figures"
PAGE = ROOT / "docs" / "payloads.md"
STUDIES = ("downlinks", "lossy_codecs")


def scenario(study: str) -> ModuleType:
    """The study's scenario file, imported."""
    sys.path.insert(0, str(ROOT / "scenarios"))
    from netsim.catalog import _import

    return _import(ROOT / "scenarios" / f"{study}.py")


def collect(runs: Path) -> None:
    """Store each study's summary (:func:`analysis.payloads.payload_summary` of its run in
    ``runs``), with the run's size and summed trial times in ``runs.csv``."""
    import netsim
    from analysis.payloads import payload_summary

    DATA.mkdir(parents=True, exist_ok=True)
    sizes = []
    for study in STUDIES:
        module, directory = scenario(study), runs / study
        summary = payload_summary(netsim.Results(directory).to_pandas(), module.POINTS)
        summary.to_csv(DATA / f"{study}.csv", index=False)
        sizes.append(run_size(study, module.SCENARIO, directory))
    pd.DataFrame(sizes).to_csv(DATA / "runs.csv", index=False)


def draw_figures() -> None:
    """Draw each study's figure into ``docs/figures/`` (PNG and PDF) from its stored summary, as
    its report draws it from the run."""
    from analysis.payloads import payload_figure
    from analysis.style import save

    for study in STUDIES:
        figure = payload_figure(pd.read_csv(DATA / f"{study}.csv"), scenario(study).VALUE_LABEL)
        print(f"drew {save(figure, FIGURES / f'payloads_{study}.png')}")


def bytes_(value: float) -> str:
    return f"{value:,.0f}"


def study_table(summary: pd.DataFrame) -> str:
    """Every variant: its problem, form and bandwidth, how many trials reached the target, the
    time to target, the episodes to target, and the bytes an agent moved per round."""
    rows = [
        [
            row["problem"],
            row["form"],
            si(row["value"]),
            f"{row['reached']}/{row['trials']}",
            band(row, "time_s"),
            f"{row['episodes_median']:.0f}" if np.isfinite(row["episodes_median"]) else "never",
            bytes_(row["policy_bytes"]),
            bytes_(row["report_bytes"]),
        ]
        for _, row in summary.sort_values(["problem", "value"], kind="stable").iterrows()
    ]
    header = ["problem", "form", "link", "reached", "time to target", "rounds to target"]
    return table([*header, "policy bytes", "report bytes"], rows)


def against_baseline(summary: pd.DataFrame, value: float) -> list[str]:
    """At bandwidth ``value``, each problem's forms against its first (the exact, uncoded one):
    the ratio of their median times to target and of the bytes they moved per agent-round."""
    lines = []
    at = summary[summary["value"] == value]
    for problem, rows in at.groupby("problem", sort=False):
        base = rows.iloc[0]
        parts = []
        for _, row in rows.iloc[1:].iterrows():
            bytes_ratio = (row["policy_bytes"] + row["report_bytes"]) / (
                base["policy_bytes"] + base["report_bytes"]
            )
            if np.isfinite(row["time_s_median"]) and np.isfinite(base["time_s_median"]):
                timing = f"{row['time_s_median'] / base['time_s_median']:.2f}x the time"
            else:
                timing = (
                    f"a median of {seconds(row['time_s_median'])} against "
                    f"{seconds(base['time_s_median'])} ({row['reached']}/{row['trials']} trials "
                    f"reached the target against {base['reached']}/{base['trials']})"
                )
            parts.append(f"{row['form']} {timing} with {bytes_ratio:.2f}x the bytes")
        lines.append(f"- **{problem}**, against {base['form']}: " + "; ".join(parts) + ".")
    return lines


def espc_finding(summary: pd.DataFrame, value: float) -> str:
    """Whether ESPC's suppressed reports buy time once the downlink replays them: ES against
    ESPC under ``replay`` at bandwidth ``value``."""
    at = summary[(summary["value"] == value) & (summary["form"] == "replay")]
    es, espc = (at[at["problem"] == name].iloc[0] for name in ("ES", "ESPC"))
    return (
        f"Do ESPC's suppressed reports buy time once the policy is replayed? At {si(value)} "
        f"ESPC's replayed downlink moves {bytes_(espc['policy_bytes'])} bytes per agent-round "
        f"against ES's {bytes_(es['policy_bytes'])} (where an "
        "update's reports outweigh the policy the agent is sent the policy instead), and ESPC "
        f"reaches the target in {band(espc, 'time_s')} against ES's {band(es, 'time_s')}, in "
        f"{espc['episodes_median']:.0f} rounds against {es['episodes_median']:.0f}."
    )


def study_section(data: Path, study: str) -> str:
    summary = pd.read_csv(data / f"{study}.csv")
    values = sorted(summary["value"].unique())
    slow, fast = values[0], values[-1]
    text = [INTRO[study], "", f"![{TITLES[study]}](figures/payloads_{study}.png)", ""]
    text += [f"At {si(slow)}, the median time to target and the bytes per agent-round:", ""]
    text += against_baseline(summary, slow)
    if fast != slow:
        text += ["", f"At {si(fast)}, where the bytes cost little:", ""]
        text += against_baseline(summary, fast)
    if study == "downlinks":
        text += ["", espc_finding(summary, slow)]
    text += ["", "Every variant:", "", study_table(summary)]
    return "\n".join([f"## {TITLES[study]}", "", *text])


TITLES = {
    "downlinks": "Downlinks: deltas and replays at the slow end",
    "lossy_codecs": "Codecs on the clock",
}
INTRO = {
    "downlinks": (
        "`scenarios/downlinks.py`. DQL and EBCDQL on Simple Grid (n = 5, target -5.5) with the "
        "`full` and `delta` downlinks; ES and ESPC (m = 25, k = 5) on Cart Pole (n = 50, target "
        "195; sigma 0.1, Adam's step 0.03) with `full` and `replay`; a star of 10 ms access "
        "links. Under barrier rounds a downlink changes when each round ends, never what is "
        "learnt, so a problem's rounds to target are the same in every form and the time shows "
        "what the bytes cost."
    ),
    "lossy_codecs": (
        "`scenarios/lossy_codecs.py`. Each problem with every codec: ES on Cart Pole (n = 50, target "
        "195) central, its policy broadcast coded, and gossiping on a ring, its parameters coded "
        "per neighbour; DQL on Simple Grid (n = 10, target -5.5) gossiping on a ring; DAVIA on "
        "Simple Grid (n = 5) central, its policy and its gradient reports coded; a star of 10 ms "
        "access links (gossip crosses the hub). A lossy codec changes what is learnt, so the "
        "rounds to target show what its loss costs and the time what its bytes save."
    ),
}
HEADER = """# Payloads that cost what they carry

<!-- Written by scripts/payloads_page.py from docs/data/payloads/; do not edit by hand. -->

What crosses the network is an option of each variant, off by default (every stored study is
unchanged):

- `CentralSettings(downlink=...)`: `full` sends the policy every round (the report's model);
  `delta` sends the float32 entries that changed since the version the agent holds; `replay`
  sends the reports the learner updated from, and the agent repeats the update itself (ES's
  shared seeds make a report 12 bytes), spending the learner's update time per update. Both are
  exact: every delivered copy is checked against the learner's policy, bit for bit, in every run.
- `CentralSettings(codec=..., report_codec=...)` and `GossipSettings(codec=...)`: a lossy codec
  from `netsim.codecs` (`float16`; `int8` with stochastic rounding; `top-k`, a `fraction` of
  the entries) for the policy, for reports that are vectors (DAVIA's gradients), or for the
  parameters gossip exchanges. What a codec leaves out is sent later (error feedback), so
  nothing is lost, only delayed; the agents learn from what they received.

```python
import netsim

variant = netsim.Variant(
    "DQL, int8 policy", "dql", netsim.star(5, 1e4, 0.01), env="netsim/SimpleGrid-v0",
    pattern=netsim.CentralSettings(codec="int8"),
)
```

Rerun a study with `python scenarios/NAME.py [--quick]`; its report lands in the run's `plots/`
(`payloads.csv`, `payloads.png`), and `python scripts/payloads_page.py --runs runs` rewrites this
page from the runs in `runs/`. Times are simulated seconds; ranges are the 10th to 90th
percentiles over trials, and a trial that never reaches the target counts as "never". Bytes are
on the wire, per agent and round: the policy (or the parameters sent to neighbours) and the
reports (with the header-only notices)."""


def render(data: Path = DATA) -> str:
    """The page's text from the summaries in ``data``."""
    sections = [HEADER, *(study_section(data, study) for study in STUDIES)]
    runs = runs_table(pd.read_csv(data / "runs.csv"))
    return "\n\n".join([*sections, "## How these were run\n\n" + runs]) + "\n"


def main(argv: list[str]) -> int:
    runs = Store("runs", "the folder holding the two run directories", collect)
    return page_main(argv, __doc__.splitlines()[0], PAGE, render, [runs], draw_figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
