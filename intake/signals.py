"""What intake announces; adapters (the LINE bot, e-mail) listen without intake knowing them."""
from blinker import Namespace

_signals = Namespace()

#: A complaint was filed. Sent with complaint_id, channel and received_at: never content.
complaint_filed = _signals.signal("complaint-filed")

#: A complaint's status changed. Sent with complaint_id, status (ComplaintStatus), reply (the text meant
#: for the citizen, or ""), and line_user (the filer's LINE user id when they asked for updates, else "").
#: The plaintext exists only in memory, opened by the officer who made the change.
complaint_status_changed = _signals.signal("complaint-status-changed")

#: A staff member's LINE link ended (they unlinked, or their account was removed). Sent with line_user
#: (the LINE user id it had), so the bot can give back the citizens' rich menu.
staff_line_unlinked = _signals.signal("staff-line-unlinked")
#: The complainant added a message or evidence behind their tracking code. Sent with complaint_id only.
complaint_followed_up = _signals.signal("complaint-followed-up")
