"""Shared code of the parameter-optimization course.

Computation (pure numpy, no drawing):
    data        data sets: a noisy line with a known ground truth, house prices, mini-batches
    costs       losses, costs and their gradients (squared loss, box and YOLO losses)
    landscape   cost landscapes over parameter grids, closed-form solutions
    surfaces    2-D test cost surfaces with gradients and known minima (``SURFACES``)
    optimizers  gradient descent, momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW
    schedules   learning-rate schedules (functions of the step)
    runs        optimization runs that record their whole history and stop at divergence

Drawing and interaction:
    style       the course's colours and figure style
    plots       static drawing helpers (each takes ``ax=None`` and returns what it drew)
    interactive the building blocks of the interactive figures (ipympl canvas + controls)
    progress    progress bars for long computations

Labs:
    checks      the exercise checks the labs call (``utils.checks.lab01`` ...)
    envcheck    the environment check of the course map
"""
