"""Median wall-clock times of the computation core (not a test; numbers depend on the machine).

Usage: .venv/bin/python scripts/bench_core.py [--repeat N]

Targets (issue 3): surface_grid 200x200, linear_cost_grid 200x200 with m = 100,000, and a 1,000-step
run_on_surface, each well under 50 ms.
"""
import argparse
import statistics
import time

import numpy as np

from utils.data import make_linear_data
from utils.landscape import linear_cost_grid, surface_grid
from utils.optimizers import OPTIMIZERS
from utils.runs import run_on_surface, train_linear
from utils.surfaces import SURFACES

TARGET_MS = 50.0


def timed_ms(fn, repeat):
    """(median, min) wall time in ms over ``repeat`` calls after a warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times), 1e3 * min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    repeat = parser.parse_args().repeat

    rows = []
    for name in ("himmelblau", "rosenbrock", "goldstein_price", "rastrigin"):
        rows.append((f"surface_grid 200x200 {name}", timed_ms(lambda: surface_grid(SURFACES[name], n=200), repeat),
                     TARGET_MS))
    d = make_linear_data(100_000, seed=0)
    b = w = np.linspace(-5, 5, 200)
    rows.append(("linear_cost_grid 200x200, m=100,000", timed_ms(lambda: linear_cost_grid(d.x, d.y, b, w), repeat),
                 TARGET_MS))
    for surface, lr in (("himmelblau", 1e-3), ("rosenbrock", 1e-4), ("goldstein_price", 1e-5)):
        for name, factory in OPTIMIZERS.items():
            opt = factory(learning_rate=lr)
            run = run_on_surface(SURFACES[surface], opt, steps=1000)
            assert run.steps == 1000, f"{surface} {name}: {run.message}"      # time full runs only
            rows.append((f"run_on_surface 1000 steps {surface} {name}",
                         timed_ms(lambda: run_on_surface(SURFACES[surface], opt, steps=1000), repeat), TARGET_MS))
    rows.append(("run_on_surface 1000 steps himmelblau adam noise=1",
                 timed_ms(lambda: run_on_surface(SURFACES["himmelblau"], OPTIMIZERS["adam"](0.01), steps=1000,
                                                  noise=1.0, seed=0), repeat), TARGET_MS))
    small = make_linear_data(300, seed=0)
    rows.append(("train_linear m=300 batch 1, 10 epochs (3000 steps)",
                 timed_ms(lambda: train_linear(small.x, small.y, 0.01, batch_size=1, epochs=10), max(3, repeat // 4)),
                 None))

    width = max(len(r[0]) for r in rows)
    print(f"{'computation':<{width}}  {'median ms':>9}  {'min ms':>7}  target {TARGET_MS:g} ms")
    print("-" * (width + 35))
    for label, (median, best), target in rows:
        verdict = "" if target is None else ("ok" if median < target else "SLOW")
        print(f"{label:<{width}}  {median:9.2f}  {best:7.2f}  {verdict}")


if __name__ == "__main__":
    main()
