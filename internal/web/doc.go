// Package web is Parley's web app: the chat page at / and the same-origin
// JSON endpoints its script calls, the embeddable chat at /embed with its
// script tag, browser sessions kept in the database, and the inspector at
// /inspect behind a login.
//
// The protections are always on. Every route is behind Go's cross-origin
// protection (Sec-Fetch-Site and Origin), so a cross-site form post gets 403
// while the page's own fetch() calls work; requests for a Host that is not
// allowed get 400; every page carries a strict Content-Security-Policy with
// no inline script; and user and bot text is only ever placed with
// html/template or textContent, so markup in a bot response shows as text.
//
// A session cookie holds a random id signed with the secret key (HMAC);
// the database keeps only a hash of the id, so neither a stolen database
// nor a forged cookie opens a session, and rotating the key ends them all.
package web
