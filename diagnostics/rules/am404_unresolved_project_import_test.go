package rules

import (
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM404(t *testing.T) { ruletest.Run(t, AM404, All) }
