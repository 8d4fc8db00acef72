"""What stats announces; the LINE bot listens (wired in app.py) without stats importing it."""
from blinker import Namespace

_signals = Namespace()

#: The clock made a period's report. Sent with kind ("complaints" or "satisfaction"), period (its key,
#: e.g. "2568-03"), summary (a short Thai text with counts only) and link (the public page of the report).
report_published = _signals.signal("report-published")
