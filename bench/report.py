#!/usr/bin/python3
"""bench/run.sh's bookkeeping: turns each run's output into one JSON line, then the JSON
lines into the Markdown tables that run.sh prints and keeps in bench/results/.

  report.py nnrun RUN_DIR TIME_FILE CASE PAIR [TOOL] # a JSON line for one nnrun run
  report.py torch TORCH_JSON TIME_FILE CASE PAIR # the same for one PyTorch run
  report.py peak PEAK_OUTPUT BATCH PAIR          # a JSON line for one matmul_peak run
  report.py profile PROFILE_OUTPUT CASE PAIR     # the same for one step_profile run
  report.py table RESULTS_JSONL                  # the tables

Definitions (printed under the tables too):
- epoch s: median over every run of epochs 2.. (the first epoch pays for JIT, primitive
  creation and first touch of memory; it is shown apart as "epoch 1").
- nnrun/torch: median over the A/B pairs of (nnrun epoch median / torch epoch median) of
  the same pair, so a load change between pairs cancels out.
- GFLOP/s: nominal 6 x samples x weights per epoch (2 forward + 4 backward flops per MAC).
- GEMM bound: steps x the time bench/matmul_peak measured for one step's products at that
  batch, just before and just after each pair (the faster of the two, so that one slow
  moment cannot lower the bound). "% of bound" = median over pairs of (that pair's bound /
  the tool's median epoch in that pair): 100% means nothing but the matrix products at
  oneDNN's fp32 matmul speed. It is the fraction of the matmul peak on the products
  actually computed (both tools skip the first layer's input gradient, so the nominal
  GFLOP/s over the peak would overstate it by 6 W / (4 W + 2 (W - W1)) = 1.40x). Empty
  for bf16 runs: an fp32 bound says nothing about them.
- % of median-round bound: the same with each product's median round instead of its best
  one. An epoch is a mean over hundreds of steps, so it meets the machine's typical speed,
  not its best ten milliseconds; the gap between the two columns is that variation.
"""
import csv
import json
import math
import re
import statistics
import sys

FASHION_WEIGHTS = 784 * 256 + 256 * 128 + 128 * 10  # 234,752
# Table rows in this order: nnrun as built, an earlier build (--baseline), nnrun with
# `precision: bf16` (when the build accepts it), the reference.
TOOLS = ("nnrun", "nnrun-passive", "nnrun-spin", "nnrun-baseline", "nnrun-bf16", "pytorch")


def max_rss_kb(time_file):
    """Peak RSS from `/usr/bin/time -v` output."""
    with open(time_file) as f:
        for line in f:
            if "Maximum resident set size" in line:
                return int(line.rsplit(":", 1)[1])
    return None


def wall_seconds(time_file):
    with open(time_file) as f:
        for line in f:
            if "Elapsed (wall clock) time" in line:
                value = line.rsplit(": ", 1)[1].strip()
                parts = [float(p) for p in value.split(":")]
                seconds = 0.0
                for p in parts:
                    seconds = seconds * 60 + p
                return seconds
    return None


def nnrun_record(run_dir, time_file, case, pair, tool="nnrun"):
    with open(f"{run_dir}/metrics.csv") as f:
        rows = list(csv.DictReader(f))
    with open(f"{run_dir}/summary.json") as f:
        summary = json.load(f)
    final = summary.get("final", {})
    test_error = final.get("test_error")
    return {
        "tool": tool, "case": case, "pair": int(pair),
        "epoch_seconds": [float(r["seconds"]) for r in rows],
        "test_accuracy": None if test_error is None else 1 - test_error,
        "val_accuracy": 1 - final["val_error"] if "val_error" in final else None,
        "peak_rss_kb": max_rss_kb(time_file),
        "wall_seconds": wall_seconds(time_file),
        "backend": summary.get("backend_description"),
    }


def torch_record(torch_json, time_file, case, pair):
    with open(torch_json) as f:
        lines = [line for line in f if line.startswith("{")]
    record = json.loads(lines[-1])
    record["epoch_seconds"] = [round(x, 6) for x in record["epoch_seconds"]]
    record.update({"tool": "pytorch", "case": case, "pair": int(pair),
                   "peak_rss_kb": max_rss_kb(time_file),
                   "wall_seconds": wall_seconds(time_file)})
    return record


def peak_record(output, batch, pair):
    with open(output) as f:
        text = f.read()
    match = re.search(r"RESULT step_us=([\d.]+) step_gflop=([\d.]+) peak_gflops=([\d.]+)"
                      r"(?: step_us_median=([\d.]+))?", text)
    if not match:
        raise SystemExit(f"{output}: no RESULT line")
    return {"tool": "matmul_peak", "batch": int(batch), "pair": int(pair),
            "step_us": float(match[1]),
            "step_gflop": float(match[2]), "peak_gflops": float(match[3]),
            "step_us_median": float(match[4]) if match[4] else None}


