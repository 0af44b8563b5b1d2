package rules

import (
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM501(t *testing.T) { ruletest.Run(t, AM501, All) }

func TestAM502(t *testing.T) { ruletest.Run(t, AM502, All) }
