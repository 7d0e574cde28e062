"""GET analytics/athlete_profile: the athlete detail page in one request."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics.api.profile_serializers import AthleteProfileSerializer
from analytics.cache import PROFILE_TTL, athlete_key, cached, x_cache
from analytics.presentation import athlete_profile_payload
from analytics.selectors.profile import athlete_profile_rows
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.exceptions import InvalidInput
from astral.local_time import today_in, user_zone
from astral.params import bool_param
from organizations import access


class AthleteProfileView(APIView):
    @extend_schema(
        tags=["analytics"],
        parameters=[
            OpenApiParameter("user_id", str, required=True, description="The athlete's user ID"),
            OpenApiParameter("refresh", bool, description="Recompute the metrics before answering"),
        ],
        responses={200: envelope("AthleteProfile", AthleteProfileSerializer()), **errors(400, 401, 403, 404)},
    )
    def get(self, request):
        user_id = request.query_params.get("user_id")
        if not user_id:
            raise InvalidInput("user_id is required.", "REQUIRED", field="user_id")
        athlete = access.athlete_for_request(request.user, user_id)
        force = bool(bool_param(request.query_params, "refresh"))
        # The athlete's local date is part of the key: a new day means new weekly numbers.
        key = athlete_key("athlete_profile", athlete, {"day": today_in(user_zone(athlete)).isoformat()})
        data, hit = cached(
            key, PROFILE_TTL, lambda: athlete_profile_payload(athlete_profile_rows(athlete, force=force)), bypass=force
        )
        return ok(data, headers=x_cache(hit))