def profile_record(output, case, pair):
    with open(output) as f:
        text = f.read()
    match = re.search(r"step: median ([\d.]+) us, best ([\d.]+) us", text)
    if not match:
        raise SystemExit(f"{output}: no step line")
    return {"tool": "step_profile", "case": case, "pair": int(pair),
            "median_us": float(match[1]), "best_us": float(match[2])}


def later_epochs(run):
    e = run["epoch_seconds"]
    return e[1:] if len(e) > 1 else e


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def openmp_wait(run):
    """The OpenMP wait settings that a run's backend description lists, or "default"."""
    found = re.findall(r"(OMP_WAIT_POLICY|GOMP_SPINCOUNT)=(\w+)", run.get("backend") or "")
    return " ".join(f"{k}={v}" for k, v in found) or "default"


def fashion_table(runs, peaks, batch, out):
    case = f"fashion b{batch}"
    mine = [r for r in runs if r["case"] == case]
    if not mine:
        return
    samples = 60000
    steps = math.ceil(samples / batch)
    flops = 6 * samples * FASHION_WEIGHTS
    # Each pair's peak is measured before and after it; the faster measurement counts.
    bounds, median_bounds = {}, {}
    for p in peaks:
        if p["batch"] != batch:
            continue
        pair = p["pair"]
        bounds[pair] = min(bounds.get(pair, math.inf), steps * p["step_us"] * 1e-6)
        if p.get("step_us_median"):
            median_bounds[pair] = min(median_bounds.get(pair, math.inf),
                                      steps * p["step_us_median"] * 1e-6)
    medians = {}  # (tool, pair) -> that run's median epoch
    for r in mine:
        medians[(r["tool"], r["pair"])] = statistics.median(later_epochs(r))
    tools = [t for t in TOOLS if any(r["tool"] == t for r in mine)]
    ratios = {t: [medians[(t, p)] / medians[("pytorch", p)] for (tool, p) in medians
                  if tool == t and ("pytorch", p) in medians] for t in tools}

    out.append(f"\n### Fashion-MNIST 784-256-128-10, batch {batch} ({steps} steps per epoch)\n")
    if bounds:
        mine_peaks = [p for p in peaks if p["batch"] == batch]
        out.append("oneDNN fp32 matmul on one step's products, per pair (before / after): "
                   + ", ".join(" / ".join(f"{p['step_us']:.0f} us ({p['peak_gflops']:.0f} GFLOP/s)"
                                          for p in mine_peaks if p["pair"] == pair)
                               for pair in sorted(bounds))
                   + f" -> GEMM bound {min(bounds.values()):.3f}-{max(bounds.values()):.3f} "
                   "s per epoch.\n")
    out.append("| tool | epoch s (median) | min | epoch 1 | samples/s | GFLOP/s | % of GEMM bound "
               "| % of median-round bound | nnrun/torch | test acc | peak RSS MiB | wall s |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for tool in tools:
        rs = [r for r in mine if r["tool"] == tool]
        ratio = statistics.median(ratios[tool]) if ratios[tool] else None
        fractions = [bounds[p] / medians[(tool, p)] for (t, p) in medians
                     if t == tool and p in bounds]
        bound_fraction = statistics.median(fractions) if fractions else None
        median_fractions = [median_bounds[p] / medians[(t, p)] for (t, p) in medians
                            if t == tool and p in median_bounds]
        median_fraction = statistics.median(median_fractions) if median_fractions else None
        if "bf16" in tool:  # the bound is fp32 matmul time: no measure of a bf16 run
            bound_fraction = median_fraction = None
        later = [s for r in rs for s in later_epochs(r)]
        median = statistics.median(later)
        first = statistics.median(r["epoch_seconds"][0] for r in rs)
        accs = [r["test_accuracy"] for r in rs if r.get("test_accuracy") is not None]
        rss = max(r["peak_rss_kb"] for r in rs if r.get("peak_rss_kb")) / 1024
        wall = statistics.median(r["wall_seconds"] for r in rs if r.get("wall_seconds"))
        out.append(
            f"| {tool} | {median:.3f} | {min(later):.3f} | {first:.3f} | {samples / median:,.0f} "
            f"| {flops / median / 1e9:.0f} | {fmt(bound_fraction and 100 * bound_fraction, '.0f')} "
            f"| {fmt(median_fraction and 100 * median_fraction, '.0f')} "
            f"| {fmt(ratio, '.2f')} "
            f"| {fmt(statistics.mean(accs) if accs else None, '.4f')} | {rss:.0f} | {wall:.1f} |")
    for tool in tools:
        if tool != "pytorch" and ratios[tool]:
            out.append(f"\n{tool}/torch per pair: {', '.join(f'{x:.2f}' for x in ratios[tool])}")
    # How nnrun's idle OpenMP threads waited in each pair (it may choose per run).
    for tool in tools:
        waits = [openmp_wait(r) for r in sorted((r for r in mine if r["tool"] == tool),
                                                key=lambda r: r["pair"]) if r.get("backend")]
        if any(waits):
            out.append(f"\n{tool} OpenMP wait per pair: {', '.join(waits)}")
    # Each pair trains both tools with its own seed: the accuracy column is a mean over seeds.
    for tool in tools:
        accs = [f"{r['test_accuracy']:.4f}" for r in sorted(
            (r for r in mine if r["tool"] == tool), key=lambda r: r["pair"])
            if r.get("test_accuracy") is not None]
        if accs:
            out.append(f"\n{tool} test accuracy per pair (seed 41 + pair): {', '.join(accs)}")


def iris_table(runs, profiles, out):
    mine = [r for r in runs if r["case"].startswith("iris")]
    if not mine:
        return
    out.append("\n### Iris 4-16-3, batch 16, 200 epochs (120 training rows: 1,600 steps)\n")
    out.append("| tool | whole process s | import+load s | per step us (epochs 2..200) | "
               "test/val acc | peak RSS MiB |")
    out.append("|---|---|---|---|---|---|")
    rows = sorted({(r["tool"], r["case"]) for r in mine},
                  key=lambda k: (TOOLS.index(k[0]) if k[0] in TOOLS else 99, k[1]))
    for tool, case in rows:
        rs = [r for r in mine if r["tool"] == tool and r["case"] == case]
        label = tool + ("" if case == "iris" else f" ({case[len('iris '):]})")
        wall = statistics.median(r["wall_seconds"] for r in rs)
        per_step = []
        for r in rs:
            epochs = later_epochs(r)
            steps_per_epoch = math.ceil(120 / 16)
            per_step.append(sum(epochs) / (len(epochs) * steps_per_epoch) * 1e6)
        setup = None
        if tool == "pytorch":
            setup = statistics.median(r["import_seconds"] + r["load_seconds"] for r in rs)
        accs = [r.get("test_accuracy") or r.get("val_accuracy") for r in rs]
        accs = [a for a in accs if a is not None]
        rss = max(r["peak_rss_kb"] for r in rs) / 1024
        # nnrun's metrics.csv seconds are written to 0.1 ms: too coarse for a 5-10 us step
        # (its step alone is measured below); PyTorch times its own loop to the nanosecond.
        step_cell = "-" if tool.startswith("nnrun") else f"{statistics.median(per_step):.1f}"
        out.append(f"| {label} | {wall:.3f} | {fmt(setup, '.3f')} | {step_cell} | "
                   f"{fmt(statistics.mean(accs) if accs else None, '.3f')} | {rss:.0f} |")
    steps = [p for p in profiles if p["case"] == "iris"]
    if steps:
        out.append("\nnnrun's training step alone (bench/step_profile: the same network and "
                   "optimizer on random data, 4,000 steps), median per pair: "
                   + ", ".join(f"{p['median_us']:.1f} us" for p in steps) + ".")
    out.append("\nnnrun's per-step column is empty: metrics.csv writes `seconds` (8 training "
               "steps plus a 30-row validation pass) to 0.1 ms, too coarse for a step of a few "
               "us; the step alone is measured above. nnrun's whole process includes reading "
               "the CSV and writing the checkpoints its config asks for. PyTorch's per-step "
               "time is training only; its accuracy is on its own 30 held-out rows.")


# Issue 7's targets. The RSS budget is in bytes: 2 x Fashion-MNIST's 70,000 images as float32
# (219.52 MB) + 150 MB = 589 MB = 561.7 MiB (ru_maxrss is in KiB: compare like with like).
FASHION_FLOAT_BYTES = 70000 * 784 * 4
RSS_BUDGET_BYTES = 2 * FASHION_FLOAT_BYTES + 150e6


def pair_medians(runs, case, tool):
    """{pair: that run's median epoch} for one tool in one case."""
    return {r["pair"]: statistics.median(later_epochs(r)) for r in runs
            if r["case"] == case and r["tool"] == tool}


def per_pair_ratio(a, b):
    """Median over the pairs both have of a[pair] / b[pair], or None."""
    ratios = [a[p] / b[p] for p in a if p in b]
    return statistics.median(ratios) if ratios else None


def mean_accuracy(runs, case, tool):
    accs = [r["test_accuracy"] for r in runs if r["case"] == case and r["tool"] == tool
            and r.get("test_accuracy") is not None]
    return statistics.mean(accs) if accs else None


def known(value, test):
    """test(value), or None when the value was not measured."""
    return None if value is None else test(value)


def targets_section(runs, peaks, profiles, out):
    """Each of issue 7's targets with the figure this run measured for it."""
    rows = []

    def row(name, value, met):
        """met: None when this run did not measure it (e.g. --quick, or no bf16 CPU)."""
        verdict = "-" if met is None else ("met" if met else "**not met**")
        rows.append(f"| {name} | {value} | {verdict} |")

    case = "fashion b128"
    nnrun, torch = pair_medians(runs, case, "nnrun"), pair_medians(runs, case, "pytorch")
    ratio = per_pair_ratio(nnrun, torch)
    row("1. epoch <= 0.30 x PyTorch (batch 128)", fmt(ratio, ".2f"), known(ratio, lambda v: v <= 0.30))
    bounds = {}
    for p in peaks:
        if p["batch"] == 128:
            bounds[p["pair"]] = min(bounds.get(p["pair"], math.inf), 469 * p["step_us"] * 1e-6)
    fraction = per_pair_ratio(bounds, nnrun)
    row("1. >= 75 % of the GEMM bound (batch 128)", fmt(fraction and 100 * fraction, ".0f") + " %",
        known(fraction, lambda v: v >= 0.75))
    acc, torch_acc = mean_accuracy(runs, case, "nnrun"), mean_accuracy(runs, case, "pytorch")
    gap = None if acc is None or torch_acc is None else 100 * abs(acc - torch_acc)
    row("1. test accuracy within 0.5 points of PyTorch", fmt(gap, ".2f") + " points",
        known(gap, lambda v: v <= 0.5))
    iris = [r["wall_seconds"] for r in runs if r["case"] == "iris" and r["tool"] == "nnrun"]
    wall = statistics.median(iris) if iris else None
    row("2. Iris whole process <= 0.1 s", fmt(wall, ".3f") + " s", known(wall, lambda v: v <= 0.1))
    steps = [p["median_us"] for p in profiles if p["case"] == "iris"]
    step = statistics.median(steps) if steps else None
    row("2. Iris training step <= 25 us", fmt(step, ".1f") + " us", known(step, lambda v: v <= 25))
    bf16 = per_pair_ratio(pair_medians(runs, case, "nnrun-bf16"), nnrun)
    row("3. bf16 epoch <= 0.4 x fp32 (batch 128)", fmt(bf16, ".2f"), known(bf16, lambda v: v <= 0.4))
    bf16_acc = mean_accuracy(runs, case, "nnrun-bf16")
    bf16_gap = None if acc is None or bf16_acc is None else 100 * abs(acc - bf16_acc)
    row("3. bf16 test accuracy within 0.5 points of fp32", fmt(bf16_gap, ".2f") + " points",
        known(bf16_gap, lambda v: v <= 0.5))
    rss = [r["peak_rss_kb"] * 1024 for r in runs
           if r["case"].startswith("fashion") and r["tool"].startswith("nnrun")
           and r.get("peak_rss_kb")]
    peak = max(rss) if rss else None
    row(f"4. peak RSS <= 2 x float32 data + 150 MB = {RSS_BUDGET_BYTES / 2**20:.1f} MiB",
        fmt(peak and peak / 2**20, ".0f") + " MiB", known(peak, lambda v: v <= RSS_BUDGET_BYTES))
    out.append("\n### Issue 7's targets, as this run measured them\n")
    out.append("| target | measured | |")
    out.append("|---|---|---|")
    out.extend(rows)


def table(results):
    runs, peaks, profiles = [], [], []
    with open(results) as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                kind = {"matmul_peak": peaks, "step_profile": profiles}
                kind.get(record["tool"], runs).append(record)
    out = []
    for batch in (128, 32, 512):
        fashion_table(runs, peaks, batch, out)
    iris_table(runs, profiles, out)
    targets_section(runs, peaks, profiles, out)
    out.append("\n" + __doc__.split("Definitions (printed under the tables too):\n", 1)[1])
    print("\n".join(out))


def main(argv):
    if len(argv) >= 2 and argv[1] == "table" and len(argv) == 3:
        table(argv[2])
    elif len(argv) in (6, 7) and argv[1] == "nnrun":
        print(json.dumps(nnrun_record(*argv[2:])))
    elif len(argv) == 6 and argv[1] == "torch":
        print(json.dumps(torch_record(*argv[2:])))
    elif len(argv) == 5 and argv[1] == "peak":
        print(json.dumps(peak_record(*argv[2:])))
    elif len(argv) == 5 and argv[1] == "profile":
        print(json.dumps(profile_record(*argv[2:])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
