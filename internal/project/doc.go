// Package project reads a Rasa 3.x project folder (config.yml, the domain,
// the training data under data/, test stories, endpoints.yml and
// credentials.yml) into plain Go values, and checks the files against each
// other for `parley data validate`.
//
// Every problem is a Diagnostic that names the file (relative to the project
// root), the line and the column, and says how to fix it. Loading never
// panics: bad YAML, wrong shapes and unknown keys all become diagnostics.
// Constructs that Rasa 3 removed (templates, unfeaturized slots,
// FallbackPolicy, ...) load with one migration warning each and are mapped
// onto their 3.x replacements so that an older project still trains.
package project
