package rules

import (
	"strings"
	"testing"
)

func TestEditDistanceWithin(t *testing.T) {
	cases := []struct {
		a, b string
		max  int
		want bool
	}{
		{"get_user_by_emial", "get_user_by_email", 1, true}, // a swapped pair is one edit
		{"get_usr", "get_user", 1, true},
		{"get_usr", "get_users", 1, false},
		{"get_usr", "get_users", 2, true},
		{"cálculo_típico", "calculo_tipico", 2, true}, // runes, not bytes: two edits
		{"cálculo_típico", "calculo_tipico", 1, false},
		{"año", "ano", 1, true},
		{"servicio_🚀", "servicio_", 1, true},
		{"AsyncUserService", "async_user_service", 2, false},
		{"", "ab", 2, true},
		{"", "abc", 2, false},
	}
	for _, c := range cases {
		if got := editDistanceWithin(c.a, c.b, c.max); got != c.want {
			t.Errorf("editDistanceWithin(%q, %q, %d) = %v, want %v", c.a, c.b, c.max, got, c.want)
		}
		if got := editDistanceWithin(c.b, c.a, c.max); got != c.want {
			t.Errorf("editDistanceWithin(%q, %q, %d) = %v, want %v (symmetry)", c.b, c.a, c.max, got, c.want)
		}
	}
}

func TestCloseNames(t *testing.T) {
	pool := []string{"get_user", "get_users", "get_user_by_email", "build", "AsyncUserService", "get", "set", "año_fiscal"}
	cases := []struct {
		name  string
		twins []string
		want  string
	}{
		{"get_usr", nil, "get_user,get_users"}, // two: no fix
		{"get_user_by_emial", nil, "get_user_by_email"},
		{"async_build", []string{"build"}, "build"}, // twin pattern, far by spelling
		{"AsyncUserServise", nil, "AsyncUserService"},
		{"ano_fiscal", nil, "año_fiscal"},
		{"gte", nil, "get"}, // short names: one edit only, so `set` is not offered
		{"build", nil, ""},  // the name itself is never a candidate
		{"async_user_service", []string{"user_service"}, ""},
	}
	for _, c := range cases {
		got := strings.Join(closeNames(c.name, pool, typoDistance(c.name), c.twins...), ",")
		if got != c.want {
			t.Errorf("closeNames(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
