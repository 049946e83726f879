"""kombu's Redis transport, fixed so that a worker lives through a broker restart.

When Redis goes away under a worker holding an unacknowledged message (a late-ack task
running, a countdown waiting, a message reserved), kombu 5.7 closes the worker's channel
twice. The first close reads the reply of the BRPOP in flight, gets the connection error
and raises it before the channel counts as closed; the connection then forgets its
transport's client, and the second close, trying to put the unacknowledged messages back
on the queue, builds its connection from that missing client and raises AttributeError
("'NoneType' object has no attribute 'hostname'"). That is not a connection error, so the
worker takes it as fatal and exits for good.

Here the close takes a dead socket for what it is (nothing left to read) and finishes.
Messages it cannot put back while the broker is down stay in Redis's unacked set, and the
first channel that connects again puts them back at once, rather than after the
visibility timeout. Putting back is a Redis transaction on that set, so a message another
worker put back already is not duplicated.
"""

import logging
import threading

from kombu.transport import redis
from kombu.transport.virtual import Empty
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Delivery tags a closing channel could not put back, by the unacked hash they live in.
_unrestored: dict[str, set[str]] = {}
_lock = threading.Lock()


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        try:
            super().restore_unacked(client)
        except self.channel.connection_errors:
            with _lock:
                _unrestored.setdefault(self.unacked_key, set()).update(self._delivered)
            logger.warning(
                "broker down: %d unacknowledged message(s) go back on the queue on reconnect",
                len(self._delivered),
            )
            self._delivered.clear()

    def restore_pending(self):
        """Put back what an earlier channel of this process could not; returns how many
        tags it tried (one already put back by another worker, or lost with a broker that
        kept nothing on disk, is not there to put back)."""
        with _lock:
            tags = _unrestored.pop(self.unacked_key, set())
        for tag in tags:
            self.restore_by_tag(tag, leftmost=True)
        return len(tags)


class Channel(redis.Channel):
    QoS = QoS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # raises unless the broker answered
        if self.ack_emulation and _unrestored:
            restored = self.qos.restore_pending()
            logger.warning("broker back: %d unacknowledged message(s) put back", restored)

    def _connparams(self, asynchronous=False):
        params = super()._connparams(asynchronous=asynchronous)
        # redis-py retries a refused connection three times with backoff, about 2 s; kombu
        # and Celery retry connections their own way, so a page or a scan tries once.
        params["retry"] = Retry(NoBackoff(), 0)
        return params

    def close(self):
        if self._in_poll:
            try:
                self._brpop_read()  # resets _in_poll whatever happens
            except (Empty, *self.connection_errors):
                pass
        super().close()


class Transport(redis.Transport):
    Channel = Channel
