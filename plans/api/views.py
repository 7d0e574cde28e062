"""Plans (coach templates and their assignment) and race goals."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.models import Role
from astral.api.auth import IsPerson
from astral.api.envelope import ok
from astral.api.schema import envelope, errors
from astral.exceptions import NotAllowed, NotFound
from astral.ids import is_public_id
from astral.local_time import resolve_zone, today_in
from astral.principals import is_api_key
from organizations import access
from organizations.models import Membership
from plans import selectors, services
from plans.api import serializers as s
from plans.models import RaceGoal
from plans.presentation import plan_instance_payload, plan_payload, race_goal_payload, workout_payload

PLAN_TAGS = ["plans"]
GOAL_TAGS = ["goals"]


def athlete_today(athlete):
    return today_in(resolve_zone({}, athlete))


def _require_coach_account(user) -> None:
    if is_api_key(user) or (user.role != Role.COACH and not user.is_superuser):
        raise NotAllowed("Only coaches and organization admins can manage plans.", "FORBIDDEN")


def _plan_or_404(plan_id: str):
    plan = selectors.plan_by_public_id(plan_id)
    if plan is None:
        raise NotFound(f"Plan '{plan_id}' not found.", "PLAN_NOT_FOUND")
    return plan


def _require_plan_staff(user, plan) -> None:
    if plan.organization is None:
        if not user.is_superuser:
            raise NotAllowed("This plan belongs to no organization you coach.", "FORBIDDEN")
        return
    access.require_org_staff(user, plan.organization)


class PlansView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=PLAN_TAGS,
        operation_id="plans_list",
        responses={200: envelope("PlanList", s.PlanSerializer(many=True)), **errors(401, 403)},
    )
    def get(self, request):
        _require_coach_account(request.user)
        return ok([plan_payload(plan) for plan in selectors.plans_for_staff(request.user)])

    @extend_schema(
        tags=PLAN_TAGS,
        request=s.PlanCreateSerializer,
        responses={201: envelope("PlanCreated", s.PlanDetailSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request):
        _require_coach_account(request.user)
        data = s.PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        org_id = fields.pop("org_id", None)
        if org_id:
            organization = access.organization_get(org_id)
        else:
            ids = access.staff_organization_ids(request.user)
            if not ids:
                raise NotAllowed("You are not a coach or admin of any organization.", "FORBIDDEN")
            organization = (
                Membership.objects.select_related("organization")
                .filter(user=request.user, organization_id=ids[0])
                .first()
                .organization
            )
        access.require_org_staff(request.user, organization)
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
        _require_coach_account(request.user)
        plan = _plan_or_404(plan_id)
        _require_plan_staff(request.user, plan)
        return ok(_plan_detail(plan))


class PlanAssignView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=PLAN_TAGS,
        request=s.PlanAssignSerializer,
        responses={201: envelope("PlanAssigned", s.PlanInstanceSerializer()), **errors(400, 401, 403, 404)},
    )
    def post(self, request, plan_id: str):
        _require_coach_account(request.user)
        plan = _plan_or_404(plan_id)
        _require_plan_staff(request.user, plan)
        data = s.PlanAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        athlete = access.user_get(data.validated_data["user_id"])
        in_org = (
            plan.organization_id
            and Membership.objects.filter(organization_id=plan.organization_id, user=athlete, active=True).exists()
        )
        if not in_org and not request.user.is_superuser:
            raise NotAllowed("The athlete is not a member of this plan's organization.", "FORBIDDEN")
        instance = services.plan_assign(
            plan=plan, athlete=athlete, start_date=data.validated_data["start_date"], assigned_by=request.user
        )
        return ok(plan_instance_payload(instance, athlete.public_id, athlete_today(athlete)), status=201)


def _goal_or_404(request, goal_id: str) -> RaceGoal:
    goal = None
    if is_public_id(goal_id, RaceGoal):
        goal = RaceGoal.objects.select_related("athlete").filter(public_id=goal_id).first()
    if goal is None:
        raise NotFound(f"Race goal '{goal_id}' not found.", "GOAL_NOT_FOUND")
    access.require_athlete_read(request.user, goal.athlete)
    return goal


class RaceGoalsView(APIView):
    @extend_schema(
        tags=GOAL_TAGS,
        operation_id="goals_races_list",
        parameters=[OpenApiParameter("user_id", str, description="A coach's athlete (default: the caller)")],
        responses={200: envelope("RaceGoalList", s.RaceGoalSerializer(many=True)), **errors(401, 403, 404)},
    )
    def get(self, request):
        athlete = access.athlete_for_request(request.user, request.query_params.get("user_id"))
        today = athlete_today(athlete)
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
        return ok(race_goal_payload(goal, athlete.public_id, athlete_today(athlete)), status=201)


class RaceGoalView(APIView):
    permission_classes = [IsPerson]

    @extend_schema(
        tags=GOAL_TAGS,
        request=s.RaceGoalInputSerializer,
        responses={200: envelope("RaceGoalUpdated", s.RaceGoalSerializer()), **errors(400, 401, 403, 404)},
    )
    def patch(self, request, goal_id: str):
        goal = _goal_or_404(request, goal_id)
        data = s.RaceGoalInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {key: value for key, value in data.validated_data.items() if key != "user_id"}
        goal = services.race_goal_update(goal=goal, changes=changes)
        return ok(race_goal_payload(goal, goal.athlete.public_id, athlete_today(goal.athlete)))

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
        goal = _goal_or_404(request, goal_id)
        public_id = goal.public_id
        services.race_goal_delete(goal=goal)
        return ok({"id": public_id, "deleted": True})
