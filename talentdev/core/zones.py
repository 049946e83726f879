"""People's time zones for showing times, safe at the far ends of the calendar."""

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo


class ShownZone(tzinfo):
    """A person's time zone (a ZoneInfo in all but one respect): a stored time too close to
    the calendar's end to move into the zone (31 Dec 9999, 23:59 UTC in Singapore) stays in
    UTC instead of failing the page that shows it. Inputs are bounded to sane years; this
    covers what was stored before that, or by other means."""

    def __init__(self, key: str):
        self._zone = ZoneInfo(key)
        self.key = key

    def utcoffset(self, dt):
        return self._zone.utcoffset(dt)

    def dst(self, dt):
        return self._zone.dst(dt)

    def tzname(self, dt):
        return self._zone.tzname(dt)

    def fromutc(self, dt):
        try:
            return self._zone.fromutc(dt.replace(tzinfo=self._zone)).replace(tzinfo=self)
        except OverflowError:
            return dt.replace(tzinfo=UTC)

    def __eq__(self, other):
        return isinstance(other, ShownZone) and other.key == self.key

    def __hash__(self):
        return hash(self.key)

    def __reduce__(self):
        return (ShownZone, (self.key,))

    def __str__(self):
        return self.key

    def __repr__(self):
        return f"ShownZone({self.key!r})"
