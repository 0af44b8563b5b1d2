package server

import (
	"encoding/json"
	"testing"
)

// A change without a range replaces the document; v0.12.0's value Range
// made it an insertion at 0:0 (gotcha 5).
func TestDidChangeParamsTellFullFromRangedChanges(t *testing.T) {
	raw := `{"textDocument":{"uri":"file:///app/sesión.py","version":3},"contentChanges":[
		{"text":"import asyncio  # ¡nuevo! 🎉\n"},
		{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"rangeLength":0,"text":"# café\n"}]}`
	var p didChangeParams
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	if p.TextDocument.Version != 3 || len(p.ContentChanges) != 2 {
		t.Fatalf("decoded %+v", p)
	}
	if p.ContentChanges[0].Range != nil {
		t.Error("a full-document change decoded with a range")
	}
	if p.ContentChanges[1].Range == nil || p.ContentChanges[1].Text != "# café\n" {
		t.Errorf("an insertion at 0:0 lost its range: %+v", p.ContentChanges[1])
	}
}

func TestCodeActionParamsCarryTriggerKind(t *testing.T) {
	raw := `{"textDocument":{"uri":"file:///app/a.py"},
		"range":{"start":{"line":2,"character":4},"end":{"line":2,"character":9}},
		"context":{"diagnostics":[],"only":["source.fixAll.asyncmig"],"triggerKind":2}}`
	var p codeActionParams
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	if p.Context.TriggerKind != codeActionTriggerAutomatic {
		t.Errorf("triggerKind = %d, want automatic", p.Context.TriggerKind)
	}
	if len(p.Context.Only) != 1 || p.Context.Only[0] != codeActionKindFixAll {
		t.Errorf("only = %v", p.Context.Only)
	}
	if p.Range.Start.Line != 2 || p.TextDocument.URI != "file:///app/a.py" {
		t.Errorf("the embedded params were not decoded: %+v", p.CodeActionParams)
	}
}
