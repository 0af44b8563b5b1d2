package pymodel

import "testing"

func TestAsyncRedisCoroutineMethod(t *testing.T) {
	for method, want := range map[string]bool{
		"get": true, "set": true, "incr": true, "delete": true, "ping": true, "aclose": true, "execute_command": true,
		"keys": true, "hgetall": true, "transaction": true,
		"pipeline": false, "pubsub": false, "lock": false, "scan_iter": false, "register_script": false,
		"__aenter__": false, "_private": false, "": false,
	} {
		if got := AsyncRedisCoroutineMethod(method); got != want {
			t.Errorf("AsyncRedisCoroutineMethod(%q) = %v, want %v", method, got, want)
		}
	}
}
