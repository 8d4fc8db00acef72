"""General feedback counted for reports: by topic and channel, and how much is handled, from plain metadata."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from models import Feedback, db
from stats.fiscal import Period


@dataclass
class FeedbackCounts:
    """How much feedback a period received, by topic and channel, and how much of it is handled."""

    received: int = 0
    handled: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)


def feedback_counts(period: Period) -> FeedbackCounts:
    """Count the feedback received in a period; nothing is decrypted to count."""
    start, end = period.bounds_utc()
    handled = func.sum(case((Feedback.handled_at.is_not(None), 1), else_=0))
    counts = FeedbackCounts()
    query = (select(Feedback.topic, Feedback.channel, func.count(), handled)
             .where(Feedback.created_at >= start, Feedback.created_at < end)
             .group_by(Feedback.topic, Feedback.channel))
    for topic, channel, count, done in db.session.execute(query):
        counts.received += count
        counts.handled += done or 0
        counts.by_topic[topic] = counts.by_topic.get(topic, 0) + count
        counts.by_channel[channel] = counts.by_channel.get(channel, 0) + count
    return counts
