package rules

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// clientValue is what recv is as the receiver of method: its model value,
// or the Redis or session client an instance of a project class inherits
// from a library base when no project class in its hierarchy defines
// method (`class ColaRedis(redis.asyncio.Redis)` calling `self.keys()`).
func clientValue(f *pymodel.File, recv pysyntax.Node, method string) pymodel.Value {
	v := f.Value(recv)
	if k := f.Eval.InheritedClient(v, method); k != pymodel.Unknown {
		return pymodel.Value{Kind: k}
	}
	return v
}
