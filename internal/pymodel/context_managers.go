package pymodel

// enterReturnsSelf are library classes whose __enter__/__aenter__ returns
// the instance itself, so `with httpx.Client() as client` binds a client.
// Only classes known to do so: many context managers return something else
// (`open()` a file object, `urlopen()` a response, a lock a bool).
var enterReturnsSelf = map[string]bool{
	"httpx.Client": true, "httpx.AsyncClient": true,
	"requests.Session": true, "requests.sessions.Session": true,
	"aiohttp.ClientSession": true, "aiohttp.client.ClientSession": true,
}
