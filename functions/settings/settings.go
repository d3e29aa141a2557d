// Package settings is the scoring configuration: the PQI settings
// (transforms/quality) and the finance settings (attribution, long-tail
// ROI, cohorts) a configuration file sets, their defaults, and their
// digest, the config_digest a score run records and the report checks.
package settings

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/cohort"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/roi"
)

// Settings are what a scoring configuration file sets: the PQI settings at
// its top level (transforms/quality's default.yaml documents each), and
// the finance settings (attribution, long-tail ROI, cohorts) under
// finance:. A file gives only what it changes: keys left out keep the
// defaults DefaultYAML prints (a list, such as weights, is
// replaced whole; a map is merged key by key).
type Settings struct {
	Quality quality.Config `yaml:",inline"`
	Finance Finance        `yaml:"finance"`
}

// Default is the built-in settings.
func Default() (Settings, error) { return Parse(DefaultYAML()) }

// Parse reads and validates a configuration file. Unknown keys are
// errors, so a misspelt setting never silently keeps its default.
func Parse(b []byte) (Settings, error) {
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

// Load reads the configuration file at path; "" means the
// built-in settings. Errors name the file.
func Load(path string) (Settings, error) {
	if path == "" {
		return Default()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Settings{}, fmt.Errorf("reading the scoring configuration: %w", err)
	}
	s, err := Parse(b)
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// DefaultYAML is the built-in configuration file: the PQI defaults
// with their comments, then the finance defaults.
func DefaultYAML() []byte {
	var fin bytes.Buffer
	enc := yaml.NewEncoder(&fin)
	enc.SetIndent(2)
	if err := enc.Encode(DefaultFinance()); err != nil {
		panic(fmt.Sprintf("settings: the finance defaults do not marshal: %v", err)) // numbers and strings only: a bug
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

// YAML is the settings as a configuration file that reproduces them:
// Parse(YAML()) gives settings of the same digest.
func (s Settings) YAML() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("writing the scoring configuration: %w", err)
	}
	return b.Bytes(), enc.Close()
}

// Digest is the sha256 of the settings: the config_digest a score run
// with them records.
func (s Settings) Digest() string {
	d := sha256.Sum256([]byte("quality=" + s.Quality.Digest() + "\nfinance=" + s.Finance.Digest() + "\n"))
	return hex.EncodeToString(d[:])
}

// Finance configures the finance tables: attribution models, long-tail
// segments and lift, cohorts. See docs/methodology.md.
type Finance struct {
	Attribution attribution.Config `yaml:"attribution" json:"attribution"`
	ROI         roi.Config         `yaml:"roi" json:"roi"`
	Cohort      cohort.Config      `yaml:"cohort" json:"cohort"`
}

// DefaultFinance is the built-in finance configuration.
func DefaultFinance() Finance {
	return Finance{Attribution: attribution.Default(), ROI: roi.Default(), Cohort: cohort.Default()}
}

// Digest is the sha256 of the configuration's canonical JSON.
func (f Finance) Digest() string {
	b, _ := json.Marshal(f) // cannot fail: numbers, strings and slices of them
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
