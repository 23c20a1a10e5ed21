"""The Redis cache backend: django-redis, leaving Redis alone for a few seconds once it has failed
to answer, and forgetting on its return what it could not be told.

django-redis with IGNORE_EXCEPTIONS turns a Redis that is stopped or hung into cache misses, but
it still asks: a hung Redis costs every call its whole socket timeout, a page makes several
calls, and a few workers then serve a few pages a second. Here a call that cannot connect or
times out pauses the cache in this process for PAUSE seconds, during which every call is a miss
at once and the site runs from the database; the first call after the pause asks Redis again.
An error Redis answers with (a full Redis refusing a write) is an answer: reads still go to it.

A write or a deletion that does not reach Redis may leave an older value there: a session changed
or signed out while Redis was hung would come back once it answers, a catalogue version a
curator's save retired would be served again. So each key of such a call, skipped while paused
or failed, is remembered in this process and deleted before anything else is asked of Redis once
it answers, and tried again every RETRY seconds in the background meanwhile, so that it does not
wait for this process's next request while other processes read Redis.
"""

import inspect
import logging
import threading
import time
from contextlib import suppress

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

PAUSE = 5.0
RETRY = 1.0  # seconds between the background attempts to delete what Redis missed
NO_ANSWER = (redis_errors.ConnectionError, redis_errors.TimeoutError)  # not an error Redis sent
# The argument holding the key (or keys) of each call that changes what Redis holds.
CHANGES = {
    "set": "key",
    "add": "key",
    "incr": "key",
    "decr": "key",
    "touch": "key",
    "delete": "key",
    "set_many": "data",
    "delete_many": "keys",
}
MAX_UNSENT = 100_000  # keys remembered at most: a long outage's later changes are not undone
# Per process, for each server (Django makes a backend per thread, and they share these):
paused_until = {}  # time.monotonic() until which it is left alone
warned_until = {}  # until when an error it answered with is not logged again
unsent = {}  # keys that calls which failed would have changed, to be deleted once it answers
retrying = {}  # the timer that will next try to delete them


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
            try:
                if time.monotonic() < paused_until.get(self._server, 0):
                    raise ConnectionInterrupted(connection=None)
                self.delete_unsent()
                return method(*args, **kwargs)
            except ConnectionInterrupted as error:
                self.remember(name, method, args, kwargs)
                if error.connection is not None:  # Redis was asked, not skipped
                    self.failed(error)
                raise

        return call

    def failed(self, error):
        now = time.monotonic()
        if isinstance(error.__cause__, NO_ANSWER):
            paused_until[self._server] = now + PAUSE
            logger.warning("%s: the cache is left alone for %.0f s.", error, PAUSE)
        elif now >= warned_until.get(self._server, 0):  # a full Redis refuses every write
            warned_until[self._server] = now + PAUSE
            logger.warning("%s (logged at most once every %.0f s).", error, PAUSE)

    def remember(self, name, method, args, kwargs):
        """The keys this failed call would have changed, to be deleted once Redis answers."""
        if name not in CHANGES:
            return
        arguments = inspect.signature(method).bind(*args, **kwargs).arguments
        keys = arguments[CHANGES[name]]
        keys = [keys] if CHANGES[name] == "key" else list(keys)
        pending = unsent.setdefault(self._server, set())
        if len(pending) >= MAX_UNSENT:
            return
        pending.update(self._client.make_key(key, version=arguments.get("version")) for key in keys)
        if len(pending) >= MAX_UNSENT:
            logger.warning("%d keys changed while Redis was away: no more are undone.", MAX_UNSENT)
        self.retry_later()

    def retry_later(self):
        timer = retrying.get(self._server)
        if timer is None or not timer.is_alive():
            timer = retrying[self._server] = threading.Timer(RETRY, self.retry)
            timer.daemon = True
            timer.start()

    def retry(self):
        """In the background: delete what Redis missed, and try again later while it does not
        answer (quietly: the requests' own calls log the outage)."""
        retrying.pop(self._server, None)
        with suppress(ConnectionInterrupted):
            self.delete_unsent()
        if unsent.get(self._server):
            self.retry_later()

    def delete_unsent(self, batch=1000):
        pending = unsent.get(self._server)
        while pending:
            keys = []
            with suppress(KeyError):  # the background retry may be emptying the set at once
                while len(keys) < batch:
                    keys.append(pending.pop())
            try:
                self._client.delete_many(keys)  # whole keys, as made when remembered
            except ConnectionInterrupted:
                pending.update(keys)
                raise
