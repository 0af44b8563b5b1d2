package output

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"path"
	"strings"
)

// writeJUnit prints a JUnit XML report in Ruff's layout: one testsuite per
// file with findings, one failed testcase per diagnostic, and a single
// passing testcase when there is nothing to report (CI dashboards show an
// empty report as "no tests ran").
func writeJUnit(w *bufio.Writer, r *report) error {
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintf(w, "<testsuites name=\"asyncmig\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n", max(len(r.items), 1), len(r.items))
	if len(r.items) == 0 {
		fmt.Fprintln(w, `    <testsuite name="asyncmig" tests="1" disabled="0" errors="0" failures="0" package="org.asyncmig">`)
		fmt.Fprintln(w, `        <testcase name="No errors found" classname="asyncmig"/>`)
		fmt.Fprintln(w, `    </testsuite>`)
	}
	for _, s := range r.files {
		fmt.Fprintf(w, "    <testsuite name=\"%s\" tests=\"%d\" disabled=\"0\" errors=\"0\" failures=\"%d\" package=\"org.asyncmig\">\n", xmlEscape(s.display), len(s.items), len(s.items))
		classname := strings.TrimSuffix(s.display, path.Ext(s.display))
		for _, it := range s.items {
			d := it.diag
			loc := s.location(d.Start)
			fmt.Fprintf(w, "        <testcase name=\"org.asyncmig.%s\" classname=\"%s\" line=\"%d\" column=\"%d\">\n", xmlEscape(d.Code), xmlEscape(classname), loc.Row, loc.Column)
			fmt.Fprintln(w, "            <properties>")
			fmt.Fprintf(w, "                <property name=\"severity\" value=\"%s\"/>\n", d.Severity)
			fmt.Fprintln(w, "            </properties>")
			fmt.Fprintf(w, "            <failure message=\"%s\">line %d, col %d, %s</failure>\n", xmlEscape(d.Message), loc.Row, loc.Column, xmlEscape(d.Message))
			fmt.Fprintln(w, "        </testcase>")
		}
		fmt.Fprintln(w, "    </testsuite>")
	}
	fmt.Fprintln(w, "</testsuites>")
	return nil
}

// xmlEscape makes s safe in both text and attribute values; characters XML
// 1.0 cannot hold become U+FFFD.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}
