"""Distances and paces in the viewer's unit system (the API itself is always SI)."""

from django import template

register = template.Library()

METRES_PER_MILE = 1609.344


def _imperial(unit_system: str | None) -> bool:
    return unit_system == "imperial"


@register.filter
def distance(metres, unit_system="metric"):
    """`12.3 km` or `7.6 mi` from metres; an em dash for None."""
    if metres is None:
        return "—"
    if _imperial(unit_system):
        return f"{metres / METRES_PER_MILE:.1f} mi"
    return f"{metres / 1000:.1f} km"


@register.filter
def km_distance(kilometres, unit_system="metric"):
    return distance(None if kilometres is None else kilometres * 1000, unit_system)


@register.filter
def pace(pace_per_km, unit_system="metric"):
    """A `M:SS` per-km pace shown per km or per mile."""
    if not pace_per_km:
        return "—"
    if not _imperial(unit_system):
        return f"{pace_per_km}/km"
    minutes, seconds = (int(part) for part in str(pace_per_km).split(":"))
    per_mile = round((minutes * 60 + seconds) * METRES_PER_MILE / 1000)
    return f"{per_mile // 60}:{per_mile % 60:02d}/mi"


@register.filter
def duration(seconds):
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@register.filter
def trend_arrow(current, previous):
    """▲ / ▼ / ▬ comparing this week's value with the one of 7 days earlier."""
    if current is None or previous is None:
        return ""
    if current > previous:
        return "▲"
    if current < previous:
        return "▼"
    return "▬"


@register.filter
def percent(value):
    return "—" if value is None else f"{round(value * 100)} %"


@register.filter
def speed(activity, unit_system="metric"):
    """Average speed of an activity payload (rides read better as speed than as pace)."""
    if not activity.get("distance") or not activity.get("duration"):
        return "—"
    metres_per_second = activity["distance"] / activity["duration"]
    if _imperial(unit_system):
        return f"{metres_per_second * 3600 / METRES_PER_MILE:.1f} mph"
    return f"{metres_per_second * 3.6:.1f} km/h"
