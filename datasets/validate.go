package datasets

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var sqlName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate checks a set of contracts for the mistakes the compiler cannot see: duplicate names,
// keys and references that point at nothing, enum columns without values, a dataset listed
// before one it refers to, and one header alias claimed by two columns.
func Validate(contracts []Contract) error {
	var errs []error
	seen := map[string]int{}
	for i, c := range contracts {
		if !sqlName.MatchString(c.Name) {
			errs = append(errs, fmt.Errorf("%s: table name is not a plain snake_case name", c.Name))
		}
		if _, dup := seen[c.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: duplicate dataset name", c.Name))
		}
		seen[c.Name] = i
		errs = append(errs, validateContract(c)...)
	}
	for i, c := range contracts {
		for _, r := range c.Refs {
			j, ok := seen[r.Dataset]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: reference to unknown dataset %s", c.Name, r.Dataset))
				continue
			}
			if j >= i && r.Dataset != c.Name {
				errs = append(errs, fmt.Errorf("%s: refers to %s, which is loaded later", c.Name, r.Dataset))
			}
			target := contracts[j]
			if strings.Join(r.To, ",") != strings.Join(target.Key, ",") {
				errs = append(errs, fmt.Errorf("%s: reference to %s must name its key %v, not %v", c.Name, r.Dataset, target.Key, r.To))
			}
			if len(r.Columns) != len(r.To) {
				errs = append(errs, fmt.Errorf("%s: reference to %s maps %d columns to %d", c.Name, r.Dataset, len(r.Columns), len(r.To)))
			}
			for _, col := range r.Columns {
				if _, ok := c.Column(col); !ok {
					errs = append(errs, fmt.Errorf("%s: reference column %s is not a column", c.Name, col))
				}
			}
			if r.NameColumn != "" {
				if _, ok := target.Column(r.NameColumn); !ok {
					errs = append(errs, fmt.Errorf("%s: reference to %s by name: %s has no column %s", c.Name, r.Dataset, r.Dataset, r.NameColumn))
				}
			}
		}
	}
	return errors.Join(errs...)
}

func validateContract(c Contract) []error {
	var errs []error
	if c.Label.Zh == "" || c.Label.En == "" || c.Description.Zh == "" || c.Description.En == "" {
		errs = append(errs, fmt.Errorf("%s: label and description are needed in Chinese and English", c.Name))
	}
	if c.Group < Organisation || c.Group > Surveys {
		errs = append(errs, fmt.Errorf("%s: no group", c.Name))
	}
	cols := map[string]bool{}
	aliases := map[string]string{}
	for _, col := range c.Columns {
		if !sqlName.MatchString(col.Name) {
			errs = append(errs, fmt.Errorf("%s.%s: column name is not a plain snake_case name", c.Name, col.Name))
		}
		if cols[col.Name] {
			errs = append(errs, fmt.Errorf("%s.%s: duplicate column", c.Name, col.Name))
		}
		cols[col.Name] = true
		if col.Label.Zh == "" || col.Label.En == "" {
			errs = append(errs, fmt.Errorf("%s.%s: label needed in Chinese and English", c.Name, col.Name))
		}
		if (col.Type == TypeEnum) != (len(col.Values) > 0) {
			errs = append(errs, fmt.Errorf("%s.%s: enum columns, and only they, list values", c.Name, col.Name))
		}
		if col.Pattern != "" {
			if _, err := regexp.Compile(col.Pattern); err != nil {
				errs = append(errs, fmt.Errorf("%s.%s: pattern: %w", c.Name, col.Name, err))
			}
		}
		if r := col.Range; r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			errs = append(errs, fmt.Errorf("%s.%s: empty range", c.Name, col.Name))
		}
		// A header must point at one column only, or ingest could not tell them apart.
		for _, a := range append([]string{col.Name, col.Label.Zh, col.Label.En}, col.Aliases...) {
			k := strings.ToLower(strings.TrimSpace(a))
			if other, ok := aliases[k]; ok && other != col.Name {
				errs = append(errs, fmt.Errorf("%s: header %q is claimed by %s and %s", c.Name, a, other, col.Name))
			}
			aliases[k] = col.Name
		}
		codes := map[string]bool{}
		for _, v := range col.Values {
			if codes[v.Code] {
				errs = append(errs, fmt.Errorf("%s.%s: duplicate value %s", c.Name, col.Name, v.Code))
			}
			codes[v.Code] = true
		}
	}
	if len(c.Key) == 0 {
		errs = append(errs, fmt.Errorf("%s: no natural key", c.Name))
	}
	for _, k := range c.Key {
		col, ok := c.Column(k)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: key column %s is not a column", c.Name, k))
		} else if !col.Required {
			errs = append(errs, fmt.Errorf("%s: key column %s must be required", c.Name, k))
		}
	}
	return errs
}
