"""Reads for analytics. `records`: activities and wellness rows; `snapshot_inputs`: everything
a metrics snapshot needs for a batch of athletes, aggregated in SQL."""

from analytics.selectors.records import activities_of, activity_by_public_id, wellness_of

__all__ = ["activities_of", "activity_by_public_id", "wellness_of"]
