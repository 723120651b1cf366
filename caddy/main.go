// The edge's Caddy as the VM tests and bench:update run it, built from Go modules by
// scripts/caddy.sh (no registry is reachable here, and Debian's caddy is 2.6.2, whose reloads
// start a new certificate cache: caddyserver/caddy#5589). This is the main package of Caddy's
// own cmd/caddy: the CLI with the standard modules, as the official image's binary is built
// (xcaddy writes the same file).
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"
)

func main() { caddycmd.Main() }
