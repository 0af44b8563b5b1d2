package config

// Merge layers editor settings (LSP initializationOptions or
// workspace/didChangeConfiguration, JSON-decoded) or CLI flags over c. Keys
// may be kebab-case as in the file or camelCase ("extendSelect"); a value of
// null leaves the file's value alone, and settings wrapped as
// {"asyncmig": {...}} (VS Code's section form) are unwrapped. A key present
// replaces the file's value, except extend-select and extend-exclude, which
// add to it. Bad keys and values are returned as problems without a line and
// leave c unchanged for that key.
//
// Globs in settings are relative to c.Root like the file's; with no config
// file (Root "") the caller should set Root to the workspace folder first.
//
// Merge modifies c: merge into a Clone of a cached Config.
func (c *Config) Merge(settings map[string]any) []Problem {
	if inner, ok := settings["asyncmig"].(map[string]any); ok && len(settings) == 1 {
		settings = inner
	}
	s := &source{where: "settings", settings: true}
	s.applyAll(c, settings)
	return s.problems
}
