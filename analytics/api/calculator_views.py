"""GET analytics/race_calculator: VDOT from one race, equivalent times and training paces."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics.api.calculator_serializers import RACE_CALCULATION
from analytics.metrics.vdot import equivalent_times, format_pace, training_paces, vdot_from_race
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.exceptions import invalid

MIN_DISTANCE_M, MAX_DISTANCE_M = 800, 100_000
MIN_TIME_S, MAX_TIME_S = 60, 24 * 3600
# Daniels' tables span VDOT 30–85; outside ~[15, 100] the race is not a plausible running effort.
MIN_VDOT, MAX_VDOT = 15.0, 100.0


def _number(params, name: str, low: float, high: float, unit: str) -> float:
    raw = params.get(name)
    if raw in (None, ""):
        raise invalid(name, f"{name} is required ({unit}).", "REQUIRED")
    try:
        value = float(raw)
    except ValueError:
        raise invalid(name, f"{name} must be a number of {unit}.") from None
    if not low <= value <= high:
        raise invalid(name, f"{name} must be between {low:g} and {high:g} {unit}.", "OUT_OF_RANGE")
    return value


class RaceCalculatorView(APIView):
    @extend_schema(
        tags=["analytics"],
        parameters=[
            OpenApiParameter(
                "distance",
                {"type": "number", "minimum": MIN_DISTANCE_M, "maximum": MAX_DISTANCE_M},
                required=True,
                description="Race distance in metres (800–100000)",
            ),
            OpenApiParameter(
                "time",
                {"type": "number", "minimum": MIN_TIME_S, "maximum": MAX_TIME_S},
                required=True,
                description="Race time in seconds (60–86400; with the distance, a VDOT of 15–100)",
            ),
        ],
        responses={200: envelope("RaceCalculator", RACE_CALCULATION), **errors(400, 401)},
    )
    def get(self, request):
        distance = _number(request.query_params, "distance", MIN_DISTANCE_M, MAX_DISTANCE_M, "metres")
        time_s = _number(request.query_params, "time", MIN_TIME_S, MAX_TIME_S, "seconds")
        vdot = vdot_from_race(distance, time_s)
        if not MIN_VDOT <= vdot <= MAX_VDOT:
            raise invalid(
                "time", f"That time gives VDOT {vdot:.1f}, outside a plausible running range.", "OUT_OF_RANGE"
            )
        return ok(
            {
                "distance": distance,
                "time": time_s,
                "vdot": round(vdot, 1),
                "equivalents": {name: round(seconds) for name, seconds in equivalent_times(vdot).items()},
                "training_paces": _formatted_paces(training_paces(vdot)),
            }
        )


def _formatted_paces(paces: dict) -> dict:
    """E stays a {fast, slow} range; M, T, I and R are single M:SS paces, as Daniels' table gives them."""
    fast, slow = paces["E"]
    return {"E": {"fast": format_pace(fast), "slow": format_pace(slow)}} | {
        zone: format_pace(paces[zone]) for zone in ("M", "T", "I", "R")
    }
