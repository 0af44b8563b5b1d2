package config

import "testing"

func TestRuleEnabledPrecedence(t *testing.T) {
	tests := []struct {
		name                  string
		selects, extend, igns []string
		code                  string
		want                  bool
	}{
		{"default selects AM", []string{"AM"}, nil, nil, "AM403", true},
		{"family select", []string{"AM1"}, nil, nil, "AM101", true},
		{"family select leaves others out", []string{"AM1"}, nil, nil, "AM201", false},
		{"ignore a family", []string{"AM"}, nil, []string{"AM1"}, "AM105", false},
		{"ignore a family, others stay", []string{"AM"}, nil, []string{"AM1"}, "AM301", true},
		{"longer select beats shorter ignore", []string{"AM101"}, nil, []string{"AM1"}, "AM101", true},
		{"shorter ignore still covers siblings", []string{"AM101"}, nil, []string{"AM1"}, "AM102", false},
		{"longer ignore beats shorter select", []string{"AM1"}, nil, []string{"AM102"}, "AM102", false},
		{"ignore wins a tie", []string{"AM1"}, nil, []string{"AM1"}, "AM101", false},
		{"ignore wins a tie whatever the order", []string{"AM3", "AM301"}, nil, []string{"AM301"}, "AM301", false},
		{"ALL is the least specific", []string{"AM"}, nil, []string{"ALL"}, "AM101", true},
		{"ignore AM over select ALL", []string{"ALL"}, nil, []string{"AM"}, "AM101", false},
		{"extend-select adds", []string{"AM1"}, []string{"AM5"}, nil, "AM501", true},
		{"extend-select is specific too", []string{"AM"}, []string{"AM101"}, []string{"AM1"}, "AM101", true},
		{"empty select enables nothing", []string{}, nil, nil, "AM101", false},
		{"unrelated selectors", []string{"AM2"}, nil, []string{"AM3"}, "AM101", false},
	}
	for _, tt := range tests {
		c := Default()
		c.Select, c.ExtendSelect, c.Ignore = tt.selects, tt.extend, tt.igns
		if got := c.RuleEnabled(tt.code, "app/main.py"); got != tt.want {
			t.Errorf("%s: RuleEnabled(%s) with select=%v extend=%v ignore=%v = %v, want %v",
				tt.name, tt.code, tt.selects, tt.extend, tt.igns, got, tt.want)
		}
	}
}

func TestRuleEnabledDefaultsEnableEveryRule(t *testing.T) {
	c := Default()
	for _, code := range KnownCodes {
		if !c.RuleEnabled(code, "app/main.py") {
			t.Errorf("%s is off by default", code)
		}
	}
}

func TestPerFileIgnores(t *testing.T) {
	c := Default()
	c.Root = "/proyecto"
	c.Select = []string{"AM101", "AM4"} // a precise select does not beat a per-file ignore
	c.PerFileIgnores = map[string][]string{
		"tests/**":        {"AM"},
		"app/legacy/*.py": {"AM4"},
		"__init__.py":     {"AM401"},
		"scripts/":        {"ALL"},
		"migraciónes/":    {"AM101"},
	}
	tests := []struct {
		code, path string
		want       bool
	}{
		{"AM101", "tests/api/test_users.py", false},
		{"AM101", "/proyecto/tests/test_users.py", false},
		{"AM101", "app/tests/test_users.py", true}, // "tests/**" is anchored at the root
		{"AM401", "app/legacy/user.py", false},
		{"AM101", "app/legacy/user.py", true},
		{"AM401", "app/legacy/sub/user.py", true}, // "*" stays in one directory
		{"AM401", "app/services/__init__.py", false},
		{"AM402", "app/services/__init__.py", true},
		{"AM402", "scripts/seed.py", false},
		{"AM101", "app/db/migraciónes/0001_inicial.py", false},
		{"AM101", "/otro/tests/test_users.py", true}, // outside the root: anchored globs do not apply
		{"AM101", "", true},                          // no path: only select/ignore
	}
	for _, tt := range tests {
		if got := c.RuleEnabled(tt.code, tt.path); got != tt.want {
			t.Errorf("RuleEnabled(%s, %q) = %v, want %v", tt.code, tt.path, got, tt.want)
		}
	}
}

