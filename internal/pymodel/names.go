package pymodel

import "strings"

// NameStatus says whether a name read at some point of a module is bound.
type NameStatus uint8

const (
	// NameBound: an enclosing scope binds it, it is a builtin or a module
	// dunder, or a workspace star-import hub provides it.
	NameBound NameStatus = iota
	// NameUnbound: nothing can provide it; reading it raises NameError.
	NameUnbound
	// NameUnknown: a `from … import *` the workspace cannot see into (a
	// library, a module outside the workspace, a hub with __getattr__)
	// might provide it.
	NameUnknown
)

// ResolveName answers whether name is bound when read by code in scope of
// module m, following Python's lookup: enclosing scopes, module globals
// (star imports included), builtins.
func (ev *Evaluator) ResolveName(m *Module, scope *Scope, name string) NameStatus {
	if bs, _ := m.Lookup(scope, name); bs != nil {
		return NameBound
	}
	if pythonBuiltins[name] || moduleDunders[name] {
		return NameBound
	}
	if m.UnresolvedStarImport {
		return NameUnknown
	}
	status := NameUnbound
	for _, sm := range m.StarImports {
		var mod *Module
		if ev.idx != nil {
			mod = ev.idx.Module(sm)
		}
		if mod == nil {
			status = NameUnknown
			continue
		}
		exists, certain := ev.HasName(mod, name)
		switch {
		case exists && !strings.HasPrefix(name, "_"):
			return NameBound
		case exists || !certain:
			// `import *` skips _private names unless __all__ lists them.
			status = NameUnknown
		}
	}
	return status
}

// moduleDunders are bound in every module's globals by the import system.
var moduleDunders = map[string]bool{
	"__name__": true, "__file__": true, "__doc__": true, "__package__": true, "__spec__": true,
	"__loader__": true, "__builtins__": true, "__path__": true, "__cached__": true, "__annotations__": true,
	"__dict__": true,
}

// pythonBuiltins is dir(builtins) of CPython 3.12 (3.13 adds
// PythonFinalizationError), for name resolution only; the evaluator's
// builtins map says which of them it evaluates.
var pythonBuiltins = func() map[string]bool {
	names := strings.Fields(`ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
		BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError
		ConnectionError ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis
		EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError
		FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError
		IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
		ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
		OverflowError PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError
		RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
		StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
		UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
		UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__
		__import__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr
		classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit
		filter float format frozenset getattr globals hasattr hash help hex id input int isinstance
		issubclass iter len license list locals map max memoryview min next object oct open ord pow print
		property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple
		type vars zip`)
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}()
