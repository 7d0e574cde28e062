"""OpenAPI shapes of the Group Dashboard answers (documentation only: the selectors build the
plain dicts). Names start with `Dashboard` so no component collides with another endpoint's."""

from rest_framework import serializers

ENGAGEMENT_HELP = "Members with at least one activity ÷ members, 0–1 with 3 decimals; null without members"


class DashboardMatrixMemberSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    display_name = serializers.CharField()
    days = serializers.ListField(
        child=serializers.FloatField(), min_length=7, max_length=7, help_text="Daily distance (m), Monday first"
    )
    total_distance = serializers.FloatField(help_text="metres")
    activities = serializers.IntegerField()


class DashboardOverviewSerializer(serializers.Serializer):
    org_id = serializers.CharField()
    group_id = serializers.CharField(allow_null=True, help_text="null: the organization's active athletes")
    name = serializers.CharField(help_text="The group's name, or the organization's")
    week_start = serializers.DateField(help_text="Monday of the ISO week (local)")
    week_end = serializers.DateField(help_text="Sunday of the ISO week (local)")
    timezone = serializers.CharField(help_text="The zone the local days are in")
    total_distance = serializers.FloatField(help_text="metres, all sports")
    total_activities = serializers.IntegerField()
    active_athletes = serializers.IntegerField(help_text="Members with at least one activity")
    total_athletes = serializers.IntegerField(help_text="Members")
    engagement_rate = serializers.FloatField(allow_null=True, help_text=ENGAGEMENT_HELP)
    group_insight = serializers.CharField()
    member_matrix = DashboardMatrixMemberSerializer(many=True, help_text="Top 20 members by distance")


class DashboardWindowFields(serializers.Serializer):
    # "from" is a Python keyword: declared through the fields mapping below.
    to = serializers.DateField(help_text="Last local day (inclusive)")
    period = serializers.IntegerField(allow_null=True, help_text="7, 14 or 30; null for from/to")
    days = serializers.IntegerField(help_text="Number of local days in the window")

    def get_fields(self):
        fields = super().get_fields()
        return {"from": serializers.DateField(help_text="First local day (inclusive)"), **fields}


class DashboardGroupRowSerializer(serializers.Serializer):
    group_id = serializers.CharField()
    name = serializers.CharField()
    member_count = serializers.IntegerField()
    total_distance = serializers.FloatField(help_text="metres")
    total_activities = serializers.IntegerField()
    active_athletes = serializers.IntegerField()
    engagement_rate = serializers.FloatField(allow_null=True, help_text=ENGAGEMENT_HELP)


class DashboardGroupsSerializer(DashboardWindowFields):
    org_id = serializers.CharField()
    timezone = serializers.CharField()
    groups = DashboardGroupRowSerializer(many=True)


class DashboardGroupTotalsSerializer(serializers.Serializer):
    distance = serializers.FloatField(help_text="metres")
    activities = serializers.IntegerField()
    duration = serializers.FloatField(help_text="seconds")
    training_load = serializers.FloatField()
    active_athletes = serializers.IntegerField()
    member_count = serializers.IntegerField()
    engagement_rate = serializers.FloatField(allow_null=True, help_text=ENGAGEMENT_HELP)


class DashboardDailyPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    distance = serializers.FloatField(help_text="metres")
    activities = serializers.IntegerField()


class DashboardGroupMemberSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    display_name = serializers.CharField()
    distance = serializers.FloatField(help_text="metres")
    activities = serializers.IntegerField()
    duration = serializers.FloatField(help_text="seconds")
    training_load = serializers.FloatField()
    last_activity_date = serializers.DateField(allow_null=True, help_text="Local date, on or before `to`")


class DashboardGroupDetailSerializer(DashboardWindowFields):
    group_id = serializers.CharField()
    name = serializers.CharField()
    timezone = serializers.CharField()
    totals = DashboardGroupTotalsSerializer()
    daily = DashboardDailyPointSerializer(many=True, help_text="One point per local day, zeros included")
    members = DashboardGroupMemberSerializer(many=True, help_text="By distance, largest first")


class DashboardPlanSummarySerializer(serializers.Serializer):
    plan_id = serializers.CharField()
    name = serializers.CharField()
    total_weeks = serializers.IntegerField()
    athletes = serializers.IntegerField(help_text="Active instances of the plan")
    avg_current_week = serializers.FloatField(allow_null=True)
    avg_compliance = serializers.FloatField(allow_null=True)


class DashboardGroupPlansSerializer(serializers.Serializer):
    group_id = serializers.CharField()
    name = serializers.CharField()
    athletes_on_plans = serializers.IntegerField()
    avg_progress = serializers.FloatField(allow_null=True, help_text="Mean of current_week ÷ total_weeks")
    avg_compliance = serializers.FloatField(allow_null=True)


class DashboardAthletePlanSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    display_name = serializers.CharField()
    plan_instance_id = serializers.CharField()
    plan_id = serializers.CharField()
    plan_name = serializers.CharField()
    start_date = serializers.DateField()
    current_week = serializers.IntegerField()
    total_weeks = serializers.IntegerField()
    progress = serializers.FloatField(help_text="current_week ÷ total_weeks, 3 decimals")
    completed = serializers.IntegerField(help_text="Planned workouts done (same local day and type family)")
    planned = serializers.IntegerField(help_text="Planned workouts to date, rest days excluded")
    compliance = serializers.FloatField(allow_null=True, help_text="completed ÷ planned; null while none is due")


class DashboardPlansSerializer(serializers.Serializer):
    org_id = serializers.CharField()
    plans = DashboardPlanSummarySerializer(many=True)
    groups = DashboardGroupPlansSerializer(many=True)
    athletes = DashboardAthletePlanSerializer(many=True)
