"""The one exception root of the booth agent."""


class BoothError(Exception):
    """Something the booth cannot do, with a message fit for a technician."""


class SpoolFull(BoothError):
    """The spool's disk budget is used up; the booth goes out of order rather than drop clips."""


class SpoolCorrupt(BoothError):
    """A spooled clip cannot be read back."""


class AudioDeviceError(BoothError):
    """The sound card is missing or failed."""
