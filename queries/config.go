package queries

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config holds the rules that differ between companies: the assessment's grade thresholds and
// dimensions, the cadence of organisational life, the time limits for eliminating defects and
// which model-post kinds count as model posts. It is read from mingdeng.yaml; every field left
// out keeps its default (DefaultConfig), which follows the reference practice of DOMAIN.md.
type Config struct {
	Assessment     AssessmentConfig `yaml:"assessment" json:"assessment"`
	Cadences       []Cadence        `yaml:"cadences" json:"cadences"`
	DefectLimits   DefectLimits     `yaml:"defect_limits" json:"defect_limits"`
	ModelPostKinds []string         `yaml:"model_post_kinds" json:"model_post_kinds"`
	// Hypotheses are the primary hypotheses (预先设定的假设), declared before the data are
	// analysed; analyze adjusts them as a family of their own (see Hypothesis).
	Hypotheses []Hypothesis `yaml:"hypotheses" json:"hypotheses"`
}

// AssessmentConfig are the rules of the half-yearly group assessment (党小组工作考评).
type AssessmentConfig struct {
	Grades     GradeThresholds `yaml:"grades" json:"grades"`
	Dimensions []Dimension     `yaml:"dimensions" json:"dimensions"`
	Items      int             `yaml:"items" json:"items"` // items per assessment (12)
	// AdvancedScope is where the year's advanced group (先进党小组) is chosen: "unit" (default),
	// "branch" or "company".
	AdvancedScope string `yaml:"advanced_scope" json:"advanced_scope"`
}

// GradeThresholds are the lowest totals (out of 100) of each grade: 优秀 >= Excellent,
// 合格 >= Qualified, 基本合格 >= Basic, below Basic 不合格.
type GradeThresholds struct {
	Excellent float64 `yaml:"excellent" json:"excellent"`
	Qualified float64 `yaml:"qualified" json:"qualified"`
	Basic     float64 `yaml:"basic" json:"basic"`
}

// Dimension is one assessment dimension: its code (assessments.dimension) and labels.
type Dimension struct {
	Code string `yaml:"code" json:"code"`
	Zh   string `yaml:"zh" json:"zh"`
	En   string `yaml:"en" json:"en"`
}

// Cadence is how often a kind of meeting (meetings.kind) must be held: at least Min per Every
// (month, quarter, half or year).
type Cadence struct {
	Kind  string `yaml:"kind" json:"kind"`
	Every string `yaml:"every" json:"every"`
	Min   int    `yaml:"min" json:"min"`
}

// DefectLimits are the days allowed from finding a defect to eliminating it, by severity.
type DefectLimits struct {
	General  int `yaml:"general" json:"general"`
	Serious  int `yaml:"serious" json:"serious"`
	Critical int `yaml:"critical" json:"critical"`
}

// DefaultConfig returns the defaults: grades 95/80/60, the five dimensions and twelve items of
// the reference 考评办法, the cadences of DOMAIN.md, defect limits 30/7/1 days, the six
// model-post kinds and DefaultHypotheses.
func DefaultConfig() Config {
	return Config{
		Assessment: AssessmentConfig{
			Grades: GradeThresholds{Excellent: 95, Qualified: 80, Basic: 60},
			Dimensions: []Dimension{
				{"ideology", "思想建设", "Ideological work"},
				{"organisation", "组织建设", "Organisation building"},
				{"conduct", "作风建设", "Work style"},
				{"institution", "制度建设", "Rules and procedures"},
				{"central_task", "完成中心任务", "Central tasks"},
			},
			Items:         12,
			AdvancedScope: "unit",
		},
		Cadences: []Cadence{
			{"group_meeting", "month", 1},
			{"committee_meeting", "month", 1},
			{"theme_day", "month", 1},
			{"general_meeting", "quarter", 1},
			{"party_lecture", "quarter", 1},
			{"demo_day", "quarter", 1},
			{"life_meeting", "year", 1},
			{"member_review", "year", 1},
			{"heart_talk", "year", 1},
		},
		DefectLimits:   DefectLimits{General: 30, Serious: 7, Critical: 1},
		ModelPostKinds: []string{"silent_dedication", "service_star", "safety_guard", "zero_violation", "hardship_pioneer", "silver_line"},
		Hypotheses:     DefaultHypotheses(),
	}
}

