"""Speed of the interactive figures, measured on the kernel side (no browser needed).

For interactive figure 1 (``utils.fig_recover.RecoverGroundTruth``) it prints:

* the kernel time of a control change, from the callback to the frame ready for the browser (re-run training,
  update artists in place, render the changed layers, encode the changed pixels as PNG), median and 95th
  percentile over many changes of every kind of control;
* how those frames were made: rendered from scratch, with an axes rendered again for new limits or taken
  from the cache, or with only the data and run layers re-drawn (see ``utils.interactive.Layers``); as in a
  notebook, the axes' likely states are first rendered ahead of time (the kernel does it in its first idle
  moments after the figure appears), and the time that takes is printed;
* play: how many steps per second the kernel sustains while playing when *every* step is rendered
  (the Play widget asks for one step every 50 ms, i.e. 20 steps per second).

Usage::

    python scripts/bench_figures.py            # default: 200 control changes, 200 play steps
    python scripts/bench_figures.py --changes 500 --steps 500
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np


def stats(seconds) -> str:
    ms = 1e3 * np.asarray(seconds)
    return f"median {np.median(ms):6.2f} ms   p95 {np.percentile(ms, 95):6.2f} ms   max {ms.max():6.2f} ms   (n = {ms.size})"


def bench_recover(changes: int, steps: int, seed: int = 0) -> dict:
    from utils.fig_recover import RecoverGroundTruth

    app = RecoverGroundTruth(m=300, learning_rate=0.01, batch_size=1, seed=seed, steps=200)
    canvas = app.fig.canvas
    canvas.syncing_data_url = False     # what ipympl does once a browser view is connected: frames go out at once
    sent = []
    canvas.send_binary = sent.append    # no browser here: keep the frames instead of sending them
    start = time.perf_counter()
    canvas.draw()                       # first full render
    first = time.perf_counter() - start
    layers = app.layers
    # what the kernel does in its first idle moments after the figure appears: render the axes' other states
    start = time.perf_counter()
    warmed = layers.warm_up()
    warm_time = time.perf_counter() - start

    rng = np.random.default_rng(seed)
    actions = [
        ("learning rate (buttons)", lambda: setattr(app.lr_buttons, "value", [1e-4, 1e-2, 1e-1][rng.integers(3)])),
        ("learning rate (slider)", lambda: setattr(app.lr_slider, "index", int(rng.integers(20, 81)))),
        ("batch size (buttons)", lambda: setattr(app.batch_buttons, "value", [1, 24, "m"][rng.integers(3)])),
        ("batch size (free)", lambda: setattr(app.batch_text, "value", int(rng.integers(1, 300)))),
        ("shuffle", lambda: setattr(app.shuffle_box, "value", not app.shuffle_box.value)),
        ("click in the landscape", lambda: app.click(*rng.uniform(-5, 5, 2))),
        ("step button", lambda: app.step_button.click()),
        ("reset", lambda: app.reset()),
        ("training-set size", lambda: setattr(app.m_buttons, "value", [20, 300, 800][rng.integers(3)])),
        ("new data set", lambda: app.new_data_button.click()),
    ]
    per_kind = {name: [] for name, _ in actions}
    kinds = {"rendered from scratch": 0, "axes rendered for new limits": 0, "axes from the cache": 0,
             "layers only": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for k in range(changes):
            name, action = actions[k % len(actions)]
            if app.steps < 50 and name not in ("reset", "click in the landscape"):
                app.step(100)           # keep a path on screen, so changes re-run a real amount of work
            counters = ("full_renders", "cell_renders", "cached_renders", "layer_renders")
            before = [getattr(layers, c) for c in counters]
            start = time.perf_counter()
            action()
            per_kind[name].append(time.perf_counter() - start)
            for what, c, b in zip(kinds, counters, before):
                kinds[what] += getattr(layers, c) - b

        # play: one step per tick, every tick rendered
        app.set_batch_size(1)
        app.set_learning_rate(0.01)
        app.reset()
        play_total = []
        start_all = time.perf_counter()
        for _ in range(steps):
            t0 = time.perf_counter()
            app.play.value += 1
            play_total.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start_all

    all_changes = [t for times in per_kind.values() for t in times]
    print("Interactive figure 1 (recover the ground truth), kernel side: input -> frame ready for the browser")
    print(f"  control change                {stats(all_changes)}")
    for name, times in per_kind.items():
        if times:
            print(f"    {name:27s} {stats(times)}")
    print(f"  first frame (full render)     {1e3 * first:6.1f} ms; then, while idle, {warmed} axes states rendered "
          f"ahead of time, {1e3 * warm_time / max(warmed, 1):.1f} ms each")
    print("  frames: " + ", ".join(f"{n} {what}" for what, n in kinds.items()))
    sizes = np.array([len(b) for b in sent]) / 1024
    print(f"  PNG sent per frame: median {np.median(sizes):.0f} kB, max {sizes.max():.0f} kB")
    print(f"  play step (update + frame)    {stats(play_total)}")
    print(f"  play rate with every step rendered: {steps / elapsed:5.1f} steps/s "
          f"(the Play widget asks for 20 steps/s; 'steps per frame' 10 or 100 multiplies the rate)")
    if app.errors:
        print("  errors:", app.errors)
    return {"changes": all_changes, "play_rate": steps / elapsed, "frames": kinds}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=200, help="number of control changes")
    parser.add_argument("--steps", type=int, default=200, help="number of play steps")
    args = parser.parse_args(argv)
    bench_recover(args.changes, args.steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
