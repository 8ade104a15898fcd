// Package browsertest drives Parley's web app in a real headless Chromium
// (Debian's chromium package, through chromedp): a moodbot conversation
// with a button click, a reload and a server restart, the inspector behind
// its login, the cross-site and markup protections as a browser meets
// them, and axe-core's accessibility checks. It saves screenshots of the
// chat page and the inspector into docs/screenshots for the README.
//
// The tests skip (or fail when PARLEY_CI_REQUIRE is set) without chromium,
// without axe-core (npm ci in testdata/axe) or without the shared bots,
// and with -short. The package has tests only.
package browsertest
