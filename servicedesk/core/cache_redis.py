"""Django's Redis cache, keeping one client per connection pool: the stock backend builds a new redis.Redis
object for every get or set (~0.15 ms each), twice per staff request (session, access). Nor does it check
each key character by character for memcached's rules (~20 µs a key): Redis keys may hold any bytes."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:  # a redis.Redis client is safe to share: it takes a connection from the pool per call
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def validate_key(self, key):
        pass
