// Debian's reference policy ships lxc_contexts naming container_t and container_file_t, but no
// module defines them, so a labeled `docker run` fails there. This is the project's own module:
// CIL text, which `semodule -i` compiles on the host with no policy compiler installed. It also
// fills the gaps in Debian's base policy that stop a cloud host from booting under enforcing.

export const CONTAINER_POLICY_MODULE = "dockerhost_container";

/** The first line of the module on the host, which carries the rules only. */
export const CONTAINER_POLICY_SOURCE_NOTE =
  "dockerhost container policy; commented source: components/bootstrap/selinux-container-policy.ts";

/** Where the activation writes the module before `semodule -i` (the file name is its name). */
export const CONTAINER_POLICY_PATH = `/usr/local/lib/dockerhost/selinux/${CONTAINER_POLICY_MODULE}.cil`;

/**
 * Types for the container's processes (container_t, MCS-constrained), its files
 * (container_file_t, container_ro_file_t), the engine's data (container_var_lib_t), the
 * runtime's transition into container_t, and what a container needs from the kernel.
 */
export const CONTAINER_POLICY_CIL = `; Debian 12's policy predates cloud-init's systemd generator: under enforcing it could not create
; /run/cloud-init, ds-identify then reported no datasource, and cloud-init stayed off for the
; boot (no host keys, no sshd). The directory keeps its usual label (var_run_t), which mount and
; dhclient already use: a type of its own stopped cloud-init from mounting a NoCloud seed there.
(allow systemd_generator_t var_run_t (dir (create getattr setattr search open read write add_name remove_name)))
(allow systemd_generator_t var_run_t (file (create getattr setattr open read write append unlink rename)))
(allow systemd_generator_t var_run_t (lnk_file (create getattr read unlink)))
(allow systemd_generator_t var_lib_t (lnk_file (getattr read)))
; cloud-init mounts a NoCloud or Azure seed on a directory it made under /run/cloud-init/tmp
; (initrc_runtime_t); without this, it fell back to no datasource, a new instance, new host keys.
(allow mount_t initrc_runtime_t (dir (getattr search mounton)))
; cloud-init's dhclient hook checks /run/cloud-init/enabled.
(allow dhcpc_t var_run_t (file (getattr open read)))
; dhclient reads the random device for its transaction ids.
(allow dhcpc_t random_device_t (chr_file (getattr open read ioctl)))

; Who runs containers: Debian starts dockerd, containerd and the shims as initrc_t.
(typeattribute dockerhost_container_runtime)
(typeattributeset dockerhost_container_runtime (initrc_t))

; The container's processes. mcs_constrained_type makes the MCS constraints apply: a process at
; s0:c1,c2 reaches only objects whose categories it dominates.
(type container_t)
(roletype system_r container_t)
(typeattributeset domain (container_t))
(typeattributeset mcs_constrained_type (container_t))

; The container's files: its image layers, its /dev and volumes relabeled with :z or :Z.
(type container_file_t)
(type container_ro_file_t)
(typeattribute dockerhost_container_file)
(typeattributeset dockerhost_container_file (container_file_t container_ro_file_t))
(typeattributeset file_type (dockerhost_container_file))
(typeattributeset non_auth_file_type (dockerhost_container_file))
(typeattributeset non_security_file_type (dockerhost_container_file))
(typeattributeset mountpoint (dockerhost_container_file))
(roletype object_r dockerhost_container_file)
(typeattributeset entry_type (dockerhost_container_file))

; The engine's data: /var/lib/docker, and its image layers, which containers read through overlay.
(type container_var_lib_t)
(roletype object_r container_var_lib_t)
(typeattributeset file_type (container_var_lib_t))
(typeattributeset non_auth_file_type (container_var_lib_t))
(typeattributeset non_security_file_type (container_var_lib_t))
(typeattributeset mountpoint (container_var_lib_t))
(filecon "/var/lib/docker(/.*)?" any (system_u object_r container_var_lib_t ((s0) (s0))))
(filecon "/var/lib/docker/overlay2(/.*)?" any (system_u object_r container_ro_file_t ((s0) (s0))))
(filecon "/var/lib/docker/[0-9]+\\.[0-9]+/overlay2(/.*)?" any (system_u object_r container_ro_file_t ((s0) (s0))))
; Directories the engine creates get these labels whatever restorecon has seen.
(typetransition dockerhost_container_runtime var_lib_t dir "docker" container_var_lib_t)
(typetransition dockerhost_container_runtime container_var_lib_t dir "overlay2" container_ro_file_t)

; Overlay, tmpfs, devpts and mqueue mounts carry context=container_file_t:s0:cX,cY.
(allow dockerhost_container_file self (filesystem (associate)))
(allow dockerhost_container_file fs_t (filesystem (associate)))
(allow dockerhost_container_runtime dockerhost_container_file (filesystem (mount remount unmount getattr relabelfrom relabelto associate quotaget)))

; The runtime starts the container's first process in container_t, and signals and inspects it.
(allow dockerhost_container_runtime container_t (process (transition dyntransition noatsecure rlimitinh siginh sigchld sigkill sigstop signull signal getattr getsched setsched getpgid setpgid getrlimit setrlimit share)))
(allow dockerhost_container_runtime container_t (dir (getattr search open read)))
(allow dockerhost_container_runtime container_t (file (getattr open read)))
(allow dockerhost_container_runtime container_t (lnk_file (getattr read)))
(allow dockerhost_container_runtime container_t (key (all)))
; Containers start with no_new_privs (daemon.json no-new-privileges): the kernel then allows the
; transition only with this permission.
(allow dockerhost_container_runtime container_t (process2 (nnp_transition nosuid_transition)))
(allow container_t dockerhost_container_file (file (entrypoint)))
(allow container_t dockerhost_container_runtime (process (sigchld)))
(allow container_t dockerhost_container_runtime (fd (use)))
(allow container_t dockerhost_container_runtime (fifo_file (getattr read write append ioctl lock)))
(allow container_t dockerhost_container_runtime (unix_stream_socket (getattr read write ioctl)))

; Its own files: everything, within its categories (MCS).
(allow container_t container_file_t (dir (all)))
(allow container_t container_file_t (file (all)))
(allow container_t container_file_t (lnk_file (all)))
(allow container_t container_file_t (chr_file (all)))
(allow container_t container_file_t (fifo_file (all)))
(allow container_t container_file_t (sock_file (all)))
(allow container_t container_file_t (blk_file (getattr)))
(allow container_t container_ro_file_t (dir (getattr search open read lock ioctl)))
(allow container_t container_ro_file_t (file (getattr open read lock ioctl map execute execute_no_trans)))
(allow container_t container_ro_file_t (lnk_file (getattr read)))
(allow container_t filesystem_type (filesystem (getattr)))

; Itself.
(allow container_t self (process (fork sigchld sigkill sigstop signull signal getsched setsched getpgid setpgid getcap setcap getattr getrlimit setrlimit getsession execmem setkeycreate setfscreate setsockcreate)))
(allow container_t self (capability (chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap)))
(allow container_t self (cap_userns (chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap)))
(allow container_t self (dir (getattr search open read)))
(allow container_t self (file (getattr open read write append ioctl lock)))
(allow container_t self (lnk_file (getattr read)))
(allow container_t self (fifo_file (all)))
(allow container_t self (unix_stream_socket (all)))
(allow container_t self (unix_dgram_socket (all)))
(allow container_t self (tcp_socket (all)))
(allow container_t self (udp_socket (all)))
(allow container_t self (rawip_socket (all)))
(allow container_t self (icmp_socket (all)))
(allow container_t self (netlink_route_socket (create bind connect getattr setattr getopt setopt read write nlmsg_read)))
(allow container_t self (key (all)))
(allow container_t self (sem (all)))
(allow container_t self (shm (all)))
(allow container_t self (msgq (all)))
(allow container_t self (msg (all)))

; The network inside its namespace.
(allow container_t port_type (tcp_socket (name_bind name_connect)))
(allow container_t port_type (udp_socket (name_bind)))
(allow container_t node_type (tcp_socket (node_bind)))
(allow container_t node_type (udp_socket (node_bind)))
(allow container_t node_type (rawip_socket (node_bind)))
(allow container_t node_type (icmp_socket (node_bind)))
(allow container_t node_type (node (recvfrom sendto)))
(allow container_t netif_type (netif (ingress egress)))
(allow container_t unlabeled_t (peer (recv)))
(allow container_t unlabeled_t (packet (send recv)))

; What the kernel shows it: /proc (masked in part by the runtime), /sys read-only, its cgroup.
(allow container_t proc_type (dir (getattr search open read)))
(allow container_t proc_type (file (getattr open read)))
(allow container_t proc_type (lnk_file (getattr read)))
(allow container_t sysctl_type (dir (getattr search open read)))
(allow container_t sysctl_type (file (getattr open read)))
(allow container_t sysfs_t (dir (getattr search open read)))
(allow container_t sysfs_t (file (getattr open read)))
(allow container_t sysfs_t (lnk_file (getattr read)))
(allow container_t cgroup_t (dir (getattr search open read)))
(allow container_t cgroup_t (file (getattr open read)))
`;

/** The labels dockerd reads for containers (go-selinux): process, files, read-only files. */
export function lxcContexts(): string {
  return [
    'process = "system_u:system_r:container_t:s0"',
    'content = "system_u:object_r:container_var_lib_t:s0"',
    'file = "system_u:object_r:container_file_t:s0"',
    'ro_file = "system_u:object_r:container_ro_file_t:s0"',
    'sandbox_lxc_process = "system_u:system_r:container_t:s0"',
    "",
  ].join("\n");
}
