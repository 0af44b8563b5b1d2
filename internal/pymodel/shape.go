package pymodel

import (
	"encoding/binary"
	"hash"
	"hash/fnv"
	"reflect"
	"sort"
	"sync"
)

// offsetFields are byte positions: an edit that only moves code changes
// them and nothing else the other modules can observe.
var offsetFields = map[string]bool{
	"Start": true, "End": true, "NameStart": true, "NameEnd": true, "DefStart": true, "BodyStart": true,
	"StmtStart": true, "StmtEnd": true, "DocEnd": true, "FirstImport": true, "LastImport": true, "Size": true,
}

// ShapeHash digests everything the model holds about a module except byte
// offsets: names, bindings and the expressions assigned to them, function
// and class signatures, returns, yields, call sites. Other modules can only
// observe a module through these, so two versions with the same shape give
// every other file the same diagnostics (up to positions pointing into
// this one). It walks the model by reflection, so a field added to the
// model later is covered without anyone remembering to.
func ShapeHash(m *Module) uint64 {
	h := fnv.New64a()
	if m != nil {
		w := &shapeWriter{h: h, seen: map[uintptr]uint64{}}
		w.value(reflect.ValueOf(m).Elem())
	}
	return h.Sum64()
}

type shapeWriter struct {
	h    hash.Hash64
	seen map[uintptr]uint64
	buf  [9]byte
}

func (s *shapeWriter) tag(b byte)   { s.buf[0] = b; s.h.Write(s.buf[:1]) }
func (s *shapeWriter) str(v string) { s.num('s', uint64(len(v))); s.h.Write([]byte(v)) }
func (s *shapeWriter) num(t byte, v uint64) {
	s.buf[0] = t
	binary.LittleEndian.PutUint64(s.buf[1:], v)
	s.h.Write(s.buf[:])
}

// fieldPlans lists, per struct type, the fields that belong to the shape.
var fieldPlans sync.Map // reflect.Type → []int

func plan(t reflect.Type) []int {
	if p, ok := fieldPlans.Load(t); ok {
		return p.([]int)
	}
	var p []int
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && !offsetFields[f.Name] {
			p = append(p, i)
		}
	}
	fieldPlans.Store(t, p)
	return p
}

func (s *shapeWriter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			s.tag('0')
			return
		}
		if id, ok := s.seen[v.Pointer()]; ok {
			s.num('@', id) // a back-reference: identity, not content
			return
		}
		s.seen[v.Pointer()] = uint64(len(s.seen))
		s.value(v.Elem())
	case reflect.Struct:
		s.tag('{')
		for _, i := range plan(v.Type()) {
			s.value(v.Field(i))
		}
		s.tag('}')
	case reflect.Slice, reflect.Array:
		s.num('[', uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			s.value(v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		s.num('m', uint64(len(keys)))
		if v.Type().Key().Kind() != reflect.String {
			return // no stable order to hash in; the model keys maps by name
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			s.value(k)
			s.value(v.MapIndex(k))
		}
	case reflect.String:
		s.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			s.tag('t')
		} else {
			s.tag('f')
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.num('i', uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s.num('u', v.Uint())
	case reflect.Interface:
		if v.IsNil() {
			s.tag('0')
			return
		}
		s.value(v.Elem())
	}
}
