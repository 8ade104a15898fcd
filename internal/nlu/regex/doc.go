// Package regex matches the regexes and lookup tables of the training data
// against a message. RegexFeaturizer turns the matches into features,
// RegexEntityExtractor into entities.
//
// A lookup table matches whole phrases, case-insensitively by default. A
// match must not touch a letter, mark or digit on either side, so entries
// such as "c++", "c#" and ".net" match where a \b-based rule would not, and
// a regex such as \d{10} does not match inside an 11-digit number.
package regex
