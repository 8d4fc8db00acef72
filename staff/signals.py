"""What the staff console announces; the LINE bot listens (wired in app.py) without staff importing it."""
from blinker import Namespace

_signals = Namespace()

#: A reader was certified or revoked. Sent with text (a Thai sentence naming the accounts, never case
#: content) and line_users (the linked LINE user ids of every reader, to push the news to each).
reader_changed = _signals.signal("reader-changed")
