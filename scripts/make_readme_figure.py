"""Render the README's picture: interactive figure 1 after a short training run (docs/recover_ground_truth.png)."""

from pathlib import Path

from utils.fig_recover import RecoverGroundTruth
from utils.style import use_course_style

ROOT = Path(__file__).resolve().parent.parent


def main():
    use_course_style()
    app = RecoverGroundTruth(m=300, learning_rate=0.01, batch_size=24, init=(-4.0, 4.0), seed=0)
    app.step(150)
    target = ROOT / "docs" / "recover_ground_truth.png"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(app.snapshot_png())
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
