// Command house checks the rules of the house that go vet and gofmt do not
// (docs/operations.md, "House rules"), on every Go file of the module:
//
//   - transforms/* import, from this module, only transforms/schema and
//     transforms/keys, plus transforms/attribution where a transform
//     consumes its credits (roi, cohort) and transforms/arrowtest in tests;
//     no transforms file imports functions/ or reports/;
//   - reports/pdf imports nothing of this module, reports/words (how
//     figures are written) only transforms/schema, and every other
//     reports/* renderer only transforms/schema, reports/pdf and
//     reports/words: a renderer is pure, it draws the data it is given and
//     reads nothing;
//   - one job does not reach into another: functions/report imports
//     neither functions/score nor functions/ingest outside its tests (it
//     reads what their runs published: the warehouse's tables and runs,
//     functions/settings);
//   - one room per warehouse driver: outside tests and test kits, only
//     functions/warehouse/local imports DuckDB and only
//     functions/warehouse/bigquery imports the BigQuery client (scripts/
//     are dev tools: the bench runs DuckDB as its peer), and no file
//     outside a driver's package type-asserts to the driver's concrete
//     type (use warehouse.Analyst, open.Opened, bigquery.SourcesOf);
//   - a date travels as a schema.Day: no exported non-test function
//     outside transforms/schema takes an int32 (or []int32) parameter
//     named like a date (asOf, day, date, start, end, from, to, ...);
//   - test kits (packages named <something>test: emulatortest, ingesttest,
//     s3test, arrowtest, attributiontest) are outside the production
//     import graph: neither binary (functions/pqi, functions/lambda)
//     depends on one (go list -deps);
//   - no non-test, non-generated function is 80 lines or longer;
//   - no table is looked up with the ok result of Lookup thrown away:
//     a name from a constant uses schema.Get, one from outside checks ok.
//
// It prints every breach and exits 1 if there is one. Run from the module
// root: go run ./scripts/house
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

const (
	module        = "github.com/partnerq/pqi/"
	maxFuncLines  = 80
	generatedMark = "Code generated"
)

// reportImportAllowed says whether reports/pkg may import rel, a package
// of this module other than itself.
func reportImportAllowed(pkg, rel string) bool {
	switch pkg {
	case "pdf":
		return false
	case "words":
		return rel == "transforms/schema"
	}
	return rel == "transforms/schema" || rel == "reports/pdf" || rel == "reports/words"
}

// notFrom lists, per functions package, module packages its non-test
// files may not import.
var notFrom = map[string][]string{
	"functions/report": {"functions/score", "functions/ingest"},
}

// allowed lists, per transforms package, the module packages it may import
// (tests may also import transforms/arrowtest, and the test kit
// <pkg>/<pkg>test of a package they may import).
var allowed = map[string][]string{
	"roi":    {"transforms/schema", "transforms/keys", "transforms/attribution"},
	"cohort": {"transforms/schema", "transforms/keys", "transforms/attribution"},
}

// driverImports are the third-party packages only one driver may import.
var driverImports = map[string]string{
	"github.com/duckdb/duckdb-go/v2": "functions/warehouse/local",
	"cloud.google.com/go/bigquery":   "functions/warehouse/bigquery",
}

// drivers are the warehouse drivers' packages.
var drivers = []string{"functions/warehouse/local", "functions/warehouse/bigquery"}

// dateName is a parameter name that says it holds a date.
var dateName = regexp.MustCompile(`(?i)(^|_)(as_?of|date|day|days?since|start|end|from|to|since|until|deadline|closed|created|joined)$|(Date|Day|AsOf|Start|End|From|Since|Until)$`)

var discardedLookup = regexp.MustCompile(`\w+, _ :=[^\n]*Lookup\(`)

func main() {
	var breaches []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "demo" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return err
		}
		breaches = append(breaches, check(fset, filepath.ToSlash(path), src, f)...)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "house:", err)
		os.Exit(2)
	}
	kits, err := testKitsInBinaries()
	if err != nil {
		fmt.Fprintln(os.Stderr, "house:", err)
		os.Exit(2)
	}
	breaches = append(breaches, kits...)
	for _, b := range breaches {
		fmt.Println(b)
	}
	if len(breaches) > 0 {
		fmt.Printf("house: %d breach(es) of the house rules\n", len(breaches))
		os.Exit(1)
	}
}

