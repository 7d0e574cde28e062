"""Trailing means for chart trend lines."""


def trailing_mean(values: list[float | None], window: int) -> list[float | None]:
    """For each position i, the mean of the non-None values among values[i−window+1 … i]
    (fewer at the start); None when that slice has no value. Rounded to 2 decimals.
    `window` must be ≥ 1 (ValueError otherwise); the result has the length of `values`."""
    if window < 1:
        raise ValueError("window must be at least 1")
    means: list[float | None] = []
    for i in range(len(values)):
        present = [value for value in values[max(0, i - window + 1) : i + 1] if value is not None]
        means.append(round(sum(present) / len(present), 2) if present else None)
    return means
