"""Query-parameter parsing shared by every endpoint (each bad value → 400 naming the parameter)."""

from astral.exceptions import InvalidInput, invalid

TRUE_VALUES = ("1", "true", "yes")
FALSE_VALUES = ("0", "false", "no")


def bool_param(params, name: str) -> bool | None:
    """`true/false/1/0/yes/no` (any case) → bool; absent or empty → None; anything else → 400."""
    raw = (params.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in TRUE_VALUES:
        return True
    if raw in FALSE_VALUES:
        return False
    raise InvalidInput(f"{name} must be true or false.", "INVALID", field=name)


def choice_param(params, name: str, choices: tuple[str, ...], default: str | None = None) -> str:
    """One of `choices`; absent → `default`, or 400 REQUIRED when there is none."""
    raw = params.get(name)
    if raw in (None, ""):
        if default is None:
            raise invalid(name, f"{name} is required.", "REQUIRED")
        return default
    if raw not in choices:
        raise invalid(name, f"{name} must be one of {', '.join(choices)}.", "INVALID_CHOICE")
    return raw


def int_param(
    params,
    name: str,
    default: int,
    minimum: int,
    maximum: int | None = None,
    *,
    min_code: str = "MIN_VALUE",
    max_code: str = "MAX_VALUE",
) -> int:
    """A whole number within [minimum, maximum]; absent or empty → `default`."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid(name, f"{name} must be an integer.") from None
    if value < minimum:
        raise invalid(name, f"{name} must be at least {minimum}.", min_code)
    if maximum is not None and value > maximum:
        raise invalid(name, f"{name} must be at most {maximum}.", max_code)
    return value


ANSWER_FORMATS = ("json", "csv")


def format_param(params) -> str:
    """`format`: `json` (absent or empty too) or `csv`; anything else → 400 INVALID_CHOICE."""
    return choice_param(params, "format", ANSWER_FORMATS, default="json")
