package rules

import (
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM301(t *testing.T) { ruletest.Run(t, AM301, All) }
