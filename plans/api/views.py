"""Plans (coach templates and their assignment) and race goals."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.exceptions import NotAllowed
from astral.local_time import user_today
from organizations import access
from plans import access as plan_access
from plans import selectors, services
from plans.api import serializers as s
from plans.presentation import plan_instance_payload, plan_payload, race_goal_payload, workout_payload

PLAN_TAGS = ["plans"]
GOAL_TAGS = ["goals"]


class PlansView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=PLAN_TAGS,
        operation_id="plans_list",
        responses={200: envelope("PlanList", s.PlanSerializer(many=True)), **errors(401, 403)},
    )
    def get(self, request):
        plan_access.require_coach_account(request.user)
        return ok([plan_payload(plan) for plan in selectors.plans_for_staff(request.user)])

    @extend_schema(
        tags=PLAN_TAGS,
        request=s.PlanCreateSerializer,
        responses={201: envelope("PlanCreated", s.PlanDetailSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request):
        plan_access.require_coach_account(request.user)
        data = s.PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organization = access.organization_for(request.user, fields.pop("org_id", None), staff_only=True)
        plan = services.plan_create(creator=request.user, organization=organization, **fields)
        return ok(_plan_detail(plan), status=201)


def _plan_detail(plan) -> dict:
    workouts = list(plan.workouts.all())
    return {**plan_payload(plan, workout_count=len(workouts)), "workouts": [workout_payload(w) for w in workouts]}


class PlanView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=PLAN_TAGS, responses={200: envelope("PlanDetail", s.PlanDetailSerializer()), **errors(401, 403, 404)}
    )
    def get(self, request, plan_id: str):
        plan_access.require_coach_account(request.user)
        plan = plan_access.plan_get(plan_id)
        plan_access.require_plan_staff(request.user, plan)
        return ok(_plan_detail(plan))


class PlanAssignView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=PLAN_TAGS,
        request=s.PlanAssignSerializer,
        responses={201: envelope("PlanAssigned", s.PlanInstanceSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request, plan_id: str):
        plan_access.require_coach_account(request.user)
        plan = plan_access.plan_get(plan_id)
        plan_access.require_plan_staff(request.user, plan)
        data = s.PlanAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        athlete = access.user_get(data.validated_data["user_id"])
        plan_access.require_plan_athlete(request.user, plan, athlete)
        instance = services.plan_assign(
            plan=plan, athlete=athlete, start_date=data.validated_data["start_date"], assigned_by=request.user
        )
        return ok(plan_instance_payload(instance, athlete.public_id, user_today(athlete)), status=201)


class RaceGoalsView(APIView):
    @extend_schema(
        tags=GOAL_TAGS,
        operation_id="goals_races_list",
        parameters=[OpenApiParameter("user_id", str, description="A coach's athlete (default: the caller)")],
        responses={200: envelope("RaceGoalList", s.RaceGoalSerializer(many=True)), **errors(401, 403, 404)},
    )
    def get(self, request):
        athlete = access.athlete_for_request(request.user, request.query_params.get("user_id"))
        today = user_today(athlete)
        return ok([race_goal_payload(goal, athlete.public_id, today) for goal in selectors.race_goals_of(athlete)])

    @extend_schema(
        tags=GOAL_TAGS,
        request=s.RaceGoalInputSerializer,
        responses={201: envelope("RaceGoalCreated", s.RaceGoalSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request):
        if not IsPerson().has_permission(request, self):
            raise NotAllowed(IsPerson.message, "FORBIDDEN")
        data = s.RaceGoalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        athlete = access.athlete_for_request(request.user, fields.pop("user_id", None))
        goal = services.race_goal_create(athlete=athlete, fields=fields)
        return ok(race_goal_payload(goal, athlete.public_id, user_today(athlete)), status=201)


class RaceGoalView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=GOAL_TAGS,
        request=s.RaceGoalInputSerializer,
        responses={200: envelope("RaceGoalUpdated", s.RaceGoalSerializer()), **errors(400, 401, 403, 404)},
    )
    def patch(self, request, goal_id: str):
        goal = plan_access.race_goal_for(request.user, goal_id)
        data = s.RaceGoalInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {key: value for key, value in data.validated_data.items() if key != "user_id"}
        goal = services.race_goal_update(goal=goal, changes=changes)
        return ok(race_goal_payload(goal, goal.athlete.public_id, user_today(goal.athlete)))

    @extend_schema(
        tags=GOAL_TAGS,
        request=None,
        responses={
            200: envelope(
                "RaceGoalDeleted",
                inline_serializer(
                    "DeletedRaceGoal", {"id": serializers.CharField(), "deleted": serializers.BooleanField()}
                ),
            ),
            **errors(401, 403, 404),
        },
    )
    def delete(self, request, goal_id: str):
        goal = plan_access.race_goal_for(request.user, goal_id)
        public_id = goal.public_id
        services.race_goal_delete(goal=goal)
        return ok({"id": public_id, "deleted": True})
