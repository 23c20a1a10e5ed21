"""Django's Redis cache with one client per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and each one builds
its table of response callbacks: about a third of the cost of a cache hit. A redis.Redis is
safe to share between threads (it takes a connection from its pool for each command), so one
per pool is enough.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
