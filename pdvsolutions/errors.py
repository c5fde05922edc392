"""Domain errors: raised by services with a message a person can read, turned into a flash."""


class DomainError(Exception):
    """A business rule refused the action; ``message`` is already translated (lazy)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        #: Name of the form field the message belongs to, when there is one.
        self.field = field


class NotAllowed(DomainError):
    """The acting user may not do this."""
