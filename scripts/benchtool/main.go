// Command benchtool is scripts/bench.sh's measuring and reporting half:
//
//	benchtool time -name NAME [-n 3] [-procs N] [-out FILE] -- CMD ARGS...
//	    run CMD n times; record the median wall and CPU time and the
//	    largest RSS (exit status 1 counts as success: `check` found something)
//	benchtool parse [-workers N] DIR
//	    the parse-only floor: read and parse every .py file under DIR
//	benchtool gobench [-prefix P] [-out FILE] < go-test-bench-output
//	    record the median of each metric of each benchmark
//	benchtool replay -name NAME [-out FILE] < replay-json
//	    record a `replay run -json` report
//	benchtool table FILE
//	    print the Markdown table of the targets from the records
//
// Records are JSON lines: {"name": ..., "metrics": {"wall-ms": ...}}.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "time":
		err = timeCmd(os.Args[2:])
	case "parse":
		err = parseCmd(os.Args[2:])
	case "gobench":
		err = gobenchCmd(os.Args[2:])
	case "replay":
		err = replayCmd(os.Args[2:])
	case "table":
		err = tableCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchtool time|parse|gobench|replay|table (see the source's doc comment)")
	os.Exit(2)
}

// record is one measured thing.
type record struct {
	Name    string             `json:"name"`
	Metrics map[string]float64 `json:"metrics"`
}

func appendRecord(path string, r record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if path == "" {
		_, err = fmt.Printf("%s\n", line)
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "%s\n", line)
	return err
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func timeCmd(args []string) error {
	flags := flag.NewFlagSet("time", flag.ExitOnError)
	name := flags.String("name", "", "record `name`")
	n := flags.Int("n", 3, "runs (the median is recorded)")
	procs := flags.Int("procs", 0, "GOMAXPROCS for the command (0: all cores)")
	out := flags.String("out", "", "append the record to `file` (default: print it)")
	flags.Parse(args)
	if *name == "" || flags.NArg() == 0 {
		return errors.New("time needs -name and a command")
	}
	var walls, cpus []float64
	var rss float64
	for i := 0; i < *n; i++ {
		cmd := exec.Command(flags.Arg(0), flags.Args()[1:]...)
		cmd.Env = os.Environ()
		if *procs > 0 {
			cmd.Env = append(cmd.Env, fmt.Sprintf("GOMAXPROCS=%d", *procs))
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
			return fmt.Errorf("%s: %v\n%s", strings.Join(flags.Args(), " "), err, stderr.String())
		}
		st := cmd.ProcessState
		walls = append(walls, float64(wall.Microseconds())/1000)
		cpus = append(cpus, float64((st.UserTime()+st.SystemTime()).Microseconds())/1000)
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			rss = max(rss, float64(ru.Maxrss)/1024) // kB on Linux
		}
	}
	m := map[string]float64{"wall-ms": median(walls), "cpu-ms": median(cpus), "runs": float64(*n)}
	if rss > 0 {
		m["maxrss-mb"] = rss
	}
	return appendRecord(*out, record{Name: *name, Metrics: m})
}

// parseCmd is the floor `check` is measured against: the same files read
// and parsed (tree-sitter and the flat tree every analysis starts from),
// on as many workers as check uses, and nothing else.
func parseCmd(args []string) error {
	flags := flag.NewFlagSet("parse", flag.ExitOnError)
	workers := flags.Int("workers", 0, "parsing goroutines (0: GOMAXPROCS)")
	flags.Parse(args)
	if flags.NArg() != 1 {
		return errors.New("parse needs a directory")
	}
	if *workers <= 0 {
		*workers = runtime.GOMAXPROCS(0)
	}
	var paths []string
	err := filepath.WalkDir(flags.Arg(0), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != flags.Arg(0) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".py") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	var bytes int64
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				src, err := os.ReadFile(p)
				if err == nil {
					_, err = pysyntax.Parse(src)
				}
				mu.Lock()
				bytes += int64(len(src))
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", p, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	fmt.Fprintf(os.Stderr, "parsed %d files, %.1f MB\n", len(paths), float64(bytes)/1e6)
	return firstErr
}

// gobenchCmd reads `go test -bench` output and records, per benchmark, the
// median of each metric over its -count runs.
func gobenchCmd(args []string) error {
	flags := flag.NewFlagSet("gobench", flag.ExitOnError)
	out := flags.String("out", "", "append the records to `file`")
	prefix := flags.String("prefix", "", "put `prefix` before each benchmark's name (to tell packages apart)")
	flags.Parse(args)
	recs, err := parseGoBench(io.TeeReader(os.Stdin, os.Stderr), *prefix)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := appendRecord(*out, r); err != nil {
			return err
		}
	}
	return nil
}

func parseGoBench(r io.Reader, prefix string) ([]record, error) {
	values := map[string]map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // the GOMAXPROCS suffix
			}
		}
		name = prefix + name
		if values[name] == nil {
			values[name] = map[string][]float64{}
			order = append(order, name)
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			values[name][fields[i+1]] = append(values[name][fields[i+1]], v)
		}
	}
	var recs []record
	for _, name := range order {
		m := map[string]float64{}
		for unit, vs := range values[name] {
			m[unit] = median(vs)
		}
		recs = append(recs, record{Name: name, Metrics: m})
	}
	return recs, sc.Err()
}

// replayCmd turns `replay run -json` output into a record.
func replayCmd(args []string) error {
	flags := flag.NewFlagSet("replay", flag.ExitOnError)
	name := flags.String("name", "replay", "record `name`")
	out := flags.String("out", "", "append the record to `file`")
	flags.Parse(args)
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("not a replay report: %w", err)
	}
	m := map[string]float64{}
	for k, v := range raw {
		switch x := v.(type) {
		case float64:
			m[k] = x
		case bool:
			m[k] = 0
			if x {
				m[k] = 1
			}
		case []any:
			if len(x) > 0 {
				first, _ := x[0].(float64)
				last, _ := x[len(x)-1].(float64)
				m[k+"First"], m[k+"Last"] = first, last
			}
		}
	}
	return appendRecord(*out, record{Name: *name, Metrics: m})
}
