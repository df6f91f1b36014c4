"""A synthetic street picture with one car, and bounding boxes drawn on it (module 1, example 2).

The picture is generated with numpy (no download): sky, road, a car-like shape (body, cabin, windows,
wheels). :func:`car_scene` returns the image and the ground-truth box of the car; :func:`draw_box`
draws a centre-format box on an image axes.

Boxes are ``(x_centre, y_centre, width, height)``. :func:`car_scene` gives them in pixels;
:func:`to_fractions` converts them to fractions of the image size, the units YOLO uses (every
coordinate between 0 and 1), so that losses do not depend on the picture's resolution.
"""

from __future__ import annotations

import numpy as np

__all__ = ["car_scene", "to_fractions", "to_pixels", "draw_box", "PREDICTED_BOXES"]


def _fill_rect(img, x0, y0, x1, y1, colour):
    img[int(y0):int(y1), int(x0):int(x1)] = colour


def _fill_disc(img, cx, cy, r, colour):
    yy, xx = np.mgrid[0:img.shape[0], 0:img.shape[1]]
    img[(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] = colour


def car_scene(height=240, width=360, *, car_centre=(150.0, 160.0), car_width=150.0, noise=0.0, seed=0):
    r"""A street picture with one car and the car's ground-truth box.

    Parameters
    ----------
    height, width : int
        Image size in pixels (at least 60 × 90).
    car_centre : (float, float)
        Centre (x, y) of the car in pixels (x to the right, y downwards, as in images).
    car_width : float
        Width of the car in pixels; its height is about 0.47 of its width.
    noise : float, default=0.0
        Standard deviation of pixel noise (0 keeps the picture small as a PNG).
    seed : int
        Seed of the pixel noise (the picture is deterministic for a given seed).

    Returns
    -------
    image : ndarray of shape (height, width, 3), floats in [0, 1]
    box : ndarray of shape (4,)
        The tight box around the car, ``(x_centre, y_centre, width, height)`` in pixels.
    """
    if not (isinstance(height, (int, np.integer)) and isinstance(width, (int, np.integer))
            and height >= 60 and width >= 90):
        raise ValueError(f"height and width must be integers >= 60 and >= 90, got {height!r} and {width!r}")
    if car_width <= 0:
        raise ValueError(f"car_width must be > 0, got {car_width!r}")
    rng = np.random.default_rng(seed)
    img = np.empty((height, width, 3))
    horizon = int(0.55 * height)
    t = np.linspace(0, 1, horizon)[:, None]
    img[:horizon] = (1 - t)[..., None] * np.array([0.55, 0.75, 0.95]) + t[..., None] * np.array([0.85, 0.92, 0.98])
    img[horizon:] = np.array([0.42, 0.42, 0.45])                      # road
    _fill_rect(img, 0, horizon, width, horizon + 4, (0.3, 0.55, 0.3))   # grass verge
    for x0 in range(0, width, 60):                                      # lane marks
        _fill_rect(img, x0 + 10, int(0.85 * height), x0 + 40, int(0.85 * height) + 4, (0.95, 0.95, 0.9))

    cx, cy = car_centre
    w = float(car_width)
    body_h = 0.22 * w
    wheel_r = 0.11 * w
    cabin_h = 0.17 * w
    body_top = cy - 0.235 * w + cabin_h
    body_bottom = body_top + body_h
    left, right = cx - w / 2, cx + w / 2
    body = (0.93, 0.76, 0.18)
    _fill_rect(img, left, body_top, right, body_bottom, body)
    # cabin: a trapezoid, narrower at the top
    for row in range(int(body_top - cabin_h), int(body_top)):
        f = (body_top - row) / cabin_h                 # 1 at the top, 0 at the bottom
        c0 = left + 0.22 * w + 0.10 * w * f
        c1 = right - 0.25 * w - 0.08 * w * f
        _fill_rect(img, c0, row, c1, row + 1, body)
        if 0.15 < f < 0.85:
            _fill_rect(img, c0 + 0.04 * w, row, cx - 0.01 * w, row + 1, (0.70, 0.85, 0.95))
            _fill_rect(img, cx + 0.02 * w, row, c1 - 0.04 * w, row + 1, (0.70, 0.85, 0.95))
    _fill_rect(img, right - 0.05 * w, body_top + 0.2 * body_h, right, body_top + 0.45 * body_h, (1.0, 1.0, 0.85))
    for wx in (left + 0.22 * w, right - 0.22 * w):
        _fill_disc(img, wx, body_bottom, wheel_r, (0.1, 0.1, 0.1))
        _fill_disc(img, wx, body_bottom, 0.45 * wheel_r, (0.7, 0.7, 0.7))
    if noise > 0:
        img += rng.normal(0.0, noise, size=img.shape)
    img = np.clip(img, 0.0, 1.0)

    top = body_top - cabin_h
    bottom = body_bottom + wheel_r
    box = np.array([(left + right) / 2, (top + bottom) / 2, right - left, bottom - top])
    return img, box


def to_fractions(box, image_shape):
    """A pixel box ``(x, y, w, h)`` as fractions of the image width and height (YOLO's units)."""
    h, w = image_shape[:2]
    return np.asarray(box, dtype=float) / np.array([w, h, w, h], dtype=float)


def to_pixels(box, image_shape):
    """The inverse of :func:`to_fractions`."""
    h, w = image_shape[:2]
    return np.asarray(box, dtype=float) * np.array([w, h, w, h], dtype=float)


#: Predictions of the car's box used in the notebook, as offsets from the ground truth, in pixels:
#: (name, dx, dy, dw, dh).
PREDICTED_BOXES = (
    ("A: close", 6.0, -4.0, 10.0, 6.0),
    ("B: shifted", 45.0, 10.0, 0.0, 0.0),
    ("C: too big", 0.0, -5.0, 80.0, 50.0),
    ("D: too small", -5.0, 5.0, -80.0, -40.0),
)


def draw_box(box, ax=None, color="tab:red", label=None, linestyle="-", linewidth=2.5, text=None):
    """Draw a centre-format box ``(x, y, w, h)`` (pixels) on an image axes; returns the Rectangle.

    ``text`` is written in the box's upper-left corner.
    """
    from matplotlib.patches import Rectangle

    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    x, y, w, h = (float(v) for v in box)
    rect = Rectangle((x - w / 2, y - h / 2), w, h, fill=False, edgecolor=color, linewidth=linewidth,
                     linestyle=linestyle, label=label, zorder=3)
    ax.add_patch(rect)
    if text:
        ax.text(x - w / 2 + 2, y - h / 2 - 3, text, color=color, fontsize=11, fontweight="bold",
                va="bottom", ha="left", zorder=4,
                bbox=dict(facecolor="white", alpha=0.7, edgecolor="none", pad=1))
    return rect
