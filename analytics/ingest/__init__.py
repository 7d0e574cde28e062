"""Activity import: FIT, GPX and TCX bytes → ParsedActivity. Pure Python, no Django.

from analytics.ingest import InvalidActivityFile, parse_activity_file

try:
    activity = parse_activity_file(uploaded.read())
except InvalidActivityFile as error:
    ...  # 400 with error.message, details.code = error.code
"""

from analytics.ingest.parse import parse_activity_file
from analytics.ingest.types import SPORTS, InvalidActivityFile, ParsedActivity, Sample

__all__ = ["SPORTS", "InvalidActivityFile", "ParsedActivity", "Sample", "parse_activity_file"]
