// The capabilities a container keeps when it starts as its image's user (no `user`) and lists
// no `capAdd`, outside `strict`. Most server images start as root and prepare their own files
// before they drop to their own user: docker-library/postgres's docker-entrypoint.sh
// (docker_create_db_directories: `chmod 700 "$PGDATA"`, `find "$PGDATA" \! -user postgres -exec
// chown postgres '{}' +`, then `exec gosu postgres`), and MySQL, MariaDB, Redis and MongoDB the
// same; nginx's master binds port 80 as root, runs its workers as `nginx` and signals them. With
// every capability dropped those entrypoints stop at their first chown, so `baseline` keeps the
// seven those steps need out of Docker's fourteen (moby oci/caps/defaults.go,
// DefaultCapabilities) and drops the rest. `strict` keeps none: it runs no container as root
// unless the spec says so (CIS Docker Benchmark 4.1), and then `capAdd` says what it keeps
// (CIS 5.3, "Ensure that Linux kernel capabilities are restricted within containers").

export const ROOT_START_CAPABILITIES: readonly string[] = [
  // chown of the data directory to the service's own user (the entrypoints' first step).
  "CHOWN",
  // Reading and changing files the service's user owns while still root (find, chmod).
  "DAC_OVERRIDE",
  "FOWNER",
  // Dropping to the service's own user (gosu, su-exec, nginx's `user` directive).
  "SETUID",
  "SETGID",
  // Binding a port below 1024 before the drop (nginx, Apache httpd on 80).
  "NET_BIND_SERVICE",
  // A root master signalling workers that run as another user (nginx's reload and stop).
  "KILL",
];

/**
 * Docker's own default set for comparison: the ones ROOT_START_CAPABILITIES leaves out are
 * AUDIT_WRITE, FSETID, MKNOD, NET_RAW (raw sockets: ARP and ICMP spoofing on the bridge),
 * SETFCAP, SETPCAP and SYS_CHROOT.
 */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "NET_RAW",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];
