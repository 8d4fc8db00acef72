"""One module per dialog flow; importing the package registers every flow."""
from bot.flows import complaint, feedback, rating, tracking  # noqa: F401  (each registers itself)
