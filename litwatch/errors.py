"""Every failure a user can cause, as a named exception with a message that says what to do.

The core raises these; the CLI turns each into one line `Error: ...` and an exit code.
"""


class LitwatchError(Exception):
    """Base of all errors litwatch reports to the user."""

    exit_code = 1


class ConfigError(LitwatchError):
    """A setting is missing or invalid (email, API key, paths)."""

    exit_code = 2


class QueryFileError(LitwatchError):
    """A saved-search file is malformed."""

    exit_code = 2


class QuerySyntaxError(LitwatchError):
    """A PubMed search term cannot be evaluated locally."""

    exit_code = 2


class InputFileError(LitwatchError):
    """A file given to import cannot be read or parsed."""

    exit_code = 2


class SearchFailedError(LitwatchError):
    """PubMed answered a search with an error or warning (bad syntax, phrase not found)."""


class NetworkError(LitwatchError):
    """E-utilities could not be reached or kept failing until the retry budget ran out."""


class StoreError(LitwatchError):
    """The database cannot be opened, is of the wrong kind, or is too new for this version."""


class NoDatabaseError(LitwatchError):
    """A command that reads was pointed at a database that does not exist or is empty."""

    exit_code = 2


class Terminated(BaseException):
    """SIGTERM (a cron or systemd stop), raised where the process is, like KeyboardInterrupt:
    no `except Exception` swallows it, and open transactions roll back as it passes."""


class RunInterrupted(LitwatchError):
    """A run or import stopped by Ctrl-C or SIGTERM; what it stored is kept."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class OutputError(LitwatchError):
    """An output file cannot be written (a folder, a read-only place, a full disk)."""

    exit_code = 2
