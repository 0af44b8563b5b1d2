package pymodel

// asyncRedisPlainMethods are the redis.asyncio.Redis methods that are not
// coroutine functions: factories of pipelines, locks, Pub/Sub and module
// command groups, client configuration, and the *scan_iter async
// generators (consumed with `async for`, not awaited). Every other method
// of the asyncio client sends a command and returns a coroutine.
var asyncRedisPlainMethods = map[string]bool{
	"pipeline": true, "pubsub": true, "lock": true, "monitor": true, "client": true, "register_script": true,
	"set_response_callback": true, "get_encoder": true, "get_connection_kwargs": true, "get_retry": true,
	"set_retry": true, "load_external_module": true, "from_url": true, "from_pool": true,
	"scan_iter": true, "hscan_iter": true, "sscan_iter": true, "zscan_iter": true,
	"json": true, "ts": true, "ft": true, "bf": true, "cf": true, "cms": true, "topk": true, "tdigest": true, "graph": true,
}

// AsyncRedisCoroutineMethod reports whether calling method on an asyncio
// Redis client (redis.asyncio.Redis, aioredis) returns a coroutine that must
// be awaited. Dunder and private names are never treated as commands.
func AsyncRedisCoroutineMethod(method string) bool {
	if method == "" || method[0] == '_' {
		return false
	}
	return !asyncRedisPlainMethods[method]
}
