package score

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/partnerq/pqi/transforms/quality"
)

// Settings are what a scoring configuration file sets: the PQI settings at
// its top level (transforms/quality's default.yaml documents each), and
// the finance settings (attribution, long-tail ROI, cohorts) under
// finance:. A file gives only what it changes: keys left out keep the
// defaults DefaultSettingsYAML prints (a list, such as weights, is
// replaced whole; a map is merged key by key).
type Settings struct {
	Quality quality.Config `yaml:",inline"`
	Finance Finance        `yaml:"finance"`
}

// DefaultSettings are the built-in settings.
func DefaultSettings() (Settings, error) { return ParseSettings(DefaultSettingsYAML()) }

// ParseSettings reads and validates a configuration file. Unknown keys are
// errors, so a misspelt setting never silently keeps its default.
func ParseSettings(b []byte) (Settings, error) {
	q, err := quality.DefaultConfig()
	if err != nil {
		return Settings{}, err
	}
	s := Settings{Quality: q, Finance: DefaultFinance()}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Settings{}, fmt.Errorf("reading the scoring configuration: %w", err)
	}
	err = errors.Join(s.Quality.Validate(), s.Finance.Attribution.Validate(), s.Finance.ROI.Validate(), s.Finance.Cohort.Validate())
	if err != nil {
		return Settings{}, err
	}
	return s, nil
}

// LoadSettings reads the configuration file at path; "" means the
// built-in settings. Errors name the file.
func LoadSettings(path string) (Settings, error) {
	if path == "" {
		return DefaultSettings()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Settings{}, fmt.Errorf("reading the scoring configuration: %w", err)
	}
	s, err := ParseSettings(b)
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// DefaultSettingsYAML is the built-in configuration file: the PQI defaults
// with their comments, then the finance defaults.
func DefaultSettingsYAML() []byte {
	var fin bytes.Buffer
	enc := yaml.NewEncoder(&fin)
	enc.SetIndent(2)
	if err := enc.Encode(DefaultFinance()); err != nil {
		panic(fmt.Sprintf("score: the finance defaults do not marshal: %v", err)) // numbers and strings only: a bug
	}
	var b bytes.Buffer
	b.Write(quality.DefaultConfigYAML())
	b.WriteString("\n# Finance: attribution models, long-tail segments and the return on spend,\n")
	b.WriteString("# cohorts. Every value is explained in docs/methodology.md (Part II); keys\n")
	b.WriteString("# left out keep these defaults.\nfinance:\n")
	for _, line := range strings.SplitAfter(fin.String(), "\n") {
		if line != "" {
			b.WriteString("  " + line)
		}
	}
	return b.Bytes()
}

// Digest is the sha256 of the settings: the config_digest a score run
// with them records.
func (s Settings) Digest() string { return configDigest(NewConfig(0, s, "")) }
