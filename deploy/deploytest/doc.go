// Package deploytest checks the files of deploy/ without a Docker engine:
// the Dockerfile's rules (pinned bases, non-root user, health check, the
// build command CI uses), docker-compose.yml's structure, and nginx.conf,
// run for real in front of `parley run` on loopback.
//
// It holds only tests; nothing imports it.
package deploytest
