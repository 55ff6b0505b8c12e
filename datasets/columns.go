package datasets

// Small constructors keep the catalogue readable: one line per column, modifiers chained.

func column(name string, typ Type, zh, en string, aliases []string) Column {
	return Column{Name: name, Type: typ, Label: T(zh, en), Aliases: aliases}
}

func text(name, zh, en string, aliases ...string) Column {
	return column(name, TypeText, zh, en, aliases)
}

func integer(name, zh, en string, aliases ...string) Column {
	return column(name, TypeInteger, zh, en, aliases)
}

func number(name, zh, en string, aliases ...string) Column {
	return column(name, TypeNumber, zh, en, aliases)
}

func date(name, zh, en string, aliases ...string) Column {
	return column(name, TypeDate, zh, en, aliases)
}

func boolean(name, zh, en string, aliases ...string) Column {
	return column(name, TypeBool, zh, en, aliases)
}

func enum(name, zh, en string, values []Value, aliases ...string) Column {
	c := column(name, TypeEnum, zh, en, aliases)
	c.Values = values
	return c
}

func value(code, zh, en string, aliases ...string) Value {
	return Value{Code: code, Label: T(zh, en), Aliases: aliases}
}

// Req marks the column required.
func (c Column) Req() Column { c.Required = true; return c }

// In sets the unit.
func (c Column) In(zh, en string) Column { c.Unit = T(zh, en); return c }

// Within sets the allowed range.
func (c Column) Within(r Range) Column { c.Range = r; return c }

// Describe sets the description.
func (c Column) Describe(zh, en string) Column { c.Description = T(zh, en); return c }

// Matching sets the pattern a text value must match.
func (c Column) Matching(re string) Column { c.Pattern = re; return c }

// Pseudonymised marks the column as personal data of the given kind.
func (c Column) Pseudonymised(p Personal) Column { c.Personal = p; return c }

func ref(cols []string, dataset string, to []string, nameColumn string) Ref {
	return Ref{Columns: cols, Dataset: dataset, To: to, NameColumn: nameColumn}
}

func check(name, sql, zh, en string) Check {
	return Check{Name: name, SQL: sql, Message: T(zh, en)}
}
