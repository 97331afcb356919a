"""One small exception tree. Every error here reaches the user as one line and exit code 2."""

# The exit codes every command shares: all well, something needs a look, bad input, a bug.
EXIT_OK, EXIT_ATTENTION, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class ChaptersError(Exception):
    """Base: a problem the user can fix (bad input, usage). The CLI prints it and exits 2."""

    exit_code = EXIT_BAD_INPUT


class InputError(ChaptersError):
    """A file we were given is missing, unreadable or not what it claims to be."""


class ShownotesError(InputError):
    """The shownotes have no usable chapter list."""


class AudioError(InputError):
    """The audio cannot be decoded as MP3."""


class ModelError(ChaptersError):
    """The speech model is missing, incomplete or does not match its checksum."""


class TagError(ChaptersError):
    """The chapters cannot be written as a valid ID3 tag (too many chapters, empty title, …)."""


class OutputError(ChaptersError):
    """An output could not be written (read-only folder, full disk, file locked)."""
