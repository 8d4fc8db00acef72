"""What stats announces; the LINE bot listens (wired in app.py) without stats importing it."""
from blinker import Namespace

_signals = Namespace()

#: The clock made a period's report. Sent with kind ("complaints" or "satisfaction"), period (its key,
#: e.g. "2568-03"), summary (a short Thai text with counts only) and link (the public page of the report).
report_published = _signals.signal("report-published")

#: A No Gift Policy notice is due to every staff member: kind ("checkin" or "festival"), key (the month asked
#: about, "YYYY-MM", or the festival and year) and text (Thai, no personal data). LINE pushes it to linked
#: staff; stats e-mails the others.
no_gift_notice = _signals.signal("no-gift-notice")
