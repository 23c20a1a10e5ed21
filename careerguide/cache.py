"""The Redis cache backend: django-redis, leaving Redis alone for a few seconds once it has failed
to answer.

django-redis with IGNORE_EXCEPTIONS turns a Redis that is stopped or hung into cache misses, but
it still asks: a hung Redis costs every call its whole socket timeout, a page makes several
calls, and a few workers then serve a few pages a second. Here a call that cannot connect or
times out pauses the cache in this process for PAUSE seconds, during which every call is a miss
at once and the site runs from the database; the first call after the pause asks Redis again.
An error Redis answers with (a full Redis refusing a write) is an answer: reads still go to it.

Deletions are always sent, paused or not: they are rare, and one lost would leave a stale copy to
be read once Redis answers again (a signed-out member's session, a catalogue version a curator's
save retired).
"""

import logging
import time

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

PAUSE = 5.0
ALWAYS_SENT = frozenset({"delete", "delete_many"})
NO_ANSWER = (redis_errors.ConnectionError, redis_errors.TimeoutError)  # not an error Redis sent
# server → time.monotonic() until which it is left alone; per process (Django makes a backend
# per thread, and they share it).
paused_until = {}
warned_until = {}  # server → until when an error it answered with is not logged again


class RedisCache(DjangoRedisCache):
    @property
    def client(self):
        return PausingClient(super().client, self._server)


class PausingClient:
    """django-redis's client, whose calls fail at once while their server is paused. Every
    RedisCache method catches that failure (IGNORE_EXCEPTIONS) and answers as for a miss."""

    def __init__(self, client, server):
        self._client = client
        self._server = server

    def __getattr__(self, name):
        method = getattr(self._client, name)
        if name == "close" or not callable(method):
            return method

        def call(*args, **kwargs):
            if name not in ALWAYS_SENT and time.monotonic() < paused_until.get(self._server, 0):
                raise ConnectionInterrupted(connection=None)
            try:
                return method(*args, **kwargs)
            except ConnectionInterrupted as error:
                now = time.monotonic()
                if isinstance(error.__cause__, NO_ANSWER):
                    paused_until[self._server] = now + PAUSE
                    logger.warning("%s: the cache is left alone for %.0f s.", error, PAUSE)
                elif now >= warned_until.get(self._server, 0):  # a full Redis refuses every write
                    warned_until[self._server] = now + PAUSE
                    logger.warning("%s (logged at most once every %.0f s).", error, PAUSE)
                raise

        return call
