"""One small exception tree. Every error here reaches the user as one line and exit code 2."""


class ChaptersError(Exception):
    """Base: a problem the user can fix (bad input, usage). The CLI prints it and exits 2."""

    exit_code = 2


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
