package rules

import (
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM105(t *testing.T) { ruletest.Run(t, AM105, All) }
