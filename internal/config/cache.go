package config

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Cache memoizes Discover per directory for the CLI and the server, which ask
// for every file. It is safe for concurrent use. Directories sharing a config
// file share one *Config: treat it as read-only (Clone before Merge).
type Cache struct {
	mu    sync.Mutex
	gen   uint64
	dirs  map[string]string  // directory → config file path ("" = none, defaults)
	files map[string]*cached // config file path → its result
}

type cached struct {
	loaded
	reported bool
}

// NewCache returns an empty Cache.
func NewCache() *Cache {
	return &Cache{dirs: map[string]string{}, files: map[string]*cached{}}
}

var defaultConfig = Default()

// Discover is the memoized Discover(dir). Every call for a directory governed
// by the same config file returns the same values until Invalidate.
func (c *Cache) Discover(dir string) (*Config, []Problem, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Default(), nil, err
	}
	c.mu.Lock()
	if r, ok := c.lookupLocked(dir); ok {
		c.mu.Unlock()
		return r.cfg, r.problems, r.err
	}
	gen := c.gen
	c.mu.Unlock()

	// Walk up without the lock (file reads), remembering every directory
	// passed, so siblings and parents are answered from memory next time.
	var walked []string
	var found string
	var result loaded
	for d := dir; ; {
		c.mu.Lock()
		path, known := c.dirs[d]
		var hit *cached
		if known {
			hit = c.files[path]
		}
		c.mu.Unlock()
		if known && (path == "" || hit != nil) {
			found = path
			if hit != nil {
				result = hit.loaded
			}
			break
		}
		walked = append(walked, d)
		if r, ok := candidate(d); ok {
			found, result = r.cfg.Path, r
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if found == "" {
		result = loaded{cfg: defaultConfig}
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		// A config file changed while we read: answer, but do not memoize.
		return result.cfg, result.problems, result.err
	}
	if found != "" {
		if prev, ok := c.files[found]; ok {
			result = prev.loaded // another caller stored it first; share it
		} else {
			c.files[found] = &cached{loaded: result}
		}
	}
	for _, d := range walked {
		c.dirs[d] = found
	}
	return result.cfg, result.problems, result.err
}

func (c *Cache) lookupLocked(dir string) (loaded, bool) {
	path, ok := c.dirs[dir]
	if !ok {
		return loaded{}, false
	}
	if path == "" {
		return loaded{cfg: defaultConfig}, true
	}
	f, ok := c.files[path]
	if !ok {
		return loaded{}, false
	}
	return f.loaded, true
}

// Unreported returns the problems of config files loaded so far that no
// earlier call returned, so the CLI prints them and the server shows them
// once, not once per file. A file's problems come back again after it is
// invalidated and reloaded.
func (c *Cache) Unreported() []Problem {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Problem
	for _, path := range slices.Sorted(maps.Keys(c.files)) {
		if f := c.files[path]; !f.reported {
			f.reported = true
			out = append(out, f.problems...)
		}
	}
	return out
}

// Invalidate forgets what depends on path, a config file (or directory) that
// was created, changed or deleted: its own result and the discovery of every
// directory at or below it, since a new file there can change which config
// governs them.
func (c *Cache) Invalidate(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	dir := filepath.Dir(path)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.files, path)
	for d, cfgPath := range c.dirs {
		if within(d, dir) || cfgPath == path {
			delete(c.dirs, d)
		}
	}
	for p := range c.files {
		if within(filepath.Dir(p), path) {
			delete(c.files, p) // a deleted directory takes its config files along
		}
	}
}

func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) || dir == string(filepath.Separator)
}
