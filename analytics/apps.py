from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.connections import server_connection_register
        from analytics import receivers  # noqa: F401  (connects the receivers of accounts' signals)
        from analytics.strava.disconnect import strava_disconnect

        # DELETE users/me/integrations/strava (an accounts endpoint) disconnects for real.
        server_connection_register("strava", disconnect=lambda user: strava_disconnect(user=user))