// ParseConfig reads a mingdeng.yaml document over the defaults: a field present in the file
// replaces the default (a list replaces the whole list).
func ParseConfig(b []byte) (Config, error) {
	c := DefaultConfig()
	var raw struct {
		Assessment *struct {
			Grades *struct {
				Excellent *float64 `yaml:"excellent"`
				Qualified *float64 `yaml:"qualified"`
				Basic     *float64 `yaml:"basic"`
			} `yaml:"grades"`
			Dimensions    []Dimension `yaml:"dimensions"`
			Items         *int        `yaml:"items"`
			AdvancedScope *string     `yaml:"advanced_scope"`
		} `yaml:"assessment"`
		Cadences     []Cadence `yaml:"cadences"`
		DefectLimits *struct {
			General  *int `yaml:"general"`
			Serious  *int `yaml:"serious"`
			Critical *int `yaml:"critical"`
		} `yaml:"defect_limits"`
		ModelPostKinds []string      `yaml:"model_post_kinds"`
		Hypotheses     *[]Hypothesis `yaml:"hypotheses"`
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return c, syntaxError(err)
	}
	lines, err := configNodes(&doc, reflect.TypeOf(raw))
	if err != nil {
		return c, err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("%w: mingdeng.yaml: %v", ErrConfig, err) // a shape configNodes let through
	}
	if a := raw.Assessment; a != nil {
		if g := a.Grades; g != nil {
			setF(&c.Assessment.Grades.Excellent, g.Excellent)
			setF(&c.Assessment.Grades.Qualified, g.Qualified)
			setF(&c.Assessment.Grades.Basic, g.Basic)
		}
		if a.Dimensions != nil {
			c.Assessment.Dimensions = a.Dimensions
		}
		if a.Items != nil {
			c.Assessment.Items = *a.Items
		}
		if a.AdvancedScope != nil {
			c.Assessment.AdvancedScope = *a.AdvancedScope
		}
	}
	if raw.Cadences != nil {
		c.Cadences = raw.Cadences
	}
	if d := raw.DefectLimits; d != nil {
		setI(&c.DefectLimits.General, d.General)
		setI(&c.DefectLimits.Serious, d.Serious)
		setI(&c.DefectLimits.Critical, d.Critical)
	}
	if raw.ModelPostKinds != nil {
		c.ModelPostKinds = raw.ModelPostKinds
	}
	if raw.Hypotheses != nil {
		c.Hypotheses = *raw.Hypotheses // an empty list declares none: every result is exploratory
	}
	if err := c.Validate(); err != nil {
		if ce, ok := err.(*ConfigError); ok {
			ce.Line = lines[ce.Key]
		}
		return c, err
	}
	return c, nil
}

func setF(dst *float64, v *float64) {
	if v != nil {
		*dst = *v
	}
}

func setI(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

// ErrConfig is wrapped by every error about the configuration.
var ErrConfig = errors.New("invalid configuration")

// Validate checks that the configuration makes sense; a mistake is a *ConfigError naming the
// key (its line is the caller's to fill in).
func (c Config) Validate() error {
	g := c.Assessment.Grades
	if !(g.Basic >= 0 && g.Basic <= g.Qualified && g.Qualified <= g.Excellent && g.Excellent <= 100) {
		return configErr("assessment.grades", fmt.Sprintf("excellent %v, qualified %v, basic %v", g.Excellent, g.Qualified, g.Basic),
			"0 ≤ basic ≤ qualified ≤ excellent ≤ 100", "0 <= basic <= qualified <= excellent <= 100")
	}
	if c.Assessment.Items < 0 {
		return configErr("assessment.items", strconv.Itoa(c.Assessment.Items), "0 或正整数", "0 or more")
	}
	switch c.Assessment.AdvancedScope {
	case "unit", "branch", "company":
	default:
		zh, en := oneOf("unit", "branch", "company")
		return configErr("assessment.advanced_scope", c.Assessment.AdvancedScope, zh, en)
	}
	for i, d := range c.Assessment.Dimensions {
		if d.Code == "" {
			return configErr(fmt.Sprintf("assessment.dimensions[%d].code", i+1), "", "维度代码（assessments.dimension 中的值）", "the dimension's code (a value of assessments.dimension)")
		}
	}
	seen := map[string]bool{}
	for i, cd := range c.Cadences {
		key := fmt.Sprintf("cadences[%d]", i+1)
		// A kind twice would be counted twice and leave open which rule the reports show.
		if seen[cd.Kind] {
			return configErr(key+".kind", cd.Kind, "cadences 中尚未列出的会议类型（每种只写一次）", "a kind not listed earlier in cadences (each kind once)")
		}
		seen[cd.Kind] = true
		switch cd.Every {
		case "month", "quarter", "half", "year":
		default:
			zh, en := oneOf("month", "quarter", "half", "year")
			return configErr(key+".every", cd.Every, zh, en)
		}
		if cd.Kind == "" {
			return configErr(key+".kind", "", "会议类型代码（meetings.kind 中的值，如 group_meeting）", "a meeting kind code (a value of meetings.kind, such as group_meeting)")
		}
		if cd.Min < 1 {
			return configErr(key+".min", strconv.Itoa(cd.Min), "1 或更大的整数", "1 or more")
		}
	}
	l := c.DefectLimits
	for _, d := range []struct {
		key string
		v   int
	}{{"general", l.General}, {"serious", l.Serious}, {"critical", l.Critical}} {
		if d.v < 0 {
			return configErr("defect_limits."+d.key, strconv.Itoa(d.v), "0 或正整数（天）", "0 or more (days)")
		}
	}
	for i, k := range c.ModelPostKinds {
		if strings.Contains(k, ",") {
			return configErr(fmt.Sprintf("model_post_kinds[%d]", i+1), k, "不含逗号的示范岗类型代码", "a model-post kind code without a comma")
		}
	}
	return validateHypotheses(c.Hypotheses)
}

// GroupMeetingCadence is the cadence of the group meeting (党小组会) in c; ok is false when c
// sets none. The reports show group meetings slot by slot of this cadence (group_compliance
// at period Every), so a quarterly rule is drawn and checked by quarter.
func (c Config) GroupMeetingCadence() (cad Cadence, ok bool) {
	for _, cd := range c.Cadences {
		if cd.Kind == "group_meeting" {
			return cd, true
		}
	}
	return Cadence{}, false
}

func (c Config) cadencesJSON() (string, error) {
	cad := c.Cadences
	if cad == nil {
		cad = []Cadence{}
	}
	b, err := json.Marshal(cad)
	return string(b), err
}
