"""Errors a service raises when it refuses to do something, with a message for the user."""


class ServiceError(Exception):
    """A request that breaks a rule; `str(error)` is safe to show to the user."""


class NotAllowed(ServiceError):
    """The acting user may not do this."""


class InvalidTransition(ServiceError):
    """The object is not in a state where this action makes sense."""
