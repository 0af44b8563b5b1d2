package rules

import (
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM103(t *testing.T) { ruletest.Run(t, AM103, All) }
