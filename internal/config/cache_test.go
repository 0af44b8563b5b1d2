package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestCacheSharesOneConfigPerFile(t *testing.T) {
	root := projectTree(t)
	cache := NewCache()
	a, _, _ := cache.Discover(filepath.Join(root, "services", "api", "app"))
	b, _, _ := cache.Discover(filepath.Join(root, "libs"))
	if a != b {
		t.Error("two directories governed by the same pyproject.toml got different *Config")
	}
	direct, _, _ := Discover(filepath.Join(root, "libs"))
	eq(t, "cached config", a, direct)
	w, _, _ := cache.Discover(filepath.Join(root, "services", "worker", "tasks"))
	eq(t, "worker Select", w.Select, []string{"AM3"})
}

func TestCacheMemoizesUntilInvalidate(t *testing.T) {
	root := projectTree(t)
	cache := NewCache()
	app := filepath.Join(root, "services", "api", "app")
	first, _, _ := cache.Discover(app)
	eq(t, "Select", first.Select, []string{"AM1"})

	// A new [tool.asyncmig] in services/api is not seen until invalidated.
	apiConfig := writeFile(t, filepath.Join(root, "services", "api", "asyncmig.toml"), "select = [\"AM2\"]\n")
	if c, _, _ := cache.Discover(app); c != first {
		t.Fatal("Discover re-read the disk without Invalidate")
	}
	cache.Invalidate(apiConfig)
	c, _, _ := cache.Discover(app)
	eq(t, "Select after a new config file", c.Select, []string{"AM2"})
	// Directories outside services/api keep their answer.
	if libs, _, _ := cache.Discover(filepath.Join(root, "libs")); libs != first {
		t.Error("an unrelated directory lost its memo")
	}

	// An edited root config is re-read for everything under it.
	rootConfig := writeFile(t, filepath.Join(root, "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM4\"]\n")
	cache.Invalidate(rootConfig)
	libs, _, _ := cache.Discover(filepath.Join(root, "libs"))
	eq(t, "Select after an edit", libs.Select, []string{"AM4"})

	// A deleted config file falls back to the next one up.
	if err := os.Remove(apiConfig); err != nil {
		t.Fatal(err)
	}
	cache.Invalidate(apiConfig)
	c, _, _ = cache.Discover(app)
	eq(t, "Select after deleting the nearer config", c.Select, []string{"AM4"})
}

func TestCacheUnreportedOncePerLoad(t *testing.T) {
	root := t.TempDir()
	path := writeFile(t, filepath.Join(root, "pyproject.toml"), "[tool.asyncmig]\nselct = [\"AM1\"]\nselect = [\"AM9\"]\n")
	writeFile(t, filepath.Join(root, "app", "api", "x.py"), "")
	cache := NewCache()
	for _, d := range []string{"app", "app/api", "."} {
		_, problems, _ := cache.Discover(filepath.Join(root, d))
		if len(problems) != 2 {
			t.Errorf("Discover(%s) problems = %v, want the same 2 every time", d, problems)
		}
	}
	checkProblems(t, cache.Unreported(), []wantProblem{{2, `"selct"`}, {3, `"AM9"`}})
	if again := cache.Unreported(); len(again) != 0 {
		t.Errorf("Unreported a second time = %v, want nothing", again)
	}
	writeFile(t, path, "[tool.asyncmig]\nselect = [\"AM8\"]\n")
	cache.Invalidate(path)
	cache.Discover(filepath.Join(root, "app"))
	checkProblems(t, cache.Unreported(), []wantProblem{{2, `"AM8"`}})
}

func TestCacheConcurrent(t *testing.T) {
	root := projectTree(t)
	cache := NewCache()
	dirs := []string{"services/api/app", "services/worker/tasks", "libs/pagos", "libs", "."}
	want := map[string][]string{"services/api/app": {"AM1"}, "services/worker/tasks": {"AM3"}, "libs/pagos": {"AM5"}, "libs": {"AM1"}, ".": {"AM1"}}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				d := dirs[(g+i)%len(dirs)]
				c, _, err := cache.Discover(filepath.Join(root, d))
				if err != nil {
					errs <- err
					return
				}
				if fmt.Sprint(c.Select) != fmt.Sprint(want[d]) {
					errs <- fmt.Errorf("Discover(%s).Select = %v, want %v", d, c.Select, want[d])
					return
				}
				if i%50 == 0 {
					cache.Invalidate(filepath.Join(root, "pyproject.toml"))
				}
				cache.Unreported()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
