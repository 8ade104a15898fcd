// Package token splits a message into tokens with byte offsets into the
// original text.
//
// A token is a run of word characters (letters, combining marks, digits and
// the underscore, joined across an apostrophe between letters and across a
// dot or comma between digits), a single CJK ideograph or kana, or a single
// symbol or punctuation character (emoji included). Whitespace separates
// tokens and never belongs to one. Every byte of a token slices the original
// text, so entity offsets can be checked against token bounds.
package token