func check(fset *token.FileSet, path string, src []byte, f *ast.File) []string {
	var out []string
	test := strings.HasSuffix(path, "_test.go")
	generated := strings.Contains(string(src[:min(len(src), 400)]), generatedMark)
	if strings.HasPrefix(path, "transforms/") {
		pkg := strings.Split(path, "/")[1]
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module) {
				continue
			}
			rel := strings.TrimPrefix(p, module)
			if !importAllowed(pkg, rel, test) {
				out = append(out, fmt.Sprintf("%s: transforms/%s imports %s", path, pkg, rel))
			}
		}
	}
	if strings.HasPrefix(path, "reports/") {
		pkg := strings.Split(path, "/")[1]
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			rel, ours := strings.CutPrefix(p, module)
			if ours && rel != "reports/"+pkg && !reportImportAllowed(pkg, rel) {
				out = append(out, fmt.Sprintf("%s: reports/%s imports %s", path, pkg, rel))
			}
		}
	}
	if dir := path[:max(strings.LastIndex(path, "/"), 0)]; !test {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, banned := range notFrom[dir] {
				if p == module+banned {
					out = append(out, fmt.Sprintf("%s: %s imports %s: read what its runs published instead", path, dir, banned))
				}
			}
		}
	}
	out = append(out, driverBreaches(fset, path, f, test)...)
	if !test && !strings.HasPrefix(path, "transforms/schema/") {
		out = append(out, bareDates(fset, path, f)...)
	}
	if !test && !generated {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if lines >= maxFuncLines {
				out = append(out, fmt.Sprintf("%s:%d: func %s is %d lines (keep functions under %d)", path, fset.Position(fn.Pos()).Line, fn.Name.Name, lines, maxFuncLines))
			}
		}
	}
	for _, loc := range discardedLookup.FindAllIndex(src, -1) {
		line := strings.Count(string(src[:loc[0]]), "\n") + 1
		out = append(out, fmt.Sprintf("%s:%d: a table looked up with its ok discarded: use schema.Get for a constant name", path, line))
	}
	return out
}

// bareDates are the exported functions of f that take a date as a bare
// integer.
func bareDates(fset *token.FileSet, file string, f *ast.File) []string {
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || !fn.Name.IsExported() {
			continue
		}
		for _, fl := range fn.Type.Params.List {
			typ := fl.Type
			if a, ok := typ.(*ast.ArrayType); ok {
				typ = a.Elt
			}
			if id, ok := typ.(*ast.Ident); !ok || id.Name != "int32" {
				continue
			}
			for _, n := range fl.Names {
				if dateName.MatchString(n.Name) {
					out = append(out, fmt.Sprintf("%s:%d: func %s takes %s as a bare int32: pass a schema.Day", file, fset.Position(n.Pos()).Line, fn.Name.Name, n.Name))
				}
			}
		}
	}
	return out
}

// driverBreaches are a file's imports of another room's driver library
// and its type assertions to a driver's concrete type from outside it.
func driverBreaches(fset *token.FileSet, file string, f *ast.File, test bool) []string {
	var out []string
	dir := file[:max(strings.LastIndex(file, "/"), 0)]
	kit := strings.HasSuffix(f.Name.Name, "test")
	names := map[string]string{} // local name -> driver package
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if room, ok := driverImports[p]; ok && dir != room && !test && !kit && !strings.HasPrefix(file, "scripts/") {
			out = append(out, fmt.Sprintf("%s: imports %s: only %s may", file, p, room))
		}
		for _, d := range drivers {
			if p == module+d && dir != d {
				name := path.Base(d)
				if imp.Name != nil {
					name = imp.Name.Name
				}
				names[name] = d
			}
		}
	}
	if len(names) == 0 {
		return out
	}
	concrete := func(e ast.Expr) string {
		if st, ok := e.(*ast.StarExpr); ok {
			e = st.X
		}
		if sel, ok := e.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] != "" {
				return id.Name + "." + sel.Sel.Name
			}
		}
		return ""
	}
	ast.Inspect(f, func(n ast.Node) bool {
		var types []ast.Expr
		switch x := n.(type) {
		case *ast.TypeAssertExpr:
			types = append(types, x.Type)
		case *ast.TypeSwitchStmt:
			for _, c := range x.Body.List {
				types = append(types, c.(*ast.CaseClause).List...)
			}
		}
		for _, t := range types {
			if c := concrete(t); c != "" {
				out = append(out, fmt.Sprintf("%s:%d: type assertion to %s outside its driver: use an interface (warehouse.Analyst, bigquery.SourcesOf)", file, fset.Position(t.Pos()).Line, c))
			}
		}
		return true
	})
	return out
}

func importAllowed(pkg, rel string, test bool) bool {
	if rel == "transforms/"+pkg {
		return true
	}
	if test && rel == "transforms/arrowtest" {
		return true
	}
	if test && path.Base(rel) == path.Base(path.Dir(rel))+"test" && importAllowed(pkg, path.Dir(rel), false) {
		return true // a test kit (transforms/attribution/attributiontest) of a package it may use
	}
	if list, ok := allowed[pkg]; ok {
		for _, a := range list {
			if a == rel {
				return true
			}
		}
		return false
	}
	return rel == "transforms/schema" || rel == "transforms/keys"
}

// testKitsInBinaries lists the test kits the two binaries depend on.
func testKitsInBinaries() ([]string, error) {
	out, err := exec.Command("go", "list", "-deps", "./functions/pqi", "./functions/lambda").Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps: %w", err)
	}
	var breaches []string
	for _, p := range strings.Fields(string(out)) {
		if rel, ours := strings.CutPrefix(p, module); ours && strings.HasSuffix(path.Base(rel), "test") {
			breaches = append(breaches, fmt.Sprintf("%s: a test kit in the production import graph (functions/pqi or functions/lambda depends on it)", rel))
		}
	}
	return breaches, nil
}
