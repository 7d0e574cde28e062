from astral.api.routing import endpoint
from plans.api import views

urlpatterns = [
    endpoint("plans", views.PlansView.as_view(), "plans"),
    endpoint("plans/<plan_id>", views.PlanView.as_view(), "plan"),
    endpoint("plans/<plan_id>/assign", views.PlanAssignView.as_view(), "plan-assign"),
    endpoint("goals/races", views.RaceGoalsView.as_view(), "race-goals"),
    endpoint("goals/races/<goal_id>", views.RaceGoalView.as_view(), "race-goal"),
]
