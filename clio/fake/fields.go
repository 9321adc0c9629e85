package fake

import (
	"fmt"
	"strings"
)

// selection is a parsed `fields` parameter: field name -> nested selection
// (nil when the field has no braces).
type selection map[string]selection

// fieldsError is a `fields` parameter Clio would answer with 400.
type fieldsError struct{ msg string }

func (e *fieldsError) Error() string { return e.msg }

// parseFields parses a `fields` value such as "id,name,matter{id,display_number}".
// Clio allows exactly one nesting level; "a{b{c}}" is an error. An empty
// value returns a nil selection (the whole record).
func parseFields(raw string) (selection, error) {
	if raw == "" {
		return nil, nil
	}
	sel := selection{}
	var cur selection = sel // where names go at the current depth
	var parent string
	depth := 0
	start := 0
	flush := func(i int) error {
		name := strings.TrimSpace(raw[start:i])
		start = i + 1
		if name == "" {
			return nil
		}
		if !validFieldName(name) {
			return &fieldsError{msg: fmt.Sprintf("invalid field name %q", name)}
		}
		if _, ok := cur[name]; !ok {
			cur[name] = nil
		}
		return nil
	}
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case ',':
			if err := flush(i); err != nil {
				return nil, err
			}
		case '{':
			if depth == 1 {
				return nil, &fieldsError{msg: "fields may only be nested one level deep"}
			}
			parent = strings.TrimSpace(raw[start:i])
			start = i + 1
			if parent == "" || !validFieldName(parent) {
				return nil, &fieldsError{msg: fmt.Sprintf("invalid nested field name %q", parent)}
			}
			if sel[parent] == nil {
				sel[parent] = selection{}
			}
			cur = sel[parent]
			depth = 1
		case '}':
			if depth == 0 {
				return nil, &fieldsError{msg: "unbalanced braces in fields"}
			}
			if err := flush(i); err != nil {
				return nil, err
			}
			if len(cur) == 0 {
				return nil, &fieldsError{msg: fmt.Sprintf("empty field list for %q", parent)}
			}
			cur = sel
			depth = 0
			// The next character must be a separator or the end.
			if i+1 < len(raw) && raw[i+1] != ',' {
				return nil, &fieldsError{msg: "expected ',' after '}' in fields"}
			}
		}
	}
	if depth != 0 {
		return nil, &fieldsError{msg: "unbalanced braces in fields"}
	}
	if err := flush(len(raw)); err != nil {
		return nil, err
	}
	return sel, nil
}

func validFieldName(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// check verifies every name against a resource's fields from the spec:
// known maps a top-level field to its nested field names (empty for scalar
// fields).
func (sel selection) check(resource string, known map[string][]string) error {
	for name, sub := range sel {
		nested, ok := known[name]
		if !ok {
			return &fieldsError{msg: fmt.Sprintf("invalid field %q for %s", name, resource)}
		}
		if sub == nil {
			continue
		}
		if len(nested) == 0 {
			return &fieldsError{msg: fmt.Sprintf("field %q of %s has no nested fields", name, resource)}
		}
		for n := range sub {
			if !contains(nested, n) {
				return &fieldsError{msg: fmt.Sprintf("invalid field %q in %s{…} for %s", n, name, resource)}
			}
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// apply keeps only the selected fields of a rendered record. A nil
// selection keeps everything; a field without braces keeps the whole nested
// value.
func (sel selection) apply(rec map[string]any) map[string]any {
	if sel == nil {
		return rec
	}
	out := make(map[string]any, len(sel))
	for name, sub := range sel {
		v, ok := rec[name]
		if !ok {
			continue
		}
		if sub != nil {
			v = sub.applyNested(v)
		}
		out[name] = v
	}
	return out
}

func (sel selection) applyNested(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return sel.apply(t)
	case []any:
		res := make([]any, len(t))
		for i, item := range t {
			res[i] = sel.applyNested(item)
		}
		return res
	default:
		return v
	}
}
