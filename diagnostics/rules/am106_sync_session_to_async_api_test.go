package rules

import (
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM106(t *testing.T) { ruletest.Run(t, AM106, All) }