func TestSeverityFor(t *testing.T) {
	c := Default()
	c.Severity = map[string]string{"AM3": "error", "AM303": "hint", "ALL": "warning"}
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"AM303", "hint", true},
		{"AM301", "error", true},
		{"AM101", "warning", true},
	}
	for _, tt := range tests {
		got, ok := c.SeverityFor(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SeverityFor(%s) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
	if sev, ok := Default().SeverityFor("AM101"); ok {
		t.Errorf("default SeverityFor(AM101) = %q, want no override", sev)
	}
}

func TestExcluded(t *testing.T) {
	c := Default()
	c.Root = "/proyecto"
	c.ExtendExclude = []string{"alembic/versions/", "*_pb2.py", "generated/"}
	tests := []struct {
		path string
		dir  bool
		want bool
	}{
		{".venv/lib/python3.12/site-packages/x.py", false, true},
		{"/proyecto/services/api/.venv/x.py", false, true},
		{"/proyecto/app/main.py", false, false},
		{"app/api/usuarios_🎉.py", false, false},
		{"build/lib/app.py", false, true},
		{"app/__pycache__/x.cpython-312.pyc", false, true},
		{"/otro/node_modules/pkg/x.py", false, true},
		{"alembic/versions/0001_inicial.py", false, true},
		{"app/alembic/versions/0001.py", false, false},
		{"app/proto/user_pb2.py", false, true},
		{"app/generated", false, false}, // a file named "generated" is not the directory
		{"app/generated", true, true},
		{"app/generated/x.py", false, true},
	}
	for _, tt := range tests {
		var got bool
		if tt.dir {
			got = c.ExcludedDir(tt.path)
		} else {
			got = c.Excluded(tt.path)
		}
		if got != tt.want {
			t.Errorf("excluded(%q, dir=%v) = %v, want %v", tt.path, tt.dir, got, tt.want)
		}
	}

	// exclude replaces the defaults.
	c.Exclude = []string{"legacy"}
	c.ExtendExclude = nil
	if c.Excluded("build/x.py") {
		t.Error("build/ still excluded after exclude replaced the defaults")
	}
	if !c.Excluded("app/legacy/x.py") {
		t.Error("legacy not excluded")
	}
}

func TestTierMatch(t *testing.T) {
	tier := Tier{
		Name:   "núcleo",
		Files:  []string{"app/api/usuarios.py", "app/api/pagos/*.py"},
		Routes: []string{"/api/v1/users", "/api/*/admin", "billing/"},
	}
	files := map[string]bool{
		"app/api/usuarios.py":       true,
		"app/api/pagos/stripe.py":   true,
		"app/api/pagos/x/y.py":      false, // "*.py" names files, not the x directory
		"app/api/items.py":          false,
		"./app/api/usuarios.py":     true,
		"other/app/api/usuarios.py": false,
	}
	for f, want := range files {
		if got := tier.MatchFile(f); got != want {
			t.Errorf("MatchFile(%q) = %v, want %v", f, got, want)
		}
	}
	routes := map[string]bool{
		"/api/v1/users":        true,
		"/api/v1/users/{id}":   true,
		"/api/v1/users-export": false,
		"/api/v2/admin":        true,
		"/api/v2/admin/x":      false,
		"/billing/facturas/ñ":  true,
		"/api/v1/items":        false,
	}
	for r, want := range routes {
		if got := tier.MatchRoute(r); got != want {
			t.Errorf("MatchRoute(%q) = %v, want %v", r, got, want)
		}
	}
}

func TestTwinNames(t *testing.T) {
	def := Default().TwinPatterns
	eq(t, "ModuleTwin", def.ModuleTwin("app.services.user"), "app.services.async_user")
	eq(t, "ModuleTwin top-level", def.ModuleTwin("servicios"), "async_servicios")
	eq(t, "ClassTwin", def.ClassTwin("UserService"), "AsyncUserService")
	eq(t, "NameTwin", def.NameTwin("user_service"), "async_user_service")
	custom := TwinPatterns{Module: "{module}_aio", Class: "{Class}Aio", Name: "{name}_aio"}
	eq(t, "custom ModuleTwin", custom.ModuleTwin("app.servicios.sesión"), "app.servicios.sesión_aio")
	eq(t, "custom ClassTwin", custom.ClassTwin("Pago"), "PagoAio")
}
