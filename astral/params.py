"""Query-parameter parsing shared by every endpoint (each bad value → 400 naming the parameter)."""

from astral.exceptions import InvalidInput

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
