"""The one exception type users see: a message, and the exit status it means."""


class KbError(Exception):
    """An error with a message fit for a person. ``status`` is the exit code
    the command line uses: 1 for "not found"/"errors found", 2 for usage."""

    status = 1

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class UsageError(KbError):
    status = 2
