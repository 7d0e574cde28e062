"""The installation: one row, created with the database, that names this Astral deployment.

It lives in `astral/` (plumbing, depending on no app) because every app's shared-cache keys are
namespaced by it — accounts' login counters as much as analytics' cached answers.
"""

from django.db import models

SINGLETON_PK = 1


class Installation(models.Model):
    """The random id of this database's installation (`ins_<16 hex>`). A copy restored beside the
    original keeps it; `manage.py rotate_installation_id` gives the copy its own."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    installation_id = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=SINGLETON_PK), name="installation_singleton")]

    def __str__(self) -> str:
        return self.installation_id
