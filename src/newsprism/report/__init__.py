"""report stage: a story's timeline, multi-source summary and coverage.

Use::

    from newsprism.report import report
    result = report(get_story(store, story_id), store=store)
    [e.label for e in result.timeline], [p.text for p in result.summary]
    print(json.dumps(result.to_dict()))

``newsprism story ID --report`` prints it (``--json`` for the plain-JSON form); the web
server's story page shows it (:func:`story_report` is the form it calls).
"""

from newsprism.report.base import ReportOptions
from newsprism.report.build import StoryReport, report, story_report
from newsprism.report.coverage import Coverage
from newsprism.report.summary import SummaryPoint
from newsprism.report.timeline import Mention, TimelineEvent

__all__ = [
    "Coverage",
    "Mention",
    "ReportOptions",
    "StoryReport",
    "SummaryPoint",
    "TimelineEvent",
    "report",
    "story_report",
]
