"""The course's colours and figure style, so that a colour means the same thing in every figure."""

GROUND_TRUTH = "tab:blue"   # the line / parameters the data were generated from
MODEL = "tab:red"           # the model being trained, its parameters and its path
DATA = "0.35"               # data points
OPTIMUM = "tab:green"       # the data set's own optimum (closed form)
START = "black"             # a starting point (initialization)
RESIDUAL = "tab:orange"     # residuals / losses of single examples
COST_CMAP = "viridis"       # cost landscapes (dark = low cost)

OPTIMIZER_COLORS = {
    "sgd": "tab:red",
    "momentum": "tab:purple",
    "nesterov": "tab:pink",
    "adagrad": "tab:brown",
    "rmsprop": "tab:orange",
    "adam": "tab:cyan",
    "adamw": "tab:olive",
}

COURSE_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "figure.constrained_layout.use": True,
}


def use_course_style():
    """Apply the course's matplotlib settings (large fonts, light grid) to every later figure."""
    import matplotlib as mpl

    mpl.rcParams.update(COURSE_RC)
