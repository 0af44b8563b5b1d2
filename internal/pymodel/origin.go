package pymodel

// Origin follows re-exports to where a module-level name is defined: the
// module and name of the binding that is not an import (`from .user import
// user_service` in a package __init__ leads to app.services.user's
// `user_service`). Star imports are followed too. ok is false when the name
// is bound several ways (`try: from x import a` / `except: a = None`), is a
// submodule rather than a name, leaves the workspace, or goes round a cycle.
func (ev *Evaluator) Origin(mod *Module, name string) (origin *Module, originName string, ok bool) {
	seen := map[*Module]map[string]bool{}
	for depth := 0; mod != nil && depth < maxEvalDepth; depth++ {
		if seen[mod][name] {
			return nil, "", false
		}
		if seen[mod] == nil {
			seen[mod] = map[string]bool{}
		}
		seen[mod][name] = true
		bs := mod.Scope.Names[name]
		if bs == nil {
			next := ev.starProvider(mod, name, map[*Module]bool{})
			if next == nil {
				return nil, "", false
			}
			mod = next
			continue
		}
		imp := bs[0]
		if imp.Kind != BindImportFrom {
			for _, b := range bs {
				if b.Kind == BindImport || b.Kind == BindImportFrom {
					return nil, "", false
				}
			}
			return mod, name, true
		}
		for _, b := range bs[1:] {
			if b.Kind != BindImportFrom || b.Module != imp.Module || b.Imported != imp.Imported {
				return nil, "", false
			}
		}
		next := ev.idx.Module(imp.Module)
		if next == nil {
			return nil, "", false // a submodule, or outside the workspace
		}
		mod, name = next, imp.Imported
	}
	return nil, "", false
}

// starProvider returns the first module reached through mod's star imports
// that binds name (public names only, as `import *` does without __all__).
func (ev *Evaluator) starProvider(mod *Module, name string, seen map[*Module]bool) *Module {
	if seen[mod] || len(name) > 0 && name[0] == '_' {
		return nil
	}
	seen[mod] = true
	for _, sm := range mod.StarImports {
		smod := ev.idx.Module(sm)
		if smod == nil {
			continue
		}
		if smod.Scope.Names[name] != nil {
			return smod
		}
		if p := ev.starProvider(smod, name, seen); p != nil {
			return p
		}
	}
	return nil
}
