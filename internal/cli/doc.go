// Package cli is the `parley` command line: init, train, run, shell, test,
// data validate, demo and version, with the flag names Rasa users know.
// Rasa flags that Parley does not support are still accepted by the parser
// so that using one fails with "not supported by Parley" and the reason,
// rather than "unknown flag".
package cli
